"""Voice balance: who has contributed ideas and votes to the team's workshop so far, so the lead can invite quiet
members in. Named surveys only: when the team's survey for the quarter is anonymous, nothing is shown."""

from __future__ import annotations

from typing import Any

from okrdash import auth, db, teams
from okrdash.errors import PermissionDenied


def balance(actor: auth.Actor, team_id: int, quarter: str, round_id: int | None = None) -> dict[str, Any] | None:
    """Per member: objective ideas contributed (survey and live, merged ones included, removed ones not), survey
    answered, voted in `round_id` (default: the newest round). None when the team's survey is anonymous."""
    if not (actor.leads(team_id) or actor.manages_team(team_id)):
        raise PermissionDenied(f"Only the lead of {auth.team_name(team_id)} and managers above it see who has "
                               f"contributed. {actor.name} is neither.")
    survey = db.row("SELECT id, anonymous FROM surveys WHERE team_id = ? AND quarter = ?", [team_id, quarter])
    if survey is not None and survey["anonymous"]:
        return None
    if round_id is None:
        round_id = db.scalar("""SELECT id FROM ranking_rounds WHERE team_id = ? AND quarter = ?
                                ORDER BY closed_at IS NULL DESC, opened_at DESC, id DESC LIMIT 1""",
                             [team_id, quarter])
    ideas = {r["author_id"]: r["n"] for r in db.rows(
        """SELECT author_id, count(*) AS n FROM ideas
           WHERE team_id = ? AND quarter = ? AND kind = 'objective' AND source <> 'merge' AND NOT anonymous
             AND author_id IS NOT NULL AND deleted_at IS NULL GROUP BY author_id""", [team_id, quarter])}
    answered = set(db.column("SELECT person_id FROM survey_participation WHERE survey_id = ? AND status = 'submitted'",
                             [survey["id"]])) if survey else set()
    voted = set(db.column("SELECT DISTINCT voter_id FROM ballots WHERE round_id = ?", [round_id])) \
        if round_id is not None else set()
    people = []
    for person in teams.members(team_id):
        entry = {"id": person["id"], "name": person["name"], "role": person["role"],
                 "ideas": ideas.get(person["id"], 0),
                 "answered": (person["id"] in answered) if survey else None,
                 "voted": (person["id"] in voted) if round_id is not None else None}
        entry["quiet"] = not entry["ideas"] and not entry["answered"] and not entry["voted"]
        people.append(entry)
    # The lead runs the session: the invitations name the members to draw in.
    return {"people": people, "has_survey": survey is not None, "round_id": round_id,
            "quiet": [p["name"] for p in people if p["quiet"] and p["role"] != "lead"],
            "not_voted": [p["name"] for p in people if p["voted"] is False and p["role"] != "lead"]}
