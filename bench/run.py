"""okrdash benchmark: `python bench/run.py [--db bench/large.duckdb] [--runs 15]`.

Measures, in one run, the ratios DESIGN.md §6 sets as targets, prints a table and writes bench/results.md:
- generating the benchmark company (≤ 60 s);
- each page's script run (AppTest) on the large dataset against an empty page: warm (≤ 3×) and cold, each run
  right after a check-in on another team's key result (≤ 5×; workshop pages within 1.5× of the demo's);
- survey week: the manager's overview and the lead's workshop while 50 threads write (p95 ≤ 10× empty);
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

from bench import live, measures, survey_week  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=str(ROOT / "bench" / "large.duckdb"), help="benchmark company database")
    parser.add_argument("--runs", type=int, default=15, help="timed script runs per page")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the benchmark company first")
    parser.add_argument("--skip-postgres", action="store_true", help="leave out the PostgreSQL side by side")
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
    load_before = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    page_rows, empty, large_pages = measures.page_runs(args.runs)
    rows += page_rows
    rows += survey_week.survey_week(empty)
    rows += measures.dashboard_vs_pandas()
    rows += measures.survey_submissions()
    rows += measures.cold_start()
    sections = []
    if not args.skip_postgres:
        from bench import storage

        server = storage.Server()
        try:
            copied, url = storage.copy_to_large(database, server)
            rows += copied
            os.environ.pop("OKRDASH_DATABASE_URL", None)
            os.environ["OKRDASH_DB"] = str(database)
            compared, pages = storage.page_table(args.runs, large_pages, url)
            written, writers = storage.writers(server)
            rows += compared + written
            sections = ["## Pages on DuckDB and PostgreSQL (large company, one run)", pages,
                        "## Concurrent writers", writers]
        finally:
            server.close()
            os.environ.pop("OKRDASH_DATABASE_URL", None)  # what follows (live pages) runs on DuckDB files
            os.environ["OKRDASH_DB"] = str(database)
    sections += [LIVE_HEADING, _live_section()]

    text = _table(rows)
    print(text)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    header = (f"# Benchmark results\n\n`python bench/run.py` on {time.strftime('%Y-%m-%d')}, "
              f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {load_before} at the start and "
              f"{load} at the end (1, 5, 15 minutes). Ratios are measured within one run.\n\n")
    results = ROOT / "bench" / "results.md"
    generated = {section.splitlines()[0] for section in sections[::2]}
    kept = _written_by_hand(results.read_text() if results.exists() else "", generated)
    results.write_text("\n\n".join([header + text, *sections, *kept]) + "\n")
    return 0


def _written_by_hand(text: str, generated: set[str]) -> list[str]:
    """The sections of the old results (## headings) this script does not write: notes, other scripts' figures."""
    return [section for section in _sections(text)[1] if section.splitlines()[0] not in generated]


def _sections(text: str) -> tuple[str, list[str]]:
    """Markdown split at its ## headings: what comes before the first, and each section from its heading on."""
    first, *rest = text.rstrip().split("\n## ")
    return first.rstrip(), ["## " + part.rstrip() for part in rest]


def _table(rows: list[tuple[str, str, str, str]]) -> str:
    table = ["| measure | result | target | verdict |", "|---|---|---|---|"]
    table += [f"| {m} | {r} | {t} | {v} |" for m, r, t, v in rows]
    return "\n".join(table)


LIVE_HEADING = "## Live pages"


def _live_section() -> str:
    text = _table(live.live_pages())
    print(text)
    return (f"`python bench/run.py --only live` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
            f"Python {sys.version.split()[0]}, on the demo organisation.\n\n{text}")


def live_only() -> int:
    """The live measures alone (no benchmark company needed); they replace the section under LIVE_HEADING."""
    section = _live_section()
    results = ROOT / "bench" / "results.md"
    current = results.read_text() if results.exists() else "# Benchmark results\n"
    results.write_text(with_section(current, LIVE_HEADING, section))
    return 0


def with_section(text: str, heading: str, body: str) -> str:
    """`text` (markdown in ## sections) with the section under `heading` replaced by `body` where it stands, so the
    notes around it keep their place; added at the end if `text` has no such section."""
    first, sections = _sections(text)
    fresh = f"{heading}\n\n{body.strip()}"
    found = [n for n, section in enumerate(sections) if section.splitlines()[0] == heading]
    if found:
        sections[found[0]] = fresh
    else:
        sections.append(fresh)
    return "\n\n".join([first, *sections]) + "\n"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


if __name__ == "__main__":
    sys.exit(main())
