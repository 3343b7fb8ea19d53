"""A published objective with one key result of every kind, for check-in and dashboard tests on the small org.

Built with plain SQL (objectives and KRs are other modules' concern) so the tracking tests depend on nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from okrdash import db
from tests.factories import SmallOrg

TODAY = dt.date(2026, 11, 18)  # mid-way through the small org's current quarter, 2026-Q4
STARTED = dt.datetime(2026, 9, 28, 9, 0)


@dataclass
class Tracked:
    objective: int
    increase: int  # owned by the member
    decrease: int  # owned by member2
    above: int  # stay_above, owned by the member
    below: int  # stay_below, owned by the lead
    milestone: int  # owned by the member
    core_kr: int  # a KR of another team (Core), owned by the outsider


def objective(team_id: int, quarter: str, title: str, *, status: str = "published",
              strategy_item_id: int | None = None) -> int:
    with db.transaction() as cur:
        objective_id = int(cur.execute("SELECT nextval('seq_objectives')").fetchone()[0])
        cur.execute(
            """INSERT INTO objectives (id, team_id, quarter, title, status, strategy_item_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [objective_id, team_id, quarter, title, status, strategy_item_id, STARTED],
        )
    return objective_id


def key_result(objective_id: int, title: str, kind: str, owner_id: int, *, baseline: float | None = None,
               target: float | None = None, unit: str = "", position: int = 0, due_on: dt.date | None = None) -> int:
    with db.transaction() as cur:
        kr_id = int(cur.execute("SELECT nextval('seq_key_results')").fetchone()[0])
        cur.execute(
            """INSERT INTO key_results (id, objective_id, position, title, kind, metric, unit, baseline, target,
                                        definition_of_done, owner_id, due_on, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [kr_id, objective_id, position, title, kind, "" if kind == "milestone" else title.lower(), unit,
             baseline, target, "Shipped to everyone" if kind == "milestone" else "", owner_id, due_on, STARTED],
        )
    return kr_id


def checkin(kr_id: int, person_id: int, day: dt.date, *, value: float | None = None, done: bool | None = None,
            confidence: int = 7, comment: str = "") -> int:
    with db.transaction() as cur:
        checkin_id = int(cur.execute("SELECT nextval('seq_checkins')").fetchone()[0])
        cur.execute(
            """INSERT INTO checkins (id, kr_id, person_id, checked_on, value, done, confidence, comment, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [checkin_id, kr_id, person_id, day, value, done, confidence, comment,
             dt.datetime.combine(day, dt.time(16, 0)) + dt.timedelta(seconds=checkin_id)],
        )
    return checkin_id


def tracked(org: SmallOrg) -> Tracked:
    """Growth's published objective for the current quarter with five KRs (one per kind), and Core's with one."""
    growth = objective(org.growth, org.quarter, "Trials become paying customers in their first week")
    member, member2, lead = org.member.person_id, org.member2.person_id, org.lead.person_id
    krs = Tracked(
        objective=growth,
        increase=key_result(growth, "Raise trial-to-paid conversion from 14% to 20%", "increase_to", member,
                            baseline=14, target=20, unit="%", position=0),
        decrease=key_result(growth, "Cut time to first invoice from 52 h to 12 h", "decrease_to", member2,
                            baseline=52, target=12, unit="h", position=1),
        above=key_result(growth, "Keep onboarding CSAT at or above 4.3", "stay_above", member,
                         baseline=4.5, target=4.3, unit="/5", position=2),
        below=key_result(growth, "Keep refund rate at or below 2%", "stay_below", lead, baseline=1.5, target=2,
                         unit="%", position=3),
        milestone=key_result(growth, "Ship self-serve staff import", "milestone", member, position=4),
        core_kr=0,
    )
    core = objective(org.core, org.quarter, "Harbor never loses a booking")
    krs.core_kr = key_result(core, "Cut sync failures from 40 to 5 a week", "decrease_to", org.outsider.person_id,
                             baseline=40, target=5)
    return krs
