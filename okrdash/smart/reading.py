"""Reading one line of key-result text as a person does: kind, metric, baseline, target, unit, relative change and
deadline, plus the shape of the line (a measure, a threshold, a relative change, a deliverable, a thinking step, a
vague wish, a state, a question) that the SMART letters judge.

Pure and deterministic: regular expressions and word lists (okrdash/smart/words.py), no network, no model; a line
reads in well under a millisecond (bench/smart_agreement.py measures it). `read_line` never raises: any text,
however long or strange, gives a Reading. Bad input is reported in `problems`, full sentences that keep the line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from okrdash.smart import words
from okrdash.smart.clauses import ASIDE, PARENS, WHY, lower_line, split_results, starting_verb
from okrdash.smart.numbers import DEADLINE_AND_AFTER, DEADLINE_FIRST, Number, deadline, numbers, show_number
from okrdash.smart.shapes import VERB_WORDS, direction_of, either_verb, judged, shape_of
from okrdash.smart.text import without_tagged_label

MAX_CHARS = 2000  # a key result is one line; past this the rest is not read (titles are 200 characters at most)
RELATIVE_KINDS = ("increase_by", "decrease_by")
SHAPES = ("measure", "threshold", "relative", "comparison", "metric", "baseline", "deliverable", "thinking", "vague",
          "state", "noun", "question", "no_result", "empty")

# A label's separator may be a colon, a dot, a bracket or a dash ("KR1:", "KR 2 – …", "1.2 …"); a label may number
# the objective too ("Key Result 1.2:", "KR 3.1").
_LABEL_NUMBER = r"(?:\d+(?:\.\d+)*[a-z]?)?"  # "1", "2.1", "3b"
# A marker a team puts before its key results: an emoji ("📈", "✅", "🎯") or a symbol ("★", "➤").
_MARKER = r"[\U0001F300-\U0001FAFF\u2190-\u21FF\u2600-\u27BF\u2B00-\u2BFF\uFE0F]+\s*"
_PREFIX = re.compile(
    r"^\s*(?:[-–—*•>]+\s*|" + _MARKER + r"|\[[ xX]?\]\s*|(?:company |team )?key results?\s*" + _LABEL_NUMBER +
    r"\s*[:.)–—-]?\s*|"
    # "KR1:", "KR-2 –", and with its objective's number or a team's code: "O1.KR2 - …", "O3 KR1:", "O2-KR1:",
    # "OP-KR 3.2:", or the score a team gave it: "KR1.2 (70%): …".
    r"(?:o\d+[.\s-]?\s*|[a-z]{1,4}-)?kr(?:\s*|-)" + _LABEL_NUMBER + r"\s*(?:\(\s*\d[^)]{0,20}\)\s*)?[:.)–—-]?\s+|"
    # A priority, an owner's initials and a progress score: "P0 (0.8): …", "P2-JM: (0.4 -- in talks) …".
    r"p[0-4](?:-[a-z]{1,4})?\s*(?:\(\s*\d[^)]{0,20}\))?\s*:\s*(?:\(\s*\d[^)]{0,20}\)\s*)?|"
    r"\d+(?:\.\d+)+[a-z]?(?:\s+[–—-])?[.):]?\s+(?=(?-i:[A-Z$€£\d\[]))|\d{1,2}[a-z]?[.)]\s+|"
    r"\d{1,2}\s+[–—-]\s+(?=(?-i:[A-Z]))|\[[^\]]{1,20}\]\s*|"
    r"#\d+\s*[:.)–—-]\s+)+",  # an issue number for a label: "#35 - Increase attendance …"
    re.IGNORECASE)
_FROM_TO = re.compile(r"\bfrom\b(?P<a>.{0,30}?)\bto\b(?P<b>.{0,30})|"
                      r"(?P<c>\S.{0,20}?)\s*(?:→|->|=>|➔|⟶)\s*(?P<d>.{0,30})",
                      re.IGNORECASE)
_TO_FROM = re.compile(r"\bto\b(?P<b>.{0,25}?)\bfrom\s+(?:current\s+|today'?s?\s+)?(?P<a>.{0,25})", re.IGNORECASE)
_CURRENT = re.compile(r"\((?:current(?:ly)?|today|now|baseline)(?: is| at|:)?\s*(?P<a>[^)]{1,25})\)", re.IGNORECASE)
_RELATIVE = re.compile(
    r"(?:\bby\s+(?:a\s+)?(?:minimum\s+(?:of\s+)?|at least\s+|over\s+|about\s+|~)?(?P<pct>[\d.,]+)\s*"
    r"(?:%(?:\s*percent)?|percent\b)"
    r"(?:\s*(?:qoq|mom|yoy|wow|quarter[- ]over[- ]quarter|month[- ]over[- ]month|year[- ]over[- ]year))?|"
    r"(?P<pct2>[\d.,]+)\s*%\s*(?:qoq|mom|yoy|wow|quarter[- ]over[- ]quarter|month[- ]over[- ]month|"
    r"year[- ]over[- ]year|week[- ]over[- ]week|growth|increase|decrease|reduction|more|less|fewer|higher|lower)|"
    r"\bby\s+(?P<times>[\d.]+)\s*[x×]|(?P<times2>[\d.]+)\s*[x×]\b|"
    # "Weekly active users up 20%", "Active contributors +50%"
    r"(?:\b(?:up|down)\s+|(?<![\w.%])\+\s*)(?P<pct3>[\d.,]+)\s*%(?!\s*of\b))", re.IGNORECASE)
_BELOW = re.compile(r"(?:<=?|≤|\bunder\b|\bbelow\b|\bless than\b|\bfewer than\b|\bat most\b|\bno more than\b|"
                    r"\bnot more than\b|\bmax(?:imum)?\b|\bwithin\b|\bup to\b|\bnever (?:above|over|more than)\b|"
                    r"\b(?:faster|quicker|sooner|shorter) than\b)",
                    re.IGNORECASE)
_ABOVE = re.compile(r"(?:>=?|≥|\babove\b|\bno less than\b|\bnot below\b|\bnever below\b|\bor (?:more|higher|above)\b)",
                    re.IGNORECASE)
_NEGATED_MORE = re.compile(r"^(?:no|not a single|zero|none of)\b.*\bmore than\b", re.IGNORECASE)
_SHARE = re.compile(r"%\s+of\b|\b(?:share|coverage|uptime|availability|completion|accuracy|percentage)\b",
                    re.IGNORECASE)
_LABEL = re.compile(r"^([^:\d]{1,40}):\s+(?=\S)")
# "Measure: Weed a minimum of 3% of …", "Performance measure: …": a label, though "measure" is also a verb.
_LABEL_WORD = re.compile(r"(?:(?:key |success |performance |service level )?(?:measures?|metrics?|targets?|goals?|"
                         r"indicators?|outcomes?)|kpis?)", re.IGNORECASE)
# "Monthly active users: 5,000", "Uptime: ≥ 99.9% by June": what stands before the colon is the measure, not a label,
# when only a number to reach follows it.
_BARE_TARGET = re.compile(r"(?:[<>≤≥~]=?\s*|(?:at least|at most|over|under|below|above|more than|less than|"
                          r"fewer than|up to)\s+)?[$€£]?\d[\d,.]*(?:\s*(?:%|[kmb]\b|x\b))?\+?"
                          r"(?=\s*$|\s*[(;,]|\.?\s+(?:by|in|before|until|per|a|each|every|for|and)\b)", re.IGNORECASE)
# A note on progress the team added after an arrow: "… => 75% achieved", "… => 10 hired, 83%", "… => Done".
_PROGRESS_NOTE = re.compile(r"\s*(?:=>|⇒)\s*[^=]*\b(?:achieved|done|complete|completed|hired|launched|shipped|"
                            r"delivered|met|missed|reached|in progress|on track|not started)\b[^=]*$", re.IGNORECASE)
# "Increase IACV by 90% => 75%": after a line that has its target, a bare share is the score, not a second number.
_SCORE_NOTE = re.compile(r"\s*(?:=>|⇒)\s*\d+(?:\.\d+)?\s*%\s*$")
# A progress mark the team added during the quarter ("… [1/5]", "[30%]", "[]") is a score, not a target.
_PROGRESS_MARK = re.compile(r"\s*\[\s*(?:\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?|\d+(?:\.\d+)?\s*%)?\s*\]\s*$")
# Another thing to do leaves the end open ("(or upgrade to …)"); another name for the same thing does not
# ("queries from users (or customers)", "quarterly (or other regular interval)").
_OR_ELSE = re.compile(r"\(or (?:" + "|".join(map(re.escape, words.CLAUSE_VERBS)) + r")\b")
_WORD = re.compile(r"[\w'’&+#/.-]+")
_WHY = re.compile(r"[\s,](?:" + WHY + r")\b")
_CUT = re.compile(r"\s(?:so that|so we|in order to|as part of|as an indicator|averaged across|measured by|"
                  r"meeting the condition|which|who|that (?:we|can|will))\b|\s[(–—]|;|:\s|,\s(?:and|a majority|which)|"
                  r",?\s(?:by|through)\s\w+ing\b",
                  re.IGNORECASE)
_FILLER = {"a", "an", "the", "of", "our", "in", "on", "for", "to", "with", "by", "at", "from", "and", "or", "per",
           "we", "have", "has", "all", "more", "least", "most", "minimum", "total", "number", "level", "is", "are"}


@dataclass(frozen=True)
class Reading:
    """What one line says. Numbers are None when the line does not state them; `kind` is always one of the kinds
    (a line without a number reads as a milestone)."""

    text: str
    kind: str = "milestone"
    shape: str = "empty"
    metric: str = ""
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    change_pct: float | None = None  # relative kinds: the change in percent of the baseline (always ≥ 0)
    deadline: str = ""  # as written: "by end of Q3", "by 30 June"
    due_on: dt.date | None = None  # when the deadline could be placed in a quarter
    two_results: bool = False
    shared_subject: bool = False  # "30 Reps and 100 members are …": one measure split over two groups
    placeholder: bool = False
    judgement: bool = False  # a word nobody can check ("healthy", "quick", "easily")
    open_list: bool = False  # "etc", "or alternatives", several verbs split by "/"
    problems: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()  # the results the line holds (two or more: two results in one)
    stated: tuple[Number, ...] = field(default=(), repr=False)

    def fields(self) -> dict[str, Any]:
        """The editor's fields this reading fills (empty ones left out)."""
        values = {"kind": self.kind, "metric": self.metric, "unit": self.unit, "baseline": self.baseline,
                  "target": self.target, "change_pct": self.change_pct, "due_on": self.due_on}
        return {k: v for k, v in values.items() if v not in (None, "")}

    def summary(self) -> str:
        """One line for people: 'Increase by 10% · unreverted mobile contributions · due 30 Jun 2027'."""
        from okrdash.smart.verdicts import KIND_LABELS

        if self.kind == "milestone" and self.shape == "metric":  # "Percent of cases resolved within 60 days"
            return " · ".join(filter(None, ("A measure with no target yet", self.deadline)))
        parts = [KIND_LABELS.get(self.kind, self.kind)]
        unit = self.unit if self.unit in ("%", "$", "€", "£") or len(self.unit) <= 4 else ""
        if self.kind in RELATIVE_KINDS and self.change_pct is not None:
            parts[0] = f"{parts[0].rstrip(' %')} {show_number(self.change_pct)}%"
        elif self.baseline is not None and self.target is not None:
            parts.append(f"{show_number(self.baseline, unit)} → {show_number(self.target, unit)}")
        elif self.target is not None:
            parts.append(show_number(self.target, unit))
        if self.metric:
            parts.append(self.metric)
        if self.deadline:
            parts.append(self.deadline)
        return " · ".join(parts)


def clean(text: object) -> str:
    """The line without list bullets, checkboxes, labels ("KR1:", "Key result:", "1.2", "Test coverage
    [ASPIRATIONAL]:") and a progress mark at its end ("[1/5]"), on one line."""
    line = " ".join(str(text or "")[:MAX_CHARS].split())
    line = _PREFIX.sub("", line, count=1).strip() if line else ""
    line = _PROGRESS_MARK.sub("", _PROGRESS_NOTE.sub("", line))
    if (score := _SCORE_NOTE.search(line)) and (_RELATIVE.search(line[:score.start()]) or
                                                re.search(r"\bto\s+(?:under\s+)?[$€£~]?\d", line[:score.start()])):
        line = line[:score.start()]
    untagged = without_tagged_label(line)
    if untagged != line:
        return untagged
    label = _LABEL.match(line)
    if label and (_LABEL_WORD.fullmatch(label.group(1).strip()) or (
            len(label.group(1).split()) <= 4 and not starting_verb(label.group(1).lower(), VERB_WORDS) and
            not _BARE_TARGET.match(line, label.end()))):
        line = line[label.end():]
    return line


# "Double the number of contributors", "Build time halved": a relative change in a word, when no number is stated.
_MULTIPLIED = re.compile(r"^(?:double|triple|quadruple|halve)\b(?![-\s]down\b|-)|\bby half\b|"
                         r"\b(?:doubled|tripled|quadrupled|halved)\b|\b(?:cut|reduced?)\s+(?:[\w-]+\s+){0,4}?in half\b",
                         re.IGNORECASE)
_MULTIPLIED_PCT = {"dou": 100.0, "tri": 200.0, "qua": 300.0}


def _relative(line: str, stated: list[Number]) -> tuple[float, str] | None:
    match = _RELATIVE.search(line)
    if not match and not stated and (word := _MULTIPLIED.search(lower_line(line))):
        return _MULTIPLIED_PCT.get(word.group(0)[:3], 50.0), word.group(0)
    if not match:
        return None
    pct = match.group("pct") or match.group("pct2") or match.group("pct3")
    if pct:
        try:
            return float(pct.replace(",", "")), match.group(0)
        except ValueError:
            return None
    times = float(match.group("times") or match.group("times2"))
    return ((times - 1) * 100 if times >= 1 else (1 - times) * 100), match.group(0)


_BOUND_BEFORE = re.compile(r"\b(?:fewer than|less than|more than|at least|at most|under|over|within)\s*$",
                           re.IGNORECASE)


def _qualifier(line: str, number: Number) -> bool:
    """Whether a number other than the target bounds what is counted: "80% of requests take fewer than 15 minutes",
    "customers who handled at least 10 tickets"."""
    at = line.find(number.text)
    return at > 0 and _BOUND_BEFORE.search(line[:at]) is not None


def _defines_the_count(line: str, number: Number) -> bool:
    """Whether a number bounds who is counted inside a relative clause, so it is no target: "Increase the number of
    members who participate in at least one activity per year" says which members count, not how many."""
    at = line.find(number.text)
    return _qualifier(line, number) and re.search(r"\b(?:who|whose|which)\b", line[:at], re.IGNORECASE) is not None


_MOVEMENT = {"growth", "reduction", "rise", "decline", "improvement", "uplift"}  # "10% MoM growth in users": users


# A line that starts by naming its measure, as performance plans list them: "Percent of cases resolved within 60
# days", "Number of models completed through 2026". Only a share can be a share's target, and a span of time bounds
# what is counted; such a line often states no target at all.
_SHARE_NAMED = re.compile(r"^(?:the\s+)?(?:percent(?:age)?|share|proportion)\s+of\b")
_COUNT_NAMED = re.compile(r"^(?:the\s+)?(?:total\s+)?(?:numbers?|count)\s+of\b")


def _may_be_its_target(lowered: str, number: Number) -> bool:
    if _SHARE_NAMED.match(lowered):
        return number.unit == "%"
    if _COUNT_NAMED.match(lowered):
        return number.unit not in ("days", "weeks", "months", "h", "min", "s", "ms")
    return True


_COLON_COUNT = re.compile(r":\s+(?=(?:[<>≤≥~]=?\s*|at least\s+)?[$€£]?\d[\d,.]*\s*(?:%|[kKmM]\b)?\s+"
                          r"(?!(?:by|in|before|per|and|or|to|from)\b)[A-Za-z]{3,})")


def _metric(line: str, stated: list[Number], lowered_verb: str | None) -> str:
    """What is counted, from the line: without the numbers in `stated`, the deadline, the verb and the purpose. A
    number that bounds the measure stays out of `stated` ("80% of requests take under 15 minutes")."""
    # "Make the product ready for enterprise: 99.95% availability": after a colon, a number and what it counts.
    after = _COLON_COUNT.search(line)
    if after:
        line = line[after.end():]
    # An aside in brackets ("2 (/src) PRs", "All (IT) roles", "… (n)") does not end the measure: read through it.
    text = _CUT.split(" " + re.sub(r"\[[^\]]*\]", " ", PARENS.sub(" ", line)), maxsplit=1)[0].strip()  # "[Owner: Ana]"
    text = re.sub(r"\bfrom\b.*?\bto\b\s*\S+(?:\s(?:%|ms|s|h|min|mins|hours?|days?|weeks?|pp|points)\b)?|"
                  r"\bto\b\s+\S+\s+from\s+(?:current\s+)?\S+", " ", text, flags=re.I)
    text = _RELATIVE.sub(" ", text)
    if not stated:
        text = re.sub(r"\b(?:doubled|tripled|quadrupled|halved|in half|by half)\b", " ", text, flags=re.I)
    text = re.sub(r"\b(?:within|in|over)\s+the\s+(?:next|coming)\s+(?:\d\S*\s+)?\w+", " ", text, flags=re.I)
    text = DEADLINE_FIRST.sub("", text)
    text = DEADLINE_AND_AFTER.sub(" ", text)
    for number in sorted(stated, key=lambda n: -len(n.text)):
        if not number.per:
            text = text.replace(number.text, " § ")
    text = re.sub(r"(?:\b(?:from|to|current(?:ly)?|of|at least|at most|minimum|maximum|under|below|above|over|"
                  r"less than|more than|fewer than|by|reach|hit)\s+)*§(?:\s+(?:from|to)\s+(?:current\s+)?§)?"
                  r"(?:\s+or\s+(?:less|more|fewer|lower|higher|above|below|better)\b)?",
                  " ", text, flags=re.I).replace("§", " ")
    tokens = _WORD.findall(text)
    of = False  # after "the number of", a verb's word is a noun ("support tickets")
    while tokens and (tokens[0].lower() in _FILLER or (not of and starting_verb(tokens[0].lower(), VERB_WORDS))
                      or _BELOW.fullmatch(tokens[0]) or tokens[0].lower() in ("than", "least", "most", "x", "%")
                      or (tokens[0].lower() in _MOVEMENT and len(tokens) > 2 and tokens[1].lower() in ("in", "of"))):
        of = of or tokens[0].lower() == "of"
        tokens.pop(0)
    while tokens and (tokens[-1].lower() in _FILLER | {"than", "x"} or not re.search(r"\w", tokens[-1])):
        tokens.pop()
    return " ".join(tokens)[:120].strip(" ,.;:-")


def read_line(text: object, quarter: tuple[str, dt.date, dt.date] | None = None) -> Reading:
    """Read one line; `quarter` (key, starts_on, ends_on) places a stated deadline on a date and flags one that
    falls outside the quarter. Never raises. A line of two results is read for its first one's numbers, which the
    lead keeps when splitting it ("Trials grow 20%, with unsubscribe rate under 0.5%": the 20%)."""
    try:
        reading = _read(text, quarter)
        if reading.two_results and not reading.shared_subject:
            first = _read(reading.parts[0], quarter)
            if first.kind != "milestone":
                return replace(reading, kind=first.kind, metric=first.metric, unit=first.unit,
                               baseline=first.baseline, target=first.target, change_pct=first.change_pct)
        return reading
    except Exception:  # a reader for hostile text: a bug here must not break the editor
        return Reading(clean(text), shape="noun")


def _read(text: object, quarter: tuple[str, dt.date, dt.date] | None) -> Reading:
    line = clean(text)
    if not line:
        return Reading("")
    lowered = lower_line(line)
    question = line.endswith("?") and bool(re.match(r"^(?:how|what|why|who|when|where|should|can|do|does|is|are|"
                                                     r"which|could|would|will)\b", lowered))
    due_text, due_on, due_problem = deadline(line, quarter)
    stated = numbers(ASIDE.sub(" ", line))
    placeholder = any(re.search(p, line) for p in words.PLACEHOLDERS)
    relative = _relative(line, stated)
    base = target = None
    span = _FROM_TO.search(line) or None
    if span:
        left = numbers(span.group("a") or span.group("c") or "")
        right = numbers(span.group("b") or span.group("d") or "")
        if left and right:
            base, target = left[-1], right[0]
    if base is None and (back := _TO_FROM.search(line)):
        left, right = numbers(back.group("a")), numbers(back.group("b"))
        if left and right:
            base, target = left[0], right[0]
    if base is None and (current := _CURRENT.search(line)) and numbers(current.group("a")):
        base = numbers(current.group("a"))[0]
    direction = direction_of(lowered)
    kind, change = "milestone", None
    if base is not None and target is not None:
        kind = "decrease_to" if target.value < base.value else "increase_to"
    elif relative and not placeholder:
        change = relative[0]
        kind = "decrease_by" if direction == "down" or re.search(r"\b(?:less|fewer|lower|decrease|reduction|down)\b",
                                                                 relative[1], re.I) else "increase_by"
    candidates = [n for n in stated if not n.per and (base is None or (n.value, n.text) != (base.value, base.text))
                  and not _defines_the_count(line, n) and _may_be_its_target(lowered, n)]
    if target is None and candidates and kind == "milestone":
        target = _main(line, candidates)
        if _NEGATED_MORE.search(line) or _BELOW.search(line[:line.find(target.text)] if target.text in line else ""):
            kind = "stay_below"
        elif _ABOVE.search(line[:line.find(target.text)] if target.text in line else "") or \
                re.search(r"\bratio\b.*>", line, re.I):
            kind = "stay_above"
        else:
            # "Zero P1 incidents", "0 critical vulnerabilities open": a count brought down to nothing
            kind = "decrease_to" if direction == "down" or target.value == 0 or \
                re.search(r"\b(?:fall|drop)s?\s+to\b", lowered) else "increase_to"
    measured = kind != "milestone"
    shape = shape_of(lowered, measured or placeholder, question, line.lower())
    if shape == "measure":
        shape = "relative" if kind in RELATIVE_KINDS else "threshold" if kind.startswith("stay") else "measure"
    parts, shared = split_results(line)
    problems = list(filter(None, (due_problem, _two_numbers(line, stated, base, direction, relative),
                                  _over_hundred(line, target))))
    unit = (target or base).unit if (target or base) else "%" if kind in RELATIVE_KINDS else ""
    if not unit and target is not None:
        unit = target.noun
    return Reading(
        line, kind, shape,
        metric=_metric(line, [n for n in stated if n in (target, base) or not _qualifier(line, n)], direction)
        if measured or placeholder else "",
        unit=unit[:30], baseline=base.value if base else None,
        target=None if kind in RELATIVE_KINDS or target is None else target.value, change_pct=change,
        deadline=due_text, due_on=None if due_problem else due_on, two_results=len(parts) > 1,
        shared_subject=shared, parts=parts,
        placeholder=placeholder,
        judgement=judged(_WHY.split(lowered, maxsplit=1)[0]),  # "…, so users can easily …" is why, not what
        open_list=bool(re.search(r"\betc\b|\bor alternatives\b|\w+ \w+ / \w+ about", lowered)
                       or "?)" in lowered or _OR_ELSE.search(lowered) is not None or either_verb(lowered)),
        problems=tuple(problems), stated=tuple(stated))


def _main(line: str, candidates: list[Number]) -> Number:
    """The number a line commits to: after a target word ("to", "at least", "under", "reach"), else a percentage
    or an amount of money, else the first one."""
    for number in candidates:
        before = line[:line.find(number.text)].lower() if number.text in line else ""
        if re.search(r"(?:\bto|at least|minimum|under|below|less than|at most|of|reach|hit|>|<|≥|≤)\s*$", before) \
                and not re.search(r"\d\s+of\s*$", before):  # "Deliver 3 of 5 planned features": 3, of 5
            return number
    return next((n for n in candidates if n.unit in ("%", "$", "€", "£")), candidates[0])


def _two_numbers(line: str, stated: list[Number], base: Number | None, direction: str | None,
                 relative: tuple[float, str] | None) -> str | None:
    if base is not None or direction or relative or len(stated) != 2 or _BELOW.search(line) or _ABOVE.search(line):
        return None
    if len(line.split()) > 8:
        return None
    first, second = stated
    return (f"“{line}” has two numbers ({first.text} and {second.text}) but no direction, so it is unclear which is "
            f"today's value and which the target. Write it as “from {first.text} to {second.text}” (or the other "
            "way round), or keep only the target.")


def _over_hundred(line: str, target: Number | None) -> str | None:
    if target is None or target.unit != "%" or target.value <= 100 or not _SHARE.search(line):
        return None
    return (f"“{target.text}” is more than 100%, but this reads as a share, which cannot pass 100%. Check the "
            "number, or say what it is a percentage of.")


def parse_kr_text(title: str) -> dict[str, Any]:
    """The editor's fields read from a title (“Cut churn from 3.4% to 2%” -> kind, metric, baseline, target,
    unit), to prefill a form; empty when the line states no number."""
    reading = read_line(title)
    if reading.kind == "milestone":
        return {}
    return {k: v for k, v in reading.fields().items() if k != "due_on"}


def with_fields(reading: Reading, **typed: Any) -> Reading:
    """The reading with the fields a person typed put over it (typed values always win)."""
    return replace(reading, **{k: v for k, v in typed.items() if v not in (None, "")})
