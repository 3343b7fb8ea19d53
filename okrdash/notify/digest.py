"""The two weekly messages: each owner's check-ins due, and each manager's digest of their subtree. Each yields
(period, person, facts); the period is the ISO week.

Both read everyone at once (a run over 10,000 people must not make a query per person): the check-in rule is
Home's (okrdash.checkins.checkins_due: a published key result of the current quarter, owned by a member of its
team, with no check-in for 7 days, okrdash.progress.is_due); the digest's key-result states are the dashboards'
(okrdash.scores.state_sql), read once for the whole organisation now and a week ago, then cut per manager to the
teams they manage: off-track and stale key results, the biggest changes of the week, and check-ins of the last
7 days that nobody has acknowledged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from okrdash import auth, db, fmt, quarters
from okrdash import progress as p
from okrdash.notify.kinds import week
from okrdash.scores import state_sql

LIST_MAX = 8  # lines per section of a digest; the rest is counted ("and 12 more")
Yield = Iterator[tuple[str, dict[str, Any], dict[str, Any]]]


def checkin_reminders(now: dt.datetime) -> Yield:
    """Owners with key results due a check-in: one message each, listing them all (Home's wording)."""
    today = now.date()
    found = db.rows(
        """SELECT k.id AS kr_id, k.title, k.owner_id, pe.name AS owner_name, pe.email AS owner_email,
                  t.name AS team_name, q.starts_on, q.ends_on,
                  greatest(q.starts_on, CAST(k.created_at AS DATE)) AS tracked_from,
                  (SELECT max(c.checked_on) FROM checkins c WHERE c.kr_id = k.id AND c.checked_on <= $today)
                      AS last_on
           FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
           JOIN quarters q ON q.key = o.quarter JOIN people pe ON pe.id = k.owner_id
           WHERE o.quarter = $quarter AND o.status = 'published' AND k.archived_at IS NULL AND pe.active
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = o.team_id AND m.person_id = k.owner_id)
             AND k.id NOT IN (SELECT kr_id FROM awaiting_publish)
           ORDER BY k.owner_id, t.name, k.position, k.id""",
        {"quarter": quarters.current_key(today), "today": today})
    owed: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in found:
        if p.is_due(r["last_on"], today, r["starts_on"], r["ends_on"], r["tracked_from"]):
            owed[r["owner_id"]].append(r)
    for rows in owed.values():
        items = [{"what": f"Check in on “{r['title']}”",
                  "detail": f"{r['team_name']} · " + (f"last check-in {fmt.days_ago(r['last_on'], today)}"
                                                      if r["last_on"] else "no check-in yet"),
                  "query_params": {"kr": str(r["kr_id"])}} for r in rows]
        person = {"id": rows[0]["owner_id"], "name": rows[0]["owner_name"], "email": rows[0]["owner_email"]}
        yield week(today), person, {"items": items, "today": today}


_COLUMNS = """s.kr_id, s.team_id, s.title, t.name AS team, coalesce(owner.name, '—') AS owner, s.status, s.progress,
              s.expected_now, s.stale, s.days_since, s.last_on, s.kind"""


def _states(quarter: str, day: dt.date) -> list[dict[str, Any]]:
    return db.rows(state_sql("o.quarter = $quarter") + f"""
        SELECT {_COLUMNS} FROM kr_states s JOIN teams t ON t.id = s.team_id
        LEFT JOIN people owner ON owner.id = s.owner_id ORDER BY t.name, s.position, s.kr_id""",
                   {"quarter": quarter, "today": day})


def manager_digests(now: dt.datetime) -> Yield:
    """Every active manager whose teams have published key results this quarter."""
    today = now.date()
    quarter = quarters.current_key(today)
    managers = db.column("""SELECT DISTINCT s.person_id FROM manager_scopes s JOIN people pe ON pe.id = s.person_id
                            WHERE pe.active ORDER BY s.person_id""")
    if not managers:
        return
    shared = {"now": _states(quarter, today), "before": _states(quarter, today - dt.timedelta(days=7)),
              "acks": db.rows("""
        SELECT c.id, c.kr_id, o.team_id, k.title, t.name AS team, c.person_id, pe.name AS person, c.checked_on,
               c.confidence, c.comment
        FROM checkins c JOIN key_results k ON k.id = c.kr_id JOIN objectives o ON o.id = k.objective_id
        JOIN teams t ON t.id = o.team_id JOIN people pe ON pe.id = c.person_id
        WHERE o.quarter = ? AND c.checked_on > ? AND c.checked_on <= ? AND k.archived_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM checkin_acks a WHERE a.checkin_id = c.id)
        ORDER BY c.checked_on DESC, c.id DESC""", [quarter, today - dt.timedelta(days=7), today])}
    for manager in managers:
        actor = auth.load(manager)
        facts = for_manager(actor, quarter, today, shared)
        if facts["krs"]:
            yield week(today), {"id": actor.person_id, "name": actor.name, "email": actor.email}, facts


def _scope_name(actor: auth.Actor) -> str:
    if actor.manages_all:
        return "the whole organisation"
    roots = db.column("""SELECT t.name FROM manager_scopes s JOIN teams t ON t.id = s.team_id
                         WHERE s.person_id = ? ORDER BY t.name""", [actor.person_id])
    return ", ".join(roots) or "your teams"


def for_manager(actor: auth.Actor, quarter: str, today: dt.date, shared: dict[str, list[dict[str, Any]]]
                ) -> dict[str, Any]:
    """The digest of the teams `actor` manages: krs (count), off_track, stale, changes (progress a week ago and
    now, biggest first), acks (check-ins of the last 7 days nobody acknowledged, not the manager's own), each list
    cut to LIST_MAX with its full length in `counts`."""
    def mine(row: dict[str, Any]) -> bool:
        return actor.manages_team(row["team_id"])

    now_rows = [r for r in shared["now"] if mine(r)]
    before = {r["kr_id"]: r["progress"] for r in shared["before"] if mine(r)}
    off_track = sorted((r for r in now_rows if r["status"] == "off_track"),
                       key=lambda r: ((r["progress"] or 0) - (r["expected_now"] or 0), r["team"]))
    stale = sorted((r for r in now_rows if r["stale"]), key=lambda r: (-(r["days_since"] or 0), r["team"]))
    changes = []
    for r in now_rows:
        then = before.get(r["kr_id"])
        if r["progress"] is not None and abs(r["progress"] - (then or 0.0)) >= 0.005:
            changes.append({**r, "before": then, "delta": r["progress"] - (then or 0.0)})
    changes.sort(key=lambda r: (-abs(r["delta"]), r["team"]))
    acks = [r for r in shared["acks"] if mine(r) and r["person_id"] != actor.person_id]
    lists = {"off_track": off_track, "stale": stale, "changes": changes, "acks": acks}
    return {"quarter": quarter, "today": today, "scope": _scope_name(actor), "krs": len(now_rows),
            "on_track": sum(1 for r in now_rows if r["status"] == "on_track"),
            "counts": {name: len(rows) for name, rows in lists.items()},
            **{name: rows[:LIST_MAX] for name, rows in lists.items()}}
