"""Cached reads (okrdash/ui/memo.py, what ui.cached does) against the demo organisation: never stale after a write
that concerns them, and left alone by writes that do not (DESIGN §6: pages stay fast while data moves).

The property test runs random sequences of real library writes and reads and compares every cached read with the
same read made directly."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdash import auth, checkins, context, db, ideas, objectives, quarters, rounds, survey_answers, voice, workshop
from okrdash import dashboards as board
from okrdash.dashboards import alignment, over_time
from okrdash.dashboards import team as team_board
from okrdash.errors import OkrError
from okrdash.ui import memo

TODAY = dt.date(2026, 11, 18)
NOW = dt.datetime(2026, 11, 18, 10, 0)


def same(a, b) -> bool:
    if isinstance(a, pd.DataFrame):
        return isinstance(b, pd.DataFrame) and a.reset_index(drop=True).equals(b.reset_index(drop=True))
    if isinstance(a, dict) and isinstance(b, dict):  # the overview: its frames and totals
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


class Demo:
    """Who and what the writes and reads below act on, read once from the demo organisation."""

    def __init__(self) -> None:
        self.current, self.planning = quarters.current_key(), quarters.planning_key()
        self.teams = {r["name"]: r["id"] for r in db.rows("SELECT id, name FROM teams WHERE parent_id IS NOT NULL")}
        self.maya = auth.load_by_email("maya.okafor@harbor.example")
        self.leads = {name: auth.load(db.scalar("SELECT person_id FROM memberships WHERE team_id = ? AND role = 'lead'",
                                                [team_id])) for name, team_id in self.teams.items()}
        self.krs = {name: db.rows(
            """SELECT k.id, k.kind FROM key_results k JOIN objectives o ON o.id = k.objective_id
               WHERE o.team_id = ? AND o.quarter = ? AND o.status = 'published' AND k.archived_at IS NULL
                 AND k.id NOT IN (SELECT kr_id FROM awaiting_publish) ORDER BY k.position""",
            [team_id, self.current]) for name, team_id in self.teams.items()}
        self.open_round = db.row("SELECT id, team_id FROM ranking_rounds WHERE closed_at IS NULL LIMIT 1")
        self.open_surveys = db.rows("SELECT id, team_id FROM surveys WHERE closed_at IS NULL AND deadline > ?", [NOW])

    def member(self, team_id: int) -> auth.Actor:
        return auth.load(db.scalar("SELECT person_id FROM memberships WHERE team_id = ? AND role = 'member' "
                                   "ORDER BY person_id LIMIT 1", [team_id]))


@pytest.fixture
def demo(demo_db_fixed) -> Demo:
    return Demo()


TEAM_NAMES = ["Onboarding", "Scheduling", "Payments & Invoicing", "Mobile Apps", "Data & Insights"]


def write(demo: Demo, kind: str, team: str, n: int) -> None:
    """One real write through the library; a write the rules refuse (a survey already answered) writes nothing."""
    with suppress(OkrError):
        _write(demo, kind, team, n)


def _write(demo: Demo, kind: str, team: str, n: int) -> None:
    team_id = demo.teams[team]
    lead = demo.leads[team]
    if kind == "checkin" and demo.krs[team]:
        kr = demo.krs[team][n % len(demo.krs[team])]
        fields = {"done": n % 2 == 0} if kr["kind"] == "milestone" else {"value": 10 + n}
        checkins.record(lead, kr["id"], confidence=n % 11, comment=f"note {n}", today=TODAY, **fields)
    elif kind == "idea":
        ideas.add(demo.member(team_id), team_id, demo.planning, title=f"Live idea {n} for {team}", now=NOW)
    elif kind == "concern":
        survey = next((s for s in demo.open_surveys if s["team_id"] == team_id), None)
        if survey:
            survey_answers.save_concern(demo.member(team_id), survey["id"], {"title": f"Worry {n}"}, now=NOW)
    elif kind == "link":  # the lead points the objective at another company objective, or at none (alignment map)
        objective = objectives.current(lead, team_id, demo.current)
        company = db.column("SELECT id FROM strategy_items WHERE quarter = ? AND kind = 'company_objective' "
                            "ORDER BY position", [demo.current])
        if objective:
            objectives.update(lead, team_id, demo.current, title=objective["title"], why=objective["why"] or "",
                              strategy_item_id=([*company, None])[n % (len(company) + 1)], now=NOW)
    elif kind == "rename":  # an admin's write: concerns everyone
        db.execute("UPDATE people SET name = ? WHERE id = ?", [f"Renamed {n}", demo.member(team_id).person_id])


def reads(demo: Demo, team: str) -> list[tuple]:
    """(function, arguments, keyword arguments) of the reads a page makes for `team`'s lead or the manager."""
    team_id, lead = demo.teams[team], demo.leads[team]
    weeks = (demo.maya, demo.current, None, None, TODAY)
    return [(fn, args, {}) for fn, args in [
        (ideas.objective_ideas, (lead, team_id, demo.planning, None)),
        (context.opening, (lead, team_id, demo.planning, NOW)),
        (workshop.progress, (lead, team_id, demo.planning, None)),
        (rounds.rounds_of, (lead, team_id, demo.planning)),
        (voice.balance, (lead, team_id, demo.planning)),
        (checkins.checkable_key_results, (lead, demo.current, TODAY)),
        (team_board.team_key_results, (demo.maya, team_id, demo.current, TODAY)),
        (board.kr_status_counts_by_team, (demo.maya, demo.current, None, None, TODAY)),
        (board.stale_key_results, (demo.maya, demo.current, None, None, TODAY)),
        (board.overview, (demo.maya, demo.current, None, None, TODAY)),
        (alignment.objectives_by_company_objective, (demo.maya, demo.current, None, None, TODAY)),
        (over_time.team_scores_by_quarter, (demo.maya, None, None, TODAY)),
        (over_time.team_status_by_week, weeks),
    ]] + [(over_time.team_status_by_week, weeks, {"by": "department"})]


operations = st.lists(st.tuples(st.sampled_from(["write", "read"]), st.sampled_from(["checkin", "idea", "concern",
                                                                                       "link", "rename"]),
                                st.sampled_from(TEAM_NAMES), st.integers(0, 50)), min_size=1, max_size=8)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_a_cached_read_always_equals_the_same_read_made_directly(demo, steps):
    for action, kind, team, n in steps:
        if action == "write":
            write(demo, kind, team, n)
            continue
        for fn, args, kwargs in reads(demo, team) + reads(demo, TEAM_NAMES[n % len(TEAM_NAMES)]):
            kept, direct = memo.call(fn, *args, **kwargs), fn(*args, **kwargs)
            assert same(kept, direct), f"{fn.__qualname__}{args[1:]}{kwargs} was stale"


def counted(demo: Demo, team: str) -> dict[str, int]:
    """Read every page read of `team` through the cache; how many of them had to be made (not kept)."""
    made = {}
    for fn, args, kwargs in reads(demo, team):
        before = memo._reads.made
        memo.call(fn, *args, **kwargs)
        made[fn.__qualname__] = memo._reads.made - before
    return made


def test_a_check_in_on_one_team_leaves_another_teams_workshop_cached(demo):
    counted(demo, "Scheduling")
    write(demo, "checkin", "Onboarding", 3)
    made = counted(demo, "Scheduling")
    workshop_reads = ["objective_ideas", "opening", "progress", "rounds_of", "balance", "team_key_results"]
    assert all(made[name] == 0 for name in workshop_reads), made
    assert demo.teams["Onboarding"] not in demo.leads["Scheduling"].member_of | demo.leads["Scheduling"].lead_of
    assert made["checkable_key_results"] == 0  # the lead's own teams' check-ins: none of them moved
    assert made["kr_status_counts_by_team"] == 1  # the organisation's dashboard did change


def test_a_survey_answer_leaves_the_dashboards_cached(demo):
    survey = demo.open_surveys[0]
    team = next(name for name, team_id in demo.teams.items() if team_id == survey["team_id"])
    counted(demo, team)
    write(demo, "concern", team, 1)
    made = counted(demo, team)
    assert made["kr_status_counts_by_team"] == made["stale_key_results"] == made["team_key_results"] == 0, made


def test_a_write_that_concerns_everyone_refreshes_every_read_of_its_table(demo):
    counted(demo, "Mobile Apps")
    write(demo, "rename", "Mobile Apps", 1)  # a person's name: read by every list that names people
    made = counted(demo, "Mobile Apps")
    assert made["objective_ideas"] == made["checkable_key_results"] == made["stale_key_results"] == 1, made
    assert made["kr_status_counts_by_team"] == 0  # counts name no one


@pytest.mark.parametrize(("read", "kwargs"), [(board.overview, {}), (over_time.team_scores_by_quarter, {}),
                                             (over_time.team_status_by_week, {}),
                                             (over_time.team_status_by_week, {"by": "department"}),
                                             (alignment.objectives_by_company_objective, {})],
                         ids=["overview", "history", "heatmap", "heatmap by department", "alignment map"])
def test_a_check_in_reads_the_organisation_s_views_again_for_its_team_only(demo, read, kwargs):
    if read is over_time.team_scores_by_quarter:
        args = (demo.maya, None, None, TODAY)
    else:
        args = (demo.maya, demo.current, None, None, TODAY)
    memo.call(read, *args, **kwargs)
    made, refreshed = memo._per_team.made, memo._per_team.refreshed
    write(demo, "checkin", "Onboarding", 7)
    assert same(memo.call(read, *args, **kwargs), read(*args, **kwargs))
    assert (memo._per_team.made, memo._per_team.refreshed) == (made, refreshed + 1)
    assert same(memo.call(read, *args, **kwargs), read(*args, **kwargs))  # and then it is kept
    assert memo._per_team.refreshed == refreshed + 1
    db.execute("UPDATE key_results SET title = title || '.' WHERE id = ?", [demo.krs["Onboarding"][0]["id"]])
    assert same(memo.call(read, *args, **kwargs), read(*args, **kwargs))  # a write naming no team: read in full
    assert memo._per_team.made == made + 1
