"""Journey: a real OIDC round trip in Chromium against a provider started here (oidc-provider-mock on 127.0.0.1).
st.login → the provider's page → back → the email maps to the person, their pages and roles; unknown emails are
asked to see an admin; OKRDASH_ADMINS makes the first admin; sign-out ends the session; `email_verified: false`
lets nobody in; `?as=` does nothing; a forged callback signs nobody in and says so. Each screen passes axe-core.

The server reads a secrets.toml of this test's own (--secrets.files): the repository's is never written.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import serious_violations
from tests.browser.conftest import App, free_port
from tests.browser.streamlit_page import assert_no_exception, screenshot, wait_idle
from tests.oidc_provider import Provider, running_provider, write_secrets

FOUNDER = "frida.founder@harbor.example"  # not in the demo organisation; listed in OKRDASH_ADMINS


# The test provider (oidc-provider-mock) runs on Authlib APIs that Authlib now deprecates: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        running.put_user("hannah", email="hannah.weiss@harbor.example", name="Hannah Weiss", email_verified=True)
        running.put_user("newhire", email="new.hire@harbor.example", name="Noah New", email_verified=True)
        running.put_user("founder", email=FOUNDER, name="Frida Founder", email_verified=True)
        running.put_user("mallory", email="maya.okafor@harbor.example", name="Mallory", email_verified=False)
        yield running


@pytest.fixture(scope="module")
def signin_app(tmp_path_factory, demo_template: str, provider: Provider, storage) -> Iterator[App]:
    folder = tmp_path_factory.mktemp("signin")
    database = storage.create(folder / "app.duckdb", demo_template)
    port = free_port()
    # The browser must use the host of redirect_uri: App serves and is opened at 127.0.0.1.
    secrets = write_secrets(folder, provider.auth_section(f"http://127.0.0.1:{port}"))
    running = App(database, folder / "streamlit.log", secrets=secrets, port=port,
                  env={"OKRDASH_ADMINS": FOUNDER, "OKRDASH_DEMO_IDENTITY": "0"})
    yield running
    running.stop()


def sign_in(page: Page, app: App, provider: Provider, subject: str) -> None:
    page.goto(app.url)
    wait_idle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider.url}/oauth2/authorize*")
    page.locator('input[name="sub"]').fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app.url}/**")
    wait_idle(page)


def assert_accessible(page: Page) -> None:
    assert serious_violations(page) == []


def test_a_member_signs_in_sees_her_pages_and_signs_out(signin_app, provider, new_page):
    page = new_page()
    page.goto(signin_app.url)
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Demo identity mode")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "signin-1-signed-out")

    sign_in(page, signin_app, provider, "hannah")
    expect(page.get_by_role("heading", name="Hello, Hannah")).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Signed in as Hannah Weiss")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Check-ins")).to_be_visible()  # a member's page
    expect(sidebar.get_by_role("link", name="Admin")).to_have_count(0)  # not an admin
    expect(page.get_by_label("Acting as")).to_have_count(0)
    assert_no_exception(page)
    screenshot(page, "signin-2-hannah-home")

    # With sign-in on, ?as= picks nobody: still Hannah, and the Admin page refuses her.
    page.goto(f"{signin_app.url}/admin?as=maya.okafor@harbor.example")
    wait_idle(page)
    expect(page.get_by_text("The Admin page is for admins; Hannah Weiss is not an admin.")).to_be_visible()

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider.url}/oauth2/end_session*")  # the provider's own sign-out
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signin_app.url}/**")
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()  # the session has ended
    expect(page.get_by_role("heading", name="Hello, Hannah")).to_have_count(0)
    expect(page.get_by_text("did not complete")).to_have_count(0)


def test_an_unknown_email_is_asked_to_see_an_admin(signin_app, provider, new_page):
    page = new_page()
    sign_in(page, signin_app, provider, "newhire")
    expect(page.get_by_role("heading", name="Welcome, Noah New!")).to_be_visible()
    expect(page.get_by_text("okrdash doesn't know you yet")).to_be_visible()
    expect(page.get_by_text("Maya Okafor (maya.okafor@harbor.example)")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # no pages at all
    assert_accessible(page)
    screenshot(page, "signin-3-ask-an-admin")


def test_the_configured_admin_signs_in_as_the_first_admin(signin_app, provider, new_page):
    page = new_page()
    sign_in(page, signin_app, provider, "founder")
    expect(page.get_by_role("heading", name="Hello, Frida")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_role("link", name="Admin").click()
    wait_idle(page)
    expect(page.get_by_text("The Admin page is for admins")).to_have_count(0)
    assert_no_exception(page)
    screenshot(page, "signin-4-founder-admin")


def test_an_unverified_email_lets_nobody_in(signin_app, provider, new_page):
    page = new_page()
    sign_in(page, signin_app, provider, "mallory")  # claims Maya's address, unverified
    expect(page.get_by_role("heading", name="Your email address is not verified")).to_be_visible()
    expect(page.get_by_role("heading", name="Hello, Maya")).to_have_count(0)
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "signin-5-unverified")


def test_a_forged_callback_signs_nobody_in_and_says_so(signin_app, provider, new_page):
    page = new_page()
    page.goto(signin_app.url)
    wait_idle(page)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider.url}/oauth2/authorize*")
    # Instead of the provider's answer, a callback with a state okrdash never issued.
    page.goto(f"{signin_app.url}/oauth2callback?code=forged&state=forged-state")
    page.wait_for_url(f"{signin_app.url}/**")
    wait_idle(page)
    expect(page.get_by_text("Your last sign-in did not complete")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "signin-6-forged-callback")
