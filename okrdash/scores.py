"""Key-result state from the database: the SQL every tracking query builds on, and the scores other modules read.

`state_sql(where)` returns the common table expressions that turn raw, append-only check-ins into states, with the
rules of okrdash.progress written as SQL (so a dashboard over 1,000 teams aggregates in DuckDB, never in pandas):

- `kr`: the published, live KRs matching `where` (a condition over `k` key_results, `o` objectives, `q` quarters),
  with their quarter's dates, due date, `as_of` (today, or the quarter's end once it is over) and `active`.
- `checkin_states`: one row per effective check-in up to `as_of` (the latest row per KR and date counts), with the
  running progress, expected progress on that date, level (2/1/0) and status, and `next_on` (the next check-in's
  date: a state holds from `checked_on` until the day before `next_on`).
- `kr_states`: one row per KR: the latest state, days since the last check-in, stale, due, projected end value and
  the score (progress, 0 without a check-in). Both engines' least/greatest skip a NULL argument, so a missing
  progress or trend is handled before them (they once made a key result without check-ins score 1).

Tracking follows the live key results of published objectives, not the frozen snapshot. What keeps the two apart:
check-ins are refused on a KR that is not in the latest published version (okrdash.checkins), and the KR editor
warns before a KR with check-ins gets a new baseline or target (that recomputes its past progress). A KR added
after publishing does show here, with no data, until the change is published: filtering on the snapshot's KR ids
would parse every team's latest snapshot JSON in every tracking query (tens of milliseconds per query across all
quarters at 1,000 teams), too slow for the dashboards.

Reads go through `tracking_sql(where, today)`: the same CTEs read from the summaries okrdash.summaries keeps
(`kept_sql`), or computed here (`state_sql`) when they do not cover `today`. `state_sql(where, live=False)` is what
a rebuild fills the summaries with, so the two cannot drift apart; a refresh after a write works the same rows out
in Python (okrdash.summaries.states, pinned to state_sql by tests/test_summary_states.py).

Queries pass `$today` (a date) and their own named parameters. `kr_scores` and `objective_score` are library-level
reads for the workshop's learning loop and the KR hints (engineers 4 and 5); they check no role, so pages call them
only for teams the actor may read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import db
from okrdash import progress as p

_WITHIN = p.sql_within("kind", "target", "value")
# The week of the quarter a check-in falls in (0 = the quarter's first seven days).
_WEEK = "CAST(floor(CAST(checked_on - starts_on AS DOUBLE PRECISION) / 7) AS INTEGER)"


def _checkin_weeks(table: str, prefix: str = "") -> str:
    """Completed weeks of the quarter (up to `as_of`) with a check-in: the distinct weeks checked, less the week
    still running when it has one (nothing after `as_of` counts, so that is the only one that can)."""
    completed = "CAST(floor(CAST(kr.as_of - kr.starts_on + 1 AS DOUBLE PRECISION) / 7) AS INTEGER)"
    checked, last = f"{table}.{prefix}weeks_checked", f"{table}.{prefix}last_week"
    return f"(coalesce({checked}, 0) - CASE WHEN {last} >= {completed} THEN 1 ELSE 0 END)"


def _membership(awaiting: bool) -> tuple[str, str]:
    """What makes a key result tracked: live in a published objective, and published itself unless `awaiting`."""
    return ("k.archived_at IS NULL AND o.status = 'published' AND ",
            "" if awaiting else " AND k.id NOT IN (SELECT kr_id FROM awaiting_publish)")


KR_COLUMNS = ("kr_id", "objective_id", "team_id", "quarter", "position", "title", "kind", "metric", "unit",
              "baseline", "target", "change_pct", "definition_of_done", "owner_id", "starts_on", "ends_on", "due_on",
              "as_of", "active", "tracked_from")


def _kr(where: str, membership: tuple[str, str], baseline: str, target: str, joins: str) -> str:
    """The body of state_sql's `kr` CTE: the key results matching `where` (and `membership`), with their quarter's
    dates, due date, `as_of` and `active`."""
    tracked, waiting = membership
    return f"""
    SELECT k.id AS kr_id, k.objective_id, o.team_id, o.quarter, k.position, k.title, k.kind, k.metric, k.unit,
           {baseline} AS baseline, {target} AS target, rel.change_pct,
           k.definition_of_done, k.owner_id, q.starts_on, q.ends_on,
           coalesce(k.due_on, q.ends_on) AS due_on,
           least(CAST($today AS DATE), q.ends_on) AS as_of,
           (CAST($today AS DATE) BETWEEN q.starts_on AND q.ends_on) AS active,
           greatest(q.starts_on, CAST(k.created_at AS DATE)) AS tracked_from
    FROM key_results k
    JOIN objectives o ON o.id = k.objective_id
    JOIN quarters q ON q.key = o.quarter
    LEFT JOIN kr_relative rel ON rel.kr_id = k.id
    {joins}
    WHERE {tracked}({where}){waiting}
"""


def state_sql(where: str, *, awaiting: bool = False, live: bool = True) -> str:
    """`WITH kr, versions, runs, checkin_states, trend, kr_states AS (...)`: append a SELECT over them. Key results
    of published objectives only, and of those only what was published, unless `awaiting` (the owner's check-in
    list, which says that a key result added after publishing waits for the next version); every key result
    matching `where`, archived and draft ones too, unless `live` (what okrdash.summaries keeps)."""
    window = p.PROJECTION_WINDOW_DAYS
    membership = _membership(awaiting) if live else ("", "")
    rel_first = f"LEFT JOIN {p.sql_relative_first_values(where)} rel_first ON rel_first.kr_id = k.id"
    return f"""
WITH kr AS ({_kr(where, membership, p.sql_relative_baseline(), p.sql_relative_target(), rel_first)}),
versions AS (
    SELECT c.id AS checkin_id, c.kr_id, c.person_id, c.checked_on, c.value, c.done, c.confidence, c.comment,
           c.created_at,
           row_number() OVER (PARTITION BY c.kr_id, c.checked_on ORDER BY c.created_at DESC, c.id DESC) AS version
    FROM checkins c JOIN kr ON kr.kr_id = c.kr_id
    WHERE c.checked_on <= kr.as_of
),
runs AS (
    SELECT v.checkin_id, v.kr_id, v.person_id, v.checked_on, v.value, v.done, v.confidence, v.comment,
           v.created_at, kr.kind, kr.baseline, kr.target, kr.starts_on, kr.due_on,
           {p.sql_within("kr.kind", "kr.target", "v.value")} AS within,
           sum(CASE WHEN {p.sql_within("kr.kind", "kr.target", "v.value")} THEN 1 ELSE 0 END) OVER w AS within_so_far,
           count(v.value) OVER w AS valued_so_far,
           lead(v.checked_on) OVER (PARTITION BY v.kr_id ORDER BY v.checked_on) AS next_on,
           row_number() OVER (PARTITION BY v.kr_id ORDER BY v.checked_on DESC) AS recency,
           max(v.checked_on) OVER (PARTITION BY v.kr_id) AS last_on
    FROM versions v JOIN kr ON kr.kr_id = v.kr_id
    WHERE v.version = 1
    WINDOW w AS (PARTITION BY v.kr_id ORDER BY v.checked_on ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
measured AS (
    SELECT runs.*, {p.sql_progress()} AS progress, {p.sql_expected("checked_on")} AS expected
    FROM runs
),
leveled AS (
    SELECT measured.*, {p.sql_level()} AS level FROM measured
),
checkin_states AS (
    SELECT leveled.*, {p.sql_status_of_level("level")} AS status FROM leveled
),
trend AS (
    SELECT kr_id,
           regr_slope(value, checked_on - starts_on) FILTER (WHERE checked_on >= last_on - {window}) AS slope,
           regr_intercept(value, checked_on - starts_on) FILTER (WHERE checked_on >= last_on - {window}) AS intercept,
           regr_count(value, checked_on - starts_on) FILTER (WHERE checked_on >= last_on - {window}) AS points,
           count(*) AS checkins, count(DISTINCT {_WEEK}) AS weeks_checked, max({_WEEK}) AS last_week
    FROM runs GROUP BY kr_id
),
latest AS (
    SELECT {", ".join(f"kr.{c}" for c in KR_COLUMNS)}, s.checkin_id AS last_checkin_id,
           s.person_id AS last_person_id, s.checked_on AS last_on, s.value AS last_value, s.done, s.confidence,
           s.comment AS last_comment, s.progress, s.expected, s.within, s.level, s.status, t.checkins, t.weeks_checked,
           t.last_week, CASE
               WHEN kr.kind = 'milestone' OR s.value IS NULL THEN NULL
               WHEN t.points >= 2 AND t.slope IS NOT NULL THEN t.intercept + t.slope * (kr.due_on - kr.starts_on)
               WHEN kr.baseline IS NOT NULL AND s.checked_on > kr.starts_on
                   THEN kr.baseline + (s.value - kr.baseline) * (kr.due_on - kr.starts_on)
                        / (s.checked_on - kr.starts_on)
           END AS trend
    FROM kr
    LEFT JOIN checkin_states s ON s.kr_id = kr.kr_id AND s.recency = 1
    LEFT JOIN trend t ON t.kr_id = kr.kr_id
),
kr_states AS (
    SELECT {", ".join(KR_COLUMNS)}, last_checkin_id, last_person_id, last_on, last_value, done, confidence,
           last_comment, progress, expected, within, level, coalesce(status, 'no_data') AS status,
           coalesce(checkins, 0) AS checkins,
           {_checkin_weeks("kr")} AS checkin_weeks,
           {p.sql_expected("kr.as_of", "kr.starts_on", "kr.due_on")} AS expected_now,
           CAST($today AS DATE) - coalesce(last_on, kr.tracked_from) AS days_since,
           kr.active AND CAST($today AS DATE) - coalesce(last_on, kr.tracked_from) > {p.STALE_AFTER_DAYS}
               AS stale,
           kr.active AND CAST($today AS DATE) - coalesce(last_on, kr.tracked_from) >= {p.STALE_AFTER_DAYS}
               AS due,
           CASE WHEN kr.baseline >= 0 AND kr.target >= 0 AND trend IS NOT NULL THEN greatest(0.0, trend)
                ELSE trend END AS projected_value,
           CASE WHEN progress IS NULL THEN 0.0 ELSE greatest(0.0, least(1.0, progress)) END AS score
    FROM latest kr
)"""


def kept_sql(where: str, *, awaiting: bool = False) -> str:
    """The same `kr`, `checkin_states` and `kr_states` as `state_sql`, read from the summaries okrdash.summaries
    keeps instead of computed from check-ins: what depends on today (as_of, active, expected_now, days since,
    stale, due, completed weeks) is worked out here from the stored dates. `checkin_states` has the columns the
    dashboards read (checkin_id, kr_id, checked_on, value, done, confidence, kind, baseline, target, starts_on,
    due_on, within, next_on, progress, expected, level, status). Right only while every key result has its
    summary and no check-in is dated after today (`tracking_sql` decides). Three tables, so DuckDB plans it in a
    fraction of the time: planning, not reading rows, was most of a dashboard query's cost."""
    tracked, waiting = _membership(awaiting)
    # The summary's columns ride along in `kr` (as s_…), so kr_states is a projection, not another join.
    kept = ("last_checkin_id", "last_person_id", "last_on", "last_value", "done", "confidence", "last_comment",
            "progress", "expected", "within", "level", "status", "checkins", "weeks_checked", "last_week",
            "projected_value", "score")
    return f"""
WITH kr AS (
    SELECT k.id AS kr_id, k.objective_id, o.team_id, o.quarter, k.position, k.title, k.kind, k.metric, k.unit,
           ks.baseline, ks.target, ks.change_pct, k.definition_of_done, k.owner_id, ks.starts_on, ks.ends_on,
           ks.due_on, least(CAST($today AS DATE), ks.ends_on) AS as_of,
           (CAST($today AS DATE) BETWEEN ks.starts_on AND ks.ends_on) AS active,
           greatest(ks.starts_on, CAST(k.created_at AS DATE)) AS tracked_from,
           {", ".join(f"ks.{c} AS s_{c}" for c in kept)}
    FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN kr_summaries ks ON ks.kr_id = k.id
    WHERE {tracked}({where}){waiting}
),
checkin_states AS (
    SELECT c.checkin_id, c.kr_id, c.checked_on, c.value, c.done, c.confidence, kr.kind, kr.baseline, kr.target,
           kr.starts_on, kr.due_on, c.within, c.next_on, c.progress, c.expected, c.level, c.status
    FROM kr_checkin_states c JOIN kr ON kr.kr_id = c.kr_id
),
kr_states AS (
    SELECT {", ".join(f"kr.{c}" for c in KR_COLUMNS)}, s_last_checkin_id AS last_checkin_id,
           s_last_person_id AS last_person_id, s_last_on AS last_on, s_last_value AS last_value, s_done AS done,
           s_confidence AS confidence, s_last_comment AS last_comment, s_progress AS progress,
           s_expected AS expected, s_within AS within, s_level AS level, s_status AS status, s_checkins AS checkins,
           {_checkin_weeks("kr", "s_")} AS checkin_weeks,
           {p.sql_expected("kr.as_of", "kr.starts_on", "kr.due_on")} AS expected_now,
           CAST($today AS DATE) - coalesce(s_last_on, kr.tracked_from) AS days_since,
           kr.active AND CAST($today AS DATE) - coalesce(s_last_on, kr.tracked_from) > {p.STALE_AFTER_DAYS}
               AS stale,
           kr.active AND CAST($today AS DATE) - coalesce(s_last_on, kr.tracked_from) >= {p.STALE_AFTER_DAYS}
               AS due,
           s_projected_value AS projected_value, s_score AS score
    FROM kr
)"""


def summaries_cover(today: dt.date) -> bool:
    """Whether the summaries answer reads as of `today`: every key result has one, and no check-in is dated after
    `today` (the summaries hold each quarter up to its end; a read of the past, in tests, needs state_sql)."""
    return _every_key_result_summarised() and not db.scalar("SELECT max(checked_on) > ? FROM checkins", [today])


_SUMMARISED: dict[str, tuple[int, ...]] = {}  # per database: the version of key_results when all had a summary


def _every_key_result_summarised() -> bool:
    """Counted again only after a write to key_results. Every transaction that writes key results keeps their
    summaries before it commits (okrdash.summaries), so the count guards against rows that came in some other way;
    it cost 2-8 ms on PostgreSQL at 32,000 key results, at every dashboard read after a check-in. Only a yes is
    remembered: a database found without some summaries is counted at each read until they are rebuilt. Inside a
    transaction the count always runs: key results it wrote have no summary until it commits."""
    target, version, writing = db.target(), db.version_of(("key_results",)), db.in_transaction()
    if _SUMMARISED.get(target) == version and not writing:
        return True
    if db.scalar("SELECT (SELECT count(*) FROM key_results) - (SELECT count(*) FROM kr_summaries)"):
        return False
    if not writing:
        _SUMMARISED[target] = version
    return True


def tracking_sql(where: str, today: dt.date, *, awaiting: bool = False, covered: bool | None = None) -> str:
    """The tracking CTEs for a read as of `today`: `kept_sql` (the summaries: a handful of rows per key result)
    when they cover `today`, else `state_sql` (computed from the check-ins). `covered`: what summaries_cover(today)
    says, when the caller has asked already."""
    if covered is None:
        covered = summaries_cover(today)
    return kept_sql(where, awaiting=awaiting) if covered else state_sql(where, awaiting=awaiting)


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def kr_scores(team_id: int, quarter: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The team's published KRs for the quarter with their score 0–1 and status, in the objective's order.

    Keys: kr_id, title, kind, unit, baseline, target, last_value, done, score, status. A finished quarter is scored
    at its end; the current one as of `today`. Checks no role (library-level read).
    """
    today = _today(today)
    return db.rows(
        tracking_sql("o.team_id = $team AND o.quarter = $quarter", today)
        + """
        SELECT kr_id, title, kind, unit, baseline, target, last_value, done, score, status
        FROM kr_states ORDER BY position, kr_id""",
        {"team": team_id, "quarter": quarter, "today": today},
    )


def objective_score(team_id: int, quarter: str, today: dt.date | None = None) -> float | None:
    """The team's objective score for the quarter: the mean of its KRs' scores; None without published KRs."""
    today = _today(today)
    value = db.scalar(
        tracking_sql("o.team_id = $team AND o.quarter = $quarter", today) + " SELECT avg(score) FROM kr_states",
        {"team": team_id, "quarter": quarter, "today": today},
    )
    return None if value is None else float(value)
