"""Quarters: `2026-Q3` keys, calendar dates, and which one is current."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from okrdash import auth, db
from okrdash.errors import NotFound, ValidationError

KEY_RE = re.compile(r"(\d{4})-Q([1-4])")


def parse_key(key: str) -> tuple[int, int]:
    match = KEY_RE.fullmatch(str(key).strip().upper())
    if not match:
        raise ValidationError(f"“{key}” is not a quarter; write it like 2026-Q3.", "quarter")
    return int(match.group(1)), int(match.group(2))


def key_for(day: dt.date) -> str:
    """The calendar quarter containing `day`."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def bounds(key: str) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar quarter `key`."""
    year, q = parse_key(key)
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def shift(key: str, by: int) -> str:
    """The quarter `by` quarters after `key` (negative: before)."""
    year, q = parse_key(key)
    index = year * 4 + (q - 1) + by
    return f"{index // 4}-Q{index % 4 + 1}"


def previous(key: str) -> str:
    return shift(key, -1)


def all_quarters() -> list[dict[str, Any]]:
    """Every quarter, newest first."""
    return db.rows("SELECT key, starts_on, ends_on, is_current FROM quarters ORDER BY key DESC")


def get(key: str) -> dict[str, Any]:
    found = db.row("SELECT key, starts_on, ends_on, is_current FROM quarters WHERE key = ?", [key])
    if found is None:
        raise NotFound(f"Quarter {key} does not exist yet. An admin can add it on the Admin page.")
    return found


def current_key(today: dt.date | None = None) -> str:
    """The quarter marked current while it lasts; once it has ended, today's calendar quarter (when an admin has
    added it), so 1 January is in the new year's first quarter without anyone moving the mark. With nothing marked,
    today's calendar quarter."""
    today = today or dt.date.today()
    calendar = key_for(today)
    found = db.rows("SELECT key, ends_on, is_current FROM quarters WHERE is_current OR key = ?", [calendar])
    marked = next((q for q in found if q["is_current"]), None)
    if marked and (marked["ends_on"] >= today or not any(q["key"] == calendar for q in found)):
        return marked["key"]
    return calendar


def planning_key() -> str:
    """The quarter teams are preparing OKRs for: the one after the current one if it exists, else the current one."""
    current = current_key()
    upcoming = shift(current, 1)
    exists = db.scalar("SELECT count(*) FROM quarters WHERE key = ?", [upcoming])
    return upcoming if exists else current


def ensure(key: str, *, current: bool = False) -> str:
    """Create the quarter row if missing (library use: demo, imports); return its key."""
    year, q = parse_key(key)
    key = f"{year}-Q{q}"
    start, end = bounds(key)
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO quarters (key, starts_on, ends_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [key, start, end],
        )
        if current:
            cur.execute("UPDATE quarters SET is_current = (key = ?)", [key])
    return key


def add(actor: auth.Actor, key: str) -> str:
    """An admin adds a quarter; refuses duplicates."""
    auth.require_admin(actor, "add quarters")
    year, q = parse_key(key)
    key = f"{year}-Q{q}"
    if db.scalar("SELECT count(*) FROM quarters WHERE key = ?", [key]):
        raise ValidationError(f"Quarter {key} already exists.", "quarter")
    return ensure(key)


def set_current(actor: auth.Actor, key: str) -> None:
    """An admin marks `key` as the current quarter (exactly one is)."""
    auth.require_admin(actor, "change the current quarter")
    get(key)
    db.execute("UPDATE quarters SET is_current = (key = ?)", [key])


def keys() -> list[str]:
    """Quarter keys, newest first (for pickers)."""
    return db.column("SELECT key FROM quarters ORDER BY key DESC")
