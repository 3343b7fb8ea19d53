"""On every day of the sweep the demo tells a believable story (a current quarter with check-ins, next quarter's
preparation under way, nothing dated in the future), Home's "what you owe now" lists exactly what the data says each
person owes, and every page renders for the day's touring personas.

One file, so that one test worker generates each day's demo once (--dist loadfile gives a file to one worker)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from okrdash import auth, db, home, publications
from okrdash.navigation import all_pages
from tests.date_sweep import expect
from tests.date_sweep.conftest import sweep_days
from tests.date_sweep.expect import stage_problems
from tests.oidc_provider import running_provider
from tests.pages.apptest import APP, assert_clean, open_page, texts

pytestmark = pytest.mark.datesweep

PERSONAS = {
    "admin and manager of everything": "maya.okafor@harbor.example",
    "department manager": "daniel.brandt@harbor.example",
    "lead": "tomas.herrera@harbor.example",
    "member": "hannah.weiss@harbor.example",
    "member of no team": "rosa.jimenez@harbor.example",
}
UNKNOWN = "new.hire@harbor.example"
PAGES = [page[0] for page in all_pages()]
# Each day, every page is opened by two personas, taken in turn across the days of the run, so that each persona
# tours on several awkward days (tests/pages/ render every page for every role on the suite's own day). A tour costs
# about 1.5 s of CPU; touring all five every day was the sweep's largest cost.
TOURS_PER_DAY = 2


def touring(today: dt.date, days: list[dt.date]) -> set[str]:
    """The personas who open every page on `today`, one of the sweep's `days`."""
    names = list(PERSONAS)
    first = days.index(today) * TOURS_PER_DAY
    return {names[(first + n) % len(names)] for n in range(TOURS_PER_DAY)}


@pytest.fixture(scope="module")
def sign_in() -> Iterator[dict[str, str]]:
    """An [auth] section pointing at a running identity provider (sign-in checks that it answers)."""
    with running_provider() as provider:
        yield provider.auth_section("http://localhost:8501")


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_lists_what_is_owed_and_every_page_renders_on_tour(day_db, persona, storage):
    email = PERSONAS[persona]
    actor = auth.load_by_email(email)
    at = open_page(email)  # Home
    assert_clean(at)
    assert at.title[0].value == f"Hello, {actor.name.split()[0]}"
    listed = expect.listed(at.get("page_link"))
    assert listed == expect.owed(actor.person_id, day_db.today, day_db.now), "Home's what-you-owe vs the data"
    if persona not in touring(day_db.today, sweep_days(storage.backend)):
        return
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert_clean(at)
        rule = next(p[3] for p in all_pages() if p[0] == page)
        if auth.may_open(actor, rule):
            assert not any("may open" in e.value or "is for" in e.value for e in at.error), page
        else:
            assert auth.refusal(actor, rule) in texts(at), page


def test_every_persona_tours_on_several_days_of_each_run():
    for backend in ("duckdb", "postgres"):
        days = sweep_days(backend)
        tours = Counter(persona for today in days for persona in touring(today, days))
        assert set(tours) == set(PERSONAS), backend
        assert min(tours.values()) >= len(days) * TOURS_PER_DAY // len(PERSONAS), (backend, tours)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the test provider's Authlib APIs, not ours
def test_an_unknown_person_is_asked_to_see_an_admin_and_gets_no_pages(day_db, sign_in):
    at = AppTest.from_file(APP, default_timeout=20)
    at.secrets["auth"] = sign_in
    at.user = {"is_logged_in": True, "email": UNKNOWN, "name": "New Hire", "email_verified": True}
    at.run()
    assert_clean(at)
    assert "ask an admin" in texts(at).lower()
    assert not at.get("page_link")
    for page in PAGES:  # the menu holds no page for someone the app does not know
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_the_demo_stages_are_believable(day_db):
    problems = stage_problems(day_db.today, day_db.now)
    assert problems == [], "\n".join(problems)


def test_what_everyone_in_a_team_owes_matches_the_data(day_db):
    # Home's providers of what expect.owed covers (surveys to answer or open, check-ins due, votes); the leads'
    # key-result work (publications.owed) follows the SMART rules, tested on their own.
    providers = [provider for provider in home.OWED_PROVIDERS if provider is not publications.owed]
    for person in db.rows("""SELECT id, email FROM people p WHERE active
                             AND EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id) ORDER BY id"""):
        actor = auth.load(person["id"])
        owed = expect.from_items([item for provider in providers for item in provider(actor)])
        assert owed == expect.owed(person["id"], day_db.today, day_db.now), person["email"]
