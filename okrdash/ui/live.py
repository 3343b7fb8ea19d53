"""Live pages: what others do shows within seconds, without a reload (okrdash.live has the rules).

`watch` records the version of what the page shows as it starts drawing, then runs a fragment that ticks every
`OKRDASH_LIVE_SECONDS` (2 s; every second while a timebox runs). A tick costs a `db.sync()` and a few dict lookups;
when the version moved it reruns the page, which draws again from `ui.cached` reads (only the reads the write
concerns are made again); a page that gives `shows` (Home) only when what it draws changed. On a tick where
nothing moved the fragment re-emits what it drew, which is only the timebox line: Streamlit clears a fragment's
elements that a rerun does not send again, so everything else lives outside it. Inputs live outside it too, and a
rerun keeps what a person is typing (checked in Chromium).

A redraw costs a whole page run. So that many sessions watching one busy team cannot fill the server with redraws
(20 people writing at once, each write redrawing the other 19 pages), each session has a budget of redraws for
others' writes (a token bucket): up to BURST at once after a quiet spell, so what a team mate does shows at the
next tick, then refilled at REDRAW_SHARE of the session's time over what its last redraw took. Under load, when
redraws take longer, they space out by themselves. A tick that runs on a page other than the one that started it
(a fragment outliving a page switch) does nothing, and a tick the browser sent from a page the session has left
never runs (okrdash/ui/stale_ticks.py).

`bar` is the live strip of every workshop step: who presents, Follow, the lead's Present / timebox / highlight
controls, and the countdown. A follower's page moves to the presented step here, on the run a tick starts.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from okrdash import auth, fmt, ideas, key_results, live, teams, workshop
from okrdash.errors import OkrError
from okrdash.live import room, timebox
from okrdash.ui import stale_ticks
from okrdash.ui.widgets import act, cached, clock, flash, switch_page, this_minute

log = logging.getLogger("okrdash.live")  # OKRDASH_LOG_LEVEL=DEBUG: each tick's decision (the browser journeys')
PAGES = {key: page for key, _, page in workshop.STEPS}
TITLES = {key: title for key, title, _ in workshop.STEPS}
NUMBERS = {key: n for n, (key, _, _) in enumerate(workshop.STEPS, start=1)}
ERROR_KEY = "_live_error"
SCREEN = "pages/workshop_screen.py"
NOTHING = 0  # the highlight picker's "nothing highlighted" (ids start at 1)
REDRAW_SHARE = 0.1  # at most this share of a session's time goes to redraws for others' writes, once busy
BURST = 5  # redraws a session may make at once after a quiet spell (a follower moving with the lead)
REDRAWING_KEY = "_live_redrawing"  # set by a tick that reruns the page, until the rerun has ended
BUDGET_KEY = "_live_budget"  # Budget of this session


@dataclass(frozen=True)
class Budget:
    """A session's redraws in hand at `at` (time.monotonic()), and what its last redraw took."""

    tokens: float = BURST
    at: float = 0.0
    redraw_seconds: float = 0.1

    def spend(self, now: float) -> tuple[bool, Budget]:
        """Whether a redraw may happen at `now`, and the budget after it (or after deciding against it)."""
        tokens = min(BURST, self.tokens + (now - self.at) * REDRAW_SHARE / max(self.redraw_seconds, 0.01))
        if tokens >= 1:
            return True, Budget(tokens - 1, now, self.redraw_seconds)
        return False, Budget(tokens, now, self.redraw_seconds)


def run_finished(seconds: float) -> None:
    """app.py: a whole run of this session took `seconds` and has just ended; if a tick asked for it, it is what a
    redraw costs now."""
    if st.session_state.pop(REDRAWING_KEY, False):
        budget = st.session_state.get(BUDGET_KEY) or Budget(at=time.monotonic())
        st.session_state[BUDGET_KEY] = Budget(budget.tokens, budget.at, seconds)


def redrawing() -> bool:
    """Whether this run is a redraw a tick asked for (others' writes), not something the person did."""
    return bool(st.session_state.get(REDRAWING_KEY))


def _may_redraw() -> bool:
    now = time.monotonic()
    allowed, st.session_state[BUDGET_KEY] = (st.session_state.get(BUDGET_KEY) or Budget(at=now)).spend(now)
    return allowed


def _current_page() -> str | None:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.page_script_hash


def _run_asked() -> bool:
    """Whether the person asked for a run while this tick ran (a link or a widget clicked).

    A tick must not then ask for its own: Streamlit folds two pending requests into one with the later one's page,
    so the tick's rerun of the page shown would cancel the person's page switch. Their run draws the page from the
    latest data anyway. The pending request is only visible in Streamlit's private ScriptRequests state; without it
    the tick behaves as before."""
    from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    requests = getattr(ctx, "script_requests", None)
    return getattr(requests, "_state", None) == ScriptRequestType.RERUN


def _rerun_unless_asked(*, redraw: bool = False) -> None:
    """Rerun the page unless the person asked for a run (okrdash/ui/stale_ticks.py: checked and asked in one step);
    `redraw`: the run is a redraw for others' writes (`redrawing`)."""
    def mark() -> None:
        if redraw:
            st.session_state[REDRAWING_KEY] = True

    stale_ticks.redraw(mark, _run_asked)


def watch(key: str, watched: live.Watch, *, seen: tuple | None = None, tick: Callable[[], None] | None = None,
          fast: bool = False, shows: Callable[[], Any] | None = None, shown: Any = None) -> None:
    """Rerun the page when a write it shows lands. `seen`: the version taken before the page's reads (default:
    now, so call it first). `tick` draws what changes between writes (a countdown) on every tick, and returns True
    when the page should draw again all the same (the timebox ran out); `fast` ticks faster (a timebox runs).
    `shows` reads again what the page drew as `shown`: given, the page is redrawn only when that changed, not at
    every write to the tables it watches (`_shows_something_new`).

    The ticking fragment is the last element of its block: in Streamlit 1.67, on a loaded machine, the element
    that follows a ticking fragment in its block can vanish until the next full run, a form with its button
    included (bench/repro/fragment_form.py: 3 of 4 trials, also with a fragment that draws nothing; none of 4 with
    the fragment at the sidebar's end). So a fragment that draws nothing goes to the sidebar's end; a caller with a
    `tick` calls this last in its block (the live bar draws it into a slot above what follows)."""
    seen_key = f"_live_seen_{key}"
    page = _current_page()
    st.session_state[seen_key] = watched.version() if seen is None else seen
    st.session_state[f"_live_shown_{key}"] = shown
    seconds = live.tick_seconds()
    if not seconds:  # live updates turned off (OKRDASH_LIVE_SECONDS=0): drawn once per run
        if tick:
            tick()
        return

    @st.fragment(run_every=min(seconds, live.TIMER_SECONDS) if fast else seconds)
    def live_tick() -> None:
        if tick and tick():  # the timebox ran out: the lead's Extend / Move on, at once
            _rerun_unless_asked()
        if _current_page() != page:  # this fragment outlived a page switch: the new page is not its to redraw
            log.debug("%s %s tick: outlived its page", _session(), key)
            return
        seen_then = st.session_state.get(seen_key)
        if not watched.moved(seen_then):
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s %s tick: nothing moved", _session(), key)
            return
        if not _shows_something_new(key, watched, shows):
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s %s tick: moved, but the page would draw the same", _session(), key)
            return
        allowed = _may_redraw()
        asked = _run_asked()
        if log.isEnabledFor(logging.DEBUG):  # a tick is the hot path: build no line that nobody logs
            log.debug("%s %s tick: moved %s -> %s; redraw %s", _session(), key, _total(seen_then),
                      _total(watched.version()),
                      "no: the person asked for a run" if asked else "yes" if allowed else "no: budget spent")
        if allowed and not asked:
            _rerun_unless_asked(redraw=True)

    if tick is None:
        with st.sidebar:
            live_tick()
    else:
        live_tick()


def _shows_something_new(key: str, watched: live.Watch, shows: Callable[[], Any] | None) -> bool:
    """Called when the watched version moved: whether what the page draws from it changed (True without `shows`).
    If not, the new version becomes the one seen, and no redraw happens. A redraw replaces links under a person's
    pointer, so a page none of whose content changed is not redrawn: Home follows its person's teams, where every
    team mate's check-in moves the version, and a redraw as a person clicked lost the click (README, "Load")."""
    if shows is None:
        return True
    version = watched.version()  # before the read: a write landing in between moves it again
    if shows() != st.session_state.get(f"_live_shown_{key}"):
        return True
    st.session_state[f"_live_seen_{key}"] = version
    return False


def _session() -> str:
    """This run's session, shortened, for the log."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return "-" if ctx is None else ctx.session_id[:8]


def _total(version: tuple | None) -> int | None:
    """A version in one number, for the log (it moves whenever the version does)."""
    return None if version is None else sum(map(sum, version))


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


def workshop_watch(team_id: int, quarter: str) -> live.Watch:
    return live.Watch.of(live.WORKSHOP_TABLES, [(team_id, quarter)])


def watch_home(actor: auth.Actor, summary: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Home's "what you owe now" follows the person's teams (any quarter): a survey opened, a round to vote in.
    Returns `summary()`, what Home draws; the page is redrawn when a write in those teams changes it."""
    if not actor.member_of:
        return summary()
    watched = live.Watch.of(live.HOME_TABLES, [(team, None) for team in sorted(actor.member_of)])
    seen = watched.version()
    drawn = summary()
    watch("home", watched, seen=seen, shows=summary, shown=drawn)
    return drawn


def watch_survey(team_id: int, quarter: str) -> None:
    """Survey setup's participation follows the team's survey: who answers, who drafts, as it happens."""
    watch("survey_manage", live.Watch.of(live.SURVEY_TABLES, [(team_id, quarter)]))


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
        log.debug("%s arrive %s on %s at %s: presenter %s on %s, following %s, goes %s", _session(), actor.email,
                  step_key, _total(seen), state["presenter_id"], state["step"], state["following"], goes)
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
