"""Ranking rounds in the database: who opens, votes and closes; blind totals; append-only ballots; merges."""

from __future__ import annotations

import datetime as dt
import threading
import types

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash import auth, db, home, ideas, people, rounds, teams
from okrdash.errors import Conflict, PermissionDenied, ValidationError

NOW = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def room(org):
    q = org.next_quarter
    ids = [ideas.create(org.growth, q, title, author_id=org.member.person_id)
           for title in ("Invoicing on day one", "Self-serve import", "Sample data in trials", "Better emails")]
    round_id = rounds.open_round(org.lead, org.growth, q, methods=["dot", "borda", "ice"], dot_budget=10,
                                 dot_max_per_idea=5, now=NOW)
    return {"q": q, "ids": ids, "round": round_id}


def vote(actor, room, dot, order, when=NOW):
    rounds.cast(actor, room["round"], "dot", dot, now=when)
    rounds.cast(actor, room["round"], "borda", order, now=when)


def test_only_the_lead_opens_a_round_and_one_at_a_time(org, room):
    for who in (org.member, org.outsider, org.manager):
        with pytest.raises(PermissionDenied, match="Only the lead of Growth may open ranking rounds"):
            rounds.open_round(who, org.growth, room["q"], methods=["dot"], now=NOW)
    with pytest.raises(Conflict, match="already open"):
        rounds.open_round(org.lead, org.growth, room["q"], methods=["dot"], now=NOW)
    rnd = rounds.get(room["round"])
    assert rnd["methods"] == ["dot", "borda", "ice"] and rnd["blind"] and rnd["is_open"]
    assert [c["id"] for c in rounds.candidates(org.member, room["round"])] == room["ids"]
    assert rnd["title"] == f"Which objective for {room['q']}?"


def test_a_round_needs_two_ideas_and_sane_settings(org):
    q = org.next_quarter
    only = ideas.create(org.growth, q, "Lonely idea")
    with pytest.raises(ValidationError, match="at least two ideas"):
        rounds.open_round(org.lead, org.growth, q, methods=["dot"], now=NOW)
    ideas.create(org.growth, q, "Second idea")
    with pytest.raises(ValidationError, match="at least one ranking method"):
        rounds.open_round(org.lead, org.growth, q, methods=[], now=NOW)
    with pytest.raises(ValidationError, match="from 1 to the budget"):
        rounds.open_round(org.lead, org.growth, q, methods=["dot"], dot_budget=3, dot_max_per_idea=4, now=NOW)
    other = ideas.create(org.core, q, "Core's idea")
    with pytest.raises(ValidationError, match="not standing ideas of this team"):
        rounds.open_round(org.lead, org.growth, q, methods=["dot"], idea_ids=[only, other], now=NOW)
    assert db.scalar("SELECT count(*) FROM ranking_rounds") == 0


def test_members_vote_and_the_latest_ballot_counts(org, room):
    a, b, c, d = room["ids"]
    vote(org.member, room, {a: 5, b: 5}, [a, b, c, d])
    vote(org.member, room, {c: 4}, [c, a, b, d], when=NOW + dt.timedelta(minutes=5))
    vote(org.lead, room, {a: 3}, [a, b, c, d])
    assert db.scalar("SELECT count(*) FROM ballots") == 6  # append-only: nothing was overwritten
    rounds.close_round(org.lead, room["round"], now=NOW + dt.timedelta(hours=1))
    res = rounds.results(org.member, room["round"])["results"]
    assert res.methods["dot"].scores == {a: 3, b: 0, c: 4, d: 0}
    assert rounds.my_ballots(org.member, room["round"])["dot"]["lines"] == {c: 4}


@pytest.mark.parametrize("who", ["outsider", "manager", "stranger"])
def test_people_outside_the_team_may_not_vote(org, room, who):
    with pytest.raises(PermissionDenied, match="Only members of Growth may vote"):
        rounds.cast(getattr(org, who), room["round"], "dot", {room["ids"][0]: 1}, now=NOW)


def test_totals_stay_hidden_until_the_lead_closes_a_blind_round(org, room):
    a, b, c, d = room["ids"]
    vote(org.member, room, {a: 5}, [a, b, c, d])
    for who in (org.lead, org.member, org.manager):
        with pytest.raises(PermissionDenied, match="Totals stay hidden"):
            rounds.results(who, room["round"])
    seen = rounds.participation(org.member2, room["round"])
    assert seen["voted"] == 1 and seen["eligible"] == 3 and seen["by_method"] == {"dot": 1, "borda": 1, "ice": 0}
    with pytest.raises(PermissionDenied, match="Only the lead of Growth may close"):
        rounds.close_round(org.member, room["round"], now=NOW)
    rounds.close_round(org.lead, room["round"], now=NOW + dt.timedelta(hours=1))
    assert rounds.results(org.member, room["round"])["results"].winner == a
    assert rounds.results(org.manager, room["round"])["results"].winner == a  # managers above read
    with pytest.raises(PermissionDenied):
        rounds.results(org.outsider, room["round"])
    with pytest.raises(Conflict, match="already closed"):
        rounds.close_round(org.lead, room["round"], now=NOW)


def test_voting_in_a_closed_round_is_refused_and_nothing_is_lost(org, room):
    a, b, c, d = room["ids"]
    vote(org.member, room, {a: 5}, [a, b, c, d])
    rounds.close_round(org.lead, room["round"], now=NOW + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match=r"closed on .* your ballot was not recorded"):
        rounds.cast(org.member, room["round"], "dot", {b: 5}, now=NOW + dt.timedelta(hours=2))
    assert db.scalar("SELECT count(*) FROM ballots") == 2
    assert rounds.results(org.member, room["round"])["results"].methods["dot"].scores[a] == 5


def test_an_over_budget_ballot_is_refused_and_the_previous_one_still_counts(org, room):
    a, b, c, _d = room["ids"]
    rounds.cast(org.member, room["round"], "dot", {a: 5, b: 5}, now=NOW)
    with pytest.raises(ValidationError, match="spent 12 points but have 10"):
        rounds.cast(org.member, room["round"], "dot", {a: 4, b: 4, c: 4}, now=NOW + dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="most per idea is 5"):
        rounds.cast(org.member, room["round"], "dot", {a: 6}, now=NOW + dt.timedelta(minutes=1))
    assert rounds.my_ballots(org.member, room["round"])["dot"]["lines"] == {a: 5, b: 5}


def test_ice_and_borda_ballots_are_checked(org, room):
    a, b, _c, _d = room["ids"]
    with pytest.raises(ValidationError, match="Rank every idea"):
        rounds.cast(org.member, room["round"], "borda", [a, b], now=NOW)
    rounds.cast(org.member, room["round"], "ice", dict.fromkeys(room["ids"], (8, 6, 4)), now=NOW)
    rounds.close_round(org.lead, room["round"], now=NOW + dt.timedelta(hours=1))
    res = rounds.results(org.lead, room["round"])["results"]
    assert res.methods["ice"].scores[a] == pytest.approx(6.0)


def test_votes_on_a_merged_idea_count_for_the_merge_and_undo_restores_the_results(org, room):
    a, b, c, d = room["ids"]
    vote(org.member, room, {a: 3, b: 4}, [a, b, c, d])
    vote(org.member2, room, {c: 5, d: 5}, [d, c, b, a])
    rounds.close_round(org.lead, room["round"], now=NOW + dt.timedelta(hours=1))
    before = rounds.results(org.lead, room["round"])["results"]
    assert before.winner in (c, d)
    merged = ideas.merge(org.lead, [a, b], "Invoicing and import", now=NOW)
    after = rounds.results(org.lead, room["round"])["results"]
    assert after.methods["dot"].scores[merged] == 7
    assert sum(after.methods["dot"].scores.values()) == sum(before.methods["dot"].scores.values())
    ideas.undo_merge(org.lead, ideas.merge_id_of(merged), now=NOW)
    assert rounds.results(org.lead, room["round"])["results"] == before


def test_votes_cast_on_a_merge_result_are_set_aside_when_the_merge_is_undone(org):
    q = org.next_quarter
    a, b, c = (ideas.create(org.growth, q, t) for t in ("Calendar sync", "Two-way calendar sync", "Dark mode"))
    merged = ideas.merge(org.lead, [a, b], "Calendar sync both ways", now=NOW)
    round_id = rounds.open_round(org.lead, org.growth, q, methods=["dot"], now=NOW)
    rounds.cast(org.member, round_id, "dot", {merged: 5, c: 1}, now=NOW)
    assert [r["id"] for r in rounds.rounds_listing(org.lead, merged)] == [round_id]
    ideas.undo_merge(org.lead, ideas.merge_id_of(merged), now=NOW)
    assert [x["id"] for x in rounds.candidates(org.member, round_id)] == [a, b, c]
    assert rounds.my_ballots(org.member, round_id)["dot"] == {"lines": {c: 1}, "cast_at": NOW, "set_aside": 1}
    rounds.close_round(org.lead, round_id, now=NOW + dt.timedelta(hours=1))
    res = rounds.results(org.lead, round_id)["results"]
    assert res.methods["dot"].scores == {a: 0, b: 0, c: 1} and res.set_aside == 1


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_merge_then_undo_restores_the_results(org, data):
    """Property: for random ballots and a random merge, undoing the merge gives back exactly the earlier results.
    Each example runs in a team of its own, so examples don't see each other's rounds."""
    q = org.next_quarter
    team = teams.create(f"Team {db.next_id('seq_teams')}")
    lead_id, *member_ids = (people.create(f"Person {n} {team}", f"p{n}.{team}@example.com") for n in range(3))
    teams.join(team, lead_id, "lead")
    for person in member_ids:
        teams.join(team, person)
    lead, *voters = (auth.load(p) for p in (lead_id, *member_ids))
    ids = [ideas.create(team, q, f"Idea {n}") for n in range(5)]
    round_id = rounds.open_round(lead, team, q, methods=["dot", "borda"], dot_budget=6, dot_max_per_idea=3, now=NOW)
    for n, voter in enumerate((lead, *voters)):
        points = data.draw(st.dictionaries(st.sampled_from(ids), st.integers(1, 3), min_size=1, max_size=2))
        vote(voter, {"round": round_id}, points, data.draw(st.permutations(ids)), when=NOW + dt.timedelta(minutes=n))
    rounds.close_round(lead, round_id, now=NOW + dt.timedelta(hours=1))
    before = rounds.results(lead, round_id)["results"]
    members = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=4, unique=True))
    merged = ideas.merge(lead, members, "Merged", now=NOW)
    during = rounds.results(lead, round_id)["results"]
    assert sum(during.methods["dot"].scores.values()) == sum(before.methods["dot"].scores.values())
    assert during.methods["dot"].scores[merged] == sum(before.methods["dot"].scores[m] for m in members)
    ideas.undo_merge(lead, ideas.merge_id_of(merged), now=NOW)
    assert rounds.results(lead, round_id)["results"] == before


def test_discard_only_without_ballots(org, room):
    rounds.cast(org.member, room["round"], "dot", {room["ids"][0]: 1}, now=NOW)
    with pytest.raises(ValidationError, match="cannot be discarded"):
        rounds.discard_round(org.lead, room["round"])
    db.execute("DELETE FROM ballot_lines")
    db.execute("DELETE FROM ballots")
    rounds.discard_round(org.lead, room["round"])
    assert rounds.rounds_of(org.lead, org.growth, room["q"]) == []


def test_home_lists_rounds_to_vote_in_until_the_member_has_voted(org, room):
    a, b, c, d = room["ids"]
    owed = [i for i in home.owed_by(org.member) if i["page"] == "pages/workshop_rank.py"]
    assert len(owed) == 1 and owed[0]["query_params"] == {"team": "Growth", "quarter": room["q"]}
    vote(org.member, room, {a: 1}, [a, b, c, d])
    owed = [i for i in home.owed_by(org.member) if i["page"] == "pages/workshop_rank.py"]
    assert "You have voted with 2 of 3 methods." in owed[0]["detail"]
    rounds.cast(org.member, room["round"], "ice", dict.fromkeys(room["ids"], (5, 5, 5)), now=NOW)
    assert not [i for i in home.owed_by(org.member) if i["page"] == "pages/workshop_rank.py"]
    assert not rounds.votes_owed(org.outsider)


def test_ideas_worded_alike_stay_apart_in_results(org):
    q = org.next_quarter
    a, b = (ideas.create(org.growth, q, "Calendar sync") for _ in range(2))
    round_id = rounds.open_round(org.lead, org.growth, q, methods=["dot"], blind=False, now=NOW)
    rounds.cast(org.member, round_id, "dot", {a: 2, b: 3}, now=NOW)
    table = rounds.results_table(org.member, round_id)  # open totals: readable while voting
    assert sorted(table["Idea"]) == ["Calendar sync", "Calendar sync (2)"]
    assert set(rounds.scores_by_method(org.member, round_id)["idea"]) == {"Calendar sync", "Calendar sync (2)"}


def test_voters_who_left_the_team_are_counted_apart_from_members(org, room):
    a, b, c, d = room["ids"]
    vote(org.member, room, {a: 5}, [a, b, c, d])
    vote(org.member2, room, {b: 5}, [b, a, c, d])
    db.execute("DELETE FROM memberships WHERE person_id = ?", [org.member2.person_id])
    db.execute("UPDATE people SET active = false WHERE id = ?", [org.member.person_id])
    seen = rounds.participation(org.lead, room["round"])
    assert (seen["voted"], seen["eligible"], seen["former"]) == (0, 1, 2)  # never more voters than members
    assert seen["by_method"]["dot"] == 2  # their ballots still count


def test_a_ballot_confirmed_while_the_lead_closes_the_round_counts(org, room, monkeypatch):
    """The voter's ballot is being written when the lead closes the round: if the voter is told it is in, it counts."""
    a = room["ids"][0]
    writing, go_on = threading.Event(), threading.Event()

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            if threading.current_thread().name == "voter":  # the ballot's time is taken while it is written
                writing.set()
                go_on.wait(timeout=5)
            return dt.datetime.now(tz)

    monkeypatch.setattr(rounds, "dt", types.SimpleNamespace(datetime=Clock))
    cast: dict = {}
    voter = threading.Thread(name="voter", target=lambda: cast.setdefault(
        "id", rounds.cast(org.member, room["round"], "dot", {a: 5})))
    voter.start()
    assert writing.wait(timeout=5)
    lead = threading.Thread(name="lead", target=lambda: rounds.close_round(org.lead, room["round"]))
    lead.start()
    lead.join(timeout=0.5)  # the lead clicks Close while the ballot is still being written
    go_on.set()
    voter.join(timeout=5)
    lead.join(timeout=5)
    assert cast["id"] and rounds.get(room["round"])["closed_at"] is not None
    assert rounds.results(org.lead, room["round"])["results"].methods["dot"].scores[a] == 5
