"""AppTest of notifications on the demo organisation: a person's choices, the unsubscribe link without signing in,
a lead's chat webhook, the Admin preview, and the workshop and calendar files on the survey pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from okrdash import auth, db
from okrdash.notify import prefs, tokens, webhooks
from tests.pages.apptest import assert_clean, errors, open_admin, open_page, texts

HANNAH = "hannah.weiss@harbor.example"  # member of Onboarding
MEI = "mei.chen@harbor.example"  # Scheduling; the demo has her follow surveys in chat only
LEAD = "noor.alsayed@harbor.example"  # leads Developer Platform: no survey yet, no chat
MAYA = "maya.okafor@harbor.example"  # admin


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setenv("OKRDASH_SECRET_KEY", "page-tests-secret-long-enough")


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def person(email: str) -> auth.Actor:
    return auth.load_by_email(email)


def test_a_person_changes_what_okrdash_sends_them(demo_db):
    at = open_page(MEI, "pages/notifications.py")
    assert_clean(at)
    assert "Emails go to **mei.chen@harbor.example**" in texts(at)
    boxes = {c.label: c for c in at.checkbox}
    assert not boxes["Email: Survey opened"].value and boxes["Team chat: Survey opened"].value
    assert "Team chat: Check-ins due" not in boxes  # personal kinds go by email only
    boxes["Email: Weekly manager digest"].uncheck()
    boxes["Team chat: OKRs published"].uncheck()
    button(at, "Save my choices").click()
    at.run()
    assert_clean(at)
    assert "Saved: okrdash sends you what you ticked." in texts(at)
    choices = prefs.choices_of(person(MEI).person_id)
    assert choices["manager_digest"] == {"email": False}
    assert choices["published"] == {"email": True, "chat": False}
    assert "**Scheduling** posts to `https://chat.harbor.example/…real`" in texts(at)


def test_the_unsubscribe_link_works_without_signing_in(demo_db):
    hannah = person(HANNAH)
    token = tokens.make(hannah.person_id, "checkin_due", dt.datetime.now(dt.UTC))
    at = open_page(None, None, unsubscribe=token)
    assert_clean(at)
    shown = texts(at)
    assert "Unsubscribed: Hannah Weiss (hannah.weiss@harbor.example) will no longer get “Check-ins due” emails" in shown
    assert "Acting as" not in str(at.sidebar) and not at.selectbox  # no identity picker, nobody else's data
    assert prefs.choices_of(hannah.person_id)["checkin_due"] == {"email": False}
    boxes = {c.label: c for c in at.checkbox}
    boxes["Email: Check-ins due"].check()  # changed her mind, still without signing in
    boxes["Email: Voting is open"].uncheck()
    button(at, "Save my choices").click()
    at.run()
    assert_clean(at)
    assert prefs.choices_of(hannah.person_id)["checkin_due"] == {"email": True}
    assert prefs.choices_of(hannah.person_id)["voting_open"]["email"] is False


@pytest.mark.parametrize(("make", "message"), [
    (lambda pid: tokens.make(pid, "survey_opened", dt.datetime.now(dt.UTC) - dt.timedelta(days=61)),
     "This unsubscribe link expired on"),
    (lambda pid: tokens.make(pid, "survey_opened", dt.datetime.now(dt.UTC))[:-2] + "xx",
     "This unsubscribe link is not valid: it may have been cut short when it was copied."),
    (lambda pid: f"v1.{pid}.all.9999999999.forged", "This unsubscribe link is not valid"),
])
def test_an_expired_or_forged_link_changes_nothing_and_says_so(demo_db, make, message):
    hannah = person(HANNAH)
    at = open_page(None, None, unsubscribe=make(hannah.person_id))
    assert_clean(at)
    assert any(message in e for e in errors(at))
    assert not at.checkbox
    assert not db.scalar("SELECT count(*) FROM notify_prefs WHERE person_id = ?", [hannah.person_id])


def test_a_lead_connects_the_team_chat_and_a_wrong_url_is_refused(demo_db):
    at = open_page(LEAD, "pages/notifications.py")
    assert_clean(at)
    team = db.scalar("SELECT id FROM teams WHERE name = 'Developer Platform'")
    field = at.text_input(key=f"notifications_hook_{team}_url")
    field.input("http://hooks.slack.com/services/T0/B0/abc")
    button(at, "Save").click()
    at.run()
    assert any("The webhook URL must start with https://" in e for e in errors(at))
    assert at.text_input(key=f"notifications_hook_{team}_url").value == "http://hooks.slack.com/services/T0/B0/abc"
    assert webhooks.url_of(team) is None
    at.text_input(key=f"notifications_hook_{team}_url").input("https://hooks.slack.com/services/T0/B0/abcd1234")
    button(at, "Save").click()
    at.run()
    assert_clean(at)
    assert webhooks.url_of(team) == "https://hooks.slack.com/services/T0/B0/abcd1234"
    assert "**Developer Platform** posts to `https://hooks.slack.com/…1234`" in texts(at)
    member = open_page(HANNAH, "pages/notifications.py")
    assert not [t for t in member.text_input if t.key.startswith("notifications_hook_")]  # members only read it


def test_admin_previews_what_remind_would_send_and_the_week_sent(demo_db):
    at = open_admin(MAYA, "Notifications")
    assert_clean(at)
    shown = texts(at)
    # The suite's clock ticks on from 10:00 (tests/conftest.py): the minute shown is whatever it is now.
    assert re.search(r"As of Wed 18 Nov 2026 at 1\d:\d\d: 4 message\(s\) due and not sent yet", shown)
    preview, log = at.dataframe
    assert sorted(preview.value["To"]) == ["arjun.mehta@harbor.example", "lucia.fernandez@harbor.example",
                                           "priya.raman@harbor.example", "tomas.herrera@harbor.example"]
    assert set(preview.value["Subject"]) == {"Vote now: Onboarding's ranking round for 2027-Q1"}
    assert "https://okr.harbor.example/workshop_rank?team=Onboarding&quarter=2027-Q1" not in at.code[0].value
    assert "Vote: http://localhost:8501/workshop_rank?team=Onboarding&quarter=2027-Q1" in at.code[0].value
    assert len(log.value) >= 5 and set(log.value["Status"]) == {"sent"}
    assert "Weekly manager digest" in set(log.value["Kind"])
    assert "Scheduling team chat" not in shown and "1 team(s) connected" in shown
    at.text_input(key="notify_admin_test_to").input("maya at harbor")
    button(at, "Send test email").click()
    at.run()
    assert any("“maya at harbor” is not an email address" in e for e in errors(at))


def test_the_lead_sets_the_workshop_when_opening_the_survey_and_members_get_calendar_files(demo_db):
    at = open_page(LEAD, "pages/survey_manage.py")
    assert_clean(at)
    prefix = next(t.key for t in at.text_input if t.key.endswith("_workshop_place"))[:-len("_place")]
    at.date_input(key=f"{prefix}_day").set_value(dt.date(2026, 11, 20))  # before the deadline (25 Nov, 17:00)
    at.text_input(key=f"{prefix}_place").input("Harbor HQ, Chart room")
    button(at, "Open the survey").click()
    at.run()
    assert any("must take place between the survey's deadline (Wed 25 Nov 2026 at 17:00) and Thu 14 Jan 2027" in e
               for e in errors(at))
    assert not db.scalar("SELECT count(*) FROM surveys s JOIN teams t ON t.id = s.team_id "
                         "WHERE t.name = 'Developer Platform' AND s.quarter = '2027-Q1'")
    assert at.text_input(key=f"{prefix}_place").value == "Harbor HQ, Chart room"  # kept as typed
    at.date_input(key=f"{prefix}_day").set_value(dt.date(2026, 11, 26))
    button(at, "Open the survey").click()
    at.run()
    assert_clean(at)
    assert db.row("SELECT starts_at, minutes, place FROM workshop_meetings m JOIN surveys s ON s.id = m.survey_id "
                  "JOIN teams t ON t.id = s.team_id WHERE t.name = 'Developer Platform'") == {
        "starts_at": dt.datetime(2026, 11, 26, 10, 0), "minutes": 180, "place": "Harbor HQ, Chart room"}
    assert "**The workshop**: Thu 26 Nov 2026, 10\\:00–13\\:00, Harbor HQ, Chart room" in texts(at)

    member = open_page("tariq.aziz@harbor.example", "pages/survey.py", survey="Developer Platform · 2027-Q1")
    assert_clean(member)
    assert "**The workshop**: Thu 26 Nov 2026, 10\\:00–13\\:00, Harbor HQ, Chart room" in texts(member)
    labels = [b.proto.label for b in member.get("download_button")]
    assert "Add the workshop to my calendar" in labels and "Add the deadline to my calendar" in labels


def test_an_owner_finds_the_weekly_reminder_on_the_check_ins_page(demo_db):
    owner = db.scalar("""SELECT p.email FROM key_results k JOIN objectives o ON o.id = k.objective_id
                         JOIN people p ON p.id = k.owner_id WHERE o.quarter = '2026-Q4' ORDER BY k.id LIMIT 1""")
    at = open_page(owner, "pages/checkins.py")
    assert_clean(at)
    assert [b.proto.label for b in at.get("download_button")] == ["Download the reminder (.ics)"]
    assert not open_page("rosa.jimenez@harbor.example", "pages/notifications.py").exception
