"""AppTest of the live workshop on the demo organisation: the live strip on each step (present, follow, timebox,
highlight), two leads presenting at once, the idea wall's pins and groups, and the big screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from okrdash import auth, ideas, quarters, rounds, teams
from okrdash.live import room, timebox, wall
from okrdash.ui.live import ticks as live_views
from tests.pages.apptest import assert_clean, errors, open_page, texts

OLIVER, MEI, JONAS = "oliver.grant@harbor.example", "mei.chen@harbor.example", "jonas.keller@harbor.example"
TOMAS, HANNAH = "tomas.herrera@harbor.example", "hannah.weiss@harbor.example"  # Onboarding: a blind round is open
ZOE = "zoe.papadopoulos@harbor.example"  # leads Data & Insights: its survey is anonymous and open
STEPS = {"pages/workshop.py": "context", "pages/workshop_consolidate.py": "consolidate",
         "pages/workshop_rank.py": "rank", "pages/workshop_focus.py": "focus",
         "pages/workshop_key_results.py": "key_results", "pages/workshop_publish.py": "publish"}


def team_id(name: str) -> int:
    return next(t["id"] for t in teams.all_teams() if t["name"] == name)


def actor(email: str) -> auth.Actor:
    return auth.load_by_email(email)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def scheduling() -> tuple[int, str]:
    return team_id("Scheduling"), quarters.planning_key()


@pytest.mark.parametrize("page", list(STEPS))
def test_every_step_has_the_live_strip_and_the_lead_may_present_from_it(demo_db, page):
    at = open_page(OLIVER, page)
    assert_clean(at)
    assert "Nobody is presenting." in texts(at)
    assert any(link.proto.label == "Big screen" for link in at.get("page_link"))
    button(at, "Present").click().run()
    assert_clean(at)
    assert "You are presenting: followers see the step you open." in texts(at)
    assert room.state(actor(OLIVER), *scheduling())["step"] == STEPS[page]


def test_a_member_follows_the_lead_to_the_step_presented_and_may_stop(demo_db):
    team, q = scheduling()
    room.present(actor(OLIVER), team, q, "rank")
    at = open_page(MEI, "pages/workshop.py")
    assert "Oliver Grant is presenting: Rank" in texts(at)
    at.toggle(key=f"live_follow_{team}_{q}").set_value(True).run()
    assert_clean(at)
    assert room.state(actor(MEI), team, q)["following"]
    assert "3 · Rank" in [h.value for h in at.header]  # moved to the step presented
    at.toggle(key=f"live_follow_{team}_{q}").set_value(False).run()
    assert not room.state(actor(MEI), team, q)["following"]
    room.show_step(actor(OLIVER), team, q, "focus")
    at.run()
    assert "4 · Create focus" not in [h.value for h in at.header]  # no longer following: not moved


def test_two_leads_presenting_the_last_wins_and_the_first_is_told(demo_db):
    team, _ = scheduling()
    teams.join(team, actor(MEI).person_id, "lead")
    first = open_page(OLIVER, "pages/workshop_consolidate.py")
    button(first, "Present").click().run()
    second = open_page(MEI, "pages/workshop_rank.py")
    button(second, "Present").click().run()
    assert "You took over presenting from Oliver Grant; they have been told." in texts(second)
    first.run()
    assert_clean(first)
    told = [w.value for w in first.warning]
    assert any("Mei Chen took over presenting at" in w and "Press Present to take it back" in w for w in told)
    assert "Mei Chen is presenting: Rank" in texts(first)


@pytest.mark.parametrize("minutes", [0, 500])
def test_a_timebox_of_0_or_500_minutes_gets_a_clear_message_and_nothing_starts(demo_db, minutes):
    at = open_page(OLIVER, "pages/workshop_consolidate.py")
    at.number_input(key="live_timer_minutes").set_value(minutes)
    button(at, "Start the timer").click().run()
    assert_clean(at)
    assert any("A timebox is 1 to 120 whole minutes" in e for e in errors(at))
    assert timebox.current(actor(OLIVER), *scheduling()) is None


def test_the_lead_starts_a_timebox_and_everyone_sees_it_count_down(demo_db):
    at = open_page(OLIVER, "pages/workshop_key_results.py")
    at.number_input(key="live_timer_minutes").set_value(10)
    button(at, "Start the timer").click().run()
    assert_clean(at)
    assert "Timer started: 10 minutes for Key results." in texts(at)
    member = open_page(MEI, "pages/workshop_rank.py")
    shown = texts(member)
    assert re.search(r":material/timer: \*\*(10:00|09:\d\d)\*\* left of 10 minutes for \*\*Key results\*\*", shown)


def test_the_presenter_highlights_an_idea_and_followers_see_it_marked(demo_db):
    team, q = scheduling()
    lead = open_page(OLIVER, "pages/workshop_consolidate.py")
    button(lead, "Present").click().run()
    first = ideas.objective_ideas(actor(OLIVER), team, q)[0]
    lead.selectbox(key="live_highlight_consolidate").set_value(first["id"]).run()
    assert_clean(lead)
    member = open_page(MEI, "pages/workshop_consolidate.py")
    shown = texts(member)
    assert "On screen:" in shown and ":blue-badge[:material/highlight: On screen]" in shown


def test_the_lead_pins_and_groups_ideas_on_the_wall(demo_db):
    team, q = scheduling()
    standing = ideas.objective_ideas(actor(OLIVER), team, q)
    wall.group(actor(OLIVER), [standing[2]["id"]], "Self-booking")  # typing a new name is the journey's part
    at = open_page(OLIVER, "pages/workshop_consolidate.py")
    next(b for b in at.button if b.key == f"wall_pin_{standing[-1]['id']}").click().run()
    assert_clean(at)
    at.multiselect(key=f"wall_group_ideas_{len(standing)}").set_value([standing[0]["id"], standing[1]["id"]])
    at.selectbox(key="wall_group_name_1").set_value("Self-booking")
    button(at, "Put them in the group").click().run()
    assert_clean(at)
    board = wall.board(actor(OLIVER), team, q)
    assert [i["id"] for i in board["pinned"]] == [standing[-1]["id"]]
    assert board["groups"][0]["name"] == "Self-booking" and len(board["groups"][0]["ideas"]) == 3
    shown = texts(at)
    assert ":material/push_pin: Pinned (1)" in shown and ":material/workspaces: Self\\-booking (3)" in shown
    button(at, "Merge this group").click().run()
    assert_clean(at)
    assert "Merged the group into “Self-booking”." in texts(at)


def test_wall_ideas_follow_the_surveys_anonymity(demo_db):
    at = open_page(ZOE, "pages/workshop_consolidate.py")
    assert "anonymously, as this team's survey is anonymous" in texts(at)
    at = open_page(MEI, "pages/workshop_consolidate.py")
    assert "with your name, as in the survey" in texts(at)
    at.text_input(key="consolidate_add_title").set_value("Booking links in every email")
    button(at, "Add idea").click().run()
    added = next(i for i in ideas.objective_ideas(actor(OLIVER), *scheduling())
                 if i["title"] == "Booking links in every email")
    assert added["authors"] == ["Mei Chen"]


def test_the_big_screen_shows_the_room_without_sidebar_blind_totals_or_anonymous_authors(demo_db):
    onboarding, q = team_id("Onboarding"), quarters.planning_key()
    room.present(actor(TOMAS), onboarding, q, "rank")
    timebox.start(actor(TOMAS), onboarding, q, "rank", 15)
    at = open_page(HANNAH, "pages/workshop_screen.py")
    assert_clean(at)
    shown = texts(at)
    assert "# Onboarding · 2027-Q1 workshop" in shown and "## Step 3 of 6: Rank" in shown
    assert "Presented by Tomás Herrera" in shown and "members have voted" in shown
    assert "Blind vote: the totals appear when the lead closes the round." in shown
    assert "Top of the vote" not in shown and "## Idea wall" in shown
    assert "# :material/timer: 1" in shown  # 15:00 counting down
    assert "Demo identity mode" not in shown and not at.sidebar.selectbox  # no picker, no banner, no menu



def test_the_big_screen_never_names_the_author_of_an_idea_added_in_an_anonymous_team(demo_db):
    data, q = team_id("Data & Insights"), quarters.planning_key()
    author, viewer = [actor(m["email"]) for m in teams.members(data) if m["role"] == "member"][:2]
    wall.add(author, data, q, title="Trust scores for every dashboard")
    at = open_page(viewer.email, "pages/workshop_screen.py")
    assert_clean(at)
    shown = texts(at)
    assert "Trust scores for every dashboard" in shown and "by 1 anonymous" in shown
    assert author.name not in shown


def test_live_updates_can_be_turned_off(demo_db, monkeypatch):
    monkeypatch.setenv("OKRDASH_LIVE_SECONDS", "0")
    timebox.start(actor(OLIVER), *scheduling(), "rank", 5)
    at = open_page(MEI, "pages/workshop_rank.py")
    assert_clean(at)
    assert "left of 5 minutes for **Rank**" in texts(at)


def kinds(block) -> list[str]:
    return [child.type for child in block.children.values()]


@pytest.mark.parametrize(("email", "page"), [(HANNAH, "pages/home.py"), (TOMAS, "pages/survey_manage.py")])
def test_a_live_fragment_that_draws_nothing_sits_at_the_sidebars_end(demo_db, monkeypatch, email, page):
    """Streamlit can drop the element that follows a ticking fragment in its block (bench/repro/fragment_form.py),
    so Home's and Survey setup's fragment adds nothing to the page: only a last block in the sidebar."""
    monkeypatch.setenv("OKRDASH_LIVE_SECONDS", "0")
    still = open_page(email, page)
    monkeypatch.setenv("OKRDASH_LIVE_SECONDS", "2")
    live = open_page(email, page)
    assert_clean(live)
    assert kinds(live.main) == kinds(still.main)
    assert kinds(live.sidebar) == [*kinds(still.sidebar), "flex_container"]


def test_when_time_is_up_nothing_closes_and_the_lead_extends_or_moves_on(demo_db):
    team, q = scheduling()
    timebox.start(actor(OLIVER), team, q, "consolidate", 10, now=dt.datetime.now() - dt.timedelta(minutes=15))
    member = open_page(MEI, "pages/workshop_consolidate.py")
    assert "**Time is up** for **Consolidate ideas**: the lead extends the timebox or moves on." in texts(member)
    assert "Extend 5 minutes" not in {b.label for b in member.button}
    lead = open_page(OLIVER, "pages/workshop_consolidate.py")
    button(lead, "Extend 5 minutes").click().run()
    assert_clean(lead)
    assert "5 more minutes." in texts(lead)
    assert timebox.seconds_left(timebox.current(actor(OLIVER), team, q), dt.datetime.now()) > 4 * 60
    timebox.start(actor(OLIVER), team, q, "consolidate", 1, now=dt.datetime.now() - dt.timedelta(minutes=2))
    lead.run()
    button(lead, "Move on to Rank").click().run()
    assert_clean(lead)
    assert timebox.current(actor(OLIVER), team, q) is None
    assert "3 · Rank" in [h.value for h in lead.header]


def test_a_redraw_keeps_the_confirmation_on_its_page_and_never_brings_it_to_another(demo_db):
    # A team mate's vote redraws Hannah's Rank step: her "ballot is in" stays. On Home, a redraw shows no
    # confirmation from Rank: out of context there, and it would push Home's links down under her pointer.
    round_id = next(r["id"] for r in rounds.rounds_of(actor(TOMAS), team_id("Onboarding"), quarters.planning_key())
                    if r["is_open"])
    at = open_page(HANNAH, "pages/workshop_rank.py")
    dots = [n for n in at.number_input if n.key and n.key.startswith("rank_dot_")]
    for box, points in zip(dots, [5, 3, 2] + [0] * (len(dots) - 3), strict=True):
        box.set_value(points)
    button(at, "Cast my Dot ballot").click().run()
    assert "Your dot voting ballot is in." in texts(at)
    assert "dot" in rounds.my_ballots(actor(HANNAH), round_id)
    at.session_state[live_views.REDRAWING_KEY] = True  # what a tick that saw the team mate's vote sets
    at.run()
    assert_clean(at)
    assert "Your dot voting ballot is in." in texts(at)
    at.switch_page("pages/home.py")
    at.run()
    at.session_state[live_views.REDRAWING_KEY] = True
    at.run()
    assert_clean(at)
    assert at.title[0].value.startswith("Hello")
    assert "ballot is in" not in texts(at)


def test_a_tick_asks_for_no_run_of_its_own_while_the_person_has_asked_for_one(monkeypatch):
    # Why: Streamlit folds two pending run requests into one with the later one's page, so a tick's rerun of the
    # page shown, made after the person clicked a link, would cancel the page switch.
    from streamlit.runtime.scriptrunner_utils import script_run_context
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

    requests = ScriptRequests()
    requests.request_rerun(RerunData(page_script_hash="survey"))  # the person's click on a link to Surveys
    requests.request_rerun(RerunData(page_script_hash="home"))  # a tick's st.rerun() of Home
    assert requests.on_scriptrunner_yield().rerun_data.page_script_hash == "home"  # the click is lost

    pending, idle = ScriptRequests(), ScriptRequests()
    pending.request_rerun(RerunData(page_script_hash="survey"))
    for requests, asked in ((pending, True), (idle, False)):
        monkeypatch.setattr(script_run_context, "get_script_run_ctx",
                            lambda requests=requests: type("Ctx", (), {"script_requests": requests})())
        assert live_views._run_asked() is asked
