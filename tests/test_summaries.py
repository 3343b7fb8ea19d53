"""The summaries the dashboards read (okrdash/summaries/): kept by every write in its own transaction, they always
equal a rebuild from scratch — after a random mix of real writes (hypothesis), after the demo is built, a CSV
import, a restored backup, two check-ins racing on one team, and they are repaired by `rebuild-summaries`."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
import threading
from contextlib import suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash import auth, backup, checkins, db, imports, key_results, publications, summaries
from okrdash.errors import OkrError
from okrdash.storage import changes
from tests.backends import duckdb_only

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 18)
NOW = dt.datetime(2026, 11, 18, 10, 0)
TABLES = {"kr_summaries": "kr_id", "kr_checkin_states": "checkin_id", "kr_weeks": "kr_id, week"}


def _comparable(value):
    return round(value, 9) if isinstance(value, float) and math.isfinite(value) else value


def kept() -> dict[str, list[tuple]]:
    """Every summary row, in key order (floats to 9 decimals: the same SQL over a different set of rows may add
    in another order)."""
    return {table: [tuple(_comparable(v) for v in row) for row in db.cursor().execute(
        f"SELECT * FROM {table} ORDER BY {order}").fetchall()] for table, order in TABLES.items()}


def rebuilt() -> dict[str, list[tuple]]:
    """The summaries computed from scratch (left in place)."""
    with db.transaction() as cur:
        summaries.rebuild(cur)
    return kept()


def assert_kept_equals_rebuilt() -> None:
    before = kept()
    assert before["kr_summaries"], "no summaries at all"
    after = rebuilt()
    for table in TABLES:
        assert before[table] == after[table], f"{table} differs from a rebuild"


class Org:
    """The demo organisation's teams, leads and key results (read once)."""

    def __init__(self) -> None:
        self.teams = list(db.rows(
            """SELECT o.team_id, o.quarter, o.id AS objective_id, m.person_id AS lead
               FROM objectives o JOIN memberships m ON m.team_id = o.team_id AND m.role = 'lead'
               WHERE o.status = 'published' AND o.quarter IN ('2026-Q3', '2026-Q4')
               ORDER BY o.team_id, o.quarter"""))

    def krs(self, team: dict) -> list[dict]:
        return db.rows("""SELECT k.id, k.kind, k.archived_at FROM key_results k WHERE k.objective_id = ?
                          ORDER BY k.position, k.id""", [team["objective_id"]])


WRITES = ["checkin", "checkin", "correction", "first", "edit", "relative", "add", "archive", "restore", "publish",
          "draft", "raw_delete", "import"]


def write(org: Org, kind: str, pick: int, n: int) -> None:
    """One write through the library (or plain SQL, as tests and admins do); a write the rules refuse writes
    nothing."""
    team = org.teams[pick % len(org.teams)]
    lead = auth.load(team["lead"])
    krs = org.krs(team)
    kr = krs[n % len(krs)] if krs else None
    quarter_start = dt.date(2026, 7, 1) if team["quarter"] == "2026-Q3" else dt.date(2026, 10, 1)
    with suppress(OkrError):
        if kind in ("checkin", "correction", "first") and kr:  # a new day, or a correction of the latest or first
            day = db.scalar(f"SELECT {'min' if kind == 'first' else 'max'}(checked_on) FROM checkins WHERE kr_id = ?",
                            [kr["id"]])
            if kind == "checkin" or day is None:
                day = min(TODAY, quarter_start + dt.timedelta(days=(n * 5) % 92))
            fields = {"done": n % 2 == 0} if kr["kind"] == "milestone" else {"value": 3 + n * 1.5}
            checkins.record(lead, kr["id"], confidence=n % 11, checked_on=day, today=TODAY, **fields)
        elif kind == "edit" and kr and kr["kind"] != "milestone":
            key_results.update(lead, kr["id"], {"baseline": n % 7, "target": 40 + n, "due_on": quarter_start
                                                + dt.timedelta(days=30 + n % 60)}, now=NOW)
        elif kind == "relative" and kr and kr["kind"] != "milestone":
            key_results.update(lead, kr["id"], {"kind": "increase_by", "change_pct": 5 + n, "baseline": None},
                               now=NOW)
        elif kind == "add":
            key_results.add(lead, team["team_id"], team["quarter"], {
                "title": f"Grow weekly demos from 10 to {20 + n}", "kind": "increase_to", "metric": "weekly demos",
                "baseline": 10, "target": 20 + n, "owner_id": lead.person_id}, now=NOW)
        elif kind == "archive" and kr:
            key_results.archive(lead, kr["id"], now=NOW)
        elif kind == "restore":
            gone = [k for k in krs if k["archived_at"] is not None]
            if gone:
                key_results.restore(lead, gone[n % len(gone)]["id"], now=NOW)
        elif kind == "publish":
            publications.freeze(team["objective_id"], published_by=lead.person_id, now=NOW)
        elif kind == "draft":  # an objective back in draft (replaced): its key results leave the dashboards
            db.execute("UPDATE objectives SET status = 'draft' WHERE id = ?", [team["objective_id"]],
                       scope=(team["team_id"], team["quarter"]))
        elif kind == "raw_delete" and kr:  # plain SQL naming no scope, as a test or an admin script writes
            db.execute("""DELETE FROM checkins WHERE id = (SELECT max(id) FROM checkins WHERE kr_id = ?
                          AND id NOT IN (SELECT checkin_id FROM checkin_acks))""", [kr["id"]])
        elif kind == "import" and kr:
            row = db.row("""SELECT t.name AS team, o.quarter, k.title, k.kind, p.email FROM key_results k
                            JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
                            JOIN people p ON p.id = ? WHERE k.id = ?""", [lead.person_id, kr["id"]])
            value = "done" if row["kind"] == "milestone" else str(7 + n)
            day = quarter_start + dt.timedelta(days=(n * 3) % 40)
            admin = auth.load_by_email("maya.okafor@harbor.example")
            imports.import_checkins(admin, (f"team,quarter,key_result,date,value,confidence,comment,person_email\n"
                                            f"{row['team']},{row['quarter']},\"{row['title']}\",{day},{value},6,,"
                                            f"{row['email']}\n").encode(), now=NOW)


@pytest.fixture
def org(demo_db_fixed) -> Org:
    return Org()


writes = st.lists(st.tuples(st.sampled_from(WRITES), st.integers(0, 40), st.integers(0, 60)), min_size=1,
                  max_size=6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=writes)
def test_kept_summaries_always_equal_a_rebuild_after_any_mix_of_writes(org, steps):
    for kind, pick, n in steps:
        write(org, kind, pick, n)
    assert_kept_equals_rebuilt()


def test_the_demo_is_built_with_its_summaries(demo_db_fixed):
    assert db.scalar("SELECT count(*) FROM kr_summaries") == db.scalar("SELECT count(*) FROM key_results")
    assert db.scalar("SELECT count(*) FROM kr_checkin_states") > 1000
    assert_kept_equals_rebuilt()


def test_a_check_in_rewrites_its_own_key_result_and_nothing_else(org):
    team = org.teams[3]
    kr = org.krs(team)[0]
    before = {row[0]: row for row in kept()["kr_summaries"]}
    checkins.record(auth.load(team["lead"]), kr["id"], value=12.5, done=True, confidence=8, today=TODAY)
    after = {row[0]: row for row in kept()["kr_summaries"]}
    assert after.pop(kr["id"]) != before.pop(kr["id"])
    assert after == before
    assert_kept_equals_rebuilt()


def test_a_csv_import_of_key_results_and_check_ins_keeps_the_summaries(org):
    admin = auth.load_by_email("maya.okafor@harbor.example")
    imports.import_okrs(admin, (
        b"team,quarter,objective,key_result,kind,metric,unit,baseline,target,owner_email,due\n"
        b"Developer Platform,2027-Q1,Make the platform self-serve,Cut build time from 20 to 8,decrease_to,"
        b"build minutes,min,20,8,noor.alsayed@harbor.example,\n"
        b"Developer Platform,2027-Q1,Make the platform self-serve,Ship the self-serve console,milestone,"
        b"Every team can start a service alone,,,,"
        b"noor.alsayed@harbor.example,\n"), now=NOW)
    imports.import_checkins(admin, (
        "team,quarter,key_result,date,value,confidence,comment,person_email\n"
        "Onboarding,2026-Q4,\"" + db.scalar(
            """SELECT k.title FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN teams t
               ON t.id = o.team_id WHERE t.name = 'Onboarding' AND o.quarter = '2026-Q4' AND k.kind <> 'milestone'
               AND k.archived_at IS NULL ORDER BY k.position LIMIT 1""")
        + "\",2026-11-17,42,7,Imported,tomas.herrera@harbor.example\n").encode(), now=NOW)
    assert_kept_equals_rebuilt()


@duckdb_only
def test_a_restored_backup_gets_its_summaries_computed(org):
    admin = auth.load_by_email("maya.okafor@harbor.example")
    data = backup.backup(admin)
    db.execute("DELETE FROM kr_weeks")  # a damaged copy: the restore recomputes rather than trusts
    db.execute("UPDATE kr_summaries SET status = 'on_track', checkins = 0")
    damaged = backup.backup(admin)
    backup.restore(admin, damaged)
    assert db.scalar("SELECT count(*) FROM kr_weeks") > 0
    assert_kept_equals_rebuilt()
    backup.restore(admin, data)
    assert_kept_equals_rebuilt()


@duckdb_only
def test_rebuild_summaries_repairs_them_from_the_command_line(org):
    right = kept()
    db.execute("UPDATE kr_summaries SET status = 'off_track', score = 0.5")
    db.execute("DELETE FROM kr_checkin_states WHERE kr_id IN (SELECT kr_id FROM kr_summaries WHERE kr_id % 2 = 0)")
    assert kept() != right
    target = str(db.database_path())
    db.close_all()  # DuckDB lets one process open the file
    env = {**os.environ, "OKRDASH_DB": target}
    done = subprocess.run([sys.executable, "-m", "okrdash", "rebuild-summaries"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Rebuilt the summaries of" in done.stdout
    assert kept() == right


def test_two_check_ins_at_the_same_moment_on_two_key_results_of_one_team_do_not_collide(org):
    team = org.teams[5]
    krs = [k for k in org.krs(team) if k["kind"] != "milestone" and k["archived_at"] is None]
    lead = auth.load(team["lead"])
    targets = [krs[0]["id"], krs[1]["id"]]
    meet = threading.Barrier(2, timeout=10)
    waited: set[int] = set()
    attempts: list[int] = []

    def hold(cur, written, scopes) -> None:  # both have written their check-in; neither has committed
        attempts.append(threading.get_ident())
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            with suppress(threading.BrokenBarrierError):
                meet.wait()

    errors: list[BaseException] = []

    def check_in(kr_id: int, value: float) -> None:
        try:
            checkins.record(lead, kr_id, value=value, confidence=7, today=TODAY)
        except BaseException as error:
            errors.append(error)

    changes._before_commit.insert(0, hold)  # before the summaries' own hook
    try:
        threads = [threading.Thread(target=check_in, args=(kr_id, 50 + i)) for i, kr_id in enumerate(targets)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        changes._before_commit.remove(hold)
    assert not errors
    assert len(attempts) == 2  # each writes its own KR's summary rows: neither had to append again
    stored = db.column("SELECT value FROM checkins WHERE kr_id = ANY(?) AND checked_on = ?", [targets, TODAY])
    assert {50.0, 51.0} <= set(stored)
    assert_kept_equals_rebuilt()


def test_twenty_check_ins_at_once_on_one_key_result_are_all_kept(org):
    """A crowd checking in on one key result takes turns on its summary row (checkins.record's serial lock): none
    is refused as a conflict, and the summaries equal a rebuild."""
    team = org.teams[5]
    kr_id = next(k["id"] for k in org.krs(team) if k["kind"] != "milestone" and k["archived_at"] is None)
    lead = auth.load(team["lead"])
    start = threading.Barrier(20, timeout=10)
    errors: list[BaseException] = []

    def check_in(value: float) -> None:
        start.wait()
        try:
            checkins.record(lead, kr_id, value=value, confidence=7, checked_on=TODAY - dt.timedelta(days=value % 5),
                            today=TODAY)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=check_in, args=(100 + n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    stored = db.column("SELECT value FROM checkins WHERE kr_id = ? AND value >= 100", [kr_id])
    assert sorted(stored) == [100.0 + n for n in range(20)]
    assert_kept_equals_rebuilt()
