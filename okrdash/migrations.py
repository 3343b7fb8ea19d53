"""Ordered, named schema migrations, each applied once and recorded in the `migrations` table.

Add a migration by appending a function `mNNN_what_it_does(cur)` to MIGRATIONS; never edit one that has shipped.
SQL stays within what DuckDB and PostgreSQL both accept (sequences, CHECK, UNIQUE, REFERENCES, no lists).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

SEQUENCES = [
    "seq_people", "seq_teams", "seq_strategy_items", "seq_surveys", "seq_survey_answers", "seq_ideas",
    "seq_idea_merges", "seq_ranking_rounds", "seq_ballots", "seq_objectives", "seq_deprioritized",
    "seq_key_results", "seq_publications", "seq_checkins", "seq_checkin_acks",
]


def m001_core_schema(cur: duckdb.DuckDBPyConnection) -> None:
    """The whole domain of DESIGN.md §2 in one go, so demo data and every page share one contract."""
    for name in SEQUENCES:
        cur.execute(f"CREATE SEQUENCE {name} START 1")
    cur.execute("""
        CREATE TABLE quarters (
            key        VARCHAR PRIMARY KEY CHECK (regexp_full_match(key, '[0-9]{4}-Q[1-4]')),
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
            baseline         DOUBLE,
            target           DOUBLE,
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
            baseline             DOUBLE,
            target               DOUBLE,
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
            value      DOUBLE,
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


def m010_idea_item_keys(cur: duckdb.DuckDBPyConnection) -> None:
    """Which item of its survey answer an idea was written from ('o1', 'o1k2', 'd1', 'c3': its place in the stored
    answer), so resubmitting a named answer updates that idea instead of replacing it (okrdash.answer_ideas). NULL:
    not part of an answer (any more). Ideas written before this stay NULL and are matched by order."""
    cur.execute("ALTER TABLE ideas ADD COLUMN item_key VARCHAR")


def m011_key_results_awaiting_publish(cur: duckdb.DuckDBPyConnection) -> None:
    """Key results that wait for the team to publish them: added (or restored) after the objective's latest
    published version, so dashboards leave them out and check-ins wait (okrdash.scores). Rows are written by
    key_results on add/restore and removed by publications.freeze. A table of its own because DuckDB cannot add a
    column to key_results (check-ins reference it), and no index on kr_id because a key result may leave and come
    back in one transaction. Reading the same from every snapshot's JSON cost 50–170 ms a dashboard query at scale.
    Existing rows: live key results missing from their team's latest snapshot."""
    cur.execute("CREATE TABLE awaiting_publish (kr_id BIGINT NOT NULL)")
    mark_awaiting_publish(cur)


def mark_awaiting_publish(cur: duckdb.DuckDBPyConnection) -> None:
    """Record every live key result that its team's latest published version does not hold."""
    cur.execute(f"""
        INSERT INTO awaiting_publish (kr_id)
        SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
        JOIN ({LATEST_SNAPSHOTS}) p ON p.team_id = o.team_id AND p.quarter = o.quarter
        WHERE k.archived_at IS NULL AND NOT list_contains(p.kr_ids, k.id)
          AND k.id NOT IN (SELECT kr_id FROM awaiting_publish)""")


def m012_participation_claims(cur: duckdb.DuckDBPyConnection) -> None:
    """A counter that a submit bumps on its person's participation row and a lead's anonymity switch bumps on every
    row of the survey, so the two conflict when they race (okrdash.surveys.update_settings). DuckDB finds a
    conflict only between updates that change the same column, and its upsert misses an uncommitted rival:
    touching a row (`SET status = status`) does not count."""
    cur.execute("ALTER TABLE survey_participation ADD COLUMN claims INTEGER NOT NULL DEFAULT 0")


def m055_demo_database_mark(cur: duckdb.DuckDBPyConnection) -> None:
    """One row when okrdash.demo generated this database (kind 'demo' or 'large'): demo identity mode ("acting
    as" anyone) runs without sign-in only on such a database (okrdash.signin). A table, so the mark survives backup
    and restore. Databases generated before the mark get it when every person has a demo address (the reserved
    `.example` domain no real company signs in from)."""
    cur.execute("""
        CREATE TABLE demo_database (
            kind          VARCHAR NOT NULL CHECK (kind IN ('demo', 'large')),
            seed          INTEGER,
            generated_for DATE
        )""")
    cur.execute("""
        INSERT INTO demo_database (kind)
        SELECT CASE WHEN count(*) FILTER (WHERE email LIKE '%@bench.example') = count(*) THEN 'large' ELSE 'demo' END
        FROM people
        HAVING count(*) > 0
           AND count(*) FILTER (WHERE email LIKE '%@harbor.example' OR email LIKE '%@bench.example') = count(*)""")


def m056_sign_ins(cur: duckdb.DuckDBPyConnection) -> None:
    """Each person's first sign-in through the identity provider (okrdash.signin.record_sign_in): forcing demo
    identity mode (OKRDASH_DEMO_IDENTITY=1) on a database real people use shows a warning. No foreign key, so the
    record outlives a person's deactivation and restores in any table order."""
    cur.execute("""
        CREATE TABLE sign_ins (
            person_id BIGINT PRIMARY KEY,
            email     VARCHAR NOT NULL,
            first_at  TIMESTAMP NOT NULL
        )""")


# Each team and quarter's latest published version, with the ids of the key results it holds.
LATEST_SNAPSHOTS = """
    SELECT team_id, quarter, CAST(json_extract(snapshot, '$.key_results[*].id') AS BIGINT[]) AS kr_ids
    FROM publications
    QUALIFY row_number() OVER (PARTITION BY team_id, quarter ORDER BY version DESC) = 1"""


MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    m001_core_schema,
    m010_idea_item_keys,
    m011_key_results_awaiting_publish,
    m012_participation_claims,
    m055_demo_database_mark,
    m056_sign_ins,
    # Append new migrations here, in order.
]


def applied(conn: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM migrations ORDER BY name").fetchall()]


def apply(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return the names applied now."""
    conn.execute("""
        CREATE TABLE IF NOT EXISTS migrations (
            name       VARCHAR PRIMARY KEY,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        )""")
    done = set(applied(conn))
    newly = []
    for migration in MIGRATIONS:
        name = migration.__name__
        if name in done:
            continue
        conn.execute("BEGIN TRANSACTION")
        try:
            migration(conn)
            conn.execute("INSERT INTO migrations (name) VALUES (?)", [name])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        newly.append(name)
    return newly
