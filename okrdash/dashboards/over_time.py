"""Dashboards over time: the team × week heatmap of status across a quarter, and quarter scores per team across
quarters. One query per chart, named after what it returns; scope and filters as in okrdash/dashboards/scope.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from okrdash import auth, db, quarters, scores
from okrdash import progress as p
from okrdash.dashboards.scope import TEAM_DIRECTORY, only_teams, scope_filter, scoped
from okrdash.scores import tracking_sql
from okrdash.storage.changes import kept_per_team

COUNTS = ["on_track", "at_risk", "off_track", "no_data", "stale", "krs"]


def team_status_by_week_records(actor: auth.Actor, quarter: str, department_id: int | None = None,
                                team_id: int | None = None, today: dt.date | None = None, *, by: str = "team",
                                teams: list[int] | None = None) -> pd.DataFrame:
    """`team_status_by_week`'s cells per team and week, in no order (`teams`: those teams' alone): team_id, row
    (the team's name, or its department's for `by="department"`), department, week, level_sum and level_n (the sum
    and count of the levels of the KRs with data), and the KR counts on_track, at_risk, off_track, no_data, stale,
    krs. Levels are the integers 2/1/0, so a mean summed from these records is exact whichever teams were read."""
    if by not in ("team", "department"):
        raise ValueError(f"by must be 'team' or 'department', not {by!r}")
    held, params = _held_by_week(actor, quarter, department_id, team_id, today, teams=teams)
    return db.frame(
        held + f"""
        SELECT held.team_id, dir.{by} AS row, dir.department, held.week,
               CAST(coalesce(sum(held.level), 0) AS BIGINT) AS level_sum, count(held.level) AS level_n,
               count(*) FILTER (WHERE held.status = 'on_track') AS on_track,
               count(*) FILTER (WHERE held.status = 'at_risk') AS at_risk,
               count(*) FILTER (WHERE held.status = 'off_track') AS off_track,
               count(*) FILTER (WHERE held.status = 'no_data') AS no_data,
               count(*) FILTER (WHERE held.stale) AS stale,
               count(*) AS krs
        FROM held JOIN dir ON dir.team_id = held.team_id
        GROUP BY held.team_id, dir.team, dir.department, held.week""",
        params,
    )


def _held_by_week(actor: auth.Actor, quarter: str, department_id: int | None, team_id: int | None,
                 today: dt.date | None, *, teams: list[int] | None = None) -> tuple[str, dict[str, Any]]:
    """The heatmap's cells before counting, as CTEs and their parameters: `held` (kr_id, team_id, week, status,
    level, stale) for each KR in scope (`teams`: of those teams alone) and week of the quarter up to today, and `dir`
    (okrdash.dashboards.scope.TEAM_DIRECTORY).

    A KR's state in a week is its state after the latest check-in on or before the week's last day (or today);
    weeks before its first check-in count as no_data. The cells come from the weekly summaries (okrdash.summaries:
    kr_weeks), or are worked out from the check-in states when a check-in is dated after `today`."""
    today = today or dt.date.today()
    covered = scores.summaries_cover(today)
    states, params = scoped(actor, department_id, team_id, quarter, today, only=teams, covered=covered)
    start, end = quarters.bounds(quarter)
    first_monday = start - dt.timedelta(days=start.weekday())
    weeks = [first_monday + dt.timedelta(days=7 * n) for n in range((min(today, end) - first_monday).days // 7 + 1)]
    params["weeks"] = weeks
    if covered:
        params.update(first_week=first_monday, last_week=weeks[-1] if weeks else first_monday)
        held = f"""SELECT cells.kr_id, cells.team_id, cells.week, {p.sql_status_of_level("h.level")} AS status,
                   h.level, h.held_on IS NOT NULL AND cells.week_end - h.held_on > {p.STALE_AFTER_DAYS} AS stale
            FROM cells LEFT JOIN kr_weeks h ON h.kr_id = cells.kr_id AND h.week = cells.week
                 AND h.week BETWEEN $first_week AND $last_week"""  # the quarter's rows, not every quarter's
    else:
        held = f"""SELECT cells.kr_id, cells.team_id, cells.week, coalesce(c.status, 'no_data') AS status, c.level,
                   c.checked_on IS NOT NULL AND cells.week_end - c.checked_on > {p.STALE_AFTER_DAYS} AS stale
            FROM cells LEFT JOIN checkin_states c ON c.kr_id = cells.kr_id AND c.checked_on <= cells.week_end
                 AND (c.next_on IS NULL OR c.next_on > cells.week_end)"""
    return states + f"""
        , dir AS ({TEAM_DIRECTORY}),
        weeks AS (SELECT unnest(CAST($weeks AS DATE[])) AS week),  -- one node to plan, not a UNION per week
        cells AS (
            SELECT kr.kr_id, kr.team_id, w.week, least(w.week + 6, kr.as_of) AS week_end FROM kr CROSS JOIN weeks w
        ),
        held AS ({held})""", params


def team_status_by_week_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The heatmap's frame from its records, in any order: the counts of each row (team or department) and week
    summed, its status from the mean level of its KRs with data (okrdash.progress.team_status_of_mean), by
    department, row and week. Rows are grouped by their names: names are unique by rule (okrdash.teams)."""
    columns = ["row", "department", "week", "status", *COUNTS]
    if records.empty:  # the columns as the engine typed them (a PostgreSQL frame without rows has no types)
        return records.assign(status=records["row"])[columns].reset_index(drop=True)
    cells = records.groupby(["department", "row", "week"], sort=True)[[*COUNTS, "level_sum", "level_n"]].sum()
    status = [p.team_status_of_mean(total / n if n else None)
              for total, n in zip(cells["level_sum"].tolist(), cells["level_n"].tolist(), strict=True)]
    cells = cells.reset_index().assign(status=pd.Series(status, dtype=records["row"].dtype))
    return cells[columns]


@kept_per_team(team_status_by_week_records, team_status_by_week_frame)
def team_status_by_week(actor: auth.Actor, quarter: str, department_id: int | None = None,
                        team_id: int | None = None, today: dt.date | None = None, *,
                        by: str = "team") -> pd.DataFrame:
    """The heatmap: one row per team (or department, `by="department"`) and week of the quarter up to today:
    row, department, week (its Monday), status, on_track, at_risk, off_track, no_data, stale (KR counts), krs.

    A KR's state in a week is its state after the latest check-in on or before the week's last day (or today);
    weeks before its first check-in count as no_data. The cell's status is okrdash.progress.team_status of its KRs.
    Kept per team (okrdash/ui/memo.py): the cells are counted per team and week in SQL (team_status_by_week_records)
    and summed into rows here (a department's cell is the sum of its teams': levels are integers, so the mean is
    exact), so after a check-in a kept heatmap reads that team's cells again, not the organisation's 40,000. On the
    benchmark company that read after a check-in went from 52 to 46 ms by department and 71 to 58 ms by team; a full
    read went from 52 to 79 ms (10,000 team-week records come to pandas), and one team's query costs 25-30 ms of
    the refresh whatever its size (the KR states' scan, okrdash.dashboards.scope.scoped)."""
    return team_status_by_week_frame(team_status_by_week_records(actor, quarter, department_id, team_id, today, by=by))


def team_scores_records(actor: auth.Actor, department_id: int | None = None, team_id: int | None = None,
                        today: dt.date | None = None, *, last: int = 8, teams: list[int] | None = None) -> pd.DataFrame:
    """`team_scores_by_quarter`'s rows with their team_id, in no order (`teams`: those teams' alone). The mean
    score is averaged exactly, so a team's rows are the same whichever query reads them (all teams, or its own)."""
    today = today or dt.date.today()
    current = quarters.key_for(today)
    params: dict[str, Any] = {"first": quarters.shift(current, -(last - 1)), "current": current, "today": today}
    where = "o.quarter BETWEEN $first AND $current"
    where += " AND " + scope_filter("o.team_id", actor, department_id, team_id, params)
    if teams is not None:
        where += " AND o.team_id " + only_teams(teams, params)
    return db.frame(
        tracking_sql(where, today) + f"""
        , dir AS ({TEAM_DIRECTORY})
        SELECT dir.team, dir.department, s.quarter,
               CAST(avg(CAST(s.score AS DECIMAL(38, 12))) AS DOUBLE PRECISION) AS score, count(*) AS krs,
               count(*) FILTER (WHERE s.status = 'on_track') AS on_track, bool_and(NOT s.active) AS finished,
               dir.team_id
        FROM kr_states s JOIN dir ON dir.team_id = s.team_id
        GROUP BY dir.team_id, dir.team, dir.department, s.quarter""",
        params,
    )


def team_scores_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The history's frame from its records, in any order: by department, team and quarter."""
    return (records.sort_values(["department", "team", "quarter"], kind="stable").drop(columns="team_id")
            .reset_index(drop=True))


@kept_per_team(team_scores_records, team_scores_frame)
def team_scores_by_quarter(actor: auth.Actor, department_id: int | None = None, team_id: int | None = None,
                           today: dt.date | None = None, *, last: int = 8) -> pd.DataFrame:
    """Quarter scores per team for the `last` quarters up to the current one: team, department, quarter, score
    (the objective score: mean of its KR scores, each quarter scored at its end, the current one as of today),
    krs, on_track (KRs on track at the end), finished (the quarter is over). Kept per team: a check-in reads its
    team's rows again, not 32,000 key-result quarters (okrdash/ui/memo.py)."""
    return team_scores_frame(team_scores_records(actor, department_id, team_id, today, last=last))
