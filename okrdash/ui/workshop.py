"""The header every workshop step page shares: team and quarter pickers, the step bar and the live strip."""

from __future__ import annotations

import streamlit as st

from okrdash import auth, ideas, surveys, teams, workshop
from okrdash.ui import live
from okrdash.ui.widgets import cached, empty_state, quarter_picker, team_picker, this_minute


def header(actor: auth.Actor, step_key: str) -> tuple[int, str]:
    """Render the workshop header for `step_key`; return (team id, quarter). Stops when there is no team."""
    my_teams = cached(teams.teams_of, actor.person_id)
    if not my_teams:
        empty_state("You are not in a team, so there is no workshop for you. Ask an admin to add you to your team.")
        st.stop()
    # Leads see the teams they lead first: that is where they run the workshop.
    my_teams.sort(key=lambda t: (not actor.leads(t["id"]), t["name"]))
    left, right = st.columns(2)
    with left:
        team_id = team_picker(my_teams)
    with right:
        quarter = quarter_picker(planning=True)
    seen = live.arrive(actor, team_id, quarter, step_key)  # before the reads: a write landing later redraws
    found = survey(team_id, quarter)
    steps = cached(workshop.progress, actor, team_id, quarter, found["id"] if found and found["sealed"] else None)
    current = next(s for s in steps if s.key == step_key)
    bar = st.container(horizontal=True, gap="small")  # wraps on narrow screens instead of cutting labels
    for index, step in enumerate(steps, start=1):
        icon = ":material/check_circle:" if step.done else ":material/radio_button_unchecked:"
        if step.key == step_key:
            icon = ":material/arrow_circle_right:"
        # The current step stays a link (marked by its arrow): a disabled link's grey fails contrast (2.3:1).
        bar.page_link(step.page, label=f"{index}. {step.title}", icon=icon, help=step.summary)
    upcoming = workshop.next_step(steps)
    role = "You lead this workshop." if actor.leads(team_id) else "You take part; the lead runs each step."
    if upcoming and upcoming.key != step_key:
        st.caption(f"{role} This step: {current.summary}. Next for the team: **{upcoming.title}**.")
    else:
        st.caption(f"{role} This step: {current.summary}.")
    live.bar(actor, team_id, quarter, step_key, seen)
    st.divider()
    return team_id, quarter


def survey(team_id: int, quarter: str) -> dict | None:
    """ideas.survey_of as of this minute: whether it is open turns on the deadline's time of day, with no write."""
    return cached(ideas.survey_of, team_id, quarter, this_minute())


def sealed(team_id: int, quarter: str) -> int | None:
    """The team's anonymous survey while it is open (its ideas are sealed: see okrdash.ideas), read as of this
    minute so cached reads that take it change when the survey closes; says when its ideas will appear."""
    found = survey(team_id, quarter)
    if not (found and found["sealed"]):
        return None
    st.info(f"Ideas from the anonymous survey appear here when it closes on {surveys.when(found['deadline'])}: "
            "all at once, so nobody can tell who wrote what from when an idea arrived.", icon=":material/lock_clock:")
    return found["id"]
