"""axe-core on every page each persona can open, in Chromium: 0 serious or critical violations in okrdash's own
content (tests/browser/axe.py lists the one known exception in Streamlit's markup, with the reason).

One server and one browser context per persona: pages are reached the way a person does, by the sidebar menu (and
the workshop's step links for its hidden steps), so the whole walk stays around two minutes. A page a persona may
not open draws the same refusal for every page (ui.page; the role × page matrix is tested with AppTest): it is
checked once per persona. The unknown email's "ask an admin" page, the sign-in screens and the setup page are
checked in test_signin_journey.py and test_first_start.py, where they appear.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from okrdash import auth
from okrdash.navigation import all_pages
from okrdash.ui import live
from tests.browser.axe import serious_violations
from tests.browser.streamlit_page import assert_no_exception, screenshot, wait_idle

PERSONAS = {
    "maya.okafor@harbor.example": "admin, manager of the organisation",
    "daniel.brandt@harbor.example": "department manager",
    "tomas.herrera@harbor.example": "lead of Onboarding",
    "hannah.weiss@harbor.example": "member of Onboarding",
    "rosa.jimenez@harbor.example": "member of no team",
}


def url_path(script: str) -> str:
    return script.removeprefix("pages/").removesuffix(".py")


def go_to(page: Page, base_url: str, script: str) -> None:
    """Open a page through a link on screen (the menu, or the workshop's step bar), as a person would."""
    target = "" if script == "pages/home.py" else url_path(script)
    hrefs = [f"{base_url}/{target}", f"/{target}", target]  # and with a query (the big screen's ?team=&quarter=)
    link = page.locator(", ".join(f'a[href="{h}"], a[href^="{h}?"]' for h in hrefs)).first
    link.click()
    page.wait_for_url(f"{base_url}/{target}*")
    wait_idle(page)
    # The pointer stays where the link was, over whatever the new page draws there: a help tooltip fading in
    # (its text half transparent) is not what a person reads. Move it off the page's content first.
    page.mouse.move(0, 0)
    expect(page.locator(".stTooltipContent")).to_have_count(0)


@pytest.mark.parametrize("email", list(PERSONAS))
def test_every_page_a_persona_opens_has_no_serious_violations(app, new_page, demo_db, email):
    actor = auth.load_by_email(email)
    assert actor is not None, email
    page = new_page()
    page.goto(f"{app.url}/?as={email}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Hello, {actor.name.split()[0]}")).to_be_visible()
    found, refused = {}, None
    for script, _title, _icon, rule, _in_menu in all_pages():
        if not auth.may_open(actor, rule):
            refused = refused or script
            continue
        go_to(page, app.url, script)
        assert_no_exception(page)
        found[script] = serious_violations(page)
        if script == live.SCREEN:  # the big screen has no menu: back to the workshop page that linked it
            page.go_back()
            wait_idle(page)
    if refused:  # the refusal screen, reached by its URL as nobody's menu offers it
        page.goto(f"{app.url}/{url_path(refused)}?as={email}")
        wait_idle(page)
        expect(page.get_by_text("ask an admin for the role this page needs")).to_be_visible()
        found[f"{refused} (refused)"] = serious_violations(page)
    screenshot(page, f"a11y-{email.split('@')[0]}")
    assert len(found) >= 3
    assert {script: problems for script, problems in found.items() if problems} == {}
