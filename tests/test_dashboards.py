"""Every dashboard query against the demo organisation as of DEMO_TODAY (known values), and its scope by role."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from okrdash import auth, db, scores
from okrdash import dashboards as d
from okrdash import dashboards_alignment as alignment
from okrdash import dashboards_team as team_board
from okrdash import dashboards_time as time_board
from okrdash.errors import PermissionDenied
from tests.conftest import DEMO_TODAY

Q = "2026-Q4"


def who(name: str) -> auth.Actor:
    return auth.load(db.scalar("SELECT id FROM people WHERE name = ?", [name]))


def team(name: str) -> int:
    return db.scalar("SELECT id FROM teams WHERE name = ?", [name])


def records(frame: pd.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


@pytest.fixture
def maya(demo_db_fixed):
    return who("Maya Okafor")


def test_filter_options_follow_the_role(maya):
    assert [x["name"] for x in d.filter_options(maya)["departments"]] == ["Customer Product", "Platform"]
    assert len(d.filter_options(maya)["teams"]) == 6
    daniel = d.filter_options(who("Daniel Brandt"))
    assert [t["name"] for t in daniel["teams"]] == ["Onboarding", "Payments & Invoicing", "Scheduling"]
    priya = d.filter_options(who("Priya Raman"))  # manages Platform, member of two Customer Product teams
    assert {t["name"] for t in priya["teams"]} == {"Onboarding", "Payments & Invoicing", "Mobile Apps",
                                                  "Data & Insights", "Developer Platform"}
    assert [t["name"] for t in d.filter_options(who("Hannah Weiss"))["teams"]] == ["Onboarding"]
    with pytest.raises(PermissionDenied, match="Dashboards are for team members and managers; Rosa Jiménez"):
        d.filter_options(who("Rosa Jiménez"))


def test_scope_refuses_a_team_outside_it(maya):
    with pytest.raises(PermissionDenied, match="Only members of Mobile Apps and managers above it"):
        d.scope_team_ids(who("Daniel Brandt"), team_id=team("Mobile Apps"))
    assert d.scope_team_ids(maya) is None
    assert d.scope_team_ids(maya, department_id=team("Platform")) == [  # the department and its teams
        team("Platform"), team("Data & Insights"), team("Developer Platform"), team("Mobile Apps")]


def test_kr_status_counts_by_team(maya):
    frame = d.kr_status_counts_by_team(maya, Q, today=DEMO_TODAY)
    assert records(frame, "team", "status", "krs") == [
        ("Payments & Invoicing", "on_track", 1), ("Payments & Invoicing", "at_risk", 1),
        ("Payments & Invoicing", "off_track", 2), ("Onboarding", "on_track", 1), ("Onboarding", "at_risk", 2),
        ("Scheduling", "on_track", 3), ("Scheduling", "at_risk", 1), ("Developer Platform", "on_track", 2),
        ("Developer Platform", "at_risk", 2), ("Mobile Apps", "on_track", 2), ("Mobile Apps", "at_risk", 1),
        ("Data & Insights", "on_track", 3), ("Data & Insights", "at_risk", 1)]
    # The same statuses the library gives team by team.
    for name in frame["team"].unique():
        expected = pd.Series([r["status"] for r in scores.kr_scores(team(name), Q, DEMO_TODAY)]).value_counts()
        got = frame[frame["team"] == name].set_index("status")["krs"]
        assert got.sort_index().tolist() == expected.sort_index().tolist()
    daniel = d.kr_status_counts_by_team(who("Daniel Brandt"), Q, today=DEMO_TODAY)
    assert set(daniel["team"]) == {"Onboarding", "Scheduling", "Payments & Invoicing"}
    one = d.kr_status_counts_by_team(maya, Q, team_id=team("Onboarding"), today=DEMO_TODAY)
    assert records(one, "team", "status", "krs") == [("Onboarding", "on_track", 1), ("Onboarding", "at_risk", 2)]


def test_kr_status_share_by_department(maya):
    frame = d.kr_status_share_by_department(maya, Q, today=DEMO_TODAY)
    assert records(frame, "department", "status", "krs", "teams") == [
        ("Customer Product", "on_track", 5, 3), ("Customer Product", "at_risk", 4, 3),
        ("Customer Product", "off_track", 2, 1), ("Platform", "on_track", 7, 3), ("Platform", "at_risk", 4, 3)]
    assert frame.groupby("department")["share"].sum().round(9).tolist() == [1.0, 1.0]
    hannah = d.kr_status_share_by_department(who("Hannah Weiss"), Q, today=DEMO_TODAY)
    assert records(hannah, "department", "krs") == [("Customer Product", 1), ("Customer Product", 2)]


def test_participation_by_team(maya):
    frame = d.participation_by_team(maya, Q, today=DEMO_TODAY)
    assert records(frame, "team", "members", "answered", "checkin_weeks", "expected_weeks") == [
        ("Onboarding", 7, 5, 18, 21), ("Payments & Invoicing", 7, 7, 25, 28), ("Scheduling", 6, 6, 26, 28),
        ("Data & Insights", 6, 6, 25, 28), ("Developer Platform", 6, 5, 22, 28), ("Mobile Apps", 6, 3, 21, 21)]
    assert frame["survey_share"].iloc[0] == pytest.approx(5 / 7)
    assert frame["checkin_share"].iloc[0] == pytest.approx(18 / 21)
    # Next quarter: surveys under way, no check-ins yet; Developer Platform has no survey.
    upcoming = d.participation_by_team(maya, "2027-Q1", today=DEMO_TODAY).set_index("team")
    assert pd.isna(upcoming.loc["Developer Platform", "survey_share"])
    assert upcoming.loc["Mobile Apps", "survey_share"] == 0.0
    assert upcoming["checkin_share"].isna().all()


def test_stale_key_results(maya):
    frame = d.stale_key_results(maya, Q, today=DEMO_TODAY)
    assert records(frame, "team", "owner", "days_since", "status") == [
        ("Data & Insights", "Finn Murphy", 26, "on_track"), ("Onboarding", "Arjun Mehta", 26, "at_risk"),
        ("Developer Platform", "Jakub Wójcik", 19, "on_track"),
        ("Developer Platform", "Noor Al-Sayed", 19, "on_track"),
        ("Developer Platform", "Jakub Wójcik", 19, "at_risk"),
        ("Payments & Invoicing", "Ingrid Halvorsen", 19, "on_track"),
        ("Scheduling", "Yuki Tanaka", 19, "on_track"),
        ("Payments & Invoicing", "Samuel Adeyemi", 12, "off_track")]
    assert frame["key_result"].iloc[1] == "Reduce CSM hours per mid-market onboarding from 9 to 3"
    assert d.stale_key_results(maya, "2026-Q3", today=DEMO_TODAY).empty  # a finished quarter is never stale


def test_overview_totals(maya):
    totals = d.overview_totals(maya, Q, today=DEMO_TODAY)
    assert {k: totals[k] for k in ("teams", "teams_with_okr", "teams_without_okr", "krs", "on_track", "stale")} == {
        "teams": 6, "teams_with_okr": 6, "teams_without_okr": None, "krs": 22, "on_track": 12, "stale": 8}
    assert totals["share_on_track"] == pytest.approx(12 / 22)
    db.execute("UPDATE objectives SET status = 'draft' WHERE quarter = ? AND team_id = ?", [Q, team("Mobile Apps")])
    totals = d.overview_totals(maya, Q, today=DEMO_TODAY)
    assert (totals["teams_with_okr"], totals["teams_without_okr"], totals["krs"]) == (5, "Mobile Apps", 19)


def test_team_objective_and_key_results(maya):
    onboarding = team("Onboarding")
    objective = team_board.team_objective(maya, onboarding, Q, DEMO_TODAY)
    assert objective["title"] == "New customers get value from Harbor on their first day"
    assert (objective["serves"], objective["krs"], objective["on_track"], objective["stale"]) == (
        "Make getting paid effortless", 3, 1, 1)
    krs = team_board.team_key_results(maya, onboarding, Q, DEMO_TODAY)
    assert records(krs, "progress", "status", "confidence", "days_since", "stale", "owner") == [
        (pytest.approx(0.35), "at_risk", 4, 5, False, "Sofia Lindqvist"),
        (pytest.approx(0.5), "on_track", 8, 5, False, "Sofia Lindqvist"),
        (pytest.approx(0.22833333), "at_risk", 5, 26, True, "Arjun Mehta")]
    assert krs["expected"].tolist() == pytest.approx([48 / 91] * 3)
    assert team_board.team_objective(maya, onboarding, "2027-Q1", DEMO_TODAY) is None
    with pytest.raises(PermissionDenied):
        team_board.team_key_results(who("Daniel Brandt"), team("Mobile Apps"), Q, DEMO_TODAY)


def test_confidence_by_checkin(maya):
    frame = team_board.confidence_by_checkin(maya, team("Onboarding"), Q, DEMO_TODAY)
    assert len(frame) == 7 + 7 + 4 and frame["kr_number"].unique().tolist() == [1, 2, 3]
    first = frame[frame["kr_number"] == 1]
    assert first["checked_on"].dt.date.tolist() == [dt.date(2026, 10, 2) + dt.timedelta(weeks=w) for w in range(7)]
    assert first["confidence"].between(0, 10).all()


def test_kr_value_series_has_actual_expected_projected_and_target(maya):
    kr = int(team_board.team_key_results(maya, team("Onboarding"), Q, DEMO_TODAY)["kr_id"].iloc[0])
    frame = team_board.kr_value_series(maya, kr, DEMO_TODAY)
    assert records(frame[frame["series"] != "Actual"], "series", "value") == [
        ("Expected", 52.0), ("Expected", 12.0), ("Projected", 38.0), ("Projected", pytest.approx(17.9387755)),
        ("Target", 12.0)]
    actual = frame[frame["series"] == "Actual"]
    assert actual["value"].tolist() == [52.0, 48.0, 46.0, 43.0, 40.0, 36.0, 38.0]
    assert frame[frame["series"] == "Expected"]["day"].dt.date.tolist() == [dt.date(2026, 10, 1),
                                                                             dt.date(2026, 12, 31)]
    confidence = team_board.kr_confidence_series(maya, kr, DEMO_TODAY)
    assert len(confidence) == 7 and confidence["status"].iloc[-1] == "at_risk"
    with pytest.raises(PermissionDenied):
        team_board.kr_value_series(who("Noor Al-Sayed"), kr, DEMO_TODAY)


def test_milestone_series_plot_done_as_0_or_1(maya):
    kr = db.scalar("""SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
                      WHERE o.quarter = '2026-Q3' AND k.kind = 'milestone' ORDER BY k.id LIMIT 1""")
    frame = team_board.kr_value_series(maya, kr, DEMO_TODAY)
    assert set(frame["series"]) <= {"Actual", "Target"}
    assert set(frame[frame["series"] == "Actual"]["value"]) <= {0.0, 1.0}
    assert frame[frame["series"] == "Target"]["value"].tolist() == [1.0]


def test_key_results_in_scope(maya):
    assert len(team_board.key_results_in_scope(maya, Q)) == 22
    assert {k["team"] for k in team_board.key_results_in_scope(who("Daniel Brandt"), Q)} == {
        "Onboarding", "Scheduling", "Payments & Invoicing"}
    assert len(team_board.key_results_in_scope(who("Hannah Weiss"), Q)) == 3


def test_team_status_by_week(maya):
    frame = time_board.team_status_by_week(maya, Q, today=DEMO_TODAY)
    onboarding = frame[frame["row"] == "Onboarding"]
    assert onboarding["week"].dt.date.tolist() == [dt.date(2026, 9, 28) + dt.timedelta(weeks=w) for w in range(8)]
    assert onboarding["status"].tolist() == ["on_track", "on_track", "at_risk", "on_track", "on_track", "at_risk",
                                             "at_risk", "at_risk"]
    assert records(onboarding.tail(1), "on_track", "at_risk", "off_track", "stale", "krs") == [(1, 2, 0, 1, 3)]
    assert len(frame) == 6 * 8
    departments = time_board.team_status_by_week(maya, Q, today=DEMO_TODAY, by="department")
    assert departments["row"].unique().tolist() == ["Customer Product", "Platform"]
    assert departments.groupby("row")["krs"].max().tolist() == [11, 11]
    assert len(time_board.team_status_by_week(maya, "2026-Q3", today=DEMO_TODAY)) == 6 * 14  # a whole quarter
    with pytest.raises(ValueError, match="by must be"):
        time_board.team_status_by_week(maya, Q, today=DEMO_TODAY, by="person")


def test_team_scores_by_quarter(maya):
    frame = time_board.team_scores_by_quarter(maya, today=DEMO_TODAY)
    onboarding = frame[frame["team"] == "Onboarding"]
    assert records(onboarding, "quarter", "krs", "on_track", "finished") == [
        ("2025-Q4", 3, 1, True), ("2026-Q1", 4, 4, True), ("2026-Q2", 3, 1, True), ("2026-Q3", 3, 2, True),
        ("2026-Q4", 3, 1, False)]
    assert onboarding["score"].tolist() == pytest.approx([0.5816667, 0.9416667, 0.5712121, 0.8077778, 0.3594444])
    for quarter, score in zip(onboarding["quarter"], onboarding["score"], strict=True):
        assert score == pytest.approx(scores.objective_score(team("Onboarding"), quarter, DEMO_TODAY))
    assert len(time_board.team_scores_by_quarter(maya, today=DEMO_TODAY, last=2)) == 6 * 2
    daniel = time_board.team_scores_by_quarter(who("Daniel Brandt"), today=DEMO_TODAY)
    assert set(daniel["team"]) == {"Onboarding", "Scheduling", "Payments & Invoicing"}


def test_objectives_by_company_objective(maya):
    frame = alignment.objectives_by_company_objective(maya, Q, today=DEMO_TODAY)
    assert records(frame, "company_objective", "team") == [
        ("Win the mid-market: 20–200 seat service businesses choose Harbor", "Data & Insights"),
        ("Win the mid-market: 20–200 seat service businesses choose Harbor", "Scheduling"),
        ("Make getting paid effortless", "Mobile Apps"), ("Make getting paid effortless", "Onboarding"),
        ("Make getting paid effortless", "Payments & Invoicing"), ("Earn trust at scale", "Developer Platform")]
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
    assert set(daniel["team"].dropna()) == {"Scheduling", "Onboarding", "Payments & Invoicing"}


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
