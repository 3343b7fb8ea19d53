"""Suggested duplicate groups among objective ideas, by fuzzy text matching (rapidfuzz). Pure: no SQL, no Streamlit.

Two ideas are compared on their title, plus the problem they solve when both state one (people who mean the same
thing word titles differently but describe the same pain). The score is the mean of rapidfuzz's token-set ratio
(word overlap, tolerant of extra words) and token-sort ratio (damps the "one title is a subset of the other" case
that makes token-set alone call "Payments" a 100% match of "Payments switched on at signup"), from 0 to 100.
Ideas whose score reaches the threshold are linked; each connected group of two or more is one suggestion.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, utils

DEFAULT_THRESHOLD = 70
MIN_THRESHOLD, MAX_THRESHOLD = 40, 100


@dataclass(frozen=True)
class Group:
    """A suggested set of duplicates: idea ids (oldest first), the lowest and highest pairwise score, a title."""

    idea_ids: tuple[int, ...]
    low: float
    high: float
    suggested_title: str


def _text(idea: dict[str, Any], with_problem: bool) -> str:
    title = str(idea.get("title") or "")
    return f"{title} {idea.get('problem') or ''}" if with_problem else title


def score(a: dict[str, Any], b: dict[str, Any]) -> float:
    """How alike two ideas read, 0–100 (see the module docstring)."""
    with_problem = bool(str(a.get("problem") or "").strip() and str(b.get("problem") or "").strip())
    x, y = _text(a, with_problem), _text(b, with_problem)
    return (fuzz.token_set_ratio(x, y, processor=utils.default_process)
            + fuzz.token_sort_ratio(x, y, processor=utils.default_process)) / 2


def clearest_title(ideas: Sequence[dict[str, Any]]) -> str:
    """The member title the others read most like (the medoid by title score); ties go to the shorter, then older."""
    if not ideas:
        return ""

    def closeness(idea: dict[str, Any]) -> float:
        return sum(fuzz.token_sort_ratio(idea["title"], other["title"], processor=utils.default_process)
                   for other in ideas if other is not idea)

    best = min(ideas, key=lambda i: (-closeness(i), len(i["title"]), i["id"]))
    return str(best["title"])


def groups(ideas: Sequence[dict[str, Any]], threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
    """Connected groups of ideas scoring at least `threshold` pairwise links; biggest and closest first.

    `ideas` are dicts with id, title and optionally problem. Deterministic for the same input in any order.
    """
    ordered = sorted(ideas, key=lambda i: i["id"])
    parent = {i["id"]: i["id"] for i in ordered}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    scores: dict[tuple[int, int], float] = {}
    for a, b in itertools.combinations(ordered, 2):
        s = score(a, b)
        scores[(a["id"], b["id"])] = s
        if s >= threshold:
            ra, rb = find(a["id"]), find(b["id"])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[int, list[dict[str, Any]]] = {}
    for idea in ordered:
        members.setdefault(find(idea["id"]), []).append(idea)
    found = []
    for group in members.values():
        if len(group) < 2:
            continue
        ids = tuple(i["id"] for i in group)
        linked = [s for (x, y), s in scores.items() if x in ids and y in ids and s >= threshold]
        found.append(Group(ids, min(linked), max(linked), clearest_title(group)))
    return sorted(found, key=lambda g: (-len(g.idea_ids), -g.low, g.idea_ids))
