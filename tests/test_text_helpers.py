"""Pure helpers: input validation, display formatting and spreadsheet-safe tables."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrdash import csv_safe, fmt, validate
from okrdash.errors import ValidationError


@pytest.mark.parametrize(("raw", "expected"), [("  hello  ", "hello"), ("a\x00b\x07c", "abc"), ("e\u0301", "é"),
                                               ("line\nbreak", "line\nbreak"), ("نور 🚀", "نور 🚀")])
def test_text_is_trimmed_cleaned_and_normalised(raw, expected):
    assert validate.text(raw, "Field") == expected


def test_titles_are_one_line():
    assert validate.title("Two\nlines   here") == "Two lines here"


@pytest.mark.parametrize(("raw", "expected"), [("1,200.5", 1200.5), ("12 %", 12.0), (3, 3.0), ("-0.5", -0.5),
                                               ("", None), (None, None)])
def test_numbers_accept_what_people_type(raw, expected):
    assert validate.number(raw, "Baseline") == expected


@pytest.mark.parametrize("raw", ["1,5", "0,25", "12,5 %", "1,20", "12,3456", ",5", "1,,200"])
def test_a_comma_that_is_not_a_thousands_separator_is_refused_not_guessed(raw):
    with pytest.raises(ValidationError, match="with a dot for decimals"):
        validate.number(raw, "Baseline")


@pytest.mark.parametrize(("raw", "expected"), [("1,200", 1200.0), ("-12,345,678.5", -12345678.5), ("1,000 %", 1000.0)])
def test_thousands_separators_are_read(raw, expected):
    assert validate.number(raw, "Baseline") == expected


@pytest.mark.parametrize("raw", ["twelve", "1.2.3", "nan", "inf", True])
def test_non_numbers_are_refused_with_the_label(raw):
    with pytest.raises(ValidationError, match="Baseline must be"):
        validate.number(raw, "Baseline")


def test_integer_range():
    assert validate.integer_in("7", "Confidence", 0, 10) == 7
    for bad in ("11", "-1", "7.5", "x"):
        with pytest.raises(ValidationError, match="Confidence must be"):
            validate.integer_in(bad, "Confidence", 0, 10)


def test_dates():
    assert validate.date("2026-03-31", "Due") == dt.date(2026, 3, 31)
    assert validate.date(dt.datetime(2026, 3, 31, 9), "Due") == dt.date(2026, 3, 31)
    with pytest.raises(ValidationError, match="Due must be a date"):
        validate.date("31/03/2026", "Due")


@given(st.text())
def test_plain_never_leaves_markup_characters_unescaped(text):
    escaped = fmt.plain(text)
    for i, ch in enumerate(escaped):
        if ch in "<>*_[]`#|":
            assert i > 0 and escaped[i - 1] == "\\", f"{ch!r} unescaped in {escaped!r}"


def test_number_and_percent_formatting():
    assert fmt.number(1234.5, "€") == "1,234.5 €"
    assert fmt.number(12, "%") == "12%"
    assert fmt.number(None) == "—"
    assert fmt.percent(0.423) == "42%"
    assert fmt.names(["Ana", "Ben", "Chloé"]) == "Ana, Ben and Chloé"
    assert fmt.days_ago(dt.date(2026, 1, 1), today=dt.date(2026, 1, 4)) == "3 days ago"


@pytest.mark.parametrize("cell", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_formula_looking_cells_are_neutralised(cell):
    assert csv_safe.neutralise_cell(cell) == "'" + cell


def test_numbers_and_plain_text_are_left_alone():
    frame = pd.DataFrame({"title": ["Plain", "=evil()"], "value": [-3, 4]})
    safe = csv_safe.neutralise(frame)
    assert safe["title"].tolist() == ["Plain", "'=evil()"]
    assert safe["value"].tolist() == [-3, 4]
    assert csv_safe.to_csv_bytes(frame).startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8


@given(st.lists(st.integers(), min_size=1, max_size=8, unique=True), st.data())
def test_moving_an_item_swaps_it_with_its_neighbour_only(order, data):
    from okrdash import positions

    item = data.draw(st.sampled_from(order))
    direction = data.draw(st.sampled_from([-1, 1]))
    result = positions.moved(order, item, direction)
    index = order.index(item)
    if not 0 <= index + direction < len(order):
        assert result is None
    else:
        assert sorted(result) == sorted(order)
        assert result[index + direction] == item and result[index] == order[index + direction]


def test_inline_escapes_links_html_and_emphasis_but_keeps_punctuation():
    shown = fmt.inline("“[click](http://x)” <img src=x onerror=1> **loud** `code` $x$ — fine: (a), b. c!")
    assert "\\[click\\](http://x)" in shown and "\\<img" in shown and "\\*\\*loud\\*\\*" in shown
    assert "\\`code\\`" in shown and "\\$x\\$" in shown
    assert shown.endswith("— fine: (a), b. c!")
