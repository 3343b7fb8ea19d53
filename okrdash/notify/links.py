"""Deep links into the app (OKRDASH_BASE_URL): each opens the page and the thing a message is about. Page paths are
the script names (pages/survey.py → /survey); pickers bind to the URL by label (?team=Onboarding&quarter=2027-Q1)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode, urlsplit

from okrdash import settings, surveys
from okrdash.notify import tokens


def page(path: str, **params: Any) -> str:
    query = urlencode({k: str(v) for k, v in params.items() if v is not None})
    return f"{settings.base_url()}/{path}" + (f"?{query}" if query else "")


def home() -> str:
    return f"{settings.base_url()}/"


def survey(found: dict[str, Any], now: dt.datetime) -> str:
    return page("survey", survey=surveys.picker_label(found, now))


def team_page(path: str, team: str, quarter: str) -> str:
    return page(path, team=team, quarter=quarter)


def checkin(kr_id: int | str | None = None) -> str:
    return page("checkins", kr=kr_id)


def kr_detail(kr_id: int) -> str:
    return page("dashboard_kr", kr=kr_id)


def preferences() -> str:
    return page("notifications")


def unsubscribe(person_id: int, kind: str, utc_now: dt.datetime) -> str:
    """The one-click unsubscribe link for `kind` emails (or tokens.ALL), signed, valid for tokens.LIFETIME."""
    return page("notifications", unsubscribe=tokens.make(person_id, kind, utc_now))


def host() -> str:
    """The app's host name, for calendar UIDs."""
    return urlsplit(settings.base_url()).hostname or "okrdash"
