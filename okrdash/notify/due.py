"""What is due now: one `Due` per person, kind and period, read from the domain's tables as of `now` (so a run for
a past moment, as the demo makes, sees only what existed then). The check-in reminder and the managers' digest are
in okrdash.notify.digest.

Privacy: a survey's facts carry the recipient's own status only. Counts of answers ride along for named surveys;
an anonymous survey's messages say nothing about anyone else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from okrdash import db, meetings, ranking, teams
from okrdash.notify import digest
from okrdash.notify.kinds import CLOSING_WITHIN, KINDS, PUBLISHED_WITHIN


@dataclass(frozen=True)
class Due:
    kind: str
    period: str
    person: dict[str, Any]  # id, name, email
    team: dict[str, Any] | None  # id, name (None: personal kinds)
    facts: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def _members(team_id: int) -> list[dict[str, Any]]:
    return [{"id": m["id"], "name": m["name"], "email": m["email"]} for m in teams.members(team_id)]


def _as_of(status: dict[str, Any] | None, now: dt.datetime) -> str:
    """A person's survey status at `now`: 'submitted', 'draft' or 'not_started'."""
    if status is None or status["started_at"] > now:
        return "not_started"
    # An anonymous survey keeps no time of submission (it would point at the answer): submitted is submitted.
    if status["status"] == "submitted" and (status["submitted_at"] is None or status["submitted_at"] <= now):
        return "submitted"
    return "draft"


def surveys_due(now: dt.datetime) -> list[Due]:
    """Open surveys: 'survey opened' to members who have not answered (not the lead who opened it), or, once the
    deadline is within 48 hours, 'survey closes' to those who have not submitted instead."""
    found = db.rows(
        """SELECT s.id, s.team_id, t.name AS team_name, s.quarter, s.deadline, s.anonymous, s.opening_text,
                  s.opened_by, s.opened_at, s.closed_at, o.name AS opened_by_name
           FROM surveys s JOIN teams t ON t.id = s.team_id LEFT JOIN people o ON o.id = s.opened_by
           WHERE s.opened_at <= $now AND s.deadline > $now AND (s.closed_at IS NULL OR s.closed_at > $now)
           ORDER BY s.deadline, t.name""", {"now": now})
    due = []
    for survey in found:
        survey["closed_at"] = None  # as of now it is open
        crew = _members(survey["team_id"])
        statuses = {r["person_id"]: r for r in db.rows(
            "SELECT person_id, status, started_at, submitted_at FROM survey_participation WHERE survey_id = ?",
            [survey["id"]])}
        mine = {p["id"]: _as_of(statuses.get(p["id"]), now) for p in crew}
        answered = sum(1 for s in mine.values() if s == "submitted")
        counts = None if survey["anonymous"] else {"answered": answered, "total": len(crew)}
        closing = survey["deadline"] - now <= CLOSING_WITHIN
        kind = "survey_closing" if closing else "survey_opened"
        period = f"survey:{survey['id']}" + (f":closes:{survey['deadline']:%Y%m%dT%H%M}" if closing else "")
        team = {"id": survey["team_id"], "name": survey["team_name"]}
        meeting = meetings.get(survey["id"])
        for person in crew:
            if mine[person["id"]] == "submitted" or (not closing and person["id"] == survey["opened_by"]):
                continue
            due.append(Due(kind, period, person, team, {"survey": survey, "my_status": mine[person["id"]],
                                                         "counts": counts, "meeting": meeting, "now": now}))
    return due


def voting_due(now: dt.datetime) -> list[Due]:
    """Open ranking rounds: 'voting is open' to members who have not voted with every method of the round."""
    found = db.rows(
        """SELECT r.id, r.team_id, t.name AS team_name, r.quarter, r.title, r.methods, r.blind, r.opened_at,
                  r.opened_by, p.name AS opened_by_name
           FROM ranking_rounds r JOIN teams t ON t.id = r.team_id LEFT JOIN people p ON p.id = r.opened_by
           WHERE r.opened_at <= $now AND (r.closed_at IS NULL OR r.closed_at > $now)
           ORDER BY r.opened_at, r.id""", {"now": now})
    due = []
    for rnd in found:
        rnd["methods"] = ranking.parse_methods(rnd["methods"])
        voted = {r["voter_id"]: r["methods"] for r in db.rows(
            """SELECT voter_id, count(DISTINCT method) AS methods FROM ballots WHERE round_id = ? AND cast_at <= ?
               GROUP BY voter_id""", [rnd["id"], now])}
        team = {"id": rnd["team_id"], "name": rnd["team_name"]}
        for person in _members(rnd["team_id"]):
            mine = voted.get(person["id"], 0)
            if mine < len(rnd["methods"]):
                due.append(Due("voting_open", f"round:{rnd['id']}", person, team, {"round": rnd, "mine": mine}))
    return due


def published_due(now: dt.datetime) -> list[Due]:
    """OKRs published in the last 7 days (each team and quarter's latest version): to the team, but the person
    who published them."""
    found = db.rows(
        """SELECT p.team_id, t.name AS team_name, p.quarter, p.version, p.published_at, p.published_by,
                  b.name AS published_by_name, p.change_log, p.snapshot
           FROM publications p JOIN teams t ON t.id = p.team_id LEFT JOIN people b ON b.id = p.published_by
           WHERE p.published_at <= $now AND p.published_at > $since
             AND p.version = (SELECT max(q.version) FROM publications q WHERE q.team_id = p.team_id
                                AND q.quarter = p.quarter AND q.published_at <= $now)
           ORDER BY p.published_at, t.name""", {"now": now, "since": now - PUBLISHED_WITHIN})
    due = []
    for publication in found:
        publication["snapshot"] = json.loads(publication["snapshot"])
        period = f"published:{publication['team_id']}:{publication['quarter']}:v{publication['version']}"
        team = {"id": publication["team_id"], "name": publication["team_name"]}
        for person in _members(publication["team_id"]):
            if person["id"] != publication["published_by"]:
                due.append(Due("published", period, person, team, {"publication": publication}))
    return due


def everything(now: dt.datetime, kinds: Collection[str] | None = None) -> list[Due]:
    """Everything due at `now` (of `kinds`, default all), before anyone's choices and the sent log are applied."""
    wanted = set(KINDS if kinds is None else kinds)
    readers = {"survey_opened": surveys_due, "survey_closing": surveys_due, "voting_open": voting_due,
               "published": published_due}
    due: list[Due] = []
    for reader in dict.fromkeys(readers[k] for k in KINDS if k in readers and k in wanted):
        due += reader(now)
    if "checkin_due" in wanted:
        due += [Due("checkin_due", period, person, None, facts)
                for period, person, facts in digest.checkin_reminders(now)]
    if "manager_digest" in wanted:
        due += [Due("manager_digest", period, person, None, facts)
                for period, person, facts in digest.manager_digests(now)]
    return [d for d in due if d.kind in wanted]
