"""First start: open and migrate the database, and fill it with demo data when it is empty (unless OKRDASH_DEMO=0)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from okrdash import db
from okrdash.errors import DatabaseLocked, DatabaseUnavailable

Progress = Callable[[float, str], None]

_prepared: set[str] = set()
_lock = threading.Lock()


def demo_enabled() -> bool:
    return os.environ.get("OKRDASH_DEMO", "1").strip().lower() not in ("0", "false", "no", "off")


def ready() -> bool:
    """True once the current database was prepared in this process (the app then skips its first-start screen)."""
    return db.target() in _prepared


def prepare(progress: Progress | None = None) -> None:
    """Open, migrate and (first time, when empty) seed the current database; once per path per process.
    `progress(share, message)` hears about the steps, for the first-start screen."""
    report = progress or (lambda share, message: None)
    path = db.target()
    if path in _prepared:
        return
    with _lock:
        if path in _prepared:
            return
        report(0.0, "Opening the database")
        db.database()
        if demo_enabled() and not db.scalar("SELECT count(*) FROM people"):
            from okrdash import demo  # late import: demo pulls in every domain module

            report(0.05, "Building the demo organisation (first start only)")
            demo.generate(progress=lambda share, message: report(
                0.05 + 0.95 * share, f"Building the demo organisation — {message}"))
        from okrdash.notify import scheduler  # OKRDASH_REMIND_EVERY: remind inside this process (DuckDB)

        scheduler.start(path)
        _prepared.add(path)


def startup_problem(progress: Progress | None = None) -> str | None:
    """None when the database is ready, else a message for the person at the screen (never a traceback)."""
    try:
        prepare(progress)
    except (DatabaseLocked, DatabaseUnavailable) as error:
        return error.message
    return None
