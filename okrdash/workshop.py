"""Where a team's workshop stands: the ordered steps and which are done, so every step page shows what is next."""

from __future__ import annotations

from dataclasses import dataclass

from okrdash import auth, db, ideas, publications
from okrdash.smart import team_report


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    page: str
    done: bool = False
    summary: str = ""


STEPS: list[tuple[str, str, str]] = [
    ("context", "Strategic context", "pages/workshop.py"),
    ("consolidate", "Consolidate ideas", "pages/workshop_consolidate.py"),
    ("rank", "Rank", "pages/workshop_rank.py"),
    ("focus", "Create focus", "pages/workshop_focus.py"),
    ("key_results", "Key results", "pages/workshop_key_results.py"),
    ("publish", "Publish", "pages/workshop_publish.py"),
]


def progress(actor: auth.Actor, team_id: int, quarter: str, sealed: int | str | None = ideas.CLOCK) -> list[Step]:
    """Each step of the team's workshop for the quarter, marked done with a one-line summary of where it stands
    (idea counts leave out the sealed survey's ideas: see okrdash.ideas)."""
    auth.require_reader(actor, team_id, "follow this team's workshop")
    facts = db.row(
        """SELECT
             (SELECT count(*) FROM ideas WHERE team_id = $t AND quarter = $q AND kind = 'objective'
                AND merged_into IS NULL AND deleted_at IS NULL AND NOT coalesce(survey_id = $s, false)) AS ideas,
             (SELECT count(*) FROM idea_merges WHERE team_id = $t AND quarter = $q AND undone_at IS NULL) AS merges,
             (SELECT count(*) FROM ranking_rounds WHERE team_id = $t AND quarter = $q) AS rounds,
             (SELECT count(*) FROM ranking_rounds WHERE team_id = $t AND quarter = $q
                AND closed_at IS NOT NULL) AS closed_rounds,
             (SELECT count(DISTINCT b.voter_id) FROM ballots b JOIN ranking_rounds r ON r.id = b.round_id
                WHERE r.team_id = $t AND r.quarter = $q AND r.closed_at IS NULL) AS open_voters,
             (SELECT count(*) FROM objectives WHERE team_id = $t AND quarter = $q) AS objectives,
             (SELECT count(*) FROM deprioritized WHERE team_id = $t AND quarter = $q
                AND deleted_at IS NULL) AS deprioritized,
             (SELECT count(*) FROM key_results k JOIN objectives o ON o.id = k.objective_id
                WHERE o.team_id = $t AND o.quarter = $q AND k.archived_at IS NULL) AS key_results,
             (SELECT max(version) FROM publications WHERE team_id = $t AND quarter = $q) AS version""",
        {"t": team_id, "q": quarter, "s": ideas.resolve_sealed(team_id, quarter, sealed)},
    )
    done = {
        "context": True,
        "consolidate": facts["ideas"] > 0 and (facts["merges"] > 0 or facts["rounds"] > 0),
        "rank": facts["closed_rounds"] > 0,
        "focus": facts["objectives"] > 0,
        "key_results": 2 <= facts["key_results"] <= 5,
        "publish": facts["version"] is not None,
    }
    summary = {
        "context": "Read together",
        "consolidate": f"{facts['ideas']} ideas, {facts['merges']} merges" if facts["ideas"] else "No ideas yet",
        "rank": _rank_summary(facts),
        "focus": (f"Objective chosen, {facts['deprioritized']} deprioritized" if facts["objectives"]
                  else "No objective yet"),
        "key_results": f"{facts['key_results']} key results",
        "publish": f"Version {facts['version']} published" if facts["version"] else "Not published",
    }
    # Key results and Publish: done when SMART (2–5 KRs, no failing letter) and when the latest version is current.
    done["key_results"], summary["key_results"] = team_report.step_status(team_id, quarter)
    done["publish"], summary["publish"] = publications.step_status(team_id, quarter)
    return [Step(key, title, page, done[key], summary[key]) for key, title, page in STEPS]


def _rank_summary(facts: dict) -> str:
    if not facts["rounds"]:
        return "No round yet"
    if facts["rounds"] > facts["closed_rounds"]:
        return f"Voting open, {facts['open_voters']} voted so far"
    return f"{facts['closed_rounds']} round{'s' * (facts['closed_rounds'] != 1)} closed"


def next_step(steps: list[Step]) -> Step | None:
    """The first step not done yet (None when everything is)."""
    return next((s for s in steps if not s.done), None)
