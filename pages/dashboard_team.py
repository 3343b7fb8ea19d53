"""Team progress: one team's objective for a quarter, its key results with progress bars and status, and the
owners' confidence over the quarter."""

import datetime as dt

import streamlit as st

from okrdash import charts, fmt, quarters, ui
from okrdash import progress as p
from okrdash.dashboards import team as board
from okrdash.ui import tracking

actor = ui.page("dashboards")
today = dt.date.today()
st.title("Team progress")
left, right = st.columns(2)
team_id, quarter = tracking.team_and_quarter(actor, left, right)

objective = tracking.load(board.team_objective, actor, team_id, quarter, today)
if objective is None:
    ui.empty_state(f"This team has no objective for {quarter} yet. It chooses one in the workshop.",
                   next_page="pages/workshop.py" if actor.is_member(team_id) else None, next_label="Workshop")
    st.stop()

st.header(fmt.plain(objective["title"]), divider="gray")
serves = (f"serves {fmt.plain(objective['serves'])}" if objective["serves"]
          else ":orange[serves no company objective or strategy item]")
st.caption(f"{quarter} objective · {'published' if objective['status'] == 'published' else 'draft'} · {serves}")
if objective["why"]:
    st.markdown(fmt.plain(objective["why"]))
if objective["status"] != "published":
    ui.empty_state("This objective is still a draft: progress is tracked once the team publishes it.")
    st.stop()

krs = tracking.load(board.team_key_results, actor, team_id, quarter, today)
first, second, third, fourth = st.columns(4)
finished = quarters.bounds(quarter)[1] < today
first.metric("Objective score" if finished else "Score so far", fmt.percent(objective["score"]), border=True,
             help="The mean progress of its key results (0 for one without check-ins).")
second.metric("Key results on track", f"{objective['on_track']} of {objective['krs']}", border=True)
third.metric("Stale", objective["stale"], border=True, help="No check-in for more than 7 days.")
last = krs["last_check_in"].dropna()
fourth.metric("Latest check-in", tracking.ago(last.max() if len(last) else None, today), border=True)

if krs.empty:
    ui.empty_state("The objective has no key results yet.")
    st.stop()

tracking.legend()
st.subheader("Key results")
tracking.chart(charts.kr_progress_bullets, krs, f"key-results-{quarter}-team-{team_id}",
               caption="Bars: progress at the latest check-in, coloured by status. Black tick: where it should be "
                       "by now.")
table = krs.assign(
    status=[p.STATUS_LABELS[s] + (f" · {tracking.STALE_LABEL}" if stale else "")
            for s, stale in zip(krs["status"], krs["stale"], strict=True)],
    progress=(krs["progress"].fillna(0) * 100).round(),
    now=[(tracking.value_text(r) if r["checkins"] else "—") + " → " + tracking.target_text(r)
         for r in krs.to_dict("records")],
    last=[tracking.ago(d, today) for d in krs["last_check_in"]],
)
tracking.kr_table(
    table, "team_krs",
    column_order=["key_result", "status", "progress", "now", "confidence", "last", "owner"],
    column_config={
        "key_result": st.column_config.TextColumn("Key result", width="medium"),
        "status": tracking.status_column("Status", width="small"),
        "progress": st.column_config.ProgressColumn("Progress", min_value=0, max_value=100, format="%d%%",
                                                    width="small"),
        "now": st.column_config.TextColumn("Latest → target", width="small"),
        "confidence": st.column_config.NumberColumn("Confidence", format="%d/10", width="small"),
        "last": st.column_config.TextColumn("Last check-in", width="small"),
        "owner": st.column_config.TextColumn("Owner", width="small"),
    },
)

st.subheader("Confidence over the quarter")
trend = tracking.load(board.confidence_by_checkin, actor, team_id, quarter, today)
if trend.empty:
    ui.empty_state("No check-ins yet — the owner records the first one on Check-ins.",
                   next_page="pages/checkins.py" if actor.is_member(team_id) else None, next_label="Check-ins")
else:
    tracking.chart(charts.confidence_trend, trend, f"confidence-{quarter}-team-{team_id}",
                   caption="Each owner's confidence (0–10) of reaching the target, at every check-in.")
