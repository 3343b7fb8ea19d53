"""On every day of the sweep the demo tells a believable story: a current quarter with check-ins, next quarter's
preparation under way (surveys open and closed, a round with ballots), nothing dated in the future; and what
each person of the demo owes (Home) is what the data says they owe."""

import pytest

from okrdash import auth, db, home
from tests.date_sweep import expect
from tests.date_sweep.expect import stage_problems

pytestmark = pytest.mark.datesweep


def test_the_demo_stages_are_believable(day_db):
    problems = stage_problems(day_db.today, day_db.now)
    assert problems == [], "\n".join(problems)


def test_what_everyone_owes_matches_the_data(day_db):
    for person in db.rows("SELECT id, email FROM people WHERE active ORDER BY id"):
        owed = expect.from_items(home.owed_by(auth.load(person["id"])))
        assert owed == expect.owed(person["id"], day_db.today, day_db.now), person["email"]
