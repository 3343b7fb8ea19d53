"""Property tests of the ranking math (okrdash.ranking): ballot rules, Borda totals, determinism, merges."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrdash import ranking
from okrdash.errors import ValidationError

T0 = dt.datetime(2027, 1, 5, 9, 0)
IDEAS = st.lists(st.integers(1, 60), min_size=2, max_size=7, unique=True)


@st.composite
def dot_case(draw):
    ideas = draw(IDEAS)
    budget = draw(st.integers(1, 20))
    most = draw(st.integers(1, budget))
    chosen = draw(st.lists(st.sampled_from(ideas), unique=True))
    points = {i: draw(st.integers(-2, budget + 3)) for i in chosen}
    return ideas, budget, most, points


@given(dot_case())
def test_a_dot_ballot_never_exceeds_its_budget_or_the_most_per_idea(case):
    ideas, budget, most, points = case
    valid = all(v >= 0 for v in points.values()) and all(v <= most for v in points.values()) \
        and 0 < sum(points.values()) <= budget
    try:
        clean = ranking.check_dot(points, ideas, budget, most)
    except ValidationError as error:
        assert not valid, error.message
        assert error.message.endswith(".")  # a sentence for a person
        return
    assert valid
    assert sum(clean.values()) <= budget
    assert all(0 < v <= most for v in clean.values())
    assert {i: v for i, v in points.items() if v} == clean


@given(IDEAS, st.integers(1, 10), st.data())
def test_dot_ballots_naming_an_idea_outside_the_round_are_refused(ideas, budget, data):
    stray = max(ideas) + data.draw(st.integers(1, 5))
    with pytest.raises(ValidationError, match="not in this round"):
        ranking.check_dot({stray: 1}, ideas, budget, budget)


@st.composite
def borda_ballots(draw, ideas=None):
    ideas = ideas or draw(IDEAS)
    voters = draw(st.integers(1, 8))
    ballots = []
    for voter in range(1, voters + 1):
        order = draw(st.permutations(ideas))
        ballots.append(ranking.Ballot(voter, voter, "borda", T0, {i: n for n, i in enumerate(order, start=1)}))
    return ideas, ballots


@given(borda_ballots())
def test_borda_totals_equal_voters_times_n_n_minus_1_over_2(case):
    ideas, ballots = case
    totals = ranking.borda_totals(ballots, ideas)
    n = len(ideas)
    assert sum(totals.values()) == len(ballots) * n * (n - 1) / 2
    assert all(0 <= t <= len(ballots) * (n - 1) for t in totals.values())


@given(IDEAS, st.data())
def test_a_borda_ballot_must_rank_every_idea_exactly_once(ideas, data):
    order = data.draw(st.lists(st.sampled_from(ideas), max_size=len(ideas) + 2))
    complete = sorted(order) == sorted(ideas)
    try:
        assert ranking.check_borda(order, ideas) == order
        assert complete
    except ValidationError:
        assert not complete


@st.composite
def mixed_ballots(draw):
    """Ballots of every method, several per voter, cast at colliding times (the tie on time is broken by id)."""
    ideas = draw(IDEAS)
    count = draw(st.integers(0, 14))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    ballots = []
    for ballot_id in ids:
        voter = draw(st.integers(1, 4))
        method = draw(st.sampled_from(list(ranking.METHODS)))
        cast = T0 + dt.timedelta(minutes=draw(st.integers(0, 3)))
        if method == "dot":
            lines = {i: draw(st.integers(1, 3)) for i in draw(st.lists(st.sampled_from(ideas), min_size=1,
                                                                       unique=True))}
        elif method == "borda":
            lines = {i: n for n, i in enumerate(draw(st.permutations(ideas)), start=1)}
        else:
            lines = {i: tuple(draw(st.integers(1, 10)) for _ in range(3)) for i in ideas}
        ballots.append(ranking.Ballot(ballot_id, voter, method, cast, lines))
    methods = draw(st.lists(st.sampled_from(list(ranking.METHODS)), min_size=1, unique=True))
    return ideas, ballots, [m for m in ranking.METHODS if m in methods]


@settings(max_examples=150)
@given(mixed_ballots(), st.randoms(use_true_random=False))
def test_results_are_the_same_for_the_same_ballots_in_any_order(case, rnd: random.Random):
    ideas, ballots, methods = case
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    candidates = list(ideas)
    rnd.shuffle(candidates)
    first = ranking.results(ballots, sorted(ideas), methods)
    again = ranking.results(shuffled, candidates, methods)
    assert again.order == first.order
    assert again.combined == first.combined
    for m in methods:
        assert again.methods[m].scores == first.methods[m].scores
        assert again.methods[m].order == first.methods[m].order
    assert again.agreement == first.agreement


@given(mixed_ballots())
def test_only_the_latest_ballot_of_a_voter_per_method_counts(case):
    _ideas, ballots, _methods = case
    counted = ranking.latest(ballots)
    assert len({(b.voter_id, b.method) for b in counted}) == len(counted)
    for b in counted:
        rivals = [o for o in ballots if (o.voter_id, o.method) == (b.voter_id, b.method)]
        assert (b.cast_at, b.ballot_id) == max((o.cast_at, o.ballot_id) for o in rivals)


@st.composite
def merge_case(draw):
    """Dot and Borda ballots over some ideas, and a merge of two or more of them into a new idea."""
    ideas = draw(st.lists(st.integers(1, 60), min_size=3, max_size=7, unique=True))
    members = draw(st.lists(st.sampled_from(ideas), min_size=2, max_size=len(ideas) - 1, unique=True))
    result = 1000
    ballots = []
    for voter in range(1, draw(st.integers(1, 6)) + 1):
        spent = draw(st.lists(st.sampled_from(ideas), min_size=1, unique=True))
        ballots.append(ranking.Ballot(voter, voter, "dot", T0, {i: draw(st.integers(1, 5)) for i in spent}))
        order = draw(st.permutations(ideas))
        ballots.append(ranking.Ballot(100 + voter, voter, "borda", T0, {i: n for n, i in enumerate(order, 1)}))
    root_of = {i: (result if i in members else i) for i in ideas}
    after = sorted({root_of[i] for i in ideas})
    return ideas, ballots, members, result, root_of, after


@given(merge_case())
def test_merging_ideas_preserves_the_total_points(case):
    ideas, ballots, members, result, root_of, after = case
    before = ranking.results(ballots, ideas, ["dot", "borda"])
    merged = ranking.results(ballots, after, ["dot", "borda"], root_of)
    dot_before, dot_after = before.methods["dot"].scores, merged.methods["dot"].scores
    assert sum(dot_after.values()) == sum(dot_before.values())
    assert dot_after[result] == sum(dot_before[m] for m in members)
    for idea in set(ideas) - set(members):
        assert dot_after[idea] == dot_before[idea]
    # Borda re-ranks each ballot over the ideas now standing: its invariant holds for the new count.
    n = len(after)
    assert sum(merged.methods["borda"].scores.values()) == (len(ballots) // 2) * n * (n - 1) / 2


@given(merge_case())
def test_unmerging_restores_the_previous_results(case):
    ideas, ballots, _members, result, root_of, after = case
    before = ranking.results(ballots, ideas, ["dot", "borda"])
    ranking.results(ballots, after, ["dot", "borda"], root_of)  # merged view: must not alter the ballots
    undone = ranking.results(ballots, ideas, ["dot", "borda"], {i: i for i in ideas} | {result: None})
    assert undone == before


@given(mixed_ballots())
def test_ice_scores_stay_within_one_to_ten_and_kendall_tau_within_minus_one_to_one(case):
    ideas, ballots, methods = case
    for score in ranking.ice_scores(ranking.latest(b for b in ballots if b.method == "ice"), ideas).values():
        assert score is None or 1 <= score <= 10
    res = ranking.results(ballots, ideas, methods)
    for pair in res.agreement:
        assert pair["tau"] is None or -1 - 1e-9 <= pair["tau"] <= 1 + 1e-9


@given(st.dictionaries(st.integers(1, 50), st.integers(0, 100).map(lambda n: n / 4), min_size=2))
def test_kendall_tau_of_an_order_with_itself_is_one_and_with_its_reverse_minus_one(scores):
    if len(set(scores.values())) < 2:
        assert ranking.kendall_tau(scores, scores) is None
        return
    assert ranking.kendall_tau(scores, scores) == pytest.approx(1.0)
    assert ranking.kendall_tau(scores, {i: -s for i, s in scores.items()}) == pytest.approx(-1.0)
