"""Live pages: the fragment that ticks on a page and redraws it when what it shows changed (okrdash.live has
the rules; okrdash/ui/live/__init__.py the whole package).

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
never runs (stale_ticks.py, beside this module).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from okrdash import auth, live
from okrdash.ui.live import stale_ticks

log = logging.getLogger("okrdash.live")  # OKRDASH_LOG_LEVEL=DEBUG: each tick's decision (the browser journeys')
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
    """Rerun the page unless the person asked for a run (stale_ticks.py: checked and asked in one step);
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
    seen_key = _seen_key(key)
    page = _current_page()
    st.session_state[seen_key] = watched.version() if seen is None else seen
    if shows is not None:
        st.session_state[_shown_key(key)] = shown
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
            log.debug("%s %s tick: outlived its page", session_tag(), key)
            return
        seen_then = st.session_state.get(seen_key)
        if not watched.moved(seen_then):
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s %s tick: nothing moved", session_tag(), key)
            return
        if not _shows_something_new(key, watched, shows):
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s %s tick: moved, but the page would draw the same", session_tag(), key)
            return
        allowed = _may_redraw()
        asked = _run_asked()
        if log.isEnabledFor(logging.DEBUG):  # a tick is the hot path: build no line that nobody logs
            log.debug("%s %s tick: moved %s -> %s; redraw %s", session_tag(), key, version_total(seen_then),
                      version_total(watched.version()),
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
    if shows() != st.session_state.get(_shown_key(key)):
        return True
    st.session_state[_seen_key(key)] = version
    return False


def _seen_key(key: str) -> str:
    """Session state of the version live page `key` last drew at."""
    return f"_live_seen_{key}"


def _shown_key(key: str) -> str:
    """Session state of what live page `key` last drew, for a page that gives `shows`."""
    return f"_live_shown_{key}"


def session_tag() -> str:
    """This run's session, shortened, for the log."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    return "-" if ctx is None else ctx.session_id[:8]


def version_total(version: tuple | None) -> int | None:
    """A version in one number, for the log (it moves whenever the version does)."""
    return None if version is None else sum(map(sum, version))


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
