"""Organisation overview: KR status per team and department, participation, and the stale list, within the
actor's scope (managers: their subtree; leads and members: their teams)."""

import datetime as dt

import streamlit as st

from okrdash import charts, dashboards, fmt, ui
from okrdash import progress as p
from okrdash.ui import tracking

actor = ui.page("dashboards")
today = dt.date.today()
st.title("Organisation overview")
quarter, department, team = tracking.filters(actor)  # stops with an empty state when there is no quarter
if actor.manages_all:
    scope = "the whole organisation"
elif actor.is_manager:
    scope = "your teams and the teams you manage" if actor.member_of else "the teams you manage"
else:
    scope = "your teams"
st.caption(f"{quarter} for {scope}, as of {fmt.day(today)}.")

args = (actor, quarter, department, team, today)
view = tracking.load(dashboards.overview, *args)  # the whole page in two queries
totals = view["totals"]
first, second, third, fourth, fifth = st.columns(5)
first.metric("KRs on track", fmt.percent(totals["share_on_track"]), border=True,
             delta=f"{totals['on_track']} of {totals['krs']}", delta_color="off", delta_arrow="off",
             help="Key results on track at their latest check-in.")
# A share with the count under it, as for KRs: "1000 of 1000" did not fit a fifth of the page at 10,000 people.
second.metric("Teams with OKRs", fmt.percent(totals["share_with_okr"]),
              delta=f"{totals['teams_with_okr']} of {totals['teams']}", delta_color="off", delta_arrow="off",
              border=True, help="Teams with a published objective for the quarter."
                   + (f" Missing: {fmt.plain(totals['teams_without_okr'])}." if totals["teams_without_okr"] else ""))
third.metric("Stale KRs", totals["stale"], border=True,
             help="No check-in for more than 7 days in the current quarter.")
participation = view["participation"]
checkin_weeks = participation["checkin_weeks"].sum()
expected_weeks = participation["expected_weeks"].sum()
surveyed = participation.dropna(subset=["survey_share"])
fourth.metric("Check-in rate", fmt.percent(checkin_weeks / expected_weeks if expected_weeks else None),
              help="Share of completed weeks in which each key result got a check-in.", border=True)
fifth.metric("Survey response",
             fmt.percent(surveyed["answered"].sum() / surveyed["members"].sum() if len(surveyed) else None),
             help=f"Members who answered their team's survey for {quarter}.", border=True)
if totals["teams_without_okr"]:
    st.caption(f"No published objective for {quarter} yet: {fmt.plain(totals['teams_without_okr'])}.")

if not totals["krs"]:
    ui.empty_state(f"No published key results for {quarter} in this scope yet. Teams publish them at the end of "
                   "their workshop; then owners check in weekly.", next_page="pages/okrs.py",
                   next_label="Published OKRs")
else:
    tracking.legend()
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Teams by status")
        by_team = view["by_team"]
        teams_shown = by_team["team"].drop_duplicates()
        caption = "Teams with the fewest key results on track first."
        shown = by_team
        if len(teams_shown) > tracking.MANY_TEAMS:
            shown = by_team[by_team["team"].isin(set(teams_shown.head(tracking.MANY_TEAMS)))]
            caption = (f"The {tracking.MANY_TEAMS} of {len(teams_shown)} teams with the fewest key results on track; "
                       "pick a department to see all its teams. The CSV has every team.")
        tracking.chart(charts.kr_status_by_team, shown, f"kr-status-by-team-{quarter}", data=by_team,
                       caption=caption)
    with right:
        st.subheader("Roll-up by department")
        by_department = view["by_department"]
        tracking.chart(charts.kr_status_share_by_department, by_department, f"kr-status-by-department-{quarter}")

st.subheader("Participation")
if participation.empty:
    ui.empty_state("No teams in this scope.")
else:
    shown, note = participation, ""
    if len(participation) > tracking.MANY_TEAMS:
        shown = participation.sort_values("checkin_share", na_position="first").head(tracking.MANY_TEAMS)
        note = (f" Showing the {tracking.MANY_TEAMS} of {len(participation)} teams with the fewest check-ins; pick a "
                "department to see all its teams. The CSV has every team.")
    tracking.chart(charts.participation_by_team, shown, f"participation-{quarter}", data=participation,
                   caption="Survey: members who answered the team's survey for this quarter (no bar: no survey). "
                           "Check-ins: completed weeks with a check-in, over all the team's key results." + note)

st.subheader("Stale key results")
stale = view["stale"]
if stale.empty:
    st.caption("None: every key result in this scope had a check-in in the last 7 days"
               + ("." if totals["krs"] else " (or the quarter is not active)."))
else:
    table = stale.assign(status=stale["status"].map(p.STATUS_LABELS),
                         last_check_in=[tracking.ago(d, today) for d in stale["last_check_in"]])
    tracking.kr_table(
        table, "overview_stale", column_order=["team", "key_result", "owner", "last_check_in", "status"],
        column_config={"team": "Team", "key_result": st.column_config.TextColumn("Key result", width="large"),
                       "owner": "Owner", "last_check_in": "Last check-in",
                       "status": tracking.status_column("Status at last check-in")},
    )
    tracking.download(stale, f"stale-key-results-{quarter}")
