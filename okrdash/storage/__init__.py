"""Storage behind okrdash.db: one SQL source, two engines.

Domain modules hand `okrdash.db` parameterised SQL in the subset DuckDB and PostgreSQL both run (docs/DEVELOPING.md
"Portable SQL"). What cannot be portable lives here, one small module per engine (connection, placeholders,
exceptions, bulk load, catalog, backup): `duckdb_engine`, `postgres_engine`. `statements` reads which tables a
statement reads and writes; `changes` turns committed writes into versions that cached reads and live pages compare,
shared across processes through the `change_log` table on PostgreSQL.
"""
