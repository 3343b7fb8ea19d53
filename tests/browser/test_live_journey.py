"""Journey: a live workshop on one server, several people in their own browser contexts, nobody reloading.

- A member adds an idea and the lead's Consolidate step shows it within 3 s; another member's half-typed idea
  survives the live refreshes around it.
- Three members vote and the lead's counter goes 0 → 3 live.
- A follower's page moves to the step the lead presents, and after losing the connection gets back in step.
- The timebox shows the same time on two screens, within a second; the big screen passes axe-core.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from okrdash import auth, ideas, quarters, rounds, teams
from tests.browser.axe import serious_violations
from tests.browser.conftest import App
from tests.browser.streamlit_page import assert_no_exception, click_button, open_as, screenshot, wait_idle
from tests.conftest import filled

LIVE = 3_000  # ms: what others do shows within 3 s
# ms: a follower's page moves with the presenter. No time is promised, and a follower left behind stays behind for
# good (nothing else moves it), so waiting as long as a reconnect does tells a stuck follower from one slowed by the
# other test worker's load (one clean-clone run on PostgreSQL waited 10 s for it, in vain; the server log now shows
# each tick's decision when it fails).
FOLLOW = 20_000
OLIVER, MEI, JONAS = "oliver.grant@harbor.example", "mei.chen@harbor.example", "jonas.keller@harbor.example"
VOTING_TEAM = "Payments & Invoicing"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory, demo_template: str, storage,
             timing_sensitive) -> Iterator[tuple[App, dict]]:
    """The app on a copy of the demo organisation where Payments & Invoicing has a dot-voting round nobody has
    voted in yet."""
    def open_a_round() -> dict:
        team = next(t["id"] for t in teams.all_teams() if t["name"] == VOTING_TEAM)
        quarter = quarters.planning_key()
        crew = teams.members(team)
        lead = auth.load_by_email(next(m["email"] for m in crew if m["role"] == "lead"))
        while len(ideas.objective_ideas(lead, team, quarter, None)) < 2:
            ideas.create(team, quarter, f"Idea {len(ideas.objective_ideas(lead, team, quarter, None)) + 1}")
        rounds.open_round(lead, team, quarter, methods=["dot"], title="Which objective?")
        return {"quarter": quarter, "lead": lead.email, "eligible": len(crew),
                "voters": [m["email"] for m in crew if m["role"] == "member"][:3]}

    folder = tmp_path_factory.mktemp("live")
    database, facts = filled(storage, folder / "app.duckdb", open_a_round, template=demo_template)
    running = App(database, folder / "streamlit.log")
    yield running, facts
    running.stop()


def mark(page: Page) -> None:
    """Something only this document holds: gone if the page reloads."""
    page.evaluate("window.__notReloaded = true")


def not_reloaded(page: Page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def click(page: Page, name: str) -> None:
    click_button(page, name)
    assert_no_exception(page)


def test_a_members_idea_reaches_the_lead_live_and_a_half_typed_idea_survives(live_app, new_page):
    app, _ = live_app
    lead = new_page()
    open_as(lead, app.url, OLIVER, "workshop_consolidate")
    mark(lead)
    typist = new_page()
    open_as(typist, app.url, MEI, "workshop_consolidate")
    box = typist.get_by_label("Objective idea", exact=True)
    box.click()
    typist.keyboard.type("Let clients reschedule")  # half-typed, never submitted

    adder = new_page()
    open_as(adder, app.url, JONAS, "workshop_consolidate")
    adder.get_by_label("Objective idea", exact=True).fill("Waitlist fills cancelled slots")
    click(adder, "Add idea")
    expect(adder.get_by_text("Idea added.")).to_be_visible()
    expect(lead.get_by_text("Waitlist fills cancelled slots").first).to_be_visible(timeout=LIVE)
    expect(typist.get_by_text("Waitlist fills cancelled slots").first).to_be_visible(timeout=LIVE)
    typist.wait_for_timeout(2_500)  # another tick or two
    assert box.input_value() == "Let clients reschedule"
    assert typist.evaluate("document.activeElement.getAttribute('aria-label')") == "Objective idea"

    typist.keyboard.type(" without calling")
    click(typist, "Add idea")
    expect(lead.get_by_text("Let clients reschedule without calling").first).to_be_visible(timeout=LIVE)
    assert not_reloaded(lead)
    screenshot(lead, "live-consolidate-lead")


def test_three_members_vote_and_the_leads_counter_goes_from_0_to_3_live(live_app, new_page):
    app, facts = live_app
    lead = new_page()
    open_as(lead, app.url, facts["lead"], "workshop_rank")
    mark(lead)
    counter = lead.get_by_text(re.compile(r"\d+ of \d+ members have voted"))
    expect(counter).to_contain_text(f"0 of {facts['eligible']} members have voted")
    for count, email in enumerate(facts["voters"], start=1):
        voter = new_page()
        open_as(voter, app.url, email, "workshop_rank")
        form = voter.get_by_test_id("stForm").filter(has_text="Spend up to")
        form.get_by_test_id("stNumberInput").locator("input").first.fill("1")
        form.get_by_test_id("stNumberInput").locator("input").first.press("Tab")
        click(voter, "Cast my Dot ballot")
        expect(voter.get_by_text("Your dot voting ballot is in.")).to_be_visible()
        expect(counter).to_contain_text(f"{count} of {facts['eligible']} members have voted", timeout=LIVE)
        voter.context.close()
    assert not_reloaded(lead)


def test_a_follower_moves_with_the_presenter_and_gets_back_in_step_after_losing_the_connection(live_app, new_page):
    app, _ = live_app
    lead = new_page()
    open_as(lead, app.url, OLIVER, "workshop_consolidate")
    click(lead, "Present")
    expect(lead.get_by_text("You are presenting: Consolidate ideas")).to_be_visible()

    follower = new_page()
    line = {"down": False, "open": []}

    def stream(ws) -> None:  # the follower's websocket, through a switch the test can open
        if line["down"]:
            ws.close()
            return
        line["open"].append((ws, ws.connect_to_server()))

    follower.route_web_socket(re.compile(r".*/_stcore/stream"), stream)
    open_as(follower, app.url, MEI, "workshop")
    expect(follower.get_by_text("Oliver Grant is presenting: Consolidate ideas")).to_be_visible()
    follower.get_by_text("Follow Oliver").click()
    expect(follower).to_have_url(re.compile(r"/workshop_consolidate"), timeout=FOLLOW)

    lead.get_by_role("link", name="3. Rank").click()
    wait_idle(lead)
    # The issue promises the move, not a time (3 s is for an idea reaching the lead): a tick, a redraw and a page
    # switch take longer than 3 s when another test worker loads the two cores.
    expect(follower).to_have_url(re.compile(r"/workshop_rank"), timeout=FOLLOW)
    expect(follower.get_by_role("heading", name="3 · Rank")).to_be_visible()

    line["down"] = True  # the follower's Wi-Fi drops
    for ws, server in line.pop("open"):
        ws.close()
        server.close()
    line["open"] = []
    lead.get_by_role("link", name="4. Create focus").click()
    wait_idle(lead)
    follower.wait_for_timeout(LIVE)
    assert "/workshop_rank" in follower.url  # cut off, it cannot know
    line["down"] = False
    expect(follower).to_have_url(re.compile(r"/workshop_focus"), timeout=20_000)
    expect(follower.get_by_role("heading", name="4 · Create focus")).to_be_visible()
    assert_no_exception(follower)


def test_a_follower_whose_tick_crossed_the_move_stays_in_step(live_app, new_page):
    """On a slow line the browser keeps ticking from the page it shows after the server has moved the follower on.
    Streamlit would run such a tick on the page left, which breaks the follower's page for good;
    okrdash/ui/live/stale_ticks.py drops it."""
    app, _ = live_app
    lead = new_page()
    open_as(lead, app.url, OLIVER, "workshop_consolidate")
    expect(lead.get_by_role("link", name="Big screen")).to_be_visible()  # the live bar is drawn
    if lead.get_by_role("button", name="Present", exact=True).count():  # not presenting yet (journeys run in any order)
        click(lead, "Present")
    expect(lead.get_by_text("You are presenting: Consolidate ideas")).to_be_visible()

    follower = new_page()
    held: dict = {"on": False, "messages": [], "page": None}

    def stream(ws) -> None:  # the follower's websocket; the server's messages can be held back, as on a slow line
        server = ws.connect_to_server()
        held["page"] = ws

        def to_page(message) -> None:  # in order: nothing overtakes what is held
            (held["messages"].append if held["on"] or held["messages"] else ws.send)(message)

        server.on_message(to_page)

    follower.route_web_socket(re.compile(r".*/_stcore/stream"), stream)
    open_as(follower, app.url, JONAS, "workshop")
    expect(follower.get_by_text("Oliver Grant is presenting: Consolidate ideas")).to_be_visible()
    try:
        held["on"] = True  # the browser keeps ticking from the context page while the move is on its way
        follower.get_by_text("Follow Oliver").click()
        follower.wait_for_timeout(2 * LIVE)
        held["on"] = False
        while held["messages"]:  # one by one, as a slow line delivers them: the page settles after each
            held["page"].send(held["messages"][0])
            held["messages"].pop(0)
            follower.wait_for_timeout(10)
        expect(follower).to_have_url(re.compile(r"/workshop_consolidate"), timeout=FOLLOW)

        lead.get_by_role("link", name="3. Rank").click()
        wait_idle(lead)
        expect(follower).to_have_url(re.compile(r"/workshop_rank"), timeout=FOLLOW)
        expect(follower.get_by_role("heading", name="3 · Rank")).to_be_visible()
        assert_no_exception(follower)
        screenshot(follower, "live-follower-after-a-slow-line")
    finally:  # the other journeys expect Jonas to look around on his own
        follower.unroute_all(behavior="ignoreErrors")
        open_as(follower, app.url, JONAS, "workshop")
        toggle = follower.get_by_role("switch", name="Follow Oliver")
        expect(toggle).to_be_visible()
        if toggle.is_checked():
            follower.get_by_text("Follow Oliver").click()
        expect(toggle).not_to_be_checked()


def remaining(text: str) -> int:
    minutes, seconds = re.search(r"(\d\d):(\d\d)", text).groups()
    return int(minutes) * 60 + int(seconds)


def test_the_timebox_shows_the_same_time_on_two_screens_and_the_big_screen_is_readable(live_app, new_page):
    app, facts = live_app
    lead = new_page()
    open_as(lead, app.url, OLIVER, "workshop_focus")
    expect(lead.get_by_role("button", name=re.compile(r"^(Present|Stop presenting)$"))).to_be_visible()
    if lead.get_by_role("button", name="Present", exact=True).count():  # else presenting since the journey above
        click(lead, "Present")
    expect(lead.get_by_text("You are presenting: Create focus")).to_be_visible(timeout=LIVE)
    minutes = lead.get_by_label("Minutes for this step", exact=True)
    lead.get_by_role("button", name="Timebox").click()
    minutes.fill("500")
    click(lead, "Start the timer")
    expect(lead.get_by_text("A timebox is 1 to 120 whole minutes")).to_be_visible()
    if not minutes.is_visible():  # the popover stays open with the message; open it again if it closed
        lead.get_by_role("button", name="Timebox").click()
    minutes.fill("10")
    click(lead, "Start the timer")
    on_lead = lead.get_by_text(re.compile(r"left of 10 minutes for"))
    expect(on_lead).to_be_visible(timeout=LIVE)

    room = new_page(1920, 1080)
    open_as(room, app.url, MEI, "workshop_screen", team="Scheduling", quarter=facts["quarter"])
    on_screen = room.locator("h1").filter(has_text=re.compile(r"\d\d:\d\d"))
    expect(on_screen).to_be_visible(timeout=LIVE)
    for _ in range(3):
        both = remaining(on_lead.inner_text()), remaining(on_screen.inner_text())
        assert abs(both[0] - both[1]) <= 1, both
        assert 500 <= both[0] <= 600
        room.wait_for_timeout(1_300)

    expect(room.get_by_role("heading", name=re.compile(r"Step 4 of 6: Create focus"))).to_be_visible()
    expect(room.get_by_text("Presented by Oliver Grant").first).to_be_visible()
    expect(room.locator('[data-testid="stSidebar"]')).to_have_count(0)
    assert serious_violations(room) == []
    screenshot(room, "live-big-screen-1920x1080")
