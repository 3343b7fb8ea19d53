"""History: each team's quarter score (the mean of its key results' scores) across the last quarters."""

import datetime as dt

import streamlit as st

from okrdash import charts, ui
from okrdash.dashboards import over_time as board
from okrdash.ui import tracking

actor = ui.page("dashboards")
today = dt.date.today()
st.title("History")
st.caption("Quarter scores per team: each key result scores its progress at the end of the quarter (0 without "
           "check-ins) and the objective scores the mean. The current quarter shows the score so far.")
_, department, team = tracking.filters(actor, quarter=False)

scores = tracking.load(board.team_scores_by_quarter, actor, department, team, today)
if scores.empty:
    ui.empty_state("No published key results in this scope yet: scores appear once teams publish OKRs and check "
                   "in.")
    st.stop()
teams_shown = scores["team"].drop_duplicates()
shown = scores
caption = ("Colour: the score, from red (0%) through yellow (50%) to green (100%); the running quarter is faded, "
           "its score is only so far. Hover a cell for details.")
if len(teams_shown) > tracking.MANY_TEAMS:
    shown = scores[scores["team"].isin(set(teams_shown.head(tracking.MANY_TEAMS)))]
    caption += (f" Showing the first {tracking.MANY_TEAMS} of {len(teams_shown)} teams; pick a department to "
                "narrow down. The CSV has every team.")
tracking.chart(charts.score_history, shown, "quarter-scores-by-team", data=scores, caption=caption)
