"""AppTest of the key-results editor and the one-pager, from the code review: a KR whose owner left the team,
numbers kept at full precision, typed text shown as text, and the warning before new numbers rewrite a tracked
KR's past progress. Fixtures and helpers are test_kr_pages'."""

from __future__ import annotations

from okrdash import db, fmt, key_results, kr_ideas, quarters, teams
from tests.pages import test_kr_pages
from tests.pages.apptest import assert_clean, open_page, texts
from tests.pages.test_kr_pages import HANNAH, MAYA, OKRS_PAGE, TOMAS, add_krs, button, kr_page, open_editor, who

chosen, published = test_kr_pages.chosen, test_kr_pages.published  # the same fixtures


def test_a_key_result_whose_owner_left_the_team_is_flagged(chosen):
    add_krs(chosen, 2)
    teams.remove_membership(who(MAYA), chosen["team"], who(HANNAH).person_id)
    at = kr_page(TOMAS, chosen)
    assert_clean(at)
    assert texts(at).count("Hannah Weiss is no longer a member of the team") == 2
    assert "Choose a new owner" in texts(at)


def test_precise_numbers_open_unchanged_and_survive_saving_another_field(chosen):
    kr_id = key_results.add(who(TOMAS), chosen["team"], chosen["quarter"], {
        "title": "Cut the import error rate from 2.345678% to 1.5%", "kind": "decrease_to",
        "metric": "import error rate", "unit": "%", "baseline": 2.345678, "target": 1.5,
        "owner_id": who(HANNAH).person_id, "achievable_confirmed": True})
    at = open_editor(kr_page(TOMAS, chosen), kr_id)
    assert_clean(at)
    assert at.text_input(key=f"krs_{kr_id}_baseline").value == "2.345678"
    assert "Unsaved changes" not in texts(at)
    at.text_input(key=f"krs_{kr_id}_metric").set_value("import error rate (weekly)").run()
    button(at, f"krs_{kr_id}_save").click().run()
    assert_clean(at)
    saved = key_results.get(kr_id)
    assert (saved["metric"], saved["baseline"]) == ("import error rate (weekly)", 2.345678)


def test_typed_text_in_flashes_and_hover_help_shows_as_text(chosen):
    """Idea titles, KR titles and metrics are shown as typed, never as Markdown (links, emphasis)."""
    ids = add_krs(chosen, 2)
    db.execute("UPDATE key_results SET metric = '*weekly* [hours](https://evil.example)' WHERE id = ?", [ids[0]])
    title = "Trials *sending* an invoice [now](https://evil.example)"
    idea_id = kr_ideas.add(who(TOMAS), chosen["team"], chosen["quarter"], title)
    at = kr_page(TOMAS, chosen)
    helps = [str(m.help) for m in at.markdown if m.help]
    assert any(fmt.plain("*weekly* [hours](https://evil.example)") in h for h in helps), helps
    assert not any("“*weekly*" in h for h in helps)
    at.button(key=f"krs_use_{idea_id}").click().run()
    assert_clean(at)
    assert f"“{fmt.plain(title)}” is in “Add a key result”" in texts(at)
    at.checkbox(key="krs_new_achievable_confirmed").check()
    at.selectbox(key="krs_new_kind").set_value("milestone")
    at.text_area(key="krs_new_definition_of_done").set_value("Owners send an invoice in the first week of a trial")
    at.selectbox(key="krs_new_owner_id").set_value(who(HANNAH).person_id).run()
    button(at, "krs_new_add").click().run()
    assert_clean(at)
    assert f"Added “{fmt.plain(title)}”." in texts(at)


def test_a_team_name_is_shown_as_typed_when_nothing_is_published(published):
    team = teams.create("Ops *beta* [team](https://evil.example)")
    teams.join(team, who(HANNAH).person_id)
    at = open_page(HANNAH, OKRS_PAGE, okrs_view="One team", team="Ops *beta* [team](https://evil.example)",
                   quarter=published["quarter"])
    assert_clean(at)
    assert f"{fmt.plain('Ops *beta* [team](https://evil.example)')} has not published its OKRs" in texts(at)


def test_new_numbers_on_a_key_result_with_check_ins_are_flagged_before_saving(published):
    kr = key_results.rows_for(published["team"], published["quarter"])[0]
    db.execute("""INSERT INTO checkins (id, kr_id, person_id, checked_on, value, confidence)
                  VALUES (nextval('seq_checkins'), ?, ?, ?, 8, 7)""",
               [kr["id"], who(HANNAH).person_id, quarters.bounds(published["quarter"])[0]])
    at = open_editor(kr_page(TOMAS, published), kr["id"])
    assert "A new baseline or target changes the progress" not in texts(at)
    at.text_input(key=f"krs_{kr['id']}_target").set_value("3").run()
    assert_clean(at)
    assert "This key result has 1 check-in(s). A new baseline or target changes the progress" in texts(at)
    assert key_results.get(kr["id"])["target"] == 4  # a warning, nothing saved
