"""Schema changes after m001 that belong to the domain's own tables (listed in okrdash/migrations/__init__.py),
and the awaiting-publish rule m011 and restore share."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from okrdash.db import Cursor


def m010_idea_item_keys(cur: Cursor) -> None:
    """Which item of its survey answer an idea was written from ('o1', 'o1k2', 'd1', 'c3': its place in the stored
    answer), so resubmitting a named answer updates that idea instead of replacing it (okrdash.answer_ideas). NULL:
    not part of an answer (any more). Ideas written before this stay NULL and are matched by order."""
    cur.execute("ALTER TABLE ideas ADD COLUMN item_key VARCHAR")


def m011_key_results_awaiting_publish(cur: Cursor) -> None:
    """Key results that wait for the team to publish them: added (or restored) after the objective's latest
    published version, so dashboards leave them out and check-ins wait (okrdash.scores). Rows are written by
    key_results on add/restore and removed by publications.freeze. A table of its own because DuckDB cannot add a
    column to key_results (check-ins reference it), and no index on kr_id because a key result may leave and come
    back in one transaction. Reading the same from every snapshot's JSON cost 50–170 ms a dashboard query at scale.
    Existing rows: live key results missing from their team's latest snapshot."""
    cur.execute("CREATE TABLE awaiting_publish (kr_id BIGINT NOT NULL)")
    mark_awaiting_publish(cur)


def mark_awaiting_publish(cur: Cursor) -> None:
    """Record every live key result that its team's latest published version does not hold."""
    for team_id, quarter, held in latest_published_kr_ids(cur):
        cur.execute("""
            INSERT INTO awaiting_publish (kr_id)
            SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
            WHERE o.team_id = ? AND o.quarter = ? AND k.archived_at IS NULL
              AND k.id NOT IN (SELECT kr_id FROM awaiting_publish)""" + _not_in(held), [team_id, quarter, *held])


def latest_published_kr_ids(cur: Cursor, team_id: int | None = None,
                            quarter: str | None = None) -> list[tuple[int, str, list[int]]]:
    """(team, quarter, ids of the key results its latest published version holds), for every team and quarter that
    has published (or just the one asked for). The ids are read from the snapshot JSON here, in Python: JSON paths
    are not portable SQL."""
    found = cur.execute("""
        SELECT p.team_id, p.quarter, p.snapshot FROM publications p
        WHERE p.version = (SELECT max(l.version) FROM publications l
                           WHERE l.team_id = p.team_id AND l.quarter = p.quarter)
          AND (CAST(? AS BIGINT) IS NULL OR p.team_id = ?) AND (CAST(? AS VARCHAR) IS NULL OR p.quarter = ?)""",
        [team_id, team_id, quarter, quarter]).fetchall()
    return [(team, key, [int(kr["id"]) for kr in json.loads(snapshot).get("key_results", [])])
            for team, key, snapshot in found]


def _not_in(ids: list[Any]) -> str:
    return f" AND k.id NOT IN ({', '.join('?' for _ in ids)})" if ids else ""


def m012_participation_claims(cur: Cursor) -> None:
    """A counter that a submit bumps on its person's participation row and a lead's anonymity switch bumps on every
    row of the survey, so the two conflict when they race (okrdash.surveys.update_settings). DuckDB finds a
    conflict only between updates that change the same column, and its upsert misses an uncommitted rival:
    touching a row (`SET status = status`) does not count."""
    cur.execute("ALTER TABLE survey_participation ADD COLUMN claims INTEGER NOT NULL DEFAULT 0")


def m030_key_result_relative_change(cur: Cursor) -> None:
    """Relative-change key results (“Grow subscribers by 20%”, “21% QoQ”): the target is the baseline ± change_pct
    percent, and the baseline is the typed one or else the value of the first check-in.

    key_results.kind has a CHECK constraint from m001 that DuckDB cannot alter, and check-ins reference key_results
    by foreign key, so no kind value or column can be added there. Instead the key result keeps the direction in
    its kind (increase_to for “increase by”, decrease_to for “decrease by”, so every progress rule and SQL twin
    that reads the kind still holds) and this side table marks it relative with its change (always > 0). Its
    target column stays NULL: okrdash.scores computes it from the baseline. key_results presents the pair as the
    kinds increase_by / decrease_by. Plain DDL that DuckDB and PostgreSQL both run; backup walks it like any
    table (it is created after key_results, so foreign-key order holds)."""
    cur.execute("""
        CREATE TABLE kr_relative (
            kr_id      BIGINT PRIMARY KEY REFERENCES key_results (id),
            change_pct DOUBLE PRECISION NOT NULL CHECK (change_pct > 0)
        )""")


def m057_checkins_by_day(cur: Cursor) -> None:
    """The day of the latest check-in in one index lookup: every tracking read asks whether any check-in is dated
    after the day it reads (okrdash.scores.summaries_cover), and PostgreSQL answered by scanning every check-in
    (14 ms at 400,000 of them). Check-ins are append-only, so the column is never updated."""
    cur.execute("CREATE INDEX checkins_checked_on ON checkins (checked_on)")
