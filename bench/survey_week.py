"""Survey week: a manager and a lead reading while 50 threads write survey answers and check-ins.

On the benchmark company, the next quarter's surveys open for a few hundred teams; then 50 writer threads (in this
process: DuckDB lets one process open the file; Streamlit runs every session as a thread of one process too) keep
submitting survey answers (half the threads) and checking in on the current quarter's key results (the other
half), each waiting 1–5 s between two writes as a person does, while the main thread runs the manager's
organisation overview and the lead's workshop page in turn. (Without the wait, 50 threads that never pause take
the interpreter lock from the page's thread about 50 times as often as it gets it, and a page takes seconds
whatever its queries cost.) Each page time is a whole script run (AppTest), cached reads and
all: a check-in anywhere empties the overview's reads of the quarter, a survey answer of the lead's own team the
workshop's. Returns table rows for bench/results.md.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
import time

from bench.measures import Row, _app_at, people, verdict

SURVEY_TEAMS = 300
THINK = (1.0, 5.0)  # seconds each writer waits between two writes, as a person filling in a form


def _open_surveys(lead_email: str) -> list[tuple[int, list[int]]]:
    """(survey id, members who have not submitted) for the next quarter's open surveys, opened where missing; the
    lead's team first."""
    from okrdash import auth, db, quarters, surveys

    planning = quarters.shift(quarters.current_key(), 1)
    quarters.ensure(planning)
    teams = db.column("""SELECT m.team_id FROM memberships m JOIN people p ON p.id = m.person_id
                         WHERE m.role = 'lead' ORDER BY p.email <> ?, m.team_id LIMIT ?""", [lead_email, SURVEY_TEAMS])
    deadline = dt.datetime.now() + dt.timedelta(days=7)
    for team_id in teams:
        if not db.scalar("SELECT count(*) FROM surveys WHERE team_id = ? AND quarter = ?", [team_id, planning]):
            lead = auth.load(db.scalar("SELECT person_id FROM memberships WHERE team_id = ? AND role = 'lead'",
                                       [team_id]))
            surveys.open_survey(lead, team_id, planning, deadline=deadline)
    found = db.rows("""SELECT s.id, m.person_id FROM surveys s JOIN memberships m ON m.team_id = s.team_id
                       WHERE s.quarter = ? AND s.team_id = ANY(?) AND s.closed_at IS NULL AND s.deadline > ?
                         AND m.person_id NOT IN (
                           SELECT person_id FROM survey_participation WHERE survey_id = s.id
                           AND status = 'submitted')""", [planning, teams, dt.datetime.now()])
    by_survey: dict[int, list[int]] = {}
    for row in found:
        by_survey.setdefault(row["id"], []).append(row["person_id"])
    return list(by_survey.items())


def survey_week(empty: float, seconds: float = 30, threads: int = 50) -> list[Row]:
    """Median and p95 of the manager's overview and the lead's workshop while the writers run; `empty` is the empty
    page's warm run in seconds (the baseline)."""
    from bench.measures import check_in_elsewhere
    from okrdash import auth
    from okrdash import survey_answers as answers
    from okrdash.errors import OkrError

    manager, lead = people()
    open_surveys = _open_surveys(lead)
    check_in = check_in_elsewhere(lead)
    pages = {"overview": _app_at(manager, "pages/dashboard_overview.py"),
             "workshop": _app_at(lead, "pages/workshop.py")}
    for at in pages.values():
        at.run()
    stop = threading.Event()
    lock = threading.Lock()
    written = {"answers": 0, "checkins": 0, "refused": 0}
    reasons: dict[str, int] = {}
    pending = [(survey_id, person) for survey_id, crew in open_surveys for person in crew]
    random.Random(7).shuffle(pending)

    def answer() -> None:
        with lock:
            survey_id, person = pending.pop() if pending else (None, None)
        if survey_id is None:
            return
        actor = auth.load(person)
        answers.save_objective(actor, survey_id, {"title": f"An idea from person {person}"})
        answers.submit(actor, survey_id)
        count("answers")

    def count(what: str) -> None:
        with lock:
            written[what] += 1

    def writer(kind: str, seed: int) -> None:
        pace = random.Random(seed)
        while not stop.wait(pace.uniform(*THINK)):  # a person between two saves
            try:
                if kind == "answers":
                    answer()
                else:
                    check_in()  # each call on the next key result in turn
                    count("checkins")
            except OkrError as error:
                count("refused")  # a lost race (Conflict) or a rule, reported below
                with lock:
                    reasons[type(error).__name__] = reasons.get(type(error).__name__, 0) + 1

    workers = [threading.Thread(target=writer, args=("answers" if n % 2 else "checkins", n), daemon=True)
               for n in range(threads)]
    for worker in workers:
        worker.start()
    times: dict[str, list[float]] = {name: [] for name in pages}
    ends = time.perf_counter() + seconds
    try:
        while time.perf_counter() < ends:
            for name, at in pages.items():
                started = time.perf_counter()
                at.run()
                times[name].append(time.perf_counter() - started)
    finally:
        stop.set()
        for worker in workers:
            worker.join(60)
    rows = []
    for name, title, limit in (("overview", "manager's organisation overview", 10), ("workshop", "lead's workshop",
                                                                                      None)):
        samples = sorted(times[name])
        median, p95 = statistics.median(samples), samples[int(len(samples) * 0.95)]
        rows.append((f"Survey week: the {title} while {threads} threads write ({written['answers']} answers, "
                     f"{written['checkins']} check-ins, {written['refused']} refused"
                     f"{' (' + ', '.join(f'{n} {k}' for k, n in sorted(reasons.items())) + ')' if reasons else ''} "
                     f"in {seconds:.0f} s)",
                     f"median {median * 1000:.0f} ms ({median / empty:.1f}× empty), p95 {p95 * 1000:.0f} ms "
                     f"({p95 / empty:.1f}×), {len(samples)} runs",
                     f"p95 ≤ {limit}× empty" if limit else "", verdict(p95 / empty <= limit) if limit else ""))
    return rows
