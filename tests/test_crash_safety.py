"""Crashes lose nothing: a process writing check-ins and survey answers through the library is killed with SIGKILL
at random moments; every time the database opens, its migrations are intact and every write the library reported
as done is there. A kill in the middle of a migration on start is finished by the next start."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from okrdash import db, migrations, people
from okrdash.storage.cursor import Cursor
from tests.backends import duckdb_only
from tests.factories import small_org
from tests.survey_fixtures import make_planned
from tests.tracking_fixtures import tracked

ROOT = Path(__file__).resolve().parents[1]
KILLS = 20
PEOPLE_PER_RUN = 40  # survey answerers each writer run may use (a run writes far fewer before it is killed)
SEED = 20261118

# Killing a process that holds a DuckDB file is what these prove; PostgreSQL's own write-ahead log is its answer.
pytestmark = duckdb_only


def start(database: Path, *args: object) -> tuple[subprocess.Popen, queue.Queue]:
    """`python -m tests.crash_writer ARGS` on `database`; its complete output lines arrive in the queue (None at
    the end)."""
    env = {**os.environ, "OKRDASH_DB": str(database), "OKRDASH_DEMO": "0"}
    process = subprocess.Popen([sys.executable, "-m", "tests.crash_writer", *map(str, args)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()

    def read() -> None:
        for line in process.stdout:
            if line.endswith("\n"):  # a line cut by the kill was never reported
                lines.put(line.split())
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return process, lines


def kill_after(process: subprocess.Popen, lines: queue.Queue, first: str, delay: float) -> list[list[str]]:
    """Wait for the first `first` line, let it run `delay` seconds more, SIGKILL it; return every reported line."""
    seen = []
    while True:
        try:
            line = lines.get(timeout=30)
        except queue.Empty:
            process.kill()
            pytest.fail(f"the writer reported nothing in 30 s: {process.stderr.read()}")
        if line is None:
            pytest.fail(f"the writer stopped by itself: {process.stderr.read()}")
        seen.append(line)
        if line[0] == first:
            break
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    while (line := lines.get(timeout=10)) is not None:
        seen.append(line)
    process.stderr.close()
    return seen


def open_checked(path: Path) -> list[str]:
    """Open the database as the app does; return the migrations this open had to apply."""
    applied: list[str] = []
    original = migrations.apply

    def recording(conn) -> list[str]:
        applied.extend(original(conn))
        return applied

    migrations.apply = recording
    try:
        handle = db.database(path)
    finally:
        migrations.apply = original
    recorded = migrations.applied(Cursor(handle.session(), db.engine().STYLE, str(path)))
    assert recorded == sorted(m.__name__ for m in migrations.MIGRATIONS)
    return applied


def add_answerers(team_id: int, count: int) -> list[int]:
    with db.transaction() as cur:
        ids = [int(cur.execute("SELECT nextval('seq_people')").fetchone()[0]) for _ in range(count)]
        cur.executemany("INSERT INTO people (id, name, email) VALUES (?, ?, ?)",
                        [[i, f"Answerer {i}", f"answerer{i}@example.com"] for i in ids])
        cur.executemany("INSERT INTO memberships (team_id, person_id, role) VALUES (?, ?, 'member')",
                        [[team_id, i] for i in ids])
    return ids


def test_killed_writers_lose_no_reported_write(isolated_database):
    org = small_org()
    kr_id = tracked(org).increase
    _, survey_id, _ = make_planned(org)
    answerers = add_answerers(org.growth, KILLS * PEOPLE_PER_RUN)
    db.close_all()
    rng = random.Random(SEED)
    checkins: dict[int, float] = {}  # reported id -> value
    answers: dict[int, tuple[int, str]] = {}  # reported answer id -> (person, idea title)
    for run in range(KILLS):
        block = answerers[run * PEOPLE_PER_RUN:(run + 1) * PEOPLE_PER_RUN]
        process, lines = start(isolated_database, "write", kr_id, survey_id, block[0], block[-1])
        for line in kill_after(process, lines, "checkin", rng.uniform(0.05, 1.0)):
            if line[0] == "checkin":
                checkins[int(line[1])] = float(line[2])
            else:
                answers[int(line[1])] = (int(line[2]), " ".join(line[3:]))

        assert open_checked(isolated_database) == [], f"run {run}: migrations had to be applied again"
        stored = {r["id"]: r["value"] for r in db.rows("SELECT id, value FROM checkins WHERE kr_id = ?", [kr_id])}
        lost = {i: v for i, v in checkins.items() if stored.get(i) != v}
        assert not lost, f"run {run}: reported check-ins missing or changed: {lost}"
        for answer_id, (person_id, title) in answers.items():
            found = db.row("""SELECT a.payload, p.status FROM survey_answers a JOIN survey_participation p
                              ON p.survey_id = a.survey_id AND p.person_id = a.person_id
                              WHERE a.id = ? AND a.person_id = ?""", [answer_id, person_id])
            assert found is not None and title in found["payload"] and found["status"] == "submitted", (
                f"run {run}: reported answer {answer_id} of person {person_id} is missing")
            assert db.scalar("SELECT count(*) FROM ideas WHERE answer_id = ? AND title = ?", [answer_id, title]) == 1
        db.close_all()
    assert len(checkins) >= KILLS and answers  # the writers did write
    print(f"\ncrash safety: {KILLS} SIGKILLs, {len(checkins)} check-ins and {len(answers)} survey answers reported, "
          "0 lost, migrations intact")


@pytest.mark.parametrize("index", range(len(migrations.MIGRATIONS)))
def test_a_start_killed_inside_a_migration_is_finished_by_the_next_start(tmp_path, monkeypatch, index):
    database = tmp_path / "unmigrated.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(database))  # where people.create below writes
    process, lines = start(database, "migrate-slowly", index)
    assert [line for line in kill_after(process, lines, "inside", 0) if line] == [["inside"]]

    names = [m.__name__ for m in migrations.MIGRATIONS]
    assert open_checked(database) == names[index:]  # the killed migration left nothing half-done behind
    assert people.create("After Crash", "after@example.com") > 0
    db.close_all()
    assert open_checked(database) == []


def test_starts_killed_at_random_moments_leave_a_database_the_next_start_completes(tmp_path):
    rng = random.Random(SEED)
    env = {**os.environ, "OKRDASH_DEMO": "0"}
    for attempt in range(5):
        database = tmp_path / f"start-{attempt}.duckdb"
        process = subprocess.Popen([sys.executable, "-c", "from okrdash import db; db.database()"], cwd=ROOT,
                                   env={**env, "OKRDASH_DB": str(database)})
        time.sleep(rng.uniform(0.3, 1.2))  # importing takes most of it; some kills land inside the migrations
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        open_checked(database)
        db.close_all()
