"""Achievable: is the step believable in one quarter? The lead confirms it after discussion with the team; the numbers
can still fail it (a jump of 10× or more against the baseline, or a cut to a tenth or less, unless confirmed) or warn
(3× or more, or a swing of more than 50 percentage points); past quarters' scores are a hint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from okrdash.smart.text import show
from okrdash.smart.verdicts import (
    ABSURD_RATIO,
    AMBITIOUS_POINTS,
    AMBITIOUS_RATIO,
    FAIL,
    KIND_LABELS,
    LOW_PAST_SCORE,
    NUMERIC_KINDS,
    PASS,
    WARN,
    Context,
    Findings,
    Verdict,
    close,
    field_number,
    field_text,
)


def _ratio(kind: str, baseline: float, target: float) -> float | None:
    """How many times bigger the step is (≥ 1), when a ratio means something (both sides positive)."""
    if kind == "increase_to" and baseline > 0 and target > 0:
        return target / baseline
    if kind == "decrease_to" and baseline > 0 and target > 0:
        return baseline / target
    return None


def achievable(kr: Mapping[str, Any], context: Context | None = None) -> Verdict:
    found = Findings("A")
    kind = kr.get("kind") or "increase_to"
    confirmed = bool(kr.get("achievable_confirmed"))
    baseline, target, unit = field_number(kr, "baseline"), field_number(kr, "target"), field_text(kr, "unit")
    passed = "Confirmed by the lead after discussion with the team."
    ambitious = False
    if kind in NUMERIC_KINDS:
        if baseline is None or target is None:
            found.add(WARN, "Cannot judge the step until baseline and target are set (see Measurable).",
                      "Fill in baseline and target.")
        else:
            step = f"{show(baseline, unit)} → {show(target, unit)}"
            if kind in ("increase_to", "decrease_to"):
                up = kind == "increase_to"
                if close(baseline, target):
                    found.add(FAIL, f"The target equals the baseline ({step}): nothing changes.",
                              "Set the value you want to reach, or choose “stay above” / “stay below” if holding "
                              "the line is the result.")
                elif (target < baseline) if up else (target > baseline):
                    other = "decrease to" if up else "increase to"
                    found.add(FAIL, f"The kind is “{KIND_LABELS[kind].lower()}” but the target goes the other way "
                                    f"({step}).",
                              f"Choose “{other}”, or swap baseline and target.")
                else:
                    ratio = _ratio(kind, baseline, target)
                    points = abs(target - baseline) if unit == "%" else 0.0
                    if ratio is not None and ratio >= ABSURD_RATIO:
                        size = f"is {ratio:.0f}× the baseline" if up else f"cuts the baseline {ratio:.0f}-fold"
                        if confirmed:
                            found.add(WARN, f"{step} {size}; you confirmed it after discussion, but teams rarely "
                                            "make such a jump in one quarter.",
                                      "Keep it as a declared stretch, or aim for a step of 2–3×.")
                        else:
                            found.add(FAIL, f"{step} {size} in one quarter: not believable as it stands.",
                                      "Aim for a smaller step (2–3× is already ambitious), or discuss it with the "
                                      "team and tick “discussed and achievable” if you have a plan that makes it "
                                      "realistic.")
                    elif (ratio is not None and ratio >= AMBITIOUS_RATIO) or points > AMBITIOUS_POINTS:
                        ambitious = True
                        size = f"{ratio:.1f}×" if ratio is not None and ratio >= AMBITIOUS_RATIO else \
                            f"{points:.0f} percentage points"
                        found.add(WARN, f"{step} is an ambitious step ({size}).",
                                  "Check with the team that the plan can make it; a stretch is fine if declared.")
                    if not up and close(target, 0) and baseline > 0:
                        found.add(WARN, f"Reaching exactly zero ({step}) is rarely achieved in a quarter.",
                                  "Consider a small non-zero target, or a “stay below” guardrail.")
                    passed = f"A real step ({step}); confirmed by the lead after discussion."
            else:
                above = kind == "stay_above"
                if (baseline < target) if above else (baseline > target):
                    side = "below the floor" if above else "above the ceiling"
                    found.add(WARN, f"Today's value {show(baseline, unit)} is already {side} "
                                    f"{show(target, unit)}: holding the line first means moving it.",
                              f"Choose “{'increase to' if above else 'decrease to'}” with target "
                              f"{show(target, unit)}, or set the line where the team holds it today.")
                passed = f"Hold the line at {show(target, unit)} (today {show(baseline, unit)}); confirmed by the lead."
            if unit == "%" and (target > 100 or target < 0) and not found.items:
                found.add(WARN, f"A target of {show(target, unit)} is outside 0–100%.",
                          "If this is a share, it cannot pass 100%; otherwise check the unit.")
    if not confirmed:
        found.add(FAIL, "Not yet confirmed: only the team can say whether this is achievable.",
                  "Discuss it with the team, then tick “Discussed with the team and achievable”.")
    past = context.past_scores if context else ()
    record = ", ".join(f"{quarter} {score:.2f}" for quarter, score in past)
    if past and ambitious and sum(score for _, score in past) / len(past) < LOW_PAST_SCORE:
        found.add(WARN, f"The team's recent scores ({record}) are low and this step is ambitious.",
                  "Consider a target the team's record supports, or cut scope elsewhere.")
    verdict = found.verdict(passed)
    if not past:
        return verdict
    hint = f"Past quarters' scores, as a hint: {record}."
    if verdict.level == PASS:
        return Verdict(verdict.letter, verdict.name, PASS, f"{verdict.reason} {hint}")
    return Verdict(verdict.letter, verdict.name, verdict.level, verdict.reason, verdict.fix, (*verdict.notes, hint))


