"""Objectives and key results for tests of issue 5 (key results, publishing, exports), built through the library
where it exists and by plain SQL for the objective (the Create focus step is another module's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import db, key_results, quarters, strategy
from tests.factories import SmallOrg


def make_objective(team_id: int, quarter: str, *, title: str = "Mid-market customers set themselves up without us",
                   why: str = "Every multi-location account needs three CSM calls today.",
                   strategy_item_id: int | None = None, idea_id: int | None = None,
                   created_by: int | None = None) -> int:
    with db.transaction() as cur:
        objective_id = int(cur.execute("SELECT nextval('seq_objectives')").fetchone()[0])
        cur.execute(
            """INSERT INTO objectives (id, team_id, quarter, title, why, strategy_item_id, idea_id, created_by)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [objective_id, team_id, quarter, title, why, strategy_item_id, idea_id, created_by],
        )
    return objective_id


def company_objective(quarter: str, title: str = "Win the mid-market") -> int:
    return strategy.create(quarter, "company_objective", title, "Mid-market accounts grow revenue 3× faster.")


def good_kr(owner: int | None, **overrides: Any) -> dict[str, Any]:
    fields = {"title": "Reduce CSM hours per mid-market onboarding from 9 to 4", "kind": "decrease_to",
              "metric": "CSM hours per onboarding", "unit": "h", "baseline": 9, "target": 4,
              "owner_id": owner, "achievable_confirmed": True}
    return {**fields, **overrides}


GOOD_KRS = [
    {"title": "Raise trial-to-paid conversion from 14% to 20%", "kind": "increase_to",
     "metric": "trial-to-paid conversion", "unit": "%", "baseline": 14, "target": 20},
    {"title": "Reduce CSM hours per mid-market onboarding from 9 to 4", "kind": "decrease_to",
     "metric": "CSM hours per onboarding", "unit": "h", "baseline": 9, "target": 4},
    {"title": "Ship self-serve location and staff import", "kind": "milestone",
     "definition_of_done": "Owners import locations and staff from CSV without CSM help; documented; used by 10 "
                           "accounts"},
]


def ready_objective(org: SmallOrg, quarter: str | None = None, *, krs: int = 3) -> int:
    """Growth's objective for the quarter (default: next quarter), linked to a company objective, with `krs` good
    key results owned by the member, all confirmed: publishable as it stands."""
    quarter = quarter or org.next_quarter
    link = company_objective(quarter)
    objective_id = make_objective(org.growth, quarter, strategy_item_id=link, created_by=org.lead.person_id)
    for fields in GOOD_KRS[:krs]:
        key_results.add(org.lead, org.growth, quarter,
                        {**fields, "owner_id": org.member.person_id, "achievable_confirmed": True})
    return objective_id


def quarter_end(quarter: str) -> dt.date:
    return quarters.bounds(quarter)[1]
