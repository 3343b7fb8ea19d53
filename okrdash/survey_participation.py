"""Who has answered a survey, who is drafting, who has not started — never what an anonymous person wrote.

The lead of the team and managers whose scope includes it see participation (managers read-only). Also here:
the surveys a member sees, the teams a lead or manager follows, and what Home lists as owed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, fmt, quarters, surveys, teams
from okrdash.errors import PermissionDenied
from okrdash.surveys import OPEN, clock, deadline_text


def require_lead_or_manager(actor: auth.Actor, team_id: int, doing: str) -> None:
    if not (actor.leads(team_id) or actor.manages_team(team_id)):
        raise PermissionDenied(
            f"Only the lead of {auth.team_name(team_id)} and managers above it may {doing}. {actor.name} is neither."
        )


def participation(actor: auth.Actor, survey_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """Counts, rate and name lists of the team's current members; answers of people who left are counted apart.

    answered: [{name, email, when}], drafting: [{name, email, when}] (when is None for anonymous surveys),
    not_started: [{name, email}], owing: drafting + not_started, total, rate (0–1), former_answers.
    """
    found = surveys.get(survey_id)
    require_lead_or_manager(actor, found["team_id"], "see who has answered its survey")
    crew = teams.members(found["team_id"])
    status = {r["person_id"]: r for r in db.rows(
        "SELECT person_id, status, started_at, submitted_at FROM survey_participation WHERE survey_id = ?",
        [survey_id],
    )}
    drafts = {r["person_id"]: r["updated_at"] for r in db.rows(
        "SELECT person_id, updated_at FROM survey_drafts WHERE survey_id = ?", [survey_id])}
    answered, drafting, not_started = [], [], []
    for person in crew:
        entry = {"name": person["name"], "email": person["email"], "role": person["role"]}
        row = status.get(person["id"])
        if row is None:
            not_started.append(entry)
        elif row["status"] == "submitted":
            # Never when for anonymous surveys: the time of an answer would point at it among the ideas.
            answered.append({**entry, "when": None if found["anonymous"] else row["submitted_at"]})
        else:
            # Nor when an anonymous draft was last saved: a draft that stops changing as an answer arrives would
            # point at it just the same.
            saved = None if found["anonymous"] else drafts.get(person["id"]) or row["started_at"]
            drafting.append({**entry, "when": saved})
    members = {p["id"] for p in crew}
    former = sum(1 for person_id, row in status.items() if person_id not in members and row["status"] == "submitted")
    total = len(crew)
    return {
        "survey": found,
        "state": surveys.state(found, now),
        "deadline_text": deadline_text(found, now),
        "answered": answered,
        "drafting": drafting,
        "not_started": not_started,
        "owing": drafting + not_started,
        "total": total,
        "rate": len(answered) / total if total else 0.0,
        "former_answers": former,
        "ideas": _idea_counts(found, now),
    }


def _idea_counts(found: dict[str, Any], now: dt.datetime | None) -> dict[str, int] | None:
    """Ideas collected so far by kind; hidden (None) while an anonymous survey is open, because watching the count
    jump right after one person answers would tell the lead how much that person wrote."""
    if found["anonymous"] and surveys.is_open(found, now):
        return None
    counts = dict.fromkeys(("objective", "key_result", "deprioritize", "concern"), 0)
    for row in db.rows(
        """SELECT kind, count(*) AS n FROM ideas WHERE survey_id = ? AND deleted_at IS NULL GROUP BY kind""",
        [found["id"]],
    ):
        counts[row["kind"]] = row["n"]
    return counts


def reminder_text(actor: auth.Actor, survey_id: int, *, link: str = "", now: dt.datetime | None = None,
                  facts: dict[str, Any] | None = None) -> str:
    """A message to paste into chat or email, signed by the actor, naming who still owes an answer (the actor
    excluded); empty when nobody else does or the survey is not open. `facts`: participation() already read."""
    if facts is None or facts["survey"]["id"] != survey_id:
        facts = participation(actor, survey_id, now)
    owing = [p for p in facts["owing"] if p["email"] != actor.email]
    if facts["state"] != OPEN or not owing:
        return ""
    found, answered = facts["survey"], len(facts["answered"])
    when = deadline_text(found, now)
    lines = [
        f"Hi {fmt.names([p['name'].split()[0] for p in owing])},",
        "",
        f"a friendly reminder: the {found['team_name']} pre-workshop survey for {found['quarter']} "
        f"{when[:1].lower()}{when[1:]}. "
        + (f"So far {answered} of {facts['total']} of us {'has' if answered == 1 else 'have'} answered."
           if answered else "Nobody has answered yet: be the first!"),
        "",
        "Read the strategy it shows first, then add your objective ideas (with a key result or two if you can), "
        "what we should deprioritize and what worries you. Rough notes are fine: we shape them together in the "
        "workshop.",
    ]
    drafting = [p["name"].split()[0] for p in facts["drafting"] if p["email"] != actor.email]
    if drafting:
        lines += ["", f"{fmt.names(drafting)}: your draft is saved, it only needs a last look and Submit."]
    if found["anonymous"]:
        lines += ["", "Answers are anonymous: nobody, me included, sees who wrote what."]
    lines += ["", f"Open it here: {link}" if link else "Open it in okrdash: My work → Surveys.", "", "Thanks!",
              actor.name]
    return "\n".join(lines)


def team_history(actor: auth.Actor, team_id: int, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Every survey of the team, newest quarter first, with how many answered (for the lead's overview); states
    as of `now` (default: this instant)."""
    require_lead_or_manager(actor, team_id, "see its surveys")
    found = db.rows(
        """SELECT s.id, s.quarter, s.deadline, s.closed_at, s.anonymous,
                  (SELECT count(*) FROM survey_participation p WHERE p.survey_id = s.id
                     AND p.status = 'submitted') AS answered,
                  (SELECT count(*) FROM ideas i WHERE i.survey_id = s.id AND i.deleted_at IS NULL) AS ideas
           FROM surveys s WHERE s.team_id = ? ORDER BY s.quarter DESC""",
        [team_id],
    )
    for item in found:
        item["state"] = surveys.state(item, now)
        if item["anonymous"] and item["state"] == OPEN:
            item["ideas"] = None  # see _idea_counts: hidden while an anonymous survey is open
    return found


# ---- lists for pages and Home ----

def member_surveys(actor: auth.Actor, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Surveys of the actor's teams that matter now (open, or for the planning quarter or later): open ones first,
    each with the actor's participation status ('not_started', 'draft', 'submitted')."""
    if not actor.member_of:
        return []
    now = clock(now)
    mine = sorted(actor.member_of)
    placeholders = ", ".join("?" for _ in mine)
    found = db.rows(
        f"""SELECT {surveys.COLUMNS}, coalesce(sp.status, 'not_started') AS my_status {surveys.FROM}
            LEFT JOIN survey_participation sp ON sp.survey_id = s.id AND sp.person_id = ?
            WHERE s.team_id IN ({placeholders})
              AND (s.quarter >= ? OR (s.closed_at IS NULL AND s.deadline > ?))
            ORDER BY s.deadline DESC, t.name""",
        [actor.person_id, *mine, quarters.planning_key(), now],
    )
    for item in found:
        item["state"] = surveys.state(item, now)
    # Open surveys first, soonest deadline first; then closed ones, most recent first (the query's order).
    return sorted(found, key=lambda s: (s["state"] != OPEN, s["deadline"] if s["state"] == OPEN else dt.datetime.min))


def manageable_teams(actor: auth.Actor) -> list[dict[str, Any]]:
    """Teams whose surveys the actor runs (leads) or follows (managers), the ones they lead first."""
    if not (actor.lead_of or actor.is_manager):
        return []
    candidates = teams.all_teams() if actor.manages_all else db.rows(
        f"""SELECT t.id, t.name, (SELECT count(*) FROM memberships m WHERE m.team_id = t.id) AS members
            FROM teams t WHERE t.id IN ({", ".join("?" for _ in actor.lead_of | actor.manages)})""",
        sorted(actor.lead_of | actor.manages),
    )
    found = [t for t in candidates if actor.leads(t["id"]) or (actor.manages_team(t["id"]) and t["members"])]
    return sorted(found, key=lambda t: (not actor.leads(t["id"]), t["name"]))


def owed_surveys(actor: auth.Actor, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Home: open surveys of the actor's teams they have not submitted yet, with the deadline."""
    now = clock(now)
    owed = []
    for item in member_surveys(actor, now):
        if item["state"] != OPEN or item["my_status"] == "submitted":
            continue
        drafting = item["my_status"] == "draft"
        owed.append({
            "what": f"Answer the {item['team_name']} survey for {item['quarter']}",
            "detail": f"{deadline_text(item, now)}. "
                      + ("Your draft is saved; finish and submit it." if drafting else
                         "Read the strategy, then add your objective ideas; it takes about 15 minutes."),
            "page": "pages/survey.py",
            "action": "Continue your draft" if drafting else "Answer the survey",
            "query_params": {"survey": surveys.picker_label(item, now)},  # pickers bind to the URL by label
            "due": item["deadline"].date(),
        })
    return owed


def surveys_to_open(actor: auth.Actor) -> list[dict[str, Any]]:
    """Home, for leads: a team they lead has no survey (and no objective yet) for the planning quarter."""
    if not actor.lead_of:
        return []
    planning = quarters.planning_key()
    led = sorted(actor.lead_of)
    placeholders = ", ".join("?" for _ in led)
    missing = db.rows(
        f"""SELECT t.id, t.name FROM teams t WHERE t.id IN ({placeholders})
              AND NOT EXISTS (SELECT 1 FROM surveys s WHERE s.team_id = t.id AND s.quarter = ?)
              AND NOT EXISTS (SELECT 1 FROM objectives o WHERE o.team_id = t.id AND o.quarter = ?)
            ORDER BY t.name""",
        [*led, planning, planning],
    )
    return [{
        "what": f"Open a survey for {planning}: {team['name']}",
        "detail": f"{team['name']} has no pre-workshop survey for {planning} yet. Members can only send objective "
                  "ideas once you open it.",
        "page": "pages/survey_manage.py",
        "action": "Open the survey",
        "query_params": {"team": team["name"], "quarter": planning},  # pickers bind to the URL by label
        "due": None,
    } for team in missing]
