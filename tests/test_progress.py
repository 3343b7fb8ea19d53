"""Property tests of the progress math (okrdash/progress.py), and the SQL rules agreeing with the Python ones."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from okrdash import db
from okrdash import progress as p

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
maybe = st.none() | finite
confidence = st.integers(min_value=0, max_value=10)
kinds = st.sampled_from([k for k in p.KINDS if k not in p.RELATIVE_KINDS])  # as stored (SQL sees these)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@given(kinds, maybe, maybe, st.lists(maybe, max_size=12), st.none() | st.booleans())
def test_progress_is_between_0_and_1(kind, baseline, target, values, done):
    result = p.progress(kind, baseline, target, values, done)
    assert result is None or 0.0 <= result <= 1.0


@given(finite, st.floats(min_value=0, max_value=1e6), st.floats(min_value=0, max_value=1e6))
def test_reaching_the_target_gives_1_for_increase_and_decrease(baseline, change, beyond):
    # A consistent KR: an increase's target is above its baseline, a decrease's below (SMART refuses the rest).
    up, down = baseline + change, baseline - change
    assert p.progress("increase_to", baseline, up, [up]) == 1.0
    assert p.progress("increase_to", baseline, up, [up + beyond]) == 1.0
    assert p.progress("decrease_to", baseline, down, [down]) == 1.0
    assert p.progress("decrease_to", baseline, down, [down - beyond]) == 1.0
    assert p.progress("increase_to", None, up, [up]) == 1.0
    assert p.progress("decrease_to", None, down, [down]) == 1.0


@given(finite, st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=12))
def test_staying_within_the_bound_gives_1(target, margins):
    assert p.progress("stay_above", None, target, [target + m for m in margins]) == 1.0
    assert p.progress("stay_below", None, target, [target - m for m in margins]) == 1.0


def test_a_done_milestone_gives_1_and_an_open_one_0():
    assert p.progress("milestone", None, None, [], done=True) == 1.0
    assert p.progress("milestone", None, None, [], done=False) == 0.0
    assert p.progress("milestone", None, None, [], done=None) is None


@given(maybe, maybe, st.lists(maybe, max_size=12))
def test_decrease_to_mirrors_increase_to(baseline, target, values):
    def neg(x):
        return None if x is None else -x

    down = p.progress("decrease_to", baseline, target, values)
    up = p.progress("increase_to", neg(baseline), neg(target), [neg(v) for v in values])
    assert down == pytest.approx(up) if down is not None else up is None


@given(maybe, maybe, st.lists(maybe, max_size=12))
def test_stay_below_mirrors_stay_above(baseline, target, values):
    def neg(x):
        return None if x is None else -x

    assert p.progress("stay_below", baseline, target, values) == p.progress(
        "stay_above", neg(baseline), neg(target), [neg(v) for v in values])


@given(days, st.integers(min_value=0, max_value=400), st.integers(min_value=-30, max_value=500))
def test_expected_progress_is_0_at_start_1_at_due_and_monotone(start, span, offset):
    due = start + dt.timedelta(days=span)
    on = start + dt.timedelta(days=offset)
    if span > 0:
        assert p.expected_progress(start, start, due) == 0.0
    assert p.expected_progress(due, start, due) == 1.0
    assert 0.0 <= p.expected_progress(on, start, due) <= 1.0
    later = on + dt.timedelta(days=1)
    assert p.expected_progress(later, start, due) >= p.expected_progress(on, start, due)


LEVEL = {"on_track": 2, "at_risk": 1, "off_track": 0}


@given(kinds, st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1), confidence, confidence,
       st.none() | st.booleans())
def test_status_never_improves_when_only_confidence_drops(kind, progress_now, expected, high, low, within):
    assume(low <= high)
    before = p.status(kind, progress_now, expected, high, within)
    after = p.status(kind, progress_now, expected, low, within)
    assert LEVEL[after] <= LEVEL[before]


@given(kinds, st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1),
       st.floats(min_value=0, max_value=1), confidence)
def test_status_never_improves_when_only_progress_drops(kind, a, b, expected, conf):
    low, high = sorted((a, b))
    assert LEVEL[p.status(kind, low, expected, conf)] <= LEVEL[p.status(kind, high, expected, conf)]


def test_status_thresholds_are_the_documented_ones():
    assert p.status("increase_to", 0.45, 0.5, 8) == "on_track"  # 5 points behind
    assert p.status("increase_to", 0.30, 0.5, 8) == "at_risk"  # 20 points behind
    assert p.status("increase_to", 0.20, 0.5, 8) == "off_track"  # 30 points behind
    assert p.status("increase_to", 0.9, 0.5, 5) == "at_risk"  # ahead, but the owner doubts it
    assert p.status("increase_to", 0.9, 0.5, 3) == "off_track"
    assert p.status("stay_above", 0.95, 0.5, 8) == "on_track"
    assert p.status("stay_above", 0.95, 0.5, 8, latest_within=False) == "at_risk"
    assert p.status("stay_below", 0.7, 0.5, 8) == "off_track"
    assert p.status("milestone", 0.0, 0.5, 8) == "on_track"
    assert p.status("milestone", 0.0, 0.85, 8) == "at_risk"
    assert p.status("milestone", 0.0, 1.0, 8) == "off_track"
    assert p.status("milestone", 1.0, 1.0, 8) == "on_track"
    assert p.status("increase_to", None, 0.5, 8) == "no_data"


def test_stale_and_due_count_days_in_the_active_quarter_only():
    start, end, today = dt.date(2026, 10, 1), dt.date(2026, 12, 31), dt.date(2026, 11, 18)
    assert not p.is_stale(today - dt.timedelta(days=7), today, start, end)
    assert p.is_stale(today - dt.timedelta(days=8), today, start, end)
    assert p.is_due(today - dt.timedelta(days=7), today, start, end)
    assert not p.is_due(today - dt.timedelta(days=6), today, start, end)
    assert p.is_stale(None, today, start, end)  # never checked in, 48 days into the quarter
    assert not p.is_stale(None, dt.date(2026, 10, 5), start, end)
    assert not p.is_stale(dt.date(2026, 9, 1), today, dt.date(2026, 7, 1), dt.date(2026, 9, 30))  # finished quarter


def test_projection_follows_the_trend_and_falls_back_to_the_baseline_line():
    assert p.projected_value([(0, 10.0), (7, 17.0), (14, 24.0)], 91) == pytest.approx(101.0)
    assert p.projected_value([(14, 24.0)], 91, baseline=10.0) == pytest.approx(10 + 14 * 91 / 14)
    assert p.projected_value([(14, 24.0)], 91) is None
    assert p.projected_value([], 91, baseline=10.0) is None
    # Only the last six weeks count: an early flat stretch does not hide a recent climb.
    early = [(d, 0.0) for d in range(0, 40, 7)]
    recent = [(d, float(d - 49)) for d in range(56, 92, 7)]
    assert p.projected_value(early + recent, 91) == pytest.approx(91 - 49)
    # Hours, percentages and counts do not go below zero, however steep the recent fall.
    falling = [(0, 9.0), (7, 6.0), (14, 3.0)]
    assert p.projected_value(falling, 91, baseline=9.0, target=3.0) == 0.0
    assert p.projected_value(falling, 91, baseline=9.0) < 0  # without a target nothing says it is a count
    assert p.projected_value(falling, 91, baseline=-5.0, target=3.0) < 0  # a metric that can be negative


def test_scores_and_team_status():
    assert p.score(None) == 0.0
    assert p.mean_score([1.0, 0.5, None]) == pytest.approx(0.5)
    assert p.mean_score([]) is None
    assert p.team_status(["on_track"] * 4) == "on_track"
    assert p.team_status(["on_track", "on_track", "at_risk", "at_risk"]) == "at_risk"
    assert p.team_status(["off_track", "off_track", "at_risk", "no_data"]) == "off_track"
    assert p.team_status(["no_data"]) == "no_data"
    assert [p.team_status_of_mean(m) for m in (None, 0.0, 0.8, 1.59, 1.6, 2.0)] == [
        "no_data", "off_track", "at_risk", "at_risk", "on_track", "on_track"]


# --- The SQL expressions compute exactly what the Python functions compute -----------------------------------------


# Columns that may be NULL in a generated case, typed as the real queries type them (PostgreSQL will not compare an
# untyped NULL with a boolean).
TYPES = {"within": "BOOLEAN", "done": "BOOLEAN"}


def _sql(expression: str, **values):
    params = dict(values)
    selects = ", ".join(f"CAST(${k} AS {TYPES.get(k) or _type(v)}) AS {k}" for k, v in params.items())
    return db.scalar(f"SELECT {expression} FROM (SELECT {selects}) AS t", params)


def _type(value) -> str:
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, dt.date):
        return "DATE"
    if isinstance(value, str):
        return "VARCHAR"
    if isinstance(value, int):
        return "INTEGER"
    return "DOUBLE PRECISION"


@settings(max_examples=150, deadline=None)
@given(kinds, maybe, maybe, st.lists(finite, min_size=1, max_size=8), st.booleans())
def test_sql_progress_matches_python(kind, baseline, target, values, done):
    expected = p.progress(kind, baseline, target, values, done if kind == "milestone" else None)
    within = sum(bool(p.within_bound(kind, target, v)) for v in values)
    got = _sql(p.sql_progress(), kind=kind, baseline=baseline, target=target, value=values[-1], done=done,
               within_so_far=within, valued_so_far=len(values))
    assert (got is None and expected is None) or got == pytest.approx(expected)


@settings(max_examples=100, deadline=None)
@given(days, st.integers(min_value=-5, max_value=200), st.integers(min_value=-30, max_value=250))
def test_sql_expected_matches_python(start, span, offset):
    due, on = start + dt.timedelta(days=span), start + dt.timedelta(days=offset)
    got = _sql(p.sql_expected("on_day"), on_day=on, starts_on=start, due_on=due)
    assert got == pytest.approx(p.expected_progress(on, start, due))


@settings(max_examples=200, deadline=None)
@given(kinds, st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1), confidence,
       st.none() | st.booleans())
def test_sql_status_matches_python(kind, progress_now, expected, conf, within):
    level = p.sql_level("kind", "progress", "expected", "within", "confidence")
    got = _sql(p.sql_status_of_level(level), kind=kind, progress=progress_now, expected=expected,
               confidence=conf, within=within)
    assert got == p.status(kind, progress_now, expected, conf, within)


@settings(deadline=None)  # one query per case: a busy machine must not fail it
@given(st.lists(st.sampled_from(p.STATUSES), max_size=8))
def test_sql_team_status_matches_python(statuses):
    levels = [2 - p.STATUSES.index(s) for s in statuses if s != "no_data"]
    mean = sum(levels) / len(levels) if levels else None
    got = db.scalar(f"SELECT {p.sql_team_status('CAST($m AS DOUBLE PRECISION)')}", {"m": mean})
    assert got == p.team_status(statuses)


def test_progress_reads_no_database_and_scores_read_it():
    """The pure rules import nothing that reads the database (scores.py builds on them, not the other way)."""
    import ast
    import inspect

    imported = {alias.name for node in ast.walk(ast.parse(inspect.getsource(p)))
                if isinstance(node, ast.ImportFrom) for alias in node.names}
    imported |= {node.module for node in ast.walk(ast.parse(inspect.getsource(p)))
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & {"db", "scores", "okrdash.db", "okrdash.scores"}
    with pytest.raises(AttributeError):
        _ = p.kr_scores
