"""Identity with sign-in configured: the email maps to a person; unknown emails get a polite page; configured
admins; an unverified email, a provider that is down or a half-filled [auth] section let nobody in, clearly."""

import socket

import pytest
from streamlit.testing.v1 import AppTest

from okrdash import auth, db
from tests.oidc_provider import running_provider
from tests.pages.apptest import APP, assert_clean, texts

# The test provider (oidc-provider-mock) runs on Authlib APIs that Authlib now deprecates: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def auth_section(provider) -> dict[str, str]:
    return provider.auth_section("http://localhost:8501")


def signed_in(section: dict, email: str | None, name: str = "Someone", **claims) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=20)
    at.secrets["auth"] = section
    at.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email, "name": name,
                                                             **claims}
    at.run()
    return at


def test_signed_out_visitors_see_a_sign_in_button(demo_db, auth_section):
    at = signed_in(auth_section, None)
    assert_clean(at)
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Demo identity mode" not in texts(at)


def test_a_known_email_acts_as_that_person_without_a_picker(demo_db, auth_section):
    at = signed_in(auth_section, "Hannah.Weiss@harbor.example", "Hannah W.", email_verified=True)
    assert_clean(at)
    assert at.title[0].value == "Hello, Hannah"
    assert not at.selectbox  # no "acting as" picker in production mode
    assert "Signed in as **Hannah Weiss**" in texts(at)


def test_with_sign_in_the_as_parameter_and_the_acting_as_key_do_nothing(demo_db, auth_section):
    at = AppTest.from_file(APP, default_timeout=20)
    at.secrets["auth"] = auth_section
    at.user = {"is_logged_in": True, "email": "hannah.weiss@harbor.example", "name": "Hannah"}
    at.query_params["as"] = "maya.okafor@harbor.example"
    at.session_state["acting_as"] = "maya.okafor@harbor.example"
    at.run()
    assert at.title[0].value == "Hello, Hannah"
    at.switch_page("pages/admin.py")
    at.run()
    assert "The Admin page is for admins; Hannah Weiss is not an admin." in texts(at)


def test_an_unknown_email_is_asked_to_contact_an_admin(demo_db, auth_section):
    at = signed_in(auth_section, "new.hire@harbor.example", "New Hire")
    assert_clean(at)
    assert "doesn't know you yet" in texts(at)
    assert "Maya Okafor (maya.okafor@harbor.example)" in texts(at)
    assert db.scalar("SELECT count(*) FROM people WHERE email = 'new.hire@harbor.example'") == 0


def test_first_admins_come_from_configuration(monkeypatch, auth_section):
    monkeypatch.setenv("OKRDASH_ADMINS", "Founder@Example.com, other@example.com")
    db.database()
    at = signed_in(auth_section, "founder@example.com", "Frida Founder")
    assert_clean(at)
    actor = auth.load_by_email("founder@example.com")
    assert actor is not None and actor.is_admin and actor.name == "Frida Founder"
    assert at.title[0].value == "Hello, Frida"
    assert db.rows("SELECT email FROM sign_ins") == [{"email": "founder@example.com"}]


@pytest.mark.parametrize("verified", [False, "false"])
def test_an_unverified_email_lets_nobody_in(demo_db, auth_section, monkeypatch, verified):
    monkeypatch.setenv("OKRDASH_ADMINS", "maya.okafor@harbor.example,new.boss@harbor.example")
    for email in ("maya.okafor@harbor.example", "new.boss@harbor.example"):
        at = signed_in(auth_section, email, "Mallory", email_verified=verified)
        assert_clean(at)
        assert at.title[0].value == "Your email address is not verified"
        assert "lets nobody in" in texts(at)
        assert "Hello" not in texts(at) and [b.label for b in at.button] == ["Sign out"]
    assert db.scalar("SELECT count(*) FROM people WHERE email = 'new.boss@harbor.example'") == 0
    assert db.scalar("SELECT count(*) FROM sign_ins") == 0


def test_a_provider_that_is_down_gets_a_clear_message(demo_db, auth_section):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = {**auth_section, "server_metadata_url": f"http://127.0.0.1:{port}/.well-known/openid-configuration"}
    at = signed_in(down, None)
    assert_clean(at)
    assert "cannot reach your sign-in provider" in texts(at)
    assert [b.label for b in at.button] == ["Try again"]  # Sign in would end on a bare "Authentication error"


@pytest.mark.parametrize("drop", [["cookie_secret"], ["client_secret", "server_metadata_url"]])
def test_a_half_filled_auth_section_names_what_is_missing_and_lets_nobody_in(demo_db, auth_section, drop):
    half = {key: value for key, value in auth_section.items() if key not in drop}
    at = signed_in(half, "maya.okafor@harbor.example", "Maya")
    assert_clean(at)
    assert at.title[0].value == "Sign-in is misconfigured"
    assert all(f"`{key}`" in at.error[0].value for key in drop)
    assert not at.selectbox and not at.button  # no demo fallback, no sign-in
    assert "Hello" not in texts(at)


def test_a_real_sign_in_is_recorded_once_per_person(demo_db, auth_section):
    for _ in range(2):
        signed_in(auth_section, "hannah.weiss@harbor.example", "Hannah")
    assert db.column("SELECT email FROM sign_ins") == ["hannah.weiss@harbor.example"]


@pytest.mark.parametrize("email", ["hannah.weiss@harbor.example", "HANNAH.WEISS@HARBOR.EXAMPLE "])
def test_demo_mode_query_parameter_picks_the_person(demo_db, email):
    at = AppTest.from_file(APP, default_timeout=20)
    at.query_params["as"] = email
    at.run()
    assert at.title[0].value == "Hello, Hannah"
