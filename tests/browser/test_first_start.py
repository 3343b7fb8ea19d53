"""First start: the first screen a new person sees is the real app. On a fresh server with an empty database the
~3 s demo build shows a progress message and never Streamlit's legacy menu of raw file names (pages/ sits beside
app.py). Without sign-in, a database that is not the demo gets the setup page, which grants nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations
from tests.browser.conftest import App
from tests.browser.streamlit_page import assert_no_exception, screenshot, wait_idle

LEGACY_NAMES = {"app", "admin", "checkins", "dashboard alignment", "home", "survey", "workshop"}
WATCH = """() => ({
    menu: [...document.querySelectorAll('[data-testid="stSidebarNav"] a')].map((a) => a.innerText.trim()),
    main: document.querySelector('[data-testid="stMain"]')?.innerText ?? '',
})"""


@pytest.fixture
def fresh_app(tmp_path, request, storage) -> Iterator[App]:
    env = getattr(request, "param", {})
    running = App(storage.create(tmp_path / "fresh.duckdb"), tmp_path / "streamlit.log", env=env)
    yield running
    running.stop()


def test_the_first_screen_shows_progress_and_never_the_legacy_menu(fresh_app, new_page):
    page = new_page()
    page.goto(fresh_app.url)
    seen_menus, progress_seen, building_seen, shot = set(), False, False, False
    for _ in range(300):  # 30 s at most
        state = page.evaluate(WATCH)
        seen_menus.update(state["menu"])
        building_seen = building_seen or "building the demo organisation" in state["main"]
        if "Starting okrdash" in state["main"]:
            progress_seen = True
            if not shot:
                screenshot(page, "first-start-1-progress")
                shot = True
        if "Hello, Maya" in state["main"]:
            break
        page.wait_for_timeout(100)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Hello, Maya")).to_be_visible()
    assert progress_seen and building_seen, "no progress message while the demo was built"
    assert not seen_menus & LEGACY_NAMES, f"legacy menu shown: {sorted(seen_menus)}"
    menu = page.evaluate(WATCH)["menu"]
    assert any("Home — my work" in text for text in menu), menu
    assert_no_exception(page)
    screenshot(page, "first-start-2-home")


@pytest.mark.parametrize("fresh_app", [{"OKRDASH_DEMO": "0", "OKRDASH_DEMO_IDENTITY": "0"}], indirect=True)
def test_without_sign_in_a_database_that_is_not_the_demo_gets_the_setup_page(fresh_app, new_page):
    page = new_page()
    page.goto(f"{fresh_app.url}/admin?as=maya.okafor@harbor.example")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Set up sign-in")).to_be_visible()
    expect(page.get_by_text("nobody can open it")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    expect(page.get_by_label("Acting as")).to_have_count(0)
    assert serious_violations(page) == []
    screenshot(page, "first-start-3-setup-page")
