"""Concurrency: many people submitting at once into one survey, one person double-submitting from several tabs,
two tabs editing the same draft. Threads call the library; each thread gets its own cursor through db.cursor()."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from okrdash import answer_ideas, auth, db, surveys, teams
from okrdash import survey_answers as answers
from okrdash.errors import Conflict
from tests.survey_fixtures import DEADLINE, NOW, answer_with_ideas, live_ideas, open_growth_survey

PEOPLE = 500
THREADS = 50


def big_team(size: int) -> tuple[int, auth.Actor, list[auth.Actor]]:
    """A team with a lead and `size` members, inserted in bulk; returns (team id, lead, members)."""
    team_id = teams.create("Crowd")
    with db.transaction() as cur:
        ids = [r[0] for r in cur.execute("SELECT nextval('seq_people') FROM generate_series(1, ?)",
                                         [size + 1]).fetchall()]
        cur.executemany("INSERT INTO people (id, name, email) VALUES (?, ?, ?)",
                        [[i, f"Person {i}", f"p{i}@crowd.example"] for i in ids])
        cur.executemany("INSERT INTO memberships (team_id, person_id, role) VALUES (?, ?, ?)",
                        [[team_id, i, "lead" if n == 0 else "member"] for n, i in enumerate(ids)])
    lead = auth.load(ids[0])
    members = [auth.Actor(person_id=i, name=f"Person {i}", email=f"p{i}@crowd.example",
                          member_of=frozenset({team_id})) for i in ids[1:]]
    return team_id, lead, members


def test_500_submissions_from_50_threads_lose_and_duplicate_nothing(org):
    team_id, lead, members = big_team(PEOPLE)
    survey_id = surveys.open_survey(lead, team_id, org.next_quarter, deadline=DEADLINE, now=NOW)
    start = threading.Barrier(THREADS)
    results: list[dict] = []
    lock = threading.Lock()

    def work(chunk: list[auth.Actor]) -> None:
        start.wait()  # everyone starts together
        for n, person in enumerate(chunk):
            key = answers.save_objective(person, survey_id, {"title": f"Idea of {person.name}"}, now=NOW)
            answers.save_key_result(person, survey_id, key, {"title": f"KR of {person.name}", "target": n},
                                    now=NOW)
            answers.save_concern(person, survey_id, {"title": f"Worry of {person.name}"}, now=NOW)
            result = answers.submit(person, survey_id, now=NOW)
            again = answers.submit(person, survey_id, now=NOW)  # a double click
            with lock:
                results.extend([result, again])

    chunks = [members[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(work, chunk) for chunk in chunks]:
            future.result()

    assert sum(1 for r in results if not r["already"]) == PEOPLE
    assert db.scalar("SELECT count(*) FROM survey_answers WHERE survey_id = ?", [survey_id]) == PEOPLE
    assert db.scalar("SELECT count(DISTINCT person_id) FROM survey_answers WHERE survey_id = ?", [survey_id]) == PEOPLE
    assert db.scalar("""SELECT count(*) FROM survey_participation
                        WHERE survey_id = ? AND status = 'submitted'""", [survey_id]) == PEOPLE
    assert db.scalar("SELECT count(*) FROM survey_drafts WHERE survey_id = ?", [survey_id]) == 0
    ideas = live_ideas(survey_id)
    assert len(ideas) == 3 * PEOPLE and len({i["id"] for i in ideas}) == 3 * PEOPLE
    per_answer = db.rows("""SELECT answer_id, count(*) AS n, count(DISTINCT author_id) AS authors,
                                   count(*) FILTER (WHERE kind = 'objective') AS objectives
                            FROM ideas WHERE survey_id = ? GROUP BY answer_id""", [survey_id])
    assert len(per_answer) == PEOPLE
    assert all((r["n"], r["authors"], r["objectives"]) == (3, 1, 1) for r in per_answer)
    titles = {i["title"] for i in ideas if i["kind"] == "objective"}
    assert titles == {f"Idea of {m.name}" for m in members}
    # Every KR idea hangs under the objective idea of its own answer.
    assert db.scalar("""SELECT count(*) FROM ideas k JOIN ideas o ON o.id = k.parent_id
                        WHERE k.kind = 'key_result' AND k.survey_id = ? AND o.answer_id = k.answer_id""",
                     [survey_id]) == PEOPLE


def test_one_person_submitting_from_ten_tabs_at_once_is_one_answer(org):
    surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=DEADLINE, now=NOW)
    survey_id = db.scalar("SELECT id FROM surveys")
    key = answers.save_objective(org.member, survey_id, {"title": "Only once"}, now=NOW)
    answers.save_key_result(org.member, survey_id, key, {"title": "KR"}, now=NOW)
    start = threading.Barrier(10)

    def click() -> dict:
        start.wait()
        return answers.submit(org.member, survey_id, now=NOW)

    with ThreadPoolExecutor(10) as pool:
        outcomes = [f.result() for f in [pool.submit(click) for _ in range(10)]]
    assert sum(1 for o in outcomes if not o["already"]) == 1
    assert db.scalar("SELECT count(*) FROM survey_answers") == 1
    assert len(live_ideas(survey_id)) == 2


def test_two_tabs_adding_ideas_at_the_same_time_lose_nothing(org):
    survey_id = surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=DEADLINE, now=NOW)
    start = threading.Barrier(8)

    def add(n: int) -> None:
        start.wait()
        for m in range(3):
            answers.save_concern(org.member, survey_id, {"title": f"Tab {n} worry {m}"}, now=NOW)

    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(add, n) for n in range(8)]:
            future.result()
    concerns = answers.my_answer(org.member, survey_id, now=NOW)["payload"]["concerns"]
    assert sorted(c["title"] for c in concerns) == sorted(f"Tab {n} worry {m}" for n in range(8) for m in range(3))


def _submit_in_thread(actor, survey_id: int) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def work() -> None:
        try:
            outcome.update(answers.submit(actor, survey_id, now=NOW))
        except Exception as error:  # reported to the test, which asserts on it
            outcome["error"] = error

    worker = threading.Thread(target=work)
    worker.start()
    return worker, outcome


def test_a_switch_racing_the_first_answer_is_refused_and_the_answer_keeps_its_setting(org, monkeypatch):
    """The member's submit is writing (not committed) when the lead switches anonymity on: the switch fails as a
    conflict, so the named answer does not end up inside an anonymous survey."""
    survey_id = open_growth_survey(org)
    answer_with_ideas(org.member, survey_id)
    writing, release = threading.Event(), threading.Event()
    real_insert = answer_ideas.insert

    def insert_then_wait(*args, **kwargs):
        ids = real_insert(*args, **kwargs)
        writing.set()
        release.wait(5)
        return ids

    monkeypatch.setattr(answer_ideas, "insert", insert_then_wait)
    worker, outcome = _submit_in_thread(org.member, survey_id)
    assert writing.wait(5)
    with pytest.raises(Conflict):
        surveys.update_settings(org.lead, survey_id, opening_text="Now anonymous", anonymous=True, prereading_ids=[])
    release.set()
    worker.join(5)
    assert "error" not in outcome and outcome["answer_id"]
    assert not surveys.get(survey_id)["anonymous"]
    assert db.column("SELECT person_id FROM survey_answers WHERE survey_id = ?", [survey_id]) == [
        org.member.person_id]


def test_an_answer_racing_a_switch_to_anonymous_is_stored_anonymously(org, monkeypatch):
    """The lead's switch is writing when the member submits: the submit loses the race, retries, and then reads the
    new setting, so the answer carries no name."""
    survey_id = open_growth_survey(org)
    answer_with_ideas(org.member, survey_id)
    switching, release = threading.Event(), threading.Event()
    real_write = surveys._write_prereading

    def write_then_wait(*args, **kwargs):
        real_write(*args, **kwargs)
        switching.set()
        release.wait(5)

    monkeypatch.setattr(surveys, "_write_prereading", write_then_wait)
    lead = threading.Thread(target=lambda: surveys.update_settings(
        org.lead, survey_id, opening_text="Now anonymous", anonymous=True, prereading_ids=[]))
    lead.start()
    assert switching.wait(5)
    worker, outcome = _submit_in_thread(org.member, survey_id)
    threading.Timer(0.05, release.set).start()  # the submit's first attempts conflict meanwhile
    lead.join(5)
    worker.join(5)
    assert "error" not in outcome and outcome["answer_id"]
    assert surveys.get(survey_id)["anonymous"]
    assert db.column("SELECT person_id FROM survey_answers WHERE survey_id = ?", [survey_id]) == [None]
