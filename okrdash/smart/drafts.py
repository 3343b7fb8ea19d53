"""Many key results at once: a pasted document or brainstorm, one draft per line, each with its reading and its
SMART verdicts. Pure: the lead keeps, edits or drops drafts, then saves the kept ones (okrdash.key_results.add_many).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from okrdash.errors import ValidationError
from okrdash.smart.reading import Reading, clean, read_line
from okrdash.smart.rules import check_kr
from okrdash.smart.verdicts import Check, Context

MAX_LINES = 50
_HEADING = re.compile(r"^(?:#+\s|objective\b|o\d+[:.)]|key results?:?$|krs?:?$)", re.IGNORECASE)


@dataclass(frozen=True)
class Draft:
    """One pasted line: its number in the paste, the text, what was read and how it stands."""

    number: int
    line: str
    reading: Reading
    check: Check

    def fields(self) -> dict[str, Any]:
        """The fields a key result made from this draft gets (title plus everything read)."""
        return {"title": self.line[:200], **self.reading.fields()}


def lines(text: object) -> list[tuple[int, str]]:
    """The non-empty lines of a paste with their line numbers, bullets and “KR1:” labels removed; headings
    (“Objective: …”, “# Q3”) left out."""
    found = []
    for number, raw in enumerate(str(text or "").splitlines(), start=1):
        line = clean(raw)
        if line and not _HEADING.match(raw.strip().lstrip("-*• ")):
            found.append((number, line))
    return found


def read_lines(text: object, context: Context | None = None) -> list[Draft]:
    """One draft per line. Refuses an empty paste and one longer than MAX_LINES lines, with what to do."""
    found = lines(text)
    if not found:
        raise ValidationError("The paste is empty: put one key result per line (from last quarter's document or a "
                              "brainstorm), then read the lines.", "paste")
    if len(found) > MAX_LINES:
        raise ValidationError(f"The paste has {len(found)} lines; at most {MAX_LINES} are read at once. An objective "
                              "keeps 2 to 5 key results: paste the best candidates.", "paste")
    return [draft(number, line, context) for number, line in found]


def draft(number: int, line: str, context: Context | None = None) -> Draft:
    quarter = (context.quarter, context.starts_on, context.ends_on) if context else None
    reading = read_line(line, quarter)
    due = reading.due_on or (context.ends_on if context else None)  # what saving gives it
    return Draft(number, line, reading, check_kr({"title": line, "due_on": due, "achievable_confirmed": False},
                                                  context))
