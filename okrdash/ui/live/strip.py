"""The live strip of every workshop step: who presents, Follow, the lead's Present / timebox / highlight controls,
and the countdown. A follower's page moves to the presented step here (`arrive`), on the run a tick starts; the
strip's fragment is okrdash/ui/live/ticks.py's `watch`."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import streamlit as st

from okrdash import auth, fmt, ideas, key_results, teams, workshop
from okrdash.errors import OkrError
from okrdash.live import room, timebox
from okrdash.ui.live.ticks import session_tag, version_total, watch, workshop_watch
from okrdash.ui.widgets import act, cached, clock, flash, switch_page, this_minute

log = logging.getLogger("okrdash.live")
PAGES = {key: page for key, _, page in workshop.STEPS}
TITLES = {key: title for key, title, _ in workshop.STEPS}
NUMBERS = {key: n for n, (key, _, _) in enumerate(workshop.STEPS, start=1)}
ERROR_KEY = "_live_error"
SCREEN = "pages/workshop_screen.py"
NOTHING = 0  # the highlight picker's "nothing highlighted" (ids start at 1)


def screen_requested() -> bool:
    """Whether this run opens the big screen (app.py then draws no sidebar): the page Streamlit is about to run,
    by the script it asked for or the URL it arrived at."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    manager = ctx.pages_manager
    page = st.Page(SCREEN)
    return manager.intended_page_script_hash == page._script_hash or (
        not manager.intended_page_script_hash and manager.intended_page_name == page.url_path)


def room_state(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any]:
    return cached(room.state, actor, team_id, quarter)


def on_screen(actor: auth.Actor, team_id: int, quarter: str, kind: str) -> int | None:
    """The id of the idea (`kind` 'idea') or key result the presenter shows the room, else None."""
    if not cached(ideas.is_open_quarter, quarter):
        return None
    highlight = room_state(actor, team_id, quarter)["highlight"]
    return highlight["id"] if highlight and highlight["kind"] == kind else None


def countdown(timer: dict[str, Any] | None, *, big: bool = False, running: bool = False) -> bool:
    """The timebox line, computed from its stored end and this server's clock (never a counter of its own).
    Returns True when a timebox `running` at the page's last full run has run out since (time for the lead's
    Extend / Move on)."""
    if timer is None:
        return False
    left = timebox.seconds_left(timer, clock())
    step = TITLES.get(timer["step"], timer["step"])
    if big:
        text = f"# :material/timer: {timebox.clock_text(left)}" if left else "# :material/timer_off: Time is up"
        st.markdown(text)
        st.markdown(f"#### {step}: {timer['minutes']}-minute timebox")
    elif left:
        st.markdown(f":material/timer: **{timebox.clock_text(left)}** left of {timer['minutes']} minutes for "
                    f"**{step}**")
    else:
        st.markdown(f":material/timer_off: **Time is up** for **{step}**: the lead extends the timebox or moves on.")
    return running and not left


def arrive(actor: auth.Actor, team_id: int, quarter: str, step_key: str) -> tuple | None:
    """First thing on a workshop step: a follower goes where the lead presents; the presenter takes the room along.
    Returns the version the page draws at (None for a quarter that has ended: its workshop is not live)."""
    if not cached(ideas.is_open_quarter, quarter):
        return None
    watched = workshop_watch(team_id, quarter)
    seen = watched.version()
    state = room_state(actor, team_id, quarter)
    goes = room.destination(state, actor, step_key)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s arrive %s on %s at %s: presenter %s on %s, following %s, goes %s", session_tag(), actor.email,
                  step_key, version_total(seen), state["presenter_id"], state["step"], state["following"], goes)
    if goes:
        switch_page(PAGES[goes])
    if state["presenter_id"] == actor.person_id and state["step"] != step_key:
        room.show_step(actor, team_id, quarter, step_key)
        seen = watched.version()  # its own write is no reason to draw again
    return seen


def bar(actor: auth.Actor, team_id: int, quarter: str, step_key: str, seen: tuple | None) -> None:
    """The live strip of a workshop step (see the module docstring); nothing for a quarter that has ended."""
    if seen is None:
        return
    state = room_state(actor, team_id, quarter)
    timer = cached(timebox.current, actor, team_id, quarter)
    running = timer is not None and timebox.seconds_left(timer, clock()) > 0
    # One container holds all of it, whatever it shows: the page below keeps its place (and a typist their focus).
    with st.container(border=True, key="live_bar"):
        error = st.session_state.pop(ERROR_KEY, None)
        if error:
            st.error(fmt.inline(error), icon=":material/error:")
        displaced = state["displaced"]
        if displaced and displaced["id"] == actor.person_id and state["presenter_id"] not in (None, actor.person_id):
            st.warning(f"{fmt.plain(state['presenter'])} took over presenting at {displaced['at']:%H:%M}, so the "
                       "room follows them now. Press Present to take it back.", icon=":material/swap_horiz:")
        line = room.describe(state, actor, TITLES)
        highlight = state["highlight"]
        if highlight:
            line += f"  \n:material/highlight: On screen: **{fmt.plain(highlight['title'])}**"
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        row.markdown(f":material/cast: {line}", width="stretch")
        leads = actor.leads(team_id)
        if state["presenter_id"] not in (None, actor.person_id):
            key = f"live_follow_{team_id}_{quarter}"
            st.session_state[key] = state["following"]
            row.toggle(f"Follow {state['presenter'].split()[0]}", key=key, on_change=_set_following,
                       args=(actor, team_id, quarter, key),
                       help="Your page moves to the step the lead presents. Turn it off to look around on your own.")
        if leads:
            _lead_controls(row, actor, team_id, quarter, step_key, state, timer)
        row.page_link(SCREEN, label="Big screen", icon=":material/tv:",
                      query_params={"team": cached(teams.get, team_id)["name"], "quarter": quarter},
                      help="A read-only view for the meeting room's projector: step, counters, idea wall, timer.")
        if leads and state["presenter_id"] == actor.person_id:
            _highlight_picker(actor, team_id, quarter, step_key, highlight)
        time_is_up = leads and timer is not None and not running
        # The fragment goes last in the bar (see `watch`), its countdown into a slot above the lead's buttons.
        slot = st.container() if time_is_up else contextlib.nullcontext()
        if time_is_up:
            _time_is_up(actor, team_id, quarter, step_key)
        with slot:
            watch("workshop", workshop_watch(team_id, quarter), seen=seen, fast=running,
                  tick=lambda: countdown(timer, running=running))


def _set_following(actor: auth.Actor, team_id: int, quarter: str, key: str) -> None:
    """Follow toggle callback: the choice is stored (it survives a lost connection)."""
    try:
        room.follow(actor, team_id, quarter, bool(st.session_state.get(key)))
    except OkrError as error:
        st.session_state[ERROR_KEY] = error.message


def _lead_controls(row: Any, actor: auth.Actor, team_id: int, quarter: str, step_key: str, state: dict[str, Any],
                   timer: dict[str, Any] | None) -> None:
    if state["presenter_id"] == actor.person_id:
        if row.button("Stop presenting", icon=":material/cancel_presentation:", key="live_stop_presenting"):
            act(room.stop_presenting, actor, team_id, quarter, success="You stopped presenting.", rerun=True)
    elif row.button("Present", type="primary", icon=":material/present_to_all:", key="live_present",
                    help="Followers' pages move with you from step to step."):
        ok, displaced = act(room.present, actor, team_id, quarter, step_key)
        if ok:
            flash(f"You took over presenting from {displaced['name']}; they have been told." if displaced else
                  "You are presenting: followers see the step you open.")
            st.rerun()
    with row.popover("Timebox", icon=":material/timer:"):
        if timer is None:
            with st.form("live_timer_start", border=False):
                minutes = st.number_input("Minutes for this step", value=10, step=1, key="live_timer_minutes",
                                          help="From 1 to 120. Everyone sees the same countdown; when it ends, "
                                               "you extend it or move on: nothing closes by itself.")
                if st.form_submit_button("Start the timer", type="primary", icon=":material/play_arrow:"):
                    act(timebox.start, actor, team_id, quarter, step_key, minutes,
                        success=f"Timer started: {minutes} minutes for {TITLES[step_key]}.", rerun=True)
        else:
            st.markdown(f"{timer['minutes']} minutes for **{TITLES.get(timer['step'], timer['step'])}**, started "
                        f"{timer['started_at']:%H:%M} by {fmt.plain(timer['started_by'] or 'the lead')}.")
            if st.button("Add 5 minutes", icon=":material/more_time:", key="live_timer_more"):
                act(timebox.extend, actor, team_id, quarter, 5, success="5 more minutes.", rerun=True)
            if st.button("Stop the timer", icon=":material/timer_off:", key="live_timer_stop"):
                act(timebox.stop, actor, team_id, quarter, success="Timer stopped.", rerun=True)


def _time_is_up(actor: auth.Actor, team_id: int, quarter: str, step_key: str) -> None:
    """When a timebox has run out the lead decides: more time, or on to the next step."""
    row = st.container(horizontal=True)
    if row.button("Extend 5 minutes", icon=":material/more_time:", key="live_timer_extend"):
        act(timebox.extend, actor, team_id, quarter, 5, success="5 more minutes.", rerun=True)
    after = {key: n for n, key in enumerate(PAGES)}.get(step_key, 0) + 1
    following = list(PAGES)[after] if after < len(PAGES) else None
    label = f"Move on to {TITLES[following]}" if following else "Move on"
    if row.button(label, type="primary", icon=":material/skip_next:", key="live_timer_move_on"):
        ok, _ = act(timebox.stop, actor, team_id, quarter)
        if ok and following:
            switch_page(PAGES[following])
        if ok:
            st.rerun()


def _highlight_picker(actor: auth.Actor, team_id: int, quarter: str, step_key: str,
                      current: dict[str, Any] | None) -> None:
    """The presenter picks the idea or key result the room sees highlighted."""
    if step_key in ("consolidate", "rank", "focus"):
        kind = "idea"
        survey = cached(ideas.survey_of, team_id, quarter, this_minute())
        sealed = survey["id"] if survey and survey["sealed"] else None
        options = {i["id"]: i["title"] for i in cached(ideas.objective_ideas, actor, team_id, quarter, sealed)}
    elif step_key in ("key_results", "publish"):
        kind = "key_result"
        options = {k["id"]: k["title"] for k in cached(key_results.active, actor, team_id, quarter)}
    else:
        return
    if not options:
        return
    key = f"live_highlight_{step_key}"
    chosen = current["id"] if current and current["kind"] == kind and current["id"] in options else NOTHING
    st.session_state[key] = chosen
    labels = ideas.distinct_labels(options)
    st.selectbox("Show the room", [NOTHING, *options], key=key, format_func=lambda i: "Nothing highlighted"
                 if i == NOTHING else labels[i], on_change=_set_highlight, args=(actor, team_id, quarter, kind, key),
                 help="Highlighted on every follower's page and on the big screen.")


def _set_highlight(actor: auth.Actor, team_id: int, quarter: str, kind: str, key: str) -> None:
    chosen = st.session_state.get(key)
    try:
        room.highlight(actor, team_id, quarter, kind if chosen not in (None, NOTHING) else None, chosen or None)
    except OkrError as error:
        st.session_state[ERROR_KEY] = error.message
