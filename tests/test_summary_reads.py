"""Nothing a user sees changes: every tracking read gives the same answer from the summaries (okrdash.scores.kept_sql)
as computed from the check-ins (state_sql), on the demo organisation, on several days, before and after writes;
and a read of a day before some check-in falls back to computing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from okrdash import auth, checkins, db, scores
from okrdash import dashboards as board
from okrdash.dashboards import alignment
from okrdash.dashboards import over_time as time_board
from okrdash.dashboards import team as team_board
from tests.backends import BACKEND

TODAY = dt.date(2026, 11, 18)
DAYS = [TODAY, TODAY + dt.timedelta(days=9), dt.date(2027, 2, 1)]


def same(a, b) -> bool:
    """Equal, with the same column types; floats to 1e-9 (an average may add its terms in another order)."""
    if isinstance(a, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), rtol=1e-9)
        except AssertionError:
            return False
        return True
    if isinstance(a, float) and isinstance(b, float):
        return a == pytest.approx(b, rel=1e-9)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def reads(day: dt.date) -> list[tuple]:
    maya = auth.load_by_email("maya.okafor@harbor.example")
    daniel = auth.load_by_email("daniel.brandt@harbor.example")  # a manager of one department
    tomas = auth.load_by_email("tomas.herrera@harbor.example")
    found = []
    for quarter in ("2026-Q3", "2026-Q4"):
        for who, department in ((maya, None), (daniel, None), (maya, _department("Customer Product"))):
            args = (who, quarter, department, None, day)
            found += [(f, args) for f in (board.overview_totals, board.kr_status_counts_by_team,
                                          board.kr_status_share_by_department, board.participation_by_team,
                                          board.stale_key_results, time_board.team_status_by_week,
                                          alignment.objectives_by_company_objective)]
            found.append((lambda *a: time_board.team_status_by_week(*a, by="department"), args))
        for team_id in db.column("SELECT DISTINCT team_id FROM objectives WHERE quarter = ?", [quarter]):
            found += [(f, (maya, team_id, quarter, day)) for f in (
                team_board.team_objective, team_board.team_key_results, team_board.confidence_by_checkin)]
            found += [(scores.kr_scores, (team_id, quarter, day)), (scores.objective_score, (team_id, quarter, day))]
        found.append((checkins.checkable_key_results, (tomas, quarter, day)))
    found.append((time_board.team_scores_by_quarter, (maya, None, None, day)))
    for kr_id in db.column("""SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
                              JOIN teams t ON t.id = o.team_id WHERE o.quarter = '2026-Q4' AND o.status = 'published'
                                AND k.archived_at IS NULL AND t.name IN ('Onboarding', 'Mobile Apps')
                              ORDER BY k.id"""):
        found += [(team_board.kr_value_series, (maya, kr_id, day)),
                  (team_board.kr_confidence_series, (maya, kr_id, day))]
        if not db.scalar("SELECT count(*) FROM awaiting_publish WHERE kr_id = ?", [kr_id]):
            found.append((checkins.kr_state, (maya, kr_id, day)))
    return found


def _department(name: str) -> int:
    return db.scalar("SELECT id FROM teams WHERE name = ?", [name])


def assert_summaries_read_as_computed(monkeypatch, day: dt.date) -> None:
    assert scores.summaries_cover(day)
    pairs = reads(day)
    kept = [fn(*args) for fn, args in pairs]
    with monkeypatch.context() as patch:
        patch.setattr(scores, "summaries_cover", lambda today: False)
        computed = [fn(*args) for fn, args in pairs]
    for (fn, args), mine, theirs in zip(pairs, kept, computed, strict=True):
        assert same(mine, theirs), f"{getattr(fn, '__qualname__', fn)}{args[1:]} reads differently"


@pytest.mark.parametrize("day", DAYS)
def test_every_tracking_read_is_the_same_from_the_summaries(demo_db_fixed, monkeypatch, day):
    assert_summaries_read_as_computed(monkeypatch, day)


def test_still_the_same_after_check_ins_edits_and_archives(demo_db_fixed, monkeypatch):
    from okrdash import key_results

    tomas = auth.load_by_email("tomas.herrera@harbor.example")
    krs = key_results.rows_for(db.scalar("SELECT id FROM teams WHERE name = 'Onboarding'"), "2026-Q4")
    for kr in krs:
        fields = {"done": True} if kr["kind"] == "milestone" else {"value": 1.5}
        checkins.record(tomas, kr["id"], confidence=3, today=TODAY, **fields)
    numbers = next(kr for kr in krs if kr["kind"] != "milestone")
    key_results.update(tomas, numbers["id"], {"baseline": 0, "target": 3}, now=dt.datetime(2026, 11, 18, 11))
    key_results.archive(tomas, krs[-1]["id"], now=dt.datetime(2026, 11, 18, 11))
    assert_summaries_read_as_computed(monkeypatch, TODAY)


def test_a_read_of_a_day_before_some_check_in_is_computed_from_the_check_ins(demo_db_fixed):
    earlier = TODAY - dt.timedelta(days=20)
    assert not scores.summaries_cover(earlier)  # the demo has check-ins after that day
    team_id = db.scalar("SELECT id FROM teams WHERE name = 'Scheduling'")
    computed = db.rows(scores.state_sql("o.team_id = $team AND o.quarter = '2026-Q4'")
                       + " SELECT kr_id, last_on, status, score FROM kr_states ORDER BY position, kr_id",
                       {"team": team_id, "today": earlier})
    shown = scores.kr_scores(team_id, "2026-Q4", earlier)
    assert [(r["kr_id"], r["status"], r["score"]) for r in shown] == [
        (r["kr_id"], r["status"], r["score"]) for r in computed]
    assert all(r["last_on"] is None or r["last_on"] <= earlier for r in computed)


def test_a_key_result_without_summary_is_read_by_computing(demo_db_fixed):
    db.execute("DELETE FROM kr_summaries WHERE kr_id = (SELECT min(kr_id) FROM kr_summaries)")
    assert not scores.summaries_cover(TODAY)


def test_key_results_are_counted_against_their_summaries_again_only_after_a_write_to_them(demo_db_fixed, monkeypatch):
    from okrdash import key_results, summaries

    tomas = auth.load_by_email("tomas.herrera@harbor.example")
    kr = key_results.rows_for(db.scalar("SELECT id FROM teams WHERE name = 'Onboarding'"), "2026-Q4")[0]
    assert scores.summaries_cover(TODAY)
    fields = {"done": True} if kr["kind"] == "milestone" else {"value": 1.5}
    checkins.record(tomas, kr["id"], confidence=3, today=TODAY, **fields)  # rewrites a summary, not a key result
    asked = []
    real = db.scalar
    monkeypatch.setattr(db, "scalar", lambda sql, params=(): asked.append(sql) or real(sql, params))
    assert scores.summaries_cover(TODAY) and asked == ["SELECT max(checked_on) > ? FROM checkins"]

    db.execute("DELETE FROM kr_summaries WHERE kr_id <> ? AND kr_id = (SELECT min(kr_id) FROM kr_summaries)",
               [kr["id"]])  # a summary lost some other way than a write of okrdash's
    key_results.update(tomas, kr["id"], {"title": kr["title"] + " (renamed)"}, now=dt.datetime(2026, 11, 18, 11))
    assert not scores.summaries_cover(TODAY)  # counted again after the key result's write, and found short
    with db.transaction() as cur:
        summaries.rebuild(cur)
    assert scores.summaries_cover(TODAY)  # a "no" is not remembered: the rebuild is seen at once


def test_a_key_result_written_in_the_reading_transaction_has_no_summary_until_it_commits(demo_db_fixed):
    from okrdash import key_results

    objective = db.row("""SELECT o.id, o.created_by FROM objectives o JOIN teams t ON t.id = o.team_id
                          WHERE t.name = 'Onboarding' AND o.quarter = '2026-Q4'""")
    assert scores.summaries_cover(TODAY)  # remembered for this version of key_results
    with db.transaction():
        key_results.create(objective["id"], {"title": "Handbook page published", "kind": "milestone",
                                             "owner_id": objective["created_by"],
                                             "definition_of_done": "The page is live and linked from the wiki home"})
        assert not scores.summaries_cover(TODAY)
    assert scores.summaries_cover(TODAY)


@pytest.mark.parametrize("day", [TODAY, dt.date(2027, 2, 1), TODAY - dt.timedelta(days=30)])
def test_the_overview_in_two_queries_is_the_five_reads_it_replaces(demo_db_fixed, day):
    from okrdash.dashboards import organisation as overview

    maya = auth.load_by_email("maya.okafor@harbor.example")
    daniel = auth.load_by_email("daniel.brandt@harbor.example")
    tomas = auth.load_by_email("tomas.herrera@harbor.example")
    db.execute("""INSERT INTO memberships (team_id, person_id, role)
                  SELECT (SELECT id FROM teams WHERE name = 'Developer Platform'), id, 'member' FROM people
                  WHERE email = 'rosa.jimenez@harbor.example'""")  # a team whose survey nobody answered
    for who, quarter, department, team in [(maya, "2026-Q4", None, None), (maya, "2026-Q3", None, None),
                                           (maya, "2027-Q1", None, None), (daniel, "2026-Q4", None, None),
                                           (maya, "2026-Q4", _department("Platform"), None),
                                           (tomas, "2026-Q4", None, None),
                                           (maya, "2026-Q4", None, _team("Scheduling"))]:
        args = (who, quarter, department, team, day)
        found = overview.overview(*args)
        totals = overview.overview_totals(*args)
        assert found["totals"] == {**totals, "mean_score": pytest.approx(totals["mean_score"])} if totals[
            "mean_score"] is not None else found["totals"] == totals
        for key, read in (("by_team", overview.kr_status_counts_by_team),
                          ("by_department", overview.kr_status_share_by_department),
                          ("participation", overview.participation_by_team),
                          ("stale", overview.stale_key_results)):
            expected = read(*args)
            # Column types as DuckDB's frames have them; PostgreSQL's frames type empty and nullable columns their
            # own way (object, float64), so there only the values count.
            typed = BACKEND == "duckdb"
            if not typed:
                expected = expected.astype(found[key].dtypes.to_dict())
            pd.testing.assert_frame_equal(found[key], expected, obj=f"{key} for {args[1:]}", check_dtype=typed,
                                          check_index_type=typed)


def _team(name: str) -> int:
    return db.scalar("SELECT id FROM teams WHERE name = ?", [name])
