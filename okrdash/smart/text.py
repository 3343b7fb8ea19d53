"""Words and numbers in key-result text: vague verbs, broad metrics, “from A to B” in a title. Pure helpers of
okrdash.smart, split out so each file stays readable."""

from __future__ import annotations

import re

from okrdash import fmt
from okrdash.smart import words

# Verbs that say "we will work on it" without saying what changes. A title that is only one of these plus a topic
# ("Improve onboarding") names no result.
VAGUE_VERBS = (
    "improve", "optimize", "optimise", "enhance", "better", "boost", "strengthen", "streamline", "work on",
    "focus on", "look into", "explore", "investigate", "support", "help", "try", "continue", "leverage",
    "facilitate", "ensure", "maximize", "maximise", "revamp", "rethink", "refine", "evaluate", "identify",
    "create a foundation", "make better", "make it easier", "drive",
    "align", "attract", "elevate", "encourage", "foster", "keep", "maintain", "make headway", "make progress",
    "mature", "proactively", "promote", "scale up", "stabilize", "stabilise",
    # More of something nobody counts: "Give greater transparency to our partnerships", "Provide better visibility".
    "give greater", "give more", "give better", "provide greater", "provide better", "bring greater", "bring more",
    # Moving towards something, or tending it, with no end named: "Take steps toward feature parity with …",
    # "Cultivate relationships with other communities".
    "take steps", "work toward", "work towards", "move toward", "move towards", "cultivate", "nurture",
)
# Metrics too broad to count without another word: "engagement" — of whom, counted how?
VAGUE_METRICS = {
    "quality", "performance", "experience", "ux", "engagement", "satisfaction", "stability", "efficiency",
    "productivity", "awareness", "culture", "process", "communication", "collaboration", "growth", "adoption",
    "usage", "success", "health", "reliability", "speed", "value", "impact",
}
# Verbs that state a movement; two of them in one title usually mean two results in one KR.
DIRECTION_VERBS = (
    "increase", "raise", "grow", "double", "triple", "reduce", "cut", "decrease", "lower", "halve", "shrink",
    "improve", "ship", "launch", "keep", "maintain", "hold",
)
_NUMBER = r"(-?\d[\d,]*(?:\.\d+)?)\s*([kKmM](?![a-zA-Z]))?"
_FROM_TO = re.compile(r"\bfrom\s+[^\d-]{0,3}" + _NUMBER + r".{0,20}?\bto\s+[^\d-]{0,3}" + _NUMBER, re.IGNORECASE)


def show(value: float | None, unit: str = "") -> str:
    """12 -> '12', 0.5 -> '0.5', with the unit glued for %: fmt.number with four decimals (SMART reasons quote
    small rates exactly)."""
    return fmt.number(value, unit, decimals=4)


def exact(value: float | None) -> str:
    """A number for an input field, at full precision so it reads back as the same float: 12000 -> '12,000',
    0.123456 -> '0.123456', 0.1 + 0.2 -> '0.30000000000000004' (`show` rounds to 4 decimals for reading)."""
    if value is None:
        return ""
    text = format(float(value), ",")
    return text[:-2] if text.endswith(".0") else text


# The same words used as nouns start many good titles ("Help desk: launch the new ticket portal").
NOUN_USES = (
    "help desk", "helpdesk", "help center", "help centre", "help article", "support team", "support ticket",
    "support queue", "support case", "support agent", "support engineer", "support inbox", "support chat",
    "support portal", "support hours",
)
# Words that carry no topic of their own, left out when judging whether a vague title names anything.
_FILLER = {"a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "with", "our", "its", "their", "by", "at",
           "from", "into", "this", "that", "all", "it", "we", "us"}
ONLY_VAGUE_WORDS = 3  # a vague verb and at most this many topic words ("Improve onboarding flow") name no result
_LABEL = re.compile(r"^([^:]{1,40}):\s+")
# A label with a tag in brackets is a label whatever its first word ("Support documentation [COMMITTED]: …",
# "Test coverage [ASPIRATIONAL]: …": committed and aspirational key results, as Google's OKR guide sorts them).
_TAGGED_LABEL = re.compile(r"^[^:\d\[\]]{1,40}\[[A-Za-z][A-Za-z -]{1,20}\]:\s+(?=\S)")


def without_tagged_label(line: str) -> str:
    """The line without a leading label that ends in a bracketed tag (at most five words with the tag)."""
    tagged = _TAGGED_LABEL.match(line)
    return line[tagged.end():] if tagged and len(line[:tagged.end()].split()) <= 5 else line


def _gerund(verb: str) -> str:
    if verb in ("cut", "drop"):
        return verb + verb[-1] + "ing"
    return (verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb) + "ing"


# "growing the number of contributors", "improving community experience": a list of key results under a heading
# often starts each with a gerund, which says what the imperative says.
_GERUNDS = {_gerund(verb): verb for verb in words.UP_VERBS + words.DOWN_VERBS + (
    "enhance", "optimize", "optimise", "strengthen", "streamline", "foster", "encourage", "promote", "stabilize",
    "stabilise") if " " not in verb and not verb.endswith(("ed", "s", "wn", "ew", "ell", "ing"))}
_LEADING_GERUND = re.compile(r"^(" + "|".join(sorted(_GERUNDS, key=len, reverse=True)) + r")\b")


def imperative(lowered: str) -> str:
    """The lower-case line with a leading gerund of a verb of change in the imperative ("growing …" -> "grow …")."""
    match = _LEADING_GERUND.match(lowered)
    return _GERUNDS[match.group(1)] + lowered[match.end():] if match else lowered


def _sentence(title: str) -> str:
    """The title in lower case without a bullet or a leading label ("Legal: …", "Help desk: …"), a leading gerund of
    change in the imperative."""
    lowered = " ".join(title.lower().lstrip("•-* ").split())
    untagged = without_tagged_label(lowered)
    if untagged != lowered:
        return imperative(untagged)
    label = _LABEL.match(lowered)
    if label and len(label.group(1).split()) <= 4 and not _verb(label.group(1)):
        return imperative(lowered[label.end():])
    return imperative(lowered)


# A product that supports something has a feature: "Support drawing CFGs of functions", "Support for signed
# artifacts" (but "Support the community" is vague).
FEATURE_SUPPORT = re.compile(r"^support (?:for \w|(?!(?:the|our|a|an)\b)\w+ing\b)")


# "Ensure every new hire completes onboarding within 30 days": a count of all of them, not a vague aim.
ENSURE_ALL = re.compile(r"^(?:ensure|make sure)\s+(?:that\s+)?(?=(?:all|every|each|100%)\s)")


def _verb(text: str) -> str | None:
    if text.startswith(NOUN_USES) or FEATURE_SUPPORT.match(text) or ENSURE_ALL.match(text):
        return None
    return next((v for v in VAGUE_VERBS if text == v or text.startswith(v + " ")), None)


def vague_start(title: str) -> str | None:
    """The vague verb a title starts with ('improve' in 'Improve onboarding'), else None. A leading label and the
    noun uses of these words ('Help desk: …', 'Support tickets …') are not vague verbs."""
    return _verb(_sentence(title))


def only_vague(title: str) -> bool:
    """Whether the title is a vague verb plus a short topic that names no deliverable or number: 'Improve
    onboarding', 'Identify success factors' (but not 'Support SAML SSO on the Business plan')."""
    sentence = _sentence(title)
    verb = _verb(sentence)
    if verb is None:
        return False
    topic = sentence[len(verb):]
    if has_number(topic):
        return False
    return len([w for w in re.findall(r"[\w+&'/-]+", topic) if w not in _FILLER]) <= ONLY_VAGUE_WORDS


def has_number(text: str) -> bool:
    return bool(re.search(r"\d", text))


def title_numbers(title: str) -> tuple[float, float] | None:
    """The 'from A to B' numbers a title states ('Cut churn from 3.4% to 2%' -> (3.4, 2.0)), else None."""
    match = _FROM_TO.search(title)
    if not match:
        return None

    def value(digits: str, suffix: str | None) -> float:
        scale = {"k": 1e3, "m": 1e6}.get((suffix or "").lower(), 1.0)
        return float(digits.replace(",", "")) * scale

    return value(match.group(1), match.group(2)), value(match.group(3), match.group(4))
