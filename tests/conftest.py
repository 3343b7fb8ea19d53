"""Every test gets its own temporary database: nothing here can touch data/."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, settings

from okrdash import db
from tests.backends import DuckDBStorage, PostgresStorage, memory_folder, storage_for
from tests.pages import apptest  # noqa: F401  (installs the AppTest navigation shim)

# Tests never assert timings: hypothesis's per-example deadline and its too-slow check would, on a busy machine.
settings.register_profile("okrdash", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("okrdash")

# Tests' folders (tmp_path: each test's DuckDB file, the journeys' servers' files) live in memory when there is room
# (tests/backends.py): a run of the suite spends less time waiting for the disk. pyproject.toml keeps only the
# folders of tests that failed, so memory holds little more than the tests running. PYTEST_DEBUG_TEMPROOT is pytest's
# own setting for where they go; one set by hand wins.
if (memory := memory_folder()) is not None:
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", str(memory))

# Tests want the real exception in AppTest results; production config redacts it.
os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"


# The suite runs at one pinned instant, so it passes on every day of the year: the wall clock of every test (and
# of the journeys' servers, tests/browser/pinned_streamlit.py) reads this, ticking on from here. Tests about other
# days pass `today`/`now` or travel themselves (tests/test_date_sweep.py).
PINNED_NOW = dt.datetime(2026, 11, 18, 10, 0)  # a Wednesday mid-way through 2026-Q4
DEMO_TODAY = PINNED_NOW.date()
DEMO_SEED = 7


# The order pytest-xdist hands files to its two workers (--dist loadfile --no-loadscope-reorder: in collection order,
# one file at a time, the next when a worker has two tests or fewer left). The two timing-sensitive browser modules,
# which hold the browser lock alone (tests/browser/conftest.py), go first and land on one worker back to back: the
# load test is one test, so that worker takes the live journeys next while the other runs the date sweep and the
# long unit files. The other journeys follow, longest first, and the short unit files fill both workers at the end.
# Measured on 2 cores; a file not listed runs after these in collection order.
LONGEST_FIRST = [
    "tests/browser/test_load.py",
    "tests/date_sweep/test_pages.py",
    "tests/browser/test_live_journey.py",
    "tests/test_surveys_concurrency.py",
    "tests/pages/test_every_page.py",
    "tests/test_crash_safety.py",
    "tests/test_summary_reads.py",
    "tests/browser/test_accessibility.py",
    "tests/browser/test_replicas_journey.py",
    "tests/browser/test_tracking_journey.py",
    "tests/browser/test_workshop_journey.py",
    "tests/browser/test_kr_journey.py",
    "tests/browser/test_notification_journey.py",
    "tests/browser/test_foundation_journey.py",
    "tests/browser/test_signin_journey.py",
    "tests/browser/test_kr_paste_journey.py",
    "tests/browser/test_survey_journey.py",
    "tests/browser/test_keyboard_journey.py",
    "tests/browser/test_first_start.py",
    "tests/pages/test_kr_pages.py",
    "tests/pages/test_tracking_pages.py",
    "tests/test_postgres.py",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(config.rootpath)
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(Path(item.fspath).relative_to(root).as_posix(), len(rank)))


@pytest.fixture(scope="session", autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


@pytest.fixture(scope="session")
def storage() -> Iterator[DuckDBStorage | PostgresStorage]:
    """Where this session's databases live (OKRDASH_TEST_BACKEND)."""
    found = storage_for()
    yield found
    found.close()


@pytest.fixture(scope="session")
def postgres(storage) -> Iterator[PostgresStorage]:
    """A PostgreSQL server for tests that need one whatever the backend (copy-to, replicas): the session's own
    when the suite runs on PostgreSQL, else one started for them."""
    if isinstance(storage, PostgresStorage):
        yield storage
        return
    started = PostgresStorage()
    yield started
    started.close()


def filled(storage, path: Path, fill: Callable[[], Any], *, template: str | None = None) -> tuple[str, Any]:
    """A new database (at `path` for DuckDB, a copy of `template` if given) that `fill()` wrote with okrdash
    pointed at it, closed again so that tests can copy it: its target and what `fill` returned."""
    target = storage.create(path, template)
    db.close_all()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in storage.env(target).items():
            patch.setenv(name, value)
        try:
            made = fill()
        finally:
            db.close_all()
    return target, made


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory, storage) -> str:
    """An empty database with every migration applied, made once per session: tests start from a copy of it
    rather than each migrating its own (0.2 s a test, a few minutes of a run)."""
    target, _ = filled(storage, tmp_path_factory.mktemp("migrated") / "migrated.duckdb", db.database)
    return target


@pytest.fixture(autouse=True)
def isolated_database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      storage) -> Iterator[Path]:
    """This test's own empty, migrated database (never opened, with `@pytest.mark.blank_database`). OKRDASH_DB
    always points into the test's folder, so nothing can reach data/, and on PostgreSQL nothing may touch the file
    at all."""
    path = tmp_path / "okrdash-test.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(path))
    target = storage.create(path, _template_for(request))
    for name, value in storage.env(target).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OKRDASH_DEMO", "0")
    monkeypatch.delenv("OKRDASH_ADMINS", raising=False)
    # Tests pick who acts through demo identity mode ("acting_as", ?as=) on databases that are not the demo: they
    # opt in on purpose, as an operator would. tests/pages/test_signin_modes.py proves the refusal without it.
    monkeypatch.setenv("OKRDASH_DEMO_IDENTITY", "1")
    yield path
    db.close_all()
    storage.drop(target)


# A test on the demo or the small organisation gets a copy of it at once, not a migrated copy replaced by it: each
# copy on PostgreSQL is a CREATE DATABASE, and most tests open one of the two.
COPIED_FOR = {"demo_db": "demo_template", "org": "org_template"}


def _template_for(request: pytest.FixtureRequest) -> str | None:
    """What this test's database starts as a copy of: nothing (a blank database), the demo, the small organisation,
    or the migrated empty database."""
    if request.node.get_closest_marker("blank_database") is not None:
        return None
    source = next((template for fixture, template in COPIED_FOR.items() if fixture in request.fixturenames),
                  "migrated_template")
    made = request.getfixturevalue(source)
    return made[0] if isinstance(made, tuple) else made


def generate_demo(storage, folder: Path, today: dt.date) -> str:
    """A database holding the demo organisation as of `today`; returns its target (file path or URL)."""
    from okrdash import demo

    target, _ = filled(storage, folder / "demo.duckdb", lambda: demo.generate(seed=DEMO_SEED, today=today))
    return target


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, pinned_clock: None, storage) -> str:
    """The demo organisation as of the pinned today (as the app makes it on first start), generated once."""
    return generate_demo(storage, tmp_path_factory.mktemp("demo"), DEMO_TODAY)


@pytest.fixture(scope="session")
def demo_fixed_template(demo_template: str) -> str:
    """The demo organisation as of DEMO_TODAY: for tests asserting known values. The same database as
    demo_template, now that the suite's today is pinned; the name says the test relies on DEMO_TODAY's values."""
    return demo_template


@pytest.fixture
def demo_db(demo_template: str, isolated_database: Path) -> Path:
    """This test's database is a fresh copy of the demo organisation as of today (pages, journeys): made so by
    isolated_database, which copies the demo for a test that asks for this."""
    return isolated_database


@pytest.fixture
def demo_db_fixed(demo_fixed_template: str, demo_db: Path) -> Path:
    """This test's database is a fresh copy of the demo organisation as of DEMO_TODAY (known values)."""
    return demo_db


@pytest.fixture(scope="session")
def org_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: str, pinned_clock: None,
                 storage) -> tuple[str, Any]:
    """The small organisation made once per session (its ~25 writes cost 0.1 s, and 250 tests want it)."""
    from tests.factories import small_org

    return filled(storage, tmp_path_factory.mktemp("org") / "org.duckdb", small_org, template=migrated_template)


@pytest.fixture
def org(org_template: tuple[str, Any], isolated_database: Path):
    """A small organisation with one person per role (see tests/factories.py): this test's database is a fresh
    copy of it, made so by isolated_database."""
    return dataclasses.replace(org_template[1])
