"""Journey: a KR owner records a check-in; a manager, in a second browser, opens the KR detail chart, finds the new
point in the chart's data, and acknowledges it; the owner sees the acknowledgement. Screenshots of every dashboard."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from playwright.sync_api import expect

from okrdash import db
from tests.browser.streamlit_page import assert_no_exception, open_as, screenshot, wait_idle

DANIEL = "daniel.brandt@harbor.example"  # manager of Customer Product
TOMAS = "tomas.herrera@harbor.example"  # lead of Onboarding
DASHBOARDS = ["dashboard_overview", "dashboard_team", "dashboard_kr", "dashboard_heatmap", "dashboard_history",
              "dashboard_alignment"]


@pytest.fixture(scope="module")
def onboarding_kr(demo_template: str, storage) -> dict:
    """A measured Onboarding KR of the current quarter and its owner (read from the demo the app started from)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in storage.env(demo_template).items():
            patch.setenv(name, value)
        try:
            return db.row(
                """SELECT k.id, k.title, k.unit, k.target, p.email, p.name FROM key_results k
                   JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
                   JOIN quarters q ON q.key = o.quarter AND q.is_current JOIN people p ON p.id = k.owner_id
                   WHERE t.name = 'Onboarding' AND k.kind IN ('increase_to', 'decrease_to')
                   ORDER BY k.position LIMIT 1""")
        finally:
            db.close_all()


def kr_card(page, title: str):
    """The bordered card of one KR on the Check-ins page (the innermost block holding its title and its form)."""
    return page.get_by_test_id("stVerticalBlock").filter(has_text=title).filter(
        has=page.get_by_test_id("stForm")).last


def chart_csv(page, file_name: str) -> list[dict]:
    """Download a chart's data (the CSV button under it, the first whose file is `file_name`) and parse it."""
    wait_idle(page)  # the first such button of this run, not of the last
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the data (CSV)").first.click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    # Once on a busy worker (PostgreSQL run) the rows lacked the chart's columns: say what came instead.
    assert download.value.suggested_filename == file_name, (download.value.suggested_filename, text[:300])
    return list(csv.DictReader(io.StringIO(text)))


def test_owner_checks_in_and_the_manager_sees_the_new_point(app, new_page, onboarding_kr):
    kr, today = onboarding_kr, dt.date.today()
    value = int(kr["target"])  # reaching the target: a point nobody could mistake for an old one

    owner = new_page()
    open_as(owner, app.url, kr["email"], "checkins", kr=kr["id"])
    assert_no_exception(owner)
    expect(owner.get_by_role("heading", name="Check-ins")).to_be_visible()
    card = kr_card(owner, kr["title"])
    screenshot(owner, "tracking-checkins-owner")
    # The routine check-in: type the value, (confidence is prefilled), save.
    card.get_by_role("textbox", name="Value", exact=False).first.fill(str(value))
    card.get_by_role("textbox", name="Comment (optional)").fill("Big release landed")
    card.get_by_role("button", name="Save check-in").click()
    wait_idle(owner)
    assert_no_exception(owner)
    expect(owner.get_by_text(f"Check-in saved for “{kr['title']}”.")).to_be_visible()
    expect(owner.get_by_text("Progress 100%").first).to_be_visible()

    manager = new_page()
    open_as(manager, app.url, DANIEL, "dashboard_kr", kr=kr["id"])
    assert_no_exception(manager)
    expect(manager.get_by_role("heading", name=kr["title"])).to_be_visible()
    expect(manager.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    rows = chart_csv(manager, f"key-result-{kr['id']}-progress.csv")
    assert rows and {"day", "series", "value"} <= set(rows[0]), rows[:3]
    actual = [r for r in rows if r["series"] == "Actual"]
    assert actual[-1]["day"].startswith(today.isoformat()) and float(actual[-1]["value"]) == value
    assert {r["series"] for r in rows} >= {"Actual", "Expected", "Target"}
    expect(manager.get_by_text("Big release landed")).to_be_visible()
    screenshot(manager, "tracking-kr-detail-manager")

    manager.get_by_label("Comment (optional)").fill("Great news — share it at the all-hands")
    manager.get_by_role("button", name="Acknowledge").click()
    wait_idle(manager)
    assert_no_exception(manager)
    expect(manager.get_by_text("Acknowledged; the owner will see it.")).to_be_visible()

    owner.reload()
    wait_idle(owner)
    expect(owner.get_by_text("Great news — share it at the all-hands").first).to_be_visible()


def test_bad_input_keeps_what_was_typed(app, new_page, onboarding_kr):
    kr = onboarding_kr
    owner = new_page()
    open_as(owner, app.url, kr["email"], "checkins", kr=kr["id"])
    card = kr_card(owner, kr["title"])
    card.get_by_role("textbox", name="Value", exact=False).first.fill("about forty")
    card.get_by_role("textbox", name="Comment (optional)").fill("Typed with care")
    card.get_by_role("button", name="Save check-in").click()
    wait_idle(owner)
    assert_no_exception(owner)
    expect(owner.get_by_text("must be a number, not “about forty”", exact=False)).to_be_visible()
    expect(card.get_by_role("textbox", name="Comment (optional)")).to_have_value("Typed with care")


@pytest.mark.parametrize("path", DASHBOARDS)
def test_every_dashboard_renders_for_the_manager(app, new_page, path):
    page = new_page(1400, 1800)
    open_as(page, app.url, DANIEL, path)
    assert_no_exception(page)
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    wait_idle(page)
    page.wait_for_timeout(500)  # let Vega finish drawing before the picture
    screenshot(page, f"tracking-{path}-manager")


def test_the_lead_checks_in_for_the_team_and_members_see_their_team(app, new_page):
    lead = new_page(1400, 1800)
    open_as(lead, app.url, TOMAS, "checkins")
    assert_no_exception(lead)
    expect(lead.get_by_text("Your team's key results")).to_be_visible()
    wait_idle(lead)
    screenshot(lead, "tracking-checkins-lead")
    member = new_page(1400, 1800)
    open_as(member, app.url, "hannah.weiss@harbor.example", "dashboard_team")
    assert_no_exception(member)
    expect(member.get_by_text("Confidence over the quarter")).to_be_visible()
    expect(member.locator("[data-testid='stVegaLiteChart']").nth(1)).to_be_visible()
    wait_idle(member)
    member.wait_for_timeout(500)  # let Vega finish drawing before the picture
    screenshot(member, "tracking-dashboard_team-member")
