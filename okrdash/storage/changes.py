"""Versions of what changed: the one rule that decides when a cached read or a live page is out of date.

Every committed write names the tables it wrote (okrdash.storage.statements finds them in its SQL) and, where it
applies, the team and quarter it concerns (`db.touch(team, quarter)` inside the transaction); a write that names no
scope concerns the whole organisation. A read depends on the tables it read and on its scope: a team and quarter,
a team, a quarter, or everything. A write changes a read's version exactly when both name a common table and their
scopes overlap (None matches anything):

    write (team 3, 2026-Q4) on checkins  →  changes (3, 2026-Q4), (3, *), (*, 2026-Q4) and (*, *) reads of checkins;
                                             leaves (4, 2026-Q4) and (3, 2026-Q3) reads alone.

Counters make that a few dict lookups per table: a write at (t, q) adds one to its exact cell (t, q), to its team's
total (or the no-team total), to its quarter's total (or the no-quarter total) and to the table's total; a read
sums the cells that can hold an overlapping write. `bump_everything` (a restore, a process that lost track of
another's writes) changes every version at once.

Versions also remember the last LOG_LENGTH writes one by one, so a read of the whole organisation can ask which
teams changed since it was made (`teams_written_since`) and read only those again (`kept_per_team`).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Scope = tuple[Any, Any]  # (team id or None, quarter key or None)
EVERYWHERE: Scope = (None, None)
Mark = tuple[int, int]  # (epoch, writes so far): where `Versions.teams_written_since` starts counting
LOG_LENGTH = 4096  # the writes Versions remembers one by one; a read older than that is made again in full


class Versions:
    """Thread-safe write counters of one database, per table and scope (see the module docstring)."""

    def __init__(self) -> None:
        self._counts: dict[tuple, int] = {}
        self._totals: dict[str, int] = {}
        self._lock = threading.Lock()
        self.epoch = 0
        self._written = 0  # writes recorded so far; the last LOG_LENGTH of them are in _log
        self._log: deque[tuple[int, frozenset[str], tuple[Scope, ...]]] = deque(maxlen=LOG_LENGTH)

    def bump(self, tables: Iterable[str], scopes: Iterable[Scope] = (EVERYWHERE,)) -> None:
        """Record one committed write of `tables` in each of `scopes`."""
        tables, scopes = frozenset(tables), tuple(scopes) or (EVERYWHERE,)
        with self._lock:
            self._written += 1
            self._log.append((self._written, tables, scopes))
            counts = self._counts
            for table in tables:
                for team, quarter in scopes:
                    for cell in (("x", table, team, quarter), ("t", table, team), ("q", table, quarter)):
                        counts[cell] = counts.get(cell, 0) + 1
                    self._totals[table] = self._totals.get(table, 0) + 1

    def bump_everything(self) -> None:
        with self._lock:
            self.epoch += 1

    def of(self, tables: Iterable[str], scope: Scope = EVERYWHERE) -> tuple[int, ...]:
        """The version of a read of `tables` in `scope`: it changes when, and only when, an overlapping write lands.
        The scope's team may be a frozenset of teams: a read of those teams' rows alone (a person's own teams)."""
        team, quarter = scope
        teams = sorted(team) if isinstance(team, frozenset) else [team]
        counts, totals = self._counts, self._totals
        parts = [self.epoch]
        for table in sorted(tables):
            if team is not None and quarter is not None:
                parts += [counts.get(("x", table, t, q), 0) for t in teams for q in (quarter, None)]
                parts += (counts.get(("x", table, None, quarter), 0), counts.get(("x", table, None, None), 0))
            elif team is not None:
                parts += [counts.get(("t", table, t), 0) for t in (*teams, None)]
            elif quarter is not None:
                parts += (counts.get(("q", table, quarter), 0), counts.get(("q", table, None), 0))
            else:
                parts.append(totals.get(table, 0))
        return tuple(parts)

    def mark(self) -> Mark:
        """Where the writes stand now, for `teams_written_since`."""
        with self._lock:
            return self.epoch, self._written

    def teams_written_since(self, mark: Mark, tables: Iterable[str], quarter: Any) -> set[Any] | None:
        """The teams whose data in `quarter` writes of `tables` since `mark` concerned: an empty set when none did,
        None when one concerned no team in particular (or every quarter of none), or when the record of writes no
        longer reaches back to `mark`: then a read of `tables` must be made again in full."""
        epoch, since = mark
        tables = frozenset(tables)
        teams: set[Any] = set()
        with self._lock:
            if epoch != self.epoch or (self._log and self._log[0][0] > since + 1 and since < self._written):
                return None
            for number, written, scopes in reversed(self._log):
                if number <= since:
                    break
                if tables.isdisjoint(written):
                    continue
                for team, written_quarter in scopes:
                    if quarter is not None and written_quarter is not None and written_quarter != quarter:
                        continue
                    if team is None:
                        return None
                    teams.add(team)
        return teams

    def totals(self) -> tuple[int, dict[str, int]]:
        """(epoch, writes per table) now: compared after a read to see whether a write landed while it ran."""
        with self._lock:
            return self.epoch, dict(self._totals)

    def written_since(self, before: tuple[int, dict[str, int]], tables: Iterable[str]) -> bool:
        epoch, totals = before
        return self.epoch != epoch or any(self._totals.get(t, 0) != totals.get(t, 0) for t in tables)

    @property
    def total(self) -> int:
        """Every write so far, plus the epoch: a number that moves whenever anything changed."""
        return self.epoch + sum(self._totals.values())


_by_target: dict[str, Versions] = {}
_by_target_lock = threading.Lock()


def versions_for(target: str) -> Versions:
    """The versions of one database (a DuckDB path or a PostgreSQL URL), kept for the life of the process: a target
    reopened later (a restore swaps the file) must not count from zero again, or a kept read could match by chance."""
    found = _by_target.get(target)
    if found is None:
        with _by_target_lock:
            found = _by_target.setdefault(target, Versions())
    return found


def read_scope(team: str | Callable[..., Iterable[Any]] | None, quarter: str | None) -> Any:
    """Declare which parameters name the team and quarter a read concerns, when `team_id` and `quarter` would say
    too little: `@read_scope("team_id", None)` for a read of the team's other quarters too (the learning loop).
    `team` may instead be a function of the read's arguments that returns the teams whose rows it reads alone
    (`lambda actor, *_, **__: actor.member_of | actor.lead_of`): writes in other teams then leave it kept."""
    def declare(fn: Any) -> Any:
        fn.read_scope = (team, quarter)
        return fn
    return declare


@dataclass(frozen=True)
class PerTeam:
    """How a read is brought up to date team by team: see `kept_per_team`."""

    rows: Callable[..., Any]
    combine: Callable[[Any], Any]


def kept_per_team(rows: Callable[..., Any], combine: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Declare that a read equals `combine(rows(*its arguments))`, where `rows` returns records (dicts, or a
    DataFrame's rows) that each carry a `team_id` and depend only on writes scoped to that team (or to no team),
    and `rows(..., teams=[…])` returns those teams' records alone. A kept read of it (okrdash/ui/memo.py) is then
    brought up to date after writes scoped to a few teams by reading those teams again, not the organisation."""
    def declare(fn: Any) -> Any:
        fn.per_team = PerTeam(rows, combine)
        return fn
    return declare


_before_commit: list[Callable[[Any, frozenset[str], frozenset[Scope]], None]] = []


def before_commit(hook: Callable[[Any, frozenset[str], frozenset[Scope]], None]) -> None:
    """Run `hook(cursor, written_tables, scopes)` at the end of every outermost `db.transaction()` that wrote
    something, before it commits, so tables derived from others stay right in the same transaction whoever wrote
    (the summaries, okrdash/summaries/). What the hook writes joins the transaction; if it raises, nothing commits.
    `db.before_commit` is this function."""
    if hook not in _before_commit:
        _before_commit.append(hook)


def run_before_commit(cur: Any, written: set[str], scopes: set[Scope]) -> None:
    for hook in _before_commit:
        hook(cur, frozenset(written), frozenset(scopes))
