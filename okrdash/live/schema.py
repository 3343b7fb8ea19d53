"""The live workshop's own tables: migration m040, listed in okrdash/migrations/__init__.py. Portable DDL, as every
migration."""

from __future__ import annotations

from typing import Any


def m040_live_workshop(cur: Any) -> None:
    """The live workshop (okrdash.live): who presents a team's workshop and which step and idea or key result they
    show (`live_rooms`, one row per team and quarter), who follows them (`live_followers`: an opt-in kept in the
    database, so it survives a lost connection), the timebox of a step, kept as its end time so every screen counts
    down alike (`live_timers`), and the lead's pins and groups on the idea wall (`wall_marks`, one row per idea).
    Tables of their own: DuckDB cannot add columns to ideas, which other tables reference."""
    cur.execute("""
        CREATE TABLE live_rooms (
            team_id        BIGINT NOT NULL REFERENCES teams (id),
            quarter        VARCHAR NOT NULL REFERENCES quarters (key),
            presenter_id   BIGINT REFERENCES people (id),
            step           VARCHAR NOT NULL,
            highlight_kind VARCHAR CHECK (highlight_kind IN ('idea', 'key_result')),
            highlight_id   BIGINT,
            since          TIMESTAMP,
            displaced_id   BIGINT REFERENCES people (id),
            displaced_at   TIMESTAMP,
            changed_at     TIMESTAMP NOT NULL,
            PRIMARY KEY (team_id, quarter)
        )""")
    cur.execute("""
        CREATE TABLE live_followers (
            team_id    BIGINT NOT NULL REFERENCES teams (id),
            quarter    VARCHAR NOT NULL REFERENCES quarters (key),
            person_id  BIGINT NOT NULL REFERENCES people (id),
            following  BOOLEAN NOT NULL,
            changed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (team_id, quarter, person_id)
        )""")
    cur.execute("""
        CREATE TABLE live_timers (
            team_id    BIGINT NOT NULL REFERENCES teams (id),
            quarter    VARCHAR NOT NULL REFERENCES quarters (key),
            step       VARCHAR NOT NULL,
            minutes    INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 240),
            started_at TIMESTAMP NOT NULL,
            ends_at    TIMESTAMP NOT NULL,
            started_by BIGINT REFERENCES people (id),
            stopped_at TIMESTAMP,
            PRIMARY KEY (team_id, quarter)
        )""")
    cur.execute("""
        CREATE TABLE wall_marks (
            idea_id    BIGINT PRIMARY KEY,  -- ideas (id), by rule
            team_id    BIGINT NOT NULL REFERENCES teams (id),
            quarter    VARCHAR NOT NULL REFERENCES quarters (key),
            pinned     BOOLEAN NOT NULL DEFAULT false,
            group_name VARCHAR,
            changed_by BIGINT REFERENCES people (id),
            changed_at TIMESTAMP NOT NULL
        )""")
