"""The workshop's opening slide: the quarter's strategy, where the ideas stand, and last quarter's result for the
team (objective, KR scores, deprioritized list) with how accurate its targets proved — the learning loop."""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, ideas, objectives, quarters, scores, strategy
from okrdash.storage.changes import read_scope

# How a KR's quarter-end score reads as a lesson about its target (Google's guidance: 0.6–0.7 is a good stretch).
VERDICTS = [
    (1.0, "reached", "Reached: the target may have been too safe"),
    (0.7, "close", "Close: a well-set stretch"),
    (0.4, "partway", "Partway: an ambitious target"),
    (0.0, "far", "Far off: the target or the plan missed"),
]

STATUS_WORDS = {"on_track": "On track so far", "at_risk": "At risk so far", "off_track": "Off track so far",
                "no_data": "No check-in yet"}


def verdict(kr: dict[str, Any]) -> tuple[str, str]:
    """(key, words) for how a scored KR's target proved."""
    score = kr.get("score")
    if score is None:
        return "unscored", "Not scored"
    if kr.get("kind") == "milestone":
        return ("reached", "Delivered") if score >= 1 else ("far", "Not delivered")
    if kr.get("kind") in ("stay_above", "stay_below"):
        return ("reached", "Held the line") if score >= 1 else ("partway", "Slipped past the bound")
    return next((key, words) for floor, key, words in VERDICTS if score >= floor - 1e-9)


def quarter_result(actor: auth.Actor, team_id: int, quarter: str, today: dt.date | None = None) -> dict[str, Any]:
    """A quarter's outcome for the team: objective (or None), its KRs with scores, the objective score, the
    deprioritized list, whether the quarter is still running, and a tally of target verdicts."""
    today = today or dt.date.today()
    found = db.row("SELECT key, starts_on, ends_on FROM quarters WHERE key = ?", [quarter])
    objective = objectives.current(actor, team_id, quarter) if found else None
    krs: list[dict[str, Any]] = []
    score = None
    if objective is not None and objective["status"] == "published":
        krs = scores.kr_scores(team_id, quarter, today)
        score = scores.objective_score(team_id, quarter, today)
    elif objective is not None:
        krs = db.rows("""SELECT id AS kr_id, title, kind, unit, baseline, target, NULL AS last_value, NULL AS done,
                                NULL AS score, 'no_data' AS status
                         FROM key_results WHERE objective_id = ? AND archived_at IS NULL ORDER BY position, id""",
                      [objective["id"]])
    running = bool(found and found["starts_on"] <= today <= found["ends_on"])
    tally: dict[str, int] = {}
    for kr in krs:
        if running:  # a score mid-quarter says where the KR stands, not how well its target was set
            kr["verdict_key"], kr["verdict"] = "running", STATUS_WORDS.get(kr["status"], "No check-in yet")
            continue
        kr["verdict_key"], kr["verdict"] = verdict(kr)
        tally[kr["verdict_key"]] = tally.get(kr["verdict_key"], 0) + 1
    return {
        "quarter": quarter,
        "exists": found is not None,
        "running": running,
        "ends_on": found["ends_on"] if found else None,
        "objective": objective,
        "key_results": krs,
        "score": score,
        "tally": tally,
        "deprioritized": objectives.deprioritized(actor, team_id, quarter) if found else [],
    }


@read_scope("team_id", None)  # reads the team's earlier quarters too
def opening(actor: auth.Actor, team_id: int, quarter: str, now: dt.datetime | None = None, *,
            sealed: int | str | None = ideas.CLOCK) -> dict[str, Any]:
    """Everything the strategic-context step shows for the team's workshop of `quarter`; idea counts leave out the
    sealed survey's ideas (see okrdash.ideas)."""
    auth.require_reader(actor, team_id, "follow this team's workshop")
    now = now or dt.datetime.now()
    today = now.date()
    previous = quarters.previous(quarter)
    last = quarter_result(actor, team_id, previous, today)
    completed = None
    if last["running"]:  # the quarter before is still under way: its targets' accuracy is not known yet
        completed = quarter_result(actor, team_id, quarters.previous(previous), today)
    # Whether the survey is still open turns on the time of day: the page reads that uncached (ideas.survey_of),
    # so this answer may be cached for the day.
    survey = db.row("""SELECT s.id, s.deadline, s.closed_at, s.anonymous,
                              (SELECT count(*) FROM survey_participation p
                               WHERE p.survey_id = s.id AND p.status = 'submitted') AS answered
                       FROM surveys s WHERE s.team_id = ? AND s.quarter = ?""", [team_id, quarter])
    counts = db.row("""SELECT count(*) FILTER (WHERE kind = 'objective' AND merged_into IS NULL
                                              AND deleted_at IS NULL) AS ideas,
                              count(*) FILTER (WHERE kind = 'objective' AND source = 'carried_over'
                                              AND merged_into IS NULL AND deleted_at IS NULL) AS carried
                       FROM ideas WHERE team_id = ? AND quarter = ? AND NOT coalesce(survey_id = ?, false)""",
                    [team_id, quarter, ideas.resolve_sealed(team_id, quarter, sealed, now)])
    members = db.scalar("""SELECT count(*) FROM memberships m JOIN people p ON p.id = m.person_id
                           WHERE m.team_id = ? AND p.active""", [team_id])
    items = strategy.items(quarter)
    return {
        "quarter": quarter,
        "strategy": items,
        "last": last,
        "completed": completed,
        "survey": survey,
        "ideas": counts["ideas"],
        "carried": counts["carried"],
        "members": members,
    }
