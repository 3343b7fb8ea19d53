"""Export, backup and restore: admins only, consistent, neutralised, and safe against damaged archives."""

import csv
import io
import json
import zipfile

import pytest

from okrdash import auth, backup, db, people, strategy
from okrdash.errors import PermissionDenied, ValidationError
from tests.backends import duckdb_only, postgres_only


def admin() -> auth.Actor:
    return auth.load_by_email("maya.okafor@harbor.example")


def test_only_admins_export_back_up_and_restore(demo_db):
    member = auth.load_by_email("hannah.weiss@harbor.example")
    for action in (lambda: backup.export_tables(member), lambda: backup.backup(member),
                   lambda: backup.restore(member, b"")):
        with pytest.raises(PermissionDenied, match="Only admins"):
            action()


def test_csv_export_has_every_table_and_neutralises_formulas(demo_db):
    strategy.create(db.scalar("SELECT key FROM quarters WHERE is_current"), "principle", "=HYPERLINK(\"x\",\"y\")")
    archive = zipfile.ZipFile(io.BytesIO(backup.export_tables(admin(), "csv")))
    assert {"people.csv", "checkins.csv", "strategy_items.csv", "objectives.csv"} <= set(archive.namelist())
    rows = list(csv.DictReader(io.StringIO(archive.read("strategy_items.csv").decode())))
    assert "'=HYPERLINK(\"x\",\"y\")" in [r["title"] for r in rows]
    people_rows = list(csv.DictReader(io.StringIO(archive.read("people.csv").decode())))
    assert len(people_rows) == 40


def test_parquet_export_keeps_values_as_they_are(demo_db):
    archive = zipfile.ZipFile(io.BytesIO(backup.export_tables(admin(), "parquet")))
    assert "checkins.parquet" in archive.namelist()


@duckdb_only
def test_backup_then_restore_round_trips_and_keeps_the_old_file(demo_db):
    before = {t: db.scalar(f"SELECT count(*) FROM {t}") for t in ("people", "ideas", "checkins", "ballot_lines")}
    data = backup.backup(admin())
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert manifest["rows"]["checkins"] == before["checkins"]
    people.create("After Backup", "after@example.com")
    counts = backup.restore(admin(), data)
    assert {t: counts[t] for t in before} == before
    assert db.scalar("SELECT count(*) FROM people WHERE email = 'after@example.com'") == 0
    kept = list(demo_db.parent.glob("*.before-restore-*.duckdb"))
    assert len(kept) == 1
    # Sequences continue after the restored ids: new rows get fresh ids.
    new_id = people.create("New After Restore", "new.after@example.com")
    assert new_id > db.scalar("SELECT max(id) FROM people WHERE email <> 'new.after@example.com'")


@duckdb_only
@pytest.mark.parametrize(("data", "message"), [
    (b"not a zip", "not a zip archive"),
    (None, "no readable manifest"),
])
def test_damaged_archives_are_refused_and_nothing_changes(demo_db, data, message):
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("schema.sql", "DROP TABLE people")
        data = buffer.getvalue()
    with pytest.raises(ValidationError, match=message):
        backup.restore(admin(), data)
    assert db.scalar("SELECT count(*) FROM people") == 40


@duckdb_only
def test_a_backup_with_wrong_row_counts_is_refused(demo_db):
    data = backup.backup(admin())
    source = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(source.read("manifest.json"))
    manifest["rows"]["people"] = 41
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, json.dumps(manifest) if name == "manifest.json" else source.read(name))
    with pytest.raises(ValidationError, match="damaged"):
        backup.restore(admin(), buffer.getvalue())
    assert db.scalar("SELECT count(*) FROM people") == 40


@duckdb_only
def test_restore_invalidates_cached_reads(demo_db):
    data = backup.backup(admin())
    before = db.data_version()
    backup.restore(admin(), data)
    assert db.data_version() > before  # ui.cached keys on it: no page may serve pre-restore data


@duckdb_only
def test_a_backup_from_before_awaiting_publish_works_it_out_on_restore(demo_db):
    """Backups taken before migration m011 have no awaiting_publish table: key results added after their team's
    latest published version are found again, as the migration found them."""
    objective = db.row("SELECT id, team_id, quarter FROM objectives WHERE status = 'published' ORDER BY id LIMIT 1")
    late = db.scalar("SELECT max(id) + 1000 FROM key_results")
    db.execute("""INSERT INTO key_results (id, objective_id, position, title, kind, metric, unit, baseline, target)
                  VALUES (?, ?, 9, 'Added after publishing', 'increase_to', 'invoices', '', 1, 2)""",
               [late, objective["id"]])
    source = zipfile.ZipFile(io.BytesIO(backup.backup(admin())))
    manifest = json.loads(source.read("manifest.json"))
    del manifest["rows"]["awaiting_publish"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            if name != "awaiting_publish.parquet":
                archive.writestr(name, json.dumps(manifest) if name == "manifest.json" else source.read(name))
    backup.restore(admin(), buffer.getvalue())
    assert db.column("SELECT kr_id FROM awaiting_publish") == [late]


@postgres_only
def test_on_postgresql_backups_are_pg_dumps_job(demo_db):
    admin = auth.load_by_email("maya.okafor@harbor.example")
    for attempt in (lambda: backup.backup(admin), lambda: backup.restore(admin, b"PK")):
        with pytest.raises(ValidationError, match="pg_dump"):
            attempt()
