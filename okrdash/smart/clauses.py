"""How many results one line of key-result text holds: "A and B" is two results when B has a subject and verb of
its own; a second condition of the same done, a step that points back at the first, or a follow-up that only says
how the result is reported is one (okrdash/smart/reading.py reads the rest of the line)."""

from __future__ import annotations

import re

from okrdash.smart import words
from okrdash.smart.numbers import numbers
from okrdash.smart.text import imperative

_STARTS: dict[tuple[str, ...], re.Pattern] = {}
PARENS = re.compile(r"\([^)]*\)")
# "10 active DAOs [DAOs that have had $10k AUM and have executed …] have been built": a definition in brackets says
# what is counted; it is no result of its own ("[ASPIRATIONAL]" and "[167 → 500]" are shorter).
ASIDE = re.compile(r"\[[^\]]{25,}\]")
WHY = r"so that|so we|so it|so (?:users|people|customers|teams|everyone) can|in order to|because|to support|to help"
PURPOSE = re.compile(r"\s(?:" + WHY + r"|as part of|as an indicator|averaged across|measured by|meeting the condition|"
                     r"whilst|while|which|to gather|that includes?)\b", re.IGNORECASE)
DONE = re.compile(r"\b(?:" + "|".join(map(re.escape, words.DONE_PARTICIPLES)) + r")\b")
_CLAUSE = frozenset(words.CLAUSE_VERBS)


def starting_verb(sentence: str, verbs: tuple[str, ...]) -> str | None:
    """The verb of `verbs` the sentence starts with, if any."""
    pattern = _STARTS.get(verbs)
    if pattern is None:
        pattern = _STARTS[verbs] = re.compile(
            r"(?:" + "|".join(map(re.escape, sorted(verbs, key=len, reverse=True))) + r")(?= |$)")
    match = pattern.match(sentence)
    return match.group(0) if match else None


def lower_line(line: str) -> str:
    lowered = line.lower().lstrip("\"'“‘(")
    return imperative(re.sub(r"^(?:we(?:'ll| will| have| can)?|to|have|has|be)\s+(?=\w)", "", lowered))


def _verb_at(text: str, verbs: frozenset[str]) -> bool:
    token = text.split(" ", 1)[0]
    return token in verbs or (token.endswith("ed") and (token[:-2] in verbs or token[:-1] in verbs or
                                                        token[:-3] + "y" in verbs))


def _has_verb(text: str) -> bool:
    """Whether the last sentence of `text` has a verb (so "… and <clause>" after it is a second result)."""
    tokens = lower_line(re.split(r"\.\s+", text)[-1]).split()
    return bool(tokens) and (_verb_at(tokens[0], _CLAUSE) or any(
        w in words.FINITE or w in ("have", "has", "can") or (w.endswith("ed") and _verb_at(w, _CLAUSE))
        for w in tokens[1:12]))


_AUXILIARY = re.compile(r"\b(?:is|are|was|were|be|been|being)\b")
_OWN_SUBJECT = re.compile(r"^(?:we|they|he|she|everyone|anyone|nobody|people)\s+\w+")
_BACK_REFERENCE = re.compile(r"\b(?:this|that|these|those|the new|the same)\s+([a-z][\w-]*)")
QUOTED = re.compile(r"[\"“][^\"“”]{1,200}[\"”]")
UNIVERSAL = re.compile(r"^(?:all|every|each|no|none of)\b")  # "All roles are contested": a count in disguise
_LEADING_COUNT = re.compile(r"^(?:at least\s+|over\s+|about\s+|~|[≥≤><]=?\s*)?[$€£]?\d")  # "at least 30 …", "≥ 20% …"
_COMPARATOR_FIRST = re.compile(r"^[≥≤><]")  # "≥ 20% of …", not "20% of …"
_OWN_DONE = re.compile(r"^(?:the |a |an |our )?(?!(?:is|are|was|were|be|been|has|have)\b)[\w-]+(?: [\w-]+){0,2} (?:"
                       + "|".join(map(re.escape, words.DONE_PARTICIPLES)) + r")\b")
_MEASURE_WORD = (r"(?:number|count|quality|size|frequency|rate|retention|activity|engagement|diversity|usage|reach|"
                 r"satisfaction)(?:\s+levels?)?")
TWO_MEASURES = re.compile(r"^((?:the\s+)?(?:[\w-]+\s+)?" + _MEASURE_WORD + r")\s+and\s+(" + _MEASURE_WORD +
                           r")\s+(?=of\b)", re.IGNORECASE)
# "… acknowledged within 4 work days and full response within 30 days": a second thing with a time of its own.
_WITHIN = re.compile(r"\bwithin\s+\d", re.IGNORECASE)
_OWN_WITHIN = re.compile(r"^(?:[\w/-]+\s+){1,4}(?:within|in under|in less than)\s+\d")
# "Percent of cases received, investigated and resolved within 60 days": what one measure counts, however long.
MEASURE_FIRST = re.compile(r"^(?:the\s+)?(?:(?:average|mean|median|total|overall)\s+)?(?:numbers?|percentage|percent|"
                           r"share|proportion|ratio|count|rate|frequency|growth)\s+of\b")
# "Write, review and publish 6 case studies": verbs in a row that share the one object after the last of them.
_VERBS_IN_A_ROW = set(words.CLAUSE_VERBS) | {"design", "map", "approve", "process", "receive", "answer"}
_A_VERB = r"(?:" + "|".join(sorted(_VERBS_IN_A_ROW, key=len, reverse=True)) + r")"
# "The department aims to approve and issue permits …", "… who identify and complete …": a verb with its object
# still to come shares the object of the verb after "and".
_VERB_LAST = re.compile(r"\b(?:to|who|that|will|can)\s+" + _A_VERB + r"$")
_ONLY_VERBS = re.compile(_A_VERB + r"(?:\s*[,/]\s*" + _A_VERB + r")+,?")
_ENDS_A_LIST = re.compile(r"(?:,\s*[\w'/-]+(?:\s+[\w'/-]+)?){2}$")  # "…, critiques, planning" before "and"
_OBJECT_NEXT = re.compile(r"^\S+\s+(?:the|a|an|our|all|each|every|their|its|new|more|\d)")  # "and launch the site"
_PREDICATES = ("is", "are", "has", "have", "was", "were")
CLAUSE_WINDOW = 10  # words after "and" in which a finite verb makes the words before it a subject of its own
# "Increase test coverage for dds_web to 100% and dds_cli to 70%": a second thing with a target of its own.
_TARGET = re.compile(r"\bto\s+[$€£~]?\d")
_SECOND_TARGET = re.compile(r",\s+(?:with|achieving|reaching|resulting in)\s+|\s+along with\s+|"
                            r",?\s+with an average of\s+(?=\d)|"
                            # "Run 2 surveys, >80% satisfaction": a second floor to reach
                            r"(?:,|\s+with)\s+(?=(?:>|≥|>=)\s*\d)", re.IGNORECASE)
# "…, with unsubscribe rate consistently under 0.5%": a second measure with a bound of its own is a second result
# (both readers), where "…, with 100% test coverage" is a condition of the same done.
_OWN_BOUND = re.compile(r"^(?:an?\s+|the\s+|its\s+|our\s+)?(?!(?:at|no|less|more|fewer|under|over)\b)[a-z][\w-]*"
                        r"(?:\s+[\w-]+){0,4}?\s+(?:<|>|≤|≥|under|below|above|less than|more than|fewer than|at least|"
                        r"at most|no more than)\s*[$€£]?\d", re.IGNORECASE)
# "Total views: 200k; total engagement: 40k": a measure named before its own number, after another.
_LABELLED_COUNT = re.compile(r"[a-z][\w .'/-]{0,40}:\s*(?:[<>≤≥~]=?\s*)?[$€£]?\d", re.IGNORECASE)
_OWN_TARGET = re.compile(r"^(?!the end\b|end\b)[\w.'/-]+(?:\s+[\w.'/-]+){0,4}?\s+to\s+[$€£~]?\d")


def _participle(word: str) -> bool:
    return word in words.DONE_PARTICIPLES or (word.endswith("ed") and len(word) > 4)


def checkable(part: str) -> bool:
    """Whether one part of a line can be checked at the end of the quarter: it states a number, a universal ("all
    roles are contested", "each member has contributed": a count of all of them), a done participle or a
    delivery ("start …", "hold the first meeting")."""
    lowered = lower_line(part.strip(" .,;"))
    return bool(numbers(part)) or bool(UNIVERSAL.match(lowered)) or DONE.search(lowered) is not None or \
        starting_verb(lowered, words.FIRM_DELIVERY_VERBS) is not None


def _shares_the_subject(prev: str, part: str) -> bool:
    """Whether `part` continues `prev`'s subject rather than starting a result of its own: a second participle after
    an auxiliary ("… is in the handbook and agreed with the leads", "has been scheduled and delivered") states a
    second condition of the same done, and a clause that points back at the first one's thing ("Add a new schema
    … and migrate some instances to the new schema", "make a profile and publish under this profile") is a step
    of the same result."""
    if _OWN_SUBJECT.match(part):
        return False
    first = part.split(" ", 1)[0]
    if _participle(first) and _AUXILIARY.search(prev.lower()):
        # "… is completed with 3 communities and advanced with another 7": each done has a count of its own
        return not (numbers(prev) and numbers(part))
    noun = _BACK_REFERENCE.search(part)
    return bool(noun) and re.search(rf"\b{re.escape(noun.group(1).rstrip('s'))}", prev.lower()) is not None


def split_results(line: str) -> tuple[tuple[str, ...], bool]:
    """(the results a line holds, shared subject): "A and <a second clause>" is two results; "30 Reps, and 100
    members are …" is one measure split over two groups; "Add and retain 5 members", "… and report that …", a
    second condition of the same done and a second sentence that only gives the timeline are one."""
    head = re.sub(PURPOSE.pattern + r"[^.,;]*", " ", " " + PARENS.sub(" ", ASIDE.sub(" ", line)),
                  flags=re.IGNORECASE).strip()
    # "Raise $10,000 in fundraising; identify 1-3 potential donors", "Solve … as well as reflect … in the UI": a
    # semicolon or "as well as" joins as "and" does (a second clause is still a second result, a second noun not),
    # and inside a quoted name it joins nothing, as "and" does not.
    head = re.sub(r"\s*;\s+|\s+as well as\s+", " and ", head, flags=re.IGNORECASE)
    # A quoted name is one thing, whatever it lists ("“Gap analysis, modeling and iterative strategy …”").
    head = QUOTED.sub(lambda quoted: re.sub(r"\s+and\s+", " & ", quoted.group(0), flags=re.IGNORECASE), head)
    # "12 demos + 12 tutorials", "300+ members\\400+ followers", "At least 1 … *At least 1 …": a plus, a backslash or
    # an asterisk between two counts joins them as "and" would.
    head = re.sub(r",\s+(?=" + _LABELLED_COUNT.pattern + ")", " and ", head, flags=re.IGNORECASE)
    head = re.sub(r"\s+\+\s+(?=(?:[≥≤><]=?\s*)?\d)|"
                  r"(?:\s*\\\s*|(?<=[a-z)])\s+\*\s*)(?=(?:at least\s+)?\d)", " and ", head, flags=re.IGNORECASE)
    # "8 meetups attended, with 10 business cards gathered per meetup", "… shipped, achieving 30% pen rate": a
    # second target joined by a connective rather than "and" is a second result too; but "… coded and tested,
    # with 100% test coverage" is a condition of the same done (after "with", only a thing done of its own counts).
    second, tail = _SECOND_TARGET.search(head), None
    if second and checkable(head[:second.start()]) and numbers(after := head[second.end():]) and (
            second.group(0).strip(", ").lower() != "with" or any(map(_participle, after.lower().split())) or
            re.match(r"(?:>|≥)", after) or _OWN_BOUND.match(after)):
        head, tail = head[:second.start()], after
    if (pair := TWO_MEASURES.match(head)) is not None:  # "Number and quality of transactions": two measures
        return (pair.group(1) + " " + head[pair.end():], pair.group(2) + " " + head[pair.end():]), False
    parts = [p for p in re.split(r"(,?\s+and\s+(?!/)|\.\s+(?=[A-Z0-9]))", head) if p]
    results, shared = [parts[0]] if parts else [], False
    for index in range(2, len(parts), 2):
        sentence = parts[index - 1].strip().startswith(".")
        prev, part = results[-1], parts[index]
        rest = lower_line(part)
        # "Collaborate on and deliver a list of tests", "Build out and run the survey": a verb left hanging on its
        # preposition or particle shares the object.
        # "… of scrums, critiques, planning and review sessions": "and" ends a list of things, not a clause.
        if not rest or len(prev.split()) <= 1 or len(rest.split()) <= 1 or starting_verb(rest, words.FOLLOW_UP_VERBS) \
                or _ONLY_VERBS.fullmatch(prev.strip().lower()) or _VERB_LAST.search(prev.strip().lower()) \
                or (MEASURE_FIRST.match(results[0].lower()) and not numbers(prev) and not MEASURE_FIRST.match(rest)) \
                or re.search(r"\b(?:on|to|for|with|in|at|about|from)$", prev.strip().lower()) \
                or re.fullmatch(r"\w+ (?:out|up|off)", prev.strip().lower()) \
                or (not sentence and _ENDS_A_LIST.search(prev) and not _OBJECT_NEXT.match(rest)) \
                or re.match(r"^\d+\s+(?:\w+\s+)?(?:by|in|before)\s+(?:the\s+)?(?:end|q[1-4])", rest) \
                or (not sentence and _shares_the_subject(prev, part.lower())):
            results[-1] += " and " + part
            continue
        if (not sentence and _TARGET.search(prev.lower()) and _OWN_TARGET.match(rest)) or (
                _WITHIN.search(prev) and _OWN_WITHIN.match(rest)) or (
                numbers(prev) and _LABELLED_COUNT.match(part)):
            results.append(part)
            continue
        # "Barn cleared and kitchen installed": a second thing with its own done, after a first one done.
        if not sentence and _OWN_DONE.match(rest) and DONE.search(prev.lower()):
            results.append(part)
            continue
        # "… is completed with 3 communities and advanced with another 7": a second done with a count of its own.
        if not sentence and _participle(rest.split(" ", 1)[0]) and numbers(part) and numbers(prev) and \
                not _participle(prev.split()[-1].lower()):  # "have submitted and merged 2 pull requests": one
            results.append(part)
            continue
        if numbers(part[:12]) and _LEADING_COUNT.match(rest):
            if sentence:
                results[-1] += ". " + part
            elif len(prev.split()) <= 4 and _has_verb(part) \
                    and _LEADING_COUNT.match(lower_line(prev)):
                # Two counts that share one verb ("30 Reps, and 100 members are involved") are one measure split
                # over two groups; two counts with no verb ("20 uploads and 100 downloads") are two measures.
                shared = True
                results[-1] += " and " + part
            elif _COMPARATOR_FIRST.match(rest) and not numbers(prev):
                # "Published roadmaps for the remaining products and ≥5 others": the objects of one verb; but
                # "≥ 66% of reviews, and ≥ 20% of plannings" are two targets.
                results[-1] += " and " + part
            else:
                results.append(part)
            continue
        if _verb_at(rest, _CLAUSE) and not re.match(r"^\w+ (?:of|for|and|in|on)\b", rest):
            if re.match(r"^\w+ (?:them|it)\b", rest) and re.search(r"\d", line):
                results[-1] += " and " + part
            else:
                results.append(part)
            continue
        # "… has recruited 10 reviewers and is delivering solid ROI", "We've discovered incentives that work and
        # have a new growth channel": a second predicate of the same subject, with its own object, is a second
        # result ("… is written and is published", "… are live and have each been used" are one done).
        verb, *after = part.lower().split(maxsplit=1)
        if not sentence and verb in _PREDICATES and after and not _participle(after[0].split()[0]) and \
                not re.match(r"(?:\w+\s+)?been\b", after[0]) and \
                re.search(r"\b(?:is|are|has|have|had|was|were|can|will)\b|'ve\b|'re\b", prev.lower()):
            results.append(part)
            continue
        tokens = rest.split()
        # A clause with a subject and a finite verb of its own ("…, and at least one professional operation is
        # taking part", "… and we have a list …") is a second result.
        own_clause = (len(tokens) >= 3 and any(w in words.FINITE for w in tokens[1:CLAUSE_WINDOW])) or \
            bool(_OWN_SUBJECT.match(part.lower()))
        if own_clause and _has_verb(prev):
            results.append(part)
            continue
        results[-1] += " and " + part
    return (*results, *([tail] if tail else [])), shared
