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
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

Scope = tuple[Any, Any]  # (team id or None, quarter key or None)
EVERYWHERE: Scope = (None, None)


class Versions:
    """Thread-safe write counters of one database, per table and scope (see the module docstring)."""

    def __init__(self) -> None:
        self._counts: dict[tuple, int] = {}
        self._totals: dict[str, int] = {}
        self._lock = threading.Lock()
        self.epoch = 0

    def bump(self, tables: Iterable[str], scopes: Iterable[Scope] = (EVERYWHERE,)) -> None:
        """Record one committed write of `tables` in each of `scopes`."""
        scopes = list(scopes) or [EVERYWHERE]
        with self._lock:
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
        """The version of a read of `tables` in `scope`: it changes when, and only when, an overlapping write lands."""
        team, quarter = scope
        counts, totals = self._counts, self._totals
        parts = [self.epoch]
        for table in sorted(tables):
            if team is not None and quarter is not None:
                parts += (counts.get(("x", table, team, quarter), 0), counts.get(("x", table, team, None), 0),
                          counts.get(("x", table, None, quarter), 0), counts.get(("x", table, None, None), 0))
            elif team is not None:
                parts += (counts.get(("t", table, team), 0), counts.get(("t", table, None), 0))
            elif quarter is not None:
                parts += (counts.get(("q", table, quarter), 0), counts.get(("q", table, None), 0))
            else:
                parts.append(totals.get(table, 0))
        return tuple(parts)

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


def read_scope(team: str | None, quarter: str | None) -> Any:
    """Declare which parameters name the team and quarter a read concerns, when `team_id` and `quarter` would say
    too little: `@read_scope("team_id", None)` for a read of the team's other quarters too (the learning loop)."""
    def declare(fn: Any) -> Any:
        fn.read_scope = (team, quarter)
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
