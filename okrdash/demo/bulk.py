"""Bulk writing for generated data: ids from sequences in blocks, rows inserted a table at a time via DataFrames."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from okrdash import db

# Insert order that satisfies every foreign key.
TABLE_ORDER = [
    "quarters", "people", "teams", "memberships", "manager_scopes", "strategy_items", "surveys",
    "survey_prereading", "survey_participation", "survey_drafts", "survey_answers", "ideas", "idea_merges",
    "ranking_rounds", "ranking_round_ideas", "ballots", "ballot_lines", "objectives", "deprioritized",
    "key_results", "publications", "checkins", "checkin_acks",
]


def id_block(cur: db.Cursor, sequence: str, count: int) -> np.ndarray:
    """`count` fresh ids from `sequence`, in one query (each engine has its own way)."""
    return cur.id_block(sequence, count)


class Ids:
    """Hands out ids from the database's sequences a block at a time (so generated rows keep sequences honest)."""

    def __init__(self, cur: db.Cursor, block: int = 256):
        self.cur, self.block = cur, block
        self.pools: dict[str, list[int]] = defaultdict(list)

    def __call__(self, sequence: str) -> int:
        pool = self.pools[sequence]
        if not pool:
            pool.extend(reversed(id_block(self.cur, sequence, self.block).tolist()))
        return pool.pop()


def insert_frame(cur: db.Cursor, table: str, frame: pd.DataFrame) -> int:
    """Append a DataFrame whose columns are named after the table's columns; returns the row count."""
    return cur.insert_frame(table, frame)


class Rows:
    """Rows collected per table, written in foreign-key order by `flush`."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add(self, table: str, **values: Any) -> dict[str, Any]:
        self.tables[table].append(values)
        return values

    def flush(self, cur: db.Cursor) -> dict[str, int]:
        counts = {}
        for table in TABLE_ORDER:
            rows = self.tables.pop(table, [])
            if rows:
                counts[table] = insert_frame(cur, table, pd.DataFrame(rows, dtype=object))
        if self.tables:
            raise ValueError(f"no insert order for tables: {sorted(self.tables)}")
        return counts

