"""Identity: OIDC sign-in maps the email to a person; unknown emails get a polite page; configured admins."""

import pytest
from streamlit.testing.v1 import AppTest

from okrdash import auth, db
from tests.pages.apptest import APP, assert_clean, texts

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
        "client_id": "okrdash", "client_secret": "secret",
        "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"}


def signed_in(email: str | None, name: str = "Someone") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=20)
    at.secrets["auth"] = AUTH
    if email is None:
        at.user = {"is_logged_in": False}
    else:
        at.user = {"is_logged_in": True, "email": email, "name": name}
    at.run()
    return at


def test_signed_out_visitors_see_a_sign_in_button(demo_db):
    at = signed_in(None)
    assert_clean(at)
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Demo identity mode" not in texts(at)


def test_a_known_email_acts_as_that_person_without_a_picker(demo_db):
    at = signed_in("Hannah.Weiss@harbor.example", "Hannah W.")
    assert_clean(at)
    assert at.title[0].value == "Hello, Hannah"
    assert not at.selectbox  # no "acting as" picker in production mode
    assert "Signed in as **Hannah Weiss**" in texts(at)


def test_an_unknown_email_is_asked_to_contact_an_admin(demo_db):
    at = signed_in("new.hire@harbor.example", "New Hire")
    assert_clean(at)
    assert "doesn't know you yet" in texts(at)
    assert "Maya Okafor (maya.okafor@harbor.example)" in texts(at)
    assert db.scalar("SELECT count(*) FROM people WHERE email = 'new.hire@harbor.example'") == 0


def test_first_admins_come_from_configuration(monkeypatch):
    monkeypatch.setenv("OKRDASH_ADMINS", "Founder@Example.com, other@example.com")
    db.database()
    at = signed_in("founder@example.com", "Frida Founder")
    assert_clean(at)
    actor = auth.load_by_email("founder@example.com")
    assert actor is not None and actor.is_admin and actor.name == "Frida Founder"
    assert at.title[0].value == "Hello, Frida"


@pytest.mark.parametrize("email", ["hannah.weiss@harbor.example", "HANNAH.WEISS@HARBOR.EXAMPLE "])
def test_demo_mode_query_parameter_picks_the_person(demo_db, email):
    at = AppTest.from_file(APP, default_timeout=20)
    at.query_params["as"] = email
    at.run()
    assert at.title[0].value == "Hello, Hannah"
