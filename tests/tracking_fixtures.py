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


def reference_states(today: dt.date) -> list[dict]:
    """Every published KR's state as of `today`, recomputed in Python from the raw rows with the pure rules of
    okrdash.progress: the independent answer the SQL of scores/dashboards must match."""
    from okrdash import progress as p

    krs = db.rows("""
        SELECT k.id AS kr_id, k.title, k.kind, k.baseline, k.target, k.position, o.team_id, t.name AS team,
               o.quarter, q.starts_on, q.ends_on, coalesce(k.due_on, q.ends_on) AS due_on, owner.name AS owner,
               greatest(q.starts_on, CAST(k.created_at AS DATE)) AS tracked_from
        FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
        JOIN quarters q ON q.key = o.quarter LEFT JOIN people owner ON owner.id = k.owner_id
        WHERE o.status = 'published' AND k.archived_at IS NULL""")
    rows: dict[int, dict[dt.date, dict]] = {}
    for c in db.rows("SELECT * FROM checkins ORDER BY created_at, id"):
        rows.setdefault(c["kr_id"], {})[c["checked_on"]] = c  # later rows for a date replace earlier ones
    states = []
    for kr in krs:
        as_of = min(today, kr["ends_on"])
        effective = [c for d, c in sorted(rows.get(kr["kr_id"], {}).items()) if d <= as_of]
        state = {**kr, "as_of": as_of, "checkins": effective, "last_on": None, "status": "no_data",
                 "progress": None, "level": None}
        if effective:
            latest = effective[-1]
            done = latest["done"] if kr["kind"] == "milestone" else None
            progress_now = p.progress(kr["kind"], kr["baseline"], kr["target"], [c["value"] for c in effective], done)
            expected = p.expected_progress(latest["checked_on"], kr["starts_on"], kr["due_on"])
            within = p.within_bound(kr["kind"], kr["target"], latest["value"])
            state.update(last_on=latest["checked_on"], progress=progress_now, confidence=latest["confidence"],
                         status=p.status(kr["kind"], progress_now, expected, latest["confidence"], within))
        state["score"] = p.score(state["progress"])
        state["stale"] = p.is_stale(state["last_on"], today, kr["starts_on"], kr["ends_on"], kr["tracked_from"])
        state["days_since"] = p.days_since(state["last_on"], today, kr["tracked_from"])
        states.append(state)
    return states


def state_at(state: dict, day: dt.date) -> str:
    """A KR's status after its latest check-in on or before `day` (no_data before the first one)."""
    from okrdash import progress as p

    effective = [c for c in state["checkins"] if c["checked_on"] <= day]
    if not effective:
        return "no_data"
    latest = effective[-1]
    done = latest["done"] if state["kind"] == "milestone" else None
    progress_now = p.progress(state["kind"], state["baseline"], state["target"], [c["value"] for c in effective],
                              done)
    expected = p.expected_progress(latest["checked_on"], state["starts_on"], state["due_on"])
    within = p.within_bound(state["kind"], state["target"], latest["value"])
    return p.status(state["kind"], progress_now, expected, latest["confidence"], within)
