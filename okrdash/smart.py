"""The SMART check: pure functions from a key result (as typed, saved or not) to a verdict per letter.

Each letter is pass / warn / fail with the reason and a concrete fix. Failing letters block publishing; warnings are
advice the lead may accept. No database and no Streamlit here, so the editor can check unsaved input as it is typed
and tests can run hundreds of examples.

Specific: a milestone fails only when its title is a vague verb plus a short topic (“Improve onboarding”); a
longer title starting with one warns unless a definition of done says what will exist, and the noun uses of these
words (“Help desk: …”, “Support tickets …”) are not verbs. Measurable: a missing unit warns and does not fail — a
count often has its unit in the metric's name (“live partner integrations”), so the lead may accept it.

Thresholds (see Achievable): a jump of 10× or more against the baseline (or a cut to a tenth or less) fails unless
the lead has confirmed it after discussion; 3× or more, or a swing of more than 50 percentage points, warns.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from okrdash.smart_text import DIRECTION_VERBS, VAGUE_METRICS, has_number, only_vague, show, title_numbers, vague_start

PASS, WARN, FAIL = "pass", "warn", "fail"
_SEVERITY = {PASS: 0, WARN: 1, FAIL: 2}
LETTERS = {"S": "Specific", "M": "Measurable", "A": "Achievable", "R": "Relevant", "T": "Time-bound"}
NUMERIC_KINDS = ("increase_to", "decrease_to", "stay_above", "stay_below")
KIND_LABELS = {
    "increase_to": "Increase to", "decrease_to": "Decrease to", "stay_above": "Stay above",
    "stay_below": "Stay below", "milestone": "Milestone",
}

ABSURD_RATIO = 10.0  # target ≥ 10× baseline (or ≤ a tenth of it): not believable in one quarter
AMBITIOUS_RATIO = 3.0
AMBITIOUS_POINTS = 50.0  # percentage points
EARLY_DAYS = 14  # a result due in the first two weeks is a task, not a quarterly result
LOW_PAST_SCORE = 0.4

@dataclass(frozen=True)
class Verdict:
    """One letter's result: level pass/warn/fail, why, and how to fix it (empty when it passes)."""

    letter: str
    name: str
    level: str
    reason: str
    fix: str = ""
    notes: tuple[str, ...] = ()  # further findings of the same letter, less severe

    @property
    def failed(self) -> bool:
        return self.level == FAIL


@dataclass(frozen=True)
class Context:
    """What a key result is checked against: its quarter, the objective's strategy link, the team's record."""

    quarter: str
    starts_on: dt.date
    ends_on: dt.date
    strategy_link: str | None = None  # "Company objective: Make getting paid effortless", None when unlinked
    past_scores: tuple[tuple[str, float], ...] = ()  # (quarter, score 0–1), newest first


@dataclass(frozen=True)
class Check:
    """The verdicts of one key result (S, M, A, R, T) or of an objective."""

    verdicts: tuple[Verdict, ...]

    def __getitem__(self, letter: str) -> Verdict:
        return next(v for v in self.verdicts if v.letter == letter)

    @property
    def level(self) -> str:
        return max((v.level for v in self.verdicts), key=_SEVERITY.__getitem__, default=PASS)

    @property
    def failing(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.level == FAIL]

    @property
    def warnings(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.level == WARN]

    def levels(self) -> dict[str, str]:
        return {v.letter: v.level for v in self.verdicts}


@dataclass
class Findings:
    """The findings of one letter as they are made; `verdict` keeps the most severe as the reason."""

    letter: str
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (level, reason, fix)

    def add(self, level: str, reason: str, fix: str = "") -> None:
        self.items.append((level, reason, fix))

    def verdict(self, passed: str) -> Verdict:
        name = LETTERS.get(self.letter, self.letter)
        if not self.items:
            return Verdict(self.letter, name, PASS, passed)
        ordered = sorted(self.items, key=lambda i: -_SEVERITY[i[0]])
        level, reason, fix = ordered[0]
        return Verdict(self.letter, name, level, reason, fix, tuple(r for _, r, _ in ordered[1:]))


# --- helpers -------------------------------------------------------------------------------------------------------


def _text(kr: Mapping[str, Any], key: str) -> str:
    return " ".join(str(kr.get(key) or "").split())


def _number(kr: Mapping[str, Any], key: str) -> float | None:
    value = kr.get(key)
    if value is None or isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _day(value: dt.date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


# --- the letters ---------------------------------------------------------------------------------------------------


def specific(kr: Mapping[str, Any]) -> Verdict:
    found = Findings("S")
    title, kind = _text(kr, "title"), kr.get("kind") or "increase_to"
    metric = _text(kr, "metric")
    verb = vague_start(title)
    if not title:
        found.add(FAIL, "The key result has no title.",
                  "Write the result in one line, e.g. “Raise trial-to-paid conversion from 14% to 20%”.")
    elif kind == "milestone":
        if verb and only_vague(title):
            found.add(FAIL, f"“{verb.capitalize()}” is a vague verb: the title names no deliverable, so nobody can "
                            "tell when it is done.",
                      "Name the thing that will exist when it is done, e.g. “Ship self-serve staff import” or "
                      "“Publish the API reference for all 40 endpoints”.")
        elif verb and not _text(kr, "definition_of_done"):
            found.add(WARN, f"The title starts with the vague verb “{verb}”; without a definition of done it is "
                            "unclear what will exist when it is done.",
                      "Start with what ships (e.g. “Launch …”, “Publish …”), or write the definition of done.")
        elif len(title.split()) < 3:
            found.add(WARN, "The title is very short; a reader outside the team may not know what will ship.",
                      "Say what ships and for whom, e.g. “Launch SAML SSO on the Business plan”.")
    else:
        if not metric:
            reason = (f"“{verb.capitalize()}” alone is a vague verb and no metric is named."
                      if verb else "No metric is named, so it is unclear which number this result moves.")
            found.add(FAIL, reason, "Fill in Metric with the one number that moves, e.g. “trial-to-paid conversion” "
                                    "or “median time to first invoice”.")
        elif metric.lower() in VAGUE_METRICS:
            found.add(WARN, f"“{metric}” is too broad to count: whose {metric.lower()}, measured how?",
                      f"Name the exact measure, e.g. “weekly active technicians” instead of “{metric.lower()}”.")
        if verb and metric and not has_number(title):
            found.add(WARN, f"The title starts with the vague verb “{verb}” and states no numbers.",
                      "Write the movement in the title: “Raise <metric> from <baseline> to <target>”.")
        stated = title_numbers(title)
        baseline, target = _number(kr, "baseline"), _number(kr, "target")
        if stated and baseline is not None and target is not None and not (
                _close(stated[0], baseline) and _close(stated[1], target)):
            found.add(WARN, f"The title says {show(stated[0])} → {show(stated[1])} but the numbers say "
                            f"{show(baseline)} → {show(target)}.",
                      "Make the title and the baseline/target agree, so nobody tracks the wrong number.")
    lowered = f" {title.lower()} "
    verbs = [v for v in DIRECTION_VERBS if re.search(rf"\b{v}\b", lowered)]
    if len(verbs) >= 2 and " and " in lowered:
        found.add(WARN, f"This looks like two results in one (“{verbs[0]}” … “{verbs[1]}”).",
                  "Split it into two key results, each with one metric and one owner.")
    subject = f"the metric “{metric}”" if kind != "milestone" else f"the deliverable “{title}”"
    return found.verdict(f"Names {subject}.")


def measurable(kr: Mapping[str, Any]) -> Verdict:
    found = Findings("M")
    kind = kr.get("kind") or "increase_to"
    if kind == "milestone":
        done = _text(kr, "definition_of_done")
        if not done:
            found.add(FAIL, "A milestone needs a definition of done; without one it is “done” whenever someone "
                            "says so.",
                      "Write what is true when it is done and how you will check, e.g. “Owners import staff from "
                      "CSV without help; documented; used by 10 accounts”.")
        elif len(done.split()) < 5:
            found.add(WARN, "The definition of done is very short.",
                      "Add who can do what, where, and how you will verify it (a demo, a number, a document).")
        title = _text(kr, "title")
        if title_numbers(title) or "%" in title:
            found.add(WARN, "The title reads like a number to move, but the kind is milestone (done / not done).",
                      "Choose “increase to” or “decrease to” with a baseline and target, so progress is visible.")
        return found.verdict("Done or not done, against a written definition of done.")
    baseline, target, unit = _number(kr, "baseline"), _number(kr, "target"), _text(kr, "unit")
    if baseline is None:
        found.add(FAIL, "No baseline: without today's value nobody can see progress.",
                  "Enter today's value (a recent 4-week average is fine). If the thing does not exist yet, the "
                  "baseline is 0; if nobody measures it yet, make measuring it a milestone first.")
    if target is None:
        found.add(FAIL, "No target: the result has no finish line.",
                  "Enter the value you commit to reach by the due date.")
    if not unit:
        found.add(WARN, "No unit: is the number a percentage, hours, accounts or euros?",
                  "Add the unit, e.g. %, h, days, accounts, €, tickets/month.")
    if baseline is not None and target is not None:
        return found.verdict(f"Measured from {show(baseline, unit)} to {show(target, unit)}.")
    return found.verdict("")


def _ratio(kind: str, baseline: float, target: float) -> float | None:
    """How many times bigger the step is (≥ 1), when a ratio means something (both sides positive)."""
    if kind == "increase_to" and baseline > 0 and target > 0:
        return target / baseline
    if kind == "decrease_to" and baseline > 0 and target > 0:
        return baseline / target
    return None


def achievable(kr: Mapping[str, Any], context: Context | None = None) -> Verdict:
    found = Findings("A")
    kind = kr.get("kind") or "increase_to"
    confirmed = bool(kr.get("achievable_confirmed"))
    baseline, target, unit = _number(kr, "baseline"), _number(kr, "target"), _text(kr, "unit")
    passed = "Confirmed by the lead after discussion with the team."
    ambitious = False
    if kind in NUMERIC_KINDS:
        if baseline is None or target is None:
            found.add(WARN, "Cannot judge the step until baseline and target are set (see Measurable).",
                      "Fill in baseline and target.")
        else:
            step = f"{show(baseline, unit)} → {show(target, unit)}"
            if kind in ("increase_to", "decrease_to"):
                up = kind == "increase_to"
                if _close(baseline, target):
                    found.add(FAIL, f"The target equals the baseline ({step}): nothing changes.",
                              "Set the value you want to reach, or choose “stay above” / “stay below” if holding "
                              "the line is the result.")
                elif (target < baseline) if up else (target > baseline):
                    other = "decrease to" if up else "increase to"
                    found.add(FAIL, f"The kind is “{KIND_LABELS[kind].lower()}” but the target goes the other way "
                                    f"({step}).",
                              f"Choose “{other}”, or swap baseline and target.")
                else:
                    ratio = _ratio(kind, baseline, target)
                    points = abs(target - baseline) if unit == "%" else 0.0
                    if ratio is not None and ratio >= ABSURD_RATIO:
                        size = f"is {ratio:.0f}× the baseline" if up else f"cuts the baseline {ratio:.0f}-fold"
                        if confirmed:
                            found.add(WARN, f"{step} {size}; you confirmed it after discussion, but teams rarely "
                                            "make such a jump in one quarter.",
                                      "Keep it as a declared stretch, or aim for a step of 2–3×.")
                        else:
                            found.add(FAIL, f"{step} {size} in one quarter: not believable as it stands.",
                                      "Aim for a smaller step (2–3× is already ambitious), or discuss it with the "
                                      "team and tick “discussed and achievable” if you have a plan that makes it "
                                      "realistic.")
                    elif (ratio is not None and ratio >= AMBITIOUS_RATIO) or points > AMBITIOUS_POINTS:
                        ambitious = True
                        size = f"{ratio:.1f}×" if ratio is not None and ratio >= AMBITIOUS_RATIO else \
                            f"{points:.0f} percentage points"
                        found.add(WARN, f"{step} is an ambitious step ({size}).",
                                  "Check with the team that the plan can make it; a stretch is fine if declared.")
                    if not up and _close(target, 0) and baseline > 0:
                        found.add(WARN, f"Reaching exactly zero ({step}) is rarely achieved in a quarter.",
                                  "Consider a small non-zero target, or a “stay below” guardrail.")
                    passed = f"A real step ({step}); confirmed by the lead after discussion."
            else:
                above = kind == "stay_above"
                if (baseline < target) if above else (baseline > target):
                    side = "below the floor" if above else "above the ceiling"
                    found.add(WARN, f"Today's value {show(baseline, unit)} is already {side} "
                                    f"{show(target, unit)}: holding the line first means moving it.",
                              f"Choose “{'increase to' if above else 'decrease to'}” with target "
                              f"{show(target, unit)}, or set the line where the team holds it today.")
                passed = f"Hold the line at {show(target, unit)} (today {show(baseline, unit)}); confirmed by the lead."
            if unit == "%" and (target > 100 or target < 0) and not found.items:
                found.add(WARN, f"A target of {show(target, unit)} is outside 0–100%.",
                          "If this is a share, it cannot pass 100%; otherwise check the unit.")
    if not confirmed:
        found.add(FAIL, "Not yet confirmed: only the team can say whether this is achievable.",
                  "Discuss it with the team, then tick “Discussed with the team and achievable”.")
    past = context.past_scores if context else ()
    record = ", ".join(f"{quarter} {score:.2f}" for quarter, score in past)
    if past and ambitious and sum(score for _, score in past) / len(past) < LOW_PAST_SCORE:
        found.add(WARN, f"The team's recent scores ({record}) are low and this step is ambitious.",
                  "Consider a target the team's record supports, or cut scope elsewhere.")
    verdict = found.verdict(passed)
    if not past:
        return verdict
    hint = f"Past quarters' scores, as a hint: {record}."
    if verdict.level == PASS:
        return Verdict(verdict.letter, verdict.name, PASS, f"{verdict.reason} {hint}")
    return Verdict(verdict.letter, verdict.name, verdict.level, verdict.reason, verdict.fix, (*verdict.notes, hint))


def relevant(context: Context | None) -> Verdict:
    found = Findings("R")
    link = context.strategy_link if context else None
    if not link:
        found.add(FAIL, "The objective is not linked to a company objective or strategy item, so nobody can see "
                        "why this result matters to the company.",
                  "Link the objective to the company objective it serves, on the Create focus step.")
    return found.verdict(f"The objective serves {link}." if link else "")


def time_bound(kr: Mapping[str, Any], context: Context | None) -> Verdict:
    found = Findings("T")
    due = kr.get("due_on")
    if isinstance(due, dt.datetime):
        due = due.date()
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due.strip())
        except ValueError:
            due = None
    if not isinstance(due, dt.date):
        found.add(FAIL, "No due date.", "Set a due date; the quarter's last day is the usual choice.")
        return found.verdict("")
    if context is None:
        return found.verdict(f"Due {_day(due)}.")
    if due < context.starts_on or due > context.ends_on:
        where = "before" if due < context.starts_on else "after"
        edge = context.starts_on if due < context.starts_on else context.ends_on
        found.add(FAIL, f"Due {_day(due)}, {where} {context.quarter} {'starts' if where == 'before' else 'ends'} "
                        f"({_day(edge)}).",
                  f"Pick a date inside {context.quarter} ({_day(context.starts_on)} – {_day(context.ends_on)}); "
                  "the default is the quarter's last day.")
    elif (due - context.starts_on).days < EARLY_DAYS:
        found.add(WARN, f"Due {_day(due)}, within the quarter's first two weeks: that is a task, not a quarterly "
                        "result.",
                  "Move the due date later, or make it a step of a bigger result.")
    last = " (the quarter's last day)" if due == context.ends_on else f", inside {context.quarter}"
    return found.verdict(f"Due {_day(due)}{last}.")


def check_kr(kr: Mapping[str, Any], context: Context | None = None) -> Check:
    """Every letter for one key result. `kr` holds title, kind, metric, unit, baseline, target, definition_of_done,
    due_on and achievable_confirmed, as saved or as typed (numbers may be None)."""
    return Check((specific(kr), measurable(kr), achievable(kr, context), relevant(context), time_bound(kr, context)))


def summarize(checks: Sequence[Check]) -> dict[str, int]:
    """How many checks fail, warn and pass overall (for a one-line summary)."""
    levels = [c.level for c in checks]
    return {level: levels.count(level) for level in (PASS, WARN, FAIL)}
