"""AppTest of the workshop's first four steps for a lead, a member and outsiders, on the demo organisation
(Onboarding: survey closed, ideas merged, a blind round open; Scheduling: survey open, duplicates to merge)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from okrdash import auth, db, fmt, ideas, objectives, quarters, rounds, teams
from okrdash.ui import widgets
from tests.pages.apptest import assert_clean, errors, open_page, texts

STEPS = ["pages/workshop.py", "pages/workshop_consolidate.py", "pages/workshop_rank.py", "pages/workshop_focus.py"]
TOMAS, HANNAH, ARJUN = "tomas.herrera@harbor.example", "hannah.weiss@harbor.example", "arjun.mehta@harbor.example"
OLIVER, MEI, ROSA = "oliver.grant@harbor.example", "mei.chen@harbor.example", "rosa.jimenez@harbor.example"
ZOE = "zoe.papadopoulos@harbor.example"  # leads Data & Insights: its survey is anonymous and open


def team_id(name: str) -> int:
    return next(t["id"] for t in teams.all_teams() if t["name"] == name)


def actor(email: str) -> auth.Actor:
    return auth.load_by_email(email)


def onboarding_titles() -> list[str]:
    return [i["title"] for i in ideas.objective_ideas(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())]


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("page", STEPS)
def test_every_step_renders_for_the_lead(demo_db, page):
    at = open_page(TOMAS, page)
    assert_clean(at)
    shown = texts(at)
    assert "You lead this workshop." in shown
    assert not errors(at)


@pytest.mark.parametrize("page", STEPS)
def test_every_step_renders_read_only_for_a_member(demo_db, page):
    at = open_page(HANNAH, page)
    assert_clean(at)
    assert "You take part; the lead runs each step." in texts(at)
    labels = {b.label for b in at.button}
    for lead_only in ("Merge into one idea", "Close the round and reveal results", "Make this our objective",
                      "Undo merge", "Add to the list"):
        assert lead_only not in labels


@pytest.mark.parametrize("page", STEPS)
def test_a_person_in_no_team_is_refused(demo_db, page):
    at = open_page(ROSA, page)
    assert_clean(at)
    assert "The workshop is for team members; Rosa Jiménez belongs to no team." in texts(at)


@pytest.mark.parametrize("page", STEPS)
def test_a_member_of_another_team_never_sees_this_team(demo_db, page):
    at = open_page(MEI, page, team="Onboarding")
    assert_clean(at)
    assert [s.value for s in at.selectbox if s.label == "Team"] == [team_id("Scheduling")]
    shown = texts(at)
    for title in onboarding_titles():
        assert title not in shown


def test_context_shows_strategy_last_quarter_and_next_step(demo_db):
    at = open_page(TOMAS, "pages/workshop.py")
    shown = texts(at)
    previous = quarters.previous(quarters.planning_key())
    assert "Strategy for " + quarters.planning_key() in shown
    assert f"{previous} — still running" in shown
    assert "final scores" in shown  # the last completed quarter's targets, for the learning loop
    assert "How the targets proved" in shown
    assert at.get("progress") and at.download_button  # each KR's score, and the table as CSV
    assert any(link.label == "Next: consolidate the ideas" for link in at.get("page_link"))


def let_the_deadline_pass(team: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The survey's deadline passes at a time of day without any write: a raw statement, not db.transaction, so
    the data version (and with it every `ui.cached` read) stays as it was, moves it a minute into the past, and the
    clock of reads cached for a minute moves a minute on."""
    db.cursor().execute("UPDATE surveys SET deadline = ? WHERE team_id = ? AND quarter = ?",
                        [dt.datetime.now() - dt.timedelta(minutes=1), team_id(team), quarters.planning_key()])
    later = dt.datetime.now() + dt.timedelta(minutes=1)
    monkeypatch.setattr(widgets, "clock", lambda: later)


def test_the_survey_closing_at_its_deadline_shows_without_a_write(demo_db, monkeypatch):
    consolidate = open_page(OLIVER, "pages/workshop_consolidate.py")
    context = open_page(OLIVER, "pages/workshop.py")
    assert "The survey is still open until" in texts(consolidate)
    assert "The named survey is **open until" in texts(context)
    let_the_deadline_pass("Scheduling", monkeypatch)
    consolidate.run()
    context.run()
    assert_clean(consolidate)
    assert "The survey is still open until" not in texts(consolidate)
    assert "The named survey is **closed**" in texts(context)


def test_anonymous_answers_appear_in_the_workshop_only_once_the_survey_closes(demo_db, monkeypatch):
    data, q = team_id("Data & Insights"), quarters.planning_key()
    survey_ideas = [i["title"] for i in ideas.objective_ideas(actor(ZOE), data, q, None) if i["anonymous"]]
    assert survey_ideas
    pages = {page: open_page(ZOE, page) for page in ("pages/workshop.py", "pages/workshop_consolidate.py",
                                                     "pages/workshop_rank.py", "pages/workshop_focus.py")}
    for at in pages.values():
        assert "Ideas from the anonymous survey appear here when it closes on" in texts(at)
    assert not any(f"**{fmt.plain(title)}**" in texts(pages["pages/workshop_consolidate.py"])
                   for title in survey_ideas)
    assert "**0** objective ideas are on the table" in texts(pages["pages/workshop.py"])
    let_the_deadline_pass("Data & Insights", monkeypatch)
    for at in pages.values():
        at.run()
        assert_clean(at)
        assert "Ideas from the anonymous survey appear" not in texts(at)
    shown = texts(pages["pages/workshop_consolidate.py"])
    assert all(f"**{fmt.plain(title)}**" in shown for title in survey_ideas)


def test_lead_merges_a_suggested_group_and_undoes_it(demo_db):
    scheduling, q = team_id("Scheduling"), quarters.planning_key()
    before = {i["id"] for i in ideas.objective_ideas(actor(OLIVER), scheduling, q)}
    first = len(ideas.suggestions(actor(OLIVER), scheduling, q)[0]["ideas"])  # the demo has near-duplicates
    at = open_page(OLIVER, "pages/workshop_consolidate.py")
    assert "Suggested duplicates" in texts(at)
    button(at, "Merge into one idea").click().run()
    assert_clean(at)
    assert f"Merged {first} ideas into" in texts(at)
    after = {i["id"] for i in ideas.objective_ideas(actor(OLIVER), scheduling, q)}
    assert len(after) == len(before) - first + 1
    button(at, "Undo").click().run()
    assert_clean(at)
    assert "Merge undone" in texts(at)
    assert {i["id"] for i in ideas.objective_ideas(actor(OLIVER), scheduling, q)} == before


def test_an_emptied_merge_title_is_refused_and_nothing_merges(demo_db):
    at = open_page(OLIVER, "pages/workshop_consolidate.py")
    before = len(ideas.objective_ideas(actor(OLIVER), team_id("Scheduling"), quarters.planning_key()))
    next(t for t in at.text_input if t.label == "Title of the merged idea").set_value("   ")
    button(at, "Merge into one idea").click().run()
    assert "Merged idea title is required." in errors(at)
    assert len(ideas.objective_ideas(actor(OLIVER), team_id("Scheduling"), quarters.planning_key())) == before


def test_a_member_adds_an_idea_live_and_bad_titles_are_refused(demo_db):
    at = open_page(HANNAH, "pages/workshop_consolidate.py")
    at.text_input(key="consolidate_add_title").set_value("   ")
    at.text_area(key="consolidate_add_problem").set_value("Keep me")
    button(at, "Add idea").click().run()
    assert "Idea title is required." in errors(at)
    assert at.text_area(key="consolidate_add_problem").value == "Keep me"  # nothing typed is lost
    at.text_input(key="consolidate_add_title").set_value("x" * 500)  # the field stops at 200; so does the library
    button(at, "Add idea").click().run()
    assert_clean(at)
    assert max(len(t) for t in onboarding_titles()) <= 200
    assert at.text_input(key="consolidate_add_title").value == ""  # a saved form starts blank
    at.text_input(key="consolidate_add_title").set_value("Guided setup checklist")
    button(at, "Add idea").click().run()
    assert "Idea added." in texts(at)
    assert "Guided setup checklist" in onboarding_titles()


def test_rank_lead_sees_no_totals_until_closing_then_results(demo_db):
    at = open_page(TOMAS, "pages/workshop_rank.py")
    shown = texts(at)
    assert "Blind round: totals are hidden from everyone, you included" in shown
    assert "3 of 7 members have voted" in str(at.get("progress")[0].proto.text)
    assert not at.dataframe[1:] and "Results" not in [s.value for s in at.subheader]
    button(at, "Close the round and reveal results").click().run()
    assert "Voting ends for everyone" in texts(at)
    button(at, "Close and reveal").click().run()
    assert_clean(at)
    assert "Round closed" in texts(at)
    assert "Top idea:" in texts(at)
    assert "Results reflect the ideas as they stand now" in texts(at)  # later merges and removals show in them
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert any(b.label == "Download CSV" for b in at.download_button)


def test_rank_counts_voters_who_left_the_team_apart(demo_db):
    onboarding = team_id("Onboarding")
    voters = rounds.participation(actor(TOMAS), rounds.current(actor(TOMAS), onboarding, quarters.planning_key())["id"])
    db.execute("DELETE FROM memberships WHERE team_id = ? AND role <> 'lead'", [onboarding])  # all but Tomás left
    at = open_page(TOMAS, "pages/workshop_rank.py")
    assert_clean(at)
    bar = at.get("progress")[0].proto
    assert f"0 of 1 members have voted (+{voters['voted']} former members)" in bar.text and bar.value == 0


def test_points_on_ideas_merged_since_are_capped_and_the_voter_asked_to_vote_again(demo_db):
    round_id = rounds.current(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())["id"]
    a, b = [c["id"] for c in rounds.candidates(actor(HANNAH), round_id)][:2]
    rounds.cast(actor(HANNAH), round_id, "dot", {a: 5, b: 5})
    merged = ideas.merge(actor(TOMAS), [a, b], "Both at once")  # her ballot now reads 10 points on one idea
    at = open_page(HANNAH, "pages/workshop_rank.py")
    assert_clean(at)
    assert "redo your dot ballot and cast it again" in texts(at)
    assert at.number_input(key=f"rank_dot_{round_id}_{merged}").value == 5


def test_a_closed_round_whose_ideas_no_longer_stand_says_so(demo_db):
    rnd = rounds.current(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())
    candidates = rounds.candidates(actor(TOMAS), rnd["id"])
    rounds.close_round(actor(TOMAS), rnd["id"])
    for idea in candidates:
        merge_id = ideas.merge_id_of(idea["id"])
        if merge_id:
            ideas.undo_merge(actor(TOMAS), merge_id)
        else:
            ideas.remove(actor(TOMAS), idea["id"])
    at = open_page(TOMAS, "pages/workshop_rank.py")
    assert_clean(at)
    assert "None of this round's ideas stands any more" in texts(at)


def test_a_member_votes_and_an_over_budget_ballot_is_refused(demo_db):
    round_id = rounds.current(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())["id"]
    candidates = rounds.candidates(actor(ARJUN), round_id)
    at = open_page(ARJUN, "pages/workshop_rank.py")
    assert "Your vote" in [s.value for s in at.subheader]
    dots = [n for n in at.number_input if n.key and n.key.startswith("rank_dot_")]
    assert len(dots) == len(candidates) >= 3
    for box in dots:
        box.set_value(4)
    button(at, "Cast my Dot ballot").click().run()
    assert any(re.search(r"You spent \d+ points but have 10", e) for e in errors(at))
    assert "dot" not in rounds.my_ballots(actor(ARJUN), round_id)
    dots = [n for n in at.number_input if n.key and n.key.startswith("rank_dot_")]
    for box, points in zip(dots, [5, 3, 2] + [0] * (len(dots) - 3), strict=True):
        box.set_value(points)
    button(at, "Cast my Dot ballot").click().run()
    assert_clean(at)
    assert "Your dot voting ballot is in." in texts(at)
    assert sum(rounds.my_ballots(actor(ARJUN), round_id)["dot"]["lines"].values()) == 10


def test_voting_after_the_round_closed_is_refused_with_a_clear_message(demo_db):
    at = open_page(ARJUN, "pages/workshop_rank.py")
    round_id = rounds.current(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())["id"]
    rounds.close_round(actor(TOMAS), round_id)  # the lead closes it while Arjun's page is open
    for box in [n for n in at.number_input if n.key and n.key.startswith("rank_dot_")][:2]:
        box.set_value(5)
    button(at, "Cast my Dot ballot").click().run()
    assert any("your ballot was not recorded" in e for e in errors(at))


def test_focus_preselects_the_winner_and_refuses_a_second_objective(demo_db):
    onboarding, q = team_id("Onboarding"), quarters.planning_key()
    rnd = rounds.current(actor(TOMAS), onboarding, q)
    rounds.close_round(actor(TOMAS), rnd["id"])
    winner = rounds.winner(actor(TOMAS), onboarding, q)
    at = open_page(TOMAS, "pages/workshop_focus.py")
    assert f"“{winner['title']}” came top in the round" in texts(at)
    assert at.selectbox(key="focus_idea").value == winner["id"]
    at.text_input(key=f"focus_select_{winner['id']}_title").set_value("")
    button(at, "Make this our objective").click().run()
    assert "Objective title is required." in errors(at)
    at.text_input(key=f"focus_select_{winner['id']}_title").set_value("New customers get value on day one")
    button(at, "Make this our objective").click().run()
    assert_clean(at)
    assert objectives.current(actor(TOMAS), onboarding, q)["idea_id"] == winner["id"]
    assert "Make this our objective" not in {b.label for b in at.button}
    assert "A team has one objective per quarter" in texts(at)  # the replace option explains the rule
    member = open_page(HANNAH, "pages/workshop_focus.py")
    assert "New customers get value on day one" in texts(member)


def test_lead_lists_deprioritized_items_with_reasons_and_can_undo(demo_db):
    at = open_page(TOMAS, "pages/workshop_focus.py")
    next(s for s in at.selectbox if s.label == "What are you saying no to?").set_value(None).run()
    at.text_input(key="focus_add_title_typed").set_value("Redesign the signup page")
    button(at, "Add to the list").click().run()
    assert "Reason is required." in errors(at)
    at.text_area(key="focus_add_reason_typed").set_value("The leak is after signup.")
    button(at, "Add to the list").click().run()
    assert_clean(at)
    assert "Added to the deprioritized list." in texts(at)
    listed = objectives.deprioritized(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())
    assert [i["title"] for i in listed] == ["Redesign the signup page"]
    button(at, "Remove").click().run()
    assert "Took “Redesign the signup page” off the list." in texts(at)
    button(at, "Undo").click().run()
    assert len(objectives.deprioritized(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())) == 1


def test_hostile_idea_text_shows_literally_everywhere_it_appears(demo_db):
    hostile = "<img src=x onerror=alert(1)> **bold** [link](http://evil.example)"
    added = ideas.add(actor(HANNAH), team_id("Onboarding"), quarters.planning_key(), title=hostile, problem=hostile)
    at = open_page(TOMAS, "pages/workshop_consolidate.py")
    at.session_state[f"consolidate_origin_{added}"] = True  # where the problem it solves shows
    at.run()
    assert_clean(at)
    sources = [str(m.value) for m in at.markdown] + [str(c.value) for c in at.caption]
    shown = [s for s in sources if "bold" in s]
    assert len(shown) >= 2  # the title and the problem
    for source in shown:  # every Markdown/HTML character arrives escaped, so it renders as typed
        assert not re.search(r"(?<!\\)(<img|\[link\]|\*\*bold)", source), source


def test_home_lists_the_round_to_vote_in_and_its_link_opens_the_team(demo_db):
    at = open_page(ARJUN, "pages/home.py")
    assert "Vote in Onboarding's ranking round for " in texts(at)
    link = next(p for p in at.get("page_link") if p.proto.label == "Vote")
    assert link.proto.page.endswith("workshop_rank.py") or "workshop_rank" in link.proto.page
    at = open_page(ARJUN, "pages/workshop_rank.py", team="Onboarding", quarter=quarters.planning_key())
    assert [s.value for s in at.selectbox if s.label == "Team"] == [team_id("Onboarding")]
    assert "Your vote" in [s.value for s in at.subheader]


def test_undo_merge_asks_first_and_warns_that_votes_on_the_merged_idea_are_set_aside(demo_db):
    onboarding, q = team_id("Onboarding"), quarters.planning_key()
    before = {i["id"] for i in ideas.objective_ideas(actor(TOMAS), onboarding, q)}
    at = open_page(TOMAS, "pages/workshop_consolidate.py")
    next(b for b in at.button if b.label == "Undo merge").click().run()
    assert "Undo this merge?" in texts(at) and "votes cast on it are set aside" in texts(at)
    button(at, "Cancel").click().run()
    assert {i["id"] for i in ideas.objective_ideas(actor(TOMAS), onboarding, q)} == before
    next(b for b in at.button if b.label == "Undo merge").click().run()
    button(at, "Undo the merge").click().run()
    assert_clean(at)
    assert "Merge undone" in texts(at)
    assert len(ideas.objective_ideas(actor(TOMAS), onboarding, q)) > len(before)


def test_replacing_the_objective_needs_a_confirmation(demo_db):
    onboarding, q = team_id("Onboarding"), quarters.planning_key()
    first, second = [i["id"] for i in ideas.objective_ideas(actor(TOMAS), onboarding, q)][:2]
    objectives.select(actor(TOMAS), onboarding, q, idea_id=first, title="The first choice")
    at = open_page(TOMAS, "pages/workshop_focus.py")
    assert "The first choice" in texts(at) and "A team has one objective per quarter" in texts(at)
    at.selectbox(key="focus_replace_idea").set_value(second).run()
    at.text_input(key=f"focus_replace_{second}_title").set_value("The second choice")
    button(at, "Replace the objective").click().run()
    assert "Tick the box to confirm the replacement; nothing was changed." in errors(at)
    assert objectives.current(actor(TOMAS), onboarding, q)["title"] == "The first choice"
    at.checkbox(key=f"focus_replace_{second}_confirm").check()
    button(at, "Replace the objective").click().run()
    assert_clean(at)
    found = objectives.current(actor(TOMAS), onboarding, q)
    assert (found["title"], found["idea_id"]) == ("The second choice", second)


def test_an_ice_round_from_opening_to_results(demo_db):
    scheduling, q = team_id("Scheduling"), quarters.planning_key()
    at = open_page(OLIVER, "pages/workshop_rank.py")
    at.multiselect(key="rank_open_methods").set_value(["ice"])
    at.checkbox(key="rank_open_blind").uncheck()
    button(at, "Open the round").click().run()
    assert "Round opened." in texts(at)
    assert "Results so far" in [s.value for s in at.subheader]  # open totals: results while voting
    member = open_page(MEI, "pages/workshop_rank.py")
    sliders = [s for s in member.slider if s.key and s.key.startswith("rank_ice_")]
    assert len(sliders) == 3 * len(ideas.objective_ideas(actor(OLIVER), scheduling, q))
    sliders[0].set_value(9)
    button(member, "Cast my ICE ballot").click().run()
    assert_clean(member)
    assert "Your ice score ballot is in." in texts(member)
    at = open_page(OLIVER, "pages/workshop_rank.py")
    assert "Top idea:" in texts(at)
