"""Journey: Scheduling's workshop for the planning quarter, in separate browser sessions. The lead (Oliver Grant)
merges duplicates, adds an idea live and opens a blind round; two members (Mei Chen, Jonas Keller) vote from their
own sessions; totals stay hidden from everyone until the lead closes the round; the lead makes the top idea the
objective and lists two deprioritized items (one from the ideas, one typed); a member reads it all.

The journey brings its own favourite idea (added live), so it does not depend on which ideas the demo's survey
drew."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.streamlit_page import assert_no_exception, click_button, open_as, screenshot, wait_idle

OLIVER, MEI, JONAS = "oliver.grant@harbor.example", "mei.chen@harbor.example", "jonas.keller@harbor.example"
FAVOURITE = "Confirm every booking by SMS the day before"


def settle(page: Page) -> None:
    """Wait out a write's two script runs (the write, then its st.rerun), so no stale element lingers."""
    wait_idle(page)
    page.wait_for_timeout(300)
    wait_idle(page)


def click(page: Page, name: str) -> None:
    click_button(page, name)
    settle(page)
    assert_no_exception(page)


def dot_inputs(page: Page):
    return page.get_by_test_id("stNumberInput").locator("input")


def vote(page: Page, favourite_points: int, other_points: int) -> None:
    """Dot votes for the favourite and the first other idea listed, then a full ranking with the favourite first."""
    form = page.get_by_test_id("stForm").filter(has_text="Spend up to")
    form.get_by_label(FAVOURITE, exact=True).fill(str(favourite_points))
    labels = [box.get_attribute("aria-label") for box in dot_inputs(form).all()]
    other = form.get_by_label(next(label for label in labels if label != FAVOURITE), exact=True)
    other.fill(str(other_points))
    other.press("Tab")
    click(page, "Cast my Dot ballot")
    expect(page.get_by_text("Your dot voting ballot is in.")).to_be_visible()
    page.get_by_role("tab", name=re.compile("Ranked choice")).click()
    ranking = page.get_by_test_id("stForm").filter(has_text="in order of preference")
    box = ranking.get_by_role("combobox")
    options = int(re.search(r"Pick all (\d+) ideas", ranking.inner_text()).group(1))
    box.click()
    page.get_by_role("option", name=FAVOURITE, exact=True).click()
    for _ in range(options - 1):  # then the rest in the order offered
        box.click()
        page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    click(page, "Cast my Borda ballot")
    expect(page.get_by_text("Your ranked choice (borda) ballot is in.")).to_be_visible()


def test_lead_runs_a_blind_round_members_vote_and_the_top_idea_becomes_the_one_objective(app, new_page):
    lead = new_page()
    open_as(lead, app.url, OLIVER, "workshop")
    assert_no_exception(lead)
    expect(lead.get_by_role("heading", name="1 · Strategic context")).to_be_visible()
    screenshot(lead, "workshop-1-context-lead")

    # Consolidate: merge the first suggested group of duplicates.
    lead.get_by_role("link", name="Next: consolidate the ideas").click()
    wait_idle(lead)
    expect(lead.get_by_role("heading", name="Suggested duplicates")).to_be_visible()
    screenshot(lead, "workshop-2-consolidate-lead")
    click(lead, "Merge into one idea")
    expect(lead.get_by_text(re.compile(r"Merged \d ideas into"))).to_be_visible()
    lead.get_by_label("Objective idea").fill(FAVOURITE)
    lead.get_by_label("The problem it solves").fill("11% of appointments are no-shows.")
    click(lead, "Add idea")
    expect(lead.get_by_text("Idea added.")).to_be_visible()

    # Rank: open a blind round (dot voting and Borda by default).
    lead.get_by_role("link", name="Next: rank the ideas").click()
    wait_idle(lead)
    click(lead, "Open the round")
    expect(lead.get_by_text("Round opened. Members can vote now from their own session.")).to_be_visible()
    expect(lead.get_by_text("0 of 6 members have voted")).to_be_visible()

    # Two members vote, each from a session of their own.
    mei = new_page()
    open_as(mei, app.url, MEI, "workshop_rank")
    expect(mei.get_by_text("Blind round: totals are hidden from everyone, the lead included")).to_be_visible()
    vote(mei, 5, 3)
    screenshot(mei, "workshop-3-rank-member-voted")
    expect(mei.get_by_text("Top idea:")).to_have_count(0)

    jonas = new_page()
    open_as(jonas, app.url, JONAS, "workshop_rank")
    vote(jonas, 4, 5)

    # Totals stay hidden from the lead too until the round closes.
    open_as(lead, app.url, OLIVER, "workshop_rank")
    expect(lead.get_by_text("2 of 6 members have voted")).to_be_visible()
    expect(lead.get_by_text("Top idea:")).to_have_count(0)
    expect(lead.get_by_role("heading", name="Results")).to_have_count(0)
    expect(lead.get_by_text("Mei Chen and Jonas Keller")).to_have_count(0)  # voice balance names who has NOT voted
    screenshot(lead, "workshop-3-rank-lead-blind")
    click(lead, "Close the round and reveal results")
    expect(lead.get_by_text("Voting ends for everyone")).to_be_visible()
    click(lead, "Close and reveal")
    expect(lead.get_by_text(f"Top idea: {FAVOURITE}")).to_be_visible()
    expect(lead.get_by_test_id("stVegaLiteChart")).to_be_visible()
    screenshot(lead, "workshop-3-rank-lead-results")

    open_as(mei, app.url, MEI, "workshop_rank")
    expect(mei.get_by_text(f"Top idea: {FAVOURITE}")).to_be_visible()
    expect(mei.get_by_role("button", name="Cast my Dot ballot")).to_have_count(0)

    # Create focus: the winner is pre-selected; the lead makes it the objective and lists two deprioritized items.
    lead.get_by_role("link", name=re.compile("Next: create focus")).click()
    wait_idle(lead)
    expect(lead.get_by_text(f"“{FAVOURITE}” came top in the round")).to_be_visible()
    lead.get_by_label("Objective", exact=True).fill("Every booked slot turns into a job done")
    click(lead, "Make this our objective")
    expect(lead.get_by_text("This is the team's objective for the quarter.")).to_be_visible()
    expect(lead.get_by_role("heading", name="Every booked slot turns into a job done")).to_be_visible()
    expect(lead.get_by_role("button", name="Make this our objective")).to_have_count(0)

    typed = lead.get_by_label("What you deprioritize")  # "something else — type it" is the starting choice
    expect(typed).to_be_editable()
    typed.fill("Apple Calendar integration")
    lead.get_by_label("Why not this quarter").fill("Under 4% of connected calendars.")
    expect(typed).to_have_value("Apple Calendar integration")
    click(lead, "Add to the list")
    expect(lead.get_by_text("Added to the deprioritized list.")).to_be_visible()
    lead.get_by_label("What are you saying no to?", exact=True).click()
    lead.get_by_role("option").nth(1).click()  # the first idea offered (option 0 is "type it")
    settle(lead)
    expect(typed).to_be_disabled()  # it shows the idea's own title
    from_idea = typed.input_value()
    assert from_idea
    lead.get_by_label("Why not this quarter").fill("Needs a maps vendor decision we don't own yet.")
    click(lead, "Add to the list")
    expect(lead.get_by_text("Added to the deprioritized list.")).to_be_visible()
    screenshot(lead, "workshop-4-focus-lead")
    expect(lead.get_by_text("Apple Calendar integration", exact=True)).to_be_visible()
    expect(lead.get_by_text(from_idea, exact=True).first).to_be_visible()
    expect(lead.get_by_role("button", name="Remove")).to_have_count(2)
    expect(lead.get_by_text("Under 4% of connected calendars.")).to_be_visible()
    expect(lead.get_by_text("Needs a maps vendor decision we don't own yet.")).to_be_visible()

    # A member reads the result, read-only.
    open_as(mei, app.url, MEI, "workshop_focus")
    expect(mei.get_by_role("heading", name="Every booked slot turns into a job done")).to_be_visible()
    expect(mei.get_by_text("Apple Calendar integration")).to_be_visible()
    expect(mei.get_by_text("Needs a maps vendor decision we don't own yet.")).to_be_visible()
    expect(mei.get_by_role("button", name="Add to the list")).to_have_count(0)
    screenshot(mei, "workshop-4-focus-member")
