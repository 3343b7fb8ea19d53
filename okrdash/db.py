"""The one door to the database: connections, cursors, transactions, migrations on open, and what changed.

Storage is DuckDB (a file, the default) or PostgreSQL (`OKRDASH_DATABASE_URL=postgresql://…`, for several app
processes). Domain modules hand this module SQL in the subset both engines run, with `?` or `$name` parameters;
what differs between the engines lives in okrdash/storage/ (one module per engine).

One database object is cached per target (file or URL) for the whole process, and every thread (each Streamlit
script run is one) works through its own cursor on it. Every write goes through `transaction()`, which nests (an
inner block joins the outer transaction). On commit it records what changed: the tables the transaction's SQL
wrote, in the scopes it named with `touch(team, quarter)` (okrdash.storage.changes). Cached reads
(okrdash/ui/memo.py) remember the tables they read (`reading()`) and compare versions (`version_of`), so a write
drops only the reads it concerns. On PostgreSQL the same record goes into the `change_log` table in the same
transaction, and `sync()` applies other processes' writes to this process's versions.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from okrdash.errors import Conflict, DatabaseLocked  # noqa: F401  (re-exported for callers)
from okrdash.storage import changes, duckdb_engine
from okrdash.storage.changes import EVERYWHERE, Scope, Versions, before_commit, run_before_commit  # noqa: F401
from okrdash.storage.cursor import Cursor
from okrdash.storage.cursor import local as _local
from okrdash.storage.duckdb_engine import ConstraintViolation

if TYPE_CHECKING:  # pandas costs 0.25 s to import: a cold start's first page needs none (.df() loads it on demand)
    import pandas as pd

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "okrdash.duckdb"
URL_SETTING = "OKRDASH_DATABASE_URL"

_databases: dict[str, Any] = {}
_open_lock = threading.Lock()


# ---- which database ----

def database_url() -> str:
    """`OKRDASH_DATABASE_URL` when set: storage is then PostgreSQL, and the DuckDB file is never opened."""
    return os.environ.get(URL_SETTING, "").strip()


def database_path() -> Path:
    """Where the DuckDB file lives: `OKRDASH_DB` if set, else data/okrdash.duckdb beside the code."""
    return _resolved(os.environ.get("OKRDASH_DB", "").strip())


_paths: dict[str, Path] = {}


def _resolved(configured: str) -> Path:
    # Every query asks for the path; resolving it touches the file system, so it is done once per setting.
    path = _paths.get(configured)
    if path is None:
        path = _paths[configured] = Path(configured).expanduser().resolve() if configured else DEFAULT_PATH
    return path


def target() -> str:
    """The current database: its URL on PostgreSQL, else the DuckDB file's path (cache keys name it)."""
    return database_url() or str(database_path())


def engine() -> ModuleType:
    """The storage module of the current database (okrdash.storage.duckdb_engine or postgres_engine)."""
    if database_url():
        from okrdash.storage import postgres_engine

        return postgres_engine
    return duckdb_engine


def backend() -> str:
    """"duckdb" or "postgres"."""
    return engine().NAME


def locked_message(path: Path, error: Exception) -> str:
    return duckdb_engine.locked_message(path, error)


# ---- opening ----

def open_database(where: str) -> Any:
    """Open (creating if needed) and migrate the database at `where`; raise DatabaseLocked if another process holds
    a DuckDB file, or an OkrError naming the setting when a PostgreSQL URL cannot be used."""
    from okrdash import migrations  # late import: migrations uses this module's helpers

    module = engine()
    handle = module.Database(where if module is not duckdb_engine else Path(where))
    try:
        migrations.apply(Cursor(handle.session(), module.STYLE, where))
    except BaseException:
        handle.close()
        raise
    return handle


def database(path: Path | str | None = None) -> Any:
    """The process-wide database object for `path` (default: the current target), opened once."""
    key = str(path or target())
    found = _databases.get(key)
    if found is None:
        with _open_lock:
            found = _databases.get(key)
            if found is None:
                found = open_database(key)
                _databases[key] = found
    return found


def close_all() -> None:
    """Close every cached database (tests, CLI shutdown). Cursors made from them become unusable."""
    with _open_lock:
        for handle in _databases.values():
            handle.close()
        _databases.clear()
    # Versions stay: a target reopened later (a restore swaps the file) must not count from zero again, or a read
    # kept before could match a new version by accident.
    _local.__dict__.clear()


# ---- cursors ----

def cursor() -> Cursor:
    """This thread's cursor on the current database; made on first use and reused by the thread."""
    handle = database()
    # Keyed by id(handle); the stored handle keeps that id from being reused by a later database.
    cursors: dict[int, tuple] = _local.__dict__.setdefault("cursors", {})
    owner, cur = cursors.get(id(handle), (None, None))
    if owner is not handle:
        with _open_lock:
            cur = Cursor(handle.session(), engine().STYLE, target())
        cursors[id(handle)] = (handle, cur)
    return cur


def fresh_cursor() -> Cursor:
    """A cursor of its own on the current database (a second session: tests of races, long exports)."""
    handle = database()
    with _open_lock:
        return Cursor(handle.session(), engine().STYLE, target())


# ---- what changed ----

def versions() -> Versions:
    """The current database's write counters (okrdash.storage.changes)."""
    return changes.versions_for(target())


def touch(team: Any = None, quarter: Any = None) -> None:
    """Say which team and quarter the current transaction's writes concern (several calls: several scopes).
    A transaction that never calls it concerns everyone: safe, and what rare writes (admin, imports) do."""
    if getattr(_local, "depth", 0):
        _local.scopes.add((team, quarter))


@contextmanager
def reading() -> Iterator[set[str]]:
    """Collect the tables every statement in the block reads (nested blocks add theirs to the outer one)."""
    stack: list[set[str]] = _local.__dict__.setdefault("reading", [])
    tables: set[str] = set()
    stack.append(tables)
    try:
        yield tables
    finally:
        stack.pop()
        if stack:
            stack[-1].update(tables)


def note_reads(tables: Iterable[str]) -> None:
    """Add `tables` to every `reading()` block open on this thread (a kept read served inside another being made)."""
    stack = _local.__dict__.get("reading")
    if stack:
        stack[-1].update(tables)


def version_of(tables: Iterable[str], scope: Scope = EVERYWHERE) -> tuple[int, ...]:
    """A value that changes when a write to any of `tables` overlapping `scope` commits (in any process, once
    `sync()` has seen it)."""
    return versions().of(tables, scope)


def sync() -> None:
    """Apply other processes' committed writes to this process's versions (PostgreSQL; DuckDB has no others).
    Cheap: at most one small query per interval, however often it is called."""
    module = engine()
    if module.SHARED:
        database().poll(versions())


def data_version() -> int:
    """A number that moves with every committed write to the current database (and every `invalidate()`)."""
    return versions().total


def invalidate() -> None:
    """Tell every cached read that the data changed outside a transaction (a restored backup)."""
    versions().bump_everything()


# ---- transactions ----

@contextmanager
def transaction(scope: Scope | None = None, *, serial: str | None = None) -> Iterator[Cursor]:
    """Run the block in one transaction on this thread's cursor; nested blocks join the outer one. A lost race
    raises Conflict; a broken constraint ConstraintViolation. `scope` = (team, quarter) says what the writes
    concern, as `touch` does.

    `serial` names a lock that transactions of the same name take turns on, in every process, held from before
    the transaction begins (so its snapshot sees the previous holder's commit) until after it ends: for a check and
    a write that must not interleave with another's, where no constraint can say it (a person's email is unique by
    rule; a ballot and the close of its round)."""
    cur = cursor()
    depth = getattr(_local, "depth", 0)
    if depth:
        if serial is not None and serial not in _local.serials:
            raise RuntimeError(f"transaction(serial={serial!r}) inside a transaction that does not hold it")
        _local.depth = depth + 1
        if scope is not None:
            touch(*scope)
        try:
            yield cur
        finally:
            _local.depth = depth
        return
    with _named_lock(serial):
        session = cur._session
        session.begin(serial)
        _local.depth, _local.written, _local.scopes = 1, set(), set() if scope is None else {scope}
        _local.serials = {serial} if serial else set()
        try:
            yield cur
            if _local.written:  # derived tables (okrdash/summaries/) are kept in the same transaction
                run_before_commit(cur, _local.written, _local.scopes)
            written, scopes = _local.written, _local.scopes
            if written and engine().SHARED:
                session.record_change(written, scopes)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            _local.depth, _local.serials = 0, set()
    if written:  # after COMMIT: a read that ran before it and kept its result sees an older version than this
        changes.versions_for(cur.key).bump(written, scopes or [EVERYWHERE])


_named_locks: dict[str, threading.Lock] = {}


@contextmanager
def _named_lock(name: str | None) -> Iterator[None]:
    """This process's turn for `name` (the engine adds other processes': PostgreSQL's advisory lock)."""
    if name is None:
        yield
        return
    with _open_lock:
        lock = _named_locks.setdefault(name, threading.Lock())
    with lock:
        yield


def in_transaction() -> bool:
    return getattr(_local, "depth", 0) > 0


T = TypeVar("T")
_jitter = random.Random()  # noqa: S311  (spreading retries, not security)


def retrying(attempt: Callable[[], T], budget: float = 5.0) -> T:
    """Run a write transaction that may lose a race (a second click, another tab, a team mate's check-in on the same
    key result); run it again when it lost.

    DuckDB reports a lost race as "Conflict on update" (transaction raises Conflict) or, for two inserts of the
    same key, as a duplicate-key failure at commit; PostgreSQL as a serialization failure (Conflict) or a unique
    violation at the insert. Each retry re-reads, so the next attempt sees the winner. Retries back off
    exponentially with random jitter, so a crowd of racers spreads out instead of colliding again, and give up
    with the Conflict after `budget` seconds (a count of tries ran out on a busy two-core machine). Inside a
    caller's transaction nothing is retried: the caller's transaction lost, and the caller decides.
    """
    give_up = time.monotonic() + budget
    for tried in itertools.count():
        try:
            return attempt()
        except (Conflict, ConstraintViolation):
            if in_transaction() or time.monotonic() >= give_up:
                raise
        time.sleep(_jitter.uniform(0, min(0.1, 0.002 * 2 ** tried)))
    raise AssertionError("unreachable")


# ---- statements ----

def execute(sql: str, params: Sequence[Any] | dict[str, Any] = (), scope: Scope | None = None, *,
            serial: str | None = None) -> None:
    """Run a write statement inside a transaction (its own, or the caller's); `scope`, `serial` as for
    `transaction`."""
    with transaction(scope, serial=serial) as cur:
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
