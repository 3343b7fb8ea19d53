"""Key result detail: actual vs expected vs projected over the quarter, the confidence trend, and the check-in
history with comments and acknowledgements. Managers acknowledge check-ins here."""

import datetime as dt

import streamlit as st

from okrdash import charts, checkins, fmt, ui
from okrdash import progress as p
from okrdash.dashboards import team as board
from okrdash.errors import OkrError
from okrdash.ui import tracking

actor = ui.page("dashboards")
today = dt.date.today()
st.title("Key result detail")

# ?kr=<id> (links from tables, Check-ins and Home, and shared URLs) opens that KR with its team and quarter.
arrived = str(st.query_params.get("kr", ""))
if arrived.isdigit() and st.session_state.get("dashboard_kr_arrived") != arrived:
    st.session_state["dashboard_kr_arrived"] = arrived
    try:
        wanted = checkins.get(actor, int(arrived))
        st.session_state["quarter"], st.session_state["team"] = wanted["quarter"], wanted["team_id"]
        st.session_state["dashboard_kr"] = wanted["id"]
        st.session_state["dashboard_kr_wanted"] = wanted
    except OkrError:  # gone, or a team this person may not read: the page opens on its defaults
        pass

first, second, third = st.columns([2, 2, 4])
team_id, quarter = tracking.team_and_quarter(actor, second, first)
listed = tracking.load(board.key_results_in_scope, actor, quarter, team_id)
choices = {k["kr_id"]: k["title"] for k in listed}
if not choices:
    ui.empty_state(f"This team has no published key results for {quarter}.", next_page="pages/dashboard_team.py",
                   next_label="Team progress")
    st.stop()
wanted = st.session_state.pop("dashboard_kr_wanted", None)
if wanted and wanted["id"] not in choices:  # a link to a key result the dashboards do not track (yet)
    st.info(f"“{fmt.plain(wanted['title'])}” is not on the dashboards yet: {fmt.plain(wanted['team_name'])} has "
            "not published it (it was added after the last published version, or the objective is a draft). Here "
            "is another of the team's key results.", icon=":material/info:")
if st.session_state.get("dashboard_kr") not in choices:
    st.session_state.pop("dashboard_kr", None)
with third:
    kr_id = st.selectbox("Key result", list(choices), format_func=choices.__getitem__, key="dashboard_kr")
st.query_params["kr"] = str(kr_id)  # the URL names the KR shown, so it can be shared
st.session_state["dashboard_kr_arrived"] = str(kr_id)

# The KR's team and quarter scope its cached reads: a check-in on another team's KR leaves them cached.
scope = {"team_id": next(k["team_id"] for k in listed if k["kr_id"] == kr_id), "quarter": quarter}
state = tracking.load(checkins.kr_state, actor, kr_id, today, **scope)
unit = state["unit"] or ""
st.header(fmt.plain(state["title"]), divider="gray")
milestone = state["kind"] == "milestone"
st.caption(f"{fmt.plain(state['team_name'])} · owner {fmt.plain(state['owner_name'] or '—')} · "
           f"{fmt.plain(tracking.goal_text(state))}"
           f" · due {fmt.day(state['due_on'])}"
           + (f" · done means: {fmt.plain(state['definition_of_done'])}" if state["definition_of_done"] else ""))
st.markdown(tracking.status_badge(state["status"]) + (" :red-badge[stale]" if state["stale"] else "")
            + f" · last check-in {tracking.ago(state['last_on'], today)}")
cols = st.columns(4)
cols[0].metric("Latest", tracking.value_text(state) if state["last_on"] else "—", border=True)
if milestone:  # binary: time decides until it is done
    cols[1].metric("Time gone", fmt.percent(state["expected_now"]), border=True,
                   help=f"On track until {p.MILESTONE_AT_RISK_FROM:.0%} of the time to the due date has passed.")
    cols[2].metric("Due", fmt.days_ago(state["due_on"], today), border=True)
elif state["kind"] in p.BOUND_KINDS:
    cols[1].metric("Within the bound", fmt.percent(state["progress"]), border=True, delta_color="off",
                   delta_arrow="off", delta="of check-ins (expected: all)",
                   help="Progress of a stay-above/below key result: the share of check-ins inside the bound.")
else:
    cols[1].metric("Progress", fmt.percent(state["progress"]), border=True, delta_color="off", delta_arrow="off",
                   delta=f"expected by now {fmt.percent(state['expected_now'])}")
if not milestone:
    cols[2].metric("Projected at due date", fmt.number(state["projected_value"], unit)
                   if state["projected_value"] is not None else "—", border=True,
                   help="The trend of the last six weeks of check-ins, continued to the due date.")
cols[3].metric("Confidence", f"{state['confidence']}/10" if state["confidence"] is not None else "—",
               border=True, help="The owner's confidence of reaching the target, at the latest check-in.")

series = tracking.load(board.kr_value_series, actor, kr_id, today, **scope)
if not state["checkins"]:
    ui.empty_state("No check-ins yet — the owner records the first one on Check-ins.",
                   next_page="pages/checkins.py" if checkins.may_check_in(actor, state) else None,
                   next_label="Check in now")
else:
    tracking.chart(charts.kr_progress_over_time, series, f"key-result-{kr_id}-progress", unit, state["kind"],
                   caption=" ".join(text for name, text in [
                       ("Actual", "Actual: the check-ins" + (" (1 = done)." if milestone else ".")),
                       ("Expected", "Expected: a straight line from the baseline to the target by the due date."),
                       ("Projected", "Projected: the recent trend continued to the due date."),
                       ("Target", "Red line: the target" + (", a bound to stay within." if state["kind"]
                                                            in p.BOUND_KINDS else ".")),
                   ] if name in set(series["series"])))
    confidence = tracking.load(board.kr_confidence_series, actor, kr_id, today, **scope)
    st.subheader("Confidence")
    tracking.chart(charts.kr_confidence, confidence, f"key-result-{kr_id}-confidence",
                   caption="The owner's confidence (0–10) at each check-in, coloured by the status then.")

st.subheader("Check-ins")
past = tracking.load(checkins.history, actor, kr_id, **scope)
if actor.manages_team(state["team_id"]) and past:
    acknowledgeable = [c for c in past if not c["superseded"] and c["person_id"] != actor.person_id]
    if acknowledgeable:
        labels = {c["id"]: f"{fmt.day(c['checked_on'])} — "
                           f"{tracking.value_text({**c, 'kind': state['kind'], 'unit': unit})}, "
                           f"confidence {c['confidence']}/10" for c in acknowledgeable}
        with st.form("dashboard_kr_ack", border=True):
            st.markdown("**Acknowledge a check-in** — the owner sees it on their Check-ins page.")
            chosen = st.selectbox("Check-in", list(labels), format_func=labels.__getitem__, key="dashboard_kr_ack_on")
            comment = st.text_input("Comment (optional)", key="dashboard_kr_ack_comment",
                                    placeholder="Thanks — let's discuss the blocker in our 1:1")
            if st.form_submit_button("Acknowledge", icon=":material/thumb_up:"):
                ui.act(checkins.acknowledge, actor, chosen, comment, success="Acknowledged; the owner will see it.",
                       rerun=True, clear=["dashboard_kr_ack_comment"])
elif checkins.may_check_in(actor, state):
    st.page_link("pages/checkins.py", label="Record a check-in", icon=":material/edit:",
                 query_params={"kr": str(kr_id)})
tracking.history(past, state, today)
