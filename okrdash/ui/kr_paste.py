"""Pasting many key results at once on the workshop's key-results step: one draft per line, each with its reading
and its SMART verdicts; the lead keeps, edits or drops each, then saves the kept ones in one click
(okrdash.key_results.add_many, which keeps the 2–5 rule). The paste and every edit stay in session state until
they are saved, so a refused save loses nothing."""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import fmt, key_results
from okrdash.errors import ValidationError
from okrdash.smart import drafts
from okrdash.ui.kr_editor import badges, verdicts
from okrdash.ui.widgets import act, flash

TEXT = "krs_paste_text"
LINES = "krs_paste_lines"  # the drafts' line numbers, set when the paste is read
OPEN = "krs_paste_open"


def _read(context) -> None:
    try:
        found = drafts.read_lines(st.session_state.get(TEXT), context)
    except ValidationError as error:
        st.session_state[f"{TEXT}__error"] = error.message
        return
    st.session_state.pop(f"{TEXT}__error", None)
    st.session_state[LINES] = [d.number for d in found]
    for d in found:
        st.session_state[f"krs_paste_{d.number}_line"] = d.line
        st.session_state[f"krs_paste_{d.number}_keep"] = True


def _forget() -> None:
    for key in [k for k in st.session_state if str(k).startswith("krs_paste_")]:
        del st.session_state[key]


def _kept(numbers: list[int], context) -> list[dict[str, Any]]:
    kept = []
    for number in numbers:
        line = str(st.session_state.get(f"krs_paste_{number}_line") or "").strip()
        if line and st.session_state.get(f"krs_paste_{number}_keep"):
            kept.append(drafts.draft(number, line, context).fields())
    return kept


def paste_card(actor, team_id: int, quarter: dict[str, Any], context, *, count: int) -> None:
    """The expander where the lead pastes lines and turns the kept ones into key results."""
    card = st.expander("Paste many lines", key=OPEN, icon=":material/content_paste:", on_change="rerun")
    if not card.open:
        return
    with card:
        st.caption("Paste last quarter's document or a brainstorm: one key result per line. Each line becomes a "
                   "draft with what was read from it and its SMART check; keep the best two to five.")
        st.text_area("Key results, one per line", key=TEXT, height=150, persist_state="page",
                     placeholder="Grow weekly trials by 21% quarter over quarter\nKeep p99 checkout latency < 1s\n"
                                 "Publish the public API reference")
        st.button("Read the lines", key="krs_paste_read", icon=":material/playlist_add_check:", on_click=_read,
                  args=(context,))
        if st.session_state.get(f"{TEXT}__error"):
            st.error(fmt.inline(st.session_state[f"{TEXT}__error"]), icon=":material/error:")
        numbers = st.session_state.get(LINES) or []
        for number in numbers:
            with st.container(border=True, key=f"krs_paste_{number}_card"):
                line_col, keep_col = st.columns([6, 1], vertical_alignment="bottom")
                line = line_col.text_input(f"Draft from line {number}", key=f"krs_paste_{number}_line")
                keep_col.checkbox("Keep", key=f"krs_paste_{number}_keep")
                found = drafts.draft(number, line, context)
                st.caption(f"Read as: {fmt.plain(found.reading.summary())}")
                badges(found.check)
                for problem in found.reading.problems:
                    st.warning(fmt.plain(problem), icon=":material/rule:")
                if found.check["S"].level != "pass" or found.check["M"].level != "pass":
                    with st.expander("What the SMART check says"):
                        verdicts(found.check, compact=True)
        if not numbers:
            return
        kept = _kept(numbers, context)
        room = key_results.LIMIT - count
        st.caption(f"{len(kept)} of {len(numbers)} drafts kept; the objective has {count} key result"
                   f"{'s' if count != 1 else ''} and room for {max(room, 0)} more.")
        row = st.container(horizontal=True)
        if row.button(f"Save the {len(kept)} kept key result{'s' if len(kept) != 1 else ''}", key="krs_paste_save",
                      type="primary", icon=":material/save:", disabled=not kept):
            ok, ids = act(key_results.add_many, actor, team_id, quarter["key"], kept)
            if ok:
                _forget()
                total = count + len(ids)
                more = " Add at least one more: an objective needs two." if total < 2 else ""
                flash(f"Saved {len(ids)} key result{'s' if len(ids) != 1 else ''}. Each is owned by you until you "
                      f"choose an owner on its card; confirm “Achievable” with the team.{more}")
                st.rerun()
        if row.button("Clear the paste", key="krs_paste_clear", icon=":material/backspace:"):
            _forget()
            st.rerun()
