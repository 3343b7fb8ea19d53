"""Helpers for driving a Streamlit page in Playwright: wait for script runs, read errors, take screenshots."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


# Every toast the page shows, as it appears (installed in each browser context by the `new_page` fixture). A toast
# lasts 4 s from when it is drawn; on a busy two-core worker the run that draws it can go on for longer than that,
# so looking for a toast on screen after the run misses it. The log keeps what was shown.
TOAST_LOG = """
window.__toasts = [];
new MutationObserver(() => {
    for (const toast of document.querySelectorAll('[data-testid="stToast"]')) {
        const text = toast.textContent;
        if (text && !window.__toasts.includes(text)) window.__toasts.push(text);
    }
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


# Every change of the app's script-run state ("running" / "notRunning"): a click that reached the server starts a run.
RUN_LOG = """
window.__runStates = 0;
new MutationObserver((records) => { window.__runStates += records.length; })
    .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
PAGE_LOGS = TOAST_LOG + RUN_LOG  # what the `new_page` fixture installs in every browser context


FORGET_TOASTS = "() => { window.__toasts.length = 0; }"
TOAST_SHOWN = "(text) => window.__toasts.some((shown) => shown.includes(text))"  # a toast containing `text`


# True once no script run is in progress and no element of an earlier run is left (see `wait_idle`); the load
# test's async pages use it too.
IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-script-state');
    return state === 'notRunning' && !document.querySelector('[data-stale="true"]');
}"""


def forget_toasts(page: Page) -> None:
    """Empty the toast log (before the action whose toast `expect_toast` then waits for)."""
    page.evaluate(FORGET_TOASTS)


def expect_toast(page: Page, text: str, timeout: float = 20_000) -> None:
    """Wait until a toast containing `text` has been shown (it may have faded since)."""
    page.wait_for_function(TOAST_SHOWN, arg=text, timeout=timeout)


def wait_idle(page: Page, timeout: float = 20_000) -> None:
    """Wait until the app has rendered, no script run is in progress and no element of an earlier run is left.

    Until a run has drawn as far, the page still shows the last run's elements, marked stale. Once in CI, the KR
    detail's first "Download the data (CSV)" gave the confidence chart's file, not the progress chart's: the
    likeliest reading is a click during a run, on the button of another layout."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(150)


def click_button(page: Page, name: str, *, delivered_within: float = 8_000) -> None:
    """Click the button named `name`, and once more if the app's script-run state did not move within
    `delivered_within` ms (the click never reached Streamlit).

    Once in this project's clean-clone CI runs (stop 19), on a machine loaded by the other test worker, the blind
    round's "Close the round" click left the page exactly as it was; 90 tries under load did not reproduce it. A
    person clicks again, and so does this. A click after which a run started is never repeated, so an app that ran
    the click and then lost it still fails the journey (a live tick's run counts as a run too: this catches a lost
    click most of the time, not always)."""
    button = page.get_by_role("button", name=name, exact=True).first
    before = page.evaluate("window.__runStates")
    button.click()
    try:
        page.wait_for_function("(before) => window.__runStates > before", arg=before, timeout=delivered_within)
    except PlaywrightTimeoutError:
        print(f"click on “{name}”: the script-run state did not move in {delivered_within / 1000:g} s; clicking again")
        button.click()
    wait_idle(page)


def choose(page: Page, label: str, option: str, *, within=None) -> None:
    """Pick `option` in the selectbox labelled `label`: type to filter, wait for the filter, click the option.

    (Acting on Streamlit 1.67's virtualised list before its debounced filter settles selects another option.)
    """
    scope = within or page
    scope.get_by_label(label, exact=True).click()
    page.keyboard.type(option)
    # The filter is debounced and a late filter pass resets the selection: let it settle, then check it did.
    page.wait_for_timeout(600)
    page.wait_for_function(
        """(text) => {
            const options = [...document.querySelectorAll('[role="option"]')];
            return options.length > 0 && options.every((o) => o.textContent.includes(text));
        }""",
        arg=option,
    )
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def open_as(page: Page, base_url: str, email: str, path: str = "", **query: object) -> None:
    """Open a page of the app acting as `email` (demo identity mode's ?as= query parameter), with more query
    parameters if given (e.g. kr=12)."""
    page.goto(f"{base_url}/{path}?{urlencode({**query, 'as': email})}")
    wait_idle(page)


def assert_no_exception(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
