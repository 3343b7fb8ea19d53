"""Two small tables that make demo identity mode a decision, never a silent fallback (migrations m055, m056).

`demo_database` holds one row when okrdash.demo generated this database (a table, so the mark survives backup and
restore); `sign_ins` holds each person's first real OIDC sign-in, so demo identity mode forced on a database that
real people use gets a warning.
"""

from __future__ import annotations

import datetime as dt

from okrdash import db


def mark_demo(cur, kind: str, seed: int, today: dt.date) -> None:
    """Record, inside the generator's transaction, that this database holds generated demo data."""
    cur.execute("INSERT INTO demo_database (kind, seed, generated_for) VALUES (?, ?, ?)", [kind, seed, today])


def is_demo_database() -> bool:
    return bool(db.scalar("SELECT count(*) FROM demo_database"))


def record_sign_in(person_id: int, email: str, now: dt.datetime) -> bool:
    """Remember a person's first real sign-in; True when this one was the first. One write per person, ever
    (a write on every visit would invalidate every cached read)."""
    if db.scalar("SELECT count(*) FROM sign_ins WHERE person_id = ?", [person_id]):
        return False
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO sign_ins (person_id, email, first_at) VALUES (?, ?, ?) ON CONFLICT (person_id) DO NOTHING",
            [person_id, email.strip().lower(), now],
        )
    return True


def real_sign_ins() -> int:
    """How many people have signed in through the identity provider on this database."""
    return int(db.scalar("SELECT count(*) FROM sign_ins") or 0)
