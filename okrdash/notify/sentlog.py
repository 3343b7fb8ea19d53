"""The sent log: one row per audience, kind, period and channel (UNIQUE), so each message goes out at most once.

A message moves through these states, each change committed before the next step:
    claimed  — a run owns it (claimed_by: host:pid:run), nothing has left yet;
    sending  — written right before the content goes to the mail server (SMTP DATA) or the webhook;
    sent     — the server accepted it (250, 2xx);
    failed   — certainly not accepted (a refusal, no connection); a later run tries again while it is due;
    uncertain — handed over but never confirmed: it may have been delivered, so it is never sent again.

Crashes: a run killed before `sending` leaves a `claimed` row; the next run sees its owner is gone (the process no
longer exists on this host, or the claim is older than LEASE on another host), releases it and sends it. A run killed
between `sending` and `sent` leaves a `sending` row: the message may already be in the server's queue, so the next
run marks it `uncertain` and reports it instead of sending it twice. That window is the transfer of one message
and the server's reply to it; okrdash chooses at most once over at least once inside it.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from pathlib import Path
from typing import Any

from okrdash import db
from okrdash.errors import Conflict

LEASE = dt.timedelta(minutes=30)  # a claim from another host older than this belongs to a run that is gone
FINAL = ("sent", "uncertain")


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return True  # a run in this very process that is not running any more (runs here go one at a time)
    stat = Path(f"/proc/{pid}/stat")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed process its parent has not reaped yet is a zombie: gone for our purpose
        return stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def orphaned(claimed_by: str, claimed_at: dt.datetime, me: str, now: dt.datetime) -> bool:
    """Whether the run that claimed a row has stopped (so its claim may be resolved)."""
    if claimed_by == me:
        return False
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    if host == socket.gethostname() and pid.isdigit():
        return _process_gone(int(pid))
    return now - claimed_at > LEASE


def reconcile(me: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Resolve rows left by runs that stopped: `claimed` ones are released (failed, so they are tried again),
    `sending` ones become `uncertain`. Returns the rows made uncertain, for the report."""
    left = db.rows("""SELECT id, kind, channel, recipient, subject, status, claimed_by, claimed_at FROM notify_log
                      WHERE status IN ('claimed', 'sending')""")
    uncertain = []
    for row in left:
        if not orphaned(row["claimed_by"], row["claimed_at"], me, now):
            continue
        if row["status"] == "claimed":
            _move(row["id"], row["claimed_by"], "failed", "the run that claimed it stopped before sending it")
        else:
            pid = row["claimed_by"].split(":")[1:2]
            _move(row["id"], row["claimed_by"], "uncertain",
                  f"a run (process {pid[0] if pid else '?'}) stopped while handing it over; it may have been "
                  "delivered, so it is not sent again")
            uncertain.append(row)
    return uncertain


def _move(row_id: int, owner: str, status: str, error: str = "", **extra: Any) -> bool:
    sets = ", ".join(f"{column} = ?" for column in extra)
    with db.transaction() as cur:
        found = cur.execute(f"""UPDATE notify_log SET status = ?, error = ?{', ' + sets if sets else ''}
                                WHERE id = ? AND claimed_by = ? RETURNING id""",
                            [status, error, *extra.values(), row_id, owner]).fetchall()
    return bool(found)


def claim(key: tuple[str, str, str, str], *, person_id: int | None, team_id: int | None, recipient: str,
          subject: str, me: str, now: dt.datetime) -> int | None:
    """Own the message `key` (audience, kind, period, channel) for this run: a new row, or a failed one to try
    again. None when it was sent, is being sent, is uncertain, or another run got it first."""
    audience, kind, period, channel = key
    try:
        with db.transaction() as cur:
            row = cur.execute(
                """INSERT INTO notify_log (audience, person_id, team_id, kind, period, channel, status, recipient,
                                          subject, claimed_by, claimed_at)
                   VALUES (?, ?, ?, ?, ?, ?, 'claimed', ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id""",
                [audience, person_id, team_id, kind, period, channel, recipient[:300], subject[:300], me, now],
            ).fetchone()
            if row is None:
                row = cur.execute(
                    """UPDATE notify_log SET status = 'claimed', claimed_by = ?, claimed_at = ?, recipient = ?,
                                             subject = ?
                       WHERE audience = ? AND kind = ? AND period = ? AND channel = ? AND status = 'failed'
                       RETURNING id""",
                    [me, now, recipient[:300], subject[:300], audience, kind, period, channel]).fetchone()
    except Conflict:  # another run claimed it at the same moment
        return None
    return None if row is None else int(row[0])


def sending(row_id: int, me: str) -> None:
    """Mark the hand-off (committed before the content leaves: see the module docstring)."""
    with db.transaction() as cur:
        cur.execute("UPDATE notify_log SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND claimed_by = ?",
                    [row_id, me])


def sent(row_id: int, me: str, now: dt.datetime) -> None:
    _move(row_id, me, "sent", "", sent_at=now)


def retry(row_id: int, me: str, error: str) -> None:
    """A definite failure that will be tried again in this run: back to `claimed`."""
    _move(row_id, me, "claimed", error[:1000])


def failed(row_id: int, me: str, error: str) -> None:
    _move(row_id, me, "failed", error[:1000])


def uncertain(row_id: int, me: str, error: str) -> None:
    _move(row_id, me, "uncertain", error[:1000])


def states(periods: list[str]) -> dict[tuple[str, str, str, str], str]:
    """The status of every logged message of these periods, by (audience, kind, period, channel)."""
    if not periods:
        return {}
    unique = sorted(set(periods))
    marks = ", ".join("?" for _ in unique)
    return {(r["audience"], r["kind"], r["period"], r["channel"]): r["status"] for r in db.rows(
        f"SELECT audience, kind, period, channel, status FROM notify_log WHERE period IN ({marks})", unique)}


def recent(since: dt.datetime) -> list[dict[str, Any]]:
    """Every logged message claimed since `since`, newest first."""
    return db.rows("""SELECT claimed_at, sent_at, kind, channel, recipient, subject, status, attempts, error
                      FROM notify_log WHERE claimed_at >= ? ORDER BY claimed_at DESC, id DESC""", [since])
