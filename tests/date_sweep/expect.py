"""What the demo data itself says, read with plain SQL written for these tests (not the library's queries): the
stages a believable demo shows on any day, and what each person owes now."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl

from okrdash import db, quarters

STALE_AFTER_DAYS = 7  # DESIGN.md: a KR is due a check-in when nobody checked in on it for 7 days
# Columns that hold a moment the story plans for (a deadline, a quarter's or KR's end), not one that happened.
FUTURE_ALLOWED = {("surveys", "deadline"), ("quarters", "starts_on"), ("quarters", "ends_on"),
                  ("key_results", "due_on"), ("workshop_meetings", "starts_at")}
# Summaries hold each key result's state as of its quarter's end (okrdash/summaries/): dates ahead by design.
DERIVED = {"kr_summaries", "kr_checkin_states", "kr_weeks"}


def stage_problems(today: dt.date, now: dt.datetime) -> list[str]:
    """Everything about the demo's stages that a person looking at it on `today` would find unbelievable."""
    return [*_quarter_problems(today), *_current_quarter_problems(today), *_planning_problems(today, now),
            *_future_problems(today, now)]


def _quarter_problems(today: dt.date) -> list[str]:
    current = db.column("SELECT key FROM quarters WHERE is_current")
    expected = quarters.key_for(today)
    problems = [] if current == [expected] else [f"current quarter is {current}, expected [{expected}]"]
    keys = db.column("SELECT key FROM quarters ORDER BY key")
    if quarters.shift(expected, 1) not in keys:
        problems.append(f"next quarter {quarters.shift(expected, 1)} is missing: {keys}")
    if quarters.shift(expected, -1) not in keys:
        problems.append(f"last quarter {quarters.shift(expected, -1)} is missing: {keys}")
    return problems


def _current_quarter_problems(today: dt.date) -> list[str]:
    key = quarters.key_for(today)
    start, _ = quarters.bounds(key)
    teams = db.rows(
        """SELECT t.name, o.status,
                  (SELECT count(*) FROM key_results k WHERE k.objective_id = o.id AND k.archived_at IS NULL) AS krs,
                  (SELECT count(*) FROM publications p WHERE p.objective_id = o.id) AS versions,
                  (SELECT count(*) FROM checkins c JOIN key_results k ON k.id = c.kr_id
                   WHERE k.objective_id = o.id AND c.checked_on BETWEEN ? AND ?) AS checkins
           FROM teams t LEFT JOIN objectives o ON o.team_id = t.id AND o.quarter = ?
           WHERE t.parent_id IS NOT NULL ORDER BY t.name""",
        [start, today, key],
    )
    problems = []
    for team in teams:
        if team["status"] != "published" or not team["versions"]:
            problems.append(f"{team['name']} has no published objective for the current quarter {key}")
        elif not 2 <= team["krs"] <= 5:
            problems.append(f"{team['name']} has {team['krs']} key results in {key}")
        elif not team["checkins"]:
            problems.append(f"{team['name']} has no check-in in the current quarter {key} (as of {today})")
    previous = quarters.shift(key, -1)
    _, previous_end = quarters.bounds(previous)
    last = db.scalar("""SELECT max(c.checked_on) FROM checkins c JOIN key_results k ON k.id = c.kr_id
                        JOIN objectives o ON o.id = k.objective_id WHERE o.quarter = ?""", [previous])
    if last is None or (previous_end - last).days > STALE_AFTER_DAYS:
        problems.append(f"last quarter {previous} stops being tracked on {last}, long before its end {previous_end}")
    return problems


def _planning_problems(today: dt.date, now: dt.datetime) -> list[str]:
    planning = quarters.shift(quarters.key_for(today), 1)
    found = db.rows(
        """SELECT s.id, s.opened_at, s.deadline, s.closed_at,
                  (SELECT count(*) FROM survey_participation p WHERE p.survey_id = s.id AND p.status = 'submitted')
                      AS answered
           FROM surveys s WHERE s.quarter = ?""",
        [planning],
    )
    open_ = [s for s in found if s["closed_at"] is None and s["opened_at"] <= now < s["deadline"]]
    closed = [s for s in found if s["closed_at"] is not None and s["closed_at"] <= now]
    rounds = db.rows(
        """SELECT r.id, (SELECT count(*) FROM ballots b WHERE b.round_id = r.id) AS ballots FROM ranking_rounds r
           WHERE r.quarter = ? AND r.closed_at IS NULL AND r.opened_at <= ?""",
        [planning, now],
    )
    problems = []
    if not open_ or not any(s["answered"] for s in open_):
        problems.append(f"no open survey with answers for {planning} (as of {now})")
    if not closed:
        problems.append(f"no survey for {planning} has closed yet (as of {now})")
    if not any(r["ballots"] for r in rounds):
        problems.append(f"no open ranking round with ballots for {planning} (as of {now})")
    return problems


def _future_problems(today: dt.date, now: dt.datetime) -> list[str]:
    """Every date and timestamp the demo wrote, except planned moments, lies in the past."""
    columns = db.rows(
        """SELECT table_name, column_name, lower(data_type) AS type FROM information_schema.columns
           WHERE table_schema = current_schema()  -- not PostgreSQL's own catalogs
             AND (lower(data_type) = 'date' OR lower(data_type) LIKE 'timestamp%')
           ORDER BY table_name, column_name"""
    )
    problems = []
    for column in columns:
        table, name = column["table_name"], column["column_name"]
        if (table, name) in FUTURE_ALLOWED or table in DERIVED or table == "migrations":
            continue
        limit = today if column["type"] == "date" else now
        latest = db.scalar(f"SELECT max({name}) FROM {table}")
        if latest is not None and latest > limit:
            problems.append(f"{table}.{name} = {latest} is after {limit}")
    return problems


def owed(person_id: int, today: dt.date, now: dt.datetime) -> dict[str, set[str]]:
    """What the person owes according to the data, as the Home links would carry it: page -> query strings."""
    return {"checkins": _checkins_due(person_id, today), "survey": _surveys_owed(person_id, now),
            "workshop_rank": _votes_owed(person_id), "survey_manage": _surveys_to_open(person_id)}


def _checkins_due(person_id: int, today: dt.date) -> set[str]:
    """The person's published current-quarter KRs (in teams they belong to) without a check-in for 7+ days."""
    cutoff = today - dt.timedelta(days=STALE_AFTER_DAYS)
    return {f"kr={r['id']}" for r in db.rows(
        """SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
           JOIN quarters q ON q.key = o.quarter
           JOIN memberships m ON m.team_id = o.team_id AND m.person_id = k.owner_id
           WHERE k.owner_id = $me AND q.is_current AND q.starts_on <= $today AND $today <= q.ends_on
             AND o.status = 'published' AND k.archived_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM awaiting_publish a WHERE a.kr_id = k.id)
             AND NOT EXISTS (SELECT 1 FROM checkins c
                             WHERE c.kr_id = k.id AND c.checked_on > $cutoff AND c.checked_on <= $today)
             AND (EXISTS (SELECT 1 FROM checkins c WHERE c.kr_id = k.id AND c.checked_on <= $today)
                  OR greatest(q.starts_on, CAST(k.created_at AS DATE)) <= $cutoff)""",
        {"me": person_id, "today": today, "cutoff": cutoff},
    )}


def _surveys_owed(person_id: int, now: dt.datetime) -> set[str]:
    """Open surveys of the person's teams they have not submitted."""
    return {f"survey={r['team']} · {r['quarter']}" for r in db.rows(
        """SELECT t.name AS team, s.quarter FROM surveys s JOIN teams t ON t.id = s.team_id
           JOIN memberships m ON m.team_id = s.team_id AND m.person_id = $me
           WHERE s.closed_at IS NULL AND s.opened_at <= $now AND $now < s.deadline
             AND NOT EXISTS (SELECT 1 FROM survey_participation p
                             WHERE p.survey_id = s.id AND p.person_id = $me AND p.status = 'submitted')""",
        {"me": person_id, "now": now},
    )}


def _votes_owed(person_id: int) -> set[str]:
    """Open ranking rounds of the person's teams in which they have not voted with every method."""
    owed_rounds = set()
    for r in db.rows(
        """SELECT t.name AS team, r.quarter, r.methods,
                  (SELECT count(DISTINCT b.method) FROM ballots b WHERE b.round_id = r.id AND b.voter_id = $me)
                      AS voted
           FROM ranking_rounds r JOIN teams t ON t.id = r.team_id
           JOIN memberships m ON m.team_id = r.team_id AND m.person_id = $me
           WHERE r.closed_at IS NULL""",
        {"me": person_id},
    ):
        if r["voted"] < len([m for m in r["methods"].split(",") if m.strip()]):
            owed_rounds.add(f"team={r['team']}&quarter={r['quarter']}")
    return owed_rounds


def _surveys_to_open(person_id: int) -> set[str]:
    """Teams the person leads with neither a survey nor an objective for the quarter being prepared."""
    current = db.scalar("SELECT key FROM quarters WHERE is_current")
    following = quarters.shift(current, 1)
    planning = following if db.scalar("SELECT count(*) FROM quarters WHERE key = ?", [following]) else current
    return {f"team={name}&quarter={planning}" for name in db.column(
        """SELECT t.name FROM teams t JOIN memberships m ON m.team_id = t.id AND m.person_id = $me AND m.role = 'lead'
           WHERE NOT EXISTS (SELECT 1 FROM surveys s WHERE s.team_id = t.id AND s.quarter = $planning)
             AND NOT EXISTS (SELECT 1 FROM objectives o WHERE o.team_id = t.id AND o.quarter = $planning)""",
        {"me": person_id, "planning": planning},
    )}


OWED_PAGES = ("checkins", "survey", "workshop_rank", "survey_manage")


def listed(links: list[Any]) -> dict[str, set[str]]:
    """Home's "what you owe" links (AppTest page_link elements) as page -> query strings."""
    found: dict[str, set[str]] = {page: set() for page in OWED_PAGES}
    for link in links:
        if link.proto.page in found:
            found[link.proto.page].add("&".join(f"{k}={v}" for k, v in parse_qsl(link.proto.query_string)))
    return found


def from_items(items: list[dict[str, Any]]) -> dict[str, set[str]]:
    """`home.owed_by`'s items in the same shape as `listed`."""
    found: dict[str, set[str]] = {page: set() for page in OWED_PAGES}
    for item in items:
        page = item["page"].removeprefix("pages/").removesuffix(".py")
        if page in found:
            found[page].add("&".join(f"{k}={v}" for k, v in (item.get("query_params") or {}).items()))
    return found
