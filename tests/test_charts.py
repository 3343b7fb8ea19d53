"""Chart builders for tracking (okrdash/charts.py): the Vega-Lite spec has the expected marks, encodings and series."""

from __future__ import annotations

import pandas as pd

from okrdash import charts
from okrdash import progress as p

STATUS_LABELS = [p.STATUS_LABELS[s] for s in charts.STATUS_COLORS]


def spec(chart) -> dict:
    return chart.to_dict()


def layers(chart) -> list[dict]:
    found = spec(chart)
    return found.get("layer", [found])


def data_of(chart, layer: dict) -> list[dict]:
    found = spec(chart)
    return found["datasets"][layer["data"]["name"] if "data" in layer else found["data"]["name"]]


def assert_status_colours(encoding: dict) -> None:
    assert encoding["color"]["field"] == "status_label"
    assert encoding["color"]["scale"] == {"domain": STATUS_LABELS, "range": list(charts.STATUS_COLORS.values())}


def test_kr_status_by_team_stacks_counts_per_team_in_the_given_order():
    frame = pd.DataFrame({"team": ["Payments", "Payments", "Onboarding"], "status": ["on_track", "off_track",
                                                                                     "at_risk"], "krs": [1, 2, 3]})
    found = spec(charts.kr_status_by_team(frame))
    assert found["mark"]["type"] == "bar"
    assert found["encoding"]["y"]["field"] == "team" and found["encoding"]["y"]["sort"] == ["Payments", "Onboarding"]
    assert found["encoding"]["x"]["field"] == "krs"
    assert_status_colours(found["encoding"])
    rows = found["datasets"][found["data"]["name"]]
    assert [r["status_label"] for r in rows] == ["On track", "Off track", "At risk"]


def test_kr_status_share_by_department_is_a_100_percent_bar():
    frame = pd.DataFrame({"department": ["A", "A"], "status": ["on_track", "no_data"], "krs": [3, 1],
                          "share": [0.75, 0.25]})
    found = spec(charts.kr_status_share_by_department(frame))
    assert found["encoding"]["x"]["field"] == "share" and found["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert found["encoding"]["x"]["axis"]["format"] == "%"
    assert_status_colours(found["encoding"])


def test_participation_by_team_has_two_series_and_skips_missing_surveys():
    frame = pd.DataFrame({"team": ["A", "B"], "survey_share": [0.5, None], "checkin_share": [1.0, 0.8]})
    chart = charts.participation_by_team(frame)
    found = spec(chart)
    assert found["encoding"]["yOffset"]["field"] == "measure"
    assert found["encoding"]["color"]["scale"]["domain"] == ["Answered the survey", "Weeks with a check-in"]
    rows = found["datasets"][found["data"]["name"]]
    assert sorted((r["team"], r["measure"]) for r in rows) == [
        ("A", "Answered the survey"), ("A", "Weeks with a check-in"), ("B", "Weeks with a check-in")]


def test_kr_progress_bullets_layer_a_track_progress_bars_and_expected_ticks():
    frame = pd.DataFrame({"key_result": ["KR a", "KR b"], "progress": [0.4, None], "expected": [0.5, 0.5],
                          "status": ["at_risk", "no_data"]})
    track, bars, ticks = layers(charts.kr_progress_bullets(frame))
    assert (track["mark"]["type"], bars["mark"]["type"], ticks["mark"]["type"]) == ("bar", "bar", "tick")
    assert track["encoding"]["x"]["field"] == "track"
    assert bars["encoding"]["x"]["field"] == "progress"
    assert_status_colours(bars["encoding"])
    assert ticks["encoding"]["x"]["field"] == "expected"
    titles = {layer["encoding"]["tooltip"][0]["title"] for layer in (track, bars, ticks)}
    assert titles == {"Key result"}  # hovering the empty part of the track names the KR too, not "key_result"
    rows = data_of(charts.kr_progress_bullets(frame), bars)
    assert [r["progress"] for r in rows] == [0.4, 0.0]  # no check-in yet: an empty bar, not a gap


def test_confidence_trend_has_one_line_per_kr_on_a_0_to_10_scale():
    frame = pd.DataFrame({"kr_number": [1, 1, 2], "key_result": ["Grow a", "Grow a", "Cut b"],
                          "checked_on": pd.to_datetime(["2026-10-02", "2026-10-09", "2026-10-02"]),
                          "confidence": [7, 6, 3]})
    found = spec(charts.confidence_trend(frame))
    assert found["mark"] == {"type": "line", "point": True}
    assert found["encoding"]["y"]["field"] == "confidence" and found["encoding"]["y"]["scale"]["domain"] == [0, 10]
    assert found["encoding"]["color"]["field"] == "kr"
    assert sorted({r["kr"] for r in found["datasets"][found["data"]["name"]]}) == ["KR 1: Grow a", "KR 2: Cut b"]


def kr_series() -> pd.DataFrame:
    day = pd.Timestamp
    return pd.DataFrame({
        "day": [day("2026-10-02"), day("2026-10-09"), day("2026-10-01"), day("2026-12-31"), day("2026-10-09"),
                day("2026-12-31"), day("2026-12-31")],
        "series": ["Actual", "Actual", "Expected", "Expected", "Projected", "Projected", "Target"],
        "value": [52.0, 48.0, 52.0, 12.0, 48.0, 17.9, 12.0],
    })


def test_kr_progress_over_time_has_three_series_and_the_target_as_a_rule():
    chart = charts.kr_progress_over_time(kr_series(), "h")
    line, rule, label, due = layers(chart)
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["x"]["field"] == "day" and line["encoding"]["x"]["type"] == "temporal"
    assert line["encoding"]["y"]["field"] == "value" and line["encoding"]["y"]["title"] == "Value (h)"
    assert line["encoding"]["color"]["field"] == "series"
    assert line["encoding"]["color"]["scale"]["domain"] == ["Actual", "Expected", "Projected"]
    assert line["encoding"]["strokeDash"]["scale"]["range"] == [[], [6, 4], [2, 3]]
    assert {r["series"] for r in data_of(chart, line)} == {"Actual", "Expected", "Projected"}
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["y"]["field"] == "value"
    assert [r["value"] for r in data_of(chart, rule)] == [12.0]
    assert [r["label"] for r in data_of(chart, label)] == ["Target: 12 h"]
    assert due["encoding"]["x"]["field"] == "day" and due["mark"]["opacity"] == 0  # the axis reaches the due date


def test_kr_progress_over_time_for_a_milestone_steps_between_0_and_1():
    frame = pd.DataFrame({"day": pd.to_datetime(["2026-10-02", "2026-10-09", "2026-12-31"]),
                          "series": ["Actual", "Actual", "Target"], "value": [0.0, 1.0, 1.0]})
    chart = charts.kr_progress_over_time(frame, kind="milestone")
    line, _, label, _ = layers(chart)
    assert line["mark"]["interpolate"] == "step-after"
    assert line["encoding"]["y"]["axis"]["values"] == [0, 1]
    assert line["encoding"]["color"]["scale"]["domain"] == ["Actual"]
    assert [r["label"] for r in data_of(chart, label)] == ["Target: done"]


def test_kr_confidence_colours_points_by_status():
    frame = pd.DataFrame({"checked_on": pd.to_datetime(["2026-10-02", "2026-10-09"]), "confidence": [7, 3],
                          "status": ["on_track", "off_track"]})
    line, points = layers(charts.kr_confidence(frame))
    assert line["mark"]["type"] == "line" and points["mark"]["type"] == "point"
    assert_status_colours(points["encoding"])


def test_status_heatmap_is_team_by_week():
    frame = pd.DataFrame({"row": ["A", "A", "B"], "week": pd.to_datetime(["2026-09-28", "2026-10-05", "2026-09-28"]),
                          "status": ["on_track", "at_risk", "no_data"], "on_track": [3, 1, 0], "at_risk": [0, 2, 0],
                          "off_track": [0, 0, 0], "no_data": [0, 0, 2], "stale": [0, 1, 0], "krs": [3, 3, 2]})
    found = spec(charts.status_heatmap(frame))
    assert found["mark"]["type"] == "rect"
    assert found["encoding"]["x"]["field"] == "week_label" and found["encoding"]["x"]["sort"] == ["28 Sep", "05 Oct"]
    assert found["encoding"]["y"]["field"] == "row" and found["encoding"]["y"]["sort"] == ["A", "B"]
    assert_status_colours(found["encoding"])
    assert {t["field"] for t in found["encoding"]["tooltip"]} >= {"on_track", "at_risk", "off_track", "stale"}


def test_score_history_is_a_team_by_quarter_grid_with_scores_written_in():
    frame = pd.DataFrame({"team": ["A", "A"], "quarter": ["2026-Q3", "2026-Q4"], "score": [0.8, 0.35],
                          "krs": [3, 3], "on_track": [2, 1], "finished": [True, False]})
    cells, text = layers(charts.score_history(frame))
    assert cells["mark"]["type"] == "rect"
    assert (cells["encoding"]["x"]["field"], cells["encoding"]["y"]["field"]) == ("quarter", "team")
    assert cells["encoding"]["color"]["field"] == "score"
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 0.5, 1]
    assert [r["label"] for r in data_of(charts.score_history(frame), text)] == ["80%", "35% so far"]


def alignment_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "company_objective_id": [1, 1, 2, None], "company_objective": ["Win mid-market", "Win mid-market",
                                                                       "Earn trust", None],
        "team": ["Growth", "Core", None, "Sales"], "objective_id": [10, 11, None, 12],
        "objective": ["Trials convert", "Sync never fails", None, "Close faster"],
        "objective_status": ["published", "draft", None, "published"], "linked_to": [None, None, None, None],
        "score": [0.5, None, None, 0.2], "krs": [3, None, None, 2], "on_track": [1, None, None, 1],
    })


def test_alignment_layout_puts_company_objectives_beside_the_team_objectives_serving_them():
    nodes, links = charts.alignment_layout(alignment_frame())
    left = nodes[nodes["side"] == "left"]
    assert left["label"].tolist() == ["Win mid-market", "Earn trust (no team)", "No company objective"]
    assert left["kind"].tolist() == ["Company objective", "No team serves it", "Serves no company objective"]
    assert left["y"].tolist() == [0.5, 2.0, 3.0]
    right = nodes[nodes["side"] == "right"]
    assert right["label"].tolist() == ["Growth: Trials convert", "Core: Sync never fails", "Sales: Close faster"]
    assert right["kind"].tolist() == ["Team objective", "Draft team objective", "Serves no company objective"]
    assert links[["y", "y2", "unlinked"]].values.tolist() == [[0.5, 0.0, False], [0.5, 1.0, False],
                                                             [3.0, 3.0, True]]


def test_alignment_map_draws_links_nodes_and_labels():
    edges, points, left, right = layers(charts.alignment_map(alignment_frame()))
    assert edges["mark"]["type"] == "rule"
    assert {edges["encoding"][c]["field"] for c in ("x", "y", "x2", "y2")} == {"x", "y", "x2", "y2"}
    assert points["mark"]["type"] == "circle"
    assert points["encoding"]["color"]["scale"]["domain"] == list(charts.ALIGNMENT_KINDS)
    assert (left["mark"]["align"], right["mark"]["align"]) == ("right", "left")
    assert left["encoding"]["text"]["field"] == "lines"


def test_builders_handle_a_single_day_and_empty_alignment():
    frame = kr_series()[kr_series()["series"].isin(["Actual", "Target"])].head(1)
    assert spec(charts.kr_progress_over_time(frame))  # one check-in, no target row
    empty = alignment_frame().iloc[0:0]
    assert spec(charts.alignment_map(empty))


def test_alignment_coverage_stacks_published_and_drafts_and_flags_gaps():
    frame = pd.DataFrame({"company_objective": ["Win mid-market", "Earn trust", "No company objective"],
                          "published": [5, 0, 1], "drafts": [2, 0, 0], "objectives": [7, 0, 1]})
    chart = charts.alignment_coverage(frame)
    bars, gaps = layers(chart)
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x"]["field"] == "count"
    assert bars["encoding"]["y"]["sort"] == ["Win mid-market", "Earn trust", "No company objective"]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Team objective", "Draft team objective"]
    assert [r["company_objective"] for r in data_of(chart, gaps)] == ["Earn trust"]
