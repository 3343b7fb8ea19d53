"""Real-browser journeys: `streamlit run app.py` on a free port with a temporary database, driven by Playwright
through the system Chromium (Playwright cannot download its own browser on these machines).

Mandatory when CI=true; elsewhere skipped, with the reason, only when Chromium is absent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends import BACKEND, env_for
from tests.browser.streamlit_page import PAGE_LOGS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


BOTH = ("duckdb", "postgres")
# Which run of the suite (OKRDASH_TEST_BACKEND) each journey runs in. A journey is about what a person does in the
# browser; the SQL under it runs on both engines in the page tests (every page for every role) and the library's
# tests. So a journey runs in one run, the two runs sharing them out, except where its subject is the engine: the
# load test (concurrent writes: one DuckDB process against PostgreSQL), the live journeys (the change signal is
# the engine's), a first start (migrations and the demo build) and the replicas (several processes need
# PostgreSQL; the DuckDB run had started a server of its own for them). Every journey module must be named here.
JOURNEY_RUNS = {
    "test_load.py": BOTH,
    "test_live_journey.py": BOTH,
    "test_first_start.py": BOTH,
    "test_replicas_journey.py": ("postgres",),
    "test_accessibility.py": ("duckdb",),  # about the markup, which is the same on either engine
    "test_workshop_journey.py": ("duckdb",),
    "test_kr_journey.py": ("duckdb",),
    "test_foundation_journey.py": ("duckdb",),
    "test_keyboard_journey.py": ("duckdb",),
    "test_tracking_journey.py": ("postgres",),
    "test_notification_journey.py": ("postgres",),
    "test_survey_journey.py": ("postgres",),
    "test_signin_journey.py": ("postgres",),
    "test_kr_paste_journey.py": ("postgres",),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        path = Path(item.fspath)
        if here not in path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        runs = JOURNEY_RUNS.get(path.name)
        if runs is None:
            raise pytest.UsageError(f"{path.name}: say in JOURNEY_RUNS ({__file__}) which run of the suite runs it")
        if BACKEND not in runs:
            item.add_marker(pytest.mark.skip(reason=f"a journey about the browser, not storage: it runs in the "
                                                    f"{runs[0]} run (JOURNEY_RUNS)"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failed journey's report carries the end of each app server's log (live ticks' decisions included): a
    failure on a loaded CI machine is then readable without reproducing it."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name, value in getattr(item, "funcargs", {}).items():
        for running in value if isinstance(value, tuple) else (value,):
            if isinstance(running, App):
                running.log.flush()
                lines = Path(running.log.name).read_text(errors="replace").splitlines()
                report.sections.append((f"{name}: server log, last 120 lines", "\n".join(lines[-120:])))


@pytest.fixture(scope="module")
def timing_sensitive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Held by the modules whose journeys promise times (live within 3 s, one countdown on two screens) and by the
    20-session load test, so none of them runs beside another browser journey on the test workers' two cores (a
    Streamlit server and Chromium each): the load test alone takes the whole machine, and a live deadline missed
    under a neighbour's load says nothing about okrdash."""
    with _browser_lock(tmp_path_factory, exclusive=True):
        yield


@pytest.fixture(scope="module", autouse=True)
def _shares_the_machine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every other browser module holds the lock shared: any number of them at once, none beside a timing-sensitive
    one."""
    mine = [item for item in request.session.items if item.module is request.module]
    if any("timing_sensitive" in item.fixturenames for item in mine):
        yield  # it takes the lock exclusively itself
        return
    with _browser_lock(tmp_path_factory, exclusive=False):
        yield


@contextlib.contextmanager
def _browser_lock(tmp_path_factory: pytest.TempPathFactory, *, exclusive: bool) -> Iterator[None]:
    import fcntl

    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every xdist worker of this run
    with (shared / "browser-journeys.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but Chromium is missing: `apt-get install -y chromium` (see .ci/run).")
    pytest.skip("Chromium is not installed (apt-get install -y chromium); browser journeys skipped.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    """A running `streamlit run app.py` on its own database file, with its own secrets file (`secrets`, written by
    the test; by default an empty one, so a developer's .streamlit/secrets.toml never reaches a journey) and
    extra environment variables (`env`)."""

    def __init__(self, database: str | Path, log: Path, *, secrets: Path | None = None,
                 env: dict[str, str] | None = None, port: int | None = None):
        self.database, self.port = database, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if secrets is None:
            secrets = log.with_name("secrets.toml")
            secrets.write_text("")
        env = {**os.environ, **env_for(str(database)), "OKRDASH_DEMO": "1", "OKRDASH_LOG_LEVEL": "DEBUG",
               "OKRDASH_TEST_NOW": dt.datetime.now().isoformat(),  # the suite's pinned clock (tests/conftest.py)
               **(env or {})}
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("pinned_streamlit.py")), "run", str(ROOT / "app.py"),
             "--server.headless", "true", "--secrets.files", str(secrets),
             "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1) as response:  # noqa: S310 (http)
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not become healthy in {timeout}s; see {self.log.name}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, demo_template: str, storage) -> Iterator[App]:
    """The app on a copy of today's demo organisation, shared by the journeys of one test module."""
    folder = tmp_path_factory.mktemp("browser")
    running = App(storage.create(folder / "app.duckdb", demo_template), folder / "streamlit.log")
    yield running
    running.stop()


# ms an expectation waits for what must show (Playwright's default is 5 s). The suite's workers share two cores
# with the app servers and Chromium; a step can then take several seconds to draw (the ranking chart's Vega
# bundle loading under load once took longer than 5 s). Waiting longer changes no verdict, only when one is given.
EXPECT_TIMEOUT = 15_000


@pytest.fixture(scope="module")
def browser(chromium: str):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser):
    """Make a page in a fresh browser context (its own Streamlit session); closed after the test."""
    contexts = []

    def make(width: int = 1400, height: int = 1000):
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        context.add_init_script(PAGE_LOGS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
