"""Known-value tests of the ranking math: each method, the tie-break rule, agreement, merges and set-aside votes."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import ranking
from okrdash.errors import ValidationError

T0 = dt.datetime(2027, 1, 5, 9, 0)
A, B, C = 10, 20, 30


def ballot(ballot_id, voter, method, lines, minutes=0):
    return ranking.Ballot(ballot_id, voter, method, T0 + dt.timedelta(minutes=minutes), lines)


def test_dot_voting_sums_points_per_idea():
    ballots = [ballot(1, 1, "dot", {A: 5, B: 3}), ballot(2, 2, "dot", {A: 2, C: 5})]
    res = ranking.results(ballots, [A, B, C], ["dot"])
    assert res.methods["dot"].scores == {A: 7, B: 3, C: 5}
    assert res.order == [A, C, B]
    assert res.winner == A


def test_borda_gives_n_minus_rank_points():
    ballots = [ballot(1, 1, "borda", {A: 1, B: 2, C: 3}), ballot(2, 2, "borda", {B: 1, A: 2, C: 3})]
    assert ranking.results(ballots, [A, B, C], ["borda"]).methods["borda"].scores == {A: 3, B: 3, C: 0}


def test_ice_is_the_mean_of_impact_confidence_and_ease_averaged_over_raters():
    ballots = [ballot(1, 1, "ice", {A: (9, 6, 3), B: (1, 1, 1)}), ballot(2, 2, "ice", {A: (3, 3, 3), B: (10, 10, 10)})]
    scores = ranking.results(ballots, [A, B], ["ice"]).methods["ice"].scores
    assert scores == {A: pytest.approx(4.5), B: pytest.approx(5.5)}


def test_the_latest_ballot_counts_then_the_higher_id_on_a_time_tie():
    ballots = [ballot(1, 1, "dot", {A: 5}), ballot(2, 1, "dot", {B: 5}, minutes=5), ballot(3, 1, "dot", {C: 1},
                                                                                            minutes=5)]
    assert ranking.results(ballots, [A, B, C], ["dot"]).methods["dot"].scores == {A: 0, B: 0, C: 1}


def test_a_tie_breaks_on_the_other_methods_then_on_the_older_idea():
    ballots = [
        ballot(1, 1, "dot", {A: 5, B: 5}), ballot(2, 1, "borda", {B: 1, A: 2, C: 3}),
        ballot(3, 2, "dot", {C: 1}),
    ]
    res = ranking.results(ballots, [A, B, C], ["dot", "borda"])
    assert res.methods["dot"].scores[A] == res.methods["dot"].scores[B] == 5
    assert res.methods["dot"].order == [B, A, C]  # B ranks higher by Borda
    assert res.methods["dot"].ties == [[B, A]]
    only_dot = ranking.results([ballots[0]], [A, B, C], ["dot"])
    assert only_dot.methods["dot"].order == [A, B, C]  # no other method: the older idea (lower id) first


def test_agreement_reports_kendall_tau_and_the_top_pick():
    ballots = [ballot(1, 1, "dot", {A: 6, B: 3, C: 1}), ballot(2, 1, "borda", {A: 1, B: 2, C: 3})]
    pair = ranking.results(ballots, [A, B, C], ["dot", "borda"]).agreement[0]
    assert pair == {"a": "dot", "b": "borda", "tau": pytest.approx(1.0), "same_top": True}
    flipped = [ballot(1, 1, "dot", {A: 6, B: 3, C: 1}), ballot(2, 1, "borda", {C: 1, B: 2, A: 3})]
    pair = ranking.results(flipped, [A, B, C], ["dot", "borda"]).agreement[0]
    assert pair["tau"] == pytest.approx(-1.0) and not pair["same_top"]
    assert ranking.describe_tau(1.0) == "strong agreement"
    assert ranking.describe_tau(None).startswith("not measurable")


def test_votes_on_merged_ideas_count_for_the_merge_and_set_aside_ones_do_not():
    merged = 99
    ballots = [ballot(1, 1, "dot", {A: 4, B: 3, C: 3}), ballot(2, 1, "borda", {A: 1, C: 2, B: 3}),
               ballot(3, 1, "ice", {A: (10, 10, 10), B: (2, 2, 2), C: (5, 5, 5)})]
    res = ranking.results(ballots, [merged, C], ["dot", "borda", "ice"], {A: merged, B: merged})
    assert res.methods["dot"].scores == {merged: 7, C: 3}
    assert res.methods["borda"].scores == {merged: 1, C: 0}  # the merge takes the voter's best rank
    assert res.methods["ice"].scores[merged] == pytest.approx(6.0)  # parts averaged per rater
    aside = ranking.results(ballots, [C], ["dot"], {A: None, B: None})
    assert aside.methods["dot"].scores == {C: 3} and aside.set_aside == 2  # A and B in the dot ballot


@pytest.mark.parametrize(("points", "message"), [
    ({A: 6}, "most per idea is 5"),
    ({A: 5, B: 5, C: 1}, "spent 11 points but have 10"),
    ({A: -1, B: 2}, "cannot be negative"),
    ({A: 0}, "at least one point"),
    ({A: 1.5}, "whole number"),
    ({999: 1}, "not in this round"),
])
def test_bad_dot_ballots_are_refused_with_a_clear_message(points, message):
    with pytest.raises(ValidationError, match=message):
        ranking.check_dot(points, [A, B, C], 10, 5)


def test_bad_borda_and_ice_ballots_are_refused():
    with pytest.raises(ValidationError, match="1 of 3 still missing"):
        ranking.check_borda([A, B], [A, B, C])
    with pytest.raises(ValidationError, match="only once"):
        ranking.check_borda([A, A, B], [A, B, C])
    with pytest.raises(ValidationError, match="from 1 to 10"):
        ranking.check_ice({A: (11, 1, 1), B: (1, 1, 1)}, [A, B])
    with pytest.raises(ValidationError, match="Rate every idea"):
        ranking.check_ice({A: (5, 5, 5)}, [A, B])


def test_methods_and_settings_are_checked():
    assert ranking.parse_methods("borda,dot") == ["dot", "borda"]
    with pytest.raises(ValidationError, match="at least one"):
        ranking.parse_methods([])
    with pytest.raises(ValidationError, match="Unknown"):
        ranking.parse_methods("plurality")
    with pytest.raises(ValidationError, match="from 1 to the budget"):
        ranking.check_settings(5, 6)


def test_each_voter_sees_a_stable_shuffled_order():
    ideas = list(range(1, 21))
    first = ranking.ballot_order(ideas, 7, 1)
    assert sorted(first) == ideas
    assert ranking.ballot_order(list(reversed(ideas)), 7, 1) == first
    assert ranking.ballot_order(ideas, 7, 2) != first


def test_the_ranking_chart_puts_methods_side_by_side_with_labelled_scores():
    import pandas as pd

    from okrdash import charts

    frame = pd.DataFrame([
        {"idea": "Import", "method": "Dot voting", "score": 15.0, "share": 1.0, "place": 1, "overall": 1},
        {"idea": "Import", "method": "Ranked choice (Borda)", "score": 6.0, "share": 1.0, "place": 1, "overall": 1},
        {"idea": "Emails", "method": "Dot voting", "score": 5.0, "share": 1 / 3, "place": 2, "overall": 2},
        {"idea": "Emails", "method": "Ranked choice (Borda)", "score": 0.0, "share": 0.0, "place": 2, "overall": 2},
    ])
    spec = charts.ranking_scores(frame).to_dict()
    bars, labels = spec["layer"]
    assert bars["mark"]["type"] == "bar" and labels["mark"]["type"] == "text"
    assert bars["encoding"]["y"]["sort"] == ["Import", "Emails"]
    assert bars["encoding"]["yOffset"]["field"] == "method"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Dot voting", "Ranked choice (Borda)"]
    assert labels["encoding"]["text"]["field"] == "score"
