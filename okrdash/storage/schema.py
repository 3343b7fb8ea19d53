"""The storage layer's own table: migration m013, listed in okrdash/migrations.py. Portable DDL, as every
migration."""

from __future__ import annotations

from typing import Any


def m013_change_log(cur: Any) -> None:
    """What each committed write touched (tables, team, quarter), so other app processes on the same PostgreSQL
    database refresh exactly the cached reads and live pages it concerns (okrdash.storage.postgres_engine). DuckDB
    has one process per file and never writes it. `txid` is the writing transaction's id; rows are pruned after an
    hour."""
    cur.execute("CREATE SEQUENCE seq_change_log START 1")
    cur.execute("""
        CREATE TABLE change_log (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_change_log'),
            origin     VARCHAR NOT NULL,
            txid       BIGINT NOT NULL,
            tables     VARCHAR NOT NULL,
            team_id    BIGINT,
            quarter    VARCHAR,
            changed_at TIMESTAMP NOT NULL DEFAULT localtimestamp
        )""")
    cur.execute("CREATE INDEX change_log_txid ON change_log (txid)")
