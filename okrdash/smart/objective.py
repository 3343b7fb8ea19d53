"""The objective's own check beside the SMART letters of its key results: qualitative (no number to hit),
inspiring (an outcome, not a chore) and 2–5 key results. Pure, like okrdash.smart."""

from __future__ import annotations

import re

from okrdash.smart.text import has_number, title_numbers, vague_start
from okrdash.smart.verdicts import FAIL, WARN, Check, Findings, Verdict

OBJECTIVE_CHECKS = {"Q": "Qualitative", "I": "Inspiring", "N": "2–5 key results"}


# When, not how much: quarter keys (2027-Q1, Q1 2027) and years after a word of time ("by 2027", "in 2026").
# "to 2000" stays a number: "Grow to 2000 customers" is a target.
_QUARTER = re.compile(r"\b(?:(?:19|20)\d{2}-?q[1-4]|q[1-4][ -]?(?:19|20)\d{2}|h[12][ -]?(?:19|20)\d{2})\b",
                      re.IGNORECASE)
_YEAR = re.compile(r"\b(by|in|until|till|before|after|through|since|during|for|of|from)\s+(?:19|20)\d{2}\b"
                   r"(?![.,]?\d|\s*%)", re.IGNORECASE)


def without_dates(title: str) -> str:
    """The title without the quarters and years it names, for the number check ('Become profitable by 2027')."""
    return " ".join(_YEAR.sub(r"\1", _QUARTER.sub("", title)).split())


def check_objective(title: str, why: str = "", kr_count: int = 0) -> Check:
    """The objective itself: qualitative (no number to hit; years and quarters are not numbers to hit), inspiring
    (an outcome, not a chore), 2–5 key results."""
    title = " ".join(str(title or "").split())
    qualitative, inspiring, count = Findings("Q"), Findings("I"), Findings("N")
    numbers = without_dates(title)
    if title_numbers(numbers) or "%" in numbers or re.search(r"\b(by|to)\s+-?\d", numbers.lower()):
        qualitative.add(FAIL, "The objective contains a target number: that makes it a key result.",
                        "Say where the team is going in words (e.g. “New customers get value on their first day”) "
                        "and move the number into a key result.")
    elif has_number(numbers):
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
