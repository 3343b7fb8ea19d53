"""Journey: a member changes what okrdash sends her; someone opens an unsubscribe link from an email in a browser
that has never signed in; a member downloads the workshop invitation from the Survey page and it parses with the
right time; the pages around them (Survey setup, Check-ins, Admin → Notifications) render in Chromium."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from okrdash import settings
from okrdash.demo import content
from okrdash.notify import tokens
from tests.browser.conftest import App
from tests.browser.streamlit_page import assert_no_exception, open_as, screenshot, wait_idle

MEI = "mei.chen@harbor.example"  # Scheduling
HANNAH_ID = content.PEOPLE.index("Hannah Weiss") + 1  # the demo numbers people in this order, from 1
BEN = "ben.carter@harbor.example"  # Mobile Apps, whose survey is open
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, demo_template: str, storage) -> Iterator[App]:
    """The app on a copy of the demo, with the organisation in Berlin."""
    folder = tmp_path_factory.mktemp("notify-browser")
    database = storage.create(folder / "app.duckdb", demo_template)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OKRDASH_TIMEZONE", "Europe/Berlin")
        patch.delenv("OKRDASH_SECRET_KEY", raising=False)
        running = App(database, folder / "streamlit.log")
    yield running
    running.stop()


def test_a_member_changes_what_okrdash_sends_her(app, new_page):
    page = new_page()
    page.goto(app.url)  # the process's first run goes through app.py
    wait_idle(page)
    open_as(page, app.url, MEI, "notifications")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    digest = page.get_by_role("checkbox", name="Email: Weekly manager digest")
    expect(digest).to_be_checked()
    expect(page.get_by_role("checkbox", name="Email: Survey opened")).not_to_be_checked()  # the demo's choice
    digest.uncheck(force=True)
    page.get_by_role("button", name="Save my choices").click()
    wait_idle(page)
    expect(page.get_by_text("Saved: okrdash sends you what you ticked.")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "notifications-preferences")
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("checkbox", name="Email: Weekly manager digest")).not_to_be_checked()


def test_an_unsubscribe_link_works_in_a_browser_that_never_signed_in(app, new_page, monkeypatch):
    monkeypatch.setenv("OKRDASH_DB", str(app.database))  # sign with the app's own key (beside its database)
    token = tokens.make(HANNAH_ID, "survey_closing", dt.datetime.now(dt.UTC))
    assert settings.secret_key()
    page = new_page()
    page.goto(f"{app.url}/notifications?unsubscribe={token}")
    wait_idle(page)
    expect(page.get_by_text("Unsubscribed: Hannah Weiss (hannah.weiss@harbor.example) will no longer get “Survey "
                            "closes within 48 hours” emails")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Email: Survey closes within 48 hours")).not_to_be_checked()
    expect(page.get_by_text("Acting as")).to_have_count(0)  # nobody's identity, no menu of other pages
    assert_no_exception(page)
    screenshot(page, "notifications-unsubscribed")

    page.get_by_role("checkbox", name="Email: OKRs published").uncheck(force=True)
    page.get_by_role("button", name="Save my choices").click()
    wait_idle(page)
    expect(page.get_by_text("Saved: okrdash sends you what you ticked.")).to_be_visible()

    forged = new_page()
    forged.goto(f"{app.url}/notifications?unsubscribe={token[:-3]}abc")
    wait_idle(forged)
    expect(forged.get_by_text("This unsubscribe link is not valid")).to_be_visible()
    expect(forged.get_by_role("checkbox")).to_have_count(0)
    screenshot(forged, "notifications-forged-link")


def test_a_member_downloads_the_workshop_invitation(app, new_page, tmp_path):
    page = new_page()
    open_as(page, app.url, BEN, "survey")
    expect(page.get_by_role("button", name="Add the workshop to my calendar")).to_be_visible()
    screenshot(page, "survey-calendar-buttons")
    with page.expect_download() as download:
        page.get_by_role("button", name="Add the workshop to my calendar").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "mobile-apps-2027-q1-workshop.ics"
    (event,) = icalendar.Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    # The demo's Mobile Apps survey closes six days after its today (Tue 24 Nov, 17:00); the workshop is the next
    # working day at 10:00 in the organisation's zone.
    assert event.decoded("DTSTART") == dt.datetime(2026, 11, 25, 10, 0, tzinfo=BERLIN)
    assert event.decoded("DTSTART").astimezone(dt.UTC).hour == 9
    assert str(event["SUMMARY"]) == "Mobile Apps OKR workshop for 2027-Q1"
    with page.expect_download() as deadline:
        page.get_by_role("button", name="Add the deadline to my calendar").click()
    (closing,) = icalendar.Calendar.from_ical(Path(deadline.value.path()).read_bytes()).walk("VEVENT")
    assert closing.decoded("DTEND") == dt.datetime(2026, 11, 24, 17, 0, tzinfo=BERLIN)
    assert_no_exception(page)


def test_the_pages_around_notifications_render(app, new_page):
    page = new_page()
    open_as(page, app.url, "chloe.martin@harbor.example", "survey_manage")
    page.get_by_text("Workshop: date, time and place").click()
    wait_idle(page)
    expect(page.get_by_role("group", name="Workshop date")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "survey-setup-workshop")

    open_as(page, app.url, "arjun.mehta@harbor.example", "checkins")
    page.get_by_text("Add a weekly check-in reminder to my calendar").click()
    wait_idle(page)
    expect(page.get_by_role("button", name="Download the reminder (.ics)")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "checkins-reminder")

    open_as(page, app.url, "maya.okafor@harbor.example", "admin", admin_tab="Notifications")
    expect(page.get_by_role("heading", name="What remind would send now")).to_be_visible()
    expect(page.get_by_text("Vote now: Onboarding's ranking round for 2027-Q1").first).to_be_visible()
    expect(page.get_by_text("Vote: http://localhost:8501/workshop_rank", exact=False)).to_be_visible()
    page.wait_for_timeout(1500)  # the tables draw on a canvas after the script run ends
    assert_no_exception(page)
    screenshot(page, "admin-notifications")
