"""On every day of the sweep the demo tells a believable story: a current quarter with check-ins, next quarter's
preparation under way (surveys open and closed, a round with ballots), nothing dated in the future; and what
each person of the demo owes (Home) is what the data says they owe."""

import pytest

from okrdash import auth, db, home, publications
from tests.date_sweep import expect
from tests.date_sweep.expect import stage_problems

pytestmark = pytest.mark.datesweep


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
