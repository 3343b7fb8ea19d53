"""What kind of result one line of key-result text names, when it states no number to reach: a deliverable, a
thinking step, a vague aim, a state, a comparison, a direction, a topic (`shape_of`); which way it moves
(`direction_of`); and whether it leans on a word nobody can check (`judged`). Pure helpers of okrdash.smart.reading."""

from __future__ import annotations

import re

from okrdash.smart import words
from okrdash.smart.clauses import DONE, MEASURE_FIRST, PARENS, QUOTED, TWO_MEASURES, starting_verb
from okrdash.smart.text import ENSURE_ALL, FEATURE_SUPPORT, VAGUE_VERBS, only_vague

_UP = re.compile(r"\b(?:" + "|".join(map(re.escape, words.UP_VERBS)) + r")\b")
_DOWN = re.compile(r"\b(?:" + "|".join(map(re.escape, words.DOWN_VERBS)) + r")\b")


def direction_of(lowered: str) -> str | None:
    up, down = _UP.search(lowered), _DOWN.search(lowered)
    if up and down:
        return "up" if up.start() < down.start() else "down"
    return "up" if up else "down" if down else None


def shape_of(lowered: str, has_number: bool, question: bool, raw: str) -> str:
    """The line's shape (one of reading.SHAPES): `lowered` is the line in lower case without its label, `raw`
    the same before the leading pronoun is dropped."""
    if question:
        return "question"
    lowered, raw = ENSURE_ALL.sub("", lowered), ENSURE_ALL.sub("", raw)
    if _BASELINE.match(lowered):
        return "baseline"
    if has_number:
        return "measure"
    if ((_METRIC_NAME.match(lowered) and MEASURE_FIRST.match(lowered)) or TWO_MEASURES.match(lowered)) and \
            not _FINITE.search(lowered):
        return "metric"  # "Percent of work orders completed on schedule": the measure, whatever it counts
    if _FEELING.search(lowered):  # "Design teams are jealous …" is a feeling, not a design step
        return "state"
    if starting_verb(lowered, words.NO_RESULT_VERBS):
        return "no_result"
    if starting_verb(lowered, words.THINKING_VERBS) and not _noun_then_done(lowered) and not (
            lowered.startswith("identify ") and len(lowered.split()) <= 3):  # "Identify success factors": no result
        return "deliverable" if _DELIVERED_TOO.match(lowered) else "thinking"
    if re.search(r"\b(?:defined|mapped|identified|articulat\w+|approach)\b", lowered.split(" by ")[0]):
        return "noun"
    via = _VIA.match(lowered)
    if via:
        return "thinking" if via.group(1) in words.THINKING_VERBS else "deliverable"
    if (_HAVE_A_THING.match(raw) or _EACH_HAS_ONE.match(raw)) and not judged(raw):
        return "deliverable"
    if only_vague(raw) or raw.startswith(("getting ", "hire aggressively", "be ", "become ")) or (
            raw.startswith(("have a ", "have an ")) and _JUDGEMENT.search(raw)):
        return "vague"
    if FEATURE_SUPPORT.match(lowered):
        return "deliverable"
    if (_THINKING_OBJECT.match(lowered) or _THINKING_DONE.match(lowered)) and not _SIGNED_OFF.search(lowered):
        return "thinking"
    if _NONE_LEFT.match(lowered) and not judged(lowered):
        return "deliverable"  # "Eliminate all known P1 vulnerabilities": none of them left, a count brought to zero
    verb = starting_verb(lowered, words.DELIVERY_VERBS)
    vague = starting_verb(lowered, words.UP_VERBS + words.DOWN_VERBS) or starting_verb(lowered, VAGUE_VERBS)
    if vague and not (verb and verb not in ("have", "get", "make", "ensure", "support", "attract", "develop")):
        return "vague"
    if verb or _DELIVERY_NOUN.match(lowered) or _PASS_A_TEST.match(lowered) or \
            _NAMED_THING.match(PARENS.sub("", lowered).strip(" .")) or \
            _FIRST.match(lowered):
        return "deliverable"
    if _SERVICE_UP.search(lowered) or _DELIVERED_TOO.match(lowered) or _CADENCE.search(lowered):
        return "deliverable"  # "sanitize and publish the repository", "weekly blog posts"
    # Words inside a quoted name do not say the line is done, nor does "live" before a noun ("Live stream viewers").
    if DONE.search(QUOTED.sub(" ", re.sub(r"^live\s+(?!and\b|on\b|in\b|for\b|by\b)", "", lowered))):
        # "… has produced a clear set of recommendations": that it exists is checkable, only how good it is a
        # judgement; both the letters warn about the judgement word, neither fails the line.
        return "deliverable"
    if _capability(lowered) and not judged(lowered) and not _COMPARED.search(lowered):
        return "deliverable"
    if _METRIC_NAME.match(lowered) and not _FINITE.search(lowered):
        return "metric"
    if _COMPARED.search(lowered) and _MEASURE.search(lowered):
        return "comparison"
    if _DIRECTION.search(lowered):
        # "more views than the demo video", "more views each time": measured against a value that exists
        return "comparison" if re.search(r"\bthan\b|\beach time\b|\bevery time\b", lowered) else "direction"
    if re.search(r"\b(?:is|are|isn't|aren't|can|goes|go|has|have|no longer|evolved|able|was|were|becomes?)\b",
                 lowered) or _SUBJECT.match(lowered):
        return "state"
    return "noun"


def either_verb(lowered: str) -> bool:
    """"Launch/test at least 3 tools": two verbs with two different ends, either of which would do."""
    either = re.match(r"^([a-z]+)/([a-z]+)\b", lowered)
    return bool(either) and all(starting_verb(v, VERB_WORDS) for v in either.groups())


# "The portal for batch 5 is up by June": a system that is up is live ("morale is up" is not a system).
_SERVICE_UP = re.compile(r"\b(?:portal|site|website|service|server|app|platform|page|api|tool|system|dashboard|"
                         r"environment|instance|cluster|database|pipeline)s?\b[^.]{0,40}?\b(?:is|are) up\b")


# "Set a baseline for how often data is synced": the first value is measured and written down, which is done or
# not; there is nothing to reach yet.
_BASELINE = re.compile(r"^(?:set|establish|measure|capture|get|record|define|determine)\s+(?:a\s+|the\s+)?"
                       r"(?:\w+\s+)?baselines?\b")
# A measure named and nothing else, as a team lists what it will watch: "Average number of prompts per session",
# "Completion success rate". What is counted is clear; the number to reach is missing.
_METRIC_NAME = re.compile(r"^(?:the\s+)?(?:(?:average|mean|median|total|overall|monthly|weekly|daily|annual)\s+)*"
                          r"(?:numbers?|percentage|percent|share|proportion|ratio|count|rate|frequency|growth|%)\s+"
                          r"of\s+\w|^(?:the\s+)?(?:turn-?around|response|wait|waiting|cycle|lead)\s+times?\s+"
                          r"(?:for|of|to)\s+\w|"
                          r"^(?:the\s+)?(?:average|mean|median)\s+\w|^(?:the\s+)?time\s+(?:to|from)\s+\w|"
                          r"^[\w+&'/-]+(?:\s+[\w+&'/-]+){0,5}\s+(?:rate|ratio|score|percentage|nps|csat)$")
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|can|should|must)\b")


# "Work with the data stewards to build a database of …", "Iterate our service to automatically publish …": the
# way of working is loose, the thing it builds is not.
_VIA = re.compile(r"^(?:work with|collaborate with|partner with|work together with|coordinate with|iterate)\b"
                  r"[^.;]{0,80}?\bto\s+(?:\w+ly\s+)?(" + "|".join(
                      v for v in words.FIRM_DELIVERY_VERBS + words.THINKING_VERBS if v not in words.FOLLOW_UP_VERBS) +
                  r")\b")
# "We have a system for contacting people who …", "ProtoSchool has its own roadmap": a thing that exists or does
# not, whoever has it.
_HAVE_A_THING = re.compile(r"^(?:[\w.'-]+\s+){0,3}?(?:have|has)\s+(?:a|an|(?:its|their|our)(?:\s+own)?)\s+"
                           r"(?:[\w-]+\s+)?(?:system|process|tool|dashboard|database|policy|playbook|guide|page|"
                           r"website|template|pipeline|workflow|registry|repository|channel for|form|roadmap|handbook|"
                           r"newsletter|podcast|toolkit|plugin|sdk|prototype)\b")
# "Every service has an on-call runbook": a count of all of them, each of which has the thing or not.
_EACH_HAS_ONE = re.compile(r"^(?:every|each|all)\s+(?:[\w-]+\s+){1,3}?(?:has|have)\s+"
                           r"(?:a|an|(?:its|their)(?:\s+own)?)\s+(?!(?:say|voice|chance|seat|role|stake|right|place)\b)"
                           r"[\w-]+")
# "Make a plan to …", "Complete the design for …", "Creation of a content strategy": what is made is a piece of
# thinking, whose end is as loose as "Plan …" or "Design …" (unless someone signs it off or it is published).
_THINKING_NOUNS = (r"plans?|strateg(?:y|ies)|designs?|models?|frameworks?|approach(?:es)?|process(?:es)?|practices|"
                   r"mechanisms?")
_THINKING_OBJECT = re.compile(r"^(?:make|establish|create|complete|develop|draft|write|build|set up|prepare|"
                              r"(?:creation|development) of)\s+(?:(?:a|an|the|our)\s+)?(?:[\w/-]+\s+){0,2}?"
                              r"(?:" + _THINKING_NOUNS + r")(?=\s+(?:for|to|of|on|around)\b|\s*[&,.;]|\s*$)")
# "Draft strategy created for …", "A hub and sustainability model is developed", "Plans for … are ready".
_THINKING_DONE = re.compile(r"^(?:a |an |the |our )?(?:[\w&-]+\s+){0,3}?(?:" + _THINKING_NOUNS + r")\s+"
                            r"(?:[^.;,]{0,60}?\s)?(?:is\s+|are\s+)?(?:created|developed|drafted|written|completed|"
                            r"defined|ready|established|in place)\b")
_SIGNED_OFF = re.compile(r"\b(?:agreed|approved|accepted|ratified|signed|adopted|reviewed|shared|"
                         r"share (?:it|them|with)|(?:publish|present)(?:ed)?|sociali[sz]ed?)\b")


# "Weekly blog posts", "Quarterly update by each working group to the TOC": a deliverable each period, checkable
# period by period.
_PERIODIC = (r"(?:updates?|posts?|blog posts?|reports?|newsletters?|releases?|demos?|reviews?|meetings?|calls?|"
             r"check-ins?|retrospectives?|surveys?|sessions?)")
_CADENCE = re.compile(r"^(?:weekly|fortnightly|biweekly|monthly|quarterly|quaterly|yearly|annual)\s+(?:[\w-]+\s+)?"
                      + _PERIODIC + r"\b|\b" + _PERIODIC + r"\s+(?:weekly|fortnightly|biweekly|monthly|quarterly|"
                      r"yearly|annually)\W*$")  # "… onboarding sessions quarterly"


# "Develop and publish …", "Plan, build and launch …": the thinking ends in a delivery.
_DELIVERED_TOO = re.compile(r"^[\w-]+(?:,\s*[\w-]+){0,3},? and (?:" + "|".join(
    v for v in words.FIRM_DELIVERY_VERBS if v not in words.FOLLOW_UP_VERBS) + r")\b")


# A sentence about people ("Users adopt new products without friction", "We're using the code"): a state of
# affairs, not the name of a thing that will exist.
_SUBJECT = re.compile(r"^(?:we're|we are|they|users|people|customers|developers|humans|llms|agents|teams|other|"
                      r"everyone|nobody|anyone)\b")


# "Time from request to deck is shorter than it was in October": a named measure, a direction and a baseline, with
# no number to reach — the thing counted is clear, the finish line is not.
# "… in less time and effort compared to the CLI" compares the same way.
_COMPARED = re.compile(r"\b(?:shorter|longer|faster|slower|lower|higher|fewer|more|less|smaller|bigger|cheaper)\s+"
                       r"(?:[\w-]+\s+){0,4}?(?:than|compared (?:to|with))\b")
_MEASURE = re.compile(r"\b(?:" + "|".join(map(re.escape, words.MEASURE_NOUNS)) + r")\b")


def _noun_then_done(lowered: str) -> bool:
    """"Plan agreed with Developer Relations", "Strategy approved by the board": the first word is a noun (the
    thing), and the participle after it says when it is done."""
    second = lowered.split(" ", 2)[1:2]
    return bool(second) and second[0] in words.DONE_PARTICIPLES


def _capability(lowered: str) -> bool:
    """"Members can make a profile and publish content", "Docs explain Business Knowledge": a capability someone can
    try out at the end of the quarter, as checkable as a feature shipped (but "engineers can understand …" is not).
    A list of several such clauses is several results, not one capability."""
    clauses = [part.split()[0] for part in re.split(r",\s*(?:and\s+)?", PARENS.sub(" ", lowered))[1:] if part.split()]
    if sum(word.endswith("s") and len(word) > 3 for word in clauses) > 1:  # ", answers …, hands off …, and …"
        return False
    match = re.match(r"^(?:\S+\s+){0,3}?(?:can|(?:is|are) able to)\s+(\w+)", lowered)
    if match:
        return match.group(1) not in words.KNOWING_VERBS
    return _DOING.match(lowered) is not None or _EACH_MEETS.match(lowered) is not None or _each_does(lowered)


def _each_does(lowered: str) -> bool:
    """"Every new hire completes onboarding", "All services pass the security review": each of them does a thing
    that is done or not, a count of all of them."""
    match = re.match(r"^(?:all|every|each)\s+(?:[\w-]+\s+){1,3}?([a-z]+)\s+\w", lowered)
    if not match:
        return False
    word = match.group(1)
    return any(form in _DONE_VERBS for form in (word, word[:-1], word[:-2])) and word not in words.THINKING_VERBS


_DONE_VERBS = frozenset(v for v in words.FIRM_DELIVERY_VERBS if " " not in v) - {"have", "meet"}


# The subject (one to seven words, none a verb of its own) and a verb of doing: "AI reply suggestions in the Support
# product use the knowledge base", "support email no longer depends on the Mailgun path".
_DOING = re.compile(r"^(?:[\w'/-]+\s+){1,7}?(?:no longer\s+)?(?:" + "|".join(words.DOING_VERBS) + r")\s+\w")
# "All pages meet WCAG 2.1 AA": a bar each of them meets or not (but "the team meets weekly" is an activity).
_EACH_MEETS = re.compile(r"^(?:all|every|each)\s+(?:[\w-]+\s+){1,3}?meets?\s+(?!(?:weekly|monthly|daily|"
                         r"regularly|every|each|with|up|once|twice|at|in|on)\b)\w")
_DIRECTION = re.compile(r"\b(?:" + "|".join(words.DIRECTION_WORDS) + r")\b")
# "Teams are jealous …", "users feel confident …": a feeling, not a deliverable (whatever participle follows).
_FEELING = re.compile(r"\b(?:is|are|feel|feels|be|become|becomes)\s+(?:\w+\s+)?(?:" +
                      "|".join(map(re.escape, words.FEELING_WORDS)) + r")\b")
# A short line that names a thing to make: "Sync bots prototype (able to sync offline)", "Public roadmap".
_NAMED_THING = re.compile(r"^(?:[\w.'/-]+\s+){0,3}(?:prototype|dashboard|playbook|template|roadmap|handbook|website|"
                         r"newsletter|podcast|toolkit|plugin|sdk)s?$")
_NONE_LEFT = re.compile(r"^(?:eliminate|get rid of|eradicate)\s+(?:all\s+(?:[\w-]+\s+){0,4}?[a-z]{3,}s\b|"
                        r"(?:every|each)\s+\w)")  # things one can count, not "all friction"
# "Pass the annual accessibility audit": a test or an audit is passed or not ("pass rate" is a measure).
_PASS_A_TEST = re.compile(r"^pass(?:es)?\s+(?:the|a|an|our|all|its|their)\s+\w")
# "First committed member", "First codebase in incubation": the first one of a thing happens or it does not.
_FIRST = re.compile(r"^first\s+(?!(?:of|steps?|time)\b)[a-z]")
# "Beta release of …", "Migration of …": up to two words before the noun ("stable", "first public").
_DELIVERY_NOUN = re.compile(r"^(?:[\w.-]+\s+){0,2}?(?:" + "|".join(map(re.escape, words.DELIVERY_NOUNS)) +
                            r")\s+(?:of|for)\s+\w")
_JUDGEMENT = re.compile(r"\b(?:" + "|".join(map(re.escape, words.JUDGEMENT_WORDS)) + r")\b")
_NO_LONGER_DOING = re.compile(r"\bno longer\s+(?=(?:" + "|".join(words.DOING_VERBS) + r")\b)")


def judged(lowered: str) -> bool:
    """Whether the line leans on a word nobody can check ("better", "seamless"). "No longer" is one ("is no longer a
    bottleneck"), except before a verb of doing: "no longer depends on Mailgun" is a dependency removed."""
    return bool(_JUDGEMENT.search(_NO_LONGER_DOING.sub("", lowered)))


VERB_WORDS = tuple(words.UP_VERBS + words.DOWN_VERBS + words.DELIVERY_VERBS + words.THINKING_VERBS + VAGUE_VERBS +
                   ("reach", "hit", "achieve", "get", "bring", "keep", "stay", "hold", "maintain", "less", "fewer"))
