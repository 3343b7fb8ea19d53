"""`remind` in-process against a real SMTP server (STARTTLS, AUTH) and a real HTTPS webhook receiver: who gets
what, with which subject and links, once per period, and what people chose."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from okrdash import auth, db, surveys
from okrdash.notify import prefs, remind, tokens, webhooks
from tests.notify.scenario import DEADLINE, NOW, growth_survey, submit

SURVEY_URL = "https://okr.harbor.example/survey?survey=Growth+%C2%B7+2027-Q1"


def bodies(message) -> tuple[str, str]:
    return tuple(message.get_body((part,)).get_content().replace("\r\n", "\n") for part in ("plain", "html"))


def test_survey_opened_goes_once_to_members_by_email_and_to_the_team_chat(org, configured, hooks):
    growth_survey(org)
    webhooks.set_url(org.lead, org.growth, hooks.url("growth"))

    report = remind.run(now=NOW)

    assert report.ok and report.count("sent") == 3, report.lines
    inbox = configured.inbox
    subject = "The Growth survey for 2027-Q1 is open: answer by Wed 25 Nov 2026 at 17:00"
    # The members, not the lead who opened it; nobody outside Growth.
    assert sorted(inbox.received()) == [("max@example.com", subject), ("mia@example.com", subject)]
    first = inbox.messages[0]
    assert first["tls"] and first["authenticated"] and first["from"] == "okrdash@harbor.example"
    message = first["message"]
    assert message["From"] == "okrdash <okrdash@harbor.example>" and message["Auto-Submitted"] == "auto-generated"
    text, html = bodies(message)
    assert SURVEY_URL in text and SURVEY_URL.replace("&", "&amp;") in html
    assert "Tell us what <b>matters</b> & why" in text  # the lead's words as typed in the text part…
    assert "Tell us what &lt;b&gt;matters&lt;/b&gt; &amp; why" in html and "<b>matters" not in html  # …escaped in HTML
    assert "The workshop: Thu 26 Nov 2026, 10:00–13:00, Room <Lighthouse> & co." in text
    # One-click unsubscribe: the header and the footer carry the same signed link, for this person and kind.
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://okr.harbor.example/notifications?unsubscribe=") and link in text
    token = parse_qs(urlsplit(link).query)["unsubscribe"][0]
    person = auth.load_by_email(first["to"][0])
    found = tokens.read(token, dt.datetime.now(dt.UTC))
    assert (found.person_id, found.kind) == (person.person_id, "survey_opened")
    calendars = sorted(part.get_filename() for part in message.iter_attachments())
    assert calendars == ["growth-2027-q1-survey-deadline.ics", "growth-2027-q1-workshop.ics"]

    (post,) = hooks.posts
    assert post["path"] == "/growth" and post["type"] == "application/json"
    body = post["json"]
    assert body["text"] == "The Growth survey for 2027-Q1 is open: it closes in 7 days (Wed 25 Nov 2026 at 17:00)."
    attachment = body["attachments"][0]
    assert attachment["title_link"] == SURVEY_URL
    # Typed text cannot make links, markup or mentions in chat.
    assert "&lt;b&gt;matters&lt;/b&gt; &amp; why, @\u200bchannel" in attachment["text"]

    again = remind.run(now=NOW + dt.timedelta(hours=1))
    assert again.ok and again.count("sent") == 0 and again.already == 3
    assert len(inbox.messages) == 2 and len(hooks.posts) == 1
    assert db.column("SELECT status FROM notify_log ORDER BY id") == ["sent", "sent", "sent"]


def test_the_closing_nudge_goes_to_those_who_have_not_submitted_once_per_deadline(org, configured):
    survey_id = growth_survey(org)
    remind.run(now=NOW)
    submit(org.member, survey_id)
    closing = DEADLINE - dt.timedelta(hours=47)

    remind.run(now=closing)
    nudged = configured.inbox.received()[2:]
    subject = "Reminder: the Growth survey closes in 2 days (Wed 25 Nov 2026 at 17:00)"
    assert sorted(nudged) == [("lee@example.com", subject), ("max@example.com", subject)]
    remind.run(now=closing + dt.timedelta(hours=5))
    assert len(configured.inbox.messages) == 4  # once per survey and deadline

    # A later deadline is a new period: those who still owe an answer hear again before it.
    surveys.extend(org.lead, survey_id, DEADLINE + dt.timedelta(hours=1), now=closing)
    report = remind.run(now=closing + dt.timedelta(hours=6))
    assert report.count("sent") == 2 and {to for to, _ in configured.inbox.received()[4:]} == {
        "lee@example.com", "max@example.com"}


def test_an_anonymous_survey_nudge_reveals_nobody_else(org, configured, hooks):
    survey_id = growth_survey(org, anonymous=True)
    webhooks.set_url(org.lead, org.growth, hooks.url("growth"))
    submit(org.member, survey_id)
    remind.run(now=DEADLINE - dt.timedelta(hours=20))

    assert sorted(to for to, _ in configured.inbox.received()) == ["lee@example.com", "max@example.com"]
    for received in configured.inbox.messages:
        text, html = bodies(received["message"])
        for other in ("Mia", "answered so far", "1 of 3"):
            assert other not in text and other not in html
        assert "Answers are anonymous" in text
    (post,) = hooks.posts
    assert "Mia" not in str(post["json"]) and "answered" not in str(post["json"])


def test_each_person_chooses_email_and_team_chat(org, configured, hooks):
    growth_survey(org)
    webhooks.set_url(org.lead, org.growth, hooks.url("growth"))
    prefs.save(org.member, {"survey_opened": {"email": False}})  # Mia follows surveys in the chat
    prefs.save(org.member2, {"survey_opened": {"chat": False}})  # Max wants email only

    remind.run(now=NOW)
    assert [to for to, _ in configured.inbox.received()] == ["max@example.com"]
    assert len(hooks.posts) == 1  # Mia keeps team chat on, so the team post goes

    # Nobody it is meant for wants team chat: no post (a new survey period, Core's, has no webhook anyway).
    prefs.save(org.member, {"survey_closing": {"chat": False}})
    prefs.save(org.member2, {"survey_closing": {"chat": False}})
    prefs.save(org.lead, {"survey_closing": {"chat": False}})
    remind.run(now=DEADLINE - dt.timedelta(hours=3))
    assert len(hooks.posts) == 1
    assert sorted(to for to, _ in configured.inbox.received()[1:]) == [
        "lee@example.com", "max@example.com", "mia@example.com"]


def test_a_dry_run_sends_and_records_nothing(org, configured):
    growth_survey(org)
    report = remind.run(now=NOW, dry_run=True)
    assert report.count("would send") == 2 and report.ok
    assert not configured.inbox.messages and not db.scalar("SELECT count(*) FROM notify_log")
    only = remind.run(now=NOW, only="checkin_due")
    assert only.count("sent") == 0 and not configured.inbox.messages


def test_a_preview_builds_no_calendar_files(org, configured, monkeypatch):
    """The Admin preview (and the demo's sent log) reads subjects and bodies only; the .ics files are made when an
    email is built to go out (the first test checks they are attached then)."""
    from okrdash.notify import ics

    built = []
    monkeypatch.setattr(ics, "deadline_file", lambda *args: built.append("deadline") or b"")
    monkeypatch.setattr(ics, "workshop_file", lambda *args: built.append("workshop") or b"")
    growth_survey(org)
    previews = [remind.render_one(item, None, NOW) for item in remind.plan(NOW)]
    assert [p.subject for p in previews] == [
        "The Growth survey for 2027-Q1 is open: answer by Wed 25 Nov 2026 at 17:00"] * 2 and built == []
