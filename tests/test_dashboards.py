"""Every dashboard query against the demo organisation as of DEMO_TODAY, and its scope by role.

Expected values are the demo's fixed facts (teams, departments, objectives, weekly Friday check-ins, quarter
dates) and, for everything derived from the seeded trajectories, the answer recomputed in Python from the raw rows
with the pure rules of okrdash.progress (tests/tracking_fixtures.reference_states) — so the SQL is checked against an
independent implementation, and a change in the demo's random draws does not turn these tests into noise.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
import pytest

from okrdash import auth, db, scores
from okrdash import dashboards as d
from okrdash import progress as p
from okrdash.dashboards import alignment
from okrdash.dashboards import over_time as time_board
from okrdash.dashboards import team as team_board
from okrdash.errors import PermissionDenied
from tests.conftest import DEMO_TODAY
from tests.tracking_fixtures import reference_states, state_at

Q = "2026-Q4"
CUSTOMER_PRODUCT = {"Onboarding", "Scheduling", "Payments & Invoicing"}
PLATFORM = {"Mobile Apps", "Data & Insights", "Developer Platform"}
DEPARTMENT = {**dict.fromkeys(CUSTOMER_PRODUCT, "Customer Product"), **dict.fromkeys(PLATFORM, "Platform")}


def who(name: str) -> auth.Actor:
    return auth.load(db.scalar("SELECT id FROM people WHERE name = ?", [name]))


def team(name: str) -> int:
    return db.scalar("SELECT id FROM teams WHERE name = ?", [name])


def records(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


@pytest.fixture
def maya(demo_db_fixed):
    return who("Maya Okafor")


@pytest.fixture
def reference(demo_db_fixed):
    """The reference states of the current quarter's KRs."""
    return [s for s in reference_states(DEMO_TODAY) if s["quarter"] == Q]


def test_filter_options_follow_the_role(maya):
    assert [x["name"] for x in d.filter_options(maya)["departments"]] == ["Customer Product", "Platform"]
    assert len(d.filter_options(maya)["teams"]) == 6
    daniel = d.filter_options(who("Daniel Brandt"))
    assert [t["name"] for t in daniel["teams"]] == ["Onboarding", "Payments & Invoicing", "Scheduling"]
    priya = d.filter_options(who("Priya Raman"))  # manages Platform, member of two Customer Product teams
    assert {t["name"] for t in priya["teams"]} == {"Onboarding", "Payments & Invoicing"} | PLATFORM
    assert [t["name"] for t in d.filter_options(who("Hannah Weiss"))["teams"]] == ["Onboarding"]
    with pytest.raises(PermissionDenied, match="Dashboards are for team members and managers; Rosa Jiménez"):
        d.filter_options(who("Rosa Jiménez"))


def test_scope_refuses_a_team_outside_it(maya):
    with pytest.raises(PermissionDenied, match="Only members of Mobile Apps and managers above it"):
        d.scope_team_ids(who("Daniel Brandt"), team_id=team("Mobile Apps"))
    assert d.scope_team_ids(maya) is None
    assert d.scope_team_ids(maya, department_id=team("Platform")) == [  # the department and its teams
        team("Platform"), team("Data & Insights"), team("Developer Platform"), team("Mobile Apps")]


def test_kr_status_counts_by_team(maya, reference):
    frame = d.kr_status_counts_by_team(maya, Q, today=DEMO_TODAY)
    expected = Counter((s["team"], s["status"]) for s in reference)
    assert Counter({(t, s): n for t, s, n in records(frame, "team", "status", "krs")}) == expected
    # Departments in order, and inside each the teams with the smallest share on track first.
    assert [DEPARTMENT[t] for t in frame["team"]] == sorted(DEPARTMENT[t] for t in frame["team"])
    for _, rows in frame.groupby(frame["team"].map(DEPARTMENT)):
        assert rows["share_on_track"].is_monotonic_increasing
    assert frame["krs"].sum() == len(reference) and set(frame["team"]) == CUSTOMER_PRODUCT | PLATFORM
    daniel = d.kr_status_counts_by_team(who("Daniel Brandt"), Q, today=DEMO_TODAY)
    assert set(daniel["team"]) == CUSTOMER_PRODUCT
    one = d.kr_status_counts_by_team(maya, Q, team_id=team("Onboarding"), today=DEMO_TODAY)
    assert Counter(dict(zip(one["status"], one["krs"], strict=True))) == Counter(
        s["status"] for s in reference if s["team"] == "Onboarding")


def test_kr_status_share_by_department(maya, reference):
    frame = d.kr_status_share_by_department(maya, Q, today=DEMO_TODAY)
    expected = Counter((DEPARTMENT[s["team"]], s["status"]) for s in reference)
    assert {(dep, s): n for dep, s, n in records(frame, "department", "status", "krs")} == dict(expected)
    assert frame.groupby("department")["share"].sum().round(9).tolist() == [1.0, 1.0]
    assert frame.groupby("department")["krs"].sum().to_dict() == dict(Counter(DEPARTMENT[s["team"]] for s in reference))
    hannah = d.kr_status_share_by_department(who("Hannah Weiss"), Q, today=DEMO_TODAY)
    assert set(hannah["department"]) == {"Customer Product"} and hannah["krs"].sum() == 3


def test_participation_by_team(maya, reference):
    frame = d.participation_by_team(maya, Q, today=DEMO_TODAY).set_index("team")
    for name in CUSTOMER_PRODUCT | PLATFORM:
        members = db.scalar("SELECT count(*) FROM memberships WHERE team_id = ?", [team(name)])
        answered = db.scalar("""SELECT count(*) FROM survey_participation sp JOIN surveys s ON s.id = sp.survey_id
                                WHERE s.team_id = ? AND s.quarter = ? AND sp.status = 'submitted'""",
                             [team(name), Q])
        krs = [s for s in reference if s["team"] == name]
        completed = ((DEMO_TODAY - dt.date(2026, 10, 1)).days + 1) // 7  # whole weeks of the quarter so far: 7
        weeks = sum(len({(c["checked_on"] - s["starts_on"]).days // 7 for c in s["checkins"]} & set(range(completed)))
                    for s in krs)
        row = frame.loc[name]
        assert (row["members"], row["answered"]) == (members, answered)
        assert (row["checkin_weeks"], row["expected_weeks"]) == (weeks, completed * len(krs))
        assert row["survey_share"] == pytest.approx(answered / members)
        assert row["checkin_share"] == pytest.approx(weeks / (completed * len(krs)))
    # Next quarter: surveys under way, no check-ins yet; Developer Platform has not opened its survey.
    upcoming = d.participation_by_team(maya, "2027-Q1", today=DEMO_TODAY).set_index("team")
    assert pd.isna(upcoming.loc["Developer Platform", "survey_share"])
    assert upcoming.loc["Mobile Apps", "survey_share"] == 0.0  # nobody has answered yet, one draft
    assert upcoming["checkin_share"].isna().all()


def test_stale_key_results(maya, reference):
    frame = d.stale_key_results(maya, Q, today=DEMO_TODAY)
    expected = sorted(((s["kr_id"], s["days_since"], s["status"]) for s in reference if s["stale"]),
                      key=lambda r: -r[1])
    assert sorted(records(frame, "kr_id", "days_since", "status")) == sorted(expected)
    assert frame["days_since"].is_monotonic_decreasing and (frame["days_since"] > 7).all()
    assert len(frame) >= 1  # the demo always leaves some KRs without recent check-ins
    assert d.stale_key_results(maya, "2026-Q3", today=DEMO_TODAY).empty  # a finished quarter is never stale


def test_overview_totals(maya, reference):
    totals = d.overview_totals(maya, Q, today=DEMO_TODAY)
    on_track = sum(s["status"] == "on_track" for s in reference)
    assert {k: totals[k] for k in ("teams", "teams_with_okr", "teams_without_okr", "krs", "on_track", "stale")} == {
        "teams": 6, "teams_with_okr": 6, "teams_without_okr": None, "krs": len(reference), "on_track": on_track,
        "stale": sum(s["stale"] for s in reference)}
    assert totals["share_on_track"] == pytest.approx(on_track / len(reference))
    assert totals["mean_score"] == pytest.approx(sum(s["score"] for s in reference) / len(reference))
    mobile_krs = sum(s["team"] == "Mobile Apps" for s in reference)
    db.execute("UPDATE objectives SET status = 'draft' WHERE quarter = ? AND team_id = ?", [Q, team("Mobile Apps")])
    totals = d.overview_totals(maya, Q, today=DEMO_TODAY)
    assert (totals["teams_with_okr"], totals["teams_without_okr"], totals["krs"]) == (
        5, "Mobile Apps", len(reference) - mobile_krs)


def test_team_objective_and_key_results(maya, reference):
    onboarding = team("Onboarding")
    mine = sorted((s for s in reference if s["team"] == "Onboarding"), key=lambda s: s["position"])
    objective = team_board.team_objective(maya, onboarding, Q, DEMO_TODAY)
    assert objective["title"] == "New customers get value from Harbor on their first day"
    assert (objective["serves"], objective["krs"], objective["stale"]) == (
        "Make getting paid effortless", len(mine), sum(s["stale"] for s in mine))
    assert objective["score"] == pytest.approx(sum(s["score"] for s in mine) / len(mine))
    krs = team_board.team_key_results(maya, onboarding, Q, DEMO_TODAY)
    assert records(krs, "kr_id", "status", "days_since", "stale", "owner") == [
        (s["kr_id"], s["status"], s["days_since"], s["stale"], s["owner"]) for s in mine]
    assert krs["progress"].tolist() == pytest.approx([s["progress"] for s in mine])
    expected_now = p.expected_progress(DEMO_TODAY, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert krs["expected"].fillna(-1).tolist() == pytest.approx(  # milestones: none (time decides)
        [expected_now if s["kind"] in p.VALUE_KINDS else 1.0 if s["kind"] in p.BOUND_KINDS else -1 for s in mine])
    assert team_board.team_objective(maya, onboarding, "2027-Q1", DEMO_TODAY) is None
    with pytest.raises(PermissionDenied):
        team_board.team_key_results(who("Daniel Brandt"), team("Mobile Apps"), Q, DEMO_TODAY)


def test_confidence_by_checkin(maya, reference):
    frame = team_board.confidence_by_checkin(maya, team("Onboarding"), Q, DEMO_TODAY)
    mine = sorted((s for s in reference if s["team"] == "Onboarding"), key=lambda s: s["position"])
    assert len(frame) == sum(len(s["checkins"]) for s in mine)
    assert frame["kr_number"].unique().tolist() == list(range(1, len(mine) + 1))
    first = frame[frame["kr_number"] == 1]
    assert first["checked_on"].dt.date.tolist() == [c["checked_on"] for c in mine[0]["checkins"]]
    assert first["confidence"].tolist() == [c["confidence"] for c in mine[0]["checkins"]]
    kickoff, *weekly = first["checked_on"].dt.date
    assert kickoff == dt.date(2026, 10, 1)  # the demo checks in on the quarter's first day, then on Fridays
    assert all(day.weekday() == 4 for day in weekly)


def test_kr_value_series_has_actual_expected_projected_and_target(maya, reference):
    state = next(s for s in reference if s["team"] == "Onboarding" and s["kind"] in p.VALUE_KINDS)
    frame = team_board.kr_value_series(maya, state["kr_id"], DEMO_TODAY)
    actual = frame[frame["series"] == "Actual"]
    assert actual["value"].tolist() == [c["value"] for c in state["checkins"]]
    assert records(frame[frame["series"] == "Expected"], "value") == [(state["baseline"],), (state["target"],)]
    assert frame[frame["series"] == "Expected"]["day"].dt.date.tolist() == [dt.date(2026, 10, 1),
                                                                             dt.date(2026, 12, 31)]
    points = [((c["checked_on"] - state["starts_on"]).days, c["value"]) for c in state["checkins"]]
    projected = frame[frame["series"] == "Projected"]
    assert projected["value"].tolist() == pytest.approx(
        [state["checkins"][-1]["value"], p.projected_value(points, 91, state["baseline"], state["target"])])
    assert records(frame[frame["series"] == "Target"], "value") == [(state["target"],)]
    confidence = team_board.kr_confidence_series(maya, state["kr_id"], DEMO_TODAY)
    assert len(confidence) == len(state["checkins"]) and confidence["status"].iloc[-1] == state["status"]
    with pytest.raises(PermissionDenied):
        team_board.kr_value_series(who("Noor Al-Sayed"), state["kr_id"], DEMO_TODAY)


def test_milestone_series_plot_done_as_0_or_1(maya):
    kr = db.scalar("""SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
                      WHERE o.quarter = '2026-Q3' AND k.kind = 'milestone' ORDER BY k.id LIMIT 1""")
    frame = team_board.kr_value_series(maya, kr, DEMO_TODAY)
    assert set(frame["series"]) <= {"Actual", "Target"}
    assert set(frame[frame["series"] == "Actual"]["value"]) <= {0.0, 1.0}
    assert frame[frame["series"] == "Target"]["value"].tolist() == [1.0]


def test_key_results_in_scope(maya, reference):
    assert len(team_board.key_results_in_scope(maya, Q)) == len(reference)
    assert {k["team"] for k in team_board.key_results_in_scope(who("Daniel Brandt"), Q)} == CUSTOMER_PRODUCT
    assert len(team_board.key_results_in_scope(who("Hannah Weiss"), Q)) == sum(
        s["team"] == "Onboarding" for s in reference)


def test_team_status_by_week(maya, reference):
    frame = time_board.team_status_by_week(maya, Q, today=DEMO_TODAY)
    mondays = [dt.date(2026, 9, 28) + dt.timedelta(weeks=w) for w in range(8)]  # up to the week of 16 Nov
    assert len(frame) == 6 * len(mondays)
    for name in ("Onboarding", "Mobile Apps"):
        rows = frame[frame["row"] == name]
        assert rows["week"].dt.date.tolist() == mondays
        mine = [s for s in reference if s["team"] == name]
        for monday, status, on_track in zip(mondays, rows["status"], rows["on_track"], strict=True):
            end = min(monday + dt.timedelta(days=6), DEMO_TODAY)
            statuses = [state_at(s, end) for s in mine]
            assert status == p.team_status(statuses)
            assert on_track == statuses.count("on_track")
    departments = time_board.team_status_by_week(maya, Q, today=DEMO_TODAY, by="department")
    assert departments["row"].unique().tolist() == ["Customer Product", "Platform"]
    assert departments.groupby("row")["krs"].max().to_dict() == dict(Counter(DEPARTMENT[s["team"]] for s in reference))
    assert len(time_board.team_status_by_week(maya, "2026-Q3", today=DEMO_TODAY)) == 6 * 14  # a whole quarter
    assert time_board.team_status_by_week(maya, "2027-Q1", today=DEMO_TODAY).empty  # not started: no week yet
    with pytest.raises(ValueError, match="by must be"):
        time_board.team_status_by_week(maya, Q, today=DEMO_TODAY, by="person")


def sql_grouped(actor: auth.Actor, quarter: str, by: str, teams: list[int] | None = None) -> pd.DataFrame:
    """The heatmap's cells grouped per row in SQL, as team_status_by_week read them before it was kept per team."""
    held, params = time_board._held_by_week(actor, quarter, None, None, DEMO_TODAY, teams=teams)
    key, name = ("team_id", "team") if by == "team" else ("department_id", "department")
    return db.frame(
        held + f"""
        , grouped AS (
            SELECT dir.{key} AS row_id, held.week, avg(held.level) AS mean_level,
                   count(*) FILTER (WHERE held.status = 'on_track') AS on_track,
                   count(*) FILTER (WHERE held.status = 'at_risk') AS at_risk,
                   count(*) FILTER (WHERE held.status = 'off_track') AS off_track,
                   count(*) FILTER (WHERE held.status = 'no_data') AS no_data,
                   count(*) FILTER (WHERE held.stale) AS stale, count(*) AS krs
            FROM held JOIN dir ON dir.team_id = held.team_id GROUP BY dir.{key}, held.week
        ),
        named AS (SELECT DISTINCT {key} AS row_id, {name} AS row, department FROM dir)
        SELECT named.row, named.department, g.week, {p.sql_team_status("g.mean_level")} AS status, g.on_track,
               g.at_risk, g.off_track, g.no_data, g.stale, g.krs
        FROM grouped g JOIN named ON named.row_id = g.row_id ORDER BY named.department, named.row, g.week""",
        params,
    )


@pytest.mark.parametrize("summaries", [True, False])
@pytest.mark.parametrize("by", ["team", "department"])
def test_the_heatmap_summed_from_team_records_equals_the_one_grouped_in_sql(maya, monkeypatch, by, summaries):
    """The heatmap sums per-team records in pandas (so a kept one can read one team again): the same rows, order,
    values and types as the cells grouped per row in SQL, whether read at once or team by team, and when empty."""
    if not summaries:
        monkeypatch.setattr(scores, "summaries_cover", lambda today: False)  # cells from the check-in states
    for quarter in (Q, "2026-Q3", "2027-Q1"):  # 2027-Q1 has no week up to DEMO_TODAY: no rows
        expected = sql_grouped(maya, quarter, by)
        found = time_board.team_status_by_week(maya, quarter, today=DEMO_TODAY, by=by)
        pd.testing.assert_frame_equal(found, expected, check_exact=True)
        assert len(found) == 0 if quarter == "2027-Q1" else (found["status"] != "no_data").any()
    teams = [team(name) for name in sorted(DEPARTMENT)]
    parts = [time_board.team_status_by_week_records(maya, Q, today=DEMO_TODAY, by=by, teams=chosen)
             for chosen in (teams[:1], teams[1:4], teams[4:])]
    assert [len(part["team_id"].unique()) for part in parts] == [1, 3, 2]
    pd.testing.assert_frame_equal(time_board.team_status_by_week_frame(pd.concat(parts, ignore_index=True)),
                                  sql_grouped(maya, Q, by), check_exact=True)
    none = time_board.team_status_by_week_records(maya, Q, today=DEMO_TODAY, by=by, teams=[])
    assert none.empty  # no teams asked: no rows, not every team's
    pd.testing.assert_frame_equal(time_board.team_status_by_week_frame(none), sql_grouped(maya, Q, by, teams=[]),
                                  check_exact=True)


def test_team_scores_by_quarter(maya, demo_db_fixed):
    frame = time_board.team_scores_by_quarter(maya, today=DEMO_TODAY)
    everything = reference_states(DEMO_TODAY)
    onboarding = frame[frame["team"] == "Onboarding"]
    assert onboarding["quarter"].tolist() == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert onboarding["finished"].tolist() == [True, True, True, True, False]
    for quarter, score, krs in zip(onboarding["quarter"], onboarding["score"], onboarding["krs"], strict=True):
        mine = [s for s in everything if s["team"] == "Onboarding" and s["quarter"] == quarter]
        assert krs == len(mine) and score == pytest.approx(sum(s["score"] for s in mine) / len(mine))
        assert score == pytest.approx(scores.objective_score(team("Onboarding"), quarter, DEMO_TODAY))
    assert len(frame) == 6 * 5
    assert len(time_board.team_scores_by_quarter(maya, today=DEMO_TODAY, last=2)) == 6 * 2
    assert set(time_board.team_scores_by_quarter(who("Daniel Brandt"), today=DEMO_TODAY)["team"]) == CUSTOMER_PRODUCT


def test_objectives_by_company_objective(maya):
    frame = alignment.objectives_by_company_objective(maya, Q, today=DEMO_TODAY)
    assert records(frame, "company_objective", "team") == [
        ("Win the mid-market: 20–200 seat service businesses choose Harbor", "Data & Insights"),
        ("Win the mid-market: 20–200 seat service businesses choose Harbor", "Scheduling"),
        ("Make getting paid effortless", "Mobile Apps"), ("Make getting paid effortless", "Onboarding"),
        ("Make getting paid effortless", "Payments & Invoicing"), ("Earn trust at scale", "Developer Platform")]
    assert frame["score"].tolist() == pytest.approx(
        [scores.objective_score(team(t), Q, DEMO_TODAY) for t in frame["team"]])
    # Unlink one objective and point another at a product strategy: both serve no company objective now.
    strategy_item = db.scalar("SELECT id FROM strategy_items WHERE quarter = ? AND kind = 'product_strategy' "
                              "ORDER BY position LIMIT 1", [Q])
    db.execute("UPDATE objectives SET strategy_item_id = NULL WHERE quarter = ? AND team_id = ?",
               [Q, team("Developer Platform")])
    db.execute("UPDATE objectives SET strategy_item_id = ? WHERE quarter = ? AND team_id = ?",
               [strategy_item, Q, team("Mobile Apps")])
    frame = alignment.objectives_by_company_objective(maya, Q, today=DEMO_TODAY)
    unserved = frame[frame["objective_id"].isna()]
    assert unserved["company_objective"].tolist() == ["Earn trust at scale"]
    orphans = frame[frame["company_objective_id"].isna()]
    assert records(orphans.fillna({"linked_to": "—"}), "team", "linked_to") == [
        ("Developer Platform", "—"), ("Mobile Apps", "Expand from solo operators to multi-location teams")]
    # Next quarter: no objectives yet, so every company objective shows as unserved; Daniel sees only his teams.
    upcoming = alignment.objectives_by_company_objective(maya, "2027-Q1", today=DEMO_TODAY)
    assert len(upcoming) == 3 and upcoming["objective_id"].isna().all()
    daniel = alignment.objectives_by_company_objective(who("Daniel Brandt"), Q, today=DEMO_TODAY)
    assert set(daniel["team"].dropna()) == CUSTOMER_PRODUCT


def test_team_objective_counts_by_company_objective(maya):
    frame = alignment.team_objective_counts_by_company_objective(maya, Q)
    assert records(frame, "company_objective", "published", "drafts", "objectives") == [
        ("Win the mid-market: 20–200 seat service businesses choose Harbor", 2, 0, 2),
        ("Make getting paid effortless", 3, 0, 3), ("Earn trust at scale", 1, 0, 1)]
    db.execute("UPDATE objectives SET strategy_item_id = NULL, status = 'draft' WHERE quarter = ? AND team_id = ?",
               [Q, team("Onboarding")])
    daniel = alignment.team_objective_counts_by_company_objective(who("Daniel Brandt"), Q)
    assert records(daniel, "company_objective", "published", "drafts") == [
        ("Win the mid-market: 20–200 seat service businesses choose Harbor", 1, 0),
        ("Make getting paid effortless", 1, 0), ("Earn trust at scale", 0, 0), ("No company objective", 0, 1)]


def test_a_read_of_a_few_teams_names_each_and_of_many_one_list(maya, monkeypatch):
    from okrdash.dashboards import organisation, scope

    params: dict = {}
    assert scope.only_teams([4, 5], params) == "IN ($only0, $only1)" and params == {"only0": 4, "only1": 5}
    params = {}
    assert scope.only_teams([], params) == "IN ($only0)" and params == {"only0": -1}  # no team: no rows
    chosen = [team(name) for name in sorted(DEPARTMENT)][:3]
    few = organisation.overview_records(maya, Q, today=DEMO_TODAY, teams=chosen)
    heat_few = time_board.team_status_by_week_records(maya, Q, today=DEMO_TODAY, teams=chosen)
    monkeypatch.setattr(scope, "_FEW_TEAMS", 2)
    params = {}
    assert scope.only_teams(chosen, params) == "= ANY($only)" and params == {"only": chosen}
    many = organisation.overview_records(maya, Q, today=DEMO_TODAY, teams=chosen)
    assert sorted(r["team_id"] for r in many) == sorted(chosen)
    assert sorted(many, key=lambda r: r["team_id"]) == sorted(few, key=lambda r: r["team_id"])
    heat_many = time_board.team_status_by_week_records(maya, Q, today=DEMO_TODAY, teams=chosen)
    in_order = ["team_id", "week"]  # records come in no order
    pd.testing.assert_frame_equal(heat_many.sort_values(in_order, ignore_index=True),
                                  heat_few.sort_values(in_order, ignore_index=True))
