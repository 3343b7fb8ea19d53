"""Journey: Onboarding's lead writes three key results, fixes the SMART letters that fail by following the hints,
publishes, downloads the Markdown one-pager; then a member reads the published one-pager."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrdash import auth, ideas, objectives, quarters, strategy, teams
from tests.browser.conftest import App
from tests.browser.streamlit_page import assert_no_exception, choose, open_as, screenshot, wait_idle
from tests.conftest import filled

TOMAS, HANNAH = "tomas.herrera@harbor.example", "hannah.weiss@harbor.example"
OBJECTIVE = "Switching to Harbor takes an afternoon, not a month"
SETUP: dict[str, str] = {}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, demo_template: str, storage) -> Iterator[App]:
    """Today's demo organisation where Onboarding has chosen its objective for the planning quarter (no key results
    yet), prepared through the library before the server opens the file."""
    def choose_the_objective() -> str:
        quarter = quarters.planning_key()
        lead = auth.load_by_email(TOMAS)
        onboarding = next(t["id"] for t in teams.all_teams() if t["name"] == "Onboarding")
        idea = next(i for i in ideas.objective_ideas(lead, onboarding, quarter) if i["key_results"])
        objectives.select(lead, onboarding, quarter, idea_id=idea["id"], title=OBJECTIVE,
                          why="New customers retype hundreds of clients by hand, and some give up halfway.",
                          strategy_item_id=strategy.items(quarter, "company_objective")[0]["id"])
        return quarter

    folder = tmp_path_factory.mktemp("kr_journey")
    database, SETUP["quarter"] = filled(storage, folder / "app.duckdb", choose_the_objective, template=demo_template)
    # With live updates on, as the app runs by default: the lead writes key results while the step ticks.
    running = App(database, folder / "streamlit.log")
    yield running
    running.stop()


def tall_screenshot(page: Page, name: str) -> Path:
    """The whole page (Streamlit scrolls inside its main area, so a full-page shot would stop at the viewport)."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 8000)})
    wait_idle(page)
    path = screenshot(page, name)
    page.set_viewport_size(size)
    wait_idle(page)
    return path


def card(page: Page, title: str):
    return page.locator('[class*="st-key-krs_"][class*="_card"]').filter(has_text=title)


def settle(page: Page) -> None:
    """Wait until the rerun a click started has finished (it may not have started when the click returns)."""
    wait_idle(page)
    page.wait_for_timeout(400)
    wait_idle(page)


def type_into(scope, label: str, text: str) -> None:
    page = scope.page
    settle(page)
    field = scope.get_by_label(label, exact=True)
    field.fill(text)
    field.press("Tab")
    settle(page)


def tick(scope, page: Page) -> None:
    """Tick “Discussed with the team and achievable” (click its label, as a person would)."""
    box = scope.get_by_role("checkbox", name="Discussed with the team and achievable")
    if not box.is_checked():
        scope.get_by_text("Discussed with the team and achievable", exact=True).click()
        wait_idle(page)
    expect(box).to_be_checked()


def test_lead_writes_refines_publishes_and_a_member_reads_it(app, new_page):
    quarter = SETUP["quarter"]
    page = new_page(1400, 1100)
    open_as(page, app.url, TOMAS)  # the first run of a fresh server settles the navigation first
    page.goto(f"{app.url}/workshop_key_results?team=Onboarding&quarter={quarter}&as={TOMAS}")
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text(OBJECTIVE)).to_be_visible()
    expect(page.get_by_text("Key results · 0 of 5")).to_be_visible()

    # 1. From a brainstormed idea: prefilled, the lead confirms it after discussion and adds it.
    page.get_by_role("button", name="Use as a key result").first.click()
    settle(page)
    new = page.locator(".st-key-krs_add_open")
    expect(new.get_by_text("prefilled from a brainstormed idea")).to_be_visible()
    tick(new, page)
    new.get_by_role("button", name="Add key result").click()
    settle(page)
    expect(page.get_by_text("Key results · 1 of 5")).to_be_visible()

    # 2. Typed by hand, not yet discussed: Achievable fails.
    type_into(new, "Key result", "Cut CSM hours per mid-market onboarding from 9 to 4")
    type_into(new, "Metric", "CSM hours per onboarding")
    type_into(new, "Unit", "h")
    type_into(new, "Baseline", "9")
    type_into(new, "Target", "4")
    expect(new.get_by_label("Kind", exact=True)).to_have_value("Decrease to")  # read from the line
    choose(page, "Owner", "Hannah Weiss", within=new)
    new.get_by_role("button", name="Add key result").click()
    settle(page)
    expect(page.get_by_text("Key results · 2 of 5")).to_be_visible()

    # 3. A milestone with a vague verb: Specific fails, and the SMART check says so while typing.
    choose(page, "Kind", "Milestone", within=new)
    type_into(new, "Key result", "Improve the spreadsheet import")
    new.get_by_label("Definition of done").fill(
        "Owners import customers and price lists from CSV or XLSX; errors shown per row; used by 20 accounts")
    new.get_by_label("Definition of done").press("Tab")
    wait_idle(page)
    expect(new.get_by_text("S · Specific fails")).to_be_visible()
    choose(page, "Owner", "Arjun Mehta", within=new)
    tick(new, page)
    new.get_by_role("button", name="Add key result").click()
    settle(page)
    expect(page.get_by_text("Key results · 3 of 5")).to_be_visible()
    expect(page.get_by_text("Not ready to publish yet: 2 thing(s) to fix.")).to_be_visible()
    tall_screenshot(page, "kr-journey-1-three-krs-two-failing")

    # 4. Follow the hints: name the deliverable, then confirm the second one after discussion.
    vague = card(page, "Improve the spreadsheet import")
    expect(vague.get_by_text("Name the thing that will exist when it is done")).to_be_visible()
    type_into(vague, "Key result", "Ship spreadsheet import for customers and price lists")
    expect(vague.get_by_text("S · Specific passes")).to_be_visible()
    vague.get_by_role("button", name="Save changes").click()
    settle(page)
    unconfirmed = card(page, "Cut CSM hours per mid-market onboarding")
    expect(unconfirmed.get_by_text("Discuss it with the team, then tick")).to_be_visible()
    tick(unconfirmed, page)
    expect(unconfirmed.get_by_text("A · Achievable passes")).to_be_visible()
    unconfirmed.get_by_role("button", name="Save changes").click()
    settle(page)
    expect(page.get_by_text("Ready to publish: 3 key results and no failing SMART letter.")).to_be_visible()
    assert_no_exception(page)
    tall_screenshot(page, "kr-journey-2-all-smart")

    # 5. Publish with a note; the one-pager opens.
    page.get_by_role("link", name="Next: publish").click()
    settle(page)
    expect(page.get_by_text("Preview: what the organisation will see")).to_be_visible()
    tall_screenshot(page, "kr-journey-3-publish-step")
    page.get_by_label("Note for the change log (optional)").fill("First version after Tuesday's workshop.")
    page.get_by_role("button", name="Publish version 1").click()
    settle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Published version 1.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Onboarding · OKRs for {quarter}")).to_be_visible()

    # 6. Download the Markdown one-pager.
    with page.expect_download() as info:
        page.get_by_role("button", name="Markdown").click()
    download = info.value
    assert download.suggested_filename == f"okr-onboarding-{quarter.lower()}-v1.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith(f"# Onboarding — OKRs for {quarter}\n")
    assert f"**{OBJECTIVE}**" in text
    assert "Ship spreadsheet import for customers and price lists" in text
    assert "Cut CSM hours per mid\\-market onboarding from 9 to 4" in text or \
           "Cut CSM hours per mid-market onboarding from 9 to 4" in text
    assert "Serves: Company objective: Win the mid" in text

    # 7. The lead shares the link; a member opens it and reads the one-pager.
    link = page.get_by_test_id("stCode").inner_text().strip()
    assert link.startswith(f"{app.url}/okrs?") and "team=Onboarding" in link
    member = new_page(1400, 1100)
    open_as(member, app.url, HANNAH)
    member.goto(f"{link}&as={HANNAH}")
    wait_idle(member)
    assert_no_exception(member)
    expect(member.get_by_role("heading", name=f"Onboarding · OKRs for {quarter}")).to_be_visible()
    expect(member.get_by_text(OBJECTIVE)).to_be_visible()
    expect(member.get_by_text("Ship spreadsheet import for customers and price lists")).to_be_visible()
    expect(member.get_by_text("Version 1 · published")).to_be_visible()
    tall_screenshot(member, "kr-journey-4-member-one-pager")
    member.get_by_text("Print layout", exact=True).click()
    wait_idle(member)
    expect(member.get_by_role("button", name="Markdown")).to_have_count(0)
    tall_screenshot(member, "kr-journey-5-print-layout")
