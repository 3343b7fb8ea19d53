"""Home — my work: a greeting, my teams, and what I owe now."""

import streamlit as st

from okrdash import fmt, home, ui

actor = ui.page("home")
# live: what others do that changes it (a round opened) shows without a reload
summary = ui.live.watch_home(actor, lambda: home.summary(actor, ui.cached))

st.title(f"Hello, {actor.name.split()[0]}")
st.caption(f"{summary['quarter']} is the current quarter; teams are preparing OKRs for {summary['planning_quarter']}.")

st.subheader("What you owe now")
owed = summary["owed"]
if not owed:
    ui.empty_state("Nothing is waiting for you. Have a look at your teams' OKRs below or at the strategy.")
# A row whose text wraps and whose link keeps its whole label: in a fixed column, "Organisation overview" was cut
# short at 1300 px.
CARD = {"border": True, "horizontal": True, "vertical_alignment": "center", "wrap": False}
for item in owed:
    with st.container(**CARD):
        st.markdown(f"**{fmt.plain(item['what'])}**  \n{fmt.plain(item['detail'])}", width="stretch")
        st.page_link(item["page"], label=item["action"], icon=":material/arrow_forward:",
                     query_params=item.get("query_params"))

if summary["oversees"]:
    st.subheader("Teams you oversee")
    with st.container(**CARD):
        st.markdown(f"**{summary['oversees']} teams** in your scope; {summary['oversees_with_objective']} have "
                    f"a published objective for {summary['quarter']}.", width="stretch")
        st.page_link("pages/dashboard_overview.py", label="Organisation overview", icon=":material/arrow_forward:")

st.subheader("Your teams")
if not summary["teams"] and summary["oversees"]:
    st.caption("You are not a member of a team; as a manager you follow the teams above.")
elif not summary["teams"]:
    ui.empty_state("You are not in any team yet. Ask an admin to add you to your team on the Admin page.")
for team in summary["teams"]:
    with st.container(border=True):
        st.markdown(f"**{fmt.plain(team['name'])}** · {'lead' if team['role'] == 'lead' else 'member'}"
                    + (f" · part of {fmt.plain(team['parent_name'])}" if team["parent_name"] else ""))
        objective = team.get("objective")
        if objective:
            st.markdown(f"{summary['quarter']} objective: **{fmt.plain(objective)}**")
        else:
            st.caption(f"No published objective for {summary['quarter']} yet.")
