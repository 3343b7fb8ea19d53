"""PostgreSQL, for organisations that run several app processes: psycopg 3 through a connection pool, and what
only PostgreSQL says: its errors, catalog, bulk load (COPY), and the shared change signal.

Sessions hold no connection between statements: a read borrows one from the pool for the statement (results are
fetched at once), a transaction keeps one from BEGIN to COMMIT. Transactions run at REPEATABLE READ, the snapshot
isolation DuckDB gives: a write that races another transaction's committed update of the same row fails with a
serialization error instead of silently writing over it, and okrdash maps that (and deadlocks) to the same
friendly Conflict as DuckDB's "Conflict on update" (docs/DEVELOPING.md, "Concurrency").

Change signal: every committed write also inserts its tables and scopes into `change_log` in the same transaction,
with its transaction id. `Database.poll` reads the rows other processes committed since it last looked, at most
every POLL_SECONDS, and adds them to this process's versions (okrdash.storage.changes). Transaction ids do not
commit in order, so a poll re-reads every row at or above the oldest transaction still running at its previous
poll (`pg_snapshot_xmin`), and skips the rows it has seen: a slow transaction's row is never missed.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.types.numeric import FloatLoader
from psycopg_pool import ConnectionPool, PoolTimeout

from okrdash.errors import Conflict, DatabaseUnavailable
from okrdash.storage.duckdb_engine import CONFLICT_MESSAGE, ConstraintViolation

if TYPE_CHECKING:
    import pandas as pd

    from okrdash.storage.changes import Versions

NAME = "postgres"
STYLE = "pyformat"
SHARED = True  # other processes write the same database: changes are logged and polled
SETTING = "OKRDASH_DATABASE_URL"
POLL_SECONDS = 0.25
RETENTION = "1 hour"  # change_log rows older than this are pruned; a process idle longer refreshes everything
ORIGIN = uuid.uuid4().hex  # this process, so a poll skips the changes it made itself
_DATE_TYPES = {1082, 1114, 1184}  # date, timestamp, timestamptz: DataFrames get datetime64 columns, as DuckDB's do
# The oldest transaction still running: every transaction that commits later has an id at least this high.
_HORIZON = "SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint) AS x"
_MIGRATION_LOCK = 720_513  # any fixed number: the advisory lock replicas take to migrate one at a time


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "(an unreadable URL)"
    user = f"{parts.username}@" if parts.username else ""
    return f"{parts.scheme}://{user}{parts.hostname or 'local socket'}{f':{port}' if port else ''}{parts.path}"


def check_url(url: str) -> None:
    """Refuse what is not a PostgreSQL URL, naming the setting (one line, no password)."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in ("postgresql", "postgres"):
        raise DatabaseUnavailable(
            f"{SETTING} must be a PostgreSQL URL such as postgresql://user:password@host:5432/okrdash; "
            f"got {describe(url) if scheme else 'something else'}. Unset it to use the DuckDB file.")


def _configure(conn: psycopg.Connection) -> None:
    # numeric (sum of integers, avg, round) arrives as float, as DuckDB gives it, not Decimal.
    conn.adapters.register_loader("numeric", FloatLoader)


class Database:
    """One PostgreSQL database behind a connection pool."""

    engine = NAME

    def __init__(self, url: str) -> None:
        check_url(url)
        self.target = url
        try:
            psycopg.conninfo.conninfo_to_dict(url)
            urlsplit(url).port  # noqa: B018  (a port that is not a number raises here)
        except (psycopg.ProgrammingError, ValueError) as error:
            detail = _first_line(error).replace(url, describe(url))  # never echo the password
            raise DatabaseUnavailable(f"{SETTING} is not a valid PostgreSQL URL ({detail}).") from None
        self._probe(url)
        self.pool = ConnectionPool(url, min_size=1, max_size=_pool_size(), kwargs={"autocommit": True},
                                   configure=_configure, open=False, timeout=60, name="okrdash")
        self.pool.open(wait=True, timeout=15)
        self._poll_lock = threading.Lock()
        self._next_poll = 0.0
        # Changes count from the moment this process opened the database: nothing it caches is older than that.
        with self.pool.connection() as conn:
            self._since = conn.execute(_HORIZON).fetchone()[0]
        self._seen: set[int] = set()
        self._last_poll = time.monotonic()
        self._next_prune = 0.0

    @staticmethod
    def _probe(url: str) -> None:
        """Connect once, so a wrong host, port, password or database name is one clear line, not a pool timeout."""
        try:
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.OperationalError as error:
            detail = _first_line(error).replace(url, describe(url))
            raise DatabaseUnavailable(f"{SETTING} points at {describe(url)}, which cannot be used: {detail}") from None

    def session(self) -> Session:
        return Session(self.pool)

    def close(self) -> None:
        self.pool.close()

    def poll(self, versions: Versions) -> None:
        """Add other processes' committed changes to `versions` (at most every POLL_SECONDS)."""
        now = time.monotonic()
        if now < self._next_poll or not self._poll_lock.acquire(blocking=False):
            return
        try:
            self._next_poll = now + POLL_SECONDS
            with self.pool.connection() as conn:
                found = conn.execute(
                    f"""WITH h AS ({_HORIZON})
                        SELECT h.x, c.id, c.txid, c.origin, c.tables, c.team_id, c.quarter
                        FROM h LEFT JOIN change_log c ON c.txid >= %s ORDER BY c.id""", [self._since]).fetchall()
                if now >= self._next_prune:
                    self._next_prune = now + 60
                    conn.execute(f"DELETE FROM change_log WHERE changed_at < localtimestamp - interval '{RETENTION}'")
            horizon = found[0][0]
            if now - self._last_poll > 1800:  # idle past half the retention: rows may have been pruned unseen
                versions.bump_everything()
            for _, change_id, _, origin, tables, team, quarter in found:
                if change_id is None or change_id in self._seen:
                    continue
                if origin != ORIGIN:
                    versions.bump(tables.split(","), [(team, quarter)])
            self._seen = {row[1] for row in found if row[1] is not None and row[2] >= horizon}
            self._since = horizon
            self._last_poll = now
        finally:
            self._poll_lock.release()


def _pool_size() -> int:
    import os

    try:
        return max(2, int(os.environ.get("OKRDASH_DB_POOL_SIZE", "20")))
    except ValueError:
        return 20


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [error.__class__.__name__])[0]


def _mapped(error: psycopg.Error) -> Exception:
    if isinstance(error, pg_errors.SerializationFailure | pg_errors.DeadlockDetected):
        return Conflict(CONFLICT_MESSAGE)
    if isinstance(error, psycopg.IntegrityError):
        return ConstraintViolation(_first_line(error))
    if isinstance(error, psycopg.OperationalError | PoolTimeout):
        return DatabaseUnavailable(f"The PostgreSQL database ({SETTING}) stopped answering: {_first_line(error)}")
    return error


class Session:
    """A thread's statements on the pool: a connection per statement, or the transaction's from BEGIN to COMMIT."""

    __slots__ = ("_conn", "_description", "_pool", "_position", "_rows", "_serial")

    def __init__(self, pool: ConnectionPool) -> None:
        self._pool, self._conn, self._serial = pool, None, None
        self._rows: list[tuple] = []
        self._position, self._description = 0, None

    def _run(self, conn: psycopg.Connection, sql: str, params: Any, many: bool = False) -> None:
        with conn.cursor() as cur:
            if many:
                cur.executemany(sql, params)
            else:
                cur.execute(sql, params)
            self._description = cur.description
            self._rows = cur.fetchall() if cur.description else []
            self._position = 0

    def execute(self, sql: str, params: Any, many: bool = False) -> None:
        word = sql.lstrip()[:8].upper()
        if word.startswith("BEGIN"):  # a test's hand-made transaction on its own cursor
            return self.begin(None)
        if word.startswith(("COMMIT", "ROLLBACK")):
            return self.commit() if word.startswith("COMMIT") else self.rollback()
        try:
            if self._conn is not None:
                self._run(self._conn, sql, params, many)
            else:
                with self._pool.connection() as conn:
                    self._run(conn, sql, params, many)
        except (psycopg.Error, PoolTimeout) as error:
            mapped = _mapped(error)
            if mapped is error:
                raise
            raise mapped from error
        return None

    def executemany(self, sql: str, rows: Any) -> None:
        self.execute(sql, rows, many=True)

    def begin(self, serial: str | None = None) -> None:
        """BEGIN at REPEATABLE READ; with `serial`, first wait for the session advisory lock of that name, so the
        transaction's snapshot (taken at its first statement) sees what the previous holder committed."""
        self._conn = self._pool.getconn()
        try:
            if serial is not None:
                self._conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [serial])
                self._serial = serial
            self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        except BaseException as error:
            self._release()
            if isinstance(error, psycopg.Error):
                mapped = _mapped(error)
                if mapped is not error:
                    raise mapped from error
            raise

    def commit(self) -> None:
        assert self._conn is not None, "commit outside a transaction"
        try:
            self._conn.execute("COMMIT")
        except psycopg.Error as error:
            mapped = _mapped(error)
            if mapped is error:
                raise
            raise mapped from error
        finally:
            self._release()

    def rollback(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute("ROLLBACK")
        except psycopg.Error:
            pass  # the connection broke; the pool checks it before lending it again
        finally:
            self._release()

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        serial, self._serial = self._serial, None
        if conn is None:
            return
        if serial is not None:
            with suppress(psycopg.Error):  # a broken connection: the server released its locks with it
                conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [serial])
        self._pool.putconn(conn)

    def lock_for_migrations(self) -> None:
        self.execute("SELECT pg_advisory_xact_lock(%s)", [_MIGRATION_LOCK])

    def record_change(self, tables: Iterable[str], scopes: Iterable[tuple]) -> None:
        """Inside the committing transaction: what it wrote, for the other processes' polls."""
        joined = ",".join(sorted(tables))
        rows = [[ORIGIN, joined, team, quarter] for team, quarter in (list(scopes) or [(None, None)])]
        self.execute("""INSERT INTO change_log (origin, txid, tables, team_id, quarter)
                        VALUES (%s, CAST(CAST(pg_current_xact_id() AS text) AS bigint), %s, %s, %s)""",
                     rows, many=True)

    def fetchone(self) -> tuple | None:
        if self._position >= len(self._rows):
            return None
        self._position += 1
        return self._rows[self._position - 1]

    def fetchall(self) -> list[tuple]:
        rest, self._position = self._rows[self._position:], len(self._rows)
        return rest

    @property
    def description(self) -> Any:
        return self._description

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        names = [d.name for d in self._description or []]
        found = pd.DataFrame.from_records(self.fetchall(), columns=names)
        for d in self._description or []:
            if d.type_code in _DATE_TYPES:
                found[d.name] = pd.to_datetime(found[d.name])
        return found

    def close(self) -> None:
        self.rollback()

    # ---- catalog and bulk load ----

    def tables(self) -> list[str]:
        self.execute("""SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.oid""", ())
        return [r[0] for r in self.fetchall()]

    def columns(self, table: str) -> list[tuple[str, str]]:
        self.execute("""SELECT column_name, data_type FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
                     [table])
        return [(name, "text" if kind in ("character varying", "text") else kind) for name, kind in self.fetchall()]

    def sequences(self) -> list[str]:
        self.execute("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1", ())
        return [r[0] for r in self.fetchall()]

    def advance_sequence(self, sequence: str, past: int) -> None:
        self.execute("SELECT setval(%s, greatest(%s, (SELECT last_value FROM pg_sequences WHERE sequencename = %s "
                     "AND schemaname = current_schema())))", [sequence, past, sequence])

    def id_block(self, sequence: str, count: int) -> Any:
        import numpy as np

        if count <= 0:
            return np.empty(0, dtype=np.int64)
        self.execute(f"SELECT nextval('{sequence}') FROM generate_series(1, %s)", [count])
        return np.array([r[0] for r in self.fetchall()], dtype=np.int64)

    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        """COPY the frame into a scratch table, then insert it, a None in a NOT NULL column taking the default."""
        if frame.empty:
            return 0
        assert self._conn is not None, "bulk loads run inside a transaction"
        self.execute("""SELECT column_name, column_default FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = %s AND is_nullable = 'NO'
                          AND column_default IS NOT NULL""", [table])
        defaults = dict(self.fetchall())
        columns = list(frame.columns)
        listed = ", ".join(columns)
        self.execute(f"CREATE TEMP TABLE _bulk ON COMMIT DROP AS SELECT {listed} FROM {table} WITH NO DATA", ())
        types = dict(self.columns(table))
        integral = [types[c] in ("bigint", "integer", "smallint") for c in columns]
        with self._conn.cursor() as cur, cur.copy(f"COPY _bulk ({listed}) FROM STDIN") as copy:
            for record in frame.itertuples(index=False, name=None):
                copy.write_row([_plain(v, whole) for v, whole in zip(record, integral, strict=True)])
        values = ", ".join(f"coalesce({c}, {defaults[c]})" if c in defaults else c for c in columns)
        self.execute(f"INSERT INTO {table} ({listed}) SELECT {values} FROM _bulk", ())
        self.execute("DROP TABLE _bulk", ())
        return len(frame)

    def copy_in(self, table: str, columns: list[str], source: Path) -> None:
        assert self._conn is not None, "COPY runs inside a transaction"
        with self._conn.cursor() as cur, \
                cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as copy, \
                source.open("rb") as lines:
            while chunk := lines.read(1 << 20):
                copy.write(chunk)

    def export_table(self, table: str, target: Path, file_format: str) -> int:
        from okrdash import csv_safe

        self.execute(f"SELECT * FROM {table}", ())
        found = self.frame()
        if file_format == "csv":
            csv_safe.neutralise(found).to_csv(target, index=False)
        else:
            found.to_parquet(target, index=False)
        return len(found)

    def load_table(self, table: str, source: Path) -> int:
        raise DatabaseUnavailable("Restoring a backup file is for DuckDB; PostgreSQL restores with pg_restore.")


def _plain(value: Any, whole: bool = False) -> Any:
    """numpy and pandas scalars as Python values COPY understands; NaN and NaT as NULL; a float in an integer
    column (pandas turns an integer column holding None into floats) as the integer it is."""
    import pandas as pd

    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if whole:
            return int(value)
    return value
