"""m001: the whole domain of DESIGN.md §2 in one go (listed in okrdash/migrations/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
