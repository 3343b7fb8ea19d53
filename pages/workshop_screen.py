"""Workshop, big screen: a read-only view for the meeting room's projector, with no sidebar. The step the room is
on, live counters, the idea wall and the timebox, in large type; it follows the workshop as it happens."""

import streamlit as st

from okrdash import teams, ui
from okrdash.ui import screen_views

actor = ui.page("workshop")
body = st.container()
with st.expander("Team and quarter on this screen", icon=":material/tune:"):
    mine = sorted(ui.cached(teams.teams_of, actor.person_id), key=lambda t: (not actor.leads(t["id"]), t["name"]))
    team_id = ui.team_picker(mine)
    quarter = ui.quarter_picker(planning=True)
with body:
    if team_id is None or quarter is None:
        ui.empty_state("You are not in a team, so there is no workshop to show. Ask an admin to add you to your team.")
        st.stop()
    screen_views.show(actor, team_id, quarter)
