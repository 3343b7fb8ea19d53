"""Organisation-wide summaries of key-result state, kept up to date in the same transaction as every write.

The dashboards used to compute every key result's state from its raw check-ins at every view: at 10,000 people,
~400,000 check-ins, half a second to a second per overview query once a write had emptied the cache. Now three
tables hold what does not depend on today (okrdash/summaries/schema.py):

- `kr_summaries`: per key result, its state after its latest check-in (value, progress, level, status, count,
  trend and projection…);
- `kr_checkin_states`: per effective check-in, its progress, expected progress, level and status;
- `kr_weeks`: per key result and week of its quarter, the level held at the week's end (the heatmap's cells);
- and `team_tree`: each team's department, walked once per change to the teams instead of in every query.

okrdash.scores.kept_sql reads them as the same `kr`, `checkin_states` and `kr_states` that state_sql computes, and
adds what depends on today (days since, stale, due, expected now). Whether a key result is tracked (archived,
published, awaiting publication, its objective's status) is read at read time too, so archiving, restoring and
publishing change no summary.

Who keeps them (okrdash/summaries/keep.py): every transaction that writes check-ins, key results or relative
changes refreshes the key results of the team and quarter it names, before it commits (a hook okrdash.db runs;
okrdash/summaries/states.py works their states out in Python, as state_sql would compute them);
one that names no team and quarter rebuilds them all; one that writes teams recomputes the tree. Bulk writers
rebuild at the end of their transaction: the demo generators, a restored backup (okrdash.backup), the migration
that creates them. `python -m okrdash rebuild-summaries` rebuilds them by hand, should they ever be in doubt.
"""

from __future__ import annotations

from okrdash import db
from okrdash.summaries.keep import after_writes, rebuild, refresh

__all__ = ["rebuild", "rebuild_all", "refresh"]

db.before_commit(after_writes)


def rebuild_all() -> int:
    """Rebuild every summary from the check-ins in one transaction; returns the number of key results summarised
    (`python -m okrdash rebuild-summaries`)."""
    with db.transaction() as cur:
        rebuild(cur)
        return int(cur.execute("SELECT count(*) FROM kr_summaries").fetchone()[0])
