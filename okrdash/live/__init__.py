"""The live workshop: pages that follow the room without a reload.

How a live page knows something changed: the one change signal every cached read already follows
(okrdash.storage.changes). Each committed write bumps the versions of the tables it wrote in the (team, quarter)
it names; `db.version_of(tables, scope)` moves exactly when such a write lands, in this process or, on PostgreSQL,
in another one once `db.sync()` has polled the change log. A live page records the version of the tables it shows
when it draws (`Watch`), and a short tick compares it (`Watch.moved`): a few dict lookups, no query.

What lives here (no Streamlit; okrdash/ui/live/ draws it):
- `room`: presenting (the lead's step and highlighted idea or key result; the last lead to present wins and the
  one displaced is told) and following (members opt in and out; kept in the database).
- `timebox`: a step's timer, stored as its end time, so every screen counts down alike; nothing closes by itself.
- `wall`: the idea wall: ideas added live (named or anonymous as the survey is), pinned and grouped by the lead.
- `screen`: what the projector shows, read as the person looking at it may see it (never an anonymous author,
  never a blind round's totals before it closes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from okrdash import db
from okrdash.storage.changes import Scope

# What the workshop steps show: a write to any of these in the team's quarter redraws its live pages.
LIVE_TABLES = frozenset({"live_rooms", "live_followers", "live_timers", "wall_marks"})
WORKSHOP_TABLES = LIVE_TABLES | frozenset({
    "ideas", "idea_merges", "ranking_rounds", "ranking_round_ideas", "ballots", "ballot_lines", "objectives",
    "deprioritized", "key_results", "awaiting_publish", "publications", "surveys", "survey_participation",
    "memberships", "strategy_items",
})
# Survey setup's participation view: who has answered, who drafts (drafts are saved as members type).
SURVEY_TABLES = frozenset({"surveys", "survey_participation", "survey_drafts", "ideas", "memberships"})
# Home's "what you owe now": surveys, rounds, key results to finish or check in on.
HOME_TABLES = frozenset({"surveys", "survey_participation", "ranking_rounds", "ballots", "objectives",
                         "key_results", "awaiting_publish", "publications", "checkins", "memberships"})

SECONDS_SETTING = "OKRDASH_LIVE_SECONDS"
DEFAULT_SECONDS = 2.0  # a tick every 2 s: what others do shows within about 2 s
TIMER_SECONDS = 0.8  # while a timebox runs: two screens never show more than a second apart


def tick_seconds() -> float:
    """How often live pages look for changes (`OKRDASH_LIVE_SECONDS`, default 2; 0 turns live updates off)."""
    try:
        seconds = float(os.environ.get(SECONDS_SETTING, "").strip() or DEFAULT_SECONDS)
    except ValueError:
        return DEFAULT_SECONDS
    return max(seconds, 0.0)


@dataclass(frozen=True)
class Watch:
    """The tables a live page shows and the scopes it shows them in; its version is what a tick compares."""

    tables: frozenset[str]
    scopes: tuple[Scope, ...]

    @classmethod
    def of(cls, tables: Iterable[str], scopes: Iterable[Scope]) -> Watch:
        return cls(frozenset(tables), tuple(scopes))

    def version(self) -> tuple:
        """Changes exactly when a write to one of the tables lands in one of the scopes (after `db.sync()`)."""
        return tuple(db.version_of(self.tables, scope) for scope in self.scopes)

    def moved(self, seen: tuple | None) -> bool:
        """One tick: apply other processes' writes, then compare with the version the page drew at."""
        db.sync()
        return self.version() != seen
