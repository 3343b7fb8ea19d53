"""okrdash.ui.memo: the store behind ui.cached and chart specs (bounded, copies out, never keeps a failure)."""

import sys

import pandas as pd
import pytest

from okrdash import charts
from okrdash.ui import heap, memo


def test_a_value_is_made_once_and_every_caller_gets_its_own_copy():
    store, made = memo._Store(max_entries=4), []

    def make():
        made.append(1)
        return {"rows": [1, 2]}

    first = store.get_or_make("k", make)
    first["rows"].append(3)  # a page changing what it got
    assert store.get_or_make("k", make) == {"rows": [1, 2]} and len(made) == 1


def test_the_least_recently_used_entry_goes_first():
    store = memo._Store(max_entries=2)
    store.get_or_make("a", lambda: 1)
    store.get_or_make("b", lambda: 2)
    store.get_or_make("a", lambda: 0)  # used again: "b" is now the oldest
    store.get_or_make("c", lambda: 3)
    assert store.get_or_make("a", lambda: "made again") == 1
    assert store.get_or_make("b", lambda: "made again") == "made again"


def test_a_failure_is_raised_and_not_kept():
    store = memo._Store(max_entries=2)
    with pytest.raises(ValueError):
        store.get_or_make("k", lambda: (_ for _ in ()).throw(ValueError("refused")))
    assert store.get_or_make("k", lambda: "then it works") == "then it works"


def test_chart_specs_follow_the_data_and_carry_arrow_datasets():
    frame = pd.DataFrame({"team": ["Onboarding"], "quarter": ["2026-Q3"], "score": [0.5], "krs": [3], "on_track": [2],
                          "finished": [True]})
    spec = memo.chart_spec(charts.score_history, frame)
    assert spec["datasets"] and all(isinstance(d, bytes) for d in spec["datasets"].values())
    spec["datasets"].clear()  # Streamlit pops datasets off the spec it is given
    again = memo.chart_spec(charts.score_history, frame)
    assert again["datasets"]
    changed = memo.chart_spec(charts.score_history, frame.assign(score=[0.75]))
    assert changed["datasets"] != again["datasets"]


def test_a_chart_spec_names_its_frame_as_arrow_and_altair_elsewhere_still_inlines_values():
    import pyarrow as pa

    frame = pd.DataFrame({"team": ["Onboarding", "Billing"], "quarter": ["2026-Q3", "2026-Q3"], "score": [0.5, 0.7],
                          "krs": [3, 4], "on_track": [2, 1], "finished": [True, False]})
    spec = memo.chart_spec(charts.score_history, frame)
    named = {layer["data"]["name"] for layer in [spec, *spec.get("layer", [])] if "name" in layer.get("data", {})}
    assert named and named <= set(spec["datasets"])  # every reference resolves
    table = pa.ipc.open_stream(spec["datasets"][named.pop()]).read_all()
    assert table.num_rows == 2 and {"team", "score"} <= set(table.column_names)
    plain = charts.score_history(frame).to_dict()  # outside chart_spec: Altair's default, validated, inline rows
    assert all(isinstance(rows, list) for rows in plain["datasets"].values())


def test_records_kept_per_team_are_replaced_for_the_teams_read_again_only():
    kept = ({"team_id": 1, "n": 1}, {"team_id": 2, "n": 1}, {"team_id": 3, "n": 1})
    fresh = [{"team_id": 2, "n": 2}, {"team_id": 3, "n": 2}]  # a read that gave more than it was asked for
    assert sorted((r["team_id"], r["n"]) for r in memo._merged(kept, fresh, {2})) == [(1, 1), (2, 2), (3, 1)]
    assert [r["team_id"] for r in memo._merged(kept, [], {2})] == [1, 3]  # the team has no rows any more

    frame = pd.DataFrame({"team_id": [1, 2, 3], "n": [1, 1, 1]})
    merged = memo._merged(frame, pd.DataFrame({"team_id": [2, 3], "n": [2, 2]}), {2})
    assert sorted(zip(merged["team_id"], merged["n"], strict=True)) == [(1, 1), (2, 2), (3, 1)]
    assert merged["n"].dtype == "int64"
    emptied = memo._merged(frame.iloc[1:2], pd.DataFrame({"team_id": [], "n": []}), {2})
    assert emptied.empty and list(emptied.columns) == ["team_id", "n"]


def test_a_run_after_imports_freezes_what_the_process_holds_and_other_runs_do_not(monkeypatch):
    frozen = []
    monkeypatch.setattr(heap.gc, "freeze", lambda: frozen.append(len(sys.modules)))
    monkeypatch.setattr(heap, "_modules_frozen", len(sys.modules) - 1)  # a module imported since the last freeze
    assert heap.freeze_what_imports_made() and frozen == [len(sys.modules)]
    assert not heap.freeze_what_imports_made() and len(frozen) == 1  # nothing imported since: one comparison
