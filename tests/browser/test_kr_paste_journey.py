"""Journey (Chromium): Onboarding's lead pastes five lines into the key-results step, gets five drafts with their
readings and SMART verdicts, keeps two and saves them."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.streamlit_page import assert_no_exception, open_as, wait_idle
from tests.browser.test_kr_journey import OBJECTIVE, SETUP, TOMAS, app, settle, tall_screenshot  # noqa: F401

LEVEL = "(?:check_circle|warning|cancel)"  # the verdict icon beside each letter
LETTERS = re.compile(f"{LEVEL} S.*{LEVEL} M.*{LEVEL} A.*{LEVEL} R.*{LEVEL} T", re.S)
FIVE = "\n".join([
    "Grow weekly trials by 21% quarter over quarter",
    "Keep p99 import latency < 2s",
    "Publish the migration guide for Square and Fresha by end of the quarter",
    "Improve onboarding",
    "Cut CSM hours per mid-market onboarding from 9 to 4",
])


def test_five_pasted_lines_become_five_drafts_and_two_are_saved(app, new_page):  # noqa: F811
    page = new_page(1400, 1100)
    open_as(page, app.url, TOMAS)
    page.goto(f"{app.url}/workshop_key_results?team=Onboarding&quarter={SETUP['quarter']}&as={TOMAS}")
    wait_idle(page)
    expect(page.get_by_text(OBJECTIVE)).to_be_visible()
    expect(page.get_by_text("Key results · 0 of 5")).to_be_visible()

    page.get_by_text("Paste many lines", exact=True).click()
    settle(page)
    paste = page.locator(".st-key-krs_paste_open")
    paste.get_by_label("Key results, one per line").fill(FIVE)
    paste.get_by_label("Key results, one per line").press("Tab")
    settle(page)
    paste.get_by_role("button", name="Read the lines").click()
    settle(page)
    drafts = page.locator('[class*="st-key-krs_paste_"][class*="_card"]')
    expect(drafts).to_have_count(5)
    for n in range(5):  # each draft shows what was read and its five letters
        expect(drafts.nth(n).get_by_text("Read as:")).to_be_visible()
        expect(drafts.nth(n)).to_contain_text(LETTERS)
    expect(drafts.nth(0).get_by_text("Increase by 21% · weekly trials")).to_be_visible()
    expect(drafts.nth(3).get_by_text("Read as: Milestone")).to_be_visible()
    assert_no_exception(page)
    tall_screenshot(page, "kr-paste-five-drafts")

    for n in (1, 2, 3):  # keep the first and the last
        drafts.nth(n).get_by_text("Keep", exact=True).click()
        settle(page)
    save = paste.get_by_role("button", name="Save the 2 kept key results")
    expect(save).to_be_visible()
    save.click()
    settle(page)
    assert_no_exception(page)
    expect(page.get_by_text("Key results · 2 of 5")).to_be_visible()
    cards = page.locator('[class*="st-key-krs_"][class*="_card"]:not([class*="paste"])')
    expect(cards.filter(has_text="Grow weekly trials by 21% quarter over quarter")).to_have_count(1)
    expect(cards.filter(has_text="Cut CSM hours per mid-market onboarding from 9 to 4")).to_have_count(1)
    tall_screenshot(page, "kr-paste-two-saved")
