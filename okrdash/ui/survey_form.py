"""The pieces of the member's survey form (pages/survey.py): idea cards, add/edit forms, carry-over, submit.

Every form writes one change to the draft in the database through `okrdash.survey_answers` (so a reload loses
nothing), keeps what was typed when the library refuses it, and empties itself after a successful save.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import auth, fmt, smart, surveys, validate
from okrdash import survey_answers as answers
from okrdash.errors import ValidationError
from okrdash.ui.widgets import act, cached

TOAST_KEY = "survey_toast"


def show_toast() -> None:
    """The confirmation of the last change, as a toast: visible wherever the person has scrolled to."""
    message = st.session_state.pop(TOAST_KEY, None)
    if message:
        st.toast(message, icon=":material/check_circle:")


def _save(fn, *args: Any, done: str, clear: tuple | list = (), **kwargs: Any) -> None:
    """One change to the draft: on success confirm with a toast and rerun; on refusal show why, keep the typing."""
    ok, _ = act(fn, *args, clear=clear, **kwargs)
    if ok:
        st.session_state[TOAST_KEY] = done
        st.rerun()


def _quoted(text: object) -> str:
    """Typed text in a confirmation, on one line: each confirmation names its item, so two in a row differ (the
    toast of a second identical message is not shown while the first is)."""
    return f"“{fmt.plain(' '.join(str(text or '').split()))}”"


def _k(survey_id: int, name: str) -> str:
    return f"survey_{survey_id}_{name}"


def _undo_key(survey_id: int) -> str:
    return _k(survey_id, "removed")


def anonymity_notice(found: dict[str, Any]) -> None:
    """Say plainly what the survey does with the person's name."""
    if found["anonymous"]:
        st.info(
            "**This survey is anonymous.** While you write, your draft is saved under your name so nothing is lost "
            "if you close the tab; only you can see it. When you submit, the draft is deleted and your answer and "
            "ideas are stored with no link to you (dates are kept to the day only). Because nothing connects the "
            "answer to you any more, **you cannot edit or withdraw it after submitting**. "
            f"{fmt.plain(found['lead_name'] or 'The lead')} sees *that* you answered, never *what* you wrote.",
            icon=":material/visibility_off:",
        )
    else:
        st.info(
            "**This survey is named.** Your name goes with your ideas: the team sees who suggested what in the "
            "workshop. You can change your answer and resubmit until the deadline.",
            icon=":material/badge:",
        )


def undo_bar(actor: auth.Actor, survey_id: int, section: str) -> None:
    """'Removed “…”. Undo', in the section the item was removed from (so it is where the person is looking)."""
    removed = st.session_state.get(_undo_key(survey_id))
    if not removed or {"key_results": "objectives"}.get(removed["section"], removed["section"]) != section:
        return
    note, undo = st.columns([5, 1], vertical_alignment="center")
    note.info(f"Removed “{fmt.plain(removed['item']['title'])}” from your draft.", icon=":material/delete:")
    if undo.button("Undo", key=_k(survey_id, "undo"), icon=":material/undo:"):
        st.session_state.pop(_undo_key(survey_id), None)
        _save(answers.restore_item, actor, survey_id, removed,
              done=f"{_quoted(removed['item']['title'])} is back in your draft.")


def _remove_button(actor: auth.Actor, survey_id: int, key: str, where=st, what: str = "this item") -> None:
    if where.button("Remove", key=_k(survey_id, f"{key}_remove"), icon=":material/delete:", type="tertiary",
                    help=f"Remove {what} from your draft (you can undo it)."):
        ok, removed = act(answers.remove_item, actor, survey_id, key)
        if ok:
            st.session_state[_undo_key(survey_id)] = removed
            st.rerun()


def _kr_text(kr: dict[str, Any]) -> str:
    parts = [f"**{fmt.plain(kr['title'])}**"]
    if kr.get("metric"):
        parts.append(f"metric: {fmt.plain(kr['metric'])}")
    baseline, target, unit = kr.get("baseline"), kr.get("target"), kr.get("unit") or ""
    if baseline is not None or target is not None:
        parts.append(f"{fmt.plain(fmt.number(baseline, unit))} → {fmt.plain(fmt.number(target, unit))}")
    else:
        parts.append("_no baseline or target yet: numbers make it measurable_")
    return " · ".join(parts)


def objective_card(actor: auth.Actor, survey_id: int, number: int, objective: dict[str, Any],
                   link_labels: dict[int, str], editable: bool) -> None:
    key = objective["key"]
    with st.container(border=True):
        head, side = st.columns([6, 1], vertical_alignment="top")
        head.markdown(f"**{number}. {fmt.plain(objective['title'])}**"
                      + (" · _carried over from last quarter_" if objective.get("carried_over_id") else ""))
        if editable:
            _remove_button(actor, survey_id, key, side, "this objective idea and its key-result ideas")
        lines = []
        if objective.get("problem"):
            lines.append(f"**Problem:** {fmt.plain(objective['problem'])}")
        if objective.get("why_now"):
            lines.append(f"**Why now:** {fmt.plain(objective['why_now'])}")
        link = objective.get("strategy_item_id")
        lines.append(f"**Serves:** {fmt.plain(link_labels[link])}" if link in link_labels else
                     "**Serves:** _not linked to the strategy yet_")
        head.markdown("  \n".join(lines))
        for kr in objective.get("key_results", []):
            text, remove = st.columns([6, 1], vertical_alignment="center")
            text.markdown(f"↳ Key-result idea: {_kr_text(kr)}")
            if editable:
                _remove_button(actor, survey_id, kr["key"], remove, "this key-result idea")
        if not objective.get("key_results"):
            st.caption("No key-result ideas yet: how would we know this worked?")
        if not editable:
            return
        left, right = st.columns(2)
        with left.expander("Add a key-result idea", icon=":material/add:"):
            _key_result_form(actor, survey_id, key)
        with right.expander("Edit this objective idea", icon=":material/edit:"):
            _objective_form(actor, survey_id, link_labels, objective)


def _objective_form(actor: auth.Actor, survey_id: int, link_labels: dict[int, str],
                    objective: dict[str, Any] | None = None, heading: str = "") -> None:
    item_key = objective["key"] if objective else None
    prefix = item_key or "new"
    keys = [_k(survey_id, f"{prefix}_{name}") for name in ("title", "problem", "why_now", "link")]
    current = objective or {}
    options = [None, *link_labels]
    link = current.get("strategy_item_id")
    with st.form(_k(survey_id, f"{prefix}_objective_form")):
        if heading:
            st.markdown(heading)
        title = st.text_input("Objective idea", value=current.get("title", ""), key=keys[0],
                              placeholder="e.g. New customers get value from Harbor on their first day")
        problem = st.text_area("The problem it solves", value=current.get("problem", ""), key=keys[1], height=90,
                               placeholder="Who struggles with what today? A number helps.")
        why_now = st.text_area("Why now", value=current.get("why_now", ""), key=keys[2], height=70,
                               placeholder="What makes next quarter the right time?")
        chosen = st.selectbox("Serves which part of the strategy", options, key=keys[3],
                              index=options.index(link) if link in options else 0,
                              format_func=lambda i: "— not linked —" if i is None else link_labels[i])
        label = "Save changes" if objective else "Add objective idea"
        if st.form_submit_button(label, type="secondary" if objective else "primary", icon=":material/save:"):
            fields = {"title": title, "problem": problem, "why_now": why_now, "strategy_item_id": chosen}
            _save(answers.save_objective, actor, survey_id, fields, key=item_key,
                done=f"{_quoted(title)} saved in your draft." if objective
                else f"Objective idea {_quoted(title)} added to your draft.",
                clear=[*keys, _undo_key(survey_id)])


def add_objective(actor: auth.Actor, survey_id: int, link_labels: dict[int, str]) -> None:
    _objective_form(actor, survey_id, link_labels, heading="**Add an objective idea**")


def _prefill_key_result(keys: list[str]) -> None:
    """One line is enough: metric, unit, baseline and target read from the idea's line into the fields still empty
    (or still holding what the previous reading put there); what the member typed wins."""
    read = smart.parse_kr_text(st.session_state.get(keys[0]) or "")
    auto = st.session_state.get(f"{keys[0]}__auto", {})
    filled = {}
    for key, name in zip(keys[1:], ("metric", "unit", "baseline", "target"), strict=True):
        current = st.session_state.get(key)
        value = "" if read.get(name) is None else (smart.exact(read[name]) if name in ("baseline", "target")
                                                  else str(read[name]))
        if name == "target" and read.get("change_pct") is not None:
            value = ""  # a relative idea ("by 20%") has no absolute target yet
        if current in (None, "") or current == auto.get(key):
            if value != (current or ""):  # a widget assigned at all takes the server's value over what is being typed
                st.session_state[key] = value
            filled[key] = value
    st.session_state[f"{keys[0]}__auto"] = filled


def _key_result_form(actor: auth.Actor, survey_id: int, objective_key: str) -> None:
    keys = [_k(survey_id, f"{objective_key}_kr_{name}") for name in ("title", "metric", "unit", "baseline", "target")]
    with st.container(border=True, key=_k(survey_id, f"{objective_key}_kr_form")):
        title = st.text_input("Key-result idea", key=keys[0], live="500ms", on_change=_prefill_key_result,
                              args=(keys,), placeholder="e.g. Cut median time from signup to first invoice from "
                                                         "52 h to 12 h",
                              help="One line is enough: metric and numbers are read from it into the fields below.")
        metric = st.text_input("Metric (what we would measure)", key=keys[1],
                               placeholder="e.g. median hours from signup to first invoice")
        unit_col, base_col, target_col = st.columns(3)
        unit = unit_col.text_input("Unit", key=keys[2], placeholder="%, h, €…")
        baseline = base_col.text_input("Baseline (today)", key=keys[3], placeholder="optional, e.g. 52")
        target = target_col.text_input("Target", key=keys[4], placeholder="optional, e.g. 12")
        if str(title or "").strip():
            check = smart.check_kr({"title": title, "metric": metric, "unit": unit,
                                    "baseline": _number(baseline), "target": _number(target)})
            st.caption(" · ".join(f"{v.letter} {WORDS[v.level]}" for v in (check["S"], check["M"]))
                       + f" — {fmt.plain(check['S'].reason if check['S'].level != 'pass' else check['M'].reason)}")
        else:
            st.caption("Numbers are optional but encouraged: a baseline and a target make the idea measurable.")
        if st.button("Add key-result idea", key=_k(survey_id, f"{objective_key}_kr_add"), icon=":material/add:"):
            fields = {"title": title, "metric": metric, "unit": unit, "baseline": baseline, "target": target}
            _save(answers.save_key_result, actor, survey_id, objective_key, fields,
                  done=f"Key-result idea {_quoted(title)} added to your draft.",
                  clear=[*keys, _undo_key(survey_id)])


WORDS = {"pass": "passes", "warn": "needs a look", "fail": "fails"}


def _number(text: object) -> float | None:
    try:
        return validate.number(text, "number")
    except ValidationError:
        return None


def carry_over_offers(actor: auth.Actor, survey_id: int, previous: str, carried: dict[int, str]) -> None:
    """Last quarter's deprioritized items of the team, each offered as an objective idea or to keep deprioritized."""
    offers = [c for c in cached(answers.carry_over_candidates, actor, survey_id) if c["id"] not in carried]
    if not offers:
        return
    with st.expander(f"Last quarter ({previous}) the team deprioritized {len(offers)} thing"
                     f"{'s' * (len(offers) != 1)}: carry any of them over?", icon=":material/history:"):
        for offer in offers:
            text, again, keep = st.columns([4, 2, 2], vertical_alignment="center")
            text.markdown(f"**{fmt.plain(offer['title'])}**"
                          + (f"  \n{fmt.plain(offer['reason'])}" if offer["reason"] else ""))
            if again.button("Propose as objective idea", key=_k(survey_id, f"carry_{offer['id']}_objective"),
                            icon=":material/north_east:"):
                _save(answers.carry_over, actor, survey_id, offer["id"], "objectives",
                    done=f"“{fmt.plain(offer['title'])}” is now one of your objective ideas: add the problem and "
                         "why now.")
            if keep.button("Keep deprioritized", key=_k(survey_id, f"carry_{offer['id']}_keep"),
                           icon=":material/block:"):
                _save(answers.carry_over, actor, survey_id, offer["id"], "deprioritize",
                    done=f"“{fmt.plain(offer['title'])}” is on your list of things to deprioritize.")


def simple_item(actor: auth.Actor, survey_id: int, item: dict[str, Any], text_md: str, editable: bool) -> None:
    with st.container(border=True):
        text, side = st.columns([6, 1], vertical_alignment="center")
        text.markdown(text_md)
        if editable:
            _remove_button(actor, survey_id, item["key"], side)


def add_deprioritize(actor: auth.Actor, survey_id: int) -> None:
    keys = [_k(survey_id, "new_dep_title"), _k(survey_id, "new_dep_why")]
    with st.form(_k(survey_id, "deprioritize_form")):
        title = st.text_input("Something to deprioritize", key=keys[0],
                              placeholder="e.g. Custom report builder")
        why = st.text_area("Why", key=keys[1], height=70, placeholder="What would we gain by not doing it now?")
        if st.form_submit_button("Add to deprioritize", icon=":material/add:"):
            _save(answers.save_deprioritize, actor, survey_id, {"title": title, "why": why},
                done=f"{_quoted(title)} added to what to deprioritize.", clear=[*keys, _undo_key(survey_id)])


def add_concern(actor: auth.Actor, survey_id: int) -> None:
    key = _k(survey_id, "new_concern")
    with st.form(_k(survey_id, "concern_form")):
        text = st.text_area("A risk or concern", key=key, height=70,
                            placeholder="e.g. The payments provider migration could eat half of our capacity.")
        if st.form_submit_button("Add risk or concern", icon=":material/add:"):
            _save(answers.save_concern, actor, survey_id, {"title": text},
                done=f"{_quoted(text)} added to your risks and concerns.",
                clear=[key, _undo_key(survey_id)])


def submit_box(actor: auth.Actor, survey_id: int, mine: dict[str, Any]) -> None:
    found, status = mine["survey"], mine["status"]
    if status == "submitted" and not mine["unsent_changes"]:
        st.success(f"Submitted {surveys.relative(mine['submitted_at'])}: your answer is up to date. Changes you make "
                   "above stay a draft until you resubmit.", icon=":material/check_circle:")
        return
    with st.form(_k(survey_id, "submit_form")):
        if found["anonymous"]:
            st.markdown("Submitting is **final**: your answer is stored without your name and your draft is deleted, "
                        "so you cannot edit or withdraw it afterwards.")
            label = "Submit anonymously (final)"
        elif status == "submitted":
            st.markdown("Resubmitting updates your ideas in the workshop to what you see above.")
            label = "Resubmit my answer"
        else:
            st.markdown(f"{fmt.plain(found['lead_name'] or 'Your lead')} gets your ideas, with your name, for the "
                        f"workshop. You can still change them until the deadline ({surveys.when(found['deadline'])}).")
            label = "Submit my answer"
        clicked = st.form_submit_button(label, type="primary", icon=":material/send:")
    if status == "submitted" and st.button("Discard my unsent changes", key=_k(survey_id, "discard"),
                                           icon=":material/undo:"):
        _save(answers.discard_changes, actor, survey_id, done="Back to your submitted answer.",
            clear=[_undo_key(survey_id)])
    if clicked:
        ok, result = act(answers.submit, actor, survey_id)
        if ok:
            st.session_state.pop(_undo_key(survey_id), None)
            if result["already"]:
                message = "Your answer was already submitted; nothing changed."
            elif found["anonymous"]:
                message = "Submitted anonymously, thank you! Your draft was deleted; nothing links the answer to you."
            else:
                message = (f"{'Resubmitted' if result['resubmitted'] else 'Submitted'}, thank you! {result['ideas']} "
                           f"idea{'s' * (result['ideas'] != 1)} went to the workshop. You can still edit until the "
                           "deadline.")
            st.session_state[TOAST_KEY] = message  # the banners at the top and at Submit say it lastingly
            st.rerun()
