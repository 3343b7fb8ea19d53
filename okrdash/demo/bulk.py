"""Bulk writing for generated data: ids from sequences in blocks, rows inserted a table at a time via DataFrames."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import duckdb
import numpy as np
import pandas as pd

# Insert order that satisfies every foreign key.
TABLE_ORDER = [
    "quarters", "people", "teams", "memberships", "manager_scopes", "strategy_items", "surveys",
    "survey_prereading", "survey_participation", "survey_drafts", "survey_answers", "ideas", "idea_merges",
    "ranking_rounds", "ranking_round_ideas", "ballots", "ballot_lines", "objectives", "deprioritized",
    "key_results", "publications", "checkins", "checkin_acks",
]


def id_block(cur: duckdb.DuckDBPyConnection, sequence: str, count: int) -> np.ndarray:
    """`count` fresh ids from `sequence`, in one query."""
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    return cur.execute(f"SELECT nextval('{sequence}') AS id FROM range(?)", [count]).fetchnumpy()["id"]


class Ids:
    """Hands out ids from the database's sequences a block at a time (so generated rows keep sequences honest)."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, block: int = 256):
        self.cur, self.block = cur, block
        self.pools: dict[str, list[int]] = defaultdict(list)

    def __call__(self, sequence: str) -> int:
        pool = self.pools[sequence]
        if not pool:
            pool.extend(reversed(id_block(self.cur, sequence, self.block).tolist()))
        return pool.pop()


def insert_frame(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Append a DataFrame whose columns are named after the table's columns; returns the row count."""
    if frame.empty:
        return 0
    view = f"_bulk_{table}"
    # A missing value (None) in a NOT NULL column with a default takes the default, as an omitted column would.
    defaults = dict(cur.execute(
        "SELECT column_name, column_default FROM duckdb_columns() WHERE table_name = ? AND NOT is_nullable "
        "AND column_default IS NOT NULL", [table]).fetchall())
    cur.register(view, frame)
    columns = ", ".join(frame.columns)
    values = ", ".join(f"coalesce({c}, {defaults[c]})" if c in defaults else c for c in frame.columns)
    cur.execute(f"INSERT INTO {table} ({columns}) SELECT {values} FROM {view}")
    cur.unregister(view)
    return len(frame)


class Rows:
    """Rows collected per table, written in foreign-key order by `flush`."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, table: str, **values: Any) -> dict[str, Any]:
        self.tables[table].append(values)
        return values

    def flush(self, cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
        counts = {}
        for table in TABLE_ORDER:
            rows = self.tables.pop(table, [])
            if rows:
                counts[table] = insert_frame(cur, table, pd.DataFrame(rows, dtype=object))
        if self.tables:
            raise ValueError(f"no insert order for tables: {sorted(self.tables)}")
        return counts

