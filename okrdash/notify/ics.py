"""Calendar files (RFC 5545, written with icalendar): the workshop, the survey deadline and a weekly check-in
reminder. Times are the organisation's wall-clock times (okrdash.settings.timezone_name), written with that TZID
and its VTIMEZONE, so every calendar shows them at the right moment wherever its owner is.

METHOD:PUBLISH: calendars offer to add the event (okrdash collects no replies). UIDs are stable, and SEQUENCE grows
when the lead moves the workshop or the deadline, so importing a newer file updates the event instead of adding
a second one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from okrdash import auth, checkins, meetings, quarters, settings, surveys
from okrdash.errors import NotFound, ValidationError
from okrdash.notify import links

PRODID = "-//okrdash//OKR workshop and check-ins//EN"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
CHECKIN_TIME = dt.time(9, 30)
CHECKIN_MINUTES = 15


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=settings.timezone())


def _stamp(now: dt.datetime | None) -> dt.datetime:
    return (now.replace(tzinfo=dt.UTC) if now and not now.tzinfo else now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)


def _calendar(events: list[icalendar.Event], name: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    starts = [e.decoded("dtstart") for e in events]
    first = min(s.date() for s in starts) - dt.timedelta(days=366)
    cal.add_missing_timezones(first_date=first, last_date=first + dt.timedelta(days=3 * 366))
    return cal.to_ical()


def _event(uid: str, summary: str, start: dt.datetime, end: dt.datetime, *, description: str, url: str,
           sequence: int, now: dt.datetime | None, location: str = "") -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{uid}@{links.host()}")
    event.add("dtstamp", _stamp(now))
    event.add("sequence", max(0, int(sequence)))
    event.add("summary", summary)
    event.add("dtstart", _aware(start))
    event.add("dtend", _aware(end))
    event.add("description", description)
    event.add("url", url)
    if location:
        event.add("location", location)
    return event


def workshop_file(survey: dict[str, Any], meeting: dict[str, Any], now: dt.datetime | None = None) -> bytes:
    """The workshop as an event (library level: `survey` from okrdash.surveys, `meeting` from okrdash.meetings)."""
    team, quarter = survey["team_name"], survey["quarter"]
    event = _event(
        f"okrdash-workshop-{survey['id']}", f"{team} OKR workshop for {quarter}", meeting["starts_at"],
        meeting["starts_at"] + dt.timedelta(minutes=meeting["minutes"]),
        description=(f"{team} chooses its one objective for {quarter} and writes its key results: strategic context, "
                     "consolidating the survey's ideas, ranking them, creating focus, key results, publishing.\n\n"
                     f"Before it, answer the survey by {surveys.when(survey['deadline'])}: "
                     f"{links.survey(survey, survey['deadline'] - dt.timedelta(minutes=1))}"),
        url=links.team_page("workshop", team, quarter), sequence=meeting["revision"], now=now,
        location=meeting["place"])
    return _calendar([event], f"{team} OKR workshop")


def deadline_file(survey: dict[str, Any], now: dt.datetime | None = None) -> bytes:
    """The survey's deadline as a half-hour event ending at it, with an alarm a day before (library level)."""
    team, quarter, deadline = survey["team_name"], survey["quarter"], survey["deadline"]
    url = links.survey(survey, deadline - dt.timedelta(minutes=1))
    # SEQUENCE grows with the deadline (minutes after opening), so an extended deadline updates the event.
    sequence = int((deadline - survey["opened_at"]).total_seconds() // 60)
    event = _event(f"okrdash-survey-deadline-{survey['id']}",
                   f"{team} survey for {quarter} closes at {deadline:%H:%M}", deadline - dt.timedelta(minutes=30),
                   deadline, description=f"Answer the survey before it closes: {url}", url=url, sequence=sequence,
                   now=now)
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"The {team} survey closes tomorrow at {deadline:%H:%M}")
    alarm.add("trigger", dt.timedelta(days=-1))
    event.add_component(alarm)
    return _calendar([event], f"{team} survey deadline")


def next_weekday(now: dt.datetime, weekday: int, at: dt.time) -> dt.datetime:
    """The first moment on `weekday` (0 = Monday) at `at` that is not before `now`."""
    day = now.date() + dt.timedelta(days=(weekday - now.weekday()) % 7)
    start = dt.datetime.combine(day, at)
    return start if start >= now else start + dt.timedelta(days=7)


def checkin_file(person: dict[str, Any], krs: list[dict[str, Any]], quarter: dict[str, Any], *, weekday: int = 4,
                 now: dt.datetime, at: dt.time = CHECKIN_TIME) -> bytes:
    """A weekly 15-minute reminder on `weekday` at `at` until the quarter ends, listing the person's key results."""
    start = next_weekday(now, weekday, at)
    last = dt.datetime.combine(quarter["ends_on"], dt.time(23, 59))
    listed = "\n".join(f"- {kr['title']} ({kr['team_name']})" for kr in krs)
    event = _event(f"okrdash-checkins-{person['id']}-{quarter['key']}",
                   f"OKR check-in: {len(krs)} key result{'s' * (len(krs) != 1)}", start,
                   start + dt.timedelta(minutes=CHECKIN_MINUTES),
                   description=f"Your weekly check-in for {quarter['key']}:\n{listed}\n\nCheck in here: "
                               f"{links.checkin()}", url=links.checkin(), sequence=0, now=None)
    event.add("rrule", {"freq": "weekly", "byday": WEEKDAYS[weekday],
                        "until": _aware(last).astimezone(dt.UTC)})
    return _calendar([event], "OKR check-ins")


# ---- for pages: the same files, with permission checks ----

def workshop_invite(actor: auth.Actor, survey_id: int) -> bytes | None:
    """The workshop's calendar file for members of the team and managers above it; None before the lead sets it."""
    survey = surveys.survey(actor, survey_id)
    meeting = meetings.get(survey_id)
    return None if meeting is None else workshop_file(survey, meeting)


def deadline_invite(actor: auth.Actor, survey_id: int) -> bytes:
    return deadline_file(surveys.survey(actor, survey_id))


def owned_key_results(actor: auth.Actor, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The current quarter's published key results `actor` owns and may check in on."""
    today = today or dt.date.today()
    quarter = quarters.current_key(today)
    return [r for r in checkins.checkable_key_results(actor, quarter, today) if r["mine"] and r["published"]]


def checkin_reminder(actor: auth.Actor, weekday: int = 4, now: dt.datetime | None = None) -> bytes:
    """The weekly check-in reminder for the key results `actor` owns this quarter."""
    now = now or dt.datetime.now().replace(microsecond=0)
    krs = owned_key_results(actor, now.date())
    if not krs:
        raise NotFound(f"{actor.name} owns no key results this quarter, so there is nothing to check in on.")
    if not 0 <= int(weekday) <= 6:
        raise ValidationError("Pick a day of the week for the reminder.", "weekday")
    quarter = quarters.get(krs[0]["quarter"])
    return checkin_file({"id": actor.person_id}, krs, quarter, weekday=int(weekday), now=now)


def file_name(*parts: str) -> str:
    """'scheduling-2027-q1-workshop.ics': lower case, letters, digits and dashes."""
    text = "-".join(parts).lower()
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-").replace("--", "-") + ".ics"
