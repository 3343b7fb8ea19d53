"""Shared setup for the survey tests: fixed clock, strategy to read, an open survey of the small organisation."""

from __future__ import annotations

import datetime as dt

from okrdash import db, strategy, surveys
from okrdash import survey_answers as answers

NOW = dt.datetime(2026, 11, 20, 10, 0)  # a Friday in 2026-Q4; the small org plans 2027-Q1
DEADLINE = dt.datetime(2026, 11, 27, 17, 0)
XSS = "<img src=x onerror=alert(1)>"


def add_strategy(quarter: str) -> dict[str, int]:
    """A mission, two company objectives, a principle and a product strategy for `quarter`."""
    return {
        "mission": strategy.create(quarter, "mission", "Give teams focus", "Mission **body**"),
        "win": strategy.create(quarter, "company_objective", "Win the mid-market", "Mid-market *grows* 3x."),
        "paid": strategy.create(quarter, "company_objective", "Make getting paid effortless", "Cash flow first."),
        "principle": strategy.create(quarter, "principle", "Defaults over settings", "Ship the default."),
        "payments": strategy.create(quarter, "product_strategy", "Payments as growth engine", "Every invoice paid."),
    }


def open_growth_survey(org, *, anonymous: bool = False, now: dt.datetime = NOW,
                       deadline: dt.datetime = DEADLINE) -> int:
    return surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=deadline, anonymous=anonymous,
                               opening_text="Tell us what matters for 2027-Q1.", now=now)


def answer_with_ideas(actor, survey_id: int, *, now: dt.datetime = NOW, title: str = "Grow activation") -> str:
    """One objective idea with one KR idea, one thing to deprioritize, one concern; returns the objective's key."""
    key = answers.save_objective(actor, survey_id, {"title": title, "problem": "Trials stall",
                                                    "why_now": "Pricing changed"}, now=now)
    answers.save_key_result(actor, survey_id, key, {"title": "Trials invoicing in week 1", "metric": "share",
                                                   "unit": "%", "baseline": "38", "target": "60"}, now=now)
    answers.save_deprioritize(actor, survey_id, {"title": "Dark mode", "why": "No objective needs it"}, now=now)
    answers.save_concern(actor, survey_id, {"title": "Capacity is thin"}, now=now)
    return key


def live_ideas(survey_id: int) -> list[dict]:
    return db.rows(
        """SELECT id, kind, parent_id, title, problem, why_now, reason, strategy_item_id, metric, unit, baseline,
                  target, author_id, anonymous, answer_id, source, created_at
           FROM ideas WHERE survey_id = ? AND deleted_at IS NULL ORDER BY id""",
        [survey_id],
    )


def make_planned(org):
    """The small org with strategy for its planning quarter and an open, named Growth survey."""
    items = add_strategy(org.next_quarter)
    survey_id = open_growth_survey(org)
    return org, survey_id, items
