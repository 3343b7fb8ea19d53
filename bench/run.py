"""okrdash benchmark: `python bench/run.py [--db bench/large.duckdb] [--runs 15]`.

Measures, in one run, the ratios DESIGN.md §6 sets as targets, prints a table and writes bench/results.md:
- generating the benchmark company (≤ 60 s);
- each page's script run (AppTest, warm cache) on the large dataset against an empty page (≤ 3×);
- the manager dashboard's queries against a naive pandas version (≥ 10× faster);
- 500 survey submissions from 50 threads (0 lost; p50/p95 write time);
- cold start on a fresh clone: `streamlit run` until the home page has rendered with the demo database (≤ 3 s);
- live pages (bench/live.py): a tick's server time when nothing changed (≤ 5 ms) and 20 followers idling on one
  server (≤ 10% of one core), on the demo organisation. `--only live` runs just these and rewrites the "Live pages"
  section of bench/results.md, leaving the rest of it as it was.
Tests never assert timings; this script is where speed is measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import live, measures  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=str(ROOT / "bench" / "large.duckdb"), help="benchmark company database")
    parser.add_argument("--runs", type=int, default=15, help="timed script runs per page")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the benchmark company first")
    parser.add_argument("--only", choices=["live"], help="run one group of measures (no benchmark company needed)")
    args = parser.parse_args()
    if args.only == "live":
        return live_only()
    database = Path(args.db)
    rows: list[tuple[str, str, str, str]] = []  # (measure, result, target, verdict)

    if args.regenerate or not database.exists():
        database.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "okrdash.demo", "--scale", "large", "--db", str(database)],
                       cwd=ROOT, check=True)
        seconds = time.perf_counter() - started
        rows.append(("Generate the benchmark company", f"{seconds:.1f} s", "≤ 60 s", _verdict(seconds <= 60)))

    os.environ["OKRDASH_DB"] = str(database)
    os.environ["OKRDASH_DEMO"] = "0"
    rows += measures.page_runs(args.runs)
    rows += measures.dashboard_vs_pandas()
    rows += measures.survey_submissions()
    rows += measures.cold_start()
    rows += live.live_pages()

    text = _table(rows)
    print(text)
    header = (f"# Benchmark results\n\n`python bench/run.py` on {time.strftime('%Y-%m-%d')}, "
              f"{os.cpu_count()} cores, Python {sys.version.split()[0]}. Ratios are measured within one run.\n\n")
    (ROOT / "bench" / "results.md").write_text(header + text + "\n")
    return 0


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    table = ["| measure | result | target | verdict |", "|---|---|---|---|"]
    table += [f"| {m} | {r} | {t} | {v} |" for m, r, t, v in rows]
    return "\n".join(table)


LIVE_HEADING = "## Live pages"


def live_only() -> int:
    """The live measures alone; their table replaces the one under LIVE_HEADING in bench/results.md."""
    text = _table(live.live_pages())
    print(text)
    results = ROOT / "bench" / "results.md"
    current = results.read_text() if results.exists() else "# Benchmark results\n"
    stamp = (f"`python bench/run.py --only live` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
             f"Python {sys.version.split()[0]}, on the demo organisation.")
    if LIVE_HEADING in current:
        before, after = current.split(LIVE_HEADING, 1)
        table_start = after.index("| measure |")
        table_end = after.find("\n\n", table_start)
        rest = after[table_end:] if table_end >= 0 else "\n"
        results.write_text(f"{before}{LIVE_HEADING}\n\n{stamp}\n\n{text}{rest}")
    else:
        results.write_text(f"{current.rstrip()}\n\n{LIVE_HEADING}\n\n{stamp}\n\n{text}\n")
    return 0


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


if __name__ == "__main__":
    sys.exit(main())
