"""Two Streamlit 1.67 races around live ticks, closed before they can cost a person a page.

**A tick the browser sent from a page the session has since left never runs.** When a run moves the page on the
server (st.switch_page: a follower taken along by the lead, "Move on"), the browser keeps its timers until the new
page's first message reaches it, and a tick it sends meanwhile carries the old page. Streamlit runs that tick as a
fragment run of the old page: the browser clears the page it shows, then fails on the fragment's output ("Bad delta
path index") and sends nothing more, so a follower is left behind for good and a click does nothing. Streamlit
clears the timers when the browser follows a page link (PR 9617), not when the server switches. Such a tick is
always stale, so it is dropped before it runs; the new page's run brings its own timers.
tests/browser/test_live_journey.py holds the follower's messages back, as a slow line does, to show it.

**A tick's redraw never takes the place of a run the person asked for.** A tick that saw others' writes redraws
the page with st.rerun(), which queues a run of the page shown. Streamlit folds two pending requests into one with
the later one's page, so a click on a link to another page that landed just before lost its page: the person
stayed where they were (the 20-session load test, after Home's "Answer the survey"). The tick checked for a pending
run first (okrdash/ui/live/ticks.py), but a click could still land between that check and the request. `redraw` makes
the check and the request one step, under the lock of Streamlit's request queue.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st

log = logging.getLogger("okrdash.live")


@functools.cache
def drop_ticks_from_pages_left() -> bool:
    """Patch Streamlit's AppSession.request_rerun to drop such ticks. app.py calls it on every run; it patches once
    per process and says whether it could."""
    from streamlit.runtime.app_session import AppSession

    if getattr(AppSession, "request_rerun", None) is None:
        log.warning("Streamlit's AppSession.request_rerun is gone: live ticks from a page left are not dropped")
        return False

    def dropping(original: Callable[..., None]) -> Callable[..., None]:
        def request_rerun(session: Any, client_state: Any) -> None:
            if client_state is not None and from_a_page_left(session, client_state):
                log.debug("%s tick from a page left dropped", str(getattr(session, "id", "-"))[:8])
                return
            original(session, client_state)

        return request_rerun

    _wrap_request_rerun(AppSession, "drops_ticks_from_pages_left", dropping)
    return True


def _wrap_request_rerun(owner: Any, marker: str, wrapper: Callable[[Any], Callable[..., Any]]) -> None:
    """Replace `owner.request_rerun` with `wrapper(original)`, marked with `marker`, unless it is already: the
    installers are cached, but a cleared cache must not wrap the patch in itself."""
    original = owner.request_rerun
    if getattr(original, marker, False):
        return
    patched = functools.wraps(original)(wrapper(original))
    setattr(patched, marker, True)
    owner.request_rerun = patched


def from_a_page_left(session: Any, client_state: Any) -> bool:
    """Whether a rerun request is a timer's fragment tick (not a click) sent from another page than the one the
    session's latest run started on, or than the one a pending full run is about to open."""
    page = getattr(client_state, "page_script_hash", "")
    if not (getattr(client_state, "is_auto_rerun", False) and getattr(client_state, "fragment_id", "") and page):
        return False
    # Streamlit sets this when a run starts, and when the run's runner ends (a run opened by URL starts with the
    # main script's hash and gets its page's once it ends): ticks during such a first run are dropped, harmlessly.
    started = getattr(getattr(session, "_client_state", None), "page_script_hash", "")
    pending = _pending_page(session)
    return bool(started and page != started) or bool(pending and page != pending)


def _pending_page(session: Any) -> str:
    """The page of a full run requested but not started yet (st.switch_page's), else ''."""
    from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

    requests = getattr(getattr(session, "_scriptrunner", None), "_requests", None)
    pending = getattr(requests, "_rerun_data", None)
    if getattr(requests, "_state", None) != ScriptRequestType.RERUN or pending is None or \
            getattr(pending, "fragment_id_queue", None):
        return ""
    return getattr(pending, "page_script_hash", "") or ""


_redraw = threading.local()  # set on the script thread while `redraw` asks for its run


@functools.cache
def redraws_yield_to_clicks() -> bool:
    """Patch Streamlit's ScriptRequests.request_rerun so that a run `redraw` asks for is queued only when no other
    run is pending, checked under the queue's lock. app.py calls it on every run; it patches once per process and
    says whether it could (without it, `redraw` checks just before asking, as before)."""
    from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequests, ScriptRequestType

    if getattr(ScriptRequests, "request_rerun", None) is None or not hasattr(ScriptRequests, "_request_rerun_locked"):
        log.warning("Streamlit's ScriptRequests changed: a live redraw may still cancel a click on a page link")
        return False

    def yielding(original: Callable[..., bool]) -> Callable[..., bool]:
        def request_rerun(requests: Any, new_data: Any) -> bool:
            if not getattr(_redraw, "asking", False):
                return original(requests, new_data)
            with requests._lock:
                if requests._state == ScriptRequestType.RERUN:  # the person's run comes first, and draws the page
                    log.debug("redraw left to the run already asked for (page %s)",
                              str(getattr(requests._rerun_data, "page_script_hash", ""))[:8])
                    return True
                _redraw.before()
                return requests._request_rerun_locked(new_data)

        return request_rerun

    _wrap_request_rerun(ScriptRequests, "yields_to_clicks", yielding)
    return True


def redraw(before: Callable[[], None], run_asked: Callable[[], bool]) -> None:
    """st.rerun() for a tick's redraw of the page shown, unless a run the person asked for is pending (it draws the
    page anyway, and it keeps the page they asked for). `before()` runs only when the redraw is asked for (it marks
    the run as a redraw). `run_asked()` says whether a run is pending, for when the patch could not be made."""
    if not redraws_yield_to_clicks():
        if not run_asked():
            before()
            st.rerun()
        return
    _redraw.asking, _redraw.before = True, before
    try:
        st.rerun()  # queued by the patched request_rerun, or not; either way the pending run starts here
    finally:
        _redraw.asking = False
