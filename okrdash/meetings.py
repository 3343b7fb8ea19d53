"""The workshop meeting a survey prepares: its day, start time, length and place, set by the team's lead when
opening the survey (or later), and sent to members as a calendar invitation (okrdash.notify.ics).

The preparation window: the workshop starts no earlier than the survey's deadline (it works on the answers) and no
later than the end of the quarter's second week (the team's OKRs are set early in the quarter they are for). Times
are wall-clock times of the organisation (okrdash.settings.timezone_name), like every time okrdash stores.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, fmt, quarters, validate
from okrdash.errors import NotFound, ValidationError

DEFAULT_MINUTES = 180
DEFAULT_START = dt.time(10, 0)
WEEKS_INTO_QUARTER = 2
PLACE_MAX = 300


def latest_day(quarter: str) -> dt.date:
    """The last day a workshop for `quarter` may take place: the end of the quarter's second week."""
    starts_on, _ = quarters.bounds(quarter)
    return starts_on + dt.timedelta(days=7 * WEEKS_INTO_QUARTER - 1)


def window_text(deadline: dt.datetime, quarter: str) -> str:
    """'between the survey's deadline (Tue 24 Nov 2026 at 17:00) and Thu 14 Jan 2027'."""
    return (f"between the survey's deadline ({fmt.day(deadline)} at {deadline:%H:%M}) and "
            f"{fmt.day(latest_day(quarter))}, the end of {quarter}'s second week")


def default_start(deadline: dt.datetime) -> dt.datetime:
    """The first working day after the deadline's day, at 10:00."""
    day = deadline.date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, DEFAULT_START)


def fits_window(start: dt.datetime, deadline: dt.datetime, quarter: str) -> bool:
    return deadline <= start and start.date() <= latest_day(quarter)


def check(workshop: dict[str, Any], *, deadline: dt.datetime, quarter: str, now: dt.datetime) -> dict[str, Any]:
    """The workshop {day, start, minutes, place} checked against the preparation window; returns
    {starts_at, minutes, place}."""
    day, start = workshop.get("day"), workshop.get("start")
    if isinstance(day, dt.datetime):
        day, start = day.date(), start or day.time()
    if not isinstance(day, dt.date):
        raise ValidationError("Pick the workshop's date.", "workshop_day")
    if not isinstance(start, dt.time):
        raise ValidationError("Pick the time the workshop starts.", "workshop_start")
    starts_at = dt.datetime.combine(day, start.replace(second=0, microsecond=0, tzinfo=None))
    minutes = validate.integer_in(workshop.get("minutes", DEFAULT_MINUTES), "The workshop's length in minutes",
                                  15, 720, field="workshop_minutes")
    place = validate.text(" ".join(str(workshop.get("place") or "").split()), "The workshop's place",
                          max_len=PLACE_MAX, field="workshop_place")
    when = f"{fmt.day(starts_at)} at {starts_at:%H:%M}"
    if starts_at <= now:
        raise ValidationError(f"The workshop ({when}) would already have started; pick a moment in the future.",
                              "workshop_day")
    if not fits_window(starts_at, deadline, quarter):
        raise ValidationError(
            f"The workshop ({when}) must take place {window_text(deadline, quarter)}: the answers are in by then "
            "and the OKRs are set early in the quarter. Pick a day in that window, or change the deadline first.",
            "workshop_day")
    return {"starts_at": starts_at, "minutes": minutes, "place": place}


def write(cur: Any, survey_id: int, checked: dict[str, Any], *, by: int, now: dt.datetime) -> None:
    """Store the checked workshop for the survey inside the caller's transaction (a change bumps `revision`)."""
    values = [checked["starts_at"], checked["minutes"], checked["place"], by, now, survey_id]
    if cur.execute("SELECT count(*) FROM workshop_meetings WHERE survey_id = ?", [survey_id]).fetchone()[0]:
        cur.execute("""UPDATE workshop_meetings SET starts_at = ?, minutes = ?, place = ?, updated_by = ?,
                              updated_at = ?, revision = revision + 1 WHERE survey_id = ?""", values)
    else:
        cur.execute("""INSERT INTO workshop_meetings (starts_at, minutes, place, updated_by, updated_at, survey_id)
                       VALUES (?, ?, ?, ?, ?, ?)""", values)


def get(survey_id: int) -> dict[str, Any] | None:
    """The survey's workshop (library level): starts_at, ends_at, minutes, place, revision; None when not set."""
    found = db.row("""SELECT survey_id, starts_at, minutes, place, revision, updated_at FROM workshop_meetings
                      WHERE survey_id = ?""", [survey_id])
    if found is not None:
        found["ends_at"] = found["starts_at"] + dt.timedelta(minutes=found["minutes"])
    return found


def meeting(actor: auth.Actor, survey_id: int) -> dict[str, Any] | None:
    """The survey's workshop, for the team's members and managers above it."""
    auth.require_reader(actor, _survey(survey_id)["team_id"], "see its workshop")
    return get(survey_id)


def _survey(survey_id: int) -> dict[str, Any]:
    found = db.row("SELECT id, team_id, quarter, deadline FROM surveys WHERE id = ?", [survey_id])
    if found is None:
        raise NotFound("That survey does not exist (any more). Pick another one.")
    return found


def schedule(actor: auth.Actor, survey_id: int, workshop: dict[str, Any], now: dt.datetime | None = None) -> None:
    """The lead sets or moves the workshop of the team's survey (members' calendars update from the new file)."""
    found = _survey(survey_id)
    auth.require_lead(actor, found["team_id"], "schedule its workshop")
    now = now or dt.datetime.now().replace(microsecond=0)
    checked = check(workshop, deadline=found["deadline"], quarter=found["quarter"], now=now)
    with db.transaction() as cur:
        write(cur, survey_id, checked, by=actor.person_id, now=now)


def check_new_deadline(survey_id: int, deadline: dt.datetime, now: dt.datetime) -> None:
    """Refuse a deadline after the start of the survey's coming workshop: it would miss the late answers."""
    found = get(survey_id)
    if found is not None and now < found["starts_at"] < deadline:
        raise ValidationError(
            f"The workshop starts {fmt.day(found['starts_at'])} at {found['starts_at']:%H:%M}, before the new "
            "deadline. Move the workshop later first (Survey setup → Workshop), then extend the deadline.",
            "deadline")


def describe(meeting: dict[str, Any]) -> str:
    """'Thu 26 Nov 2026, 10:00–13:00, Harbor HQ' for messages and pages."""
    end = meeting["starts_at"] + dt.timedelta(minutes=meeting["minutes"])
    place = f", {meeting['place']}" if meeting["place"] else ""
    return f"{fmt.day(meeting['starts_at'])}, {meeting['starts_at']:%H:%M}–{end:%H:%M}{place}"
