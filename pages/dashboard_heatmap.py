"""Weekly status: a team × week heatmap of status across the quarter (department × week for large scopes)."""

import datetime as dt

import streamlit as st

from okrdash import charts, fmt, ui
from okrdash import progress as p
from okrdash.dashboards import over_time as board
from okrdash.ui import tracking

actor = ui.page("dashboards")
today = dt.date.today()
st.title("Weekly status")
quarter, department, team = tracking.filters(actor)  # stops with an empty state when there is no quarter

by = "team"
if team is None and department is None and tracking.team_count(actor, department, team) > tracking.MANY_TEAMS:
    by = "department"
    st.info("There are many teams in your scope, so each row is a department. Pick a department to see its teams.",
            icon=":material/filter_alt:")
cells = tracking.load(board.team_status_by_week, actor, quarter, department, team, today, by=by)
if cells.empty or (cells["status"] == "no_data").all():
    ui.empty_state(f"No check-ins for {quarter} in this scope yet — owners record them weekly on Check-ins once "
                   "their team has published its key results.")
    st.stop()

tracking.legend()
st.caption(f"Each cell: the {by}'s status that week, from its key results' latest check-ins (the mean of on track "
           f"= 2, at risk = 1, off track = 0: from {p.TEAM_ON_TRACK_FROM} on track, from {p.TEAM_AT_RISK_FROM} at "
           f"risk). Hover a cell for the counts and stale key results. As of {fmt.day(today)}.")
tracking.chart(charts.status_heatmap, cells, f"status-by-week-{quarter}")
