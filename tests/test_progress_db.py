"""Scores from the database (okrdash/scores.py) on the demo organisation as of DEMO_TODAY: known values, and every KR's
SQL state recomputed from its raw check-ins with the pure Python rules."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import db, scores
from okrdash import progress as p
from tests.conftest import DEMO_TODAY
from tests.tracking_fixtures import reference_states


def team_id(name: str) -> int:
    return db.scalar("SELECT id FROM teams WHERE name = ?", [name])


def test_kr_scores_of_onboarding_in_the_current_quarter(demo_db_fixed):
    rows = scores.kr_scores(team_id("Onboarding"), "2026-Q4", today=DEMO_TODAY)
    assert set(rows[0]) == {"kr_id", "title", "kind", "unit", "baseline", "target", "last_value", "done", "score",
                            "status"}
    reference = sorted((s for s in reference_states(DEMO_TODAY) if s["team"] == "Onboarding"
                        and s["quarter"] == "2026-Q4"), key=lambda s: s["position"])
    assert [(r["kr_id"], r["kind"], r["status"]) for r in rows] == [
        (s["kr_id"], s["kind"], s["status"]) for s in reference]
    assert [r["score"] for r in rows] == pytest.approx([s["score"] for s in reference])
    for row, state in zip(rows, reference, strict=True):
        latest = state["checkins"][-1]
        assert (row["last_value"], row["done"]) == (
            (None, latest["done"]) if row["kind"] == "milestone" else (latest["value"], None))
    for row in rows:  # a decrease's score by hand: the share of the way from baseline down to target
        if row["kind"] == "decrease_to":
            share = (row["baseline"] - row["last_value"]) / (row["baseline"] - row["target"])
            assert row["score"] == pytest.approx(min(max(share, 0.0), 1.0))
    assert scores.objective_score(team_id("Onboarding"), "2026-Q4", today=DEMO_TODAY) == pytest.approx(
        sum(r["score"] for r in rows) / len(rows))


def test_finished_quarters_are_scored_at_their_end_and_unknown_teams_have_none(demo_db_fixed):
    rows = scores.kr_scores(team_id("Scheduling"), "2026-Q3", today=DEMO_TODAY)
    assert rows and all(0.0 <= r["score"] <= 1.0 for r in rows)
    # The same numbers whatever later day asks: the quarter is over.
    assert scores.kr_scores(team_id("Scheduling"), "2026-Q3", today=dt.date(2027, 6, 1)) == rows
    assert scores.kr_scores(team_id("Customer Product"), "2026-Q3", today=DEMO_TODAY) == []
    assert scores.objective_score(team_id("Customer Product"), "2026-Q3", today=DEMO_TODAY) is None
    assert scores.kr_scores(team_id("Onboarding"), "2027-Q1", today=DEMO_TODAY) == []


def test_append_only_corrections_count_the_latest_row_per_date(demo_db_fixed):
    kr = db.row("""SELECT k.id, k.kind FROM key_results k JOIN objectives o ON o.id = k.objective_id
                   WHERE o.quarter = '2026-Q4' AND k.kind = 'increase_to' ORDER BY k.id LIMIT 1""")
    last = db.row("SELECT checked_on, person_id FROM checkins WHERE kr_id = ? ORDER BY checked_on DESC LIMIT 1",
                  [kr["id"]])
    target = db.scalar("SELECT target FROM key_results WHERE id = ?", [kr["id"]])
    db.execute("""INSERT INTO checkins (kr_id, person_id, checked_on, value, confidence, created_at)
                  VALUES (?, ?, ?, ?, 9, ?)""", [kr["id"], last["person_id"], last["checked_on"], target,
                                                  dt.datetime.now()])
    row = next(r for r in db.rows(scores.state_sql("k.id = $kr") + " SELECT * FROM kr_states",
                                  {"kr": kr["id"], "today": DEMO_TODAY}))
    assert row["last_value"] == target and row["score"] == 1.0 and row["confidence"] == 9


def test_every_demo_kr_state_matches_the_python_rules(demo_db_fixed):
    states = db.rows(scores.state_sql("true") + " SELECT * FROM kr_states", {"today": DEMO_TODAY})
    assert len(states) > 80
    checkins: dict[int, list[dict]] = {}
    for c in db.rows("SELECT * FROM checkins ORDER BY kr_id, checked_on, created_at, id"):
        checkins.setdefault(c["kr_id"], []).append(c)  # later rows for a date overwrite below
    seen_status = set()
    for s in states:
        by_day = {c["checked_on"]: c for c in checkins.get(s["kr_id"], []) if c["checked_on"] <= s["as_of"]}
        effective = [by_day[d] for d in sorted(by_day)]
        if not effective:
            assert s["status"] == "no_data" and s["score"] == 0.0
            continue
        latest = effective[-1]
        values = [c["value"] for c in effective]
        done = latest["done"] if s["kind"] == "milestone" else None
        progress_now = p.progress(s["kind"], s["baseline"], s["target"], values, done)
        expected = p.expected_progress(latest["checked_on"], s["starts_on"], s["due_on"])
        within = p.within_bound(s["kind"], s["target"], latest["value"])
        assert s["progress"] == pytest.approx(progress_now)
        assert s["status"] == p.status(s["kind"], progress_now, expected, latest["confidence"], within)
        assert s["stale"] == p.is_stale(latest["checked_on"], DEMO_TODAY, s["starts_on"], s["ends_on"])
        assert s["due"] == p.is_due(latest["checked_on"], DEMO_TODAY, s["starts_on"], s["ends_on"])
        if s["kind"] != "milestone":
            points = [((c["checked_on"] - s["starts_on"]).days, c["value"]) for c in effective]
            projected = p.projected_value(points, (s["due_on"] - s["starts_on"]).days, s["baseline"], s["target"])
            assert s["projected_value"] == pytest.approx(projected, rel=1e-6, abs=1e-6)
        seen_status.add(s["status"])
    assert seen_status == {"on_track", "at_risk", "off_track"}
