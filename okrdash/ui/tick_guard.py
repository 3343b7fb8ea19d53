"""A live tick never takes a person back to the page they left (a guard on Streamlit 1.67's run requests).

A live fragment (`st.fragment(run_every=…)`) ticks from a timer in the browser, and each tick's run request carries
the page the browser shows. A click on a page link clears the browser's timers, but the page being left may still
be running: its fragment re-arms a timer, and until the new page's run starts the browser still names the old page.
Streamlit folds a request that arrives while another waits into one, with the later one's page
(`ScriptRequests._request_rerun_locked`), so such a tick, arriving while the click's run waits, cancels the page
switch; arriving once the new page runs, it queues a run of the old page's fragment, which Streamlit treats as a
page change (it drops the new page's widget state).

`install()` wraps that method so that a timer tick (`is_auto_rerun`) for a page other than the last one asked for
(by the person, or by the app through `st.switch_page` and `st.rerun`) is dropped. Streamlit makes a ScriptRequests
for each run and the requests that arrive while it goes on, which is exactly when a tick can fold into a click.
Nothing is lost: the new page's run arms its own timers, whose ticks name it. tests/pages/test_live_pages.py pins
Streamlit's folding, so an upgrade that changes it is noticed and this guard can go.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

_LOGGER = logging.getLogger(__name__)
_ASKED = "_okrdash_page_asked"  # on each ScriptRequests: the page hash of the last request that was not a tick


def is_stale_tick(requests: Any, request: RerunData) -> bool:
    """Whether `request` is a timer tick for a page other than the last one asked for of these `requests`."""
    asked = getattr(requests, _ASKED, "")
    # A first request may name its page by URL only (an empty hash): nothing to compare a tick with yet.
    return bool(request.is_auto_rerun and asked and request.page_script_hash
                and request.page_script_hash != asked)


def install() -> None:
    """Guard Streamlit's run requests, once per process (app.py calls it on every run)."""
    original = ScriptRequests._request_rerun_locked
    if getattr(original, "_okrdash_guard", False):
        return

    @functools.wraps(original)
    def request_rerun_locked(self: ScriptRequests, new_data: RerunData) -> bool:
        if is_stale_tick(self, new_data):
            _LOGGER.debug("dropped a live tick for page %s: page %s was asked for since",
                          new_data.page_script_hash, getattr(self, _ASKED))
            return True
        if not new_data.is_auto_rerun and new_data.page_script_hash:
            setattr(self, _ASKED, new_data.page_script_hash)
        return original(self, new_data)

    request_rerun_locked._okrdash_guard = True  # type: ignore[attr-defined]
    ScriptRequests._request_rerun_locked = request_rerun_locked  # type: ignore[method-assign]
