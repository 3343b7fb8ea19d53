"""The one door to the database: connections, cursors, transactions and migrations on open.

One DuckDB database object is cached per file path for the whole process. DuckDB refuses to share one connection
between threads, so every thread (each Streamlit script run is one) works through its own `.cursor()` of that
database. Every write goes through `transaction()`, which nests (an inner block joins the outer transaction) and
bumps `data_version()` on commit so cached reads know when to refresh.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from okrdash.errors import Conflict, DatabaseLocked

if TYPE_CHECKING:  # pandas costs 0.25 s to import: a cold start's first page needs none (.df() loads it on demand)
    import pandas as pd

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "okrdash.duckdb"

_databases: dict[str, duckdb.DuckDBPyConnection] = {}
_open_lock = threading.Lock()
_local = threading.local()
_version = 0
_version_lock = threading.Lock()


def database_path() -> Path:
    """Where the database lives: `OKRDASH_DB` if set, else data/okrdash.duckdb beside the code."""
    return _resolved(os.environ.get("OKRDASH_DB", "").strip())


@functools.lru_cache(maxsize=64)
def _resolved(configured: str) -> Path:
    # Every query asks for the path; resolving it touches the file system, so it is done once per setting.
    return Path(configured).expanduser().resolve() if configured else DEFAULT_PATH


def locked_message(path: Path, error: Exception) -> str:
    pid = re.search(r"PID (\d+)", str(error))
    holder = f" (process {pid.group(1)})" if pid else ""
    return (
        f"The database file {path} is in use by another program{holder}. DuckDB lets only one process open it. "
        "Stop the other okrdash process (a running `streamlit run app.py` or `python -m okrdash.demo`), "
        "or point OKRDASH_DB at a different file, then try again."
    )


def open_database(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the database at `path`; raise DatabaseLocked if another process has it."""
    from okrdash import migrations  # late import: migrations uses this module's helpers

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path))
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise DatabaseLocked(locked_message(path, error)) from error
        raise
    migrations.apply(conn)
    return conn


def database(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide database object for `path` (default: `database_path()`), opened once."""
    key = str(path or database_path())
    conn = _databases.get(key)
    if conn is None:
        with _open_lock:
            conn = _databases.get(key)
            if conn is None:
                conn = open_database(Path(key))
                _databases[key] = conn
    return conn


def close_all() -> None:
    """Close every cached database (tests, CLI shutdown). Cursors made from them become unusable."""
    with _open_lock:
        for conn in _databases.values():
            conn.close()
        _databases.clear()
    _local.__dict__.clear()


def cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the current database; made on first use and reused by the thread."""
    conn = database()
    # Keyed by id(conn); the stored conn reference keeps that id from being reused by a later database.
    cursors: dict[int, tuple] = _local.__dict__.setdefault("cursors", {})
    owner, cur = cursors.get(id(conn), (None, None))
    if owner is not conn:
        with _open_lock:
            cur = conn.cursor()
        cursors[id(conn)] = (conn, cur)
    return cur


def data_version() -> int:
    """A counter bumped by every committed write in this process; cache keys include it."""
    return _version


def _bump_version() -> None:
    global _version
    with _version_lock:
        _version += 1


def invalidate() -> None:
    """Tell every cached read that the data changed outside a transaction (a restored backup)."""
    _bump_version()


@contextmanager
def transaction() -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction on this thread's cursor; nested blocks join the outer one."""
    cur = cursor()
    depth = getattr(_local, "depth", 0)
    if depth:
        _local.depth = depth + 1
        try:
            yield cur
        finally:
            _local.depth = depth
        return
    cur.execute("BEGIN TRANSACTION")
    _local.depth = 1
    try:
        yield cur
        cur.execute("COMMIT")
    except duckdb.TransactionException as error:
        # A lost race: two updates of one row ("Conflict on ..."), or two inserts of one key, which DuckDB
        # only notices at COMMIT ("duplicate key").
        _rollback(cur)
        if not any(word in str(error).lower() for word in ("conflict", "duplicate key")):
            raise
        raise Conflict(
            "Someone else changed the same data at the same moment, so nothing was saved. Please try again."
        ) from error
    except BaseException:
        _rollback(cur)
        raise
    finally:
        _local.depth = 0
    _bump_version()


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    with suppress(duckdb.Error):  # DuckDB may have aborted the transaction already
        cur.execute("ROLLBACK")


def in_transaction() -> bool:
    return getattr(_local, "depth", 0) > 0


def execute(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> None:
    """Run a write statement inside a transaction (its own, or the caller's)."""
    with transaction() as cur:
        cur.execute(sql, params)


def rows(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
    """All result rows as dicts keyed by column name."""
    cur = cursor().execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, values, strict=True)) for values in cur.fetchall()]


def row(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
    """The first result row as a dict, or None."""
    cur = cursor().execute(sql, params)
    values = cur.fetchone()
    if values is None:
        return None
    return dict(zip([d[0] for d in cur.description], values, strict=True))


def scalar(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
    """The first column of the first row, or None."""
    values = cursor().execute(sql, params).fetchone()
    return None if values is None else values[0]


def column(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
    """The first column of every row."""
    return [values[0] for values in cursor().execute(sql, params).fetchall()]


def frame(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> pd.DataFrame:
    """The result as a pandas DataFrame (for charts and downloads)."""
    return cursor().execute(sql, params).df()


def next_id(sequence: str) -> int:
    """A fresh id from a named sequence (ids always come from sequences, never max(id)+1)."""
    if not re.fullmatch(r"seq_[a-z_]+", sequence):
        raise ValueError(f"not a sequence name: {sequence!r}")
    return int(scalar(f"SELECT nextval('{sequence}')"))
