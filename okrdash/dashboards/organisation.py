"""The organisation overview's queries: KR status by team and department, participation, stale key results and
the headline numbers, each one query over the kept KR states (okrdash.scores.tracking_sql) that filters by quarter
and scope and aggregates in SQL."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from okrdash import auth, db
from okrdash import progress as p
from okrdash.dashboards.scope import TEAM_DIRECTORY, only_teams, scope_filter, scoped
from okrdash.storage.changes import kept_per_team


def _members_and_answers(only: str = "") -> str:
    """Members per team and survey answers per team in $quarter: the participation table's and the overview's
    CTEs (`only`: " AND {column} IN ($only0, …)" narrows them to some teams, {column} standing for the team id)."""
    return f"""members AS (
            SELECT team_id, count(*) AS members FROM memberships WHERE true{only.format(column="team_id")}
            GROUP BY team_id
        ),
        answered AS (
            SELECT s.team_id, count(*) FILTER (WHERE sp.status = 'submitted') AS answered
            FROM surveys s LEFT JOIN survey_participation sp ON sp.survey_id = s.id
            WHERE s.quarter = $quarter{only.format(column="s.team_id")} GROUP BY s.team_id
        )"""


def _frame(sql: str, params: dict[str, Any]) -> pd.DataFrame:
    return db.frame(sql, params)


def _completed_weeks() -> str:
    """A key result's completed weeks of its quarter so far (up to `as_of`)."""
    return "CAST(floor(CAST(as_of - starts_on + 1 AS DOUBLE PRECISION) / 7) AS INTEGER)"


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
        {_members_and_answers()}
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
    return _stale(*scoped(actor, department_id, team_id, quarter, today))


def _stale(states: str, params: dict[str, Any]) -> pd.DataFrame:
    return _stale_frame(_stale_rows(states, params))


# The stale list's columns and their types, as DuckDB's own frame has them.
_STALE_COLUMNS = {"kr_id": "int64", "team": "str", "key_result": "str", "owner": "str",
                  "last_check_in": "datetime64[us]", "days_since": "int64", "status": "str"}


def _stale_rows(states: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return db.rows(
        states + """
        SELECT s.kr_id, s.team_id, t.name AS team, s.title AS key_result, coalesce(owner.name, '—') AS owner,
               s.last_on AS last_check_in, s.days_since, s.status, s.position
        FROM kr_states s JOIN teams t ON t.id = s.team_id LEFT JOIN people owner ON owner.id = s.owner_id
        WHERE s.stale""",
        {k: v for k, v in params.items() if f"${k}" in states or k in ("quarter", "today")},
    )


def _stale_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Longest silence first, then by team and the KR's position."""
    ordered = sorted(rows, key=lambda kr: (kr["days_since"] is None, -(kr["days_since"] or 0), kr["team"],
                                           kr["position"]))
    return _frame_of([tuple(kr[c] for c in _STALE_COLUMNS) for kr in ordered], _STALE_COLUMNS)


def overview_totals(actor: auth.Actor, quarter: str, department_id: int | None = None,
                    team_id: int | None = None, today: dt.date | None = None) -> dict[str, Any]:
    """Headline numbers: teams in scope, teams with a published objective, KRs, KRs on track, each share,
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
    return _with_shares(found)


# --- The whole page in two queries, kept team by team ------------------------------------------------------------

_PER_TEAM = ", ".join(f"t.{c}" for c in ["krs", *p.STATUSES, "stale", "score", "checkin_weeks", "expected_weeks"])


def overview_records(actor: auth.Actor, quarter: str, department_id: int | None = None, team_id: int | None = None,
                     today: dt.date | None = None, *, teams: list[int] | None = None) -> list[dict[str, Any]]:
    """What the organisation overview shows, as one record per team (`teams`: those teams' records alone): the
    team's KRs by status, stale ones, scores, check-in weeks, members, survey answers, and its stale key results
    (`stale_krs`). A team's record depends only on writes scoped to it (or to no team), so a kept overview is
    brought up to date after a check-in by reading that team again (okrdash/ui/memo.py): on the benchmark
    company that read takes ~20 ms, most of it planning the query, against 30-55 ms for every team's."""
    states, params = scoped(actor, department_id, team_id, quarter, today, only=teams)
    team_scope = scope_filter("dir.team_id", actor, department_id, team_id, params)
    only = "" if teams is None else " AND {column} " + only_teams(teams, params)  # the other CTEs, narrowed alike
    records = db.rows(states + f"""
        , dir AS ({TEAM_DIRECTORY}),
        per_team AS (
            SELECT team_id, count(*) AS krs, {", ".join(
                f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in p.STATUSES)},
                   count(*) FILTER (WHERE stale) AS stale,
                   -- an exact sum: the same team's total whichever query reads it (a full read, or the team's)
                   CAST(sum(CAST(score AS DECIMAL(38, 12))) AS DOUBLE PRECISION) AS score,
                   CAST(sum(checkin_weeks) AS BIGINT) AS checkin_weeks,
                   CAST(sum({_completed_weeks()}) AS BIGINT) AS expected_weeks
            FROM kr_states GROUP BY team_id
        ),
        {_members_and_answers(only)},
        published AS (
            SELECT DISTINCT team_id FROM objectives
            WHERE quarter = $quarter AND status = 'published'{only.format(column="team_id")}
        )
        SELECT dir.team_id, dir.team, dir.department, ({team_scope}) AND NOT dir.has_children AS listed,
               pub.team_id IS NOT NULL AS published, coalesce(m.members, 0) AS members,
               a.team_id IS NOT NULL AS surveyed, a.answered, {_PER_TEAM}
        FROM dir LEFT JOIN per_team t ON t.team_id = dir.team_id LEFT JOIN members m ON m.team_id = dir.team_id
        LEFT JOIN answered a ON a.team_id = dir.team_id LEFT JOIN published pub ON pub.team_id = dir.team_id
        WHERE (t.team_id IS NOT NULL OR (({team_scope}) AND NOT dir.has_children))
              {only.format(column="dir.team_id")}""", params)
    stale: dict[int, list[dict[str, Any]]] = {}
    if any(record["stale"] for record in records):  # one team read again has none, mostly: no second query
        for kr in _stale_rows(states, params):
            stale.setdefault(kr["team_id"], []).append(kr)
    for record in records:
        record["stale_krs"] = stale.get(record["team_id"], [])
    return records


def overview_of(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The overview's parts from its per-team records (in any order: every part sorts, and the mean score is an
    exactly rounded sum, so a kept overview brought up to date equals one read afresh to the last bit):
    {"totals", "by_team", "by_department", "participation", "stale"}, each equal to what overview_totals,
    kr_status_counts_by_team, kr_status_share_by_department, participation_by_team and stale_key_results return."""
    return {"totals": _totals(records), "by_team": _by_team(records), "by_department": _by_department(records),
            "participation": _participation(records),
            "stale": _stale_frame([kr for r in records for kr in r["stale_krs"]])}


@kept_per_team(overview_records, overview_of)
def overview(actor: auth.Actor, quarter: str, department_id: int | None = None, team_id: int | None = None,
             today: dt.date | None = None) -> dict[str, Any]:
    """Everything the organisation overview shows, from two queries instead of five: `overview_of` the
    `overview_records` (one query counts per team, one lists the stale key results; the roll-ups over those
    ~1,000 records are sums in Python)."""
    return overview_of(overview_records(actor, quarter, department_id, team_id, today))


def _with_shares(totals: dict[str, Any]) -> dict[str, Any]:
    """`totals` with the two shares the overview shows: of KRs on track, and of teams with a published objective
    (None where there is nothing to share)."""
    totals["share_on_track"] = totals["on_track"] / totals["krs"] if totals["krs"] else None
    totals["share_with_okr"] = totals["teams_with_okr"] / totals["teams"] if totals["teams"] else None
    return totals


def _totals(teams: list[dict[str, Any]]) -> dict[str, Any]:
    listed = [t for t in teams if t["listed"]]
    counted = [t for t in teams if t["krs"]]
    krs = sum(t["krs"] for t in counted)
    missing = sorted(t["team"] for t in listed if not t["published"])
    found = {"teams": len(listed), "teams_with_okr": sum(1 for t in listed if t["published"]),
             "teams_without_okr": ", ".join(missing) if missing else None, "krs": krs,
             "on_track": sum(t["on_track"] for t in counted), "no_data": sum(t["no_data"] for t in counted),
             "stale": sum(t["stale"] for t in counted),
             "mean_score": math.fsum(t["score"] for t in counted) / krs if krs else None}
    return _with_shares(found)


def _frame_of(rows: list[tuple], columns: dict[str, str]) -> pd.DataFrame:
    """A frame of `rows` with the column types DuckDB's own frame has (text is `object` in an empty one)."""
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    return _frame_of_columns([list(v) for v in values], columns)


def _frame_of_columns(values: list[list[Any]], columns: dict[str, str]) -> pd.DataFrame:
    """A frame of the column `values` (one list per column, in the order of `columns`), typed as in _frame_of."""
    empty = not values or not values[0]
    return pd.DataFrame({c: pd.array(v, dtype="object" if kind == "str" and empty else kind)
                         for (c, kind), v in zip(columns.items(), values, strict=True)})


def _by_team(teams: list[dict[str, Any]]) -> pd.DataFrame:
    # Teams in the order the SQL gives: department, share on track (none on track first), team; then each team's
    # statuses in their order. Sorting the ~1,000 teams rather than their ~2,500 rows keeps a kept overview's
    # refresh short.
    counted = sorted((t for t in teams if t["krs"]),
                     key=lambda t: (t["department"], t["on_track"] > 0, t["on_track"] / t["krs"], t["team"]))
    names, departments, statuses, krs, shares = [], [], [], [], []
    for t in counted:
        share = t["on_track"] / t["krs"] if t["on_track"] else math.nan
        for status in p.STATUSES:
            if t[status]:
                names.append(t["team"])
                departments.append(t["department"])
                statuses.append(status)
                krs.append(t[status])
                shares.append(share)
    return _frame_of_columns([names, departments, statuses, krs, shares],
                             {"team": "str", "department": "str", "status": "str", "krs": "int64",
                              "share_on_track": "float64"})


def _by_department(teams: list[dict[str, Any]]) -> pd.DataFrame:
    departments: dict[str, tuple[list[int], list[int]]] = {}  # per department: KRs, and teams, in each status
    for t in teams:
        if t["krs"]:
            counted = departments.get(t["department"])
            if counted is None:
                counted = departments[t["department"]] = ([0] * len(p.STATUSES), [0] * len(p.STATUSES))
            krs, with_status = counted
            for n, status in enumerate(p.STATUSES):
                if t[status]:
                    krs[n] += t[status]
                    with_status[n] += 1
    rows = []
    for department in sorted(departments):
        krs, with_status = departments[department]
        total = sum(krs)
        rows += [(department, status, krs[n], krs[n] / total, with_status[n])
                 for n, status in enumerate(p.STATUSES) if krs[n]]
    return _frame_of(rows, {"department": "str", "status": "str", "krs": "int64", "share": "float64",
                            "teams": "int64"})


def _participation(teams: list[dict[str, Any]]) -> pd.DataFrame:
    kinds = {"team": "str", "department": "str", "members": "int64", "answered": "int64", "survey_share": "float64",
             "checkin_weeks": "int64", "expected_weeks": "int64", "checkin_share": "float64"}
    values: list[list[Any]] = [[] for _ in kinds]
    team, department, members, answered, survey, checkins, expected, checkin = values
    for t in sorted((t for t in teams if t["listed"]), key=lambda t: (t["department"], t["team"])):
        team.append(t["team"])
        department.append(t["department"])
        members.append(t["members"])
        answered.append(t["answered"])
        survey.append(min(1.0, t["answered"] / t["members"]) if t["surveyed"] and t["members"] > 0 else None)
        checkins.append(t["checkin_weeks"])
        expected.append(t["expected_weeks"])
        weeks = t["expected_weeks"]
        checkin.append(min(1.0, t["checkin_weeks"] / weeks) if weeks is not None and weeks > 0 else None)
    for column, column_values in (("answered", answered), ("checkin_weeks", checkins), ("expected_weeks", expected)):
        if None in column_values:  # NULL somewhere: nullable, as DuckDB gives them
            kinds[column] = "Int64"
    return _frame_of_columns(values, kinds)
