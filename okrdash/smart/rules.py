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
import re
from collections.abc import Mapping, Sequence
from typing import Any

from okrdash.smart.achievable import achievable
from okrdash.smart.text import DIRECTION_VERBS, VAGUE_METRICS, has_number, only_vague, show, title_numbers, vague_start
from okrdash.smart.verdicts import (
    EARLY_DAYS,
    FAIL,
    PASS,
    WARN,
    Check,
    Context,
    Findings,
    Verdict,
    close,
    day,
    field_number,
    field_text,
)

# --- the letters ---------------------------------------------------------------------------------------------------


def specific(kr: Mapping[str, Any]) -> Verdict:
    found = Findings("S")
    title, kind = field_text(kr, "title"), kr.get("kind") or "increase_to"
    metric = field_text(kr, "metric")
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
        elif verb and not field_text(kr, "definition_of_done"):
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
        baseline, target = field_number(kr, "baseline"), field_number(kr, "target")
        if stated and baseline is not None and target is not None and not (
                close(stated[0], baseline) and close(stated[1], target)):
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
        done = field_text(kr, "definition_of_done")
        if not done:
            found.add(FAIL, "A milestone needs a definition of done; without one it is “done” whenever someone "
                            "says so.",
                      "Write what is true when it is done and how you will check, e.g. “Owners import staff from "
                      "CSV without help; documented; used by 10 accounts”.")
        elif len(done.split()) < 5:
            found.add(WARN, "The definition of done is very short.",
                      "Add who can do what, where, and how you will verify it (a demo, a number, a document).")
        title = field_text(kr, "title")
        if title_numbers(title) or "%" in title:
            found.add(WARN, "The title reads like a number to move, but the kind is milestone (done / not done).",
                      "Choose “increase to” or “decrease to” with a baseline and target, so progress is visible.")
        return found.verdict("Done or not done, against a written definition of done.")
    baseline, target, unit = field_number(kr, "baseline"), field_number(kr, "target"), field_text(kr, "unit")
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
        return found.verdict(f"Due {day(due)}.")
    if due < context.starts_on or due > context.ends_on:
        where = "before" if due < context.starts_on else "after"
        edge = context.starts_on if due < context.starts_on else context.ends_on
        found.add(FAIL, f"Due {day(due)}, {where} {context.quarter} {'starts' if where == 'before' else 'ends'} "
                        f"({day(edge)}).",
                  f"Pick a date inside {context.quarter} ({day(context.starts_on)} – {day(context.ends_on)}); "
                  "the default is the quarter's last day.")
    elif (due - context.starts_on).days < EARLY_DAYS:
        found.add(WARN, f"Due {day(due)}, within the quarter's first two weeks: that is a task, not a quarterly "
                        "result.",
                  "Move the due date later, or make it a step of a bigger result.")
    last = " (the quarter's last day)" if due == context.ends_on else f", inside {context.quarter}"
    return found.verdict(f"Due {day(due)}{last}.")


def check_kr(kr: Mapping[str, Any], context: Context | None = None) -> Check:
    """Every letter for one key result. `kr` holds title, kind, metric, unit, baseline, target, definition_of_done,
    due_on and achievable_confirmed, as saved or as typed (numbers may be None)."""
    return Check((specific(kr), measurable(kr), achievable(kr, context), relevant(context), time_bound(kr, context)))


def summarize(checks: Sequence[Check]) -> dict[str, int]:
    """How many checks fail, warn and pass overall (for a one-line summary)."""
    levels = [c.level for c in checks]
    return {level: levels.count(level) for level in (PASS, WARN, FAIL)}
