"""Live pages (okrdash/ui/live/): what a tick costs the server when nothing changed, and what followers idling on
one server cost. Each measure runs a real `streamlit run app.py` on a copy of the demo organisation, with Chromium
sessions (Playwright) sitting on the Consolidate step while the lead presents it, and reads the server process's
CPU time from /proc. Ticks are counted where they are sent: each is one message from a browser's websocket.

- Tick: the server's CPU per tick beyond the same sessions with live updates off (OKRDASH_LIVE_SECONDS=0); beside
  it Streamlit's own floor measured the same way, a page whose fragment draws one line per tick against the same
  page without it (bench/live_floor.py), and the tick's own code measured in-process (`db.sync()` and the version
  compare).
- Followers: the server's CPU, as a share of one core, while 20 followers idle for 60 s; and, for the record,
  while a timebox counts down on their screens (a tick every 0.8 s that redraws the countdown).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
Row = tuple[str, str, str, str]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
TEAM = "Scheduling"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


@contextmanager
def _on(database: Path) -> Iterator[None]:
    """okrdash in this process works on `database` for the block (the benchmark's servers are stopped meanwhile)."""
    from okrdash import db

    previous = os.environ.get("OKRDASH_DB")
    os.environ["OKRDASH_DB"] = str(database)
    try:
        yield
    finally:
        db.close_all()
        if previous is None:
            os.environ.pop("OKRDASH_DB", None)
        else:
            os.environ["OKRDASH_DB"] = previous


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """`streamlit run SCRIPT` on a free port with its own database file and environment."""

    def __init__(self, script: Path, database: Path, **env: str) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env={**os.environ, "OKRDASH_DB": str(database), "OKRDASH_DEMO": "0", **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1):  # noqa: S310 (loopback)
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{script} did not start")

    def cpu(self) -> float:
        return _cpu(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _prepare(folder: Path) -> tuple[Path, str, list[str]]:
    """A demo organisation whose Scheduling lead presents Consolidate, every member following; returns the file, the
    path of the step and the members' emails."""
    from okrdash import auth, quarters, teams
    from okrdash.live import room

    database = folder / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "okrdash.demo", "--db", str(database)], cwd=ROOT, check=True,
                   capture_output=True)
    with _on(database):
        team = next(t["id"] for t in teams.all_teams() if t["name"] == TEAM)
        quarter = quarters.planning_key()
        crew = teams.members(team)
        room.present(auth.load_by_email(next(m["email"] for m in crew if m["role"] == "lead")), team, quarter,
                     "consolidate")
        members = [m["email"] for m in crew if m["role"] == "member"]
        for email in members:
            room.follow(auth.load_by_email(email), team, quarter, True)
    return database, "workshop_consolidate", members


def _sessions(server: Server, path: str, emails: list[str], count: int, seconds: float) -> tuple[float, int]:
    """`count` browser sessions on `path` (acting as `emails` in turn) for `seconds` after they settle: the server's
    CPU seconds and the ticks the browsers sent meanwhile."""
    from playwright.sync_api import sync_playwright

    sent = [0]

    def count_frames(socket) -> None:
        socket.on("framesent", lambda _frame: sent.__setitem__(0, sent[0] + 1))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = None
        for n in range(count):
            page = browser.new_context().new_page()
            page.on("websocket", count_frames)
            page.goto(f"{server.url}/{path}?as={emails[n % len(emails)]}" if emails else f"{server.url}/{path}")
            page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
        page.wait_for_timeout(10_000)  # every session drawn, first ticks past (waiting through Playwright lets the
        ticks, cpu = sent[0], server.cpu()  # websocket events in)
        page.wait_for_timeout(seconds * 1000)
        cpu, ticks = server.cpu() - cpu, sent[0] - ticks
        browser.close()
    return cpu, ticks


def _tick_code(database: Path, runs: int = 20_000) -> float:
    """Milliseconds of one no-change tick's own code in-process: `db.sync()` and the version compare."""
    from okrdash import live, quarters, teams

    with _on(database):
        team = next(t["id"] for t in teams.all_teams() if t["name"] == TEAM)
        watch = live.Watch.of(live.WORKSHOP_TABLES, [(team, quarters.planning_key())])
        seen = watch.version()
        started = time.perf_counter()
        for _ in range(runs):
            watch.moved(seen)
        return (time.perf_counter() - started) / runs * 1000


def live_pages(followers: int = 20, seconds: float = 60, tick_sessions: int = 10,
               tick_seconds: float = 30) -> list[Row]:
    """The tick's server time (≤ 5 ms) and 20 followers idling (≤ 10% of one core)."""
    folder = Path(tempfile.mkdtemp(prefix="okrdash-bench-live-"))
    try:
        database, path, members = _prepare(folder)
        code_ms = _tick_code(database)
        results = {}
        floor = ROOT / "bench" / "live_floor.py"
        variants = (("live", ROOT / "app.py", {}), ("off", ROOT / "app.py", {"OKRDASH_LIVE_SECONDS": "0"}),
                    ("floor", floor, {}), ("floor_off", floor, {"LIVE_FLOOR_OFF": "1"}))
        for name, script, env in variants:
            server = Server(script, database, **env)
            try:
                on_app = script.name == "app.py"
                results[name] = _sessions(server, path if on_app else "", members if on_app else [], tick_sessions,
                                          tick_seconds)
            finally:
                server.stop()
        idle = _followers(database, path, members, followers, seconds)
        _start_timebox(database)
        timed = _followers(database, path, members, followers, seconds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    (live_cpu, live_ticks), (off_cpu, _) = results["live"], results["off"]
    (floor_cpu, floor_ticks), (floor_off_cpu, _) = results["floor"], results["floor_off"]
    tick_ms = (live_cpu - off_cpu) / max(live_ticks, 1) * 1000
    floor_ms = (floor_cpu - floor_off_cpu) / max(floor_ticks, 1) * 1000
    share, timed_share = idle[0] / seconds, timed[0] / seconds
    return [
        (f"Live page: server time of a tick when nothing changed ({tick_sessions} sessions, {live_ticks} ticks)",
         f"{tick_ms:.1f} ms, of which Streamlit's own (a bare fragment tick) {floor_ms:.1f} ms and okrdash's tick "
         f"code {code_ms * 1000:.0f} µs", "≤ 5 ms", verdict(tick_ms <= 5)),
        (f"{followers} followers idling on one server for {seconds:.0f} s ({idle[1]} ticks)",
         f"{share * 100:.1f}% of one core", "≤ 10% of one core", verdict(share <= 0.10)),
        (f"{followers} followers watching a timebox count down for {seconds:.0f} s ({timed[1]} ticks)",
         f"{timed_share * 100:.1f}% of one core", "", ""),
    ]


def _followers(database: Path, path: str, members: list[str], count: int, seconds: float) -> tuple[float, int]:
    server = Server(ROOT / "app.py", database)
    try:
        return _sessions(server, path, members, count, seconds)
    finally:
        server.stop()


def _start_timebox(database: Path) -> None:
    """The lead gives the step an hour (the servers are stopped: the file is free)."""
    from okrdash import auth, quarters, teams
    from okrdash.live import timebox

    with _on(database):
        team = next(t for t in teams.all_teams() if t["name"] == TEAM)
        lead = next(m["email"] for m in teams.members(team["id"]) if m["role"] == "lead")
        timebox.start(auth.load_by_email(lead), team["id"], quarters.planning_key(), "consolidate", 60)
