"""The tables of notifications and workshop meetings: migrations m020 and m021, listed in okrdash/migrations.py
(kept here so that file stays short). Portable DDL, as every migration."""

from __future__ import annotations

from typing import Any


def m020_notifications(cur: Any) -> None:
    """What okrdash sends and to whom (okrdash.notify): the sent log, each person's choices and each team's chat.

    notify_log has one row per audience ('person:12' or 'team:4'), kind, period and channel: the row is claimed
    before a message goes out, marked `sending` right before it is handed to the mail server or webhook, and `sent`
    once accepted (okrdash.notify.sentlog explains the states). No foreign keys: the log outlives what it mentions.
    notify_prefs holds only the choices a person changed (a missing row means the kind's default). team_webhooks
    holds a team's incoming-webhook URL (a secret: its path is the credential)."""
    cur.execute("CREATE SEQUENCE seq_notify_log START 1")
    cur.execute("""
        CREATE TABLE notify_log (
            id         BIGINT PRIMARY KEY DEFAULT nextval('seq_notify_log'),
            audience   VARCHAR NOT NULL,
            person_id  BIGINT,
            team_id    BIGINT,
            kind       VARCHAR NOT NULL,
            period     VARCHAR NOT NULL,
            channel    VARCHAR NOT NULL CHECK (channel IN ('email', 'chat')),
            status     VARCHAR NOT NULL CHECK (status IN ('claimed', 'sending', 'sent', 'failed', 'uncertain')),
            recipient  VARCHAR NOT NULL DEFAULT '',
            subject    VARCHAR NOT NULL DEFAULT '',
            claimed_by VARCHAR NOT NULL DEFAULT '',
            claimed_at TIMESTAMP NOT NULL,
            sent_at    TIMESTAMP,
            attempts   INTEGER NOT NULL DEFAULT 0,
            error      VARCHAR NOT NULL DEFAULT '',
            UNIQUE (audience, kind, period, channel)
        )""")
    cur.execute("""
        CREATE TABLE notify_prefs (
            person_id  BIGINT NOT NULL REFERENCES people (id),
            kind       VARCHAR NOT NULL,
            channel    VARCHAR NOT NULL CHECK (channel IN ('email', 'chat')),
            enabled    BOOLEAN NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            PRIMARY KEY (person_id, kind, channel)
        )""")
    cur.execute("""
        CREATE TABLE team_webhooks (
            team_id BIGINT PRIMARY KEY REFERENCES teams (id),
            url     VARCHAR NOT NULL,
            set_by  BIGINT REFERENCES people (id),
            set_at  TIMESTAMP NOT NULL
        )""")


def m021_workshop_meetings(cur: Any) -> None:
    """When and where the workshop a survey prepares takes place (okrdash.meetings): set by the lead when opening
    the survey, sent as a calendar invitation. A table of its own: DuckDB cannot add columns to surveys, which other
    tables reference. `revision` counts changes (the invitation's SEQUENCE, so calendars update the event)."""
    cur.execute("""
        CREATE TABLE workshop_meetings (
            survey_id  BIGINT PRIMARY KEY REFERENCES surveys (id),
            starts_at  TIMESTAMP NOT NULL,
            minutes    INTEGER NOT NULL CHECK (minutes BETWEEN 15 AND 720),
            place      VARCHAR NOT NULL DEFAULT '',
            revision   INTEGER NOT NULL DEFAULT 0,
            updated_by BIGINT REFERENCES people (id),
            updated_at TIMESTAMP NOT NULL
        )""")
