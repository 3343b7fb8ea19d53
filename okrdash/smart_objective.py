"""The objective's own check beside the SMART letters of its key results: qualitative (no number to hit),
inspiring (an outcome, not a chore) and 2–5 key results. Pure, like okrdash.smart."""

from __future__ import annotations

import re

from okrdash.smart import FAIL, WARN, Check, Findings, Verdict
from okrdash.smart_text import has_number, title_numbers, vague_start

OBJECTIVE_CHECKS = {"Q": "Qualitative", "I": "Inspiring", "N": "2–5 key results"}


def check_objective(title: str, why: str = "", kr_count: int = 0) -> Check:
    """The objective itself: qualitative (no number to hit), inspiring (an outcome, not a chore), 2–5 key results."""
    title = " ".join(str(title or "").split())
    qualitative, inspiring, count = Findings("Q"), Findings("I"), Findings("N")
    if title_numbers(title) or "%" in title or re.search(r"\b(by|to)\s+-?\d", title.lower()):
        qualitative.add(FAIL, "The objective contains a target number: that makes it a key result.",
                        "Say where the team is going in words (e.g. “New customers get value on their first day”) "
                        "and move the number into a key result.")
    elif has_number(title):
        qualitative.add(WARN, "The objective contains a number; objectives usually read better without one.",
                        "Keep numbers for the key results unless the number is part of a name.")
    verb = vague_start(title)
    if verb:
        inspiring.add(WARN, f"“{verb.capitalize()} …” names an activity, not a destination.",
                      "Describe the outcome for customers or the business, e.g. “Switching to Harbor takes an "
                      "afternoon, not a month”.")
    elif len(title.split()) < 4:
        inspiring.add(WARN, "The objective is very short; it may not say what changes, or for whom.",
                      "Write a sentence a new colleague would understand and want to work on.")
    if not " ".join(str(why or "").split()):
        inspiring.add(WARN, "There is no “why it matters now”.",
                      "Add a sentence on why this matters now, on the Create focus step.")
    if kr_count < 2:
        count.add(FAIL, f"{kr_count or 'No'} key result{'' if kr_count == 1 else 's'} yet; an objective needs "
                        "2 to 5.",
                  "Add key results until at least two together would prove the objective.")
    elif kr_count > 5:
        count.add(FAIL, f"{kr_count} key results; at most 5 keep the team focused.",
                  "Archive the ones that matter least.")
    verdicts = (
        qualitative.verdict("Qualitative: no number to hit; the key results carry the numbers."),
        inspiring.verdict("Describes an outcome worth working for."),
        count.verdict(f"{kr_count} key results."),
    )
    return Check(tuple(Verdict(v.letter, OBJECTIVE_CHECKS[v.letter], v.level, v.reason, v.fix, v.notes)
                       for v in verdicts))
