"""The SMART check: pure functions from a key result (as typed, saved or not) to a verdict per letter.

Each letter is pass / warn / fail with the reason and a concrete fix. Failing letters block publishing; warnings are
advice the lead may accept. No database and no Streamlit here, so the editor can check unsaved input as it is typed
and tests can run hundreds of examples.

Every field left empty is read from the title (okrdash.smart.reading): `check_kr({"title": line})` judges a bare line
as a careful reader would, and a field a person typed always wins over what was read. Specific: one clear thing is
counted or will exist; a vague verb with nothing to count, a question, “consider …” and two results in one line
fail. Measurable: a target for what is counted (the baseline may come from the first check-in), a threshold, a
relative change, or a milestone whose title or definition of done says when it is done; placeholders (“X%”, “TBD”)
and a target that is named but not stated fail. A missing baseline or unit is a note, not a warning: a count often
has its unit in the metric's name (“live partner integrations”), and the first check-in gives the baseline.

Thresholds (see Achievable): a jump of 10× or more against the baseline (or a cut to a tenth or less) fails unless
the lead has confirmed it after discussion; 3× or more, or a swing of more than 50 percentage points, warns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from okrdash.smart.achievable import achievable
from okrdash.smart.clauses import PURPOSE, starting_verb
from okrdash.smart.measurable import NAMED_TARGET, UNSEEN_EFFECT, measurable
from okrdash.smart.reading import Reading, read_line
from okrdash.smart.text import VAGUE_METRICS, VAGUE_VERBS, imperative, only_vague, show, title_numbers, vague_start
from okrdash.smart.verdicts import (
    EARLY_DAYS,
    FAIL,
    PASS,
    RELATIVE_KINDS,
    WARN,
    Check,
    Context,
    Findings,
    Verdict,
    close,
    day,
    field_number,
    field_text,
)
from okrdash.smart.words import DOWN_VERBS, MEASURE_NOUNS, UP_VERBS

_NUMERIC_FIELDS = ("metric", "unit", "baseline", "target")
_TOPIC_SHAPES = ("state", "noun", "direction")  # lines that say what is true or what it is about, not what is done


def effective(kr: Mapping[str, Any], context: Context | None = None) -> tuple[dict[str, Any], Reading]:
    """The key result with every empty field filled from the reading of its title (typed fields always win), and
    the reading itself."""
    quarter = (context.quarter, context.starts_on, context.ends_on) if context else None
    reading = read_line(kr.get("title"), quarter)
    values = dict(kr)
    if not values.get("kind"):
        values["kind"] = reading.kind
    kind = values["kind"]
    if kind != "milestone":
        for name in _NUMERIC_FIELDS:
            value = getattr(reading, name)
            if values.get(name) in (None, "") and value not in (None, ""):
                if name == "target" and (kind in RELATIVE_KINDS) != (reading.kind in RELATIVE_KINDS):
                    continue
                values[name] = value
        if kind in RELATIVE_KINDS and values.get("change_pct") in (None, "") and reading.change_pct is not None:
            values["change_pct"] = reading.change_pct
    if values.get("due_on") in (None, "") and reading.due_on is not None:
        values["due_on"] = reading.due_on
    return values, reading


def _measure_named(text: str) -> bool:
    lowered = PURPOSE.split(" " + text.lower(), maxsplit=1)[0]
    return any(re.search(rf"\b{re.escape(noun)}\b", lowered) for noun in MEASURE_NOUNS)


# Verbs that say which way a number moves (not "improve" or "boost", which say only that it should get better).
_MOVES = tuple(v for v in UP_VERBS + DOWN_VERBS if v not in VAGUE_VERBS and v not in (
    "improved", "accelerate", "minimize", "minimise", "eliminate", "expand", "gain", "lift", "speed up"))


def _moved_measure(text: str) -> str | None:
    """The measure of "Lower the number of regressions in major release lines", "Increase views on the docs": a
    direction and one measure named plainly. Specific asks what is counted, and this line says it; how far it
    moves is Measurable's question, which such a line fails. A broad measure ("engagement") or two of them ("time
    to first green, and time to all greens") is not one named measure (None)."""
    lowered = PURPOSE.split(" " + text.strip(), maxsplit=1)[0].strip()
    moved = imperative(lowered.lower())  # "growing the number of …" moves as "grow the number of …" does
    verb = starting_verb(moved, _MOVES)
    if verb is None or re.search(r"\band\b|&|,", lowered, re.IGNORECASE):
        return None
    rest = lowered.split(maxsplit=1)[1:] if moved != lowered.lower() else [lowered[len(verb):]]
    measure = re.sub(r"^(?:the|our|a|an)\s+", "", "".join(rest).strip(), flags=re.IGNORECASE).rstrip(" .")
    if _vague_metric(measure) or re.match(r"(?:size|amount|level|quality|breadth)\b", measure, re.IGNORECASE):
        return None
    return measure


_ALWAYS_BROAD = ("knowledge", "engagement", "awareness")  # "knowledge & skill sets", "engagement in our events"
_BROAD_PLURALS = ("scores", "rates", "levels", "metrics", "numbers", "figures", "indicators", "kpis", "results")


def _vague_metric(metric: str) -> bool:
    lowered = metric.lower().split()
    if not lowered:
        return False
    if lowered[0] in _ALWAYS_BROAD:
        return True
    # "quality pieces of content", "quality blog posts": the broad word describes the things counted
    head = re.split(r"\s(?:of|for|in|on|at|by|from|to)\s", " ".join(lowered))[0].split()
    if any(re.fullmatch(r"[a-z]+[^su]s", word) and word not in _BROAD_PLURALS for word in head[1:]):
        return False
    return lowered[0] in VAGUE_METRICS or " ".join(lowered) in VAGUE_METRICS


def specific(kr: Mapping[str, Any], reading: Reading | None = None,
             line_alone: Mapping[str, Any] | None = None) -> Verdict:
    """S for the key result. `line_alone` (the fields read from the title alone) keeps what the line says in view
    when the lead typed “milestone” over a line that counts something: the kind changes how progress is tracked,
    not what the line says — “Reach 100 subscribers” is “subscribers of what?” as a milestone too. A milestone
    needs no metric, so only the line's missing metric is not held against it."""
    found, passed = _specific_findings(kr, reading)
    if line_alone is not None:
        found.take(_specific_findings(line_alone, reading)[0], unless="metric")
    return found.verdict(passed)


def _specific_findings(kr: Mapping[str, Any], reading: Reading | None) -> tuple[Findings, str]:
    found = Findings("S")
    title, kind = field_text(kr, "title"), kr.get("kind") or "increase_to"
    reading = reading or read_line(title)
    metric = field_text(kr, "metric")
    verb = vague_start(title)
    if not title:
        found.add(FAIL, "The key result has no title.",
                  "Write the result in one line, e.g. “Raise trial-to-paid conversion from 14% to 20%”.")
        return found, ""
    if reading.shape == "question":
        found.add(FAIL, "The line is a question, not a result: nobody can tell when it is met.",
                  "Write the answer you want as a result, e.g. “Document how non-feature changes are reviewed”.")
    elif reading.shape == "no_result":
        found.add(FAIL, f"“{reading.text.split()[0]} …” names no result: nothing will exist or be counted when it is "
                        "done.", "Say what will be true at the end of the quarter, or drop the line.")
    if reading.two_results:
        found.add(FAIL, "This looks like two results in one line.",
                  "Split it into two key results, each with one measure and one owner.")
    elif reading.shared_subject:
        found.add(WARN, "One measure is split over two groups in one line.",
                  "Count one group, or add both up into one number.")
    # "Reduce time to set up a developer environment": a direction and what is counted (M says how far)
    counted = _moved_measure(reading.text) if kind == "milestone" and reading.shape == "vague" and \
        _measure_named(reading.text) else reading.text if kind == "milestone" and reading.shape == "metric" else None
    if kind == "milestone":
        _specific_milestone(found, reading, verb, bool(field_text(kr, "definition_of_done")), counted)
    else:
        if not metric:
            reason = (f"“{verb.capitalize()}” alone is a vague verb and no metric is named."
                      if verb else "No metric is named, so it is unclear which number this result moves.")
            found.add(FAIL, reason, "Fill in Metric with the one number that moves, e.g. “trial-to-paid conversion” "
                                    "or “median time to first invoice”.", about="metric")
        elif _vague_metric(metric) or _vague_metric(reading.metric):
            found.add(WARN, f"“{metric}” is too broad to count: whose {metric.lower()}, measured how?",
                      f"Name the exact measure, e.g. “weekly active technicians” instead of “{metric.lower()}”.")
        elif len(metric.split()) == 1 and metric.lower() == str(kr.get("unit") or reading.unit).lower() and \
                re.match(r"^(?:reach|hit|get|gain|grow|increase|\d)", reading.text.lower()):
            found.add(WARN, f"“{metric}” of what? The line counts {metric.lower()} without saying whose or where.",
                      f"Name them, e.g. “newsletter {metric.lower()}”.")
        if reading.kind == "milestone" and reading.shape in _TOPIC_SHAPES:
            _describes_a_state(found)  # a metric typed under the title does not make the title say what is counted
        elif reading.kind == "milestone" and reading.shape == "vague" and _measure_named(reading.text) and \
                (verb or starting_verb(reading.text.lower(), UP_VERBS + DOWN_VERBS)) and \
                _moved_measure(reading.text) is None:
            # Likewise "Increase engagement of the security docs" over a typed "page views": the title stays broad.
            found.add(WARN, "The title does not say plainly what is counted; the team reads the title, not the "
                            "Metric field.", f"Put the measure in the title, e.g. “Increase {metric} from … to …”.")
        # Knowing how to use a thing can be tested (M), but what is known stays loose (S).
        if UNSEEN_EFFECT.search(reading.text) or re.search(r"\bknows? how to\b", reading.text, re.IGNORECASE):
            found.add(WARN, "What is counted happens inside people's heads (influenced, inspired, knowing how to): "
                            "what will you count?", "Count what people do, e.g. “200 developers try the demo”.")
        # "Ensure that at least 50% of co-hosts are …" counts; "Ensure a smooth handover" does not.
        if reading.open_list or verb in ("support", "help") or (verb == "ensure" and not reading.stated) or \
                reading.text.lower().startswith("elevate "):
            found.add(WARN, "The line mixes several actions or leaves the list open.",
                      "Keep the one result that matters and say exactly what is counted.")
        if verb and not reading.stated and not reading.placeholder:
            found.add(WARN, f"The title starts with the vague verb “{verb}” and states no numbers.",
                      "Write the movement in the title: “Raise <metric> from <baseline> to <target>”.")
        stated = title_numbers(title)
        baseline, target = field_number(kr, "baseline"), field_number(kr, "target")
        if stated and baseline is not None and target is not None and not (
                close(stated[0], baseline) and close(stated[1], target)):
            found.add(WARN, f"The title says {show(stated[0])} → {show(stated[1])} but the numbers say "
                            f"{show(baseline)} → {show(target)}.",
                      "Make the title and the baseline/target agree, so nobody tracks the wrong number.")
    if counted:
        return found, f"Names what is counted: “{counted}”."
    subject = f"the metric “{metric}”" if kind != "milestone" else f"the deliverable “{reading.text or title}”"
    return found, f"Names {subject}."


def _describes_a_state(found: Findings) -> None:
    found.add(WARN, "The line describes a state or names a topic, not what will exist or be counted.",
              "Start with what ships (“Launch …”, “Publish …”) or the number that moves.")


def _specific_milestone(found: Findings, reading: Reading, verb: str | None, done: bool,
                        counted: str | None) -> None:
    shape, text = reading.shape, reading.text
    if shape == "vague":
        if only_vague(text):
            found.add(FAIL, f"“{(verb or text.split()[0]).capitalize()}” is a vague verb: the title names no "
                            "deliverable, so nobody can tell when it is done.",
                      "Name the thing that will exist when it is done, e.g. “Ship self-serve staff import” or "
                      "“Publish the API reference for all 40 endpoints”.")
        elif done:
            return
        elif verb in ("support", "ensure", "help", "facilitate"):
            found.add(WARN, f"The title starts with the vague verb “{verb}”; without a definition of done it is "
                            "unclear what will exist when it is done.",
                      "Start with what ships (e.g. “Launch …”, “Publish …”), or write the definition of done.")
        elif NAMED_TARGET.match(text):
            if re.search(r"\b(?:goals|targets)\b|\band\b", text.lower()):
                found.add(WARN, "The line points at goals written somewhere else.", "Name the goal in the line.")
        elif counted:
            return
        elif _measure_named(text):
            found.add(WARN, f"The line names a measure but starts with “{text.split()[0].lower()}” and says no "
                            "amount.", "Write the movement: “Raise <metric> from <baseline> to <target>”.")
        else:
            found.add(FAIL, f"“{(verb or text.split()[0]).capitalize()}” is a vague verb: the title names no "
                            "deliverable and nothing to count, so nobody can tell when it is done.",
                      "Name the thing that will exist when it is done, e.g. “Ship self-serve staff import”, or the "
                      "number that moves.")
    elif shape in _TOPIC_SHAPES:
        _describes_a_state(found)
    elif shape == "thinking":
        if re.match(r"^\w+\s+(?:and|&)\s+\w+", text.lower()) or re.search(r"\bto (?:identify|understand|find)\b|\?|"
                                                                         r"\bregularly\b|^meet\b|^track\b",
                                                                         text.lower()):
            found.add(WARN, "The line is an activity rather than something that will exist.",
                      "Say what the activity produces, e.g. “Publish the list of the 5 biggest hiring bottlenecks”.")
        elif re.match(r"^(?:evaluate|review|assess|investigate|research|explore|study|analy[sz]e)\b", text.lower()):
            # "Evaluate Orb": the whole line is the activity, and nothing it produces is named
            found.add(FAIL, "The line is an activity: it names nothing that will exist or be counted when it is done.",
                      "Say what the activity produces, e.g. “Decision on Orb, with costs compared, signed off by "
                      "finance”.")
    elif shape == "deliverable" and (reading.judgement or reading.open_list or " and maintain " in text.lower()):
        found.add(WARN, "The deliverable is described with a word nobody can check, or the list is left open.",
                  "Say exactly what will exist, e.g. “Design system with 40 documented components”.")


def relevant(context: Context | None) -> Verdict:
    found = Findings("R")
    link = context.strategy_link if context else None
    if not link:
        found.add(FAIL, "The objective is not linked to a company objective or strategy item, so nobody can see "
                        "why this result matters to the company.",
                  "Link the objective to the company objective it serves, on the Create focus step.")
    return found.verdict(f"The objective serves {link}." if link else "")


def time_bound(kr: Mapping[str, Any], context: Context | None) -> Verdict:
    found = Findings("T")
    due = kr.get("due_on")
    if isinstance(due, dt.datetime):
        due = due.date()
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due.strip())
        except ValueError:
            due = None
    if not isinstance(due, dt.date):
        found.add(FAIL, "No due date.", "Set a due date; the quarter's last day is the usual choice.")
        return found.verdict("")
    if context is None:
        return found.verdict(f"Due {day(due)}.")
    if due < context.starts_on or due > context.ends_on:
        where = "before" if due < context.starts_on else "after"
        edge = context.starts_on if due < context.starts_on else context.ends_on
        found.add(FAIL, f"Due {day(due)}, {where} {context.quarter} {'starts' if where == 'before' else 'ends'} "
                        f"({day(edge)}).",
                  f"Pick a date inside {context.quarter} ({day(context.starts_on)} – {day(context.ends_on)}); "
                  "the default is the quarter's last day.")
    elif (due - context.starts_on).days < EARLY_DAYS:
        found.add(WARN, f"Due {day(due)}, within the quarter's first two weeks: that is a task, not a quarterly "
                        "result.",
                  "Move the due date later, or make it a step of a bigger result.")
    last = " (the quarter's last day)" if due == context.ends_on else f", inside {context.quarter}"
    return found.verdict(f"Due {day(due)}{last}.")


def check_kr(kr: Mapping[str, Any], context: Context | None = None) -> Check:
    """Every letter for one key result. `kr` holds title, kind, metric, unit, baseline, target, definition_of_done,
    due_on and achievable_confirmed, as saved or as typed (numbers may be None)."""
    values, reading = effective(kr, context)
    line_alone = effective({"title": kr.get("title")}, context)[0] if (
        values.get("kind") == "milestone" and reading.kind != "milestone") else None
    return Check((specific(values, reading, line_alone), measurable(values, reading), achievable(values, context),
                  relevant(context), time_bound(values, context)))


def summarize(checks: Sequence[Check]) -> dict[str, int]:
    """How many checks fail, warn and pass overall (for a one-line summary)."""
    levels = [c.level for c in checks]
    return {level: levels.count(level) for level in (PASS, WARN, FAIL)}
