"""The SMART state of a team's key results: the report the editor, the publish gate, the workshop steps and Home
use, the live check of unsaved editor input, and the team's past scores as the Achievable hint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from okrdash import auth, objectives, quarters, smart, validate
from okrdash.errors import ValidationError
from okrdash.key_results import objective_row, rows_for, strategy_link
from okrdash.scores import objective_score
from okrdash.storage.changes import read_scope


def past_scores(team_id: int, quarter: str, *, count: int = 4) -> tuple[tuple[str, float], ...]:
    """The team's objective scores (0–1) in up to `count` earlier quarters, newest first: the Achievable hint."""
    scores = []
    for back in range(1, count + 1):
        earlier = quarters.shift(quarter, -back)
        score = objective_score(team_id, earlier)
        if score is not None:
            scores.append((earlier, round(float(score), 2)))
    return tuple(scores)


def context(team_id: int, quarter: str, found: dict[str, Any] | None, *, with_past: bool = True) -> smart.Context:
    """What every KR of the team's objective is checked against."""
    bounds = quarters.get(quarter)
    return smart.Context(quarter, bounds["starts_on"], bounds["ends_on"], strategy_link(found),
                         past_scores(team_id, quarter) if with_past else ())


@dataclass(frozen=True)
class Report:
    """The SMART state of a team's objective and key results, and whether it may be published."""

    objective: dict[str, Any] | None
    key_results: list[dict[str, Any]]
    checks: dict[int, smart.Check]
    objective_check: smart.Check | None
    context: smart.Context | None

    @property
    def failing_krs(self) -> list[dict[str, Any]]:
        return [k for k in self.key_results if self.checks[k["id"]].failing]

    @property
    def blockers(self) -> list[str]:
        """Why it cannot be published yet, each a sentence that says what to do (empty: publishable)."""
        if self.objective is None:
            return ["Choose the objective on the Create focus step."]
        found = [f"Objective — {v.name}: {v.reason} {v.fix}" for v in self.objective_check.failing]
        for position, kr in enumerate(self.key_results, start=1):
            for v in self.checks[kr["id"]].failing:
                found.append(f"KR {position} “{kr['title']}” — {v.name}: {v.reason} {v.fix}")
        return found

    @property
    def publishable(self) -> bool:
        return not self.blockers


def report_for(team_id: int, quarter: str, *, with_past: bool = True, found: dict[str, Any] | None = None) -> Report:
    """Library level (publish gate, workshop steps, Home)."""
    found = found or objective_row(team_id, quarter)
    if found is None:
        return Report(None, [], {}, None, None)
    krs = rows_for(team_id, quarter)
    ctx = context(team_id, quarter, found, with_past=with_past)
    return Report(found, krs, {k["id"]: smart.check_kr(k, ctx) for k in krs},
                  smart.check_objective(found["title"], found["why"], len(krs)), ctx)


@read_scope("team_id", None)  # reads the team's earlier quarters too
def report(actor: auth.Actor, team_id: int, quarter: str) -> Report:
    return report_for(team_id, quarter, found=objectives.current(actor, team_id, quarter))


def input_problems(draft: dict[str, Any]) -> dict[str, str]:
    """Typed values the editor cannot save as they are, by field (e.g. a baseline that is not a number)."""
    problems = {}
    relative = draft.get("kind") in smart.RELATIVE_KINDS
    for name, label in (("baseline", "Baseline"), ("change_pct" if relative else "target",
                                                   "Change %" if relative else "Target")):
        if draft.get("kind") == "milestone":
            break
        try:
            validate.number(draft.get(name), label, field=name)
        except ValidationError as error:
            problems[name] = error.message
    return problems


def draft_check(draft: dict[str, Any], ctx: smart.Context) -> tuple[smart.Check, dict[str, str]]:
    """SMART verdicts of unsaved editor input (unparseable numbers count as missing) and its input problems."""
    problems = input_problems(draft)
    values = dict(draft)
    for name in ("baseline", "target", "change_pct"):
        milestone = draft.get("kind") == "milestone"
        values[name] = None if milestone or name in problems else validate.number(draft.get(name), name)
    return smart.check_kr(values, ctx), problems


def step_status(team_id: int, quarter: str) -> tuple[bool, str]:
    """The Key results step of the workshop: done with 2–5 KRs and no failing letter."""
    found = report_for(team_id, quarter, with_past=False)
    count = len(found.key_results)
    if found.objective is None:
        return False, "Waiting for the objective"
    failing = len(found.failing_krs)
    if not count:
        return False, "No key results yet"
    summary = f"{count} key result{'s' if count != 1 else ''}"
    if failing:
        return False, f"{summary}, {failing} failing a SMART letter"
    if count < 2:
        return False, f"{summary}; add at least one more"
    return True, f"{summary}, all SMART"
