"""The organisation the load test drives: the demo, with 20 of its people answering the same survey, voting in the
same round and each checking in on a key result of their own.

Test setup on a copy of the demo (before the server starts): the 20 join Mobile Apps (whose survey for the planning
quarter is open), its lead adds two ideas live and opens a dot-voting round, and the current quarter's key results
are dealt out so that each of the 20 owns one in a team they belong to.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest

from okrdash import auth, db, ideas, quarters, rounds, teams

SESSIONS = int(os.environ.get("OKRDASH_LOAD_SESSIONS", "20"))  # fewer while debugging the journey
TEAM = "Mobile Apps"  # its survey for the planning quarter is open and nobody has answered yet


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    person_id: int
    kr_id: int
    kr_title: str
    milestone: bool

    @property
    def idea(self) -> str:
        return f"Load idea of person {self.person_id}"

    @property
    def value(self) -> int:
        return 1000 + self.person_id  # a check-in value nobody else writes

    @property
    def comment(self) -> str:
        return f"Load check-in by person {self.person_id}"


@dataclass(frozen=True)
class LoadOrg:
    people: list[Person]
    survey_id: int
    survey_label: str  # the survey picker's label (?survey=)
    round_id: int
    planning: str
    today: dt.date


def prepare(env: dict[str, str]) -> LoadOrg:
    """Make the database `env` points at (a copy of the demo) ready for the load test."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        try:
            return _prepare()
        finally:
            db.close_all()


def _prepare() -> LoadOrg:
    current, planning = quarters.current_key(), quarters.planning_key()
    team_id = db.scalar("SELECT id FROM teams WHERE name = ?", [TEAM])
    survey = db.row("SELECT id FROM surveys WHERE team_id = ? AND quarter = ? AND closed_at IS NULL",
                    [team_id, planning])
    answered = set(db.column("SELECT person_id FROM survey_participation WHERE survey_id = ?", [survey["id"]]))
    # Deal the current quarter's KRs: each goes to a different member of its team who has not touched the survey.
    krs = db.rows("""SELECT k.id, k.title, k.kind, o.team_id
                     FROM key_results k JOIN objectives o ON o.id = k.objective_id
                     WHERE o.quarter = ? AND o.status = 'published' AND k.archived_at IS NULL
                     ORDER BY o.team_id, k.position""", [current])
    people: list[Person] = []
    taken: set[int] = set()
    for kr in krs:
        crew = db.column("SELECT person_id FROM memberships WHERE team_id = ? ORDER BY person_id", [kr["team_id"]])
        owner = next((p for p in crew if p not in taken and p not in answered), None)
        if owner is None or len(people) == SESSIONS:
            continue
        taken.add(owner)
        db.execute("UPDATE key_results SET owner_id = ? WHERE id = ?", [owner, kr["id"]])
        found = db.row("SELECT email, name FROM people WHERE id = ?", [owner])
        people.append(Person(found["email"], found["name"], owner, kr["id"], kr["title"], kr["kind"] == "milestone"))
    assert len(people) == SESSIONS, f"the demo has key results for only {len(people)} distinct owners"
    members = set(db.column("SELECT person_id FROM memberships WHERE team_id = ?", [team_id]))
    for person in people:
        if person.person_id not in members:
            teams.join(team_id, person.person_id)
    lead = auth.load(db.scalar("SELECT person_id FROM memberships WHERE team_id = ? AND role = 'lead'", [team_id]))
    for title in ("Offline job notes for technicians", "The app starts in under two seconds"):
        ideas.add(lead, team_id, planning, title=title)
    round_id = rounds.open_round(lead, team_id, planning, methods=["dot"], title="Load test round")
    return LoadOrg(people, survey["id"], f"{TEAM} · {planning}", round_id, planning, dt.date.today())
