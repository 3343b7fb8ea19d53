"""Progress math for key results: pure functions (no database, no clock) and the SQL expressions that compute the
same numbers inside DuckDB, built from the same thresholds so dashboards and forms cannot drift apart.

The database-reading functions `kr_scores(team_id, quarter, today=None)` and `objective_score(team_id, quarter,
today=None)` live in okrdash/scores.py, which builds on this module; this one imports nothing from the database
layer (and nothing from scores: the two used to import each other).

Definitions (DESIGN.md §2 "check-in", issue 6):
- Effective check-ins: check-ins are append-only; for each KR and date the latest row (created_at, then id) counts.
- Progress 0–1 at a check-in, by kind:
  increase_to / decrease_to — the share of the way from baseline to target the latest value has come,
    (value − baseline) / (target − baseline) clamped to [0, 1]; one formula for both directions, so decrease-to
    mirrors increase-to. Without a baseline (or baseline = target): 1 when the target is reached, else 0.
  increase_by / decrease_by (relative change) — as increase_to / decrease_to, with the baseline the typed one or
    else the first effective check-in's value, and the target baseline × (1 ± change_pct / 100).
  stay_above / stay_below — the share of check-ins so far whose value is within the bound (the target).
  milestone — 1 when the latest check-in says done, else 0.
- Expected progress on a day: linear from 0 at the quarter start to 1 on the KR's due date, clamped to [0, 1].
- Status at a check-in (the status of a KR is the status at its latest check-in; none yet: "no_data"):
  1. the numbers: gap = expected − progress, with expected taken on the check-in's own date (so a status does not
     drift between weekly check-ins; staleness is reported separately):
       gap ≤ ON_TRACK_GAP (0.10) → on_track; gap ≤ AT_RISK_GAP (0.25) → at_risk; otherwise off_track.
     stay kinds expect every check-in within the bound (expected = 1), and a latest value outside the bound makes
     them at best at_risk. Milestones are binary, so time decides until they are done: done → on_track; not done →
     on_track until MILESTONE_AT_RISK_FROM (80%) of the time to the due date has passed, at_risk after that,
     off_track from the due date.
  2. the owner's confidence (0–10) caps it: confidence ≥ 6 leaves it; 4–5 → at best at_risk; 0–3 → off_track.
     So the status is the worse of what the numbers say and what the owner says, and never improves when only
     confidence drops.
- Stale: the quarter is active (today inside it) and no check-in for more than STALE_AFTER_DAYS (7) days (counted
  from the KR's start when it has none). A check-in is *due* (Home) from day 7, one day before the KR turns stale.
- Projected end value (increase/decrease/stay kinds): the least-squares line through the check-ins of the last
  PROJECTION_WINDOW_DAYS (42) days before the latest one, evaluated on the due date; with a single point there, the
  line from the baseline at the quarter start through the latest value; nothing without either. Never below 0 when
  baseline and target are both ≥ 0 (hours, %, counts cannot go negative).
- Quarter-end score per KR: its progress at the end of the quarter (0 when it never had a check-in). Objective score:
  the mean of its KRs' scores. Team status for a week (heatmap): the mean status level of its KRs with data
  (on_track 2, at_risk 1, off_track 0): ≥ 1.6 on_track, ≥ 0.8 at_risk, below off_track.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

KINDS = ("increase_to", "decrease_to", "stay_above", "stay_below", "increase_by", "decrease_by", "milestone")
RELATIVE_KINDS = ("increase_by", "decrease_by")  # stored as increase_to / decrease_to + kr_relative (m030)
VALUE_KINDS = ("increase_to", "decrease_to")
BOUND_KINDS = ("stay_above", "stay_below")
STATUSES = ("on_track", "at_risk", "off_track", "no_data")
STATUS_LABELS = {"on_track": "On track", "at_risk": "At risk", "off_track": "Off track", "no_data": "No check-in yet"}
KIND_LABELS = {"increase_to": "Increase to", "decrease_to": "Decrease to", "stay_above": "Stay at or above",
               "stay_below": "Stay at or below", "increase_by": "Increase by", "decrease_by": "Decrease by",
               "milestone": "Milestone"}

ON_TRACK, AT_RISK, OFF_TRACK = 2, 1, 0
LEVEL_STATUS = {ON_TRACK: "on_track", AT_RISK: "at_risk", OFF_TRACK: "off_track"}

ON_TRACK_GAP = 0.10
AT_RISK_GAP = 0.25
MILESTONE_AT_RISK_FROM = 0.8
CONFIDENCE_FULL_FROM = 6  # 6–10: the numbers decide
CONFIDENCE_AT_RISK_FROM = 4  # 4–5: at best at_risk; 0–3: off_track
STALE_AFTER_DAYS = 7
PROJECTION_WINDOW_DAYS = 42
TEAM_ON_TRACK_FROM = 1.6
TEAM_AT_RISK_FROM = 0.8


def _clamp(share: float) -> float:
    return max(0.0, min(1.0, share))


def within_bound(kind: str, target: float | None, value: float | None) -> bool | None:
    """For stay kinds: is `value` on the right side of the bound? None for other kinds or missing numbers."""
    if kind not in BOUND_KINDS or target is None or value is None:
        return None
    return value >= target if kind == "stay_above" else value <= target


def reached(kind: str, target: float | None, value: float | None) -> bool:
    """Has `value` reached the target (at or beyond it, in the KR's direction)?"""
    if target is None or value is None:
        return False
    return value <= target if kind in ("decrease_to", "stay_below") else value >= target


def value_progress(kind: str, baseline: float | None, target: float | None, value: float | None) -> float | None:
    """Progress 0–1 of one value for increase_to / decrease_to (None when value or target is missing)."""
    if value is None or target is None:
        return None
    if baseline is None or baseline == target:
        return 1.0 if reached(kind, target, value) else 0.0
    return _clamp((value - baseline) / (target - baseline))


def relative(kind: str, baseline: float | None, change_pct: float | None,
             values: Sequence[float | None] = ()) -> tuple[str, float | None, float | None]:
    """A relative key result as (direction kind, baseline, target): the baseline is the typed one or else the first
    check-in's value; the target is baseline × (1 ± change_pct / 100). None for what is not known yet."""
    base = baseline if baseline is not None else next((v for v in values if v is not None), None)
    direction = "decrease_to" if kind == "decrease_by" else "increase_to"
    if base is None or change_pct is None:
        return direction, base, None
    sign = -1 if kind == "decrease_by" else 1
    return direction, base, base * (1 + sign * change_pct / 100)


def progress(kind: str, baseline: float | None, target: float | None, values: Sequence[float | None] = (),
             done: bool | None = None, change_pct: float | None = None) -> float | None:
    """Progress 0–1 given the effective check-ins' values so far (oldest first) and the latest done flag.

    None when there is nothing to measure yet: no check-in (milestones: `done` None), or no value for a numeric kind.
    Relative kinds take `change_pct` and resolve their baseline and target first (see `relative`).
    """
    if kind in RELATIVE_KINDS:
        kind, baseline, target = relative(kind, baseline, change_pct, values)
    if kind == "milestone":
        return None if done is None else (1.0 if done else 0.0)
    if kind in BOUND_KINDS:
        flags = [within_bound(kind, target, v) for v in values if v is not None]
        flags = [f for f in flags if f is not None]
        return sum(flags) / len(flags) if flags else None
    latest = next((v for v in reversed(values) if v is not None), None)
    return value_progress(kind, baseline, target, latest)


def expected_progress(on: dt.date, starts_on: dt.date, due_on: dt.date) -> float:
    """Where a KR should be on `on`: 0 at the quarter start, rising linearly to 1 on the due date."""
    span = (due_on - starts_on).days
    if span <= 0:
        return 1.0 if on >= due_on else 0.0
    return _clamp((on - starts_on).days / span)


def expected_value(baseline: float | None, target: float | None, expected: float) -> float | None:
    """The value an increase/decrease KR should show at `expected` progress (None without baseline and target)."""
    if baseline is None or target is None:
        return None
    return baseline + (target - baseline) * expected


def numbers_level(kind: str, progress_now: float, expected: float, latest_within: bool | None = None) -> int:
    """The status level the numbers alone give (ON_TRACK, AT_RISK or OFF_TRACK)."""
    if kind == "milestone":
        if progress_now >= 1:
            return ON_TRACK
        if expected >= 1:
            return OFF_TRACK
        return AT_RISK if expected >= MILESTONE_AT_RISK_FROM else ON_TRACK
    gap = (1.0 if kind in BOUND_KINDS else expected) - progress_now
    level = ON_TRACK if gap <= ON_TRACK_GAP else AT_RISK if gap <= AT_RISK_GAP else OFF_TRACK
    if kind in BOUND_KINDS and latest_within is False:
        level = min(level, AT_RISK)
    return level


def confidence_cap(confidence: int | None) -> int:
    """The best level the owner's confidence allows (no confidence: no cap)."""
    if confidence is None or confidence >= CONFIDENCE_FULL_FROM:
        return ON_TRACK
    return AT_RISK if confidence >= CONFIDENCE_AT_RISK_FROM else OFF_TRACK


def status(kind: str, progress_now: float | None, expected: float, confidence: int | None,
           latest_within: bool | None = None) -> str:
    """on_track / at_risk / off_track: the worse of the numbers and the owner's confidence; no_data without data."""
    if progress_now is None:
        return "no_data"
    return LEVEL_STATUS[min(numbers_level(kind, progress_now, expected, latest_within), confidence_cap(confidence))]


def days_since(last_on: dt.date | None, today: dt.date, tracked_from: dt.date) -> int:
    """Days since the latest check-in (or since tracking started when there is none)."""
    return (today - (last_on or tracked_from)).days


def is_stale(last_on: dt.date | None, today: dt.date, starts_on: dt.date, ends_on: dt.date,
             tracked_from: dt.date | None = None) -> bool:
    """No check-in for more than STALE_AFTER_DAYS days while the quarter is active."""
    active = starts_on <= today <= ends_on
    return active and days_since(last_on, today, tracked_from or starts_on) > STALE_AFTER_DAYS


def is_due(last_on: dt.date | None, today: dt.date, starts_on: dt.date, ends_on: dt.date,
           tracked_from: dt.date | None = None) -> bool:
    """A check-in is owed: the quarter is active and none in the last STALE_AFTER_DAYS days (today included)."""
    active = starts_on <= today <= ends_on
    return active and days_since(last_on, today, tracked_from or starts_on) >= STALE_AFTER_DAYS


def projected_value(points: Iterable[tuple[int, float | None]], due_day: int, baseline: float | None = None,
                    target: float | None = None) -> float | None:
    """The value on `due_day` (days since the quarter start) if the trend of `points` (day, value) continues.

    A metric whose baseline and target are both ≥ 0 (hours, %, counts) is never projected below 0.
    """
    value = _trend(points, due_day, baseline)
    if value is not None and baseline is not None and target is not None and baseline >= 0 and target >= 0:
        return max(0.0, value)
    return value


def _trend(points: Iterable[tuple[int, float | None]], due_day: int, baseline: float | None) -> float | None:
    known = sorted((day, value) for day, value in points if value is not None)
    if not known:
        return None
    last_day, last_value = known[-1]
    recent = [(d, v) for d, v in known if d >= last_day - PROJECTION_WINDOW_DAYS]
    if len(recent) >= 2:
        mean_x = sum(d for d, _ in recent) / len(recent)
        mean_y = sum(v for _, v in recent) / len(recent)
        sxx = sum((d - mean_x) ** 2 for d, _ in recent)
        if sxx > 0:
            slope = sum((d - mean_x) * (v - mean_y) for d, v in recent) / sxx
            return mean_y + slope * (due_day - mean_x)
    if baseline is not None and last_day > 0:
        return baseline + (last_value - baseline) * due_day / last_day
    return None


def score(progress_at_end: float | None) -> float:
    """Quarter-end score 0–1 of a KR: its progress, 0 when it never had a check-in."""
    return 0.0 if progress_at_end is None else _clamp(progress_at_end)


def mean_score(scores: Iterable[float | None]) -> float | None:
    """An objective's score: the mean of its KRs' scores (None without KRs)."""
    values = [score(s) for s in scores]
    return sum(values) / len(values) if values else None


def team_status(statuses: Iterable[str]) -> str:
    """A team's status from its KRs' statuses (heatmap cells): the mean level of the KRs with data."""
    levels = [2 - STATUSES.index(s) for s in statuses if s != "no_data"]
    return team_status_of_mean(sum(levels) / len(levels) if levels else None)


def team_status_of_mean(mean_level: float | None) -> str:
    """A team's status from the mean level of its KRs with data (None: no KR has data); sql_team_status in SQL."""
    if mean_level is None:
        return "no_data"
    if mean_level >= TEAM_ON_TRACK_FROM:
        return "on_track"
    return "at_risk" if mean_level >= TEAM_AT_RISK_FROM else "off_track"


# --- The same rules as SQL expressions (DuckDB and PostgreSQL) ----------------------------------------------------
# Each takes the SQL expressions of its inputs (column names by default) and returns an expression.


def sql_within(kind: str = "kind", target: str = "target", value: str = "value") -> str:
    return (f"(CASE WHEN {kind} = 'stay_above' THEN {value} >= {target} "
            f"WHEN {kind} = 'stay_below' THEN {value} <= {target} END)")


def sql_progress(kind: str = "kind", baseline: str = "baseline", target: str = "target", value: str = "value",
                 done: str = "done", within_count: str = "within_so_far", valued_count: str = "valued_so_far") -> str:
    """Progress at a check-in; `within_count` / `valued_count` are the running counts of values within the bound
    and of values, up to and including this check-in (stay kinds)."""
    reached_sql = (f"(CASE WHEN {kind} = 'decrease_to' THEN {value} <= {target} "
                   f"ELSE {value} >= {target} END)")
    return f"""(CASE
        WHEN {kind} = 'milestone' THEN CASE WHEN {done} THEN 1.0 ELSE 0.0 END
        WHEN {kind} IN ('stay_above', 'stay_below') THEN
            CASE WHEN {valued_count} > 0 AND {target} IS NOT NULL
                THEN CAST({within_count} AS DOUBLE PRECISION) / {valued_count} END
        WHEN {value} IS NULL OR {target} IS NULL THEN NULL
        WHEN {baseline} IS NULL OR {baseline} = {target} THEN CASE WHEN {reached_sql} THEN 1.0 ELSE 0.0 END
        ELSE greatest(0.0, least(1.0, ({value} - {baseline}) / ({target} - {baseline})))
    END)"""


def sql_relative_first_values(where: str = "true") -> str:
    """A derived table (kr_id, value): the first effective check-in value of each relative key result, its baseline
    unless one was typed. Joins check-ins with kr_relative first, so only relative key results' check-ins are read,
    and of those only the key results matching `where` (a condition over `k` key_results, `o` objectives and `q`
    quarters, as in okrdash.scores.state_sql)."""
    return f"""(SELECT kr_id, value FROM (
            SELECT c.kr_id, c.value, row_number() OVER (
                PARTITION BY c.kr_id ORDER BY c.checked_on, c.created_at DESC, c.id DESC) AS n
            FROM checkins c JOIN kr_relative r ON r.kr_id = c.kr_id
            JOIN key_results k ON k.id = c.kr_id JOIN objectives o ON o.id = k.objective_id
            JOIN quarters q ON q.key = o.quarter
            WHERE c.value IS NOT NULL AND ({where})) firsts
        WHERE n = 1)"""


def sql_relative_baseline(baseline: str = "k.baseline", first: str = "rel_first.value",
                          relative_id: str = "rel.kr_id") -> str:
    """The baseline: typed, or for a relative key result the first check-in's value."""
    return f"(CASE WHEN {relative_id} IS NULL THEN {baseline} ELSE coalesce({baseline}, {first}) END)"


def sql_relative_target(kind: str = "k.kind", target: str = "k.target", change: str = "rel.change_pct",
                        baseline: str | None = None) -> str:
    """The target: stored, or for a relative key result baseline × (1 ± change_pct / 100)."""
    base = baseline or sql_relative_baseline()
    return (f"(CASE WHEN {change} IS NULL THEN {target} WHEN {kind} = 'decrease_to' "
            f"THEN {base} * (1 - {change} / 100.0) ELSE {base} * (1 + {change} / 100.0) END)")


def sql_expected(on: str, starts_on: str = "starts_on", due_on: str = "due_on") -> str:
    return f"""(CASE
        WHEN {due_on} <= {starts_on} THEN CASE WHEN {on} >= {due_on} THEN 1.0 ELSE 0.0 END
        ELSE greatest(0.0, least(1.0, CAST({on} - {starts_on} AS DOUBLE PRECISION) / ({due_on} - {starts_on})))
    END)"""


def sql_numbers_level(kind: str = "kind", progress_now: str = "progress", expected: str = "expected",
                      within: str = "within") -> str:
    gap = f"((CASE WHEN {kind} IN ('stay_above', 'stay_below') THEN 1.0 ELSE {expected} END) - {progress_now})"
    by_gap = f"(CASE WHEN {gap} <= {ON_TRACK_GAP} THEN 2 WHEN {gap} <= {AT_RISK_GAP} THEN 1 ELSE 0 END)"
    return f"""(CASE
        WHEN {kind} = 'milestone' THEN CASE
            WHEN {progress_now} >= 1 THEN 2 WHEN {expected} >= 1 THEN 0
            WHEN {expected} >= {MILESTONE_AT_RISK_FROM} THEN 1 ELSE 2 END
        WHEN {kind} IN ('stay_above', 'stay_below') AND {within} = false THEN least({by_gap}, 1)
        ELSE {by_gap}
    END)"""


def sql_confidence_cap(confidence: str = "confidence") -> str:
    return (f"(CASE WHEN {confidence} IS NULL OR {confidence} >= {CONFIDENCE_FULL_FROM} THEN 2 "
            f"WHEN {confidence} >= {CONFIDENCE_AT_RISK_FROM} THEN 1 ELSE 0 END)")


def sql_level(kind: str = "kind", progress_now: str = "progress", expected: str = "expected",
              within: str = "within", confidence: str = "confidence") -> str:
    """The status level 2/1/0 (NULL without progress)."""
    numbers = sql_numbers_level(kind, progress_now, expected, within)
    return f"(CASE WHEN {progress_now} IS NOT NULL THEN least({numbers}, {sql_confidence_cap(confidence)}) END)"


def sql_status_of_level(level: str = "level") -> str:
    return (f"(CASE {level} WHEN 2 THEN 'on_track' WHEN 1 THEN 'at_risk' WHEN 0 THEN 'off_track' "
            f"ELSE 'no_data' END)")


def sql_team_status(mean_level: str) -> str:
    """A team's status from the mean level of its KRs with data (NULL mean: no_data). No query uses it since the
    weekly status sums levels per team and applies team_status_of_mean after the read; it stays as the SQL twin the
    tests compare that frame with (tests/test_dashboards.py), pinned to the Python rule (tests/test_progress.py)."""
    return (f"(CASE WHEN {mean_level} IS NULL THEN 'no_data' WHEN {mean_level} >= {TEAM_ON_TRACK_FROM} "
            f"THEN 'on_track' WHEN {mean_level} >= {TEAM_AT_RISK_FROM} THEN 'at_risk' ELSE 'off_track' END)")

