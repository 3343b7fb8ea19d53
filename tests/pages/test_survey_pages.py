"""AppTest of the survey pages for each role, on today's demo organisation: a member answers (Surveys), a lead
runs the survey (Survey setup), a manager reads participation, and people without the role are refused."""

import datetime as dt
import json

import pytest

from okrdash import db, fmt
from tests.pages.apptest import assert_clean, errors, open_page, texts

MEMBER = "ben.carter@harbor.example"  # Mobile Apps, has not started the open survey
LEAD = "chloe.martin@harbor.example"  # leads Mobile Apps
MANAGER = "daniel.brandt@harbor.example"  # manages Customer Product (not Mobile Apps)
PLATFORM_MANAGER = "priya.raman@harbor.example"  # manages Platform (Mobile Apps), member of two other teams
NO_SURVEY_LEAD = "noor.alsayed@harbor.example"  # leads Developer Platform, which has no survey yet
OUTSIDER = "rosa.jimenez@harbor.example"  # in no team
XSS = "<img src=x onerror=alert(1)>"


def survey_id(team: str) -> int:
    return db.scalar(
        """SELECT s.id FROM surveys s JOIN teams t ON t.id = s.team_id WHERE t.name = ?
           ORDER BY s.quarter DESC LIMIT 1""", [team])


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def add_objective(at, sid: int, title: str, problem: str = "") -> None:
    at.text_input(key=f"survey_{sid}_new_title").input(title)
    at.text_area(key=f"survey_{sid}_new_problem").input(problem)
    button(at, "Add objective idea").click()
    at.run()


def draft_of(email: str, sid: int) -> str | None:
    return db.scalar("""SELECT d.payload FROM survey_drafts d JOIN people p ON p.id = d.person_id
                        WHERE p.email = ? AND d.survey_id = ?""", [email, sid])


def test_each_confirmation_names_its_idea_and_keeps_typed_markdown_literal(demo_db):
    # Two ideas in a row get two different toasts: a toast identical to one still showing is not shown again, so
    # "added" twice would confirm the second idea with the first one's fading toast.
    sid = survey_id("Mobile Apps")
    at = open_page(MEMBER, "pages/survey.py")
    add_objective(at, sid, "Offline job notes", "Technicians lose notes without signal")
    add_objective(at, sid, "Faster  *app*   start", "Cold start takes 6 s")
    assert_clean(at)
    assert [t.value for t in at.toast] == [f"Objective idea “{fmt.plain('Faster *app* start')}” added to your draft."]


def test_member_answers_draft_survives_a_fresh_session_then_submits(demo_db):
    sid = survey_id("Mobile Apps")
    at = open_page(MEMBER, "pages/survey.py")
    assert_clean(at)
    shown = texts(at)
    assert "Mobile Apps · " in shown and "1. Read first" in shown and "This survey is named." in shown
    assert "Make getting paid effortless" in "\n".join(e.label for e in at.expander)  # pre-reading rendered
    add_objective(at, sid, "Offline job notes", "Technicians lose notes without signal")
    assert_clean(at)
    assert [t.value for t in at.toast] == ["Objective idea “Offline job notes” added to your draft."]  # seen anywhere
    assert at.text_input(key=f"survey_{sid}_new_title").value == ""  # the add form starts blank again
    assert "Offline job notes" in draft_of(MEMBER, sid)

    # A new session (a reload) shows the draft as it was left; add a KR idea under it, then submit.
    at = open_page(MEMBER, "pages/survey.py")
    assert "Offline job notes" in texts(at) and "Draft saved" in texts(at)
    key = f"survey_{sid}_{json.loads(draft_of(MEMBER, sid))['objectives'][0]['key']}"
    at.text_input(key=f"{key}_kr_title").input("Notes synced within a minute")
    at.text_input(key=f"{key}_kr_baseline").input("40")
    at.text_input(key=f"{key}_kr_target").input("95")
    at.text_input(key=f"{key}_kr_unit").input("%")
    button(at, "Add key-result idea").click()
    at.run()
    assert_clean(at)
    assert "Notes synced within a minute" in texts(at) and "40% → 95%" in texts(at)
    button(at, "Submit my answer").click()
    at.run()
    assert_clean(at)
    assert [t.value for t in at.toast] == [
        "Submitted, thank you! 2 ideas went to the workshop. You can still edit until the deadline."]
    assert db.scalar("SELECT count(*) FROM ideas WHERE survey_id = ? AND deleted_at IS NULL", [sid]) == 2
    assert "your answer is up to date" in texts(at)


def test_empty_submit_says_what_to_do(demo_db):
    at = open_page(MEMBER, "pages/survey.py")
    button(at, "Submit my answer").click()
    at.run()
    assert_clean(at)
    assert any("Your answer is empty" in e for e in errors(at))


def test_a_10_kb_field_is_refused_and_the_text_kept(demo_db):
    sid = survey_id("Mobile Apps")
    at = open_page(MEMBER, "pages/survey.py")
    long_text = "Why " * 2_560  # 10,240 characters
    add_objective(at, sid, "Big idea", long_text)
    assert_clean(at)
    assert any("The problem it solves is 10,239 characters long; the limit is 4,000" in e for e in errors(at))
    assert at.text_area(key=f"survey_{sid}_new_problem").value == long_text
    assert at.text_input(key=f"survey_{sid}_new_title").value == "Big idea"
    assert draft_of(MEMBER, sid) is None


def test_html_emoji_and_rtl_are_shown_as_plain_text(demo_db):
    sid = survey_id("Mobile Apps")
    at = open_page(MEMBER, "pages/survey.py")
    at.text_area(key=f"survey_{sid}_new_concern").input(f"{XSS} 🚀 שלום مرحبا")
    button(at, "Add risk or concern").click()
    at.run()
    assert_clean(at)
    shown = [m.value for m in at.markdown if "onerror" in m.value]
    assert shown and all("\\<img" in value for value in shown)
    assert "🚀 שלום مرحبا" in "\n".join(shown)


def test_after_the_deadline_the_form_is_read_only_and_keeps_the_draft(demo_db):
    sid = survey_id("Mobile Apps")
    at = open_page(MEMBER, "pages/survey.py")
    add_objective(at, sid, "Late idea")
    db.execute("UPDATE surveys SET deadline = ? WHERE id = ?", [dt.datetime.now() - dt.timedelta(minutes=1), sid])
    at = open_page(MEMBER, "pages/survey.py")
    assert_clean(at)
    assert "Your draft is kept" in texts(at) and "Late idea" in texts(at)
    assert not [b for b in at.button if b.label in ("Submit my answer", "Add objective idea")]
    assert "Late idea" in draft_of(MEMBER, sid)


def test_anonymous_survey_says_what_anonymity_means(demo_db):
    at = open_page("ana.silva@harbor.example", "pages/survey.py")
    assert_clean(at)
    shown = texts(at)
    assert "This survey is anonymous." in shown and "you cannot edit or withdraw it after submitting" in shown
    assert any(b.label == "Submit anonymously (final)" for b in at.button)


def test_lead_sees_participation_and_a_reminder(demo_db):
    at = open_page(LEAD, "pages/survey_manage.py")
    assert_clean(at)
    shown = texts(at)
    assert "Mobile Apps survey · 2027-Q1" in shown and "Nikolai Petrov" in shown and "Not started" in shown
    assert [m.value for m in at.metric][:2] == ["0 of 6", "0%"]
    reminder = at.code[0].value
    assert reminder.startswith("Hi Nikolai, Aisha, Ben, Elena and Omar,") and reminder.endswith("Chloé Martin")
    assert any(b.label == "Close the survey now" for b in at.button)


def test_lead_closes_early_only_when_confirmed_then_reopens(demo_db):
    sid = survey_id("Mobile Apps")
    at = open_page(LEAD, "pages/survey_manage.py")
    button(at, "Close the survey now").click()
    at.run()
    assert "Tick “Yes, close it now” first." in texts(at)
    assert db.scalar("SELECT closed_at FROM surveys WHERE id = ?", [sid]) is None
    team_id = db.scalar("SELECT team_id FROM surveys WHERE id = ?", [sid])
    at.checkbox(key=f"survey_manage_{team_id}_2027-Q1_close_sure").check()
    button(at, "Close the survey now").click()
    at.run()
    assert_clean(at)
    assert "The survey is closed." in texts(at) and "Closed early on" in texts(at)
    button(at, "Reopen the survey").click()
    at.run()
    assert_clean(at)
    assert "Reopened: the survey now closes" in texts(at)
    assert db.scalar("SELECT closed_at FROM surveys WHERE id = ?", [sid]) is None


def test_lead_opens_a_survey_for_the_planning_quarter(demo_db):
    at = open_page(NO_SURVEY_LEAD, "pages/survey_manage.py")
    assert_clean(at)
    assert any(s.value.startswith("Open the Developer Platform survey for") for s in at.subheader)
    assert len(at.multiselect[0].value) == 5  # company objectives and product strategy, preselected
    at.toggle[0].set_value(True)
    button(at, "Open the survey").click()
    at.run()
    assert_clean(at)
    assert "survey for 2027-Q1 is open" in texts(at)
    found = db.row("""SELECT s.anonymous, s.deadline FROM surveys s JOIN teams t ON t.id = s.team_id
                      WHERE t.name = 'Developer Platform' AND s.quarter = '2027-Q1'""")
    assert found["anonymous"] and found["deadline"].hour == 17


@pytest.mark.parametrize("email", [MANAGER, PLATFORM_MANAGER])
def test_managers_read_participation_of_their_subtree_only(demo_db, email):
    at = open_page(email, "pages/survey_manage.py")
    assert_clean(at)
    shown = texts(at)
    assert "as a manager: participation is read-only" in shown
    options = at.selectbox(key="team").options
    if email == MANAGER:
        assert "Scheduling" in options and "Mobile Apps" not in options
    else:
        assert "Mobile Apps" in options and "Scheduling" not in options
    assert not [b for b in at.button if b.label in ("Close the survey now", "Extend", "Save settings")]


@pytest.mark.parametrize(("email", "page", "message"), [
    (OUTSIDER, "pages/survey.py", "Surveys are for team members; Rosa Jiménez belongs to no team."),
    (OUTSIDER, "pages/survey_manage.py", "Survey management is for team leads and managers; Rosa Jiménez is"),
    (MEMBER, "pages/survey_manage.py", "Survey management is for team leads and managers; Ben Carter is neither."),
    (MANAGER, "pages/survey.py", "Surveys are for team members; Daniel Brandt belongs to no team."),
])
def test_people_without_the_role_are_refused(demo_db, email, page, message):
    at = open_page(email, page)
    assert_clean(at)
    assert message in texts(at)
    assert not at.button and not at.text_input


def test_home_shows_the_survey_owed_with_its_deadline(demo_db):
    at = open_page(MEMBER)
    assert_clean(at)
    shown = texts(at).replace("\\", "")  # Home escapes Markdown in what it lists
    assert "Answer the Mobile Apps survey for 2027-Q1" in shown
    assert any(word in shown for word in ("Closes in", "Closes today", "Closes tomorrow"))
    assert any(link.label == "Answer the survey" for link in at.get("page_link"))
    at = open_page(NO_SURVEY_LEAD)
    assert "Open a survey for 2027-Q1: Developer Platform" in texts(at).replace("\\", "")


def test_lead_changes_settings_and_anonymity_locks_once_answers_arrived(demo_db):
    sid = survey_id("Mobile Apps")
    at = open_page(LEAD, "pages/survey_manage.py")
    toggle = next(t for t in at.toggle if t.label == "Anonymous answers")
    assert not toggle.disabled  # nobody has submitted yet
    toggle.set_value(True)
    button(at, "Save settings").click()
    at.run()
    assert_clean(at)
    assert "Settings saved." in texts(at)
    assert db.scalar("SELECT anonymous FROM surveys WHERE id = ?", [sid]) is True
    at = open_page("oliver.grant@harbor.example", "pages/survey_manage.py")  # Scheduling: answers arrived
    toggle = next(t for t in at.toggle if t.label == "Anonymous answers")
    assert toggle.disabled and "Anonymity is locked: 4 answers arrived" in texts(at)


def test_one_line_prefills_a_key_result_idea_with_live_verdicts(demo_db):
    sid = survey_id("Mobile Apps")
    at = open_page(MEMBER, "pages/survey.py")
    add_objective(at, sid, "Faster app start", "Cold start takes 6 s on older Android phones")
    key = f"survey_{sid}_{json.loads(draft_of(MEMBER, sid))['objectives'][0]['key']}"
    at.text_input(key=f"{key}_kr_title").input("Cut cold start from 6 s to 2 s").run()
    assert [at.text_input(key=f"{key}_kr_{n}").value for n in ("metric", "unit", "baseline", "target")] == [
        "cold start", "s", "6", "2"]
    assert "S passes · M passes" in texts(at)
    at.text_input(key=f"{key}_kr_title").input("Improve the app").run()
    assert "S fails" in texts(at)
    assert at.text_input(key=f"{key}_kr_baseline").value == ""  # what the reading filled follows the new line
    at.text_input(key=f"{key}_kr_target").input("3")
    at.text_input(key=f"{key}_kr_title").input("Cut cold start to 2 s").run()
    assert at.text_input(key=f"{key}_kr_target").value == "3"  # typed by hand: kept

