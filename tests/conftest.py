"""Every test gets its own temporary database: nothing here can touch data/."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from okrdash import db
from tests.pages import apptest  # noqa: F401  (installs the AppTest navigation shim)

# Tests want the real exception in AppTest results; production config redacts it.
os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"


# The suite runs at one pinned instant, so it passes on every day of the year: the wall clock of every test (and
# of the journeys' servers, tests/browser/pinned_streamlit.py) reads this, ticking on from here. Tests about other
# days pass `today`/`now` or travel themselves (tests/test_date_sweep.py).
PINNED_NOW = dt.datetime(2026, 11, 18, 10, 0)  # a Wednesday mid-way through 2026-Q4
DEMO_TODAY = PINNED_NOW.date()
DEMO_SEED = 7


@pytest.fixture(scope="session", autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "okrdash-test.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(path))
    monkeypatch.setenv("OKRDASH_DEMO", "0")
    monkeypatch.delenv("OKRDASH_ADMINS", raising=False)
    # Tests pick who acts through demo identity mode ("acting_as", ?as=) on databases that are not the demo: they
    # opt in on purpose, as an operator would. tests/pages/test_signin_modes.py proves the refusal without it.
    monkeypatch.setenv("OKRDASH_DEMO_IDENTITY", "1")
    yield path
    db.close_all()


def generate_demo(path: Path, today: dt.date) -> Path:
    from okrdash import demo

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OKRDASH_DB", str(path))
        demo.generate(seed=DEMO_SEED, today=today)
        db.close_all()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, pinned_clock: None) -> Path:
    """The demo organisation as of the pinned today (as the app makes it on first start), generated once."""
    return generate_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb", DEMO_TODAY)


@pytest.fixture(scope="session")
def demo_fixed_template(demo_template: Path) -> Path:
    """The demo organisation as of DEMO_TODAY: for tests asserting known values. The same file as demo_template,
    now that the suite's today is pinned; the name says the test relies on DEMO_TODAY's values."""
    return demo_template


@pytest.fixture
def demo_db(demo_template: Path, isolated_database: Path) -> Path:
    """This test's database is a fresh copy of the demo organisation as of today (pages, journeys)."""
    db.close_all()
    shutil.copy(demo_template, isolated_database)
    return isolated_database


@pytest.fixture
def demo_db_fixed(demo_fixed_template: Path, isolated_database: Path) -> Path:
    """This test's database is a fresh copy of the demo organisation as of DEMO_TODAY (known values)."""
    db.close_all()
    shutil.copy(demo_fixed_template, isolated_database)
    return isolated_database


@pytest.fixture
def org():
    """A small organisation with one person per role (see tests/factories.py)."""
    from tests.factories import small_org

    return small_org()
