"""Demo identity mode is a decision, never a silent fallback: the demo database or OKRDASH_DEMO_IDENTITY=1, else
the setup page grants nothing; forcing it on a database with real sign-ins warns. The demo mark survives backup."""

import base64
import datetime as dt
import json

import pytest

from okrdash import auth, backup, db, migrations, people, setup, signin
from tests.backends import duckdb_only
from tests.pages.apptest import assert_clean, open_page, texts

NOW = dt.datetime(2026, 11, 18, 10, 0)


@pytest.fixture
def no_opt_in(monkeypatch):
    monkeypatch.delenv(signin.DEMO_IDENTITY_ENV, raising=False)


def test_without_sign_in_a_real_database_shows_the_setup_page_and_grants_nothing(org, no_opt_in):
    for page in (None, "pages/admin.py", "pages/checkins.py"):
        at = open_page(org.admin.email, page, **{"as": org.admin.email})
        assert_clean(at)
        assert at.title[0].value == "Set up sign-in"
        assert "nobody can open it" in texts(at)
        assert "OKRDASH_ADMINS" in texts(at) and "OKRDASH_DEMO_IDENTITY=1" in texts(at)
        assert not at.selectbox and "Demo identity mode" not in texts(at)
        assert "Hello" not in texts(at)


def test_the_demo_database_runs_demo_identity_mode_without_opting_in(demo_db, no_opt_in):
    assert signin.is_demo_database()
    at = open_page("hannah.weiss@harbor.example")
    assert at.title[0].value == "Hello, Hannah"
    assert "Demo identity mode" in texts(at)


def test_opting_in_runs_demo_identity_mode_on_any_database(org):
    assert not signin.is_demo_database()
    at = open_page(people.all_people()[0]["email"])
    assert_clean(at)
    assert at.selectbox and "Demo identity mode" in texts(at)
    assert "real people use" not in texts(at)


def test_demo_identity_forced_on_a_database_with_real_sign_ins_warns(org):
    person = people.all_people()[0]
    assert signin.record_sign_in(person["id"], person["email"], NOW)
    assert not signin.record_sign_in(person["id"], person["email"], NOW)  # one row per person, ever
    at = open_page(person["email"])
    assert_clean(at)
    assert "Demo identity mode on a database real people use" in texts(at)
    assert "1 person has signed in" in texts(at) and "`OKRDASH_DEMO_IDENTITY=1`" in texts(at)


@duckdb_only
def test_the_demo_mark_survives_backup_and_restore(demo_db):
    admin = auth.load_by_email("maya.okafor@harbor.example")
    data = backup.backup(admin)
    db.execute("DELETE FROM demo_database")
    assert not signin.is_demo_database()
    backup.restore(admin, data)
    assert db.rows("SELECT kind, seed FROM demo_database") == [{"kind": "demo", "seed": 7}]


def test_databases_generated_before_the_mark_are_recognised_by_their_demo_addresses(monkeypatch, tmp_path, storage):
    """m055 marks an existing database whose every person has a demo address, and only such a one."""
    before = migrations.MIGRATIONS[: migrations.MIGRATIONS.index(migrations.m055_demo_database_mark)]
    for emails, marked in ((["maya.okafor@harbor.example", "hannah.weiss@harbor.example"], True),
                           (["maya.okafor@harbor.example", "real.person@company.com"], False), ([], False)):
        db.close_all()
        for name, value in storage.env(storage.create(tmp_path / f"old-{len(emails)}-{marked}.duckdb")).items():
            monkeypatch.setenv(name, value)
        with monkeypatch.context() as old:
            old.setattr(migrations, "MIGRATIONS", before)
            for email in emails:
                people.create(email.split("@")[0], email)
        db.close_all()
        assert signin.is_demo_database() is marked  # reopening applies m055


def test_first_start_reports_its_progress_while_building_the_demo(monkeypatch):
    monkeypatch.setenv("OKRDASH_DEMO", "1")
    heard = []
    assert setup.startup_problem(progress=lambda share, message: heard.append((share, message))) is None
    assert heard[0] == (0.0, "Opening the database")
    assert "Building the demo organisation (first start only)" in [m for _, m in heard]
    assert "Building the demo organisation — Done" in [m for _, m in heard]
    assert heard[-1][0] == pytest.approx(1.0) and setup.ready()
    assert signin.is_demo_database()


def cookie(session: dict) -> str:
    payload = base64.b64encode(json.dumps(session).encode()).decode().rstrip("=")
    return f"{payload}.timestamp.signature"


def test_a_started_sign_in_that_never_came_back_is_pending():
    now = 1_800_000_000.0
    assert signin.pending_sign_in(cookie({"_state_default_abc": {"data": {}, "exp": now + 60}}), now)
    assert not signin.pending_sign_in(cookie({"_state_default_abc": {"data": {}, "exp": now - 1}}), now)
    assert not signin.pending_sign_in(cookie({"other": 1}), now)
    assert not signin.pending_sign_in("not a cookie at all", now)
    assert not signin.pending_sign_in(None, now)


WHOLE = {"redirect_uri": "https://okr.example.com/oauth2callback", "cookie_secret": "x" * 32, "client_id": "okrdash",
         "client_secret": "s3cret", "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"}


@pytest.mark.parametrize(("change", "says"), [
    ({"client_id": ""}, "lacks `client_id`"),
    ({"client_id": None, "cookie_secret": None}, "lacks `cookie_secret` and `client_id`"),
    ({"redirect_uri": "okr.example.com/oauth2callback"}, "must be a full http(s) address"),
    ({"redirect_uri": "https://okr.example.com/"}, "must end in `/oauth2callback`"),
    ({"cookie_secret": "a long random string"}, "example's placeholder"),
    ({"cookie_secret": "short"}, "too short"),
])
def test_auth_settings_problems_say_what_to_fix(change, says):
    section = {key: value for key, value in {**WHOLE, **change}.items() if value is not None}
    problem = signin.auth_problem(section)
    assert problem is not None and says in problem and "restart okrdash" in problem
    assert signin.auth_problem(WHOLE) is None


def test_email_verified_false_in_any_spelling_is_unverified():
    assert signin.email_unverified({"email_verified": False})
    assert signin.email_unverified({"email_verified": "false"})
    assert not signin.email_unverified({"email_verified": True})
    assert not signin.email_unverified({})  # Entra ID sends no such claim
