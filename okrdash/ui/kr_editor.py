"""The key-result editor: one card per key result with its inputs and, beside them, the SMART verdicts of what is
typed right now (before saving). Each card is a fragment, so typing re-checks only that card; saving is one click,
one write, and reruns the page.

Drafts live in session state under `krs_<id>_<field>` (`krs_new_…` for the card that adds one) and are reloaded
from the database whenever the saved key result changes, so a failed save keeps everything typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from okrdash import fmt, key_results, smart, validate
from okrdash.errors import ValidationError
from okrdash.smart import exact, team_report
from okrdash.smart.reading import RELATIVE_KINDS as RELATIVE
from okrdash.smart.reading import read_line
from okrdash.ui.widgets import act, flash

FIELDS = key_results.FIELDS
ICONS = {"pass": ":material/check_circle:", "warn": ":material/warning:", "fail": ":material/cancel:"}
COLORS = {"pass": "green", "warn": "orange", "fail": "red"}
WORDS = {"pass": "passes", "warn": "needs a look", "fail": "fails"}
ACHIEVABLE_LABEL = "Discussed with the team and achievable"
NEW = "krs_new"
OPEN_NEW = "krs_add_open"  # whether the card that adds a key result is open
ARCHIVED_KEY = "krs_archived"
NUMBERS = ("baseline", "target", "change_pct")
PREFILLED = ("kind", "metric", "unit", "baseline", "target", "change_pct", "due_on")


def _widget_value(name: str, value: Any) -> Any:
    if name in NUMBERS:  # full precision: a card opens unchanged, and saving keeps the number
        return "" if value is None else exact(float(value))
    if name in ("title", "metric", "unit", "definition_of_done"):
        return value or ""
    if name == "achievable_confirmed":
        return bool(value)
    return value


def seed(prefix: str, values: dict[str, Any], stamp: str) -> None:
    """Load `values` into the card's widgets unless they already hold the draft of this saved state (`stamp`).
    Widget values are dropped when the person leaves the page, so a missing title means load again."""
    if st.session_state.get(f"{prefix}__loaded") == stamp and f"{prefix}_title" in st.session_state:
        return
    for name in FIELDS:
        st.session_state[f"{prefix}_{name}"] = _widget_value(name, values.get(name))
    st.session_state[f"{prefix}__idea"] = values.get("idea_id")
    st.session_state[f"{prefix}__loaded"] = stamp


def forget(prefix: str) -> None:
    """Drop a card's draft so it reloads (the new-KR card starts blank again)."""
    for key in [k for k in st.session_state if str(k).startswith(prefix + "_")]:
        del st.session_state[key]


def draft(prefix: str) -> dict[str, Any]:
    return {name: st.session_state.get(f"{prefix}_{name}") for name in FIELDS}


def _same(name: str, typed: Any, saved: Any) -> bool:
    if name in NUMBERS:
        try:
            return validate.number(typed, name) == saved
        except ValidationError:
            return False
    return _widget_value(name, typed) == _widget_value(name, saved)


def edits(prefix: str, kr: dict[str, Any]) -> dict[str, Any]:
    """The fields whose typed value differs from the saved one: only these are written."""
    return {name: value for name, value in draft(prefix).items() if not _same(name, value, kr.get(name))}


def unsaved(prefix: str, kr: dict[str, Any]) -> bool:
    return bool(edits(prefix, kr))


def badges(check: smart.Check, *, named: bool = False) -> None:
    """S M A R T (or the objective checks, `named`) as coloured chips; the reason shows on hover."""
    row = st.container(horizontal=True, gap="small")
    for v in check.verdicts:
        row.badge(v.name if named else v.letter, icon=ICONS[v.level], color=COLORS[v.level],
                  help=f"{v.name} {WORDS[v.level]}: {fmt.plain(v.reason)}")  # the reason quotes typed text


def verdicts(check: smart.Check, *, compact: bool = False) -> None:
    """Every letter: level, reason, and how to fix it."""
    for v in check.verdicts:
        if compact and v.level == "pass":
            continue
        st.markdown(f":{COLORS[v.level]}[{ICONS[v.level]} **{v.letter} · {v.name} {WORDS[v.level]}**]  \n"
                    f"{fmt.plain(v.reason)}")
        if v.fix:
            st.caption(f"**How to fix:** {fmt.plain(v.fix)}")
        for note in v.notes:
            st.caption(f"Also: {fmt.plain(note)}")


def inputs(prefix: str, members: list[dict[str, Any]], quarter: dict[str, Any]) -> dict[str, str]:
    """The editor's widgets (values in session state); returns input problems by field for unparseable numbers."""
    kinds = list(key_results.KINDS)
    names = {m["id"]: m["name"] for m in members}
    owner = st.session_state.get(f"{prefix}_owner_id")
    if owner is not None and owner not in names:
        names[owner] = f"{owner} (not in the team)"
    title_col, kind_col = st.columns([5, 2])
    title_col.text_input("Key result", key=f"{prefix}_title", live="500ms", persist_state="page",
                         placeholder="e.g. Raise trial-to-paid conversion from 14% to 20% by end of the quarter",
                         on_change=prefill, args=(prefix, quarter),
                         help="One line is enough: kind, metric, numbers and due date are read from it into the "
                              "fields below (what you type there always wins).")
    kind = kind_col.selectbox("Kind", kinds, format_func=key_results.KINDS.__getitem__, key=f"{prefix}_kind",
                              persist_state="page",
                              help=" ".join(f"{key_results.KINDS[k]}: {h}" for k, h in key_results.KIND_HELP.items()))
    for problem in reading_problems(prefix, quarter):
        st.warning(fmt.plain(problem), icon=":material/rule:")
    if kind == "milestone":
        st.text_area("Definition of done", key=f"{prefix}_definition_of_done", height=80, persist_state="page",
                     placeholder="What is true when it is done, and how you will check it.")
    else:
        metric_col, unit_col, base_col, target_col = st.columns([3, 1, 1, 1])
        metric_col.text_input("Metric", key=f"{prefix}_metric", live="500ms", persist_state="page",
                              placeholder="e.g. trial-to-paid conversion")
        unit_col.text_input("Unit", key=f"{prefix}_unit", live="500ms", persist_state="page", placeholder="%, h, €")
        base_col.text_input("Baseline", key=f"{prefix}_baseline", live="500ms", persist_state="page",
                            placeholder="e.g. 14", help="Today's value. Blank: the first check-in's value.")
        if kind in RELATIVE:
            target_col.text_input("Change %", key=f"{prefix}_change_pct", live="500ms", persist_state="page",
                                  placeholder="e.g. 10", help="By how many percent of the baseline it should move.")
        else:
            target_col.text_input("Target", key=f"{prefix}_target", live="500ms", persist_state="page",
                                  placeholder="e.g. 20", help="The value to reach by the due date.")
    owner_col, due_col = st.columns([3, 2])
    owner_col.selectbox("Owner", list(names), format_func=lambda i: names.get(i, f"{i} (not in the team)"),
                        key=f"{prefix}_owner_id", persist_state="page",
                        placeholder="Choose a team member", help="Checks in on this key result every week.")
    due_col.date_input("Due", key=f"{prefix}_due_on", format="YYYY-MM-DD", persist_state="page",
                       min_value=quarter["starts_on"] - dt.timedelta(days=366),
                       max_value=quarter["ends_on"] + dt.timedelta(days=366),
                       help=f"Inside {quarter['key']}: {fmt.day(quarter['starts_on'])} – "
                            f"{fmt.day(quarter['ends_on'])}.")
    st.checkbox(ACHIEVABLE_LABEL, key=f"{prefix}_achievable_confirmed", persist_state="page",
                help="Tick after the team has talked it through and believes it can be done this quarter.")
    problems = team_report.input_problems(draft(prefix))
    for message in problems.values():
        st.error(fmt.inline(message), icon=":material/error:")
    return problems


def _bounds(quarter: dict[str, Any]) -> tuple[str, dt.date, dt.date]:
    return quarter["key"], quarter["starts_on"], quarter["ends_on"]


def prefill(prefix: str, quarter: dict[str, Any]) -> None:
    """On a new title: fill every field the person has not typed from the reading of the line. A field counts as
    typed when it is not empty and differs from what the previous reading put there."""
    reading = read_line(st.session_state.get(f"{prefix}_title"), _bounds(quarter))
    if not reading.text:
        return
    auto = st.session_state.get(f"{prefix}__auto", {})
    values = {name: _widget_value(name, value) for name, value in reading.fields().items()}
    values.setdefault("kind", reading.kind)
    numbers_typed = any(st.session_state.get(f"{prefix}_{n}") not in (None, "") and
                        st.session_state.get(f"{prefix}_{n}") != auto.get(n) for n in ("metric", *NUMBERS))
    if values["kind"] == "milestone" and numbers_typed:
        del values["kind"]  # numbers typed by hand: the line alone does not make it a milestone
    filled = {}
    for name in PREFILLED if prefix == NEW else PREFILLED[1:-1]:  # a saved key result keeps its kind and date
        key = f"{prefix}_{name}"
        current = st.session_state.get(key)
        typed = current not in (None, "") and current != auto.get(name) and not (
            name in ("kind", "due_on") and name not in auto)
        if typed or name not in values:
            continue
        if values[name] != current:  # a widget assigned at all takes the server's value over what is being typed
            st.session_state[key] = values[name]
        filled[name] = values[name]
    st.session_state[f"{prefix}__auto"] = filled


def reading_problems(prefix: str, quarter: dict[str, Any]) -> tuple[str, ...]:
    """What the reading of the title found wrong (two numbers and no direction, a share over 100%, a date outside
    the quarter): shown beside the fields, the line itself kept as typed."""
    return read_line(st.session_state.get(f"{prefix}_title"), _bounds(quarter)).problems


def _save(actor, prefix: str, kr: dict[str, Any]) -> None:
    ok, changed = act(key_results.update, actor, kr["id"], edits(prefix, kr))
    if ok:
        st.session_state.pop(f"{prefix}__loaded", None)  # reload the saved values (trimmed, normalised)
        flash(f"Saved “{fmt.plain(st.session_state[f'{prefix}_title'].strip())}”." if changed
              else "Nothing to save: no changes.")
        st.rerun()


def _tracked_warning(kr: dict[str, Any], changed: dict[str, Any]) -> None:
    """Before saving: new numbers on a key result with check-ins rewrite the progress of its past check-ins."""
    if not kr["checkins"] or not {"baseline", "target", "kind"} & changed.keys():
        return
    st.warning(f"This key result has {kr['checkins']} check-in(s). A new baseline or target changes the progress of "
               "every past check-in on the dashboards"
               + ("; its kind can no longer change" if "kind" in changed else "")
               + ". If the goal itself changed, archive it and add a new key result instead.",
               icon=":material/history:")


@st.fragment
def kr_card(actor, kr: dict[str, Any], position: int, total: int, members: list[dict[str, Any]],
            quarter: dict[str, Any], ctx: smart.Context, *, editable: bool) -> None:
    """One saved key result: summary and SMART chips; for the lead, the editor with live verdicts beside it."""
    prefix = f"krs_{kr['id']}"
    with st.container(border=True, key=f"{prefix}_card"):
        saved_check = smart.check_kr(kr, ctx)
        head, chips = st.columns([4, 2], vertical_alignment="center")
        head.markdown(f"**{position}. {fmt.plain(kr['title'])}**")
        with chips:
            badges(saved_check)
        st.caption(f"{key_results.KINDS[kr['kind']]} · {fmt.plain(key_results.describe(kr))} · owner "
                   f"{fmt.plain(kr['owner_name'] or 'nobody')} · due {fmt.day(kr['due_on'])}"
                   + (f" · {kr['checkins']} check-ins" if kr["checkins"] else ""))
        if kr["owner_id"] is not None and not kr.get("owner_in_team", True):
            st.warning(f"{fmt.plain(kr['owner_name'] or 'The owner')} is no longer a member of the team, so nobody "
                       "but the lead can check in on this key result. "
                       + ("Choose a new owner under “Edit and check” and save." if editable else
                          "The lead reassigns it to a member of the team."), icon=":material/person_off:")
        if not editable:
            if saved_check.level != "pass":
                with st.expander("What the SMART check says"):
                    verdicts(saved_check, compact=True)
            return
        seed(prefix, kr, str(kr["updated_at"]))
        dirty = unsaved(prefix, kr)
        # Lazy: a closed editor runs nothing (its draft is kept while the person stays on the page), so a page of
        # five key results draws one form, not five.
        st.session_state.setdefault(f"{prefix}_editor", bool(saved_check.failing) or dirty)  # then the person's
        editor = st.expander("Edit and check", key=f"{prefix}_editor", on_change="rerun")
        if not editor.open:
            if dirty:
                st.caption(":orange[:material/edit_note: Unsaved changes — open “Edit and check” to save or discard "
                           "them.]")
            return
        with editor:
            left, right = st.columns([3, 2], gap="large")
            with left:
                problems = inputs(prefix, members, quarter)
            live, _ = team_report.draft_check(draft(prefix), ctx)
            with right:
                st.markdown("**SMART check of what you typed**")
                verdicts(live)
            _tracked_warning(kr, edits(prefix, kr))
            row = st.container(horizontal=True, vertical_alignment="center")
            if row.button("Save changes", key=f"{prefix}_save", type="primary", disabled=not dirty or bool(problems),
                          icon=":material/save:"):
                _save(actor, prefix, kr)
            if dirty and row.button("Discard changes", key=f"{prefix}_discard", icon=":material/undo:"):
                st.session_state.pop(f"{prefix}__loaded", None)
                st.rerun()
            if row.button("Move up", key=f"{prefix}_up", disabled=position == 1, icon=":material/arrow_upward:"):
                act(key_results.move, actor, kr["id"], -1, rerun=True)
            if row.button("Move down", key=f"{prefix}_down", disabled=position == total,
                          icon=":material/arrow_downward:"):
                act(key_results.move, actor, kr["id"], 1, rerun=True)
            if row.button("Archive", key=f"{prefix}_archive", icon=":material/archive:",
                          help="Removes it from the objective; check-ins are kept and you can undo."):
                ok, removed = act(key_results.archive, actor, kr["id"])
                if ok:
                    st.session_state[ARCHIVED_KEY] = {"id": removed["id"], "title": removed["title"]}
                    st.rerun()
            if dirty:
                row.caption("Unsaved changes")


@st.fragment
def new_kr_card(actor, team_id: int, quarter: dict[str, Any], members: list[dict[str, Any]], ctx: smart.Context,
                *, count: int) -> None:
    """The card that adds a key result: blank, or prefilled from an idea (“Use as a key result”)."""
    if f"{NEW}__loaded" not in st.session_state:
        seed(NEW, {"kind": "increase_to", "due_on": quarter["ends_on"]}, "blank")
    idea = st.session_state.get(f"{NEW}__idea")
    drafting = bool(str(st.session_state.get(f"{NEW}_title") or "").strip())
    # Open while the objective needs key results or something is being written; then the person's choice. Lazy:
    # a closed card runs nothing, and its draft is kept while the person stays on the page.
    st.session_state.setdefault(OPEN_NEW, count < 2 or drafting or idea is not None)
    card = st.expander("Add a key result", key=OPEN_NEW, icon=":material/add:", on_change="rerun")
    if not card.open:
        if drafting:
            st.caption(":orange[:material/edit_note: A key result is half written in “Add a key result”.]")
        return
    with card:
        if idea:
            st.markdown("Prefilled from a brainstormed idea: review it, then add it.")
        if count >= key_results.LIMIT:
            st.warning(f"The objective already has {key_results.LIMIT} key results, the most it may have. Archive "
                       "one above before adding this one; what you type here is kept.", icon=":material/block:")
        left, right = st.columns([3, 2], gap="large")
        with left:
            problems = inputs(NEW, members, quarter)
        live, _ = team_report.draft_check(draft(NEW), ctx)
        with right:
            st.markdown("**SMART check of what you typed**")
            if (st.session_state.get(f"{NEW}_title") or "").strip():
                verdicts(live)
            else:
                st.caption("Type a key result and the check of each letter (Specific, Measurable, Achievable, "
                           "Relevant, Time-bound) appears here, with how to fix what fails.")
        row = st.container(horizontal=True)
        if row.button("Add key result", key="krs_new_add", type="primary", icon=":material/add:",
                      disabled=bool(problems)):
            title = st.session_state.get(f"{NEW}_title") or ""
            ok, _ = act(key_results.add, actor, team_id, quarter["key"], draft(NEW), idea_id=idea)
            if ok:
                forget(NEW)
                flash(f"Added “{fmt.plain(title.strip())}”. Its SMART check is on its card above.")
                st.rerun()
        if row.button("Clear", key="krs_new_clear", icon=":material/backspace:"):
            forget(NEW)
            st.rerun()
