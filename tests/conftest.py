"""Every test gets its own temporary database: nothing here can touch data/."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from okrdash import db
from tests.pages import apptest  # noqa: F401  (installs the AppTest navigation shim)

# Tests want the real exception in AppTest results; production config redacts it.
os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"


# The demo database the tests share is generated as of this day (mid-way through 2026-Q4).
DEMO_TODAY = dt.date(2026, 11, 18)
DEMO_SEED = 7


@pytest.fixture(autouse=True)
def isolated_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "okrdash-test.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(path))
    monkeypatch.setenv("OKRDASH_DEMO", "0")
    monkeypatch.delenv("OKRDASH_ADMINS", raising=False)
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
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation as of today (as the app makes it on first start), generated once per session."""
    return generate_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb", dt.date.today())


@pytest.fixture(scope="session")
def demo_fixed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation as of DEMO_TODAY: for tests asserting known values (pass today=DEMO_TODAY)."""
    return generate_demo(tmp_path_factory.mktemp("demo_fixed") / "demo.duckdb", DEMO_TODAY)


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
