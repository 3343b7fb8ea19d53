"""Journey: a new user opens the app, switches who they act as, and reads the strategy page."""

from playwright.sync_api import expect

from tests.browser.streamlit_page import assert_no_exception, choose, open_as, screenshot, wait_idle


def test_switch_acting_person_and_read_strategy(app, new_page):
    page = new_page()
    page.goto(app.url)
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Demo identity mode")).to_be_visible()
    expect(page.get_by_role("heading", name="Hello, Maya")).to_be_visible()
    screenshot(page, "foundation-home-maya")

    # Switch the acting person in the sidebar picker.
    choose(page, "Acting as", "Hannah Weiss")
    expect(page.get_by_role("heading", name="Hello, Hannah")).to_be_visible()
    assert "as=hannah.weiss" in page.url

    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Strategy").click()
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_role("heading", name="Strategy", exact=True)).to_be_visible()
    expect(page.get_by_text("Make getting paid effortless")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Edit")).to_have_count(0)  # Hannah is not an admin
    screenshot(page, "foundation-strategy-hannah")


def test_page_opened_by_url_without_the_role_says_so(app, new_page):
    page = new_page()
    open_as(page, app.url, "hannah.weiss@harbor.example", "admin")
    assert_no_exception(page)
    expect(page.get_by_text("The Admin page is for admins; Hannah Weiss is not an admin.")).to_be_visible()


def menu(page) -> list[str]:
    """The sidebar's page links, without their icons' ligature names."""
    links = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    return [link.strip().split("\n")[-1].strip() for link in links]


def test_menu_lists_only_the_pages_the_person_may_open(app, new_page):
    page = new_page()
    open_as(page, app.url, "rosa.jimenez@harbor.example")
    assert menu(page) == ["Home — my work", "Notifications", "Published OKRs", "Strategy"]
    open_as(page, app.url, "tomas.herrera@harbor.example")
    links = menu(page)
    assert "Workshop" in links and "Survey setup" in links and "Admin" not in links
    assert not [link for link in links if link.startswith("Workshop:")]  # steps are reached from the workshop


def test_hostile_text_typed_into_a_form_shows_as_plain_text(app, new_page):
    page = new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_as(page, app.url, "maya.okafor@harbor.example", "strategy")
    page.get_by_text("Edit", exact=True).click()
    wait_idle(page)
    hostile = "<img src=x onerror=alert(1)> نور 🚀"
    page.get_by_label("Title", exact=True).last.fill(hostile)
    page.get_by_role("button", name="Add").click()
    wait_idle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Added.")).to_be_visible()
    expect(page.get_by_role("heading", name=hostile)).to_be_visible()
    expect(page.get_by_label("Title", exact=True).last).to_have_value("")  # the saved form starts blank again
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == []
    screenshot(page, "foundation-strategy-hostile-title")


def test_a_fresh_server_serves_a_deep_link_through_the_router(tmp_path, demo_template, new_page, storage):
    """The first request a new process gets may be a page's URL: it still goes through sign-in and the menu."""
    from tests.browser.conftest import App

    fresh = App(storage.create(tmp_path / "fresh.duckdb", demo_template), tmp_path / "streamlit.log")
    try:
        page = new_page()
        open_as(page, fresh.url, "rosa.jimenez@harbor.example", "admin")
        assert_no_exception(page)
        expect(page.get_by_text("The Admin page is for admins; Rosa Jiménez is not an admin.")).to_be_visible()
        expect(page.get_by_text("Demo identity mode")).to_be_visible()
    finally:
        fresh.stop()
