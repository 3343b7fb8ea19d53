"""Calendar files parse with icalendar and hold the right moments in the organisation's time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from okrdash import meetings
from okrdash.errors import NotFound, PermissionDenied
from okrdash.notify import ics
from tests.notify.scenario import NOW, WORKSHOP, growth_survey
from tests.tracking_fixtures import tracked

UTC = dt.UTC


@pytest.fixture(autouse=True)
def berlin(monkeypatch):
    monkeypatch.setenv("OKRDASH_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("OKRDASH_BASE_URL", "https://okr.harbor.example")


def only_event(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_workshop_invitation_is_at_the_right_moment_and_updates_when_moved(org):
    survey_id = growth_survey(org)
    calendar, event = only_event(ics.workshop_invite(org.member, survey_id))
    assert calendar["METHOD"] == "PUBLISH" and calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == dt.datetime(2026, 11, 26, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert start.astimezone(UTC) == dt.datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # CET is UTC+1 in November
    assert end - start == dt.timedelta(minutes=180)
    assert str(event["SUMMARY"]) == "Growth OKR workshop for 2027-Q1"
    assert str(event["LOCATION"]) == "Room <Lighthouse> & co"
    assert str(event["UID"]) == f"okrdash-workshop-{survey_id}@okr.harbor.example"
    assert "https://okr.harbor.example/survey?survey=Growth+%C2%B7+2027-Q1" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 0

    meetings.schedule(org.lead, survey_id, {**WORKSHOP, "day": dt.date(2026, 11, 27), "start": dt.time(14, 30)},
                      now=NOW)
    _, moved = only_event(ics.workshop_invite(org.member, survey_id))
    assert moved["UID"] == event["UID"] and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART").astimezone(UTC) == dt.datetime(2026, 11, 27, 13, 30, tzinfo=UTC)


def test_times_follow_the_organisation_time_zone(org, monkeypatch):
    survey_id = growth_survey(org)
    monkeypatch.setenv("OKRDASH_TIMEZONE", "America/New_York")
    calendar, event = only_event(ics.workshop_invite(org.member, survey_id))
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert event.decoded("DTSTART").astimezone(UTC) == dt.datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


def test_the_deadline_is_an_event_ending_at_it_with_an_alarm_the_day_before(org):
    survey_id = growth_survey(org)
    _, event = only_event(ics.deadline_invite(org.member2, survey_id))
    assert event.decoded("DTEND").astimezone(UTC) == dt.datetime(2026, 11, 25, 16, 0, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Growth survey for 2027-Q1 closes at 17:00" and event["TRANSP"] == "TRANSPARENT"
    (alarm,) = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(days=-1)


def test_only_the_team_and_managers_above_it_get_its_calendar_files(org):
    survey_id = growth_survey(org)
    assert ics.workshop_invite(org.manager, survey_id)
    with pytest.raises(PermissionDenied):
        ics.workshop_invite(org.outsider, survey_id)
    with pytest.raises(PermissionDenied):
        ics.deadline_invite(org.stranger, survey_id)


def test_the_weekly_check_in_reminder_repeats_until_the_quarter_ends(org):
    krs = tracked(org)
    data = ics.checkin_reminder(org.member, weekday=4, now=NOW)
    _, event = only_event(data)
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 11, 20, 9, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))  # next Friday
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["FR"]
    occurrences = list(rrulestr(rule.to_ical().decode(), dtstart=start))
    assert [d.date() for d in occurrences] == [dt.date(2026, 11, 20) + dt.timedelta(weeks=n) for n in range(6)]
    description = str(event["DESCRIPTION"])
    assert "Raise trial-to-paid conversion from 14% to 20% (Growth)" in description
    assert "Cut time to first invoice" not in description  # Max's, not Mia's
    assert str(event["SUMMARY"]) == "OKR check-in: 3 key results"
    assert krs.core_kr
    with pytest.raises(NotFound, match="owns no key results this quarter"):
        ics.checkin_reminder(org.stranger, now=NOW)
