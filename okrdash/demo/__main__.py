"""`python -m okrdash.demo [--seed N] [--db PATH] [--scale small|large] [--today YYYY-MM-DD]`."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

from okrdash.errors import OkrError


def progress_bar(share: float, message: str) -> None:
    filled = int(share * 30)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {share * 100:3.0f}% {message:<40}")
    sys.stderr.flush()
    if share >= 1:
        sys.stderr.write("\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m okrdash.demo", description=__doc__)
    parser.add_argument("--seed", type=int, default=7, help="same seed and day, same data (default 7)")
    parser.add_argument("--db", help="database file (default: OKRDASH_DB or data/okrdash.duckdb)")
    parser.add_argument("--scale", choices=["small", "large"], default="small",
                        help="small: the demo organisation; large: the benchmark company (10,000 people)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="pretend today is this date (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    if args.db:
        os.environ["OKRDASH_DB"] = args.db
    from okrdash import db, demo  # after OKRDASH_DB is set

    started = time.perf_counter()
    try:
        if args.scale == "large":
            from okrdash.demo import large

            counts = large.generate(seed=args.seed, today=args.today, progress=progress_bar)
        else:
            counts = demo.generate(seed=args.seed, today=args.today, progress=progress_bar)
    except OkrError as error:
        print(f"\n{error.message}", file=sys.stderr)
        return 2
    finally:
        db.close_all()
    total = sum(counts.values())
    print(f"Wrote {total:,} rows to {db.database_path()} in {time.perf_counter() - started:.1f} s.")
    for table, count in counts.items():
        print(f"  {table:<22} {count:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
