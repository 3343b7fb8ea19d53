"""Export every table, back the database up and restore it — admins only.

A backup is a zip of one Parquet file per table plus a manifest (the migrations it was taken at, row counts),
written from one transaction so it is a consistent snapshot. Restoring builds a fresh database with this
version's migrations, loads only those known tables from the Parquet files (no SQL from the archive is ever run),
moves the sequences past the restored ids, and only then swaps it in for the live file, which is kept beside it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from okrdash import auth, db, migrations, summaries
from okrdash.errors import ValidationError
from okrdash.migrations import domain as awaiting
from okrdash.storage import duckdb_engine

MANIFEST = "manifest.json"


def tables() -> list[str]:
    """The application's tables, in foreign-key order (the order they were created)."""
    return db.cursor().tables()


def _write_tables(folder: Path, file_format: str) -> dict[str, int]:
    """Write every table into `folder` from one transaction (a consistent snapshot); return row counts. CSV cells
    that start like a formula get an apostrophe (okrdash.csv_safe's rule, applied by the engine)."""
    with db.transaction() as cur:
        return {table: cur.export_table(table, folder / f"{table}.{file_format}", file_format)
                for table in cur.tables()}


def _zip(folder: Path, manifest: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
        if manifest is not None:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    return buffer.getvalue()


def export_tables(actor: auth.Actor, file_format: str = "csv") -> bytes:
    """A zip with every table as CSV (formula cells neutralised, for spreadsheets) or Parquet (for analysis)."""
    auth.require_admin(actor, "export the data")
    if file_format not in ("csv", "parquet"):
        raise ValidationError("Export as csv or parquet.")
    with tempfile.TemporaryDirectory(prefix="okrdash-export-") as folder:
        _write_tables(Path(folder), file_format)
        return _zip(Path(folder))


def backup(actor: auth.Actor, now: dt.datetime | None = None) -> bytes:
    """A consistent backup of the whole database as a zip (Parquet per table + manifest): admins only."""
    auth.require_admin(actor, "back up the database")
    return take(now)


def take(now: dt.datetime | None = None) -> bytes:
    """The backup itself, for the Admin page and the operator's `python -m okrdash backup` (no role check)."""
    _require_duckdb("Back it up")
    with tempfile.TemporaryDirectory(prefix="okrdash-backup-") as folder:
        counts = _write_tables(Path(folder), "parquet")
        manifest = {"app": "okrdash", "taken_at": (now or dt.datetime.now()).isoformat(timespec="seconds"),
                    "migrations": migrations.applied(db.cursor()), "rows": counts}
        return _zip(Path(folder), manifest)


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        raise ValidationError("This file is not an okrdash backup (it has no readable manifest.json).") from None
    if manifest.get("app") != "okrdash" or not isinstance(manifest.get("rows"), dict):
        raise ValidationError("This file is not an okrdash backup.")
    known = [m.__name__ for m in migrations.MIGRATIONS]
    taken_at = manifest.get("migrations", [])
    if taken_at != known[: len(taken_at)]:
        raise ValidationError("This backup comes from a newer or different okrdash version; update okrdash first.")
    return manifest


def restore(actor: auth.Actor, data: bytes, now: dt.datetime | None = None) -> dict[str, int]:
    """Replace the database with a backup (admins only); the current file is kept beside it."""
    auth.require_admin(actor, "restore the database")
    return restore_from(data, now)


def restore_from(data: bytes, now: dt.datetime | None = None) -> dict[str, int]:
    """Replace the database with a backup; the current file is kept as <name>.before-restore-<time>.duckdb. For the
    Admin page and the operator's `python -m okrdash restore` (no role check)."""
    _require_duckdb("Restore it")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValidationError("This file is not a zip archive; choose a backup downloaded from okrdash.") from None
    manifest = _read_manifest(archive)
    live = db.database_path()
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="okrdash-restore-") as folder:
        work = Path(folder)
        fresh = work / "restored.duckdb"
        counts = _load(fresh, archive, manifest, work)
        kept = live.with_name(f"{live.stem}.before-restore-{stamp}{live.suffix}")
        db.close_all()
        if live.exists():
            shutil.move(live, kept)
        shutil.move(fresh, live)
    db.database()
    db.invalidate()  # pages cache reads by data version: none of them may outlive the old file
    return counts


def _load(fresh: Path, archive: zipfile.ZipFile, manifest: dict, work: Path) -> dict[str, int]:
    """Build a database at `fresh` with this version's migrations and the backup's rows (Parquet only, never SQL)."""
    database = duckdb_engine.Database(fresh)
    try:
        cur = db.Cursor(database.session(), duckdb_engine.STYLE, str(fresh))
        migrations.apply(cur)
        with cur.own_transaction():
            counts = {}
            for table in cur.tables():
                if table == "migrations" or table not in manifest["rows"]:
                    continue
                member = f"{table}.parquet"
                if member not in archive.namelist():
                    raise ValidationError(f"The backup lists {table} but has no {member}; it is damaged.")
                target = work / member
                target.write_bytes(archive.read(member))
                counts[table] = cur.load_table(table, target)
                if counts[table] != manifest["rows"][table]:
                    raise ValidationError(f"The backup's {table} has {counts[table]} rows, its manifest says "
                                          f"{manifest['rows'][table]}; it is damaged.")
            if "awaiting_publish" not in manifest["rows"]:  # a backup from before m011: work it out as it did
                awaiting.mark_awaiting_publish(cur)
            summaries.rebuild(cur)  # derived: computed here whatever the backup holds (or, before m014, lacks)
            advance_sequences(cur)
    finally:
        database.close()
    return counts


def advance_sequences(cur: db.Cursor) -> None:
    """Move each table's id sequence (seq_<table>) past the highest id it holds."""
    present = set(cur.tables())
    for sequence in cur.sequences():
        table = sequence.removeprefix("seq_")
        if table not in present or "id" not in {name for name, _ in cur.columns(table)}:
            continue
        highest = cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        if highest:
            cur.advance_sequence(sequence, int(highest))


POSTGRES_BACKUPS = ("okrdash keeps its data in PostgreSQL here: back it up and restore it with PostgreSQL's own "
                    "tools (`pg_dump -Fc` and `pg_restore`, or your provider's snapshots). See the README, "
                    "“Running several replicas”.")


def file_backups() -> bool:
    """Whether backups are this module's files (DuckDB), rather than the PostgreSQL server's business."""
    return db.backend() == "duckdb"


def _require_duckdb(what: str) -> None:
    if not file_backups():
        raise ValidationError(f"okrdash keeps its data in PostgreSQL here. {what} with PostgreSQL's own tools "
                              "(pg_dump and pg_restore, or your provider's backups): see the README.")
