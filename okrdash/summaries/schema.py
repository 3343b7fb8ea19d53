"""The summaries' tables (migrations m014–m019, listed in okrdash/migrations/__init__.py). Portable DDL, as every
migration. New tables rather than columns: DuckDB cannot add a column to key_results (check-ins reference it).

No foreign keys: every row is derived from key_results and checkins and can be thrown away and rebuilt
(`python -m okrdash rebuild-summaries`); a key result that has none reads as one without check-ins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from okrdash.db import Cursor


def m014_kr_summaries(cur: Cursor) -> None:
    """One row per key result (every one: archived, draft and awaiting ones too): its state after its latest
    check-in, as okrdash.scores.state_sql computes it over the whole quarter. The first columns are what the state
    was computed from (kind, resolved baseline and target, relative change, the quarter's dates, due date), so
    that any change to them rewrites the row, and reads need no other join for them. What depends on today stays
    out (as_of, active, expected now, days since, stale, due)."""
    cur.execute("""
        CREATE TABLE kr_summaries (
            kr_id           BIGINT PRIMARY KEY,
            kind            VARCHAR,
            baseline        DOUBLE PRECISION,
            target          DOUBLE PRECISION,
            change_pct      DOUBLE PRECISION,
            starts_on       DATE,
            ends_on         DATE,
            due_on          DATE,
            last_checkin_id BIGINT,
            last_person_id  BIGINT,
            last_on         DATE,
            last_value      DOUBLE PRECISION,
            done            BOOLEAN,
            confidence      INTEGER,
            last_comment    VARCHAR,
            progress        DOUBLE PRECISION,
            expected        DOUBLE PRECISION,
            within          BOOLEAN,
            level           INTEGER,
            status          VARCHAR,
            checkins        BIGINT,
            weeks_checked   BIGINT,
            last_week       INTEGER,
            slope           DOUBLE PRECISION,
            intercept       DOUBLE PRECISION,
            points          BIGINT,
            projected_value DOUBLE PRECISION,
            score           DOUBLE PRECISION
        )""")


def m015_kr_checkin_states(cur: Cursor) -> None:
    """One row per effective check-in (the latest row per key result and date): its progress, expected progress on
    its date, level and status, and the next check-in's date (a state holds until the day before it)."""
    cur.execute("""
        CREATE TABLE kr_checkin_states (
            checkin_id BIGINT PRIMARY KEY,
            kr_id      BIGINT NOT NULL,
            checked_on DATE NOT NULL,
            next_on    DATE,
            value      DOUBLE PRECISION,
            done       BOOLEAN,
            confidence INTEGER,
            within     BOOLEAN,
            progress   DOUBLE PRECISION,
            expected   DOUBLE PRECISION,
            level      INTEGER,
            status     VARCHAR
        )""")
    cur.execute("CREATE INDEX kr_checkin_states_kr ON kr_checkin_states (kr_id)")


def m016_kr_weeks(cur: Cursor) -> None:
    """The weekly heatmap's cells per key result: for each week of its quarter (its Monday) from the first
    check-in on, the level held at the end of the week (or the quarter) and the date of the check-in that set it.
    Per key result, not per team: two check-ins on different key results of one team never write the same row."""
    cur.execute("""
        CREATE TABLE kr_weeks (
            kr_id   BIGINT NOT NULL,
            week    DATE NOT NULL,
            level   INTEGER,
            held_on DATE NOT NULL,
            PRIMARY KEY (kr_id, week)
        )""")


def m017_tracking_indexes(cur: Cursor) -> None:
    """Indexes for reads of one team's or one key result's rows. PostgreSQL does not index a foreign key's
    column by itself, so each key result's check-ins and each objective's key results were a scan of the whole
    table there. Neither column is ever updated (DuckDB rewrites an updated indexed column as delete + insert)."""
    cur.execute("CREATE INDEX checkins_kr ON checkins (kr_id)")
    cur.execute("CREATE INDEX key_results_objective ON key_results (objective_id)")


def m018_team_tree(cur: Cursor) -> None:
    """Every team with its department (its top-most ancestor) and whether other teams sit under it, kept beside
    the teams for the dashboards' scope and grouping (okrdash.dashboards.TEAM_DIRECTORY)."""
    cur.execute("""
        CREATE TABLE team_tree (
            team_id       BIGINT PRIMARY KEY,
            team          VARCHAR NOT NULL,
            department_id BIGINT NOT NULL,
            department    VARCHAR NOT NULL,
            has_children  BOOLEAN NOT NULL
        )""")


def m019_fill_summaries(cur: Cursor) -> None:
    """Compute the summaries of the key results and check-ins already stored. A database older than m030 (it
    migrates to kr_relative after this) is left empty here: its reads compute from the check-ins, as before,
    until `python -m okrdash rebuild-summaries` or the next write that concerns everyone fills them."""
    from okrdash.summaries import keep

    keep.rebuild_tree(cur)
    if "kr_relative" in cur.tables():
        keep.rebuild(cur)
