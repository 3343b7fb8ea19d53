"""The six kinds of message okrdash sends, who gets each, its period (each goes once per person, kind and period)
and the channels a person may choose for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EMAIL, CHAT = "email", "chat"
CHANNELS = (EMAIL, CHAT)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    who: str  # who gets it, for the Notifications page
    period: str  # how often at most, for the Notifications page
    team_chat: bool  # also posted to the team's chat (team kinds); personal kinds go by email only


KINDS: dict[str, Kind] = {k.key: k for k in [
    Kind("survey_opened", "Survey opened", "members who have not answered yet", "once per survey", True),
    Kind("survey_closing", "Survey closes within 48 hours", "members who have not submitted",
         "once per survey and deadline", True),
    Kind("voting_open", "Voting is open", "members who have not voted with every method", "once per round", True),
    Kind("published", "OKRs published", "the team", "once per published version", True),
    Kind("checkin_due", "Check-ins due", "owners of key results without a check-in for 7 days: one message listing "
         "them all", "once a week", False),
    Kind("manager_digest", "Weekly manager digest", "managers: off-track and stale key results, biggest changes, "
         "check-ins to acknowledge in their teams", "once a week", False),
]}

CLOSING_WITHIN = dt.timedelta(hours=48)
PUBLISHED_WITHIN = dt.timedelta(days=7)  # a publication older than this is news no more


def channels_of(kind: str) -> tuple[str, ...]:
    return CHANNELS if KINDS[kind].team_chat else (EMAIL,)


def week(day: dt.date) -> str:
    """The ISO week of `day` as a period: 'week:2026-W47'."""
    year, number, _ = day.isocalendar()
    return f"week:{year}-W{number:02d}"


def check_kind(kind: str) -> str:
    from okrdash.errors import ValidationError

    if kind not in KINDS:
        raise ValidationError(f"“{kind}” is not a kind of notification; use one of {', '.join(KINDS)}.", "kind")
    return kind
