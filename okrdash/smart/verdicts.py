"""The shapes of a SMART check: a verdict per letter, the check of one key result, the context it is judged in, and
the findings a letter collects before its verdict. Shared by the key-result letters (rules) and the objective check."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PASS, WARN, FAIL = "pass", "warn", "fail"
_SEVERITY = {PASS: 0, WARN: 1, FAIL: 2}
LETTERS = {"S": "Specific", "M": "Measurable", "A": "Achievable", "R": "Relevant", "T": "Time-bound"}
NUMERIC_KINDS = ("increase_to", "decrease_to", "stay_above", "stay_below", "increase_by", "decrease_by")
RELATIVE_KINDS = ("increase_by", "decrease_by")  # relative change: the target is the baseline ± change_pct %
KIND_LABELS = {
    "increase_to": "Increase to", "decrease_to": "Decrease to", "stay_above": "Stay above",
    "stay_below": "Stay below", "increase_by": "Increase by %", "decrease_by": "Decrease by %",
    "milestone": "Milestone",
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
    topics: dict[str, str] = field(default_factory=dict)  # reason -> what it is about ("metric"), when it matters

    def add(self, level: str, reason: str, fix: str = "", about: str = "") -> None:
        self.items.append((level, reason, fix))
        if about:
            self.topics[reason] = about

    def take(self, other: Findings, unless: str) -> None:
        """Add the other's findings that this one lacks, except those about `unless`."""
        for level, reason, fix in other.items:
            if other.topics.get(reason) != unless and all(reason != r for _, r, _ in self.items):
                self.add(level, reason, fix, other.topics.get(reason, ""))

    def verdict(self, passed: str) -> Verdict:
        name = LETTERS.get(self.letter, self.letter)
        if not self.items:
            return Verdict(self.letter, name, PASS, passed)
        ordered = sorted(self.items, key=lambda i: -_SEVERITY[i[0]])
        level, reason, fix = ordered[0]
        return Verdict(self.letter, name, level, reason, fix, tuple(r for _, r, _ in ordered[1:]))



# --- helpers -------------------------------------------------------------------------------------------------------


def field_text(kr: Mapping[str, Any], key: str) -> str:
    return " ".join(str(kr.get(key) or "").split())


def field_number(kr: Mapping[str, Any], key: str) -> float | None:
    value = kr.get(key)
    if value is None or isinstance(value, bool):
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def day(value: dt.date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"
