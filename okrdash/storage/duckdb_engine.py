"""DuckDB, the embedded default: one database object per file, a cursor per thread (DuckDB refuses to share one
connection between threads), and what only DuckDB says: its lock and conflict errors, its catalog, bulk load from a
DataFrame. Only one process can open a file, so every write this process makes is every write there is: no change
log is kept or polled.
"""

from __future__ import annotations

import re
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from okrdash.errors import Conflict, DatabaseLocked

if TYPE_CHECKING:
    import pandas as pd

NAME = "duckdb"
STYLE = "qmark"
SHARED = False  # one process per file: no other process writes


def locked_message(path: Path, error: Exception) -> str:
    pid = re.search(r"PID (\d+)", str(error))
    holder = f" (process {pid.group(1)})" if pid else ""
    return (
        f"The database file {path} is in use by another program{holder}. DuckDB lets only one process open it. "
        "Stop the other okrdash process (a running `streamlit run app.py` or `python -m okrdash.demo`), "
        "or point OKRDASH_DB at a different file, then try again."
    )


class Database:
    """One open DuckDB file."""

    engine = NAME

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.target = str(path)
        try:
            self._conn = duckdb.connect(str(path))
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise DatabaseLocked(locked_message(path, error)) from error
            raise

    def session(self) -> Session:
        return Session(self._conn.cursor())

    def close(self) -> None:
        self._conn.close()


class ConstraintViolation(Exception):
    """A statement broke a UNIQUE, CHECK or foreign-key constraint (okrdash.db re-exports it)."""


CONFLICT_MESSAGE = "Someone else changed the same data at the same moment, so nothing was saved. Please try again."


def _mapped(error: duckdb.Error) -> Exception:
    if isinstance(error, duckdb.ConstraintException):
        return ConstraintViolation(str(error))
    # A lost race: two updates of one row ("Conflict on ..."), or two inserts of one key, which DuckDB only notices
    # at COMMIT ("duplicate key").
    if isinstance(error, duckdb.TransactionException) and any(
            word in str(error).lower() for word in ("conflict", "duplicate key")):
        return Conflict(CONFLICT_MESSAGE)
    return error


class Session:
    """A thread's cursor: statements, transactions, results."""

    __slots__ = ("_cur",)

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self._cur = cur

    def execute(self, sql: str, params: Any) -> None:
        try:
            self._cur.execute(sql, params)
        except duckdb.Error as error:
            mapped = _mapped(error)
            if mapped is error:
                raise
            raise mapped from error

    def executemany(self, sql: str, rows: Any) -> None:
        try:
            self._cur.executemany(sql, rows)
        except duckdb.Error as error:
            mapped = _mapped(error)
            if mapped is error:
                raise
            raise mapped from error

    def begin(self, serial: str | None = None) -> None:
        """`serial`: okrdash.db already holds the process lock by that name, and no other process can write."""
        self._cur.execute("BEGIN TRANSACTION")

    def commit(self) -> None:
        self.execute("COMMIT", ())

    def lock_for_migrations(self) -> None:
        """Nothing to wait for: no other process can have the file open."""

    def rollback(self) -> None:
        with suppress(duckdb.Error):  # DuckDB may have aborted the transaction already
            self._cur.execute("ROLLBACK")

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    @property
    def description(self) -> list[tuple]:
        return self._cur.description

    def frame(self) -> pd.DataFrame:
        return self._cur.df()

    def close(self) -> None:
        self._cur.close()

    # ---- catalog and bulk load (demo, backup, copy-to) ----

    def tables(self) -> list[str]:
        """The application's tables in creation order (foreign-key order)."""
        self._cur.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_oid")
        return [r[0] for r in self._cur.fetchall()]

    def columns(self, table: str) -> list[tuple[str, str]]:
        """(name, type) of each column, in order; text columns have type 'text'."""
        self._cur.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? "
                          "ORDER BY column_index", [table])
        return [(name, "text" if kind == "VARCHAR" else kind.lower()) for name, kind in self._cur.fetchall()]

    def sequences(self) -> list[str]:
        self._cur.execute("SELECT sequence_name FROM duckdb_sequences() ORDER BY sequence_name")
        return [r[0] for r in self._cur.fetchall()]

    def advance_sequence(self, sequence: str, past: int) -> None:
        """Move `sequence` so its next value is above `past` (DuckDB has no setval)."""
        self._cur.execute(f"SELECT max(nextval('{sequence}')) FROM range(?)", [past])

    def id_block(self, sequence: str, count: int) -> Any:
        """`count` fresh ids from `sequence` in one query, as a numpy array."""
        import numpy as np

        if count <= 0:
            return np.empty(0, dtype=np.int64)
        return self._cur.execute(f"SELECT nextval('{sequence}') AS id FROM range(?)", [count]).fetchnumpy()["id"]

    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """Append a DataFrame whose columns are named after the table's; a None in a NOT NULL column with a default
        takes the default, as an omitted column would."""
        if frame.empty:
            return 0
        self._cur.execute(
            "SELECT column_name, column_default FROM duckdb_columns() WHERE table_name = ? AND NOT is_nullable "
            "AND column_default IS NOT NULL", [table])
        defaults = dict(self._cur.fetchall())
        view = f"_bulk_{table}"
        self._cur.register(view, frame)
        try:
            columns = ", ".join(frame.columns)
            values = ", ".join(f"coalesce({c}, {defaults[c]})" if c in defaults else c for c in frame.columns)
            self._cur.execute(f"INSERT INTO {table} ({columns}) SELECT {values} FROM {view}")
        finally:
            self._cur.unregister(view)
        return len(frame)

    def export_table(self, table: str, target: Path, file_format: str) -> int:
        if file_format == "csv":
            parts = [_neutralised(name) if kind == "text" else name for name, kind in self.columns(table)]
            self._cur.execute(f"COPY (SELECT {', '.join(parts)} FROM {table}) TO '{target}' (HEADER, DELIMITER ',')")
        else:
            self._cur.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")
        return self._cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def load_table(self, table: str, source: Path) -> int:
        self._cur.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_parquet('{source}')")
        return self._cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _neutralised(name: str) -> str:
    """A text column whose cells starting like a formula get an apostrophe (okrdash.csv_safe's rule, in SQL)."""
    return f"CASE WHEN regexp_matches({name}, '^[=+\\-@\\t\\r]') THEN '''' || {name} ELSE {name} END AS {name}"
