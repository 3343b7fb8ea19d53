"""Widgets every page uses: the page guard, error-safe actions, flash messages, pickers, downloads, caching."""

from __future__ import annotations

import datetime as dt
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import streamlit as st

from okrdash import auth, csv_safe, fmt, people, quarters
from okrdash.errors import OkrError
from okrdash.ui import memo
from okrdash.ui.identity import current_actor, leave_legacy_pages_mode

if TYPE_CHECKING:
    import pandas as pd

FLASH_SHOWN_KEY = "_flash_shown"  # (message, time.monotonic(), page) of the last flash shown
FLASH_KEEP_SECONDS = 10
FLASH_KEY = "_flash"
RESETS_KEY = "_widget_resets"


def page(key: str) -> auth.Actor:
    """The acting person, or a refusal (and the script stops) when their roles don't open this page."""
    leave_legacy_pages_mode()
    actor = current_actor()
    if actor is None:
        st.stop()
    apply_resets()
    reason = auth.refusal(actor, key)
    if reason:
        st.error(fmt.inline(reason), icon=":material/block:")
        st.write("Pick a page from the menu, or ask an admin for the role this page needs.")
        st.stop()
    return actor


def act(
    fn: Callable[..., Any],
    *args: Any,
    success: str | None = None,
    rerun: bool = False,
    clear: Sequence[str] = (),
    **kwargs: Any,
):
    """Call a library function; on OkrError show its message and return (False, None). Form values stay as typed.

    On success returns (True, result), empties the text and checkbox widgets keyed in `clear` on the next run (so
    a saved form starts blank; use with `rerun=True`), and shows `success` now, or on the next run when rerun.
    """
    try:
        result = fn(*args, **kwargs)
    except OkrError as error:
        # Messages quote what people typed ("“<title>” is linked from…"): shown as text, never as Markdown.
        st.error(fmt.inline(error.message), icon=":material/error:")
        return False, None
    schedule_resets(clear)
    if success:
        if rerun:
            flash(success)
        else:
            st.success(success, icon=":material/check_circle:")
    if rerun:
        st.rerun()
    return True, result


def schedule_resets(keys: Sequence[str]) -> None:
    """Empty these widgets on the next run. (A widget that exists in this run can't be changed, and the browser
    resends a form's values, so the reset is applied before the widgets are made again: see `apply_resets`.)"""
    pending = st.session_state.setdefault(RESETS_KEY, {})
    for key in keys:
        value = st.session_state.get(key)
        pending[key] = "" if isinstance(value, str) else False if isinstance(value, bool) else None


def apply_resets() -> None:
    for key, empty in st.session_state.pop(RESETS_KEY, {}).items():
        if empty is None:
            st.session_state.pop(key, None)
        else:
            st.session_state[key] = empty


def undo_bar(state_key: str, message: str, fn: Callable[..., Any], *args: Any, success: str,
             icon: str = ":material/undo:", done: bool = False, button_key: str | None = None) -> None:
    """“Removed X. [Undo]” for what was just done (remembered in st.session_state[state_key] by the page): the
    button forgets it and calls `fn(*args)` through `act`, so a refusal shows as a message."""
    note, button = st.columns([5, 1], vertical_alignment="center")
    (note.success if done else note.info)(message, icon=icon)
    if button.button("Undo", key=button_key or f"{state_key}_undo"):
        st.session_state.pop(state_key, None)
        act(fn, *args, success=success, rerun=True)


# Query parameters a page switch carries over: who is acting (demo identity mode) and the team and quarter picked.
KEPT_ACROSS_PAGES = ("as", "team", "quarter")


def switch_page(page: str) -> None:
    """`st.switch_page` that keeps who is acting and the team and quarter picked. Streamlit 1.67's switch reruns
    with no widget states and only the query parameters it is given, so those go in the new page's URL, where the
    pickers (bound to it) and demo identity mode read them back."""
    current = st.query_params.to_dict()
    st.switch_page(page, query_params={key: current[key] for key in KEPT_ACROSS_PAGES if key in current})


def flash(message: str) -> None:
    """Show `message` once, at the top of the next script run (survives st.rerun)."""
    st.session_state[FLASH_KEY] = message


def show_flash(*, redraw: bool = False, page: str = "") -> None:
    """The flash of this run, on `page`. A live redraw (others' writes, okrdash/ui/live/) of the same page shows
    the last one again for a few seconds: a vote's "Your ballot is in" must not vanish because a team mate voted a
    moment later. Only on the page it was shown on: on another page it is out of context, and appearing there it
    pushes everything below it down, under the person's pointer."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.session_state[FLASH_SHOWN_KEY] = (message, time.monotonic(), page)
    elif redraw:
        shown = st.session_state.get(FLASH_SHOWN_KEY)
        if shown and shown[2] == page and time.monotonic() - shown[1] < FLASH_KEEP_SECONDS:
            message = shown[0]
    if message:
        st.success(message, icon=":material/check_circle:")


def cached(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`fn(*args, **kwargs)` kept until a write it depends on commits (the tables it read, in the team and quarter
    its `team_id` and `quarter` arguments name: okrdash/ui/memo.py), or the next day.

    For reads that are slow at scale; arguments must be hashable values (ids, keys, Actor). A read that turns on
    the time of day (a survey deadline at 17:00) takes `now=this_minute()`, so it is kept for a minute at most.
    """
    return memo.call(fn, *args, **kwargs)


def this_minute() -> dt.datetime:
    """Now, to the minute: the `now` of reads cached for a minute (deadlines read to the minute)."""
    return clock().replace(second=0, microsecond=0)


def clock() -> dt.datetime:
    """The wall clock of cached reads (tests move it on)."""
    return dt.datetime.now()


def empty_state(message: str, *, next_page: str | None = None, next_label: str | None = None) -> None:
    """Say plainly that there is nothing here yet and what to do next."""
    st.info(message, icon=":material/lightbulb:")
    if next_page:
        st.page_link(next_page, label=next_label or "Go there", icon=":material/arrow_forward:")


def download_table(frame: pd.DataFrame, file_stem: str, *, label: str = "Download CSV", key: str | None = None) -> None:
    """A CSV download of exactly the data shown, formula-looking cells neutralised. The file is made when the
    button is clicked, not on every page run (at scale the CSV costs more than the cached page around it)."""
    st.download_button(
        label,
        lambda: csv_safe.to_csv_bytes(frame),
        file_name=f"{file_stem}.csv",
        mime="text/csv",
        key=key or f"download_{file_stem}",
        icon=":material/download:",
        on_click="ignore",
    )


def follow_link(key: str, options: Sequence[Any], label: Callable[[Any], str] = str) -> None:
    """Let a link's `?key=` choose the option of the picker bound to `key`, even when the session already holds a
    value for it: Streamlit keeps a URL-bound widget's value across a page switch and then ignores the new page's
    URL, so Home's "Vote in …'s round for 2027-Q1" opened the quarter last picked on another page. A URL value
    that changed since the last run and differs from the picker came from a link; a value the page's code set in
    this run (the URL unchanged) is left alone. A link from a page that binds the same picker is followed too:
    Streamlit drops the parameter then, and `_asked_for` reads it from the query string the run was asked with."""
    wanted = _asked_for(key)
    seen_key = f"_url_{key}"
    seen, st.session_state[seen_key] = st.session_state.get(seen_key), wanted
    if wanted is None or wanted == seen:
        return
    chosen = next((option for option in options if label(option) == wanted), None)
    if chosen is not None and st.session_state.get(key) != chosen:
        st.session_state[key] = chosen


_ASKED = "_asked_query"


def remember_the_link() -> None:
    """Keep the query string this run was asked with (app.py calls it first thing in every run). On a page switch
    Streamlit drops a parameter that a picker of another page is still bound to: the binding goes at the end of
    the next run that completes, but a run stopped for a rerun (a live redraw of Home) skips that, so under load
    Home's "Vote" link opened the quarter picked on the check-ins page before. Streamlit also rewrites the run's
    own copy as soon as the page sets a parameter (?as=), so it is kept here before that."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    st.session_state[_ASKED] = getattr(get_script_run_ctx(), "query_string", "") or ""


def _asked_for(key: str) -> str | None:
    """`?key=` as this run was asked for it (see remember_the_link)."""
    value = st.query_params.get(key)
    if value is not None:
        return value
    asked = urllib.parse.parse_qs(st.session_state.get(_ASKED, "")).get(key)
    return asked[-1] if asked else None


def team_picker(
    teams: Sequence[dict[str, Any]], *, label: str = "Team", key: str = "team", sidebar: bool = False
) -> int | None:
    """Pick one of `teams` (dicts with id and name); the choice is kept across pages and in the URL (?team=)."""
    if not teams:
        return None
    ids = [t["id"] for t in teams]
    names = {t["id"]: t["name"] for t in teams}
    if st.session_state.get(key) not in ids:
        st.session_state.pop(key, None)
    follow_link(key, ids, names.__getitem__)
    where = st.sidebar if sidebar else st
    return where.selectbox(label, ids, format_func=names.__getitem__, key=key, bind="query-params")


def quarter_picker(*, planning: bool = False, label: str = "Quarter", key: str = "quarter") -> str | None:
    """Pick a quarter key; defaults to the current quarter (`planning`: the one teams are preparing, else the
    newest); kept across pages and in the URL (?quarter=). None when there are no quarters yet."""
    keys = cached(quarters.keys)
    if not keys:
        return None
    if st.session_state.get(key) not in keys:
        st.session_state.pop(key, None)
    follow_link(key, keys)
    default = cached(quarters.planning_key if planning else quarters.current_key)
    index = keys.index(default) if default in keys else 0
    return st.selectbox(label, keys, index=index, key=key, bind="query-params")


def person_picker(label: str, *, key: str, limit: int = 50) -> int | None:
    """Find a person by name or email (a search box, then the matches): scales to thousands of people."""
    query = st.text_input(f"{label}: search by name or email", key=f"{key}_search", placeholder="e.g. ana or @harbor")
    found, total = cached(people.search, query, limit=limit)
    if not found:
        st.caption("Nobody matches; check the spelling, or add the person on the People tab.")
        return None
    names = {p["id"]: f"{p['name']} ({p['email']})" for p in found}
    more = f" — showing {limit} of {total:,}; type more to narrow" if total > limit else ""
    return st.selectbox(label, list(names), format_func=names.__getitem__, key=key, help=f"{total:,} match{more}")
