"""The alignment map: which team objectives serve which company objective in a quarter, the company objectives no
team serves, and the team objectives that serve none. One query, named after what it returns."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from okrdash import auth, db
from okrdash.dashboards.scope import TEAM_DIRECTORY, scope_filter
from okrdash.scores import tracking_sql


def objectives_by_company_objective(actor: auth.Actor, quarter: str, department_id: int | None = None,
                                    team_id: int | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """One row per link, company objectives in strategy order:
    company_objective_id, company_objective (NULL: the team objective serves no company objective), team,
    department, objective_id, objective (NULL: no team in scope serves this company objective), objective_status
    (draft / published), linked_to (the strategy item a non-company-objective link points at), score (published
    objectives, so far), krs, on_track."""
    params = {"quarter": quarter, "today": today or dt.date.today()}
    team_scope = scope_filter("o.team_id", actor, department_id, team_id, params)
    return db.frame(
        tracking_sql("o.quarter = $quarter AND " + team_scope, params["today"]) + f"""
        , dir AS ({TEAM_DIRECTORY}),
        scored AS (
            SELECT objective_id, avg(score) AS score, count(*) AS krs,
                   count(*) FILTER (WHERE status = 'on_track') AS on_track
            FROM kr_states GROUP BY objective_id
        ),
        team_objectives AS (
            SELECT o.id AS objective_id, o.title AS objective, o.status AS objective_status, dir.team,
                   dir.department, si.id AS item_id, si.kind AS item_kind, si.title AS item_title
            FROM objectives o JOIN dir ON dir.team_id = o.team_id
            LEFT JOIN strategy_items si ON si.id = o.strategy_item_id
            WHERE o.quarter = $quarter AND {team_scope}
        ),
        company AS (
            SELECT id, title, position FROM strategy_items WHERE quarter = $quarter AND kind = 'company_objective'
        )
        SELECT c.id AS company_objective_id, c.title AS company_objective, t.team, t.department, t.objective_id,
               t.objective, t.objective_status, NULL AS linked_to, s.score, s.krs, s.on_track,
               c.position AS company_position
        FROM company c
        LEFT JOIN team_objectives t ON t.item_id = c.id
        LEFT JOIN scored s ON s.objective_id = t.objective_id
        UNION ALL
        SELECT NULL, NULL, t.team, t.department, t.objective_id, t.objective, t.objective_status,
               CASE WHEN t.item_id IS NOT NULL THEN t.item_title END, s.score, s.krs, s.on_track, NULL
        FROM team_objectives t LEFT JOIN scored s ON s.objective_id = t.objective_id
        WHERE t.item_id IS NULL OR t.item_kind <> 'company_objective'
           OR t.item_id NOT IN (SELECT id FROM company)
        ORDER BY company_position NULLS LAST, company_objective_id, team""",
        params,
    ).drop(columns="company_position")


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
