"""Numbers and deadlines in key-result text: "$3 million", "75k", "99.95%", "200ms", "5x", "twenty" — but not the
years, quarters and names that also hold digits ("by 2025", "Q4", "p99 latency", "UAST v1", "id2vec", "batch 4").
Pure helpers of okrdash.smart.reading."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from okrdash import fmt
from okrdash.smart import words

_NUMBER = re.compile(
    r"(?<![\w.])(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<range>[-–]\s?\d+(?:\.\d+)?))?"
    r"(?P<mult>\s?(?:mm|bn|k|m|b)(?![a-z])|\s(?:million|billion|thousand)\b)?"
    r"(?P<unit>\s?(?:%|percent\b|pp\b|percentage points\b|ms\b|milliseconds?\b|secs?\b|seconds?\b|s\b|mins?\b|"
    r"minutes?\b|hrs?\b|hours?\b|h\b|days?\b|weeks?\b|months?\b|[x×](?![a-z])|\+))?",
    re.IGNORECASE)
_WORDS = re.compile(r"\b(?:" + "|".join(sorted(words.NUMBER_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_STOP = {"of", "in", "on", "for", "to", "with", "by", "at", "from", "and", "or", "per", "that", "who", "which",
         "are", "is", "the", "a", "an", "this", "our", "than", "more", "new", "each", "every", "times"}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_ZERO_AFTER = re.compile(r"\b(?:to|at|under|below|reach|hit|stays?|remains?|is|are|be)\s+$", re.IGNORECASE)
_TARGET_WORD = re.compile(r"\b(?:to|under|below|within|than|at most|at least|reach|hit)\s+$", re.IGNORECASE)
# Month names beside a day ("by 25 June", "June 25th"): capitalised, or spelt out in lower case ("may" and "march"
# spelt small are verbs more often than months: "20 may join").
_MONTH_NAMES = "|".join(sorted({m.capitalize() for m in _MONTHS} | {m for m in _MONTHS if len(m) > 3} - {
    "may", "march", "sept"}, key=len, reverse=True))
_DAY_OF_MONTH = re.compile(r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTH_NAMES + r")\b")
_MONTH_BEFORE = re.compile(r"\b(?:" + _MONTH_NAMES + r")\.?\s+$")


@dataclass(frozen=True)
class Number:
    """A number as written in a line: its value, the text it came from, its unit ('%', '$', 'ms', 'days', 'x' or
    ''), the noun counted right after it ('influencers' in '500 influencers') and whether it is a rate's 'per'."""

    value: float
    text: str
    unit: str = ""
    noun: str = ""
    per: bool = False


def show_number(value: float | None, unit: str = "") -> str:
    return fmt.number(value, unit, decimals=4)


_VERSION = re.compile(r"\d{1,2}\.\d{1,2}(?:\.\d+)?")
_RELEASING = re.compile(r"\b(?:ship|release|launch|deliver|land|merge)\w*\b", re.IGNORECASE)


def _is_name(line: str, start: int, end: int) -> bool:
    """Digits that are part of a name or a date rather than a quantity."""
    before, after = line[max(0, start - 12):start], line[end:end + 12]
    if _DAY_OF_MONTH.match(after) or _MONTH_BEFORE.search(before):  # "by 25 June", "by June 25"
        return True
    if re.search(r"[A-Za-z]$", before) or (re.match(r"[A-Za-z]{2,}", after) and not re.match(
            r"(?:mm|bn|ms|k|m|x|s|h)\b", after, re.I)):
        return True
    if re.search(r"(?:\bq|\bh|\bfy|\blevel|\bv|\bversion|\bstep|\bphase|\btier|\bwave|\bstage|\bbatch|\bcohort|"
                 r"\bsprint|\bseason|\bchapter|\bmodule|\bepisode|"
                 # a standard or a language with its number: "SOC 2", "ISO 27001", "WCAG 2.1", "Python 3.12"
                 r"\bsoc|\biso|\biec|\bwcag|\bpci(?:[- ]dss)?|\bhttp|\bipv|\btls|\boauth|\bpython|\bjava|\bphp|"
                 r"\bseries|\btype)\s?[-#]?$", before,
                 re.IGNORECASE):
        return True
    if re.match(r"\s*-\s*\d{1,2}\s*-\s*\d", after) or re.search(r"\d\s*[-/]\s*$|[A-Za-z]-$", before):
        return True
    # "Ship merge request approvals in 11.3": a release, named by its version
    if re.search(r"\bin\s+v?$", before, re.IGNORECASE) and _VERSION.fullmatch(line[start:end]) and \
            _RELEASING.search(line) and not re.match(r"\s*(?:%|[a-z])", line[end:], re.IGNORECASE):
        return True
    if re.search(r"\(#$", before) or (re.search(r"(?:^|\s)#$", before) and end - start >= 3):
        return True  # an issue or pull request: "Stabilize the API (#2378)", "see #412" (but "rank #1")
    return bool(re.match(r"(?:st|nd|rd|th)\b|\s+(?:years?|months?) ago\b", after, re.IGNORECASE))


def _is_year(text: str, value: float, unit: str, mult: str, before: str = "") -> bool:
    """"by 2025", "2017 Internet Health Report" are years; after a verb of reaching ("Get 2000 readers", "at least
    2000") the same digits are a count."""
    if re.search(r"\b(?:get|gain|reach|hit|have|add|attract|recruit|at least|over|more than)\s*$", before, re.I):
        return False
    return not (unit or mult or not 1990 <= value <= 2100 or "." in text or "," in text)


def numbers(line: str) -> list[Number]:
    """The quantities a line states, in order (years, quarters and names left out)."""
    found: list[Number] = []
    for match in _NUMBER.finditer(line):
        start = match.start("num")
        if _is_name(line, start if not match.group("cur") else match.start(), match.end("num")):
            continue
        digits = match.group("num").replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        unit_text = (match.group("unit") or "").strip().lower()
        mult = (match.group("mult") or "").strip().lower()
        before = line[max(0, match.start() - 20):match.start()]
        if _is_year(match.group("num"), value, unit_text, mult, before):
            continue
        if match.group("range"):
            value = float(match.group("range").lstrip("-– ").replace(",", ""))
        value *= _MULT.get(mult, 1.0)
        unit = "$" if match.group("cur") == "$" else match.group("cur") or ""
        if unit_text in ("x", "×"):
            unit = "x"
        elif unit_text:
            unit = words.UNITS.get(unit_text, unit_text if unit_text != "+" else unit)
        per = bool(re.search(r"\b(?:per|every|each|within|in|last)\s*$", before, re.IGNORECASE)) and \
            unit in ("days", "weeks", "months", "h", "min")
        # A window or a scope, not a quantity to reach: "rolling 90-day active", "the latest 2 release versions"
        per = per or bool(re.match(r"-(?:day|week|month|year|hour|minute)s?\b", line[match.end("num"):], re.I)
                          or re.search(r"\b(?:latest|last|past|previous|recent)\s*$", before, re.IGNORECASE))
        rest = line[match.end():match.end() + 40]
        nouns = []
        for word in re.findall(r"[A-Za-z][\w'’-]*", rest)[:3]:
            if word.lower() in _STOP:
                break
            nouns.append(word)
        found.append(Number(value, match.group(0).strip(), unit, " ".join(nouns[-2:]) if not unit else "", per))
    digits = bool(found)
    for match in _WORDS.finditer(line):
        # With digits elsewhere, a number word counts only where a target stands: "to one hour or less
        # (currently 2 hours)".
        if digits and not _TARGET_WORD.search(line[max(0, match.start() - 12):match.start()]):
            continue
        word = match.group(0).lower()
        if re.search(r"\b(?:in|into|as|of|on)\s*$", line[max(0, match.start() - 6):match.start()], re.I) or \
                (word == "zero" and (line[match.end():match.end() + 1] == "-" or (
                    match.start() > 0 and not _ZERO_AFTER.search(line[max(0, match.start() - 12):match.start()])))):
            continue  # "Zero P1 incidents", "down to zero"; but "zero-downtime deploys" and "with zero downtime"
        if word == "one" and re.search(r"\b(?:the|this|that|old|new|existing|current|last|previous|any|each|"
                                       r"every|no)\s+$", line[max(0, match.start() - 10):match.start()], re.I):
            continue  # "than the old one", "every one of them": a pronoun, not a count
        rest = re.findall(r"[A-Za-z][\w'’-]*", line[match.end():match.end() + 40])[:2]
        unit = words.UNITS.get(rest[0].lower(), "") if rest and digits else ""
        text = match.group(0)
        if unit:  # "one hour": the unit is part of the number as written, as with "2 hours"
            text = line[match.start():match.end() + re.match(r"\s*\S+", line[match.end():]).end()]
        found.append(Number(float(words.NUMBER_WORDS[word]), text, unit,
                            noun="" if unit else " ".join(w for w in rest if w.lower() not in _STOP)))
    return found


def _quarter_end(year: int, q: int) -> dt.date:
    month = q * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_DUE = re.compile(
    r"\b(?:(?:by|before|until|till|in|within|during|through|at)\s+)?(?:the\s+)?(?:(?P<edge>end|early|mid|late|"
    r"start|beginning)(?:\s+of)?\s+)?(?:(?P<q>q[1-4])(?:\s*(?:fy)?\s*'?(?P<qy>(?:20)?\d\d))?|(?P<eoq>eoq|end of "
    r"(?:the )?quarter|this quarter|the quarter|next quarter)|(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    r"(?P<mon>[a-z]{3,9})"
    r"|(?P<mon2>[a-z]{3,9})\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\b|(?P<year>(?:19|20)\d\d)\b)", re.IGNORECASE)


# For reading.py's metric: a deadline ends the measure ("… to 500 by end of Q3 with the new funnel"), unless it
# leads the line ("By end of Q3, grow weekly trials to 500"): then only the deadline goes.
# A month, a quarter or a year: "in 2 new markets", "for early access" and "in version 2" are no deadlines.
_MONTH_WORD = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")
_WHEN = _MONTH_WORD + r"|q[1-4]|h[12]|(?:19|20)\d\d|year|quarter"
_DEADLINE = (r"\b(?:by|in|before|until|for)\s+(?:the\s+)?(?:end(?:\s+of)?\s+)?(?:q[1-4]|h[12]|fy\S*|(?:19|20)\d\d|"
             r"the quarter|eoq|(?:early|mid|late)[- ](?:" + _WHEN + r")|\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:" + _WHEN +
             r")|(?:" + _WHEN + r") \d{1,2}|\d{1,3} (?:days?|weeks?|months?))\b")
DEADLINE_FIRST = re.compile(r"^\s*" + _DEADLINE + r"[^,]{0,20},\s*", re.IGNORECASE)
DEADLINE_AND_AFTER = re.compile(_DEADLINE + r".*$", re.IGNORECASE)


def deadline(line: str, quarter: tuple[str, dt.date, dt.date] | None) -> tuple[str, dt.date | None, str | None]:
    """(the deadline as written, its date when it can be placed, a problem when it falls outside the quarter)."""
    for match in _DUE.finditer(line):
        text = match.group(0).strip()
        if not re.match(r"(?:by|before|until|till|in|within|during|through|at|end|eoq|this|the)\b", text, re.I):
            continue
        due = _place(match, quarter)
        if due is _SKIP:
            continue
        if due is None or quarter is None:
            return text, None, None
        key, starts, ends = quarter
        if not starts <= due <= ends:
            return text, due, (f"The line says “{text}” ({fmt.day(due)}), which is outside {key} "
                               f"({fmt.day(starts)} – {fmt.day(ends)}). The due date stays the quarter's last day; "
                               "pick a date inside the quarter, or plan this result in the quarter it belongs to.")
        return text, due, None
    return "", None, None


_SKIP = object()


def _place(match: re.Match, quarter: tuple[str, dt.date, dt.date] | None):
    year = quarter[2].year if quarter else None
    if match.group("eoq"):
        return quarter[2] if quarter and "next" not in match.group("eoq").lower() else None
    if match.group("q"):
        q = int(match.group("q")[1])
        qy = match.group("qy")
        if qy:
            year = int(qy) + (2000 if len(qy) == 2 else 0)
        return _quarter_end(year, q) if year else None
    month_name = (match.group("mon") or match.group("mon2") or "").lower()
    if month_name:
        month = _MONTHS.get(month_name)
        if month is None:
            return _SKIP
        day = int(match.group("day") or match.group("day2"))
        if not year or not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return dt.date(year, month, day)
    if match.group("year"):
        edge = (match.group("edge") or "end").lower()
        y = int(match.group("year"))
        return dt.date(y, 12, 31) if edge in ("end", "late") else _SKIP
    return _SKIP
