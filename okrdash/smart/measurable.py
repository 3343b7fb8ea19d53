"""Measurable: can anyone tell, at the end of the quarter, how far the result got? A number target for what is
counted (the baseline may come from the first check-in), a threshold, a relative change, or a milestone whose title
or definition of done says when it is done. Placeholders (“X%”, “TBD”) and a target that is named but not stated
fail; a line that only says which way to move, or leans on a word nobody can check, warns or fails."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from okrdash.smart.clauses import DONE, UNIVERSAL, checkable
from okrdash.smart.reading import Reading, read_line
from okrdash.smart.text import show, title_numbers
from okrdash.smart.verdicts import FAIL, RELATIVE_KINDS, WARN, Findings, Verdict, field_number, field_text

# "Launch the chat widget alpha to 5% of customers": the number says who gets the deliverable, not how far it moves
_ROLLOUT = re.compile(r"^(?:launch|ship|release|roll out|deploy|open)\b.*\bto\s+(?:the\s+first\s+)?\d[\d,.]*\s*%?\s+"
                      r"(?:of\s+)?\w", re.IGNORECASE)
# "Hit our ARR target": a target named but not stated.
NAMED_TARGET = re.compile(r"^(?:hit|reach|achieve|meet|make|beat|exceed)\b.*\b(?:target|goals?|quota|plan|budget)s?\b"
                           r"(?:\s*\([^)]*\))?\.?$", re.IGNORECASE)


# "Webhooks functionality 80% completed by the ship date": a share of a piece of work, not of things counted.
_SHARE_DONE = re.compile(r"\d\s*%\s*(?:complete|completed|done|finished)\b", re.IGNORECASE)


# "Make a presentation that influences 50+ developers", "Help >500 newcomers understand why …": a count of people
# changed inside, which nobody can see.
UNSEEN_EFFECT = re.compile(r"\b(?:influenc(?:e|es|ed|ing)|inspir(?:e|es|ed|ing)|help\w*\b[^.;]{0,60}?\bunderstand)\b",
                           re.IGNORECASE)


# "Increase number of active chapters to 75%": a count with a share for its target.
_COUNT_AS_SHARE = re.compile(r"\bnumber of\b(?![^%]*%\s*of\b)(?!.*\b(?:share|rate|ratio|proportion|percentage)\b)",
                             re.IGNORECASE)


def measurable(kr: Mapping[str, Any], reading: Reading | None = None) -> Verdict:
    found = Findings("M")
    kind = kr.get("kind") or "increase_to"
    reading = reading or read_line(kr.get("title"))
    if reading.placeholder:
        found.add(FAIL, "The line holds a placeholder (“X%”, “TBD”) instead of a number.",
                  "Write the number you commit to, even a first guess the team can revise.")
    if reading.shape in ("question", "no_result"):
        found.add(FAIL, "Nothing in the line can be checked at the end of the quarter.",
                  "Write the result as a number to reach or a deliverable to finish.")
    if reading.two_results and reading.stated and not all(checkable(part) for part in reading.parts):
        found.add(WARN, "Only part of the line can be measured.", "Split it; give each part its own number.")
    if _SHARE_DONE.search(reading.text):
        found.add(WARN, "“Percent complete” is somebody's estimate, not a count: nobody can check 80% of a feature.",
                  "Say which parts will be done, e.g. “Webhooks for 4 of the 5 event types in production”.")
    if kind != "milestone" and UNSEEN_EFFECT.search(reading.text):
        found.add(WARN, "The number counts people changed in a way nobody can see (influenced, inspired, helped to "
                        "understand): who checks which of them were?",
                  "Count what people do, e.g. “200 developers star the repository” or “30 sign up for the workshop”.")
    if kind == "milestone":
        _measurable_milestone(found, kr, reading)
        return found.verdict("Done or not done, against a written definition of done.")
    baseline, target, unit = field_number(kr, "baseline"), field_number(kr, "target"), field_text(kr, "unit")
    change = field_number(kr, "change_pct")
    if kind in RELATIVE_KINDS:
        if change is None or change <= 0:
            found.add(FAIL, "No change: a relative key result needs the percentage to move by.",
                      "Enter the change, e.g. 10 for “by 10%”.")
    elif target is None and reading.shape == "comparison":
        # The line's own comparison ("shorter than in October") is a finish line, if a loose one.
        found.add(WARN, "No target: the line only says which way the measure should move.",
                  "Enter the value you commit to reach by the due date.")
    elif target is None:
        found.add(FAIL, "No target: the result has no finish line.",
                  "Enter the value you commit to reach by the due date.")
    elif unit == "%" and kind in ("increase_to", "decrease_to") and _COUNT_AS_SHARE.search(reading.text):
        found.add(WARN, "The line counts a number of things, but its target is a percentage: a share of what?",
                  "Write the count to reach (“to 30 active chapters”) or the share (“75% of chapters active”).")
    if found.items:
        return found.verdict("")
    base = show(baseline, unit) if baseline is not None else "the first check-in's value"
    if kind in RELATIVE_KINDS:
        sign = "+" if kind == "increase_by" else "−"
        return found.verdict(f"Measured as {sign}{show(change)}% against {base}.")
    if baseline is None:
        return found.verdict(f"Measured against a target of {show(target, unit)}; the baseline comes from the first "
                             "check-in unless you type it.")
    return found.verdict(f"Measured from {show(baseline, unit)} to {show(target, unit)}.")


def _measurable_milestone(found: Findings, kr: Mapping[str, Any], reading: Reading) -> None:
    done = field_text(kr, "definition_of_done")
    title = field_text(kr, "title")
    if done:
        if len(done.split()) < 5:
            found.add(WARN, "The definition of done is very short.",
                      "Add who can do what, where, and how you will verify it (a demo, a number, a document).")
    elif reading.shape == "deliverable" and NAMED_TARGET.match(reading.text):
        found.add(FAIL, "The line names a target but does not state it.", "Write the number, e.g. “Reach €2.4M ARR”.")
    elif reading.shape == "deliverable":
        if reading.two_results and not all(checkable(part) for part in reading.parts):
            found.add(WARN, "Only part of the line can be checked.", "Split it; give each part its own result.")
        elif _ACTIVITY.match(reading.text.lower()) and not reading.text.lower().startswith(
                ("set up", "roll out", "allow ", "enable ")) and not UNIVERSAL.match(reading.text.lower()) and \
                not DONE.match(reading.text.lower()):  # "All missing features …", "Implemented pricing …"
            found.add(WARN, "When is an activity like this done?", "Write what is true when it is done.")
        if reading.judgement or reading.open_list:
            found.add(WARN, "Done is a judgement call: the line uses a word nobody can check or leaves the list open.",
                      "Write what is true when it is done and how you will check it.")
    elif reading.shape in ("thinking", "noun"):
        # "Map the personas" has no end; "Query history" or "Show the DWARF data" names what it is about.
        why = ("Mapping, defining or deciding has no clear end." if reading.shape == "thinking" else
               "The line names what it is about, not what is true when done.")
        found.add(WARN, f"When is this done? {why}",
                  "Write what will exist when it is done, e.g. “Personas published in the handbook, reviewed by "
                  "sales”, as the definition of done.")
    elif reading.shape == "comparison":
        found.add(WARN, "The line says which way the measure should move, but not how far.",
                  "Write the number to reach, e.g. “from 5 days to 2 days”.")
    elif reading.shape == "baseline":
        found.add(WARN, "A baseline is measured or not, but it is no target: nothing says how far to go next.",
                  "Once the baseline is in, write the number to reach, e.g. “Sync lag from 6 h to 1 h”.")
    elif reading.shape == "metric":
        found.add(FAIL, "The line names what is counted, but no number to reach.",
                  "Write the number to reach by the due date, e.g. “Completion rate from 62% to 75%”.")
    elif reading.shape == "direction":
        found.add(FAIL, "The line says which way something should move (“more”, “less”), but no number to reach.",
                  "Write the number to reach, e.g. “from 5 days to 2 days”, or what will exist when it is done.")
    elif reading.shape == "state" and _every_one_done(reading.text):
        pass  # "Each team member has contributed to a team project": checkable for every one of them
    elif reading.shape in ("vague", "state", "empty"):
        found.add(FAIL, "A milestone needs a definition of done; without one it is “done” whenever someone says so.",
                  "Write what is true when it is done and how you will check, e.g. “Owners import staff from CSV "
                  "without help; documented; used by 10 accounts”.")
    # "… deployed by Nov 2nd with 80% of agreed specs", "… shipped, achieving 30% pen rate": a thing done with a
    # number for its condition is a fair milestone.
    if (title_numbers(title) or "%" in title) and not _ROLLOUT.match(reading.text) and \
            not DONE.search(reading.text.lower()):
        found.add(WARN, "The title reads like a number to move, but the kind is milestone (done / not done).",
                  "Choose “increase to” or “decrease to” with a baseline and target, so progress is visible.")


# "Continue monitoring", "Complete the testing of …": a verb and a gerund, the activity itself (but in "Complete the
# keyring controller migration" the -ing word names a thing).
_ACTIVITY = re.compile(r"^\w+ (?:the )?\w+ing\b"
                       r"(?=\s*$|[.,;:]|\s+(?:of|for|on|in|to|with|the|a|an|our|and|at|across)\b)")


def _every_one_done(text: str) -> bool:
    """A universal with a done verb ("each member has contributed", "all roles are contested"): a count of all of
    them in disguise, checkable one by one."""
    lowered = text.lower()
    return bool(UNIVERSAL.match(lowered)) and re.search(r"\b(?:has|have|is|are)\s+(?:been\s+)?\w+ed\b",
                                                        lowered) is not None
