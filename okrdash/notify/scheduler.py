"""`remind` inside the app's own process, every OKRDASH_REMIND_EVERY minutes (off unless set).

Why: DuckDB lets one process open the database file, so while `streamlit run app.py` holds it, `python -m okrdash
remind` from cron cannot open it (it says so and exits 1). With DuckDB, either stop the app for the run, or let the
app run the job itself with this setting. With PostgreSQL storage any number of processes may run `remind` (the
sent log's claims keep each message to one of them), so cron, a systemd timer or a CronJob is the better home.
"""

from __future__ import annotations

import logging
import threading
import time

from okrdash import settings

log = logging.getLogger("okrdash.remind")
_lock = threading.Lock()
_started: set[str] = set()
FIRST_RUN_AFTER = 60.0  # seconds after start-up: the app answers its first visitors first


def interval() -> float:
    """Seconds between runs (0: off)."""
    return settings.number("OKRDASH_REMIND_EVERY", 0, 0, 24 * 60) * 60


def start(database: str) -> bool:
    """Start the background job once per process and database; False when OKRDASH_REMIND_EVERY is not set."""
    try:
        seconds = interval()
    except settings.ConfigError as error:
        log.error("okrdash remind does not run in this process: %s", error.message)
        return False
    if not seconds:
        return False
    with _lock:
        if database in _started:
            return True
        _started.add(database)
    threading.Thread(target=_loop, args=(seconds,), name="okrdash-remind", daemon=True).start()
    log.info("okrdash remind runs in this process every %g minutes", seconds / 60)
    return True


def run_once() -> bool:
    """One run, logged; True when everything due went out. Never raises: the app must not die of a mail server."""
    from okrdash.notify import remind  # late import: the job's modules load when it first runs

    try:
        report = remind.run(echo=log.info)
    except Exception:
        log.exception("okrdash remind failed")
        return False
    for note in report.notes:
        log.warning(note)
    (log.info if report.ok else log.error)(report.summary())
    return report.ok


def _loop(seconds: float) -> None:
    time.sleep(min(FIRST_RUN_AFTER, seconds))
    while True:
        run_once()
        time.sleep(seconds)
