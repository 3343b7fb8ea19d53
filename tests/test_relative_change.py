"""Relative-change key results (“by 10%”, “21% QoQ”): stored as a direction kind plus kr_relative, seen as
increase_by / decrease_by, scored from the typed baseline or the first check-in's value — in Python and in SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrdash import db, key_results, relative_change, scores
from okrdash import progress as p
from okrdash.errors import ValidationError
from tests.okr_fixtures import make_objective
from tests.tracking_fixtures import checkin

TODAY = dt.date(2026, 11, 18)


def relative_kr(org, **fields) -> int:
    make_objective(org.growth, org.quarter, created_by=org.lead.person_id)
    values = {"title": "Grow weekly trials by 20%", "kind": "increase_by", "metric": "weekly trials",
              "unit": "trials", "change_pct": 20, "owner_id": org.member.person_id, **fields}
    kr_id = key_results.add(org.lead, org.growth, org.quarter, values, now=dt.datetime(2026, 10, 1, 9))
    db.execute("UPDATE objectives SET status = 'published' WHERE team_id = ? AND quarter = ?",
               [org.growth, org.quarter])
    return kr_id


def state(org, kr_id: int) -> dict:
    return next(r for r in scores.kr_scores(org.growth, org.quarter, today=TODAY) if r["kr_id"] == kr_id)


def test_a_relative_key_result_is_stored_as_its_direction_and_read_back_as_relative(org):
    kr_id = relative_kr(org)
    stored = db.row("SELECT kind, target FROM key_results WHERE id = ?", [kr_id])
    assert stored == {"kind": "increase_to", "target": None}
    kr = key_results.get(kr_id)
    assert (kr["kind"], kr["change_pct"]) == ("increase_by", 20)
    assert key_results.describe(kr) == "+20% on the first check-in's value"
    key_results.update(org.lead, kr_id, {"baseline": 50}, now=dt.datetime(2026, 10, 2, 9))
    assert key_results.describe(key_results.get(kr_id)) == "50 trials → 60 trials (+20%)"


def test_the_baseline_is_the_first_check_in_until_one_is_typed(org):
    kr_id = relative_kr(org)
    checkin(kr_id, org.member.person_id, dt.date(2026, 10, 5), value=100)
    checkin(kr_id, org.member.person_id, dt.date(2026, 11, 2), value=110)
    row = state(org, kr_id)
    assert (row["baseline"], row["target"]) == (pytest.approx(100), pytest.approx(120))
    assert row["score"] == pytest.approx(0.5) == p.progress("increase_by", None, None, [100, 110], change_pct=20)
    key_results.update(org.lead, kr_id, {"baseline": 90}, now=dt.datetime(2026, 11, 3, 9))
    row = state(org, kr_id)  # a typed baseline wins over the first check-in
    assert (row["baseline"], row["target"]) == (pytest.approx(90), pytest.approx(108))
    assert row["score"] == pytest.approx(1.0)


def test_a_relative_decrease(org):
    kr_id = relative_kr(org, title="Cut median time to first reply by 25%", kind="decrease_by", change_pct=25,
                        metric="median time to first reply", unit="h")
    assert db.scalar("SELECT kind FROM key_results WHERE id = ?", [kr_id]) == "decrease_to"
    checkin(kr_id, org.member.person_id, dt.date(2026, 10, 5), value=8)
    checkin(kr_id, org.member.person_id, dt.date(2026, 11, 2), value=7)
    row = state(org, kr_id)
    assert row["target"] == pytest.approx(6) and row["score"] == pytest.approx(0.5)


@pytest.mark.parametrize(("kind", "change", "word"), [("increase_by", None, "required"),
                                                       ("increase_by", 0, "above 0"),
                                                       ("decrease_by", 100, "under 100"),
                                                       ("increase_by", 5000, "at most")])
def test_a_change_is_required_and_sensible(org, kind, change, word):
    with pytest.raises(ValidationError, match=word) as error:
        relative_kr(org, kind=kind, change_pct=change)
    assert error.value.field == "change_pct"


def test_switching_away_from_relative_clears_the_side_table(org):
    kr_id = relative_kr(org)
    key_results.update(org.lead, kr_id, {"kind": "increase_to", "baseline": 10, "target": 15},
                       now=dt.datetime(2026, 10, 2, 9))
    assert db.scalar("SELECT count(*) FROM kr_relative WHERE kr_id = ?", [kr_id]) == 0
    assert key_results.get(kr_id)["kind"] == "increase_to"


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(relative_change.KINDS), st.none() | st.floats(1, 1e6), st.floats(0.5, 99),
       st.lists(st.floats(1, 1e6), min_size=1, max_size=6))
def test_relative_math_is_the_absolute_math_on_the_resolved_numbers(kind, baseline, change, values):
    direction, base, target = p.relative(kind, baseline, change, values)
    assert base == (baseline if baseline is not None else values[0])
    assert target == pytest.approx(relative_change.target(kind, base, change))
    assert p.progress(kind, baseline, None, values, change_pct=change) == p.progress(direction, base, target, values)


def test_dashboards_and_check_ins_say_relative(org):
    from okrdash import checkins
    from okrdash.ui import tracking

    kr_id = relative_kr(org)
    assert tracking.goal_text(checkins.kr_state(org.lead, kr_id, TODAY)) == \
        "increase by 20% from the first check-in"
    checkin(kr_id, org.member.person_id, dt.date(2026, 10, 5), value=100)
    state = checkins.kr_state(org.lead, kr_id, TODAY)
    assert tracking.goal_text(state) == "increase by 20% from 100 trials to 120 trials"
