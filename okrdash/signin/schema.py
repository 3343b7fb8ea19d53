"""Sign-in's tables: migrations m055 and m056, listed in okrdash/migrations.py. Portable DDL, as every
migration."""

from __future__ import annotations

from typing import Any


def m055_demo_database_mark(cur: Any) -> None:
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


def m056_sign_ins(cur: Any) -> None:
    """Each person's first sign-in through the identity provider (okrdash.signin.record_sign_in): forcing demo
    identity mode (OKRDASH_DEMO_IDENTITY=1) on a database real people use shows a warning. No foreign key, so the
    record outlives a person's deactivation and restores in any table order."""
    cur.execute("""
        CREATE TABLE sign_ins (
            person_id BIGINT PRIMARY KEY,
            email     VARCHAR NOT NULL,
            first_at  TIMESTAMP NOT NULL
        )""")
