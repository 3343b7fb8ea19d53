"""Who sees which teams on the dashboards: the team directory, the filters' options, and the scope every
dashboard query filters by. Managers see their subtree, leads and members their teams; filters narrow that scope by
department (a top-level team and everything under it) and team."""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db
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


# A read kept per team reads a few teams again after a check-in. Up to this many are named as scalar parameters:
# DuckDB plans `team_id = ANY($list)` ~2 ms slower, some 15% of a one-team read (measured on the benchmark company).
_FEW_TEAMS = 8


def only_teams(teams: list[int], params: dict[str, Any]) -> str:
    """The condition after a team id column that keeps `teams` alone ("IN ($only0, …)", or "= ANY($only)" for many),
    its parameters added to `params`."""
    teams = list(teams) or [-1]
    if len(teams) > _FEW_TEAMS:
        params["only"] = teams
        return "= ANY($only)"
    params.update({f"only{n}": team for n, team in enumerate(teams)})
    return "IN (" + ", ".join(f"$only{n}" for n in range(len(teams))) + ")"


def scoped(actor: auth.Actor, department_id: int | None, team_id: int | None, quarter: str,
           today: dt.date | None, *, only: list[int] | None = None,
           covered: bool | None = None) -> tuple[str, dict[str, Any]]:
    """The KR states (okrdash.scores.tracking_sql) of the quarter in scope, and their parameters; `only`: of
    those teams alone (`only_teams`, for a read kept per team); `covered` as tracking_sql takes it."""
    teams = scope_team_ids(actor, department_id, team_id)
    params: dict[str, Any] = {"quarter": quarter, "today": today or dt.date.today()}
    where = "o.quarter = $quarter"
    if teams is not None:
        where += " AND o.team_id = ANY($teams)"
        params["teams"] = teams or [-1]
    if only is not None:
        where += " AND o.team_id " + only_teams(only, params)
    return tracking_sql(where, params["today"], covered=covered), params


def scope_filter(column: str, actor: auth.Actor, department_id: int | None, team_id: int | None,
                 params: dict[str, Any]) -> str:
    """`column = ANY($teams)` for the scope (or `true` for everything), adding the parameter."""
    teams = scope_team_ids(actor, department_id, team_id)
    if teams is None:
        return "true"
    params["teams"] = teams or [-1]
    return f"{column} = ANY($teams)"

