"""The idea wall and the big screen: ideas added live flow into consolidation, the lead pins and groups them, and
what the room sees keeps the workshop's rules (no anonymous author, no blind totals before the round closes)."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import ideas, rounds
from okrdash.errors import PermissionDenied, ValidationError
from okrdash.live import room, screen, timebox, wall
from tests.survey_fixtures import open_growth_survey

NOW = dt.datetime(2026, 11, 20, 10, 0)


def titles(items):
    return [i["title"] for i in items]


def test_an_idea_added_on_the_wall_is_named_and_flows_into_consolidation(org):
    q = org.next_quarter
    idea_id = wall.add(org.member, org.growth, q, title="Self-serve import", problem="Typing by hand", now=NOW)
    found = {i["id"]: i for i in ideas.objective_ideas(org.lead, org.growth, q)}[idea_id]
    assert (found["source"], found["authors"], found["anonymous_count"]) == ("workshop", ["Mia Member"], 0)
    assert wall.byline(found) == "by Mia Member"
    with pytest.raises(PermissionDenied):
        wall.add(org.outsider, org.growth, q, title="Not my team", now=NOW)


def test_in_a_team_whose_survey_is_anonymous_wall_ideas_carry_no_name_for_anyone(org):
    q = org.next_quarter
    open_growth_survey(org, anonymous=True)
    idea_id = wall.add(org.member, org.growth, q, title="Quiet idea", now=NOW)
    for reader in (org.lead, org.member2, org.manager):
        found = {i["id"]: i for i in ideas.objective_ideas(reader, org.growth, q)}[idea_id]
        assert found["author_id"] is None and found["authors"] == [] and found["anonymous_count"] == 1
        assert wall.byline(found) == "by 1 anonymous"
    shown = screen.view(org.member2, org.growth, q)
    assert "Mia Member" not in repr(shown)


def test_the_lead_pins_and_groups_ideas_and_merges_a_group_into_one(org):
    q = org.next_quarter
    a = wall.add(org.member, org.growth, q, title="Invoice on day one", now=NOW)
    b = wall.add(org.member2, org.growth, q, title="First invoice in a week", now=NOW)
    c = wall.add(org.lead, org.growth, q, title="Dark mode", now=NOW)
    d = wall.add(org.member, org.growth, q, title="Self-serve import", now=NOW)
    wall.pin(org.lead, c, now=NOW)
    assert wall.group(org.lead, [a, b], "  First invoice  ", now=NOW) == "First invoice"
    board = wall.board(org.member, org.growth, q)
    assert titles(board["pinned"]) == ["Dark mode"]
    assert [(g["name"], titles(g["ideas"])) for g in board["groups"]] == \
        [("First invoice", ["Invoice on day one", "First invoice in a week"])]
    assert titles(board["loose"]) == ["Self-serve import"] and board["count"] == 4
    wall.group(org.lead, [d], "Later", now=NOW)
    wall.group(org.lead, [d], "", now=NOW)  # blank: in no group
    merged = wall.merge_group(org.lead, org.growth, q, "First invoice", now=NOW)
    after = wall.board(org.member, org.growth, q)
    assert after["groups"] == [] and merged in {i["id"] for i in after["loose"]}
    merged_idea = next(i for i in after["loose"] if i["id"] == merged)
    assert merged_idea["title"] == "First invoice" and set(merged_idea["authors"]) == {"Mia Member", "Max Member"}
    wall.pin(org.lead, c, False, now=NOW)
    assert wall.board(org.member, org.growth, q)["pinned"] == []


def test_members_may_not_pin_or_group_and_groups_need_two_ideas(org):
    q = org.next_quarter
    a = wall.add(org.member, org.growth, q, title="Invoice on day one", now=NOW)
    with pytest.raises(PermissionDenied):
        wall.pin(org.member, a, now=NOW)
    with pytest.raises(PermissionDenied):
        wall.group(org.member, [a], "Mine", now=NOW)
    with pytest.raises(ValidationError, match="Pick the ideas"):
        wall.group(org.lead, [], "Empty", now=NOW)
    wall.group(org.lead, [a], "Alone", now=NOW)
    with pytest.raises(ValidationError, match="needs at least two"):
        wall.merge_group(org.lead, org.growth, q, "Alone", now=NOW)
    with pytest.raises(ValidationError, match="limit is 60"):
        wall.group(org.lead, [a], "x" * 61, now=NOW)
    ideas.remove(org.lead, a, now=NOW)
    with pytest.raises(Exception, match="no longer on the wall"):
        wall.pin(org.lead, a, now=NOW)


def test_the_big_screen_counts_votes_of_a_blind_round_and_shows_totals_only_once_it_closed(org):
    q = org.next_quarter
    a = wall.add(org.member, org.growth, q, title="Invoice on day one", now=NOW)
    b = wall.add(org.member2, org.growth, q, title="Dark mode", now=NOW)
    round_id = rounds.open_round(org.lead, org.growth, q, methods=["dot"], now=NOW)
    rounds.cast(org.member, round_id, "dot", {a: 4, b: 1}, now=NOW)
    room.present(org.lead, org.growth, q, "rank", now=NOW)
    room.follow(org.member2, org.growth, q, True, now=NOW)
    timebox.start(org.lead, org.growth, q, "rank", 5, now=NOW)
    for viewer in (org.member2, org.lead):  # a follower, and the lead: blind means blind for everyone
        shown = screen.view(viewer, org.growth, q)
        assert shown["step"]["key"] == "rank" and shown["presenter"] == "Lee Lead"
        assert shown["counters"]["voted"] == (1, 3) and shown["counters"]["followers"] == 1
        assert shown["vote"]["blind"] and shown["vote"]["top"] is None
        assert shown["timer"]["ends_at"] == NOW + dt.timedelta(minutes=5)
    rounds.close_round(org.lead, round_id, now=NOW)
    shown = screen.view(org.member2, org.growth, q)
    assert [t["title"] for t in shown["vote"]["top"]] == ["Invoice on day one", "Dark mode"]
    assert shown["counters"]["voted"] is None  # no open round to count


def test_without_a_presenter_the_big_screen_shows_the_step_the_team_is_on(org):
    q = org.next_quarter
    shown = screen.view(org.member, org.growth, q)
    assert shown["presenting"] is False and shown["step"]["key"] == "consolidate"
    assert shown["counters"] == {"ideas": 0, "voted": None, "answered": None, "followers": 0}
    with pytest.raises(PermissionDenied):
        screen.view(org.stranger, org.growth, q)
