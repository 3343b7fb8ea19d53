"""The alignment map: which team objectives serve which company objective in a quarter, the company objectives no
team serves, and the team objectives that serve none. Kept per team (okrdash.storage.changes.kept_per_team): the
records are read in SQL and combined into the map's links in Python."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from okrdash import auth, db
from okrdash.dashboards.scope import TEAM_DIRECTORY, only_teams, scope_filter, scoped
from okrdash.storage.changes import kept_per_team


def alignment_records(actor: auth.Actor, quarter: str, department_id: int | None = None,
                      team_id: int | None = None, today: dt.date | None = None, *,
                      teams: list[int] | None = None) -> list[dict[str, Any]]:
    """What the alignment map shows, as records (`teams`: those teams' records alone): one per team objective in
    scope (team_id, objective_id, objective, objective_status, team, department, item_id, item_kind, item_title:
    the strategy item it serves, score, krs, on_track), and, in a full read, one per company objective of the
    quarter (team_id None; company_objective_id, company_objective, company_position). A team objective's record
    depends only on writes scoped to its team, and a company objective's on strategy writes, which name no team:
    so a kept map is brought up to date after a check-in by reading that team again (okrdash/ui/memo.py)."""
    states, params = scoped(actor, department_id, team_id, quarter, today, only=teams)
    team_scope = scope_filter("o.team_id", actor, department_id, team_id, params)
    only = "" if teams is None else " AND o.team_id " + only_teams(teams, params)
    objectives = db.rows(states + f"""
        , dir AS ({TEAM_DIRECTORY}),
        scored AS (  -- an exact mean: the same value whichever read (the team's, or everyone's) makes it
            SELECT objective_id, CAST(avg(CAST(score AS DECIMAL(38, 12))) AS DOUBLE PRECISION) AS score,
                   count(*) AS krs, count(*) FILTER (WHERE status = 'on_track') AS on_track
            FROM kr_states GROUP BY objective_id
        )
        SELECT o.team_id, o.id AS objective_id, o.title AS objective, o.status AS objective_status, dir.team,
               dir.department, si.id AS item_id, si.kind AS item_kind, si.title AS item_title, s.score, s.krs,
               s.on_track
        FROM objectives o JOIN dir ON dir.team_id = o.team_id
        LEFT JOIN strategy_items si ON si.id = o.strategy_item_id
        LEFT JOIN scored s ON s.objective_id = o.id
        WHERE o.quarter = $quarter AND {team_scope}{only}""", params)
    if teams is not None:
        return objectives
    return objectives + db.rows(
        """SELECT NULL AS team_id, id AS company_objective_id, title AS company_objective, position AS company_position
           FROM strategy_items WHERE quarter = ? AND kind = 'company_objective'""", [quarter])


_LINK_TYPES = {"company_objective_id": "Int64", "company_objective": "str", "team": "str", "department": "str",
               "objective_id": "Int64", "objective": "str", "objective_status": "str", "linked_to": "object",
               "score": "float64", "krs": "Int64", "on_track": "Int64"}


def links_of(records: list[dict[str, Any]]) -> pd.DataFrame:
    """The map's links from its records (in any order), as `objectives_by_company_objective` returns them: each
    company objective (by position) with the team objectives serving it (by team), or alone; then the team
    objectives serving none (by team), with the other strategy item they point at as `linked_to`. Plain Python:
    on ~1,000 records pandas' merge and sort cost 10 ms, this 1."""
    company = sorted((r for r in records if r["team_id"] is None),
                     key=lambda r: (r["company_position"] is None, r["company_position"] or 0,
                                    r["company_objective_id"]))
    serving: dict[int, list[dict[str, Any]]] = {r["company_objective_id"]: [] for r in company}
    orphans = []
    for record in records:
        if record["team_id"] is not None:
            serving.get(record["item_id"], orphans).append(record)
    links = []
    for objective in company:
        for team_objective in sorted(serving[objective["company_objective_id"]], key=lambda r: r["team"]) or [{}]:
            links.append({**team_objective, **objective, "linked_to": None})
    for team_objective in sorted(orphans, key=lambda r: r["team"]):
        links.append({**team_objective, "company_objective_id": None, "company_objective": None,
                      "linked_to": team_objective["item_title"] if team_objective["item_id"] is not None else None})
    return pd.DataFrame({column: pd.array([link.get(column) for link in links], dtype=kind)
                         for column, kind in _LINK_TYPES.items()})


@kept_per_team(alignment_records, links_of)
def objectives_by_company_objective(actor: auth.Actor, quarter: str, department_id: int | None = None,
                                    team_id: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """One row per link, company objectives in strategy order:
    company_objective_id, company_objective (NULL: the team objective serves no company objective), team,
    department, objective_id, objective (NULL: no team in scope serves this company objective), objective_status
    (draft / published), linked_to (the strategy item a non-company-objective link points at), score (published
    objectives, so far), krs, on_track. Then the team objectives serving none, by team."""
    return links_of(alignment_records(actor, quarter, department_id, team_id, today))


def team_objective_counts_by_company_objective(actor: auth.Actor, quarter: str, department_id: int | None = None,
                                               team_id: int | None = None) -> pd.DataFrame:
    """How many team objectives (published, draft) serve each company objective of the quarter, in strategy
    order, then a last row "No company objective" for those serving none: company_objective, published, drafts,
    objectives (the two together). For large scopes, where the map would have a node per team."""
    params: dict = {"quarter": quarter}
    team_scope = scope_filter("o.team_id", actor, department_id, team_id, params)
    return db.frame(
        f"""
        WITH company AS (
            SELECT id, title, position FROM strategy_items WHERE quarter = $quarter AND kind = 'company_objective'
        ),
        team_objectives AS (
            SELECT o.status, CASE WHEN o.strategy_item_id IN (SELECT id FROM company) THEN o.strategy_item_id END
                       AS company_id
            FROM objectives o WHERE o.quarter = $quarter AND {team_scope}
        )
        SELECT coalesce(c.title, 'No company objective') AS company_objective,
               count(t.status) FILTER (WHERE t.status = 'published') AS published,
               count(t.status) FILTER (WHERE t.status = 'draft') AS drafts,
               count(t.status) AS objectives
        FROM company c FULL OUTER JOIN team_objectives t ON t.company_id = c.id
        GROUP BY c.id, c.title, c.position
        HAVING c.id IS NOT NULL OR count(t.status) > 0
        ORDER BY c.position NULLS LAST""",
        params,
    )
