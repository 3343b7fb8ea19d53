"""The live workshop's library: the change signal a live page ticks on, presenting and following, the timebox."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from okrdash import auth, db, ideas, live, rounds, survey_answers, surveys, teams
from okrdash.errors import Conflict, PermissionDenied, ValidationError
from okrdash.live import room, timebox
from tests.backends import postgres_only
from tests.survey_fixtures import answer_with_ideas, open_growth_survey

ROOT = Path(__file__).resolve().parents[1]
NOW = dt.datetime(2026, 11, 20, 10, 0)


def workshop_watch(org, team=None):
    return live.Watch.of(live.WORKSHOP_TABLES, [(team or org.growth, org.next_quarter)])


def test_the_version_moves_exactly_when_a_write_the_page_shows_lands(org):
    q = org.next_quarter
    watch = workshop_watch(org)
    seen = watch.version()
    assert not watch.moved(seen)  # a tick with nothing new
    ideas.create(org.core, q, "Another team's idea")
    ideas.create(org.growth, org.quarter, "Growth's idea for this quarter")
    assert not watch.moved(seen)  # other teams and other quarters leave the page alone
    ideas.add(org.member, org.growth, q, title="Self-serve import", now=NOW)
    assert watch.moved(seen)
    seen = watch.version()
    room.follow(org.member2, org.growth, q, True, now=NOW)
    assert watch.moved(seen)  # the live tables are watched too


def test_home_and_survey_watches_follow_their_own_tables(org):
    q = org.next_quarter
    home = live.Watch.of(live.HOME_TABLES, [(org.growth, None)])
    survey_page = live.Watch.of(live.SURVEY_TABLES, [(org.growth, q)])
    seen_home, seen_survey = home.version(), survey_page.version()
    survey_id = open_growth_survey(org)
    assert home.moved(seen_home) and survey_page.moved(seen_survey)
    seen_home, seen_survey = home.version(), survey_page.version()
    answer_with_ideas(org.member, survey_id)  # a draft saved as the member types: "drafting", "continue your draft"
    assert survey_page.moved(seen_survey) and home.moved(seen_home)
    seen_home = home.version()
    ideas.add(org.member, org.growth, q, title="Self-serve import", now=NOW)  # Home lists no ideas
    assert not home.moved(seen_home)


def test_home_is_redrawn_when_what_it_shows_changed_not_at_every_write_in_the_team(org, monkeypatch):
    from okrdash import home
    from okrdash.ui.live import ticks as live_views

    state: dict = {}
    monkeypatch.setattr(live_views, "st", SimpleNamespace(session_state=state))
    watched = live.Watch.of(live.HOME_TABLES, [(org.growth, None)])

    def summary():
        return home.summary(org.member)

    def drawn() -> None:  # what a run of Home leaves for its ticks (ui.live.watch)
        state[live_views._seen_key("home")], state[live_views._shown_key("home")] = watched.version(), summary()

    drawn()
    survey_id = open_growth_survey(org)  # Home now asks the member for an answer
    assert watched.moved(state[live_views._seen_key("home")])
    assert live_views._shows_something_new("home", watched, summary)
    drawn()  # the redraw
    answer_with_ideas(org.member2, survey_id)  # a team mate's answer: the version moves, the member's Home does not
    assert watched.moved(state[live_views._seen_key("home")])
    assert not live_views._shows_something_new("home", watched, summary)
    assert not watched.moved(state[live_views._seen_key("home")])  # taken as seen: the next tick reads nothing again
    assert live_views._shows_something_new("other", watched, None)  # a page without `shows`: every move redraws


def test_the_tick_interval_is_a_setting_and_zero_turns_live_updates_off(monkeypatch):
    assert live.tick_seconds() == live.DEFAULT_SECONDS
    monkeypatch.setenv(live.SECONDS_SETTING, "0")
    assert live.tick_seconds() == 0
    monkeypatch.setenv(live.SECONDS_SETTING, "soon")
    assert live.tick_seconds() == live.DEFAULT_SECONDS


def test_a_lead_presents_followers_move_with_the_room_and_may_stop_following(org):
    q = org.next_quarter
    assert room.state(org.member, org.growth, q)["presenter_id"] is None
    assert room.present(org.lead, org.growth, q, "consolidate", now=NOW) is None
    room.follow(org.member, org.growth, q, True, now=NOW)
    seen = room.state(org.member, org.growth, q)
    assert (seen["presenter"], seen["step"], seen["following"], seen["followers"]) == \
        ("Lee Lead", "consolidate", True, 1)
    assert room.destination(seen, org.member, "context") == "consolidate"
    assert room.destination(seen, org.member, "consolidate") is None
    assert room.show_step(org.lead, org.growth, q, "rank", now=NOW)
    assert not room.show_step(org.lead, org.growth, q, "rank", now=NOW)  # same step: no write
    assert room.destination(room.state(org.member, org.growth, q), org.member, "consolidate") == "rank"
    room.follow(org.member, org.growth, q, False, now=NOW)
    assert room.destination(room.state(org.member, org.growth, q), org.member, "consolidate") is None
    # Someone who does not follow stays put; the presenter is never sent anywhere.
    assert room.destination(room.state(org.member2, org.growth, q), org.member2, "context") is None
    assert room.destination(room.state(org.lead, org.growth, q), org.lead, "context") is None


def test_two_leads_presenting_the_last_wins_and_the_first_is_told(org):
    q = org.next_quarter
    teams.join(org.growth, org.member2.person_id, "lead")
    second = auth.load(org.member2.person_id)
    room.present(org.lead, org.growth, q, "consolidate", now=NOW)
    taken = room.present(second, org.growth, q, "rank", now=NOW + dt.timedelta(minutes=1))
    assert taken == {"id": org.lead.person_id, "name": "Lee Lead"}
    seen = room.state(org.lead, org.growth, q)
    assert seen["presenter"] == "Max Member" and seen["step"] == "rank"
    assert seen["displaced"]["id"] == org.lead.person_id and seen["displaced"]["at"] == NOW + dt.timedelta(minutes=1)
    # The first lead browsing on no longer moves the room, and trying to steer it says who took over.
    assert not room.show_step(org.lead, org.growth, q, "focus", now=NOW)
    with pytest.raises(Conflict, match="Max Member took over presenting"):
        room.highlight(org.lead, org.growth, q, None, now=NOW)
    with pytest.raises(Conflict, match="Press Present to take it back"):
        room.stop_presenting(org.lead, org.growth, q, now=NOW)
    # Taking it back: the room is the first lead's again, and now the second is the one told.
    assert room.present(org.lead, org.growth, q, "focus", now=NOW)["name"] == "Max Member"
    assert room.state(second, org.growth, q)["displaced"]["id"] == second.person_id
    room.stop_presenting(org.lead, org.growth, q, now=NOW)
    assert room.state(second, org.growth, q)["displaced"] is None


def test_only_leads_present_and_only_the_presenter_highlights(org):
    q = org.next_quarter
    with pytest.raises(PermissionDenied):
        room.present(org.member, org.growth, q, "rank", now=NOW)
    with pytest.raises(ValidationError, match="Press Present first"):
        room.highlight(org.lead, org.growth, q, None, now=NOW)
    with pytest.raises(ValidationError, match="not a workshop step"):
        room.present(org.lead, org.growth, q, "coffee", now=NOW)
    with pytest.raises(PermissionDenied):
        room.follow(org.stranger, org.growth, q, True, now=NOW)
    with pytest.raises(ValidationError, match="can no longer change"):
        room.present(org.lead, org.growth, "2026-Q3", "rank", now=NOW)


def test_the_presenter_highlights_an_idea_and_a_removed_one_is_refused(org):
    q = org.next_quarter
    idea = ideas.add(org.member, org.growth, q, title="Self-serve import", now=NOW)
    other = ideas.add(org.member, org.growth, q, title="Dark mode", now=NOW)
    room.present(org.lead, org.growth, q, "consolidate", now=NOW)
    room.highlight(org.lead, org.growth, q, "idea", idea, now=NOW)
    assert room.state(org.member, org.growth, q)["highlight"] == {"kind": "idea", "id": idea,
                                                                   "title": "Self-serve import"}
    ideas.remove(org.lead, other, now=NOW)
    with pytest.raises(Exception, match="no longer on the table"):
        room.highlight(org.lead, org.growth, q, "idea", other, now=NOW)
    with pytest.raises(Exception, match="no longer on the table"):
        room.highlight(org.lead, org.growth, q, "idea", ideas.create(org.core, q, "Core's idea"), now=NOW)
    room.show_step(org.lead, org.growth, q, "rank", now=NOW)  # a new step starts with nothing highlighted
    assert room.state(org.member, org.growth, q)["highlight"] is None


def test_an_idea_of_a_sealed_anonymous_survey_cannot_be_put_on_screen(org):
    q = org.next_quarter
    survey_id = open_growth_survey(org, anonymous=True)
    answer_with_ideas(org.member, survey_id)
    survey_answers.submit(org.member, survey_id, now=NOW)
    sealed = db.scalar("SELECT id FROM ideas WHERE survey_id = ? AND kind = 'objective'", [survey_id])
    room.present(org.lead, org.growth, q, "consolidate", now=NOW)
    with pytest.raises(Exception, match="no longer on the table"):
        room.highlight(org.lead, org.growth, q, "idea", sealed, now=NOW)
    assert room.state(org.member2, org.growth, q)["highlight"] is None


def test_a_timebox_counts_down_from_its_stored_end_and_never_closes_by_itself(org):
    q = org.next_quarter
    ends = timebox.start(org.lead, org.growth, q, "key_results", 10, now=NOW)
    assert ends == NOW + dt.timedelta(minutes=10)
    timer = timebox.current(org.member, org.growth, q)
    assert (timer["step"], timer["minutes"], timer["started_by"]) == ("key_results", 10, "Lee Lead")
    assert timebox.clock_text(timebox.seconds_left(timer, NOW + dt.timedelta(seconds=138))) == "07:42"
    assert timebox.seconds_left(timer, NOW + dt.timedelta(seconds=599.2)) == 1  # shows 00:01 until the end
    later = NOW + dt.timedelta(minutes=25)
    assert timebox.seconds_left(timer, later) == 0
    assert timebox.current(org.member, org.growth, q) is not None  # time is up, and it waits for the lead
    # Extending after time is up counts from now, not from the old end.
    assert timebox.extend(org.lead, org.growth, q, 5, now=later) == later + dt.timedelta(minutes=5)
    timebox.stop(org.lead, org.growth, q, now=later)
    assert timebox.current(org.member, org.growth, q) is None
    with pytest.raises(ValidationError, match="nothing to extend"):
        timebox.extend(org.lead, org.growth, q, 5, now=later)


@pytest.mark.parametrize("minutes", [0, 500, -3, 2.5, "", "ten"])
def test_a_timebox_of_a_wrong_length_gets_a_clear_message(org, minutes):
    with pytest.raises(ValidationError, match="1 to 120 whole minutes") as refused:
        timebox.start(org.lead, org.growth, org.next_quarter, "rank", minutes, now=NOW)
    assert refused.value.field == "minutes"
    assert timebox.current(org.lead, org.growth, org.next_quarter) is None


def test_only_the_lead_runs_the_timer_and_extensions_stop_at_four_hours(org):
    q = org.next_quarter
    with pytest.raises(PermissionDenied):
        timebox.start(org.member, org.growth, q, "rank", 10, now=NOW)
    timebox.start(org.lead, org.growth, q, "rank", 120, now=NOW)
    timebox.extend(org.lead, org.growth, q, 120, now=NOW)
    with pytest.raises(ValidationError, match="would pass 240"):
        timebox.extend(org.lead, org.growth, q, 1, now=NOW)
    assert timebox.clock_text(3725) == "1:02:05"


def test_a_blind_round_is_counted_live_but_its_totals_stay_hidden(org):
    q = org.next_quarter
    first = ideas.add(org.member, org.growth, q, title="Self-serve import", now=NOW)
    second = ideas.add(org.member2, org.growth, q, title="Dark mode", now=NOW)
    round_id = rounds.open_round(org.lead, org.growth, q, methods=["dot"], now=NOW)
    watch = workshop_watch(org)
    seen = watch.version()
    rounds.cast(org.member, round_id, "dot", {first: 3, second: 1}, now=NOW)
    assert watch.moved(seen)
    assert rounds.participation(org.lead, round_id)["voted"] == 1
    with pytest.raises(PermissionDenied, match="until the lead closes"):
        rounds.results(org.member, round_id)


def test_writes_to_live_tables_name_their_team_and_quarter(org):
    q = org.next_quarter
    other = live.Watch.of(live.LIVE_TABLES, [(org.core, q)])
    seen = other.version()
    room.present(org.lead, org.growth, q, "context", now=NOW)
    room.follow(org.member, org.growth, q, True, now=NOW)
    timebox.start(org.lead, org.growth, q, "context", 5, now=NOW)
    assert not other.moved(seen)
    assert db.version_of(live.LIVE_TABLES, (org.growth, q)) != db.version_of(live.LIVE_TABLES, (org.core, q))


def test_a_survey_that_is_anonymous_is_read_for_the_wall(org):
    survey_id = open_growth_survey(org, anonymous=True)
    assert surveys.get(survey_id)["anonymous"]


@postgres_only
def test_a_write_in_another_app_process_moves_this_processs_live_pages(org):
    """Two app processes on one PostgreSQL database: a live page here learns of an idea added there through the
    change log that `db.sync()` polls, the same signal cached reads follow."""
    q = org.next_quarter
    here, elsewhere = workshop_watch(org), workshop_watch(org, org.core)
    db.sync()  # as every page run starts (app.py): this process now follows the change log
    seen, other = here.version(), elsewhere.version()
    script = ("from okrdash import auth, ideas\n"
              f"ideas.add(auth.load({org.member.person_id}), {org.growth}, {q!r}, title='From the other process')\n")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, env=dict(os.environ), timeout=60)
    deadline = time.monotonic() + 10
    while not here.moved(seen):
        assert time.monotonic() < deadline, "the other process's write never reached this one"
        time.sleep(0.05)
    assert not elsewhere.moved(other)
    assert "From the other process" in {i["title"] for i in ideas.objective_ideas(org.lead, org.growth, q)}


def test_redraws_for_others_writes_come_at_once_after_a_quiet_spell_and_space_out_under_load():
    from okrdash.ui.live import BURST, REDRAW_SHARE, Budget

    budget = Budget(at=100.0)  # a quiet session: the next few redraws come at the next tick
    for _ in range(BURST):
        allowed, budget = budget.spend(100.0)
        assert allowed
    allowed, budget = budget.spend(100.5)
    assert not allowed  # a burst of writes: spent
    slow = Budget(budget.tokens, budget.at, redraw_seconds=0.6)  # a loaded server: a redraw took 0.6 s
    assert not slow.spend(100.5 + 2.0)[0]
    assert slow.spend(100.5 + 0.6 / REDRAW_SHARE)[0]  # one redraw per 6 s: a tenth of the session's time
    assert Budget(0.0, 100.0).spend(100.0 + 1000)[1].tokens == BURST - 1  # a long quiet spell refills to BURST


def test_a_tick_the_browser_sent_from_a_page_the_session_left_is_dropped_and_nothing_else_is():
    """ui/live/stale_ticks.py drops such ticks before Streamlit runs them (the browser journey shows why)."""
    from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

    from okrdash.ui.live.stale_ticks import from_a_page_left

    def session(started: str, pending: str | None = None, fragments: tuple = ()) -> SimpleNamespace:
        requests = SimpleNamespace(_state=ScriptRequestType.CONTINUE, _rerun_data=None)
        if pending is not None:
            requests = SimpleNamespace(_state=ScriptRequestType.RERUN, _rerun_data=SimpleNamespace(
                page_script_hash=pending, fragment_id_queue=list(fragments)))
        return SimpleNamespace(_client_state=SimpleNamespace(page_script_hash=started),
                               _scriptrunner=SimpleNamespace(_requests=requests))

    def tick(page: str, *, auto: bool = True, fragment: str = "f1") -> SimpleNamespace:
        return SimpleNamespace(page_script_hash=page, is_auto_rerun=auto, fragment_id=fragment)

    assert from_a_page_left(session("rank"), tick("context"))  # the lead took the follower on
    assert from_a_page_left(session("context", pending="rank"), tick("context"))  # the move is about to start
    assert not from_a_page_left(session("rank"), tick("rank"))
    assert not from_a_page_left(session("context", pending="context"), tick("context"))
    assert not from_a_page_left(session("context", pending="rank", fragments=("f1",)), tick("context"))
    assert not from_a_page_left(session("rank"), tick("context", auto=False))  # a click goes where it was made
    assert not from_a_page_left(session("rank"), tick("context", fragment=""))  # a whole run, not a tick
    assert not from_a_page_left(session(""), tick("context"))  # nothing started yet: nothing to compare
    assert not from_a_page_left(SimpleNamespace(), tick("context"))  # another Streamlit: ticks run as they come


def test_the_stale_tick_patch_is_installed_once_and_still_runs_requests(monkeypatch):
    from streamlit.runtime.app_session import AppSession

    from okrdash.ui.live import stale_ticks

    calls = []

    def plain(session, state) -> None:
        calls.append(state)

    monkeypatch.setattr(AppSession, "request_rerun", plain)
    stale_ticks.drop_ticks_from_pages_left.cache_clear()
    try:
        assert stale_ticks.drop_ticks_from_pages_left() and stale_ticks.drop_ticks_from_pages_left()
        stale_ticks.drop_ticks_from_pages_left.cache_clear()
        assert stale_ticks.drop_ticks_from_pages_left()  # a cleared cache does not wrap the patch in itself
        assert AppSession.request_rerun.__wrapped__ is plain
        left = SimpleNamespace(_client_state=SimpleNamespace(page_script_hash="rank"))
        AppSession.request_rerun(left, SimpleNamespace(page_script_hash="context", is_auto_rerun=True,
                                                       fragment_id="f1"))
        AppSession.request_rerun(left, None)
        assert calls == [None]  # the stale tick is dropped; a plain rerun passes through once, not patched twice
    finally:
        stale_ticks.drop_ticks_from_pages_left.cache_clear()


def test_a_redraw_never_takes_the_page_of_a_run_the_person_asked_for(monkeypatch):
    """ui/live/stale_ticks.py: Streamlit folds two pending runs into one with the later one's page, so a tick's redraw
    asked for right after a click on a link would keep the person on the page they were leaving."""
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

    from okrdash.ui.live import stale_ticks

    monkeypatch.setattr(ScriptRequests, "request_rerun", ScriptRequests.request_rerun)  # undone after the test
    stale_ticks.redraws_yield_to_clicks.cache_clear()
    requests = ScriptRequests()
    monkeypatch.setattr(stale_ticks.st, "rerun", lambda: requests.request_rerun(RerunData(page_script_hash="home")))
    marked: list[str] = []

    def redraw() -> None:
        stale_ticks.redraw(lambda: marked.append("redraw"), lambda: pytest.fail("checked under the queue's lock"))

    try:
        assert stale_ticks.redraws_yield_to_clicks()
        requests.request_rerun(RerunData(page_script_hash="survey"))  # the click on "Answer the survey"
        redraw()
        assert requests._rerun_data.page_script_hash == "survey" and marked == []
        requests.on_scriptrunner_yield()  # the click's run starts
        redraw()  # nothing pending now: the redraw is queued, and marked as one
        assert requests._rerun_data.page_script_hash == "home" and marked == ["redraw"]
        requests.on_scriptrunner_yield()
        requests.request_rerun(RerunData(page_script_hash="survey"))
        requests.request_rerun(RerunData(page_script_hash="home"))  # any other rerun: Streamlit's own folding
        assert requests._rerun_data.page_script_hash == "home"
    finally:
        stale_ticks.redraws_yield_to_clicks.cache_clear()
