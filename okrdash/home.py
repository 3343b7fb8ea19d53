"""Home — my work: what the acting person owes now, gathered from every domain module, and their teams."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from okrdash import auth, checkins, db, publications, quarters, rounds, survey_participation, teams

# Each provider returns what the person owes as dicts:
#   {"what": str, "detail": str, "page": "pages/x.py", "action": str, "query_params": dict | None, "due": date|None}
OwedProvider = Callable[[auth.Actor], list[dict[str, Any]]]
OWED_PROVIDERS: list[OwedProvider] = [
    survey_participation.owed_surveys,  # members: surveys they have not submitted, with deadlines
    survey_participation.surveys_to_open,  # leads: their team has no survey for the planning quarter
    checkins.checkins_due,  # KR owners: current-quarter KRs with no check-in in the last 7 days
    rounds.votes_owed,  # members: open ranking rounds of their teams they have not voted in with every method
    publications.owed,  # leads: key results to finish (2–5, SMART), then OKRs to publish or republish
]


def owed_by(actor: auth.Actor) -> list[dict[str, Any]]:
    """Everything the person owes, soonest due first (undated last)."""
    items = [item for provider in OWED_PROVIDERS for item in provider(actor)]
    return sorted(items, key=lambda i: (i.get("due") is None, str(i.get("due") or "")))


def summary(actor: auth.Actor) -> dict[str, Any]:
    """Everything Home shows for `actor`."""
    current = quarters.current_key()
    my_teams = teams.teams_of(actor.person_id)
    objectives = {
        r["team_id"]: r["title"]
        for r in db.rows(
            "SELECT team_id, title FROM objectives WHERE quarter = ? AND status = 'published'", [current]
        )
    }
    for team in my_teams:
        team["objective"] = objectives.get(team["id"])
    overseen = [t for t in teams.readable_teams(actor) if t["parent_id"] is not None] if actor.is_manager else []
    return {
        "quarter": current,
        "planning_quarter": quarters.planning_key(),
        "owed": owed_by(actor),
        "teams": my_teams,
        "oversees": len(overseen),
        "oversees_with_objective": sum(1 for t in overseen if t["id"] in objectives),
    }
