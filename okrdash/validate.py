"""Input rules shared by every form: text is trimmed, bounded and stored as typed (never interpreted as HTML)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from okrdash.errors import ValidationError

TITLE_MAX = 200
TEXT_MAX = 4000
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Control characters other than tab and newline break CSV exports and terminals; nobody types them on purpose.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def text(
    value: object, label: str, *, max_len: int = TEXT_MAX, required: bool = False, field: str | None = None
) -> str:
    """`value` trimmed and checked: required fields are non-empty, every field at most `max_len` characters."""
    cleaned = "" if value is None else str(value)
    cleaned = "".join(ch for ch in cleaned if ch not in _CONTROL).strip()
    cleaned = unicodedata.normalize("NFC", cleaned)
    if required and not cleaned:
        raise ValidationError(f"{label} is required.", field)
    if len(cleaned) > max_len:
        raise ValidationError(
            f"{label} is {len(cleaned):,} characters long; the limit is {max_len:,}. Shorten it and save again.",
            field,
        )
    return cleaned


def title(value: object, label: str = "Title", *, field: str | None = None) -> str:
    """A required one-line title: newlines become spaces."""
    return text(" ".join(str(value or "").split()), label, max_len=TITLE_MAX, required=True, field=field)


def email(value: object, field: str | None = "email") -> str:
    """A lower-cased, trimmed email address."""
    cleaned = text(value, "Email", max_len=254, required=True, field=field).lower()
    if not EMAIL_RE.fullmatch(cleaned):
        raise ValidationError(f"“{cleaned}” is not an email address (expected name@example.com).", field)
    return cleaned


_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")  # 1,200 and 12,345,678.5: commas between thousands


def number(value: object, label: str, *, required: bool = False, field: str | None = None) -> float | None:
    """A finite number from a number or text like '1,200.5' or '12 %'; None when blank and not required. A comma
    only groups thousands: '1,5' is refused rather than read as 15 (or guessed to be 1.5)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"{label} is required.", field)
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{label} must be a number.", field)
    if isinstance(value, int | float):
        result = float(value)
    else:
        raw = str(value).strip().replace("_", "").rstrip("%").strip()
        if "," in raw:
            if not _GROUPED.fullmatch(raw):
                raise ValidationError(f"{label}: write “{str(value)[:40]}” with a dot for decimals (1.5); a comma "
                                      "may only group thousands (1,200).", field)
            raw = raw.replace(",", "")
        try:
            result = float(raw)
        except ValueError:
            raise ValidationError(f"{label} must be a number, not “{str(value)[:40]}”.", field) from None
    if not math.isfinite(result):
        raise ValidationError(f"{label} must be a finite number.", field)
    return result


def integer_in(value: object, label: str, low: int, high: int, *, field: str | None = None) -> int:
    """An integer within [low, high]."""
    result = number(value, label, required=True, field=field)
    if result is None or result != int(result) or not low <= result <= high:
        raise ValidationError(f"{label} must be a whole number from {low} to {high}.", field)
    return int(result)


def date(value: object, label: str, *, field: str | None = None) -> dt.date:
    """A date from a date, datetime or ISO text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{label} must be a date like 2026-03-31.", field) from None
