"""Keeping the summaries: a rebuild from scratch, and the refresh every write to their sources runs before it commits.

Both compute every key result's state as okrdash.scores.state_sql does with `live=False` (archived, draft and
awaiting ones too, since whether a key result is tracked is read at read time) as of its quarter's end, so a stored
state never depends on the day it was written. Then:

- `rebuild(cur, kr_ids=None)`: delete and insert in SQL, with state_sql (the whole organisation, or the key results
  listed).
- `refresh(cur, kr_ids)`: compute the key results' states in Python (okrdash.summaries.states: state_sql cost more
  to plan than a few key results' rows cost to read), compare them with the stored rows and rewrite only the key
  results whose state changed. So a check-in rewrites its own key result's rows, never its team mates': two
  people checking in on different key results of one team at the same moment never touch the same row, and two on
  the same key result take turns (checkins.record's serial lock); any other write racing on a row loses with
  Conflict and is retried (db.retrying).
- `after_writes`: the hook okrdash.db runs before each commit that wrote check-ins, key results or relative
  changes. It refreshes the key results of the team and quarter the transaction named (db.touch / scope=), and
  rebuilds everything when it named none. A transaction that wrote the summaries itself (a rebuild: the demo, a
  restore) is left as it is.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

from okrdash import quarters, scores
from okrdash.storage.changes import Scope
from okrdash.summaries import states

SOURCES = frozenset({"checkins", "key_results", "kr_relative"})
KEPT = frozenset({"kr_summaries", "kr_checkin_states", "kr_weeks"})
TREE_SOURCES, TREE = frozenset({"teams"}), "team_tree"
EVER = dt.date(9999, 12, 31)  # "today" for stored states: every quarter is over, each is scored at its end
BULK = 2000  # more key results than this are rebuilt in SQL instead of compared one by one

SUMMARY = ("kr_id", "kind", "baseline", "target", "change_pct", "starts_on", "ends_on", "due_on", "last_checkin_id",
           "last_person_id", "last_on", "last_value", "done", "confidence", "last_comment", "progress", "expected",
           "within", "level", "status", "checkins", "weeks_checked", "last_week", "slope", "intercept", "points",
           "projected_value", "score")
_FROM_TREND = {"weeks_checked", "last_week", "slope", "intercept", "points"}
CHECKIN = ("checkin_id", "kr_id", "checked_on", "next_on", "value", "done", "confidence", "within", "progress",
           "expected", "level", "status")


def _summary_columns() -> str:
    """The summary's columns over state_sql's kr_states `s` and trend `t`; a trend through fewer than two points is
    kept as NULL (DuckDB says NaN, PostgreSQL NULL)."""
    def column(name: str) -> str:
        if name in ("slope", "intercept"):
            return f"CASE WHEN t.points >= 2 THEN t.{name} END"
        return f"{'t' if name in _FROM_TREND else 's'}.{name}"
    return ", ".join(column(c) for c in SUMMARY)


def _summary_select() -> str:
    return f"SELECT {_summary_columns()} FROM kr_states s LEFT JOIN trend t ON t.kr_id = s.kr_id"


def _ids_where(kr_ids: Sequence[int] | None) -> tuple[str, dict[str, Any]]:
    return ("true", {}) if kr_ids is None else ("k.id = ANY($ids)", {"ids": list(kr_ids) or [-1]})


TEAM_TREE = """
WITH RECURSIVE up(team_id, ancestor_id, parent_id, depth) AS (
    SELECT id, id, parent_id, 0 FROM teams
    UNION ALL
    SELECT up.team_id, t.id, t.parent_id, up.depth + 1 FROM up JOIN teams t ON t.id = up.parent_id
),
roots AS (
    SELECT team_id, ancestor_id AS department_id FROM up WHERE parent_id IS NULL
)
SELECT t.id AS team_id, t.name AS team, r.department_id, d.name AS department,
       EXISTS (SELECT 1 FROM teams c WHERE c.parent_id = t.id) AS has_children
FROM teams t JOIN roots r ON r.team_id = t.id JOIN teams d ON d.id = r.department_id
ORDER BY t.id"""


def rebuild_tree(cur: Any) -> None:
    """Recompute the team tree (a few rows per team: cheap whenever a team changes)."""
    cur.execute(f"DELETE FROM {TREE}")
    cur.execute(f"INSERT INTO {TREE} (team_id, team, department_id, department, has_children) {TEAM_TREE}")


def rebuild(cur: Any, kr_ids: Sequence[int] | None = None) -> None:
    """Recompute the summaries from the check-ins, in SQL: of every key result (rows of vanished ones go too) and
    the team tree, or of the key results listed. Inside the caller's transaction (the cursor's)."""
    if kr_ids is None:
        rebuild_tree(cur)
    where, params = _ids_where(kr_ids)
    params["today"] = EVER
    for table in KEPT:
        cur.execute(f"DELETE FROM {table}" + ("" if kr_ids is None else " WHERE kr_id = ANY($ids)"),
                    {} if kr_ids is None else {"ids": params["ids"]})
    computed = scores.state_sql(where, live=False)
    # In key order: rows of one key result stay together (DuckDB keeps insertion order, and skips row groups by
    # their min/max), and the same data always gives the same tables.
    cur.execute(f"INSERT INTO kr_summaries ({', '.join(SUMMARY)}) {computed} {_summary_select()} ORDER BY s.kr_id",
                params)
    cur.execute(f"INSERT INTO kr_checkin_states ({', '.join(CHECKIN)}) {computed} "
                f"SELECT {', '.join(CHECKIN)} FROM checkin_states ORDER BY kr_id, checked_on", params)
    _write_weeks(cur, kr_ids)


def refresh(cur: Any, kr_ids: Iterable[int]) -> list[int]:
    """Bring the listed key results' summaries up to date, rewriting only those whose state changed (returned)."""
    ids = sorted(set(kr_ids))
    if not ids:
        return []
    if len(ids) > BULK:
        rebuild(cur, ids)
        return ids
    summaries, states, quarter_of = _computed(cur, ids)
    stored_summaries, stored_states = stored(cur, ids)
    changed = [k for k in ids if not same(summaries.get(k), stored_summaries.get(k))
               or not same(states.get(k), stored_states.get(k))]
    if not changed:
        return []
    updates = [[*summaries[k][0][1:], k] for k in changed if k in stored_summaries and k in summaries]
    inserts = [summaries[k][0] for k in changed if k not in stored_summaries and k in summaries]
    if updates:
        cur.executemany(f"UPDATE kr_summaries SET {', '.join(f'{c} = ?' for c in SUMMARY[1:])} WHERE kr_id = ?",
                        updates)
    if inserts:
        _insert(cur, "kr_summaries", SUMMARY, inserts)
    gone = [k for k in changed if k not in summaries]
    if gone:  # a key result that no longer exists
        cur.execute("DELETE FROM kr_summaries WHERE kr_id = ANY(?)", [gone])
    for table in ("kr_checkin_states", "kr_weeks"):
        cur.execute(f"DELETE FROM {table} WHERE kr_id = ANY(?)", [changed])
    rows = [row for k in changed for row in states.get(k, [])]
    if rows:
        _insert(cur, "kr_checkin_states", CHECKIN, rows)
        _insert(cur, "kr_weeks", ("kr_id", "week", "level", "held_on"),
                [cell for k in changed if k in states for cell in week_rows(states[k], quarter_of[k])])
    return changed


def _insert(cur: Any, table: str, columns: Sequence[str], rows: list[tuple], chunk: int = 100) -> None:
    """Rows in a few multi-row INSERTs (one statement per row cost more than computing them)."""
    one = f"({', '.join('?' for _ in columns)})"
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join(one for _ in part)}",
                    [value for row in part for value in row])


def same(mine: list[tuple] | None, theirs: list[tuple] | None) -> bool:
    """Rows equal, floats to 1e-9 (a trend read back from storage may differ in its last bits)."""
    if mine is None or theirs is None:
        return mine is theirs
    return len(mine) == len(theirs) and all(
        len(a) == len(b) and all(x == y or (isinstance(x, float) and isinstance(y, float)
                                            and math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12))
                                 for x, y in zip(a, b, strict=True))
        for a, b in zip(mine, theirs, strict=True))


def _computed(cur: Any, ids: list[int]) -> tuple[dict[int, list[tuple]], dict[int, list[tuple]], dict[int, str]]:
    """The key results' summary rows and check-in state rows as state_sql would compute them now, by key result
    (worked out in Python, okrdash.summaries.states), and each key result's quarter."""
    summaries, checked, quarter_of = states.computed(cur, ids)
    return ({kr_id: [tuple(summary[c] for c in SUMMARY)] for kr_id, summary in summaries.items()},
            {kr_id: [tuple(state[c] for c in CHECKIN) for state in rows] for kr_id, rows in checked.items()},
            quarter_of)


def week_rows(states: list[tuple], quarter: str) -> list[tuple]:
    """A key result's weekly cells (kr_id, week, level, held_on) from its check-in states (CHECKIN rows), as
    `_write_weeks` computes them in SQL for a rebuild: in each week, the state of the latest check-in on or before
    the week's last day. Worked out here for a refresh, which has the states at hand: a query for a few key
    results cost more to plan than to run."""
    checked_on, next_on, level = CHECKIN.index("checked_on"), CHECKIN.index("next_on"), CHECKIN.index("level")
    return [(state[1], week, state[level], state[checked_on]) for _, week, week_end in week_cells(quarter)
            for state in states
            if state[checked_on] <= week_end and (state[next_on] is None or state[next_on] > week_end)]


def stored(cur: Any, ids: list[int]) -> tuple[dict[int, list[tuple]], dict[int, list[tuple]]]:
    """The key results' summary rows and check-in state rows (oldest first) as the tables hold them, by key result."""
    return (_rows_by_kr(cur, f"SELECT {', '.join(SUMMARY)} FROM kr_summaries WHERE kr_id = ANY(?)", ids),
            _rows_by_kr(cur, f"SELECT {', '.join(CHECKIN)} FROM kr_checkin_states WHERE kr_id = ANY(?) "
                             "ORDER BY kr_id, checked_on", ids, column=1))


def _rows_by_kr(cur: Any, sql: str, ids: list[int], column: int = 0) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = {}
    for row in cur.execute(sql, [ids]).fetchall():
        found.setdefault(row[column], []).append(tuple(row))
    return found


def _write_weeks(cur: Any, kr_ids: Sequence[int] | None) -> None:
    """The weekly cells of the key results (all, or those listed) from their stored check-in states: for each
    week of the quarter, the state of the latest check-in on or before the week's last day (or the quarter's)."""
    keys = [r[0] for r in cur.execute(
        "SELECT DISTINCT o.quarter FROM key_results k JOIN objectives o ON o.id = k.objective_id"
        + ("" if kr_ids is None else " WHERE k.id = ANY(?)"), [] if kr_ids is None else [list(kr_ids)]).fetchall()]
    cells = [cell for key in sorted(keys) for cell in week_cells(key)]
    if not cells:
        return
    values = ", ".join("(CAST(? AS VARCHAR), CAST(? AS DATE), CAST(? AS DATE))" for _ in cells)
    only = "" if kr_ids is None else " AND c.kr_id = ANY(?)"
    cur.execute(
        f"""INSERT INTO kr_weeks (kr_id, week, level, held_on)
            SELECT c.kr_id, w.week, c.level, c.checked_on
            FROM kr_checkin_states c JOIN key_results k ON k.id = c.kr_id
            JOIN objectives o ON o.id = k.objective_id
            JOIN (VALUES {values}) AS w(quarter, week, week_end) ON w.quarter = o.quarter
            WHERE c.checked_on <= w.week_end AND (c.next_on IS NULL OR c.next_on > w.week_end){only}
            ORDER BY c.kr_id, w.week""",
        [v for cell in cells for v in cell] + ([] if kr_ids is None else [list(kr_ids)]))


def week_cells(quarter: str) -> list[tuple[str, dt.date, dt.date]]:
    """(quarter, Monday, last day counted) for each week of the quarter: weeks start on the Monday on or before its
    first day; the last one ends with the quarter."""
    start, end = quarters.bounds(quarter)
    week = start - dt.timedelta(days=start.weekday())
    cells = []
    while week <= end:
        cells.append((quarter, week, min(week + dt.timedelta(days=6), end)))
        week += dt.timedelta(days=7)
    return cells


def after_writes(cur: Any, written: frozenset[str], scopes: frozenset[Scope]) -> None:
    """okrdash.db's before-commit hook: keep the summaries of what this transaction wrote."""
    if written & KEPT or TREE in written:  # it kept them itself (a rebuild)
        return
    if written & TREE_SOURCES:
        rebuild_tree(cur)
    if not written & SOURCES:
        return
    if not scopes or any(team is None and quarter is None for team, quarter in scopes):
        rebuild(cur)
        return
    conditions, params = [], []
    for team, quarter in sorted(scopes, key=str):
        parts = [(column, value) for column, value in (("o.team_id", team), ("o.quarter", quarter))
                 if value is not None]
        conditions.append("(" + " AND ".join(f"{column} = ?" for column, _ in parts) + ")")
        params += [value for _, value in parts]
    ids = [r[0] for r in cur.execute(
        "SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id WHERE "
        + " OR ".join(conditions), params).fetchall()]
    refresh(cur, ids)
