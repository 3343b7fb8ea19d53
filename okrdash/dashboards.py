"""Dashboards: who sees which teams, the filters, and the organisation overview's queries.

One function per chart or table, named after what it returns, each one DuckDB query that filters by quarter and
scope and aggregates in SQL (okrdash/scores.py supplies the KR states). Managers see their subtree, leads and members
their teams; filters narrow that scope by department (a top-level team and everything under it) and team.
The team view and KR detail live in dashboards_team.py, the weekly heatmap and history in dashboards_time.py,
the alignment map in dashboards_alignment.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from okrdash import auth, db
from okrdash import progress as p
from okrdash.errors import PermissionDenied
from okrdash.scores import tracking_sql

# Every team with its department (the top-most ancestor) and whether other teams sit under it: the team tree that
# okrdash.summaries keeps beside the teams (a recursive query over 1,000 teams in every dashboard query cost more
# than the rest of it).
TEAM_DIRECTORY = "SELECT team_id, team, department_id, department, has_children FROM team_tree"


def team_directory() -> list[dict[str, Any]]:
    """Every team with its department, departments first, then teams by name."""
    return db.rows(TEAM_DIRECTORY + " ORDER BY department, team_id <> department_id, team")


def _readable(actor: auth.Actor) -> list[dict[str, Any]]:
    scope = actor.readable_teams
    if scope is not None and not scope:
        raise PermissionDenied(f"Dashboards are for team members and managers; {actor.name} is neither.")
    return [t for t in team_directory() if scope is None or t["team_id"] in scope]


def filter_options(actor: auth.Actor) -> dict[str, list[dict[str, Any]]]:
    """The departments and teams `actor` may pick in the dashboard filters (teams: those that hold OKRs, i.e. not
    pure containers of other teams)."""
    readable = _readable(actor)
    departments = {t["department_id"]: t["department"] for t in readable}
    return {
        "departments": [{"id": k, "name": v} for k, v in sorted(departments.items(), key=lambda kv: kv[1])],
        "teams": [{"id": t["team_id"], "name": t["team"], "department_id": t["department_id"]}
                  for t in readable if not t["has_children"]],
    }


def scope_team_ids(actor: auth.Actor, department_id: int | None = None,
                   team_id: int | None = None) -> list[int] | None:
    """Team ids the dashboards show for `actor` and the filters; None means every team (no filter needed)."""
    if team_id is not None:
        auth.require_reader(actor, team_id, "see this team's dashboards")
        return [team_id]
    if department_id is None and actor.readable_teams is None:
        return None  # everything: no need to walk the team tree
    readable = _readable(actor)
    if department_id is None:
        return None if actor.readable_teams is None else [t["team_id"] for t in readable]
    return [t["team_id"] for t in readable if t["department_id"] == department_id]


def scoped(actor: auth.Actor, department_id: int | None, team_id: int | None, quarter: str,
           today: dt.date | None) -> tuple[str, dict[str, Any]]:
    """The KR states (okrdash.scores.tracking_sql) of the quarter in scope, and their parameters."""
    teams = scope_team_ids(actor, department_id, team_id)
    params: dict[str, Any] = {"quarter": quarter, "today": today or dt.date.today()}
    where = "o.quarter = $quarter"
    if teams is not None:
        where += " AND o.team_id = ANY($teams)"
        params["teams"] = teams or [-1]
    return tracking_sql(where, params["today"]), params


def scope_filter(column: str, actor: auth.Actor, department_id: int | None, team_id: int | None,
                 params: dict[str, Any]) -> str:
    """`column = ANY($teams)` for the scope (or `true` for everything), adding the parameter."""
    teams = scope_team_ids(actor, department_id, team_id)
    if teams is None:
        return "true"
    params["teams"] = teams or [-1]
    return f"{column} = ANY($teams)"


def _completed_weeks() -> str:
    """A key result's completed weeks of its quarter so far (up to `as_of`)."""
    return "CAST(floor(CAST(as_of - starts_on + 1 AS DOUBLE PRECISION) / 7) AS INTEGER)"


def _frame(sql: str, params: dict[str, Any]) -> pd.DataFrame:
    return db.frame(sql, params)


# --- Organisation overview ----------------------------------------------------------------------------------------


def kr_status_counts_by_team(actor: auth.Actor, quarter: str, department_id: int | None = None,
                             team_id: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Teams × status: team, department, status, krs (count), share_on_track (of the team's KRs), ordered by
    department, then teams needing attention first."""
    states, params = scoped(actor, department_id, team_id, quarter, today)
    return _frame(
        states + f"""
        , dir AS ({TEAM_DIRECTORY}),
        counted AS (
            SELECT s.team_id, s.status, count(*) AS krs FROM kr_states s GROUP BY s.team_id, s.status
        )
        SELECT dir.team, dir.department, c.status, c.krs,
               CAST(sum(c.krs) FILTER (WHERE c.status = 'on_track') OVER (PARTITION BY c.team_id) AS DOUBLE PRECISION)
                   / sum(c.krs) OVER (PARTITION BY c.team_id) AS share_on_track
        FROM counted c JOIN dir ON dir.team_id = c.team_id
        ORDER BY dir.department, share_on_track NULLS FIRST, dir.team,
                 {_status_order('c.status')}""",
        params,
    )


def _status_order(column: str) -> str:
    return "CASE " + column + " " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(p.STATUSES)) + " END"


def kr_status_share_by_department(actor: auth.Actor, quarter: str, department_id: int | None = None,
                                  team_id: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """The roll-up by department: department, status, krs, share (of the department's KRs), teams (with OKRs)."""
    states, params = scoped(actor, department_id, team_id, quarter, today)
    return _frame(
        states + f"""
        , dir AS ({TEAM_DIRECTORY})
        SELECT dir.department, s.status, count(*) AS krs,
               CAST(count(*) AS DOUBLE PRECISION) / sum(count(*)) OVER (PARTITION BY dir.department) AS share,
               count(DISTINCT s.team_id) AS teams
        FROM kr_states s JOIN dir ON dir.team_id = s.team_id
        GROUP BY dir.department, s.status
        ORDER BY dir.department, {_status_order('s.status')}""",
        params,
    )


def participation_by_team(actor: auth.Actor, quarter: str, department_id: int | None = None,
                          team_id: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """Per team in scope: survey participation for the quarter (members who submitted the team's survey / members;
    empty without a survey) and check-in participation (KR-weeks with a check-in / completed KR-weeks so far)."""
    states, params = scoped(actor, department_id, team_id, quarter, today)
    team_scope = scope_filter("dir.team_id", actor, department_id, team_id, params)
    return _frame(
        states + f"""
        , dir AS ({TEAM_DIRECTORY}),
        rhythm AS (
            SELECT team_id, CAST(sum(checkin_weeks) AS BIGINT) AS checkin_weeks,
                   CAST(sum({_completed_weeks()}) AS BIGINT) AS expected_weeks
            FROM kr_states GROUP BY team_id
        ),
        members AS (SELECT team_id, count(*) AS members FROM memberships GROUP BY team_id),
        answered AS (
            SELECT s.team_id, count(*) FILTER (WHERE sp.status = 'submitted') AS answered
            FROM surveys s LEFT JOIN survey_participation sp ON sp.survey_id = s.id
            WHERE s.quarter = $quarter GROUP BY s.team_id
        )
        SELECT dir.team, dir.department, coalesce(m.members, 0) AS members, a.answered,
               CASE WHEN a.team_id IS NOT NULL AND m.members > 0
                    THEN least(1.0, CAST(a.answered AS DOUBLE PRECISION) / m.members) END AS survey_share,
               r.checkin_weeks, r.expected_weeks,
               CASE WHEN r.expected_weeks > 0
                    THEN least(1.0, CAST(r.checkin_weeks AS DOUBLE PRECISION) / r.expected_weeks) END AS checkin_share
        FROM dir
        LEFT JOIN members m ON m.team_id = dir.team_id
        LEFT JOIN answered a ON a.team_id = dir.team_id
        LEFT JOIN rhythm r ON r.team_id = dir.team_id
        WHERE {team_scope} AND NOT dir.has_children
        ORDER BY dir.department, dir.team""",
        params,
    )


def stale_key_results(actor: auth.Actor, quarter: str, department_id: int | None = None,
                      team_id: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """KRs with no check-in for more than 7 days in the active quarter, longest silence first: kr_id, team,
    key_result, owner, last_check_in, days_since, status."""
    states, params = scoped(actor, department_id, team_id, quarter, today)
    return _frame(
        states + """
        SELECT s.kr_id, t.name AS team, s.title AS key_result, coalesce(owner.name, '—') AS owner,
               s.last_on AS last_check_in, s.days_since, s.status
        FROM kr_states s JOIN teams t ON t.id = s.team_id LEFT JOIN people owner ON owner.id = s.owner_id
        WHERE s.stale ORDER BY s.days_since DESC NULLS LAST, t.name, s.position""",
        params,
    )


def overview_totals(actor: auth.Actor, quarter: str, department_id: int | None = None,
                    team_id: int | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """Headline numbers: teams in scope, teams with a published objective, KRs, KRs on track and their share,
    stale KRs, and the teams without a published objective (names)."""
    states, params = scoped(actor, department_id, team_id, quarter, today)
    team_scope = scope_filter("dir.team_id", actor, department_id, team_id, params)
    found = db.row(
        states + f"""
        , dir AS ({TEAM_DIRECTORY}),
        scope AS (SELECT team_id, team FROM dir WHERE {team_scope} AND NOT dir.has_children),
        published AS (SELECT DISTINCT team_id FROM objectives WHERE quarter = $quarter AND status = 'published'),
        teams AS (
            SELECT count(*) AS teams, count(p.team_id) AS teams_with_okr,
                   string_agg(CASE WHEN p.team_id IS NULL THEN s.team END, ', ' ORDER BY s.team) AS teams_without_okr
            FROM scope s LEFT JOIN published p ON p.team_id = s.team_id
        ),
        krs AS (
            SELECT count(*) AS krs, count(*) FILTER (WHERE status = 'on_track') AS on_track,
                   count(*) FILTER (WHERE status = 'no_data') AS no_data, count(*) FILTER (WHERE stale) AS stale,
                   avg(score) AS mean_score
            FROM kr_states
        )
        SELECT teams.teams, teams.teams_with_okr, teams.teams_without_okr, krs.krs, krs.on_track, krs.no_data,
               krs.stale, krs.mean_score
        FROM teams CROSS JOIN krs""",
        params,
    )
    found["share_on_track"] = found["on_track"] / found["krs"] if found["krs"] else None
    return found
