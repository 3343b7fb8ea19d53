"""Demo data: the believable organisation DESIGN.md §5 describes, deterministic per seed and day."""

import datetime as dt
import re

import pytest

from okrdash import db, quarters
from okrdash.demo import large
from tests.conftest import DEMO_TODAY


def test_demo_organisation_has_the_promised_shape(demo_db_fixed):
    assert db.scalar("SELECT count(*) FROM people") == 40
    assert db.column("SELECT name FROM teams WHERE parent_id IS NULL ORDER BY name") == ["Customer Product",
                                                                                         "Platform"]
    assert db.scalar("SELECT count(*) FROM teams WHERE parent_id IS NOT NULL") == 6
    current = quarters.key_for(DEMO_TODAY)
    assert quarters.current_key() == current
    history = [quarters.shift(current, -n) for n in (4, 3, 2, 1)]
    assert db.column("SELECT key FROM quarters ORDER BY key") == [*history, current, quarters.shift(current, 1)]
    # One objective per team per quarter, each with 2–5 key results.
    per_team = db.rows("""SELECT o.team_id, o.quarter, count(k.id) AS krs FROM objectives o
                          LEFT JOIN key_results k ON k.objective_id = o.id GROUP BY o.team_id, o.quarter""")
    assert len(per_team) == 6 * 5
    assert all(2 <= r["krs"] <= 5 for r in per_team)
    assert db.scalar("SELECT count(*) FROM deprioritized") >= 2 * 6 * 5


def test_demo_quarter_is_mid_way_with_varied_and_stale_check_ins(demo_db_fixed):
    start, end = quarters.bounds(quarters.key_for(DEMO_TODAY))
    latest = db.rows("""SELECT k.id, max(c.checked_on) AS last FROM key_results k
                        JOIN objectives o ON o.id = k.objective_id LEFT JOIN checkins c ON c.kr_id = k.id
                        WHERE o.quarter = ? GROUP BY k.id""", [quarters.key_for(DEMO_TODAY)])
    assert all(start <= r["last"] < DEMO_TODAY for r in latest if r["last"])
    stale = [r for r in latest if r["last"] is None or (DEMO_TODAY - r["last"]).days > 7]
    assert 0 < len(stale) < len(latest)
    assert db.scalar("SELECT max(checked_on) FROM checkins") < DEMO_TODAY <= end
    comments = db.column("SELECT DISTINCT comment FROM checkins WHERE comment <> ''")
    assert len(comments) >= 5


def test_demo_next_quarter_preparation_is_under_way(demo_db_fixed):
    planning = quarters.shift(quarters.key_for(DEMO_TODAY), 1)
    surveys = db.rows("""SELECT t.name, s.closed_at IS NULL AS open, s.anonymous FROM surveys s
                         JOIN teams t ON t.id = s.team_id WHERE s.quarter = ? ORDER BY t.name""", [planning])
    assert [s["name"] for s in surveys if s["open"]] == ["Data & Insights", "Mobile Apps", "Payments & Invoicing",
                                                         "Scheduling"]
    assert "Developer Platform" not in [s["name"] for s in surveys]
    assert [s["name"] for s in surveys if s["anonymous"]] == ["Data & Insights"]
    assert db.scalar("SELECT count(*) FROM ranking_rounds WHERE quarter = ? AND closed_at IS NULL", [planning]) == 1
    assert db.scalar("SELECT count(*) FROM survey_answers WHERE person_id IS NULL") > 0


def test_demo_text_reads_like_a_product_org():
    from okrdash.demo import content

    titles = [i["objective"] for t in content.TEAMS.values() for i in t["ideas"]]
    titles += [kr[0] for t in content.TEAMS.values() for kr in t["key_results"]]
    assert not [t for t in titles if re.search(r"(Objective|Key result|KR|Idea) \d+", t)]
    assert len(set(titles)) == len(titles)


def test_anonymous_answers_and_ideas_carry_no_person(demo_db_fixed):
    assert db.scalar("""SELECT count(*) FROM ideas i JOIN surveys s ON s.id = i.survey_id
                        WHERE s.anonymous AND (i.author_id IS NOT NULL OR NOT i.anonymous)""") == 0
    assert db.scalar("""SELECT count(*) FROM survey_answers a JOIN surveys s ON s.id = a.survey_id
                        WHERE s.anonymous AND a.person_id IS NOT NULL""") == 0


def _snapshot() -> dict:
    """Every table's rows (but their creation stamps), in a stable order."""
    cur = db.cursor()
    found = {}
    for table in cur.tables():
        if table in ("migrations", "change_log"):
            continue
        columns = [name for name, _ in cur.columns(table) if name != "created_at"]
        found[table] = sorted(map(repr, db.cursor().execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()))
    return found


def test_demo_is_deterministic_for_a_seed_and_day(tmp_path, monkeypatch, storage):
    from okrdash import demo

    snapshots = []
    for name in ("a", "b"):
        for setting, value in storage.env(storage.create(tmp_path / f"{name}.duckdb")).items():
            monkeypatch.setenv(setting, value)
        demo.generate(seed=11, today=dt.date(2026, 5, 20))
        snapshots.append(_snapshot())
        db.close_all()
    assert snapshots[0] == snapshots[1]


def test_demo_refuses_a_database_that_already_has_people(demo_db_fixed):
    from okrdash import demo
    from okrdash.errors import ValidationError

    with pytest.raises(ValidationError, match="empty database only"):
        demo.generate()


def test_large_company_generator_keeps_its_shape_at_small_size(monkeypatch):
    monkeypatch.setattr(large, "DEPARTMENTS", 2)
    monkeypatch.setattr(large, "TEAMS_PER_DEPARTMENT", 3)
    monkeypatch.setattr(large, "PEOPLE", 80)
    counts = large.generate(seed=3, today=dt.date(2026, 11, 18))
    assert counts["teams"] == 8 and counts["people"] == 80
    assert counts["objectives"] == 6 * large.QUARTERS
    assert counts["key_results"] == 6 * large.QUARTERS * large.KRS_PER_OBJECTIVE
    assert db.scalar("SELECT count(*) FROM objectives GROUP BY team_id, quarter HAVING count(*) > 1") is None
    assert db.scalar("SELECT max(checked_on) FROM checkins") < dt.date(2026, 11, 18)
    assert db.scalar("SELECT count(*) FROM memberships WHERE role = 'lead'") == 6
    # Sequences stay ahead of the ids written, so the app can add rows afterwards.
    assert db.scalar("SELECT nextval('seq_checkins')") > db.scalar("SELECT max(id) FROM checkins")


def test_nothing_in_the_demo_happened_in_the_future(demo_db):
    now = dt.datetime.now()
    for table, column in [("survey_answers", "submitted_at"), ("survey_participation", "started_at"),
                          ("survey_participation", "submitted_at"), ("ideas", "created_at"),
                          ("ballots", "cast_at"), ("publications", "published_at"), ("checkins", "created_at")]:
        latest = db.scalar(f"SELECT max({column}) FROM {table}")
        assert latest is None or latest <= now, f"{table}.{column} = {latest}"


def test_a_quarters_first_day_already_has_its_kick_off_check_ins():
    """Found by the date sweep: on a quarter's first days the current quarter had no check-in at all (weekly
    check-ins start on the first Friday), so every dashboard of the demo was empty."""
    from okrdash import demo

    today = dt.date(2027, 10, 1)  # a quarter's first day, and a Friday: the first weekly check-in day
    demo.generate(seed=7, today=today)
    first = db.rows("""SELECT o.team_id, k.kind, k.baseline, c.value, c.done, c.created_at FROM checkins c
                       JOIN key_results k ON k.id = c.kr_id JOIN objectives o ON o.id = k.objective_id
                       WHERE o.quarter = '2027-Q4'""")
    assert {r["team_id"] for r in first} == set(db.column("SELECT id FROM teams WHERE parent_id IS NOT NULL"))
    assert all(r["created_at"] <= dt.datetime(2027, 10, 1, 10) for r in first)
    assert all(r["value"] == r["baseline"] for r in first if r["kind"] in ("increase_to", "decrease_to"))
    assert all(r["done"] is False for r in first if r["kind"] == "milestone")
    # A quarter starting on a Friday (2027-Q1, in the history) gets its first weekly check-in a week later, not a
    # second check-in on the kick-off day.
    assert db.scalar("SELECT count(*) FROM (SELECT kr_id, checked_on FROM checkins GROUP BY kr_id, checked_on "
                     "HAVING count(*) > 1) twice") == 0
    assert db.scalar("SELECT count(DISTINCT kr_id) FROM checkins WHERE checked_on = DATE '2027-01-01'") > 0


def test_next_quarters_strategy_was_written_before_its_surveys_opened():
    """Found by the date sweep: the strategy of the quarter being prepared was stamped a month before that quarter
    starts, which early in a quarter lies in the future (and after the surveys that give it as pre-reading)."""
    from okrdash import demo

    today = dt.date(2027, 4, 1)
    demo.generate(seed=7, today=today)
    written = db.scalar("SELECT max(updated_at) FROM strategy_items WHERE quarter = '2027-Q3'")
    opened = db.scalar("SELECT min(opened_at) FROM surveys WHERE quarter = '2027-Q3'")
    assert written < opened < dt.datetime(2027, 4, 1)
    # Quarters already under way keep a strategy written a month before they started.
    assert db.scalar("SELECT max(updated_at) FROM strategy_items WHERE quarter = '2027-Q2'") == dt.datetime(
        2027, 3, 2, 10)
