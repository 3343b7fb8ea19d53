"""Journey: a Mobile Apps member answers the open survey (two objective ideas and a KR idea), reloads and finds the
draft intact, submits; the lead, in a second browser, sees participation go up."""

from urllib.parse import urlencode

from playwright.sync_api import Page, expect

from tests.browser.streamlit_page import (
    assert_no_exception,
    expect_toast,
    forget_toasts,
    open_as,
    screenshot,
    wait_idle,
)

MEMBER = "ben.carter@harbor.example"  # Mobile Apps, has not started
LEAD = "chloe.martin@harbor.example"  # leads Mobile Apps


def form_with(page: Page, button: str):
    """The st.form holding the submit button labelled `button`."""
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name=button, exact=True))


def answered(page: Page):
    return page.get_by_test_id("stMetric").filter(has_text="Answered")


def add_objective(page: Page, title: str, problem: str) -> None:
    form = form_with(page, "Add objective idea")
    form.get_by_label("Objective idea").fill(title)
    form.get_by_label("The problem it solves").fill(problem)
    forget_toasts(page)
    form.get_by_role("button", name="Add objective idea").click()
    wait_idle(page)
    expect_toast(page, f"Objective idea “{title}” added to your draft.")
    assert_no_exception(page)


def test_member_drafts_reloads_submits_and_the_lead_sees_it(app, new_page):
    lead = new_page()
    lead.goto(app.url)  # the process's first run goes through app.py (see app.py's note on legacy mode)
    expect(lead.get_by_role("heading", name="Hello, Maya")).to_be_visible()
    open_as(lead, app.url, LEAD, "survey_manage")
    expect(lead.get_by_role("heading", name="Mobile Apps survey · 2027-Q1")).to_be_visible()
    expect(answered(lead)).to_contain_text("0 of 6")
    assert_no_exception(lead)
    screenshot(lead, "survey-lead-before")

    member = new_page()
    open_as(member, app.url, MEMBER, "survey")
    expect(member.get_by_role("heading", name="1. Read first")).to_be_visible()
    expect(member.get_by_text("Company objective: Make getting paid effortless")).to_be_visible()
    add_objective(member, "Offline job notes", "Technicians lose notes where there is no signal")
    add_objective(member, "Faster app start", "Cold start takes 6 s on older Android phones")
    member.get_by_text("Add a key-result idea").first.click()  # under the first objective idea
    kr_form = member.locator("[class*='st-key-survey_'][class*='_kr_form']").first  # live, not an st.form
    kr_form.get_by_label("Key-result idea", exact=True).fill("Notes synced within a minute")
    kr_form.get_by_label("Key-result idea", exact=True).press("Tab")
    wait_idle(member)  # the line is read (and fields prefilled) in a rerun: type the numbers after it
    # Each field is committed (Tab) and its rerun awaited, at a person's pace: typing into the next field while
    # the previous one's rerun prefills from the line can lose a value (noted on issue 11, open).
    for label, value in (("Baseline (today)", "40"), ("Target", "95"), ("Unit", "%")):
        kr_form.get_by_label(label).fill(value)
        kr_form.get_by_label(label).press("Tab")
        wait_idle(member)
    forget_toasts(member)
    kr_form.get_by_role("button", name="Add key-result idea").click()
    wait_idle(member)
    expect_toast(member, "Key-result idea “Notes synced within a minute” added to your draft.")
    screenshot(member, "survey-member-draft")

    # A reload (a lost tab, a dropped connection) brings the draft back as it was left.
    member.reload()
    wait_idle(member)
    expect(member.get_by_text("1. Offline job notes")).to_be_visible()
    expect(member.get_by_text("2. Faster app start")).to_be_visible()
    expect(member.get_by_text("Notes synced within a minute")).to_be_visible()
    expect(member.get_by_text("40% → 95%")).to_be_visible()
    expect(member.get_by_text("Draft saved today at")).to_be_visible()
    expect(member.get_by_text("Your answer: 2 objective ideas, 1 key-result idea")).to_be_visible()
    assert_no_exception(member)

    forget_toasts(member)
    member.get_by_role("button", name="Submit my answer").click()
    wait_idle(member)
    expect_toast(member, "Submitted, thank you! 3 ideas went to the workshop.")
    expect(member.get_by_text("your answer is up to date")).to_be_visible()  # and lastingly, at Submit
    assert_no_exception(member)
    screenshot(member, "survey-member-submitted")

    lead.reload()
    wait_idle(lead)
    expect(answered(lead)).to_contain_text("1 of 6", timeout=20_000)  # a reloaded page on a busy CI worker
    expect(lead.get_by_test_id("stMetric").filter(has_text="Response rate")).to_contain_text("17%")
    expect(lead.get_by_text("Ben Carter · answered")).to_be_visible()
    assert_no_exception(lead)
    screenshot(lead, "survey-lead-after")


def test_a_link_to_a_survey_opens_that_survey(app, new_page):
    """Home and the reminder link to a survey by the picker's label; Priya answers for two teams."""
    page = new_page()
    page.goto(app.url)  # see above: the process's first run goes through app.py
    wait_idle(page)
    query = urlencode({"survey": "Onboarding · 2027-Q1 (closed)", "as": "priya.raman@harbor.example"})
    page.goto(f"{app.url}/survey?{query}")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Onboarding · 2027-Q1")).to_be_visible()
    expect(page.get_by_text("so it can no longer be answered")).to_be_visible()
    assert_no_exception(page)
    # Home's "Answer the survey" goes to the open one.
    page.goto(f"{app.url}/?as=priya.raman@harbor.example")
    wait_idle(page)
    page.get_by_role("link", name="Answer the survey").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Payments & Invoicing · 2027-Q1")).to_be_visible()
    assert_no_exception(page)
