"""AppTest of the key-results step, the publish step and the published one-pager, for the lead, a member, managers
and a person in no team, on the demo organisation with Onboarding's objective for the planning quarter chosen."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import auth, db, ideas, key_results, objectives, publications, quarters, strategy, teams
from okrdash.ui import kr_editor
from tests.pages.apptest import assert_clean, errors, open_page, texts

TOMAS, HANNAH, ARJUN = "tomas.herrera@harbor.example", "hannah.weiss@harbor.example", "arjun.mehta@harbor.example"
DANIEL, MAYA, ROSA = "daniel.brandt@harbor.example", "maya.okafor@harbor.example", "rosa.jimenez@harbor.example"
OLIVER, PRIYA = "oliver.grant@harbor.example", "priya.raman@harbor.example"
KR_PAGE, PUBLISH_PAGE, OKRS_PAGE = "pages/workshop_key_results.py", "pages/workshop_publish.py", "pages/okrs.py"
TITLE = "Switching to Harbor takes an afternoon, not a month"


def who(email: str) -> auth.Actor:
    return auth.load_by_email(email)


def team_id(name: str) -> int:
    return next(t["id"] for t in teams.all_teams() if t["name"] == name)


@pytest.fixture
def chosen(demo_db):
    """Onboarding chose its objective for the planning quarter (the spreadsheet-import idea); no key results."""
    quarter, onboarding = quarters.planning_key(), team_id("Onboarding")
    idea = next(i for i in ideas.objective_ideas(who(TOMAS), onboarding, quarter) if i["key_results"])
    link = strategy.items(quarter, "company_objective")[0]["id"]
    objectives.select(who(TOMAS), onboarding, quarter, idea_id=idea["id"], title=TITLE,
                      why="New customers retype hundreds of clients by hand.", strategy_item_id=link)
    return {"quarter": quarter, "team": onboarding, "idea": idea}


def add_krs(setup, count: int, *, confirmed: bool = True) -> list[int]:
    hannah = who(HANNAH).person_id
    return [key_results.add(who(TOMAS), setup["team"], setup["quarter"], {
        "title": f"Cut CSM hours per onboarding from {9 + n} to 4", "kind": "decrease_to",
        "metric": "CSM hours per onboarding", "unit": "h", "baseline": 9 + n, "target": 4, "owner_id": hannah,
        "achievable_confirmed": confirmed}) for n in range(count)]


def kr_page(email: str, setup, **extra):
    return open_page(email, KR_PAGE, team="Onboarding", quarter=setup["quarter"], **extra)


def button(at, key: str):
    return at.button(key=key)


def open_editor(at, kr_id: int):
    """Open a card's “Edit and check” (closed when its SMART check has nothing failing; a closed one runs nothing)."""
    at.session_state[f"krs_{kr_id}_editor"] = True
    at.run()
    return at


def fill_new(at, **values):
    for name, value in values.items():
        widget = {"kind": at.selectbox, "owner_id": at.selectbox, "due_on": at.date_input,
                  "achievable_confirmed": at.checkbox}.get(name, at.text_input)(key=f"krs_new_{name}")
        widget.set_value(value)
    return at


# --- key results step -------------------------------------------------------------------------------------------


def test_lead_sees_objective_ideas_and_an_empty_editor(chosen):
    at = kr_page(TOMAS, chosen)
    assert_clean(at)
    shown = texts(at)
    assert TITLE in shown and "Serves **Company objective" in shown
    assert "Key results · 0 of 5" in shown and "No key results yet." in shown
    assert "Brainstorm: key-result ideas" in shown
    uses = [b for b in at.button if b.label == "Use as a key result"]
    assert uses, "the survey's KR ideas under the chosen idea are the starting points"
    assert "Not ready to publish yet" in shown


def test_an_idea_prefills_the_editor_and_becomes_a_key_result(chosen):
    at = kr_page(TOMAS, chosen)
    first_use = next(b for b in at.button if b.label == "Use as a key result")
    first_use.click().run()
    assert_clean(at)
    title = at.text_input(key="krs_new_title").value
    assert title and at.text_input(key="krs_new_baseline").value
    assert at.date_input(key="krs_new_due_on").value == quarters.bounds(chosen["quarter"])[1]
    assert "review it, then add it" in texts(at)
    at.checkbox(key="krs_new_achievable_confirmed").check().run()
    button(at, "krs_new_add").click().run()
    assert_clean(at)
    krs = key_results.rows_for(chosen["team"], chosen["quarter"])
    assert [k["title"] for k in krs] == [title] and krs[0]["idea_id"] is not None
    assert "Key results · 1 of 5" in texts(at)
    assert at.text_input(key="krs_new_title").value == ""  # the add card starts blank again


def test_an_idea_never_overwrites_a_draft(chosen):
    at = kr_page(TOMAS, chosen)
    fill_new(at, title="Something I am still writing").run()
    uses = [b for b in at.button if b.label == "Use as a key result"]
    assert uses and all(b.disabled for b in uses)
    at.button(key="krs_new_clear").click().run()
    assert not any(b.disabled for b in at.button if b.label == "Use as a key result")


def test_live_smart_verdicts_follow_what_is_typed(chosen):
    at = kr_page(TOMAS, chosen)
    fill_new(at, title="Improve onboarding").run()
    shown = texts(at)
    assert "S · Specific fails" in shown and "“Improve” is a vague verb" in shown
    assert at.selectbox(key="krs_new_kind").value == "milestone"  # read from the line: no number, so done/not done
    fill_new(at, title="Grow accounts importing in week one from 12% to 40%").run()  # the line fills the fields
    fill_new(at, metric="accounts importing in week 1").run()
    shown = texts(at)
    assert "S · Specific passes" in shown and "M · Measurable passes" in shown
    assert "A · Achievable fails" in shown and "Discussed with the team and achievable" in shown
    assert key_results.rows_for(chosen["team"], chosen["quarter"]) == []  # nothing saved while typing


def test_one_line_fills_the_fields_and_typed_fields_win(chosen):
    at = kr_page(TOMAS, chosen)
    fill_new(at, title="Cut median time to first invoice from 52 h to 12 h").run()
    assert (at.text_input(key="krs_new_baseline").value, at.text_input(key="krs_new_target").value) == ("52", "12")
    assert at.selectbox(key="krs_new_kind").value == "decrease_to"
    assert (at.text_input(key="krs_new_metric").value, at.text_input(key="krs_new_unit").value) == (
        "median time to first invoice", "h")
    at.text_input(key="krs_new_target").set_value("10").run()  # typed by hand
    at.text_input(key="krs_new_title").set_value("Cut median time to first invoice from 52 h to 8 h").run()
    assert at.text_input(key="krs_new_target").value == "10"  # what the person typed wins over the new reading
    fill_new(at, title="Grow weekly trials by 21% quarter over quarter").run()
    assert at.selectbox(key="krs_new_kind").value == "increase_by"  # what was read before follows the new line …
    assert at.text_input(key="krs_new_change_pct").value == "21"
    assert at.session_state["krs_new_target"] == "10"  # … what was typed stays (hidden while the kind is relative)


def test_non_numeric_baseline_is_explained_and_kept(chosen):
    at = kr_page(TOMAS, chosen)
    fill_new(at, title="Cut CSM hours per onboarding", metric="CSM hours", unit="h", baseline="about nine",
             target="4").run()
    assert "Baseline must be a number, not “about nine”." in errors(at)
    assert button(at, "krs_new_add").disabled
    assert at.text_input(key="krs_new_baseline").value == "about nine"
    assert at.text_input(key="krs_new_title").value == "Cut CSM hours per onboarding"


def test_due_date_outside_the_quarter_is_refused_and_nothing_is_lost(chosen):
    at = kr_page(TOMAS, chosen)
    late = quarters.bounds(chosen["quarter"])[1] + dt.timedelta(days=15)
    fill_new(at, title="Cut CSM hours per onboarding from 9 to 4", metric="CSM hours", unit="h", baseline="9",
             target="4", owner_id=who(HANNAH).person_id, due_on=late).run()
    button(at, "krs_new_add").click().run()
    assert_clean(at)
    assert any(f"is outside {chosen['quarter']}" in e for e in errors(at))
    assert at.text_input(key="krs_new_title").value == "Cut CSM hours per onboarding from 9 to 4"
    assert at.date_input(key="krs_new_due_on").value == late
    assert key_results.rows_for(chosen["team"], chosen["quarter"]) == []


def test_owner_not_in_the_team_is_refused(chosen):
    at = kr_page(TOMAS, chosen)
    arjun = who(ARJUN).person_id
    fill_new(at, title="Cut CSM hours per onboarding from 9 to 4", metric="CSM hours", unit="h", baseline="9",
             target="4", owner_id=arjun).run()
    teams.remove_membership(who(MAYA), chosen["team"], arjun)  # an admin moves Arjun while the lead types
    button(at, "krs_new_add").click().run()
    assert any("Arjun Mehta is not a member of Onboarding" in e for e in errors(at))
    assert at.text_input(key="krs_new_title").value == "Cut CSM hours per onboarding from 9 to 4"
    assert at.selectbox(key="krs_new_owner_id").value == arjun  # shown as “(not in the team)”, not silently changed


def test_sixth_key_result_is_refused_and_the_draft_kept(chosen):
    add_krs(chosen, 5)
    at = kr_page(TOMAS, chosen)
    assert "Add a key result" in [e.label for e in at.expander] and "already has 5" not in texts(at)  # closed
    at.session_state[kr_editor.OPEN_NEW] = True
    at.run()
    assert "already has 5 key results" in texts(at)
    fill_new(at, title="Keep onboarding CSAT at or above 4.3", kind="stay_above", metric="onboarding CSAT",
             unit="/5", baseline="4.5", target="4.3", owner_id=who(HANNAH).person_id).run()
    button(at, "krs_new_add").click().run()
    assert any("already has 5 key results, the most it may have" in e for e in errors(at))
    assert at.text_input(key="krs_new_title").value == "Keep onboarding CSAT at or above 4.3"
    assert len(key_results.rows_for(chosen["team"], chosen["quarter"])) == 5


def test_lead_fixes_a_failing_letter_in_the_card(chosen):
    kr_id = add_krs(chosen, 2, confirmed=False)[0]
    at = kr_page(TOMAS, chosen)
    shown = texts(at)
    assert "A · Achievable fails" in shown and "Not ready to publish yet: 2 thing(s) to fix." in shown
    at.checkbox(key=f"krs_{kr_id}_achievable_confirmed").check().run()
    assert "Unsaved changes" in texts(at)
    button(at, f"krs_{kr_id}_save").click().run()
    assert_clean(at)
    assert key_results.get(kr_id)["achievable_confirmed"]
    assert "Not ready to publish yet: 1 thing(s) to fix." in texts(at)


def test_discarding_edits_brings_back_the_saved_values(chosen):
    kr_id = add_krs(chosen, 2)[0]
    at = open_editor(kr_page(TOMAS, chosen), kr_id)
    at.text_input(key=f"krs_{kr_id}_target").set_value("2").run()
    assert "Unsaved changes" in texts(at)
    button(at, f"krs_{kr_id}_discard").click().run()
    assert_clean(at)
    assert at.text_input(key=f"krs_{kr_id}_target").value == "4" and "Unsaved changes" not in texts(at)
    assert key_results.get(kr_id)["target"] == 4


def test_a_closed_editor_keeps_its_draft_and_a_page_switch_reloads_the_saved_values(chosen):
    kr_id = add_krs(chosen, 2)[0]
    at = kr_page(TOMAS, chosen)
    assert not any(w.key == f"krs_{kr_id}_target" for w in at.text_input)  # passing: closed, nothing drawn
    open_editor(at, kr_id).text_input(key=f"krs_{kr_id}_target").set_value("2").run()
    at.session_state[f"krs_{kr_id}_editor"] = False
    at.run()
    assert "Unsaved changes — open “Edit and check” to save or discard them." in texts(at)
    assert open_editor(at, kr_id).text_input(key=f"krs_{kr_id}_target").value == "2"
    at.switch_page("pages/workshop.py")
    at.run()
    at.switch_page(KR_PAGE)
    at = open_editor(at, kr_id)
    assert_clean(at)
    assert at.text_input(key=f"krs_{kr_id}_title").value == "Cut CSM hours per onboarding from 9 to 4"
    assert at.text_input(key=f"krs_{kr_id}_target").value == "4" and "Unsaved changes" not in texts(at)


def test_archive_and_undo(chosen):
    kr_id = add_krs(chosen, 3)[2]
    at = open_editor(kr_page(TOMAS, chosen), kr_id)
    button(at, f"krs_{kr_id}_archive").click().run()
    assert "Archived “Cut CSM hours per onboarding from 11 to 4”." in texts(at)
    assert len(key_results.rows_for(chosen["team"], chosen["quarter"])) == 2
    button(at, "krs_undo_archive").click().run()
    assert len(key_results.rows_for(chosen["team"], chosen["quarter"])) == 3


def test_member_reads_and_adds_ideas_but_does_not_edit(chosen):
    add_krs(chosen, 2, confirmed=False)
    at = kr_page(HANNAH, chosen)
    assert_clean(at)
    labels = {b.label for b in at.button}
    assert not {"Use as a key result", "Add key result", "Save changes", "Archive"} & labels
    assert not [t for t in at.text_input if str(t.key).startswith("krs_new")]
    assert "Only the lead turns ideas into key results" in texts(at)
    at.text_input(key="krs_idea_title").set_value("Trials sending an invoice in week one")
    at.text_input(key="krs_idea_baseline").set_value("38")
    at.text_input(key="krs_idea_target").set_value("60")
    next(b for b in at.button if b.label == "Add idea").click().run()
    assert_clean(at)
    assert "Trials sending an invoice in week one" in texts(at)


def test_priya_member_and_manager_sees_it_read_only(chosen):
    at = kr_page(PRIYA, chosen)
    assert_clean(at)
    assert TITLE in texts(at) and "You take part; the lead runs each step." in texts(at)


@pytest.mark.parametrize(("email", "refusal"), [
    (DANIEL, "The workshop is for team members; Daniel Brandt belongs to no team."),
    (ROSA, "The workshop is for team members; Rosa Jiménez belongs to no team."),
])
@pytest.mark.parametrize("page", [KR_PAGE, PUBLISH_PAGE])
def test_people_outside_teams_are_refused_the_workshop(chosen, email, refusal, page):
    at = open_page(email, page)
    assert_clean(at)
    assert refusal in texts(at)


def test_no_objective_yet_points_to_create_focus(demo_db):
    at = open_page(OLIVER, KR_PAGE)
    assert_clean(at)
    assert "Choose the objective first: key results belong to it." in texts(at)
    at = open_page(OLIVER, PUBLISH_PAGE)
    assert "Choose the objective first" in texts(at)


# --- publish step ----------------------------------------------------------------------------------------------


def test_publish_step_lists_what_blocks_it(chosen):
    add_krs(chosen, 1)
    at = open_page(TOMAS, PUBLISH_PAGE, team="Onboarding", quarter=chosen["quarter"])
    assert_clean(at)
    shown = texts(at)
    assert "Not ready to publish yet" in shown and "2 to 5" in shown
    assert not [b for b in at.button if b.label.startswith("Publish version")]
    assert "Preview: what the organisation will see" in shown


def test_lead_publishes_and_lands_on_the_one_pager(chosen):
    add_krs(chosen, 3)
    at = open_page(TOMAS, PUBLISH_PAGE, team="Onboarding", quarter=chosen["quarter"])
    at.text_area(key="publish_note").set_value("First version after the workshop.")
    next(b for b in at.button if b.label == "Publish version 1").click().run()
    assert_clean(at)
    assert publications.latest_for(chosen["team"], chosen["quarter"])["version"] == 1
    shown = texts(at)
    assert "Published version 1." in shown and f"Onboarding · OKRs for {chosen['quarter']}" in shown


def test_member_sees_the_publish_step_without_the_button(chosen):
    add_krs(chosen, 3)
    at = open_page(HANNAH, PUBLISH_PAGE, team="Onboarding", quarter=chosen["quarter"])
    assert_clean(at)
    assert "Only the lead publishes." in texts(at)
    assert not [b for b in at.button if b.label.startswith("Publish version")]


def test_second_version_shows_the_changes_before_publishing(chosen):
    ids = add_krs(chosen, 3)
    publications.publish(who(TOMAS), chosen["team"], chosen["quarter"], "First.")
    key_results.update(who(TOMAS), ids[0], {"target": 3})
    at = open_page(TOMAS, PUBLISH_PAGE, team="Onboarding", quarter=chosen["quarter"])
    shown = texts(at)
    assert "Changes since version 1" in shown and "target 4 h → 3 h" in shown
    assert [b for b in at.button if b.label == "Publish version 2"]
    assert "Version history" in shown


# --- the one-pager --------------------------------------------------------------------------------------------


@pytest.fixture
def published(chosen):
    add_krs(chosen, 3)
    publications.publish(who(TOMAS), chosen["team"], chosen["quarter"], "First version after the workshop.")
    return chosen


@pytest.mark.parametrize("email", [TOMAS, HANNAH, PRIYA, DANIEL, MAYA, ROSA, OLIVER])
def test_everyone_reads_the_one_pager(published, email):
    at = open_page(email, OKRS_PAGE, okrs_view="One team", team="Onboarding", quarter=published["quarter"])
    assert_clean(at)
    shown = texts(at)
    assert f"Onboarding · OKRs for {published['quarter']}" in shown
    assert TITLE in shown and "Cut CSM hours per onboarding from 9 to 4" in shown and "Hannah Weiss" in shown
    assert "Version 1 · published" in shown
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Markdown", "CSV", "Excel (XLSX)"]


def test_own_team_first_and_addresses_that_open_the_same_page_for_anyone(published):
    at = open_page(HANNAH, OKRS_PAGE, quarter=published["quarter"])
    assert f"Onboarding · OKRs for {published['quarter']}" in texts(at)
    at = open_page(OLIVER, OKRS_PAGE, okrs_view="One team", team="Onboarding", quarter=published["quarter"])
    assert f"Onboarding · OKRs for {published['quarter']}" in texts(at)  # the lead of Scheduling follows the link
    at = open_page(ROSA, OKRS_PAGE, quarter=published["quarter"])
    assert f"All teams · OKRs for {published['quarter']}" in texts(at)  # no team of her own: everyone's


def test_all_teams_view_groups_by_company_objective(published):
    at = open_page(ROSA, OKRS_PAGE, okrs_view="All teams", quarter=published["quarter"])
    assert_clean(at)
    shown = texts(at)
    assert f"All teams · OKRs for {published['quarter']}" in shown
    assert "1 of 6 teams have published" in shown
    assert "No team's published objective serves this company objective yet." in shown
    assert "Not published yet" in shown and "Scheduling" in shown


def test_print_layout_keeps_only_the_okr(published):
    at = open_page(HANNAH, OKRS_PAGE, okrs_print="true", team="Onboarding", quarter=published["quarter"])
    assert_clean(at)
    assert TITLE in texts(at)
    assert not at.get("download_button") and "Published OKRs" not in [t.value for t in at.title]


def test_unpublished_team_says_who_publishes(published):
    at = open_page(HANNAH, OKRS_PAGE, team="Scheduling", quarter=published["quarter"])
    assert "Scheduling has not published its OKRs" in texts(at) and "Their lead publishes them" in texts(at)
    at = open_page(OLIVER, OKRS_PAGE, team="Scheduling", quarter=published["quarter"])
    assert "You publish them after the key results pass the SMART check." in texts(at)


def test_home_tells_the_lead_what_to_publish(chosen):
    add_krs(chosen, 3)
    published = db.scalar("SELECT count(*) FROM publications")
    at = open_page(TOMAS, "pages/home.py")
    assert_clean(at)
    escaped = chosen["quarter"].replace("-", "\\-")  # Home shows it through fmt.plain
    assert f"Publish Onboarding's OKRs for {escaped}" in texts(at)
    assert db.scalar("SELECT count(*) FROM publications") == published  # reading Home publishes nothing
