"""Storage layer: migrations, cursors per thread, transactions, and the clear message for a held file."""

import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from okrdash import db, migrations, setup
from okrdash.errors import Conflict, DatabaseLocked
from tests.backends import duckdb_only

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.blank_database
def test_blank_database_is_migrated_on_open(isolated_database):
    assert not isolated_database.exists()
    db.database()
    assert db.column("SELECT name FROM migrations") == [m.__name__ for m in migrations.MIGRATIONS]
    tables = set(db.column("SELECT table_name FROM information_schema.tables"))
    assert {"quarters", "people", "teams", "memberships", "strategy_items", "surveys", "ideas", "ranking_rounds",
            "ballots", "objectives", "deprioritized", "key_results", "checkins", "publications"} <= tables


def test_migrations_apply_once_and_are_recorded():
    db.database()  # opening applied them all
    conn = db.fresh_cursor()
    assert migrations.apply(conn) == []
    assert migrations.applied(conn) == sorted(m.__name__ for m in migrations.MIGRATIONS)
    assert migrations.missing(conn) == []


def test_demo_database_migrates_again_cleanly(demo_db):
    assert migrations.apply(db.fresh_cursor()) == []


def test_one_objective_per_team_and_quarter_is_a_database_constraint(org):
    db.execute("INSERT INTO objectives (team_id, quarter, title) VALUES (?, ?, 'First')", [org.growth, org.quarter])
    with pytest.raises(db.ConstraintViolation):
        db.execute("INSERT INTO objectives (team_id, quarter, title) VALUES (?, ?, 'Second')",
                   [org.growth, org.quarter])


def test_200_threads_times_25_inserts_lose_nothing():
    db.database()
    db.execute("CREATE TABLE stress (id BIGINT PRIMARY KEY DEFAULT nextval('seq_ideas'), thread INT, n INT)")
    errors = []

    def work(thread: int) -> None:
        try:
            for n in range(25):
                with db.transaction() as cur:
                    cur.execute("INSERT INTO stress (thread, n) VALUES (?, ?)", [thread, n])
        except Exception as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.scalar("SELECT count(*) FROM stress") == 5000
    assert db.scalar("SELECT count(DISTINCT (thread, n)) FROM stress") == 5000
    assert db.scalar("SELECT count(DISTINCT id) FROM stress") == 5000


def test_failed_transaction_rolls_back_everything():
    db.database()
    with pytest.raises(RuntimeError), db.transaction() as cur:
        cur.execute("INSERT INTO quarters (key, starts_on, ends_on) VALUES ('2030-Q1', '2030-01-01', '2030-03-31')")
        raise RuntimeError("boom")
    assert db.scalar("SELECT count(*) FROM quarters") == 0


def test_nested_transactions_join_the_outer_one():
    db.database()
    with pytest.raises(RuntimeError), db.transaction():
        with db.transaction() as inner:
            inner.execute(
                "INSERT INTO quarters (key, starts_on, ends_on) VALUES ('2030-Q1', '2030-01-01', '2030-03-31')")
        raise RuntimeError("outer fails after the inner block")
    assert db.scalar("SELECT count(*) FROM quarters") == 0


def test_concurrent_update_of_one_row_is_a_clear_conflict():
    """A transaction that updates a row another transaction changed since it began loses, on both engines, with
    the same friendly Conflict (PostgreSQL runs transactions at REPEATABLE READ for this)."""
    db.execute("INSERT INTO quarters (key, starts_on, ends_on) VALUES ('2030-Q1', '2030-01-01', '2030-03-31')")
    other = db.fresh_cursor()
    with pytest.raises(Conflict, match="try again"), db.transaction() as cur:
        cur.execute("SELECT is_current FROM quarters WHERE key = '2030-Q1'").fetchall()  # its snapshot
        other.execute("BEGIN TRANSACTION")
        other.execute("UPDATE quarters SET is_current = true WHERE key = '2030-Q1'")
        other.execute("COMMIT")
        cur.execute("UPDATE quarters SET is_current = false WHERE key = '2030-Q1'")
    assert db.scalar("SELECT is_current FROM quarters WHERE key = '2030-Q1'") is True


def test_writes_bump_the_data_version():
    db.database()
    before = db.data_version()
    db.execute("INSERT INTO quarters (key, starts_on, ends_on) VALUES ('2030-Q1', '2030-01-01', '2030-03-31')")
    assert db.data_version() > before


@duckdb_only
def test_second_process_gets_a_clear_message_naming_the_file(isolated_database):
    db.database()  # this process now holds the file
    result = subprocess.run(
        [sys.executable, "-m", "okrdash.demo", "--db", str(isolated_database)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert str(isolated_database) in result.stderr
    assert "in use by another program" in result.stderr
    assert "Traceback" not in result.stderr


@duckdb_only
def test_app_start_reports_a_held_file_instead_of_raising(isolated_database):
    db.database()
    code = "from okrdash import setup; print(setup.startup_problem())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**__import__("os").environ, "OKRDASH_DB": str(isolated_database)})
    assert "Stop the other okrdash process" in result.stdout
    assert "Traceback" not in result.stderr


@duckdb_only
def test_locked_error_maps_to_database_locked(monkeypatch, isolated_database):
    def refuse(path):
        raise duckdb.IOException(f'IO Error: Could not set lock on file "{path}": Conflicting lock is held in '
                                 "python (PID 4242)")

    monkeypatch.setattr(duckdb, "connect", refuse)
    with pytest.raises(DatabaseLocked, match="process 4242"):
        db.open_database(str(isolated_database))


def test_setup_seeds_demo_data_only_when_enabled_and_empty(monkeypatch):
    monkeypatch.setenv("OKRDASH_DEMO", "0")
    setup.prepare()
    assert db.scalar("SELECT count(*) FROM people") == 0


def test_setup_seeds_demo_data_on_first_start(monkeypatch):
    monkeypatch.setenv("OKRDASH_DEMO", "1")
    setup.prepare()
    assert db.scalar("SELECT count(*) FROM people") == 40
    setup.prepare()  # once per path: no second generation attempt
    assert db.scalar("SELECT count(*) FROM people") == 40
