"""Ordered, named schema migrations, each applied once and recorded in the `migrations` table.

Add a migration by appending a function `mNNN_what_it_does(cur)` to MIGRATIONS (in name order); never edit one that
has shipped. m001 lives in core.py, later changes to the domain's tables in domain.py, and a capability's own
tables beside it (okrdash/notify/schema.py, okrdash/signin/schema.py, okrdash/storage/schema.py,
okrdash/summaries/schema.py, okrdash/live/schema.py).
SQL stays within what DuckDB and PostgreSQL both accept (sequences, CHECK, UNIQUE, REFERENCES, no lists), and a
migration runs on either engine through an okrdash.db.Cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from okrdash.live.schema import m040_live_workshop
from okrdash.migrations.core import m001_core_schema
from okrdash.migrations.domain import (
    m010_idea_item_keys,
    m011_key_results_awaiting_publish,
    m012_participation_claims,
    m030_key_result_relative_change,
    m057_checkins_by_day,
)
from okrdash.notify.schema import m020_notifications, m021_workshop_meetings
from okrdash.signin.schema import m055_demo_database_mark, m056_sign_ins
from okrdash.storage.schema import m013_change_log
from okrdash.summaries.schema import (
    m014_kr_summaries,
    m015_kr_checkin_states,
    m016_kr_weeks,
    m017_tracking_indexes,
    m018_team_tree,
    m019_fill_summaries,
)

if TYPE_CHECKING:
    from okrdash.db import Cursor

MIGRATIONS: list[Callable[[Cursor], None]] = [
    m001_core_schema,
    m010_idea_item_keys,
    m011_key_results_awaiting_publish,
    m012_participation_claims,
    m013_change_log,  # okrdash/storage/schema.py
    m014_kr_summaries,  # okrdash/summaries/schema.py (importing it registers the summaries' before-commit hook)
    m015_kr_checkin_states,
    m016_kr_weeks,
    m017_tracking_indexes,
    m018_team_tree,
    m019_fill_summaries,
    m020_notifications,  # okrdash/notify/schema.py: this file stays under 400 lines
    m021_workshop_meetings,
    m030_key_result_relative_change,
    m040_live_workshop,  # okrdash/live/schema.py
    m055_demo_database_mark,  # okrdash/signin/schema.py
    m056_sign_ins,
    m057_checkins_by_day,
    # Append new migrations here, in order.
]


def applied(conn: Cursor) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name").fetchall()]


def apply(conn: Cursor) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return the names applied now. On
    PostgreSQL a lock makes replicas starting together take turns (`python -m okrdash migrate` avoids the wait)."""
    conn.execute("""
        CREATE TABLE IF NOT EXISTS migrations (
            name       VARCHAR PRIMARY KEY,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    newly = []
    for migration in MIGRATIONS:
        name = migration.__name__
        with conn.own_transaction():
            conn.lock_for_migrations()
            if conn.execute("SELECT count(*) FROM migrations WHERE name = ?", [name]).fetchone()[0]:
                continue
            migration(conn)
            conn.execute("INSERT INTO migrations (name) VALUES (?)", [name])
        newly.append(name)
    return newly


def missing(conn: Cursor) -> list[str]:
    """Migrations this version of okrdash has that the database has not recorded (for `python -m okrdash check`)."""
    done = set(applied(conn))
    return [m.__name__ for m in MIGRATIONS if m.__name__ not in done]
