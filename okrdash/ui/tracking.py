"""Widgets the check-in and dashboard pages share: filters, the status legend and badges, charts with their CSV,
check-in history with acknowledgements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from okrdash import charts, dashboards, fmt
from okrdash import progress as p
from okrdash.errors import OkrError
from okrdash.ui import memo
from okrdash.ui.widgets import cached, download_table, empty_state, quarter_picker, team_picker

STATUS_BADGE_COLOR = {"on_track": "green", "at_risk": "orange", "off_track": "red", "no_data": "gray"}
MANY_TEAMS = 40  # above this, charts per team ask for a department first
STALE_LABEL = "stale"


def load(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A cached library read; an OkrError (a refused team, a vanished KR) is shown and the page stops."""
    try:
        return cached(fn, *args, **kwargs)
    except OkrError as error:
        st.error(fmt.inline(error.message), icon=":material/block:")
        st.stop()


def status_column(label: str = "Status", **options: Any) -> Any:
    """A column showing a KR's status (and "stale") as coloured labels; kr_table fills it from status text."""
    return st.column_config.MultiselectColumn(
        label, options=[*(p.STATUS_LABELS[s] for s in p.STATUSES), STALE_LABEL],
        color=[*(charts.STATUS_COLORS[s] for s in p.STATUSES), charts.STATUS_COLORS["off_track"]], **options)


def status_badge(status: str) -> str:
    """Markdown badge for a status."""
    return f":{STATUS_BADGE_COLOR[status]}-badge[{p.STATUS_LABELS[status]}]"


def legend() -> None:
    """The status colours and how a status is decided."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown("Status: " + " ".join(status_badge(s) for s in p.STATUSES)
                  + " — :red-badge[stale] no check-in for more than 7 days")
    with right.popover("How status works", icon=":material/help:"):
        st.markdown(
            f"""**Progress** runs from the baseline (0%) to the target (100%). *Stay above/below* key results count
the share of check-ins inside the bound; milestones are 0% until done.

**Expected** progress rises in a straight line from the quarter's first day to the due date.

**Status** compares progress with where it should be on the day of the latest check-in:
at most {p.ON_TRACK_GAP:.0%} behind is *on track*, up to {p.AT_RISK_GAP:.0%} behind *at risk*, more *off track*.
A milestone is on track until {p.MILESTONE_AT_RISK_FROM:.0%} of its time has passed.

**Confidence** (the owner's 0–10) can only lower it: 4–5 means at best *at risk*, 0–3 *off track*.

**Stale**: no check-in for more than {p.STALE_AFTER_DAYS} days in the current quarter.
**Projected**: the trend of the last six weeks of check-ins, continued to the due date."""
        )


def chart(builder: Callable[..., alt.TopLevelMixin], frame: pd.DataFrame, stem: str, *args: Any,
          data: pd.DataFrame | None = None, caption: str | None = None) -> None:
    """`builder(frame, *args)` (a function of okrdash.charts) and, under it, the CSV of `data` (default: `frame`)."""
    st.vega_lite_chart(memo.chart_spec(builder, frame, *args), width="stretch")
    if caption:
        st.caption(caption)
    download(frame if data is None else data, stem)


def download(table: pd.DataFrame, stem: str, *, label: str = "Download the data (CSV)") -> None:
    download_table(table, stem, label=label)


def team_and_quarter(actor: Any, team_slot: Any, quarter_slot: Any) -> tuple[int, str]:
    """One team (the actor's own first) and a quarter (default: the current one), in the given columns; an empty
    state and a stop when there is nothing to pick yet."""
    options = load(dashboards.filter_options, actor)
    with quarter_slot:
        quarter = quarter_picker()
    with team_slot:
        team_id = team_picker(sorted(options["teams"], key=lambda t: (not actor.is_member(t["id"]), t["name"])))
    if quarter is None or team_id is None:
        empty_state("There is no team to show yet. An admin sets up teams and quarters on the Admin page.")
        st.stop()
    return team_id, quarter


def filters(actor: Any, *, quarter: bool = True, team: bool = True) -> tuple[str | None, int | None, int | None]:
    """Quarter (default: the current one), department and team filters within the actor's scope, in one row.
    Returns (quarter, department id or None for all, team id or None for all)."""
    options = load(dashboards.filter_options, actor)
    columns = st.columns(3 if quarter else 2)
    chosen_quarter = None
    if quarter:
        with columns[0]:
            chosen_quarter = quarter_picker()
    departments = {d["id"]: d["name"] for d in options["departments"]}
    with columns[-2]:
        department = st.selectbox("Department", [None, *departments], key="department", bind="query-params",
                                  format_func=lambda d: "All departments" if d is None else departments[d])
    chosen_team = None
    if team:
        teams = {t["id"]: t["name"] for t in options["teams"]
                 if department is None or t["department_id"] == department}
        if st.session_state.get("dashboard_team") not in (None, *teams):
            st.session_state.pop("dashboard_team", None)
        with columns[-1]:
            chosen_team = st.selectbox("Team", [None, *teams], key="dashboard_team", bind="query-params",
                                       format_func=lambda t: "All teams" if t is None else teams[t])
    if quarter and chosen_quarter is None:
        empty_state("No quarters exist yet. An admin adds them on the Admin page.")
        st.stop()
    return chosen_quarter, department, chosen_team


def team_count(actor: Any, department: int | None, team: int | None) -> int:
    if team is not None:
        return 1
    options = load(dashboards.filter_options, actor)
    return sum(1 for t in options["teams"] if department is None or t["department_id"] == department)


def value_text(row: dict[str, Any]) -> str:
    """'38 h' / 'done' / 'not done yet' / '—' for a KR state or a check-in row (kind given)."""
    if row.get("kind") == "milestone":
        return "—" if row.get("done") is None else ("done" if row["done"] else "not done yet")
    value = row.get("last_value", row.get("value"))
    return fmt.number(value, row.get("unit") or "")


def progress_text(kr: dict[str, Any]) -> str:
    """How a KR's progress reads for its kind: 'Progress 38% · expected by now 60%', 'Within the bound at 5 of 6
    check-ins (83%)', 'Not done yet · 60% of the time gone'."""
    share = kr["progress"] or 0.0
    if kr["kind"] == "milestone":
        return ("Done" if kr["done"] else "Not done yet") + f" · {kr['expected_now']:.0%} of the time gone"
    if kr["kind"] in p.BOUND_KINDS:
        return (f"Within the bound at {share:.0%} of check-ins" if kr["last_on"] else "No check-in yet") + (
            " · latest outside it" if kr.get("within") is False else "")
    return f"Progress {share:.0%} · expected by now {kr['expected_now']:.0%}"


def goal_text(kr: dict[str, Any]) -> str:
    """'increase to 20% from 14%', 'stay at or above 4.5 stars', 'milestone'."""
    if kr["kind"] == "milestone":
        return "milestone"
    unit = kr.get("unit") or ""
    if kr.get("change_pct") is not None:  # relative: the target follows from the baseline
        way = "increase" if kr["kind"] == "increase_to" else "decrease"
        if kr.get("baseline") is None:
            return f"{way} by {fmt.number(kr['change_pct'])}% from the first check-in"
        return (f"{way} by {fmt.number(kr['change_pct'])}% from {fmt.number(kr['baseline'], unit)} to "
                f"{fmt.number(kr['target'], unit)}")
    return (f"{p.KIND_LABELS[kr['kind']].lower()} {fmt.number(kr['target'], unit)}"
            + (f" from {fmt.number(kr['baseline'], unit)}" if kr["kind"] in p.VALUE_KINDS else ""))


def target_text(row: dict[str, Any]) -> str:
    if row["kind"] == "milestone":
        return "done"
    bound = {"stay_above": "≥ ", "stay_below": "≤ "}.get(row["kind"], "")
    return bound + fmt.number(row["target"], row.get("unit") or "")


def history(rows: list[dict[str, Any]], kr: dict[str, Any], today: dt.date) -> None:
    """Check-ins newest first with their comments and acknowledgements; corrected rows are marked."""
    if not rows:
        st.caption("No check-ins yet — the owner records the first one on Check-ins.")
        return
    for row in rows:
        value = value_text({**row, "kind": kr["kind"], "unit": kr.get("unit")})
        line = (f"**{fmt.day(row['checked_on'])}** · {fmt.plain(value)} · confidence {row['confidence']}/10 · "
                f"by {fmt.plain(row['person_name'])}")
        if row["superseded"]:
            line = f"~~{line}~~ · corrected by a later check-in for the same day"
        st.markdown(line)
        if row["comment"]:
            st.markdown(f"> {fmt.plain(row['comment'])}")
        for ack in row["acks"]:
            said = f": “{fmt.plain(ack['comment'])}”" if ack["comment"] else ""
            st.markdown(f":material/thumb_up: **{fmt.plain(ack['person_name'])}** acknowledged "
                        f"{fmt.days_ago(ack['created_at'].date(), today)}{said}")


def kr_table(table: pd.DataFrame, key: str, **dataframe_args: Any) -> None:
    """A table of key results (with a kr_id column); selecting a row opens that KR's detail page. A status column
    holds 'On track' or 'On track · stale' and is shown with status_column()."""
    # Coloured labels instead of a pandas Styler: a Styler cost ~8 ms a run to send, more than the rest of the page.
    shown = table.assign(status=[str(s).split(" · ") for s in table["status"]]) if "status" in table else table
    event = st.dataframe(shown, key=key, hide_index=True, width="stretch", on_select="rerun",
                         selection_mode="single-row", **dataframe_args)
    st.caption("Select a row to open the key result's chart, history and acknowledgements.")
    rows = event.selection.rows if event else []
    if rows:
        st.switch_page("pages/dashboard_kr.py", query_params={"kr": str(int(table.iloc[rows[0]]["kr_id"]))})


def ago(day: Any, today: dt.date) -> str:
    """'3 days ago' for a date, datetime or pandas Timestamp; 'never' when missing."""
    if day is None or pd.isna(day):
        return "never"
    return fmt.days_ago(day.date() if isinstance(day, dt.datetime) else day, today)
