"""Pure formatting helpers for display and export (no Streamlit here, so they are unit-testable)."""

from __future__ import annotations

import datetime as dt
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: object) -> str:
    """User text escaped so Markdown shows it literally: no links, emphasis, HTML or LaTeX from typed input."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text if text is not None else "")).replace("\n", "  \n")


_RICH_MARKUP = re.compile(r"([\\`*_\[\]<>#|~$])")


def inline(text: object) -> str:
    """Lighter than `plain` for sentences we wrote around typed text (error messages): neutralises what could
    render as a link, image, HTML, emphasis, code or maths, and leaves ordinary punctuation alone."""
    return _RICH_MARKUP.sub(r"\\\1", str(text if text is not None else ""))


def number(value: float | None, unit: str = "", *, decimals: int = 2) -> str:
    """1234.5 -> '1,234.5', at most `decimals` decimals, with a unit ('%' glued, others spaced); '—' if missing."""
    if value is None:
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "pp", "x", "×") else f"{text} {unit}"


def percent(share: float | None) -> str:
    """0.423 -> '42%'; '—' when missing."""
    return "—" if share is None else f"{share * 100:.0f}%"


def day(value: dt.date | dt.datetime | None) -> str:
    """'Tue 3 Mar 2026' style, unambiguous across locales."""
    if value is None:
        return "—"
    return f"{value:%a} {value.day} {value:%b %Y}"


def days_ago(value: dt.date | None, today: dt.date | None = None) -> str:
    if value is None:
        return "never"
    delta = ((today or dt.date.today()) - (value.date() if isinstance(value, dt.datetime) else value)).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    return f"{delta} days ago" if delta > 0 else f"in {-delta} days"


def names(items: list[str], empty: str = "nobody") -> str:
    """'Ana, Ben and Chloé'."""
    if not items:
        return empty
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"
