"""PostgreSQL as okrdash's shared storage: copy-to from DuckDB gives identical dashboards, the operator CLI says what
is wrong in one line, bad settings never fall back to the DuckDB file, and one process sees another's writes.

These tests start a PostgreSQL server of their own (the `postgres` fixture) when the suite runs on DuckDB."""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from okrdash import auth, checkins, db, demo, ideas, operations, publications, quarters, scores
from okrdash import dashboards as board
from okrdash.dashboards import alignment, over_time
from okrdash.dashboards import team as team_board
from okrdash.demo import large
from okrdash.errors import ValidationError
from okrdash.ui import memo
from tests.backends import POSTGRES_SECRET_KEY, postgres_only
from tests.conftest import DEMO_SEED, DEMO_TODAY
from tests.test_summaries import assert_kept_equals_rebuilt

ROOT = Path(__file__).resolve().parents[1]
TODAY = DEMO_TODAY


def use(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    """Point okrdash at `target` (a DuckDB file or a PostgreSQL URL) from now on."""
    db.close_all()
    if target.startswith("postgresql"):
        monkeypatch.setenv("OKRDASH_DATABASE_URL", target)
        monkeypatch.setenv("OKRDASH_SECRET_KEY", POSTGRES_SECRET_KEY)
    else:
        monkeypatch.delenv("OKRDASH_DATABASE_URL", raising=False)
        monkeypatch.setenv("OKRDASH_DB", target)


def plain(value):
    """A read's result in a form both engines agree on: frames as records, floats rounded, times as ISO text."""
    if isinstance(value, pd.DataFrame):
        return plain(value.to_dict("records"))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    if isinstance(value, pd.Timestamp | dt.datetime):
        return pd.Timestamp(value).isoformat()
    if hasattr(value, "item"):
        return plain(value.item())
    return value


def every_dashboard_read() -> dict[str, object]:
    """Every dashboard query for the organisation's manager, per quarter, team and key result."""
    maya = auth.load(db.scalar("SELECT person_id FROM manager_scopes WHERE team_id IS NULL ORDER BY person_id LIMIT 1"))
    found: dict[str, object] = {"history": over_time.team_scores_by_quarter(maya, today=TODAY)}
    for quarter in quarters.keys():  # noqa: SIM118  (the quarters module, not a dict)
        for name, read in [("counts", board.kr_status_counts_by_team), ("shares", board.kr_status_share_by_department),
                           ("participation", board.participation_by_team), ("stale", board.stale_key_results),
                           ("totals", board.overview_totals), ("alignment", alignment.objectives_by_company_objective),
                           ("serving", alignment.team_objective_counts_by_company_objective)]:
            found[f"{name} {quarter}"] = read(maya, quarter, today=TODAY) if name not in ("serving",) \
                else read(maya, quarter)
        found[f"weeks {quarter}"] = over_time.team_status_by_week(maya, quarter, today=TODAY)
        for team in db.column("SELECT DISTINCT team_id FROM objectives WHERE quarter = ? ORDER BY team_id", [quarter]):
            found[f"team {team} {quarter}"] = team_board.team_key_results(maya, team, quarter, TODAY)
            found[f"confidence {team} {quarter}"] = team_board.confidence_by_checkin(maya, team, quarter, TODAY)
            found[f"scores {team} {quarter}"] = scores.kr_scores(team, quarter, TODAY)
        found[f"published {quarter}"] = publications.overview_page(maya, quarter, "", 1, 50)
    for kr in db.column("SELECT id FROM key_results ORDER BY id")[::7]:
        found[f"kr {kr}"] = (team_board.kr_value_series(maya, kr, TODAY), checkins.history(maya, kr))
    return {key: plain(value) for key, value in found.items()}


def copied_reads_agree(monkeypatch, source: str, target: str) -> None:
    use(monkeypatch, source)
    before = every_dashboard_read()
    counts = operations.copy_to(target)
    use(monkeypatch, target)
    assert sum(counts.values()) > 0
    after = every_dashboard_read()
    assert before.keys() == after.keys()
    differing = [key for key in before if before[key] != after[key]]
    assert not differing, f"{len(differing)} reads differ after copy-to, e.g. {differing[:3]}"
    assert_kept_equals_rebuilt()  # the copied summaries are what PostgreSQL computes from the copied check-ins
    never_vacuumed = db.column("SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 0 AND last_vacuum IS NULL")
    assert not never_vacuumed, f"copy-to left {never_vacuumed} for autovacuum to find"


def test_copy_to_of_the_demo_gives_identical_dashboards(monkeypatch, tmp_path, postgres):
    source = str(tmp_path / "demo.duckdb")
    use(monkeypatch, source)
    demo.generate(seed=DEMO_SEED, today=TODAY)
    copied_reads_agree(monkeypatch, source, postgres.create(tmp_path))


def test_copy_to_of_the_large_company_gives_identical_dashboards(monkeypatch, tmp_path, postgres):
    for name, value in (("DEPARTMENTS", 2), ("TEAMS_PER_DEPARTMENT", 3), ("PEOPLE", 80)):
        monkeypatch.setattr(large, name, value)
    source = str(tmp_path / "large.duckdb")
    use(monkeypatch, source)
    large.generate(seed=3, today=TODAY)
    copied_reads_agree(monkeypatch, source, postgres.create(tmp_path))


def test_copy_to_refuses_a_database_that_holds_data(monkeypatch, tmp_path, postgres):
    target = postgres.create(tmp_path)
    use(monkeypatch, target)
    quarters.ensure("2026-Q4", current=True)
    use(monkeypatch, str(tmp_path / "empty.duckdb"))
    quarters.ensure("2026-Q4", current=True)
    with pytest.raises(ValidationError, match="already holds data"):
        operations.copy_to(target)


def cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k != "OKRDASH_DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "okrdash", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**clean, **env})


def one_clear_line(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and all(word in lines[0] for word in words), lines


def test_check_says_what_is_wrong_in_one_line(tmp_path, postgres):
    one_clear_line(cli("check", OKRDASH_DATABASE_URL="postgresql://okr:secret@[nowhere/okr"),
                   "OKRDASH_DATABASE_URL", "not a valid PostgreSQL URL")
    one_clear_line(cli("check", OKRDASH_DATABASE_URL="mysql://okr@db/okr"), "must be a PostgreSQL URL")
    one_clear_line(cli("check", OKRDASH_DATABASE_URL="postgresql://okr:secret@127.0.0.1:1/okr"),
                   "OKRDASH_DATABASE_URL", "Connection refused")
    wrong_password = postgres.url("postgres").replace("postgres:@", "nobody:wrong@")
    one_clear_line(cli("check", OKRDASH_DATABASE_URL=wrong_password), "OKRDASH_DATABASE_URL", "nobody")
    blank = postgres.create(tmp_path)
    one_clear_line(cli("check", OKRDASH_DATABASE_URL=blank), "python -m okrdash migrate")
    assert cli("migrate", OKRDASH_DATABASE_URL=blank).returncode == 0
    checked = cli("check", OKRDASH_DATABASE_URL=blank)
    assert checked.returncode == 0 and "migrations applied" in checked.stdout
    with postgres.connect(blank) as conn:  # a database one migration behind this version of okrdash
        conn.execute("DELETE FROM migrations WHERE name = (SELECT max(name) FROM migrations)")
    one_clear_line(cli("check", OKRDASH_DATABASE_URL=blank), "lacks 1 migration", "migrate")
    assert "secret" not in "".join(cli("check", OKRDASH_DATABASE_URL="postgresql://okr:secret@[x/okr").stderr)


def test_check_says_so_when_the_server_is_stopped(tmp_path):
    from tests.backends import PostgresStorage

    server = PostgresStorage()
    url = server.create(tmp_path)
    assert cli("migrate", OKRDASH_DATABASE_URL=url).returncode == 0
    server.close()
    one_clear_line(cli("check", OKRDASH_DATABASE_URL=url), "OKRDASH_DATABASE_URL", "cannot be used")


def test_a_bad_url_in_the_app_is_one_clear_line_and_the_file_is_left_alone(monkeypatch, tmp_path):
    from tests.pages.apptest import open_page

    file = tmp_path / "never.duckdb"
    monkeypatch.setenv("OKRDASH_DB", str(file))
    for url, words in [("postgresql://okr:secret@127.0.0.1:1/okr", "Connection refused"),
                       ("postgresql://okr:secret@[x/okr", "not a valid PostgreSQL URL"),
                       ("sqlite:///okr.db", "must be a PostgreSQL URL")]:
        db.close_all()
        monkeypatch.setenv("OKRDASH_DATABASE_URL", url)
        at = open_page(None)
        shown = [e.value for e in at.error]
        assert len(shown) == 1 and "OKRDASH_DATABASE_URL" in shown[0] and words in shown[0], shown
        assert "secret" not in shown[0] and not at.exception
    assert not file.exists()


@postgres_only
def test_another_process_writes_refresh_this_processes_cached_reads(demo_db, tmp_path):
    maya = auth.load_by_email("maya.okafor@harbor.example")
    kr = db.row("""SELECT k.id, o.team_id FROM key_results k JOIN objectives o ON o.id = k.objective_id
                   WHERE o.quarter = ? AND o.status = 'published' AND k.kind = 'milestone'
                     AND k.id NOT IN (SELECT kr_id FROM awaiting_publish) LIMIT 1""", [quarters.current_key()])
    before = memo.call(checkins.history, maya, kr["id"])
    script = f"""
import datetime as dt
from okrdash import auth, checkins, db
lead = auth.load(db.scalar("SELECT person_id FROM memberships WHERE team_id = {kr['team_id']} AND role = 'lead'"))
checkins.record(lead, {kr['id']}, done=True, confidence=10, comment="from the other process",
                today=dt.date.fromisoformat("{TODAY.isoformat()}"))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert memo.call(checkins.history, maya, kr["id"]) == before  # kept: this process has not looked yet
    deadline = dt.datetime.now() + dt.timedelta(seconds=5)
    seen = before
    while seen == before and dt.datetime.now() < deadline:
        db.sync()  # what every script run does first (app.py)
        seen = memo.call(checkins.history, maya, kr["id"])
    assert len(seen) == len(before) + 1 and seen[0]["comment"] == "from the other process"


@postgres_only
def test_a_slow_transaction_committing_after_a_faster_one_is_still_seen(org, monkeypatch):
    """Transaction ids do not commit in order: a poll must not skip the slow one (postgres_engine's docstring)."""
    from okrdash.storage import postgres_engine

    monkeypatch.setattr(postgres_engine, "ORIGIN", "this test plays another process")  # so polls count our writes
    db.database()._next_poll = 0
    slow = db.fresh_cursor()
    slow.execute("BEGIN")
    slow.execute("SELECT 1").fetchall()
    slow._session.execute("""INSERT INTO change_log (origin, txid, tables) VALUES
                             ('elsewhere', CAST(CAST(pg_current_xact_id() AS text) AS bigint), 'ideas')""", ())
    db.execute("INSERT INTO quarters (key, starts_on, ends_on) VALUES ('2030-Q1', '2030-01-01', '2030-03-31')")
    before = db.version_of(["ideas"])
    db.database()._next_poll = 0
    db.sync()
    assert db.version_of(["ideas"]) == before  # not committed yet
    slow.execute("COMMIT")
    db.database()._next_poll = 0
    db.sync()
    assert db.version_of(["ideas"]) != before


@postgres_only
def test_two_processes_choosing_an_objective_at_once_leave_exactly_one(org):
    """The one-objective rule across processes: both try at the same moment, the database's UNIQUE decides."""
    quarter, team = org.next_quarter, org.growth
    ideas_ = [ideas.create(team, quarter, title) for title in ("First idea", "Second idea")]
    db.close_all()
    script = f"""
import datetime as dt, sys, time
from okrdash import auth, objectives
from okrdash.errors import Conflict
start = float(sys.argv[3])
time.sleep(max(0, start - time.time()))
try:
    objectives.select(auth.load({org.lead.person_id}), {team}, "{quarter}", idea_id=int(sys.argv[1]),
                      title=sys.argv[2], now=dt.datetime.fromisoformat("{TODAY.isoformat()}T10:00"))
    print("chosen")
except Conflict as error:
    print("refused:", error.message)
"""
    start = __import__("time").time() + 3
    runs = [subprocess.Popen([sys.executable, "-c", script, str(idea), f"Objective {n}", str(start)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for n, idea in enumerate(ideas_)]
    outcomes = sorted(run.communicate(timeout=60)[0].strip() for run in runs)
    assert outcomes[0] == "chosen" and outcomes[1].startswith("refused:") and "already has its one objective" in \
        outcomes[1], outcomes
    assert db.scalar("SELECT count(*) FROM objectives WHERE team_id = ? AND quarter = ?", [team, quarter]) == 1
