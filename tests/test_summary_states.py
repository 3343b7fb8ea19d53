"""The summaries a refresh works out in Python (okrdash/summaries/states.py) equal what a rebuild computes with
state_sql: for every key result of the demo, and for random histories of one key result (hypothesis), written as
plain rows so that what the library would refuse (a check-in outside the quarter, two on one day, a due date
before the start, a value missing) is covered too."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from okrdash import db
from okrdash.summaries import keep, rebuild

CREATED = dt.datetime(2026, 7, 1, 9, 0)


def assert_computed_as_rebuilt(cur, ids: list[int]) -> None:
    mine, my_states, _ = keep._computed(cur, ids)
    rebuild(cur, ids)
    theirs, their_states = keep.stored(cur, ids)
    assert set(mine) == set(theirs)
    for kr_id in ids:
        assert keep.same(mine.get(kr_id), theirs.get(kr_id)), (mine.get(kr_id), theirs.get(kr_id))
        assert keep.same(my_states.get(kr_id), their_states.get(kr_id)), (my_states.get(kr_id), their_states.get(kr_id))


def test_every_demo_key_result_is_computed_as_state_sql_computes_it(demo_db_fixed):
    ids = db.column("SELECT id FROM key_results ORDER BY id")
    assert set(db.column("SELECT DISTINCT kind FROM key_results")) == {  # relative ones: the next test
        "increase_to", "decrease_to", "stay_above", "stay_below", "milestone"}
    with db.transaction() as cur:
        assert_computed_as_rebuilt(cur, ids)


class RolledBack(Exception):
    pass


number = st.one_of(st.none(), st.integers(-50, 500).map(float),
                   st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False))
# Days from the quarter's start, or ("end", days) from its last day, where "up to the quarter's end" is decided.
day = st.one_of(st.integers(-10, 110), st.sampled_from([-1, 0, 1]).map(lambda d: ("end", d)))
checkin = st.tuples(day, number, st.one_of(st.none(), st.booleans()), st.integers(0, 10),
                    st.integers(0, 3))
history = st.fixed_dictionaries({
    "kind": st.sampled_from(["increase_to", "decrease_to", "stay_above", "stay_below", "milestone", "increase_by",
                             "decrease_by"]),
    "baseline": number, "target": number, "change_pct": st.floats(0.5, 200),
    "due": st.one_of(st.none(), st.integers(-10, 120)),
    "checkins": st.lists(checkin, max_size=14)})


def falling(values: list[float]) -> dict:
    """A decrease to 0 whose trend runs below 0 by its due date: projected at 0, never below."""
    return {"kind": "decrease_to", "baseline": 100.0, "target": 0.0, "change_pct": 1.0, "due": None,
            "checkins": [(10 * n, value, None, 7, 0) for n, value in enumerate(values)]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kr=history)
@example(kr=falling([100.0, 60.0, 20.0]))
@example(kr=falling([100.0]) | {"checkins": [(0, 90.0, None, 7, 0), (("end", 0), 70.0, None, 7, 0),
                                             (("end", 1), 10.0, None, 7, 0)]})
# A relative key result with no typed baseline: its first check-in's value (not a later one) sets it, even when
# that check-in is dated before the quarter, and two on that day count the one written last.
@example(kr={"kind": "increase_by", "baseline": None, "target": None, "change_pct": 20.0, "due": None,
             "checkins": [(-3, None, None, 7, 0), (-3, 50.0, None, 7, 1), (-3, 40.0, None, 7, 2),
                          (20, 55.0, None, 7, 0), (40, 58.0, None, 7, 0)]})
def test_any_history_of_a_key_result_is_computed_as_state_sql_computes_it(demo_db_fixed, kr):
    objective_id, quarter, person_id = db.row(
        """SELECT o.id, o.quarter, m.person_id FROM objectives o JOIN memberships m ON m.team_id = o.team_id
           ORDER BY o.id LIMIT 1""").values()
    starts_on, ends_on = db.row("SELECT starts_on, ends_on FROM quarters WHERE key = ?", [quarter]).values()
    kr_id = db.scalar("SELECT max(id) FROM key_results") + 1
    first_checkin = db.scalar("SELECT max(id) FROM checkins") + 1
    relative = kr["kind"].endswith("_by")
    kind = kr["kind"].replace("_by", "_to")
    due_on = None if kr["due"] is None else starts_on + dt.timedelta(days=kr["due"])
    with pytest.raises(RolledBack), db.transaction() as cur:
        cur.execute("""INSERT INTO key_results (id, objective_id, title, kind, baseline, target, due_on, created_at)
                       VALUES (?, ?, 'A key result', ?, ?, ?, ?, ?)""",
                    [kr_id, objective_id, kind, kr["baseline"], kr["target"], due_on, CREATED])
        if relative:
            cur.execute("INSERT INTO kr_relative (kr_id, change_pct) VALUES (?, ?)", [kr_id, kr["change_pct"]])
        for n, (on, value, done, confidence, minutes) in enumerate(kr["checkins"]):
            checked_on = starts_on + dt.timedelta(days=on) if isinstance(on, int) else ends_on + dt.timedelta(
                days=on[1])
            cur.execute("""INSERT INTO checkins (id, kr_id, person_id, checked_on, value, done, confidence, comment,
                                                 created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        [first_checkin + n, kr_id, person_id, checked_on, value, done,
                         confidence, f"note {n}", CREATED + dt.timedelta(minutes=minutes)])
        assert_computed_as_rebuilt(cur, [kr_id])
        raise RolledBack
