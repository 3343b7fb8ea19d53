"""Spreadsheet-safe tables: text cells that a spreadsheet would run as a formula are neutralised.

A cell starting with = + - @ (or tab / carriage return, which some spreadsheets strip first) is prefixed with an
apostrophe, as OWASP recommends against CSV injection. Numbers are left alone: -3 stays a number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a table is made safe: pages without downloads never pay for pandas
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and column name) neutralised."""
    import pandas as pd

    safe = frame.copy()
    safe.columns = [neutralise_cell(str(c)) for c in safe.columns]
    for name in safe.columns:
        if safe[name].dtype == object or pd.api.types.is_string_dtype(safe[name]):
            safe[name] = safe[name].map(neutralise_cell)
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents and emoji) of the neutralised frame."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")
