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

import duckdb

from okrdash import auth, db, migrations
from okrdash.errors import ValidationError

MANIFEST = "manifest.json"
_FORMULA_START = "^[=+\\-@\t\r]"


def tables() -> list[str]:
    """The application's tables, in foreign-key order (the order they were created)."""
    return db.column("SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_oid")


def _neutralised_select(cur: duckdb.DuckDBPyConnection, table: str) -> str:
    """SELECT of a table whose text cells starting like a formula get an apostrophe (done in DuckDB, not pandas)."""
    columns = cur.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
    ).fetchall()
    parts = [
        f"CASE WHEN regexp_matches({name}, '{_FORMULA_START}') THEN '''' || {name} ELSE {name} END AS {name}"
        if kind == "VARCHAR" else name
        for name, kind in columns
    ]
    return f"SELECT {', '.join(parts)} FROM {table}"


def _write_tables(folder: Path, file_format: str) -> dict[str, int]:
    """Write every table into `folder` from one transaction; return row counts."""
    counts = {}
    with db.transaction() as cur:
        for table in tables():
            target = folder / f"{table}.{file_format}"
            if file_format == "csv":
                cur.execute(f"COPY ({_neutralised_select(cur, table)}) TO '{target}' (HEADER, DELIMITER ',')")
            else:
                cur.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")
            counts[table] = cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return counts


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
    """A consistent backup of the whole database as a zip (Parquet per table + manifest)."""
    auth.require_admin(actor, "back up the database")
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
    """Replace the database with a backup; the current file is kept as <name>.before-restore-<time>.duckdb."""
    auth.require_admin(actor, "restore the database")
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
        conn = duckdb.connect(str(fresh))
        try:
            migrations.apply(conn)
            counts = _load(conn, archive, manifest, work)
        finally:
            conn.close()
        kept = live.with_name(f"{live.stem}.before-restore-{stamp}{live.suffix}")
        db.close_all()
        if live.exists():
            shutil.move(live, kept)
        shutil.move(fresh, live)
    db.database()
    db.invalidate()  # pages cache reads by data version: none of them may outlive the old file
    return counts


def _load(conn: duckdb.DuckDBPyConnection, archive: zipfile.ZipFile, manifest: dict, work: Path) -> dict[str, int]:
    conn.execute("BEGIN TRANSACTION")
    present = [r[0] for r in conn.execute(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND table_name <> 'migrations' ORDER BY table_oid"
    ).fetchall()]
    counts = {}
    for table in present:
        if table not in manifest["rows"]:
            continue
        member = f"{table}.parquet"
        if member not in archive.namelist():
            raise ValidationError(f"The backup lists {table} but has no {member}; it is damaged.")
        target = work / member
        target.write_bytes(archive.read(member))
        conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet('{target}')")
        counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if counts[table] != manifest["rows"][table]:
            raise ValidationError(f"The backup's {table} has {counts[table]} rows, its manifest says "
                                  f"{manifest['rows'][table]}; it is damaged.")
    if "awaiting_publish" not in manifest["rows"]:  # a backup from before m011: work it out as the migration did
        migrations.mark_awaiting_publish(conn)
    _advance_sequences(conn)
    conn.execute("COMMIT")
    return counts


def _advance_sequences(conn: duckdb.DuckDBPyConnection) -> None:
    """Move each table's id sequence (seq_<table>) past the highest restored id (DuckDB has no setval)."""
    for (sequence,) in conn.execute("SELECT sequence_name FROM duckdb_sequences()").fetchall():
        table = sequence.removeprefix("seq_")
        has_id = conn.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = 'id'", [table]
        ).fetchone()[0]
        if not has_id:
            continue
        highest = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        if highest:
            conn.execute(f"SELECT max(nextval('{sequence}')) FROM range(?)", [highest])
