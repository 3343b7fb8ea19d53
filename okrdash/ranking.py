"""The ranking math of a workshop round: ballot rules, dot voting, Borda count, ICE, agreement and tie-breaks.

Pure functions over plain values (no SQL, no Streamlit), so hypothesis can test them. `okrdash.rounds` reads the
ballots from the database and hands them here.

Rules, as shown to people on the Rank step:
- Dot voting: each voter spends at most `budget` points, at most `max_per_idea` on one idea; an idea's score is the
  sum of its points.
- Ranked choice (Borda count): each voter ranks every idea; with k ideas ranked, the first gets k−1 points, the
  next k−2, …, the last 0. The total over all ideas is voters × k(k−1)/2.
- ICE: each rater gives impact, confidence and ease from 1 to 10; an idea's ICE score is the mean of the three,
  averaged over the raters who rated it (1–10).
- The latest ballot of each voter per method counts (latest cast time, then highest ballot id).
- Merged ideas: a vote on an idea counts for the idea it was merged into. Dot points add up (merging keeps every
  point); in a Borda ballot the merged idea takes the voter's best rank among its parts and the ballot is re-ranked
  over the ideas now standing; ICE ratings of the parts are averaged per rater. A vote on an idea that no longer
  stands (a merge that was undone, an idea removed) is set aside: kept, shown, not counted.
- Tie-break, per method: higher score; then higher mean normalised score in the round's other methods; then the
  older idea (lower id). Normalised score = score ÷ the method's top score.
- Overall order: higher mean normalised score over the round's methods; then more methods ranking it first; then
  the older idea.
- Agreement between two methods: Kendall's tau-b between their scores over the standing ideas (1 = same order,
  0 = unrelated, −1 = reversed), and whether they put the same idea first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from okrdash.errors import ValidationError

METHODS: dict[str, str] = {"dot": "Dot voting", "borda": "Ranked choice (Borda)", "ice": "ICE score"}
SHORT: dict[str, str] = {"dot": "Dot", "borda": "Borda", "ice": "ICE"}
ICE_PARTS = ("impact", "confidence", "ease")
ICE_MIN, ICE_MAX = 1, 10
BUDGET_MAX = 100


@dataclass(frozen=True)
class Ballot:
    """One cast ballot. `lines` maps idea id to points (dot), rank 1..k (borda) or (impact, confidence, ease) (ice)."""

    ballot_id: int
    voter_id: int
    method: str
    cast_at: dt.datetime
    lines: Mapping[int, Any] = field(hash=False)


@dataclass(frozen=True)
class MethodResult:
    method: str
    scores: dict[int, float | None]  # standing idea id -> score (None: nobody rated it, ICE only)
    order: list[int]  # standing ideas, best first, ties broken by the documented rule
    voters: int
    ties: list[list[int]]  # groups of ideas with equal scores that the tie-break ordered


@dataclass(frozen=True)
class Results:
    methods: dict[str, MethodResult]
    order: list[int]  # overall, best first
    combined: dict[int, float]  # mean normalised score over methods, 0–1
    agreement: list[dict[str, Any]]  # per pair of methods: a, b, tau, same_top
    set_aside: int  # ballot lines on ideas that no longer stand

    @property
    def winner(self) -> int | None:
        return self.order[0] if self.order else None


# --- Ballot rules -------------------------------------------------------------------------------------------------


def parse_methods(methods: str | Iterable[str]) -> list[str]:
    """Methods in canonical order from 'dot,borda' or a list; refuses unknown or none."""
    items = [m.strip() for m in (methods.split(",") if isinstance(methods, str) else methods) if m and m.strip()]
    unknown = [m for m in items if m not in METHODS]
    if unknown:
        raise ValidationError(f"Unknown ranking method {unknown[0]!r}; choose from {', '.join(METHODS.values())}.",
                              "methods")
    if not items:
        raise ValidationError("Choose at least one ranking method.", "methods")
    return [m for m in METHODS if m in items]


def check_settings(budget: int, max_per_idea: int) -> None:
    if not 1 <= budget <= BUDGET_MAX:
        raise ValidationError(f"The points budget must be from 1 to {BUDGET_MAX}.", "dot_budget")
    if not 1 <= max_per_idea <= budget:
        raise ValidationError("The most points per idea must be from 1 to the budget.", "dot_max_per_idea")


def _whole(value: Any, label: str) -> int:
    if isinstance(value, bool) or value is None:
        raise ValidationError(f"{label} must be a whole number.")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(f"{label} must be a whole number.")
        value = int(value)
    if not isinstance(value, int):
        raise ValidationError(f"{label} must be a whole number.")
    return value


def _unknown(ids: Iterable[int], candidates: Sequence[int]) -> None:
    stray = [i for i in ids if i not in set(candidates)]
    if stray:
        raise ValidationError("Your ballot names an idea that is not in this round any more (it may have been merged "
                              "or removed). Reload the page and vote again.")


def check_dot(points: Mapping[int, Any], candidates: Sequence[int], budget: int, max_per_idea: int) -> dict[int, int]:
    """A valid dot ballot (ideas with zero points dropped), or ValidationError saying what to change."""
    _unknown(points, candidates)
    clean = {idea: _whole(value, "Points") for idea, value in points.items()}
    if any(v < 0 for v in clean.values()):
        raise ValidationError("Points cannot be negative.")
    over = [v for v in clean.values() if v > max_per_idea]
    if over:
        raise ValidationError(f"You gave {max(over)} points to one idea; the most per idea is {max_per_idea}. "
                              "Spread your points and vote again.")
    total = sum(clean.values())
    if total > budget:
        raise ValidationError(f"You spent {total} points but have {budget}. Take {total - budget} off and vote again.")
    if total == 0:
        raise ValidationError("Give at least one point to an idea before voting.")
    return {idea: v for idea, v in sorted(clean.items()) if v}


def check_borda(order: Sequence[int], candidates: Sequence[int]) -> list[int]:
    """A valid ranked ballot: every idea of the round exactly once, best first."""
    _unknown(order, candidates)
    if len(set(order)) != len(order):
        raise ValidationError("Each idea can appear only once in your ranking.")
    missing = len(set(candidates) - set(order))
    if missing:
        raise ValidationError(f"Rank every idea: {missing} of {len(candidates)} still missing from your ranking.")
    return list(order)


def check_ice(scores: Mapping[int, Sequence[Any]], candidates: Sequence[int]) -> dict[int, tuple[int, int, int]]:
    """A valid ICE ballot: impact, confidence and ease from 1 to 10 for every idea of the round."""
    _unknown(scores, candidates)
    missing = len(set(candidates) - set(scores))
    if missing:
        raise ValidationError(f"Rate every idea: {missing} of {len(candidates)} still unrated.")
    clean: dict[int, tuple[int, int, int]] = {}
    for idea, values in sorted(scores.items()):
        if len(values) != 3:
            raise ValidationError("Give impact, confidence and ease for each idea.")
        parts = tuple(_whole(v, "Each ICE rating") for v in values)
        if not all(ICE_MIN <= v <= ICE_MAX for v in parts):
            raise ValidationError(f"Impact, confidence and ease go from {ICE_MIN} to {ICE_MAX}.")
        clean[idea] = parts  # type: ignore[assignment]
    return clean


def ballot_order(idea_ids: Iterable[int], round_id: int, voter_id: int) -> list[int]:
    """The order a voter sees the ideas in: shuffled per voter and round (stable across visits), so the idea
    listed first gets no head start from position."""
    def key(idea: int) -> str:
        return hashlib.sha256(f"{round_id}:{voter_id}:{idea}".encode()).hexdigest()

    return sorted(idea_ids, key=key)


# --- Counting -----------------------------------------------------------------------------------------------------


def latest(ballots: Iterable[Ballot]) -> list[Ballot]:
    """The ballot that counts per (voter, method): latest cast time, then highest id; in voter, method order."""
    best: dict[tuple[int, str], Ballot] = {}
    for ballot in ballots:
        key = (ballot.voter_id, ballot.method)
        held = best.get(key)
        if held is None or (ballot.cast_at, ballot.ballot_id) > (held.cast_at, held.ballot_id):
            best[key] = ballot
    return [best[key] for key in sorted(best)]


def resolve(ballot: Ballot, root_of: Mapping[int, int | None]) -> tuple[Ballot, int]:
    """The ballot re-expressed over standing ideas (see the module rules), and how many lines were set aside."""
    def root(idea: int) -> int | None:
        return root_of.get(idea, idea)

    aside = sum(1 for idea in ballot.lines if root(idea) is None)
    if ballot.method == "dot":
        points: dict[int, int] = {}
        for idea, given in sorted(ballot.lines.items()):
            target = root(idea)
            if target is not None:
                points[target] = points.get(target, 0) + int(given)
        lines: dict[int, Any] = points
    elif ballot.method == "borda":
        ranked: list[int] = []
        for idea, _ in sorted(ballot.lines.items(), key=lambda item: (item[1], item[0])):
            target = root(idea)
            if target is not None and target not in ranked:
                ranked.append(target)
        lines = {idea: position for position, idea in enumerate(ranked, start=1)}
    else:
        parts: dict[int, list[Sequence[float]]] = {}
        for idea, values in sorted(ballot.lines.items()):
            target = root(idea)
            if target is not None:
                parts.setdefault(target, []).append(values)
        lines = {idea: tuple(sum(v[i] for v in vs) / len(vs) for i in range(3)) for idea, vs in parts.items()}
    return Ballot(ballot.ballot_id, ballot.voter_id, ballot.method, ballot.cast_at, lines), aside


def dot_totals(ballots: Iterable[Ballot], candidates: Sequence[int]) -> dict[int, float]:
    totals = dict.fromkeys(candidates, 0.0)
    for ballot in ballots:
        for idea, given in ballot.lines.items():
            if idea in totals:
                totals[idea] += given
    return totals


def borda_points(ranking: Sequence[int]) -> dict[int, int]:
    """Points of one ranked ballot: with k ideas, the first gets k−1 … the last 0."""
    k = len(ranking)
    return {idea: k - position for position, idea in enumerate(ranking, start=1)}


def borda_totals(ballots: Iterable[Ballot], candidates: Sequence[int]) -> dict[int, float]:
    totals = dict.fromkeys(candidates, 0.0)
    standing = set(candidates)
    for ballot in ballots:
        ranking = [i for i, _ in sorted(ballot.lines.items(), key=lambda item: (item[1], item[0])) if i in standing]
        for idea, points in borda_points(ranking).items():
            totals[idea] += points
    return totals


def ice_parts(ballots: Iterable[Ballot], candidates: Sequence[int]) -> dict[int, tuple[float, float, float] | None]:
    """Per idea, impact, confidence and ease averaged over the raters who rated it (None when nobody did)."""
    sums: dict[int, list[float]] = {}
    raters: dict[int, int] = {}
    standing = set(candidates)
    for ballot in ballots:
        for idea, values in ballot.lines.items():
            if idea in standing:
                acc = sums.setdefault(idea, [0.0, 0.0, 0.0])
                for i in range(3):
                    acc[i] += values[i]
                raters[idea] = raters.get(idea, 0) + 1
    return {idea: (tuple(v / raters[idea] for v in sums[idea]) if idea in sums else None)  # type: ignore[misc]
            for idea in candidates}


def ice_scores(ballots: Iterable[Ballot], candidates: Sequence[int]) -> dict[int, float | None]:
    """Per idea, the mean of impact, confidence and ease, averaged over raters (1–10; None when unrated)."""
    return {idea: (None if parts is None else sum(parts) / 3) for idea, parts in ice_parts(ballots, candidates).items()}


TOTALS = {"dot": dot_totals, "borda": borda_totals, "ice": ice_scores}


# --- Orders, agreement ------------------------------------------------------------------------------------------


def normalised(scores: Mapping[int, float | None]) -> dict[int, float]:
    """Each score ÷ the top score (0 when unrated or when nobody scored anything)."""
    top = max((s for s in scores.values() if s is not None), default=0.0)
    return {idea: (s / top if s is not None and top > 0 else 0.0) for idea, s in scores.items()}


def _rounded(value: float | None) -> float:
    return -math.inf if value is None else round(value, 9)


def _sign(x: float | None, y: float | None) -> int:
    a, b = _rounded(x), _rounded(y)
    return (a > b) - (a < b)


def kendall_tau(a: Mapping[int, float | None], b: Mapping[int, float | None]) -> float | None:
    """Kendall's tau-b between two score maps over their common ideas; None when either has no variation."""
    ideas = sorted(set(a) & set(b))
    concordant = discordant = ties_a = ties_b = 0
    for index, x in enumerate(ideas):
        for y in ideas[index + 1:]:
            da, db = _sign(a[x], a[y]), _sign(b[x], b[y])
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif da == db:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_a) * (concordant + discordant + ties_b))
    if denominator == 0:
        return None
    return (concordant - discordant) / denominator


def _order(scores: Mapping[int, float | None], tiebreak: Mapping[int, float]) -> tuple[list[int], list[list[int]]]:
    order = sorted(scores, key=lambda i: (-_rounded(scores[i]), -round(tiebreak.get(i, 0.0), 9), i))
    ties: dict[float, list[int]] = {}
    for idea in order:
        ties.setdefault(_rounded(scores[idea]), []).append(idea)
    return order, [group for group in ties.values() if len(group) > 1]


def results(ballots: Iterable[Ballot], candidates: Sequence[int], methods: Sequence[str],
            root_of: Mapping[int, int | None] | None = None) -> Results:
    """Everything the results view shows, for the ballots that count, over the standing `candidates`."""
    root_of = root_of or {}
    counted: dict[str, list[Ballot]] = {m: [] for m in methods}
    set_aside = 0
    for ballot in latest(ballots):
        if ballot.method not in counted:
            continue
        resolved, aside = resolve(ballot, root_of)
        set_aside += aside
        counted[ballot.method].append(resolved)
    scores = {m: TOTALS[m](counted[m], candidates) for m in methods}
    norms = {m: normalised(scores[m]) for m in methods}
    per_method = {}
    for m in methods:
        others = [o for o in methods if o != m]
        tiebreak = {i: (sum(norms[o][i] for o in others) / len(others) if others else 0.0) for i in candidates}
        order, ties = _order(scores[m], tiebreak)
        per_method[m] = MethodResult(m, scores[m], order, len(counted[m]), ties)
    combined = {i: (sum(norms[m][i] for m in methods) / len(methods) if methods else 0.0) for i in candidates}
    firsts = {i: sum(1 for m in methods if per_method[m].order[:1] == [i]) for i in candidates}
    order = sorted(candidates, key=lambda i: (-round(combined[i], 9), -firsts[i], i))
    agreement = []
    for index, a in enumerate(methods):
        for b in methods[index + 1:]:
            agreement.append({"a": a, "b": b, "tau": kendall_tau(scores[a], scores[b]),
                              "same_top": per_method[a].order[:1] == per_method[b].order[:1]})
    return Results(per_method, order, combined, agreement, set_aside)


def describe_tau(tau: float | None) -> str:
    """Plain words for a Kendall tau."""
    if tau is None:
        return "not measurable (no differences in scores yet)"
    if tau >= 0.7:
        return "strong agreement"
    if tau >= 0.4:
        return "moderate agreement"
    if tau > -0.1:
        return "little agreement"
    return "they disagree"
