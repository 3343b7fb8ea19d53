"""Dashboards for one team and one key result: the objective, its KRs with progress and status, confidence trends,
and a KR's actual vs expected vs projected values. One query per chart or table, named after what it returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from okrdash import auth, checkins, db
from okrdash.scores import tracking_sql


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def team_objective(actor: auth.Actor, team_id: int, quarter: str, today: dt.date | None = None) -> dict | None:
    """The team's objective for the quarter (any status) with the company objective or strategy item it serves,
    its score so far (mean of KR scores; published only) and KR count; None when the team has none."""
    auth.require_reader(actor, team_id, "see this team's dashboards")
    today = _today(today)
    found = db.row(
        tracking_sql("o.team_id = $team AND o.quarter = $quarter", today) + """
        SELECT o.id, o.title, o.why, o.status, o.updated_at, si.title AS serves, si.kind AS serves_kind,
               (SELECT avg(score) FROM kr_states) AS score,
               (SELECT count(*) FROM kr_states) AS krs,
               (SELECT count(*) FROM kr_states WHERE status = 'on_track') AS on_track,
               (SELECT count(*) FROM kr_states WHERE stale) AS stale
        FROM objectives o LEFT JOIN strategy_items si ON si.id = o.strategy_item_id
        WHERE o.team_id = $team AND o.quarter = $quarter""",
        {"team": team_id, "quarter": quarter, "today": today},
    )
    return found


def team_key_results(actor: auth.Actor, team_id: int, quarter: str, today: dt.date | None = None) -> pd.DataFrame:
    """The team's published KRs for the quarter in order: kr_id, key_result, kind, unit, baseline, target,
    last_value, done, progress, expected (progress expected by today; stay kinds 1, milestones none), status,
    confidence, last_check_in, days_since, stale, owner, projected_value, checkins."""
    auth.require_reader(actor, team_id, "see this team's dashboards")
    today = _today(today)
    return db.frame(
        tracking_sql("o.team_id = $team AND o.quarter = $quarter", today) + """
        SELECT s.kr_id, s.title AS key_result, s.kind, s.unit, s.baseline, s.target, s.last_value, s.done,
               s.progress,
               CASE WHEN s.kind IN ('stay_above', 'stay_below') THEN 1.0  -- every check-in within the bound
                    WHEN s.kind = 'milestone' THEN NULL  -- binary: time decides, see okrdash.progress
                    ELSE s.expected_now END AS expected, s.status, s.confidence, s.last_on AS last_check_in,
               s.days_since, s.stale, coalesce(owner.name, '—') AS owner, s.projected_value, s.checkins
        FROM kr_states s LEFT JOIN people owner ON owner.id = s.owner_id
        ORDER BY s.position, s.kr_id""",
        {"team": team_id, "quarter": quarter, "today": today},
    )


def confidence_by_checkin(actor: auth.Actor, team_id: int, quarter: str, today: dt.date | None = None) -> pd.DataFrame:
    """The team's confidence trend: one row per KR and effective check-in (key_result, checked_on, confidence,
    status), oldest first."""
    auth.require_reader(actor, team_id, "see this team's dashboards")
    today = _today(today)
    return db.frame(
        tracking_sql("o.team_id = $team AND o.quarter = $quarter", today) + """
        SELECT kr.position + 1 AS kr_number, kr.title AS key_result, c.checked_on, c.confidence, c.status
        FROM checkin_states c JOIN kr ON kr.kr_id = c.kr_id
        ORDER BY kr.position, kr.kr_id, c.checked_on""",
        {"team": team_id, "quarter": quarter, "today": today},
    )


def key_results_in_scope(actor: auth.Actor, quarter: str, team_id: int | None = None) -> list[dict[str, Any]]:
    """Published KRs of the quarter that `actor` may read (optionally one team's): kr_id, title, team, position."""
    params: dict[str, Any] = {"quarter": quarter}
    where = ("o.quarter = $quarter AND o.status = 'published' AND k.archived_at IS NULL "
             "AND k.id NOT IN (SELECT kr_id FROM awaiting_publish)")
    if team_id is not None:
        auth.require_reader(actor, team_id, "see this team's dashboards")
        where += " AND o.team_id = $team"
        params["team"] = team_id
    elif actor.readable_teams is not None:
        where += " AND o.team_id = ANY($teams)"
        params["teams"] = sorted(actor.readable_teams) or [-1]
    return db.rows(
        f"""SELECT k.id AS kr_id, k.title, t.name AS team, o.team_id, k.position
            FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
            WHERE {where} ORDER BY t.name, k.position, k.id""",
        params,
    )


def kr_value_series(actor: auth.Actor, kr_id: int, today: dt.date | None = None, *, team_id: int | None = None,
                    quarter: str | None = None) -> pd.DataFrame:
    """A KR over its quarter as (day, series, value) rows, series one of:
    Actual — the effective check-ins (milestones: 1 done, 0 not yet);
    Expected — the straight line from the baseline at the quarter start to the target on the due date
      (increase/decrease kinds only);
    Projected — from the latest check-in to the projected value on the due date (when there is a trend);
    Target — the target (milestones: 1), drawn as a rule.
    `team_id`, `quarter`: the KR's, when the page knows them (they scope the cached read: okrdash.checkins.get)."""
    checkins.get(actor, kr_id, team_id=team_id, quarter=quarter)
    today = _today(today)
    return db.frame(
        tracking_sql("k.id = $kr", today) + """
        SELECT * FROM (
            SELECT checked_on AS day, 'Actual' AS series,
                   CASE WHEN kind = 'milestone' THEN CASE WHEN done THEN 1.0 ELSE 0.0 END ELSE value END AS value
            FROM checkin_states
            UNION ALL
            SELECT starts_on, 'Expected', baseline FROM kr_states
            WHERE kind IN ('increase_to', 'decrease_to') AND baseline IS NOT NULL AND target IS NOT NULL
            UNION ALL
            SELECT due_on, 'Expected', target FROM kr_states
            WHERE kind IN ('increase_to', 'decrease_to') AND baseline IS NOT NULL AND target IS NOT NULL
            UNION ALL
            SELECT last_on, 'Projected', last_value FROM kr_states WHERE projected_value IS NOT NULL
            UNION ALL
            SELECT due_on, 'Projected', projected_value FROM kr_states
            WHERE projected_value IS NOT NULL AND due_on > last_on
            UNION ALL
            SELECT due_on, 'Target', CASE WHEN kind = 'milestone' THEN 1.0 ELSE target END FROM kr_states
            WHERE kind = 'milestone' OR target IS NOT NULL
        ) AS series
        WHERE value IS NOT NULL
        ORDER BY CASE series WHEN 'Actual' THEN 0 WHEN 'Expected' THEN 1 WHEN 'Projected' THEN 2 ELSE 3 END, day""",
        {"kr": kr_id, "today": today},
    )


def kr_confidence_series(actor: auth.Actor, kr_id: int, today: dt.date | None = None, *, team_id: int | None = None,
                         quarter: str | None = None) -> pd.DataFrame:
    """A KR's confidence trend: checked_on, confidence, status (at that check-in), progress, oldest first.
    `team_id`, `quarter`: as for `kr_value_series`."""
    checkins.get(actor, kr_id, team_id=team_id, quarter=quarter)
    today = _today(today)
    return db.frame(
        tracking_sql("k.id = $kr", today) + """
        SELECT checked_on, confidence, status, progress FROM checkin_states ORDER BY checked_on""",
        {"kr": kr_id, "today": today},
    )
