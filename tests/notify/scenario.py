"""The small organisation (tests/factories.py) at the suite's pinned moment, with the events each kind of message
is about: Growth's survey for 2027-Q1 with its workshop, a ranking round, a publication, key results to track."""

from __future__ import annotations

import datetime as dt

from okrdash import ideas, publications, rounds, surveys
from okrdash import survey_answers as answers
from tests.okr_fixtures import ready_objective
from tests.survey_fixtures import add_strategy

NOW = dt.datetime(2026, 11, 18, 10, 0)  # the suite's pinned moment (tests/conftest.py), a Wednesday
DEADLINE = dt.datetime(2026, 11, 25, 17, 0)
WORKSHOP = {"day": dt.date(2026, 11, 26), "start": dt.time(10, 0), "minutes": 180, "place": "Room <Lighthouse> & co"}
OPENING = "Tell us what <b>matters</b> & why, @channel"


def growth_survey(org, *, anonymous: bool = False, workshop: dict | None = WORKSHOP,
                  deadline: dt.datetime = DEADLINE) -> int:
    add_strategy(org.next_quarter)
    return surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=deadline, anonymous=anonymous,
                               opening_text=OPENING, workshop=workshop, now=NOW - dt.timedelta(hours=1))


def submit(actor, survey_id: int, now: dt.datetime = NOW) -> None:
    answers.save_objective(actor, survey_id, {"title": f"Idea of {actor.name}", "problem": "Trials stall"}, now=now)
    answers.submit(actor, survey_id, now=now)


def growth_round(org, now: dt.datetime = NOW) -> int:
    """A blind dot-voting round over two workshop ideas of Growth for 2027-Q1; nobody has voted."""
    for title in ("Self-serve onboarding", "Payments everywhere"):
        ideas.add(org.lead, org.growth, org.next_quarter, title=title, now=now)
    return rounds.open_round(org.lead, org.growth, org.next_quarter, methods=["dot"], title="Which objective?",
                             now=now)


def growth_published(org, now: dt.datetime = NOW) -> int:
    """Growth's OKRs for 2027-Q1, published by its lead at `now`; returns the version."""
    ready_objective(org)
    return publications.publish(org.lead, org.growth, org.next_quarter, note="First version", now=now)
