"""The cursor every statement goes through (okrdash.db hands it out): it notes the tables each statement reads
and writes, then hands the statement to its engine's session (placeholders in the engine's style, errors mapped to
okrdash's). `local` is the per-thread state okrdash.db keeps: cursors, the open transaction, open reads."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrdash.storage import changes
from okrdash.storage.statements import analysed

if TYPE_CHECKING:
    import pandas as pd

local = threading.local()


class Cursor:
    """A thread's statement runner on one database: notes the tables each statement reads and writes, then hands
    it to the engine's session (placeholders in the engine's style, errors mapped to okrdash's)."""

    __slots__ = ("_session", "_style", "key")

    def __init__(self, session: Any, style: str, key: str) -> None:
        self._session, self._style, self.key = session, style, key

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        statement = analysed(sql, self._style)
        stack = local.__dict__.get("reading")
        if stack:
            stack[-1].update(statement.reads)
        self._session.execute(statement.text, params)
        if statement.writes:
            self._wrote(statement.writes)
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Cursor:
        """One statement for each parameter row (bulk inserts in tests and imports)."""
        statement = analysed(sql, self._style)
        self._session.executemany(statement.text, rows)
        if statement.writes:
            self._wrote(statement.writes)
        return self

    def _wrote(self, tables: Iterable[str]) -> None:
        if getattr(local, "depth", 0):
            local.written.update(tables)
        else:  # a write outside transaction() committed on its own
            changes.versions_for(self.key).bump(tables)

    def fetchone(self) -> tuple | None:
        return self._session.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._session.fetchall()

    @property
    def description(self) -> list[tuple]:
        return self._session.description

    def df(self) -> pd.DataFrame:
        return self._session.frame()

    def close(self) -> None:
        self._session.close()

    @contextmanager
    def own_transaction(self) -> Iterator[Cursor]:
        """A transaction on this cursor alone, outside `transaction()`'s bookkeeping (migrations, restore)."""
        self._session.begin(None)
        try:
            yield self
            self._session.commit()
        except BaseException:
            self._session.rollback()
            raise

    def lock_for_migrations(self) -> None:
        """Inside own_transaction: wait for any other process migrating the same database (PostgreSQL)."""
        self._session.lock_for_migrations()

    # ---- catalog and bulk load, as each engine does them ----

    def tables(self) -> list[str]:
        return self._session.tables()

    def columns(self, table: str) -> list[tuple[str, str]]:
        return self._session.columns(table)

    def sequences(self) -> list[str]:
        return self._session.sequences()

    def advance_sequence(self, sequence: str, past: int) -> None:
        self._session.advance_sequence(sequence, past)

    def id_block(self, sequence: str, count: int) -> Any:
        return self._session.id_block(sequence, count)

    def insert_frame(self, table: str, frame: pd.DataFrame) -> int:
        count = self._session.insert_frame(table, frame)
        self._wrote([table])
        return count

    def export_table(self, table: str, target: Path, file_format: str) -> int:
        """Write `table` to a CSV (formula cells neutralised) or Parquet file; returns its row count."""
        return self._session.export_table(table, target, file_format)

    def copy_in(self, table: str, columns: list[str], source: Path) -> None:
        """Append a headerless CSV file's rows to `table` (PostgreSQL's COPY FROM STDIN; copy-to)."""
        self._session.copy_in(table, columns, source)
        self._wrote([table])

    def load_table(self, table: str, source: Path) -> int:
        """Append a Parquet file's rows to `table` by column name; returns the table's row count."""
        count = self._session.load_table(table, source)
        self._wrote([table])
        return count
