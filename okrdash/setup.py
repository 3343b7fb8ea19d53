"""First start: open and migrate the database, and fill it with demo data when it is empty (unless OKRDASH_DEMO=0)."""

from __future__ import annotations

import os
import threading

from okrdash import db
from okrdash.errors import DatabaseLocked, DatabaseUnavailable

_prepared: set[str] = set()
_lock = threading.Lock()


def demo_enabled() -> bool:
    return os.environ.get("OKRDASH_DEMO", "1").strip().lower() not in ("0", "false", "no", "off")


def prepare() -> None:
    """Open, migrate and (first time, when empty) seed the current database; once per path per process."""
    path = db.target()
    if path in _prepared:
        return
    with _lock:
        if path in _prepared:
            return
        db.database()
        if demo_enabled() and not db.scalar("SELECT count(*) FROM people"):
            from okrdash import demo  # late import: demo pulls in every domain module

            demo.generate()
        from okrdash.notify import scheduler  # OKRDASH_REMIND_EVERY: remind inside this process (DuckDB)

        scheduler.start(path)
        _prepared.add(path)


def startup_problem() -> str | None:
    """None when the database is ready, else a message for the person at the screen (never a traceback)."""
    try:
        prepare()
    except (DatabaseLocked, DatabaseUnavailable) as error:
        return error.message
    return None
