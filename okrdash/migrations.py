"""Ordered, named schema migrations, each applied once and recorded in the `migrations` table.

Add a migration by appending a function `mNNN_what_it_does(cur)` to MIGRATIONS; never edit one that has shipped.
SQL stays within what DuckDB and PostgreSQL both accept (sequences, CHECK, UNIQUE, REFERENCES, no lists), and a
migration runs on either engine through an okrdash.db.Cursor.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from okrdash.live.schema import m040_live_workshop

if TYPE_CHECKING:
    from okrdash.db import Cursor

SEQUENCES = [
    "seq_people", "seq_teams", "seq_strategy_items", "seq_surveys", "seq_survey_answers", "seq_ideas",
    "seq_idea_merges", "seq_ranking_rounds", "seq_ballots", "seq_objectives", "seq_deprioritized",
    "seq_key_results", "seq_publications", "seq_checkins", "seq_checkin_acks",
]


def m001_core_schema(cur: Cursor) -> None:
    """The whole domain of DESIGN.md §2 in one go, so demo data and every page share one contract.

    Edited once after shipping, for PostgreSQL, without changing what it makes on DuckDB: the quarter key check was
    `regexp_full_match(key, '[0-9]{4}-Q[1-4]')` (DuckDB only) and is now the anchored `~` both engines run, and
    DOUBLE (DuckDB's name) is DOUBLE PRECISION, the same type there."""
    for name in SEQUENCES:
        cur.execute(f"CREATE SEQUENCE {name} START 1")
    cur.execute("""
        CREATE TABLE quarters (
            key        VARCHAR PRIMARY KEY CHECK (key ~ '^[0-9]{4}-Q[1-4]$'),
            starts_on  DATE NOT NULL,
            ends_on    DATE NOT NULL,
            is_current BOOLEAN NOT NULL DEFAULT false,
            CHECK (starts_on < ends_on)
        )""")
    # DuckDB rewrites an indexed column (UNIQUE, or a REFERENCES column) as delete + insert, and its foreign keys
    # refuse that for a row other rows refer to. So columns that change after insert carry no index: people.email
    # and teams.name are unique by rule (people.py, teams.py), and the mutable links marked "by rule" below are
    # checked by their modules instead of by REFERENCES. Immutable links keep their foreign keys.
    cur.execute("""
        CREATE TABLE people (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_people'),
            email      VARCHAR NOT NULL,
            name       VARCHAR NOT NULL,
            is_admin   BOOLEAN NOT NULL DEFAULT false,
            active     BOOLEAN NOT NULL DEFAULT true,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    cur.execute("""
        CREATE TABLE teams (
            id          BIGINT PRIMARY KEY DEFAULT nextval('seq_teams'),
            name        VARCHAR NOT NULL,
            parent_id   BIGINT,  -- teams (id), by rule: teams can move
            description VARCHAR NOT NULL DEFAULT ''
        )""")
    cur.execute("""
        CREATE TABLE memberships (
            team_id   BIGINT NOT NULL REFERENCES teams (id),
            person_id BIGINT NOT NULL REFERENCES people (id),
            role      VARCHAR NOT NULL CHECK (role IN ('member', 'lead')),
            PRIMARY KEY (team_id, person_id)
        )""")
    # team_id NULL means the whole organisation.
    cur.execute("""
        CREATE TABLE manager_scopes (
            person_id BIGINT NOT NULL REFERENCES people (id),
            team_id   BIGINT REFERENCES teams (id),
            UNIQUE (person_id, team_id)
        )""")
    cur.execute("""
        CREATE TABLE strategy_items (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_strategy_items'),
            quarter    VARCHAR NOT NULL REFERENCES quarters (key),
            kind       VARCHAR NOT NULL CHECK (kind IN ('mission', 'company_objective', 'product_vision',
                                                         'principle', 'product_strategy')),
            position   INTEGER NOT NULL,
            title      VARCHAR NOT NULL,
            body       VARCHAR NOT NULL DEFAULT '',
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    cur.execute("""
        CREATE TABLE surveys (
            id           BIGINT PRIMARY KEY DEFAULT nextval('seq_surveys'),
            team_id      BIGINT NOT NULL REFERENCES teams (id),
            quarter      VARCHAR NOT NULL REFERENCES quarters (key),
            opening_text VARCHAR NOT NULL DEFAULT '',
            deadline     TIMESTAMP NOT NULL,
            anonymous    BOOLEAN NOT NULL DEFAULT false,
            opened_by    BIGINT REFERENCES people (id),
            opened_at    TIMESTAMP NOT NULL DEFAULT current_timestamp,
            closed_at    TIMESTAMP,
            UNIQUE (team_id, quarter)
        )""")
    cur.execute("""
        CREATE TABLE survey_prereading (
            survey_id        BIGINT NOT NULL REFERENCES surveys (id),
            strategy_item_id BIGINT NOT NULL REFERENCES strategy_items (id),
            position         INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (survey_id, strategy_item_id)
        )""")
    # Who has answered: kept apart from answers so anonymous answers carry no person id.
    cur.execute("""
        CREATE TABLE survey_participation (
            survey_id    BIGINT NOT NULL REFERENCES surveys (id),
            person_id    BIGINT NOT NULL REFERENCES people (id),
            status       VARCHAR NOT NULL CHECK (status IN ('draft', 'submitted')),
            started_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
            submitted_at TIMESTAMP,
            PRIMARY KEY (survey_id, person_id)
        )""")
    # The member's work in progress (JSON); for anonymous surveys deleted on submission.
    cur.execute("""
        CREATE TABLE survey_drafts (
            survey_id  BIGINT NOT NULL REFERENCES surveys (id),
            person_id  BIGINT NOT NULL REFERENCES people (id),
            payload    VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            PRIMARY KEY (survey_id, person_id)
        )""")
    cur.execute("""
        CREATE TABLE survey_answers (
            id           BIGINT PRIMARY KEY DEFAULT nextval('seq_survey_answers'),
            survey_id    BIGINT NOT NULL REFERENCES surveys (id),
            person_id    BIGINT REFERENCES people (id),
            payload      VARCHAR NOT NULL,
            submitted_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at   TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    # Objective ideas, KR ideas (parent_id = their objective idea), things to deprioritize, concerns.
    cur.execute("""
        CREATE TABLE ideas (
            id               BIGINT PRIMARY KEY DEFAULT nextval('seq_ideas'),
            team_id          BIGINT NOT NULL REFERENCES teams (id),
            quarter          VARCHAR NOT NULL REFERENCES quarters (key),
            kind             VARCHAR NOT NULL CHECK (kind IN ('objective', 'key_result', 'deprioritize', 'concern')),
            parent_id        BIGINT,  -- ideas (id), by rule
            title            VARCHAR NOT NULL,
            problem          VARCHAR NOT NULL DEFAULT '',
            why_now          VARCHAR NOT NULL DEFAULT '',
            reason           VARCHAR NOT NULL DEFAULT '',
            strategy_item_id BIGINT,  -- strategy_items (id), by rule
            metric           VARCHAR NOT NULL DEFAULT '',
            unit             VARCHAR NOT NULL DEFAULT '',
            baseline         DOUBLE PRECISION,
            target           DOUBLE PRECISION,
            author_id        BIGINT REFERENCES people (id),
            anonymous        BOOLEAN NOT NULL DEFAULT false,
            survey_id        BIGINT REFERENCES surveys (id),
            answer_id        BIGINT REFERENCES survey_answers (id),
            source           VARCHAR NOT NULL CHECK (source IN ('survey', 'workshop', 'carried_over', 'merge')),
            merged_into      BIGINT,  -- ideas (id), by rule: set and cleared by merge / undo
            created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
            deleted_at       TIMESTAMP
        )""")
    cur.execute("""
        CREATE TABLE idea_merges (
            id             BIGINT PRIMARY KEY DEFAULT nextval('seq_idea_merges'),
            team_id        BIGINT NOT NULL REFERENCES teams (id),
            quarter        VARCHAR NOT NULL REFERENCES quarters (key),
            result_idea_id BIGINT NOT NULL REFERENCES ideas (id),
            merged_by      BIGINT REFERENCES people (id),
            merged_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
            undone_at      TIMESTAMP
        )""")
    # methods: comma-separated subset of dot,borda,ice.
    cur.execute("""
        CREATE TABLE ranking_rounds (
            id               BIGINT PRIMARY KEY DEFAULT nextval('seq_ranking_rounds'),
            team_id          BIGINT NOT NULL REFERENCES teams (id),
            quarter          VARCHAR NOT NULL REFERENCES quarters (key),
            title            VARCHAR NOT NULL DEFAULT '',
            methods          VARCHAR NOT NULL,
            dot_budget       INTEGER NOT NULL DEFAULT 10,
            dot_max_per_idea INTEGER NOT NULL DEFAULT 5,
            blind            BOOLEAN NOT NULL DEFAULT true,
            opened_by        BIGINT REFERENCES people (id),
            opened_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
            closed_at        TIMESTAMP
        )""")
    cur.execute("""
        CREATE TABLE ranking_round_ideas (
            round_id BIGINT NOT NULL REFERENCES ranking_rounds (id),
            idea_id  BIGINT NOT NULL REFERENCES ideas (id),
            PRIMARY KEY (round_id, idea_id)
        )""")
    # Append-only: the latest ballot of a voter for a method counts.
    cur.execute("""
        CREATE TABLE ballots (
            id       BIGINT PRIMARY KEY DEFAULT nextval('seq_ballots'),
            round_id BIGINT NOT NULL REFERENCES ranking_rounds (id),
            voter_id BIGINT NOT NULL REFERENCES people (id),
            method   VARCHAR NOT NULL CHECK (method IN ('dot', 'borda', 'ice')),
            cast_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    cur.execute("""
        CREATE TABLE ballot_lines (
            ballot_id  BIGINT NOT NULL REFERENCES ballots (id),
            idea_id    BIGINT NOT NULL REFERENCES ideas (id),
            points     INTEGER,
            rank       INTEGER,
            impact     INTEGER,
            confidence INTEGER,
            ease       INTEGER,
            PRIMARY KEY (ballot_id, idea_id)
        )""")
    # At most one objective per team and quarter: the database enforces the focus.
    cur.execute("""
        CREATE TABLE objectives (
            id               BIGINT PRIMARY KEY DEFAULT nextval('seq_objectives'),
            team_id          BIGINT NOT NULL REFERENCES teams (id),
            quarter          VARCHAR NOT NULL REFERENCES quarters (key),
            title            VARCHAR NOT NULL,
            why              VARCHAR NOT NULL DEFAULT '',
            strategy_item_id BIGINT,  -- strategy_items (id), by rule
            idea_id          BIGINT,  -- ideas (id), by rule: replacing the objective changes it
            status           VARCHAR NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
            created_by       BIGINT REFERENCES people (id),
            created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
            UNIQUE (team_id, quarter)
        )""")
    cur.execute("""
        CREATE TABLE deprioritized (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_deprioritized'),
            team_id    BIGINT NOT NULL REFERENCES teams (id),
            quarter    VARCHAR NOT NULL REFERENCES quarters (key),
            title      VARCHAR NOT NULL,
            reason     VARCHAR NOT NULL DEFAULT '',
            idea_id    BIGINT REFERENCES ideas (id),
            created_by BIGINT REFERENCES people (id),
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            deleted_at TIMESTAMP
        )""")
    cur.execute("""
        CREATE TABLE key_results (
            id                   BIGINT PRIMARY KEY DEFAULT nextval('seq_key_results'),
            objective_id         BIGINT NOT NULL REFERENCES objectives (id),
            position             INTEGER NOT NULL DEFAULT 0,
            title                VARCHAR NOT NULL,
            kind                 VARCHAR NOT NULL CHECK (kind IN ('increase_to', 'decrease_to', 'stay_above',
                                                                   'stay_below', 'milestone')),
            metric               VARCHAR NOT NULL DEFAULT '',
            unit                 VARCHAR NOT NULL DEFAULT '',
            baseline             DOUBLE PRECISION,
            target               DOUBLE PRECISION,
            definition_of_done   VARCHAR NOT NULL DEFAULT '',
            owner_id             BIGINT,  -- people (id), by rule: ownership changes hands
            due_on               DATE,
            achievable_confirmed BOOLEAN NOT NULL DEFAULT false,
            idea_id              BIGINT,  -- ideas (id), by rule
            created_at           TIMESTAMP NOT NULL DEFAULT current_timestamp,
            updated_at           TIMESTAMP NOT NULL DEFAULT current_timestamp,
            archived_at          TIMESTAMP
        )""")
    # A frozen, versioned snapshot (JSON) of a published OKR.
    cur.execute("""
        CREATE TABLE publications (
            id           BIGINT PRIMARY KEY DEFAULT nextval('seq_publications'),
            objective_id BIGINT NOT NULL REFERENCES objectives (id),
            team_id      BIGINT NOT NULL REFERENCES teams (id),
            quarter      VARCHAR NOT NULL REFERENCES quarters (key),
            version      INTEGER NOT NULL,
            snapshot     VARCHAR NOT NULL,
            change_log   VARCHAR NOT NULL DEFAULT '',
            published_by BIGINT REFERENCES people (id),
            published_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
            UNIQUE (team_id, quarter, version)
        )""")
    # Append-only; a correction is a new row for the same date.
    cur.execute("""
        CREATE TABLE checkins (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_checkins'),
            kr_id      BIGINT NOT NULL REFERENCES key_results (id),
            person_id  BIGINT NOT NULL REFERENCES people (id),
            checked_on DATE NOT NULL,
            value      DOUBLE PRECISION,
            done       BOOLEAN,
            confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 10),
            comment    VARCHAR NOT NULL DEFAULT '',
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    cur.execute("""
        CREATE TABLE checkin_acks (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_checkin_acks'),
            checkin_id BIGINT NOT NULL REFERENCES checkins (id),
            person_id  BIGINT NOT NULL REFERENCES people (id),
            comment    VARCHAR NOT NULL DEFAULT '',
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")


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


def m013_change_log(cur: Cursor) -> None:
    """What each committed write touched (tables, team, quarter), so other app processes on the same PostgreSQL
    database refresh exactly the cached reads and live pages it concerns (okrdash.storage.postgres_engine). DuckDB
    has one process per file and never writes it. `txid` is the writing transaction's id; rows are pruned after an
    hour."""
    cur.execute("CREATE SEQUENCE seq_change_log START 1")
    cur.execute("""
        CREATE TABLE change_log (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_change_log'),
            origin     VARCHAR NOT NULL,
            txid       BIGINT NOT NULL,
            tables     VARCHAR NOT NULL,
            team_id    BIGINT,
            quarter    VARCHAR,
            changed_at TIMESTAMP NOT NULL DEFAULT localtimestamp
        )""")
    cur.execute("CREATE INDEX change_log_txid ON change_log (txid)")


MIGRATIONS: list[Callable[[Cursor], None]] = [
    m001_core_schema,
    m010_idea_item_keys,
    m011_key_results_awaiting_publish,
    m012_participation_claims,
    m013_change_log,
    m040_live_workshop,  # okrdash/live/schema.py
    # Append new migrations here, in order.
]


def applied(conn: Cursor) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name").fetchall()]


def apply(conn: Cursor) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return the names applied now. On
    PostgreSQL a lock makes replicas starting together take turns (`python -m okrdash migrate` avoids the wait)."""
    conn.execute("""
        CREATE TABLE IF NOT EXISTS migrations (
            name       VARCHAR PRIMARY KEY,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    newly = []
    for migration in MIGRATIONS:
        name = migration.__name__
        with conn.own_transaction():
            conn.lock_for_migrations()
            if conn.execute("SELECT count(*) FROM migrations WHERE name = ?", [name]).fetchone()[0]:
                continue
            migration(conn)
            conn.execute("INSERT INTO migrations (name) VALUES (?)", [name])
        newly.append(name)
    return newly


def missing(conn: Cursor) -> list[str]:
    """Migrations this version of okrdash has that the database has not recorded (for `python -m okrdash check`)."""
    done = set(applied(conn))
    return [m.__name__ for m in MIGRATIONS if m.__name__ not in done]
