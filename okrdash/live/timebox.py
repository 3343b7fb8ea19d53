"""A step's timebox: the lead gives a step N minutes and every screen counts down the same time.

One timer per team and quarter (`live_timers`), stored as its end time: each screen computes what is left from
that and its server's clock, never from a counter of its own, so two screens agree to the second and a page that
reconnects shows the right time at once. When time is up nothing closes: the room sees "time is up" and the lead
extends the timebox or moves on (stops it). Times come in as `now` (tests pin them; SQL never reads a clock).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, ideas, validate
from okrdash.errors import ValidationError
from okrdash.live.room import check_step

MIN_MINUTES, MAX_MINUTES = 1, 120  # one timebox; extensions add up to MAX_TOTAL
MAX_TOTAL = 240


def _minutes(value: object, *, extending: bool = False) -> int:
    """Whole minutes from 1 to 120, with a message that says what to do instead."""
    try:
        minutes = validate.number(value, "Minutes", required=True, field="minutes")
    except ValidationError:
        minutes = None
    if minutes is None or minutes != int(minutes) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        shown = "nothing" if value is None or not str(value).strip() else f"“{str(value).strip()[:40]}”"
        what = "An extension" if extending else "A timebox"
        raise ValidationError(
            f"{what} is {MIN_MINUTES} to {MAX_MINUTES} whole minutes, and {shown} is not. Type e.g. 10 for a "
            "brainstorm; for a longer session, give each step its own timebox.", "minutes")
    return int(minutes)


def current(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any] | None:
    """The running (or run out, not yet stopped) timebox: step, minutes, started_at, ends_at, started_by (name);
    None when there is none."""
    auth.require_reader(actor, team_id, "see this team's workshop")
    return db.row("""SELECT t.step, t.minutes, t.started_at, t.ends_at, p.name AS started_by
                     FROM live_timers t LEFT JOIN people p ON p.id = t.started_by
                     WHERE t.team_id = ? AND t.quarter = ? AND t.stopped_at IS NULL""", [team_id, quarter])


def start(actor: auth.Actor, team_id: int, quarter: str, step: str, minutes: object, *,
          now: dt.datetime | None = None) -> dt.datetime:
    """The lead gives `step` a timebox of `minutes` from now (replacing any other); returns when it ends."""
    auth.require_lead(actor, team_id, "start the workshop's timer")
    ideas.require_open_quarter(quarter, now)
    step, minutes, now = check_step(step), _minutes(minutes), now or dt.datetime.now()
    ends_at = now + dt.timedelta(minutes=minutes)
    db.execute("""INSERT INTO live_timers (team_id, quarter, step, minutes, started_at, ends_at, started_by)
                  VALUES (?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (team_id, quarter) DO UPDATE SET step = excluded.step, minutes = excluded.minutes,
                      started_at = excluded.started_at, ends_at = excluded.ends_at,
                      started_by = excluded.started_by, stopped_at = NULL""",
               [team_id, quarter, step, minutes, now, ends_at, actor.person_id], scope=(team_id, quarter))
    return ends_at


def extend(actor: auth.Actor, team_id: int, quarter: str, minutes: object, *,
           now: dt.datetime | None = None) -> dt.datetime:
    """The lead adds `minutes` (counted from now when time is already up); returns the new end."""
    auth.require_lead(actor, team_id, "extend the workshop's timer")
    minutes, now = _minutes(minutes, extending=True), now or dt.datetime.now()
    running = current(actor, team_id, quarter)
    if running is None:
        raise ValidationError("No timebox is running, so there is nothing to extend. Start one instead.", "minutes")
    if running["minutes"] + minutes > MAX_TOTAL:
        raise ValidationError(f"This timebox has had {running['minutes']} minutes; {minutes} more would pass "
                              f"{MAX_TOTAL}. Move on, or start a new timebox for what comes next.", "minutes")
    ends_at = max(running["ends_at"], now) + dt.timedelta(minutes=minutes)
    db.execute("""UPDATE live_timers SET ends_at = ?, minutes = minutes + ?
                  WHERE team_id = ? AND quarter = ? AND stopped_at IS NULL""",
               [ends_at, minutes, team_id, quarter], scope=(team_id, quarter))
    return ends_at


def stop(actor: auth.Actor, team_id: int, quarter: str, *, now: dt.datetime | None = None) -> None:
    """The lead moves on: the timebox goes away (it never stops by itself)."""
    auth.require_lead(actor, team_id, "stop the workshop's timer")
    db.execute("UPDATE live_timers SET stopped_at = ? WHERE team_id = ? AND quarter = ? AND stopped_at IS NULL",
               [now or dt.datetime.now(), team_id, quarter], scope=(team_id, quarter))


def seconds_left(timer: dict[str, Any], now: dt.datetime) -> int:
    """Whole seconds left (0 once time is up), rounded up so a screen shows 00:01 until the very end."""
    left = (timer["ends_at"] - now).total_seconds()
    return max(0, int(-(-left // 1)))


def clock_text(seconds: int) -> str:
    """'07:42', '1:05:00' past an hour."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
