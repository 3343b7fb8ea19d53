"""Keyboard-only journeys: a member answers a survey and a lead casts a ballot without a mouse. The only input is
the keyboard (Tab to move, type into a field, arrows to change a number, Enter to press a button); the helper finds
its way by reading where the focus is, as a screen reader would announce it."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.streamlit_page import assert_no_exception, expect_toast, forget_toasts, screenshot, wait_idle

MEMBER = "ben.carter@harbor.example"  # Mobile Apps, whose survey is open
LEAD = "tomas.herrera@harbor.example"  # leads Onboarding, whose blind round is open

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '';
    const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
        || el.innerText || '';
    return label.replace(/\\s+/g, ' ').trim();
}"""


def tab_to(page: Page, wanted: str, *, limit: int = 150, exact: bool = False) -> str:
    """Press Tab until the focused element's label is `wanted` (exact) or contains it (buttons carry their icon's
    name); returns that label."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(FOCUSED)
        if label == wanted or (not exact and wanted in label):
            return label
        seen.append(label)
    raise AssertionError(f"Tab never reached “{wanted}”: {seen[-12:]}")


def settle(page: Page) -> None:
    wait_idle(page)
    page.wait_for_timeout(300)
    wait_idle(page)


def test_a_member_answers_the_survey_with_the_keyboard_only(app, new_page):
    page = new_page()
    page.goto(f"{app.url}/survey?as={MEMBER}")  # the server's first page: through the first-start screen
    wait_idle(page)
    expect(page.get_by_role("heading", name="1. Read first")).to_be_visible(timeout=30_000)

    tab_to(page, "Objective idea", exact=True)
    page.keyboard.type("Offline job notes")
    tab_to(page, "The problem it solves", limit=8, exact=True)
    page.keyboard.type("Technicians lose notes where there is no signal")
    tab_to(page, "Add objective idea", limit=20)
    forget_toasts(page)
    page.keyboard.press("Enter")
    settle(page)
    expect_toast(page, "Objective idea “Offline job notes” added to your draft.")
    expect(page.get_by_text("1. Offline job notes")).to_be_visible()

    tab_to(page, "Submit my answer", limit=250)
    forget_toasts(page)
    page.keyboard.press("Enter")
    settle(page)
    expect_toast(page, "Submitted, thank you!")
    assert_no_exception(page)
    screenshot(page, "keyboard-survey-submitted")


def test_a_lead_casts_a_ballot_with_the_keyboard_only(app, new_page):
    page = new_page()
    page.goto(f"{app.url}/workshop_rank?as={LEAD}")
    wait_idle(page)
    form = page.get_by_test_id("stForm").filter(has_text="Spend up to")
    expect(form).to_be_visible()
    expect(form.get_by_test_id("stNumberInput").nth(1)).to_be_visible()  # a redraw may be drawing the form
    ideas = [box.get_attribute("aria-label") for box in form.get_by_test_id("stNumberInput").locator("input").all()]
    assert len(ideas) >= 2, ideas

    for idea, points in zip(ideas[:2], (3, 2), strict=True):
        tab_to(page, idea, exact=True)
        for _ in range(points):
            page.keyboard.press("ArrowUp")
    tab_to(page, "Cast my Dot ballot", limit=30)
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_text("Your dot voting ballot is in.")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "keyboard-ballot-cast")
