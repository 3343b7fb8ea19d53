"""Home — my work: what the acting person owes now, gathered from every domain module, and their teams."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from okrdash import auth, checkins, db, publications, quarters, rounds, survey_participation, teams

# Each provider returns what the person owes as dicts:
#   {"what": str, "detail": str, "page": "pages/x.py", "action": str, "query_params": dict | None, "due": date|None}
OwedProvider = Callable[[auth.Actor], list[dict[str, Any]]]
Read = Callable[..., Any]  # how to call a provider: directly, or through the page's cache (ui.cached)
OWED_PROVIDERS: list[OwedProvider] = [
    survey_participation.owed_surveys,  # members: surveys they have not submitted, with deadlines
    survey_participation.surveys_to_open,  # leads: their team has no survey for the planning quarter
    checkins.checkins_due,  # KR owners: current-quarter KRs with no check-in in the last 7 days
    rounds.votes_owed,  # members: open ranking rounds of their teams they have not voted in with every method
    publications.owed,  # leads: key results to finish (2–5, SMART), then OKRs to publish or republish
]


# Providers whose answer changes only with the data (never with the time of day) may be served from a cache;
# survey deadlines ("closes in 2 hours") and check-in staleness are read fresh.
CACHEABLE: set[OwedProvider] = {rounds.votes_owed, publications.owed}


def _direct(fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


def owed_by(actor: auth.Actor, read: Read = _direct) -> list[dict[str, Any]]:
    """Everything the person owes, soonest due first (undated last). `read(provider, actor)` may cache the
    providers in CACHEABLE."""
    items = [item for provider in OWED_PROVIDERS
             for item in (read(provider, actor) if provider in CACHEABLE else provider(actor))]
    return sorted(items, key=lambda i: (i.get("due") is None, str(i.get("due") or "")))


def summary(actor: auth.Actor, read: Read = _direct) -> dict[str, Any]:
    """Everything Home shows for `actor` (`read` as for owed_by)."""
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
    scope = read(teams.readable_teams, actor) if actor.is_manager else []
    overseen = [t for t in scope if t["parent_id"] is not None]
    return {
        "quarter": current,
        "planning_quarter": quarters.planning_key(),
        "owed": owed_by(actor, read),
        "teams": my_teams,
        "oversees": len(overseen),
        "oversees_with_objective": sum(1 for t in overseen if t["id"] in objectives),
    }
