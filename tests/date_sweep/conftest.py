"""The date sweep: the demo generated as of each awkward day of the year, every page rendered for every persona.

Each day's demo is generated once (package-scoped, the clock travelled to that day mid-morning) and each test gets
a fresh copy of it. To add a day, append it to DAYS with the reason it is awkward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine

from okrdash import db
from tests.conftest import generate_demo

MID_MORNING = dt.time(10, 0)

DAYS = {
    dt.date(2026, 12, 31): "last day of a year (2026-Q4)",
    dt.date(2027, 1, 1): "first day of a year and of 2027-Q1",
    dt.date(2027, 3, 31): "last day of 2027-Q1",
    dt.date(2027, 4, 1): "first day of 2027-Q2",
    dt.date(2027, 5, 1): "first day of a month in the middle of a quarter (a Saturday)",
    dt.date(2027, 6, 30): "last day of 2027-Q2",
    dt.date(2027, 7, 1): "first day of 2027-Q3",
    dt.date(2027, 9, 30): "last day of 2027-Q3",
    dt.date(2027, 10, 1): "first day of 2027-Q4",
    dt.date(2027, 12, 31): "last day of 2027-Q4 and of the year",
    dt.date(2028, 2, 29): "a leap day",
}
# The sweep is about days, not storage: each day is swept once per CI, in one of the suite's two runs, and the days
# where date arithmetic in SQL differs most between engines (a year's turn, a leap day) in both. Three more days go
# to the PostgreSQL run, whose run is the shorter one, so that the DuckDB run stays under the 10 minutes the CI
# guide sets on 2 cores.
IN_BOTH = {dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2028, 2, 29)}
ON_POSTGRES = IN_BOTH | {dt.date(2027, 5, 1), dt.date(2027, 7, 1), dt.date(2027, 9, 30)}


def sweep_days(backend: str) -> list[dt.date]:
    """The days the sweep checks in the run of the suite on `backend`, in order."""
    return sorted(ON_POSTGRES if backend == "postgres" else (set(DAYS) - ON_POSTGRES) | IN_BOTH)


@dataclass(frozen=True)
class SweepDay:
    today: dt.date
    template: str  # the demo generated as of `today` (its target); tests work on copies

    @property
    def now(self) -> dt.datetime:
        return dt.datetime.now()  # the travelled clock, ticking from `today` mid-morning


@pytest.fixture(scope="package", params=sorted(DAYS), ids=str)
def sweep_day(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, storage) -> Iterator[SweepDay]:
    """The clock on `today` at 10:00 (ticking) and the demo generated as of `today`, once per day."""
    today = request.param
    if today not in sweep_days(storage.backend):
        pytest.skip("the date sweep is about days, not storage: this day is checked in the other backend's run")
    with time_machine.travel(dt.datetime.combine(today, MID_MORNING), tick=True):
        template = generate_demo(storage, tmp_path_factory.mktemp(f"sweep-{today}"), today)
        yield SweepDay(today, template)


@pytest.fixture
def day_db(sweep_day: SweepDay, isolated_database: Path, storage) -> SweepDay:
    """This test's database is a fresh copy of the day's demo."""
    db.close_all()
    storage.replace(db.target(), sweep_day.template)
    return sweep_day
