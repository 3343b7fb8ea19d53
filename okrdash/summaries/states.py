"""A few key results' summaries and check-in states worked out in Python from their rows, for a refresh.

A rebuild computes them with okrdash.scores.state_sql. A refresh after a check-in needs them for one team's handful
of key results, and DuckDB took ~24 ms to plan that query, more than half of a check-in on the benchmark company
(the rows themselves take ~1 ms to read). Here two plain queries read the key results and their check-ins, and
okrdash.progress's rules, the ones state_sql's SQL is the twin of, turn them into the same rows. What state_sql adds
around those rules is followed step by step, its CTE named at each: which check-in counts on a day, the relative
baseline and target, the running counts of stay kinds, the trend and the projection.

tests/test_summary_states.py holds the two together: every demo key result and random histories (hypothesis) give
the same rows both ways, and tests/test_summaries.py compares kept summaries with a rebuild after random writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import progress as p
from okrdash import relative_change

# The kind as people see it (increase_by / decrease_by for a relative key result), so that okrdash.progress.relative
# resolves its baseline and target.
_KEY_RESULTS = f"""
    SELECT k.id, {relative_change.SELECT_KIND}, k.baseline, k.target, q.starts_on, q.ends_on,
           coalesce(k.due_on, q.ends_on) AS due_on, o.quarter
    FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN quarters q ON q.key = o.quarter
    {relative_change.JOIN}
    WHERE k.id = ANY(?)"""
# Per key result and day, the row written last comes first: the one that counts (state_sql's `versions`).
_CHECKINS = """
    SELECT id, kr_id, person_id, checked_on, value, done, confidence, comment FROM checkins WHERE kr_id = ANY(?)
    ORDER BY kr_id, checked_on, created_at DESC, id DESC"""


def computed(cur: Any, ids: list[int]) -> tuple[dict[int, dict[str, Any]], dict[int, list[dict[str, Any]]],
                                                 dict[int, str]]:
    """The key results' summaries (keep.SUMMARY's columns) and check-in states (keep.CHECKIN's, oldest first) as
    state_sql computes them with `live=False` as of every quarter's end, by key result; and each one's quarter. A key
    result that is gone (or whose quarter is unknown) has none."""
    history: dict[int, list[tuple]] = {}
    for row in cur.execute(_CHECKINS, [ids]).fetchall():
        history.setdefault(row[1], []).append(row)
    summaries, states, quarter_of = {}, {}, {}
    for kr_id, kind, change_pct, baseline, target, starts_on, ends_on, due_on, quarter in cur.execute(
            _KEY_RESULTS, [ids]).fetchall():
        rows = history.get(kr_id, [])
        if kind in p.RELATIVE_KINDS:  # the first check-in's value, whatever its date, and baseline × (1 ± change)
            kind, baseline, target = p.relative(kind, baseline, change_pct, [row[4] for row in rows])
        effective = _effective(rows, ends_on)
        checked = _checkin_states(kr_id, kind, baseline, target, starts_on, due_on, effective)
        summaries[kr_id] = {
            "kr_id": kr_id, "kind": kind, "baseline": baseline, "target": target, "change_pct": change_pct,
            "starts_on": starts_on, "ends_on": ends_on, "due_on": due_on,
            **_latest(kind, baseline, target, starts_on, due_on, effective, checked)}
        quarter_of[kr_id] = quarter
        if checked:
            states[kr_id] = checked
    return summaries, states, quarter_of


def _effective(rows: list[tuple], as_of: dt.date) -> list[tuple]:
    """The check-ins that count, oldest first: per day up to `as_of`, the one written last (`versions`)."""
    effective: list[tuple] = []
    for row in rows:
        if row[3] <= as_of and (not effective or effective[-1][3] != row[3]):
            effective.append(row)
    return effective


def _checkin_states(kr_id: int, kind: str, baseline: float | None, target: float | None, starts_on: dt.date,
                    due_on: dt.date, effective: list[tuple]) -> list[dict[str, Any]]:
    """Each effective check-in's state (`runs` to `checkin_states`)."""
    states = []
    within_so_far = valued_so_far = 0
    for n, (checkin_id, _, _, checked_on, value, done, confidence, _) in enumerate(effective):
        within = p.within_bound(kind, target, value)
        within_so_far += within is True
        valued_so_far += value is not None
        progress = _progress(kind, baseline, target, value, done, within_so_far, valued_so_far)
        expected = p.expected_progress(checked_on, starts_on, due_on)
        level = None if progress is None else min(p.numbers_level(kind, progress, expected, within),
                                                  p.confidence_cap(confidence))
        states.append({
            "checkin_id": checkin_id, "kr_id": kr_id, "checked_on": checked_on,
            "next_on": effective[n + 1][3] if n + 1 < len(effective) else None, "value": value, "done": done,
            "confidence": confidence, "within": within, "progress": progress, "expected": expected, "level": level,
            "status": p.LEVEL_STATUS.get(level, "no_data")})
    return states


def _progress(kind: str, baseline: float | None, target: float | None, value: float | None, done: bool | None,
              within_so_far: int, valued_so_far: int) -> float | None:
    """Progress at one check-in (progress.sql_progress): the running counts decide the stay kinds, and a milestone
    check-in that does not say done counts as not done."""
    if kind == "milestone":
        return 1.0 if done else 0.0
    if kind in p.BOUND_KINDS:
        return within_so_far / valued_so_far if valued_so_far > 0 and target is not None else None
    return p.value_progress(kind, baseline, target, value)


def _latest(kind: str, baseline: float | None, target: float | None, starts_on: dt.date, due_on: dt.date,
            effective: list[tuple], checked: list[dict[str, Any]]) -> dict[str, Any]:
    """What the summary takes from the latest check-in, the trend and the projection (`trend` to `kr_states`)."""
    if not effective:
        return {"last_checkin_id": None, "last_person_id": None, "last_on": None, "last_value": None, "done": None,
                "confidence": None, "last_comment": None, "progress": None, "expected": None, "within": None,
                "level": None, "status": "no_data", "checkins": 0, "weeks_checked": None, "last_week": None,
                "slope": None, "intercept": None, "points": None, "projected_value": None, "score": 0.0}
    _, _, person_id, last_on, last_value, _, _, comment = effective[-1]
    state = checked[-1]
    recent = [((row[3] - starts_on).days, row[4]) for row in effective
              if row[4] is not None and row[3] >= last_on - dt.timedelta(days=p.PROJECTION_WINDOW_DAYS)]
    slope = intercept = None
    if len(recent) >= 2:  # regr_slope / regr_intercept; the days differ, so the spread is never zero
        mean_x = sum(x for x, _ in recent) / len(recent)
        mean_y = sum(y for _, y in recent) / len(recent)
        slope = (sum((x - mean_x) * (y - mean_y) for x, y in recent)
                 / sum((x - mean_x) ** 2 for x, _ in recent))
        intercept = mean_y - slope * mean_x
    trend = None
    if kind != "milestone" and last_value is not None:
        if slope is not None:
            trend = intercept + slope * (due_on - starts_on).days
        elif baseline is not None and last_on > starts_on:
            trend = baseline + (last_value - baseline) * (due_on - starts_on).days / (last_on - starts_on).days
    floored = trend is not None and baseline is not None and target is not None and baseline >= 0 and target >= 0
    weeks = [(row[3] - starts_on).days // 7 for row in effective]
    return {"last_checkin_id": state["checkin_id"], "last_person_id": person_id, "last_on": last_on,
            "last_value": last_value, "done": state["done"], "confidence": state["confidence"],
            "last_comment": comment, "progress": state["progress"], "expected": state["expected"],
            "within": state["within"], "level": state["level"], "status": state["status"],
            "checkins": len(effective), "weeks_checked": len(set(weeks)), "last_week": max(weeks), "slope": slope,
            "intercept": intercept, "points": len(recent), "projected_value": max(0.0, trend) if floored else trend,
            "score": p.score(state["progress"])}
