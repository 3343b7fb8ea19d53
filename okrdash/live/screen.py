"""What the big screen in the meeting room shows: the step the room is on, live counters, the idea wall, the
timebox and, once they may be seen, the results of the vote.

Read as the person looking at it may see it, and built only from reads that already hold the workshop's rules: the
wall from okrdash.ideas (an anonymous idea never carries its author; a sealed survey's ideas stay out), the vote
from okrdash.rounds (who has voted, never how; totals only once `totals_visible`, so a blind round shows none
before it closes). A member following the lead sees exactly this.
"""

from __future__ import annotations

from typing import Any

from okrdash import auth, db, ideas, rounds, teams, workshop
from okrdash.live import room as rooms
from okrdash.live import timebox, wall

TOP = 3  # ideas shown from a round's results


def view(actor: auth.Actor, team_id: int, quarter: str, sealed: int | str | None = ideas.CLOCK) -> dict[str, Any]:
    """team (name), quarter, step ({key, title, number}) and whether someone presents it, presenter, highlight,
    timer (okrdash.live.timebox.current, its end time: screens count down from it), wall (okrdash.live.wall.board),
    counters (ideas, voted/eligible of the open round or None, answered/members of the survey or None,
    followers), vote ({title, blind, is_open, top: [{title, score}]} or None: top only when totals may be seen),
    objective (title) or None."""
    auth.require_reader(actor, team_id, "follow this team's workshop")
    resolved = ideas.resolve_sealed(team_id, quarter, sealed)
    steps = workshop.progress(actor, team_id, quarter, resolved)
    state = rooms.state(actor, team_id, quarter)
    upcoming = workshop.next_step(steps)
    key = state["step"] or (upcoming.key if upcoming else steps[-1].key)
    number, step = next((n, s) for n, s in enumerate(steps, start=1) if s.key == key)
    board = wall.board(actor, team_id, quarter, resolved)
    rnd = rounds.current(actor, team_id, quarter)
    vote, voted = None, None
    if rnd is not None:
        voted = rounds.participation(actor, rnd["id"])
        vote = {"title": rnd["title"], "blind": bool(rnd["blind"]), "is_open": rnd["is_open"], "top": None}
        if rnd["totals_visible"] and (voted["voted"] or voted["former"]):  # never a blind round's open totals
            found = rounds.results(actor, rnd["id"])
            scores = found["results"].combined
            vote["top"] = [{"title": found["titles"][i], "score": scores[i]} for i in found["results"].order[:TOP]]
    survey = db.row("""SELECT s.id, (SELECT count(*) FROM survey_participation p WHERE p.survey_id = s.id
                                       AND p.status = 'submitted') AS answered
                       FROM surveys s WHERE s.team_id = ? AND s.quarter = ?""", [team_id, quarter])
    members = len(teams.members(team_id))
    objective = db.scalar("SELECT title FROM objectives WHERE team_id = ? AND quarter = ?", [team_id, quarter])
    return {
        "team": teams.get(team_id)["name"], "quarter": quarter,
        "step": {"key": key, "title": step.title, "number": number, "summary": step.summary},
        "presenting": state["presenter_id"] is not None, "presenter": state["presenter"],
        "highlight": state["highlight"], "timer": timebox.current(actor, team_id, quarter), "wall": board,
        "counters": {
            "ideas": board["count"],
            "voted": (voted["voted"], voted["eligible"]) if voted and rnd and rnd["is_open"] else None,
            "answered": (survey["answered"], members) if survey else None,
            "followers": state["followers"],
        },
        "vote": vote, "objective": objective,
    }
