"""Signed one-click unsubscribe tokens: who (person id), from what (a kind, or 'all') and until when, with an
HMAC-SHA256 over them keyed by the instance's secret (okrdash.settings.secret_key). Nothing is stored: a token is
valid when its signature matches and it has not expired.

Format: `v1.<person id>.<kind>.<expires, unix seconds>.<signature, base64url>`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from okrdash import fmt, settings
from okrdash.errors import ValidationError
from okrdash.notify.kinds import KINDS

VERSION = "v1"
LIFETIME = dt.timedelta(days=60)
ALL = "all"


@dataclass(frozen=True)
class Unsubscribe:
    person_id: int
    kind: str  # a key of KINDS, or ALL
    expires: dt.datetime  # UTC, naive


def _key() -> bytes:
    # A key for this purpose only, derived from the instance secret.
    return hmac.new(settings.secret_key(), b"okrdash unsubscribe tokens", hashlib.sha256).digest()


def _signature(body: str) -> str:
    digest = hmac.new(_key(), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make(person_id: int, kind: str, now: dt.datetime) -> str:
    """A token for `person_id` and `kind`, valid for LIFETIME from `now` (UTC, naive or aware)."""
    if kind != ALL and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    expires = int((_utc(now) + LIFETIME).timestamp())
    body = f"{VERSION}.{int(person_id)}.{kind}.{expires}"
    return f"{body}.{_signature(body)}"


def _utc(moment: dt.datetime) -> dt.datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


FORGED = ("This unsubscribe link is not valid: it may have been cut short when it was copied. Open it again from "
          "the email, or sign in and change your choices on the Notifications page.")


def read(token: str, now: dt.datetime) -> Unsubscribe:
    """The token's content; ValidationError (with a message for the person) when forged, altered or expired.
    `now` is UTC (naive or aware)."""
    parts = str(token or "").strip().split(".")
    if len(parts) != 5 or parts[0] != VERSION:
        raise ValidationError(FORGED, "token")
    body, signature = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(_signature(body), signature):
        raise ValidationError(FORGED, "token")
    _, person, kind, expires = parts[:4]
    if not (person.isdigit() and expires.isdigit()) or (kind != ALL and kind not in KINDS):
        raise ValidationError(FORGED, "token")
    until = dt.datetime.fromtimestamp(int(expires), dt.UTC)
    if until <= _utc(now):
        raise ValidationError(
            f"This unsubscribe link expired on {fmt.day(until)}: links in okrdash emails work for "
            f"{LIFETIME.days} days. Use the link in a newer email, or sign in and change your choices on the "
            "Notifications page.", "token")
    return Unsubscribe(int(person), kind, until.replace(tzinfo=None))
