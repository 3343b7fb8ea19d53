"""What operators do to the database itself, behind `python -m okrdash migrate | check | copy-to` (okrdash.commands).

- `migrate`: apply the migrations and stop, so replicas starting together do not race (they would take turns on
  PostgreSQL's advisory lock anyway, but a rollout should not wait on it).
- `check`: open the database WITHOUT migrating it, verify every migration is recorded, run one real query.
- `copy_to(url)`: copy the current DuckDB database into an empty PostgreSQL database, for a team that outgrows the
  file. Each table streams through CSV (DuckDB's COPY out, PostgreSQL's COPY in: no row passes through Python),
  all in one PostgreSQL transaction, then sequences move past the copied ids and every table's row count is
  compared. A refused or failed copy leaves the target as it was.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from okrdash import db, migrations
from okrdash.errors import DatabaseUnavailable, ValidationError
from okrdash.storage import duckdb_engine, postgres_engine

NOT_COPIED = {"change_log"}  # PostgreSQL's own record of which process wrote what: starts empty
Report = Callable[[str], None]


@contextmanager
def unmigrated() -> Iterator[db.Cursor]:
    """A cursor on the current database opened as it is (no migration applied), closed afterwards."""
    module = db.engine()
    target = db.target()
    handle = module.Database(Path(target) if module is duckdb_engine else target)
    try:
        yield db.Cursor(handle.session(), module.STYLE, target)
    finally:
        handle.close()


def migrate() -> list[str]:
    """Apply the migrations the current database lacks; returns their names."""
    db.close_all()
    with unmigrated() as cur:
        return migrations.apply(cur)


def check() -> str:
    """A one-line summary of a usable database; raises an OkrError saying what is wrong otherwise."""
    db.close_all()
    with unmigrated() as cur:
        if "migrations" not in cur.tables():
            raise ValidationError(f"{where()} has no okrdash tables yet: run `python -m okrdash migrate`.")
        missing = migrations.missing(cur)
        if missing:
            raise ValidationError(f"{where()} lacks {len(missing)} migration(s) ({', '.join(missing)}): run "
                                  "`python -m okrdash migrate` before starting this version of okrdash.")
        people = cur.execute("SELECT count(*) FROM people").fetchone()[0]
        teams = cur.execute("SELECT count(*) FROM teams").fetchone()[0]
    return f"{where()}: {len(migrations.MIGRATIONS)} migrations applied, {people:,} people, {teams:,} teams."


def where() -> str:
    url = db.database_url()
    return f"PostgreSQL at {postgres_engine.describe(url)}" if url else f"DuckDB file {db.database_path()}"


def copy_to(url: str, report: Report = lambda line: None) -> dict[str, int]:
    """Copy the current DuckDB database into the empty PostgreSQL database at `url`; returns rows per table."""
    if db.database_url():
        raise ValidationError("copy-to copies a DuckDB file into PostgreSQL: unset OKRDASH_DATABASE_URL and point "
                              "OKRDASH_DB at the file to copy.")
    postgres_engine.check_url(url)
    started = time.perf_counter()
    source = db.cursor()
    target_db = postgres_engine.Database(url)
    try:
        target = db.Cursor(target_db.session(), postgres_engine.STYLE, url)
        migrations.apply(target)
        _refuse_filled(target)
        counts = {}
        with target.own_transaction(), tempfile.TemporaryDirectory(prefix="okrdash-copy-") as folder:
            for table in source.tables():
                if table in NOT_COPIED or table == "migrations":
                    continue
                columns = [name for name, _ in source.columns(table)]
                counts[table] = _copy_table(source, target, table, columns, Path(folder) / f"{table}.csv")
                report(f"{table}: {counts[table]:,} rows")
            from okrdash import backup  # late import: backup pulls in auth

            backup.advance_sequences(target)
            _verify(target, counts)
            # A bulk-loaded table has no planner statistics until autovacuum gets to it: until then PostgreSQL
            # guesses one row per table and picks nested loops (the dashboards of a fresh copy ran 2× slower).
            target.execute("ANALYZE")
        # Committed: vacuum now rather than leave it to autovacuum, whose first pass over the copied tables (~8 s
        # of a core for the benchmark company) otherwise starts about a minute later, while the app is serving;
        # until then no page of a table is marked all-visible, so index-only scans still read the table.
        report("Vacuuming the copy…")
        target.execute("VACUUM")
        report(f"Copied {sum(counts.values()):,} rows in {len(counts)} tables in "
               f"{time.perf_counter() - started:.1f} s; every table's row count matches.")
        return counts
    finally:
        target_db.close()


def _refuse_filled(target: db.Cursor) -> None:
    filled = [table for table in target.tables() if table not in NOT_COPIED and table != "migrations"
              and target.execute(f"SELECT count(*) FROM {table}").fetchone()[0]]
    if filled:
        raise ValidationError(f"The target database already holds data ({', '.join(filled[:5])}"
                              f"{' …' if len(filled) > 5 else ''}): copy-to fills an empty database only. Create a "
                              "new database (createdb okrdash) and copy into that.")


def _copy_table(source: db.Cursor, target: db.Cursor, table: str, columns: list[str], scratch: Path) -> int:
    listed = ", ".join(columns)
    source.execute(f"COPY (SELECT {listed} FROM {table}) TO '{scratch}' (FORMAT csv, HEADER false)")
    target.copy_in(table, columns, scratch)
    return int(source.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _verify(target: db.Cursor, counts: dict[str, int]) -> None:
    for table, expected in counts.items():
        found = target.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if found != expected:
            raise DatabaseUnavailable(f"After copying, PostgreSQL's {table} has {found:,} rows instead of "
                                      f"{expected:,}; nothing was kept. Try again, and report it if it repeats.")
