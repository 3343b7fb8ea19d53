"""The operator commands of `python -m okrdash` (okrdash.cli): each parses, calls one library function, reports."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from okrdash.cli import command
from okrdash.errors import DatabaseLocked

# ---- the database ----

@command("migrate", "Apply the migrations the database lacks, then stop (run it once before rolling out replicas).")
def migrate(args: argparse.Namespace) -> int:
    from okrdash import operations

    applied = operations.migrate()
    print(f"{operations.where()}: applied {', '.join(applied)}." if applied
          else f"{operations.where()}: up to date, nothing to apply.")
    return 0


@command("check", "Open the database as it is, verify its migrations and run one query; exit 1 if anything is wrong.")
def check(args: argparse.Namespace) -> int:
    from okrdash import operations

    print(operations.check())
    return 0


def _copy_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="postgresql://…", help="an empty PostgreSQL database")


@command("copy-to", "Copy the DuckDB database (OKRDASH_DB) into an empty PostgreSQL database, checking every "
         "table's row count.", _copy_arguments)
def copy_to(args: argparse.Namespace) -> int:
    from okrdash import operations

    operations.copy_to(args.url, report=lambda line: print(line, flush=True))
    return 0


def _file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the backup zip")


@command("backup", "Write a consistent backup of the DuckDB database to FILE (the Admin page's backup). PostgreSQL: "
         "use pg_dump.", _file_argument)
def backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from okrdash import backup as backups

    data = backups.take()
    Path(args.file).write_bytes(data)
    print(f"Wrote a backup of {backups.db.database_path()} to {args.file} ({len(data):,} bytes).")
    return 0


@command("restore", "Replace the DuckDB database with the backup in FILE (the current file is kept beside it). Stop "
         "the app first.", _file_argument)
def restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from okrdash import backup as backups
    from okrdash.errors import ValidationError

    source = Path(args.file)
    if not source.is_file():
        raise ValidationError(f"There is no file {source}.")
    counts = backups.restore_from(source.read_bytes())
    print(f"Restored {sum(counts.values()):,} rows in {len(counts)} tables into {backups.db.database_path()}.")
    return 0


# ---- notifications ----

def _remind_arguments(parser: argparse.ArgumentParser) -> None:
    from okrdash.notify.kinds import KINDS

    parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    parser.add_argument("--only", choices=list(KINDS), metavar="KIND",
                        help=f"send only this kind: {', '.join(KINDS)}")
    parser.add_argument("--now", type=dt.datetime.fromisoformat, metavar="YYYY-MM-DDTHH:MM",
                        help="act as if it were this moment (organisation's time zone); for tests and catching up")


@command("remind", "Send the reminders, nudges and digests that are due (email and team chat), each once per "
         "period. Exit status 1 when anything failed.", _remind_arguments)
def remind(args: argparse.Namespace) -> int:
    from okrdash import db
    from okrdash.notify import remind as job

    try:
        report = job.run(now=args.now, dry_run=args.dry_run, only=args.only, echo=lambda line: print(line, flush=True))
    except DatabaseLocked as error:
        print(f"okrdash remind: {error.message} With DuckDB, set OKRDASH_REMIND_EVERY=15 to let the running app send "
              "the reminders itself (README → Reminders).", file=sys.stderr)
        return 1
    finally:
        db.close_all()
    for note in report.notes:
        print(f"note: {note}")
    print(report.summary())
    if not report.ok:
        print("okrdash remind: some messages were not sent (see above); the next run tries the failed ones again.",
              file=sys.stderr)
    return 0 if report.ok else 1


@command("rebuild-summaries", "Recompute the key-result summaries the dashboards read (okrdash.summaries) from the "
         "check-ins. Every write keeps them; this repairs them if they are ever in doubt.")
def rebuild_summaries(args: argparse.Namespace) -> int:
    import time

    from okrdash import db, summaries

    started = time.perf_counter()
    try:
        count = summaries.rebuild_all()
    finally:
        db.close_all()
    print(f"Rebuilt the summaries of {count:,} key results in {time.perf_counter() - started:.1f} s "
          f"({db.target()}).")
    return 0
