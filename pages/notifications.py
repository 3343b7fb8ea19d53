"""Notifications: what okrdash sends me and how (email, team chat), and my teams' chat channels. An unsubscribe link
opens the same choices without signing in (app.py hands it to ui.notify_views.link_landing)."""

import streamlit as st

from okrdash import ui
from okrdash.notify import prefs, webhooks
from okrdash.ui import notify_views

actor = ui.page("notifications")
st.title("Notifications")
mine = ui.cached(prefs.mine, actor)
st.caption(f"okrdash reminds you when a survey opens or closes, a vote starts, your team publishes its OKRs, your "
           f"key results wait for a check-in and, for managers, what changed each week. Emails go to "
           f"`{mine['person']['email'].replace('`', '')}`; every email has a one-click link to stop that kind.")
# (The address as code: a caption's faded autolink measured 2.96:1, under WCAG AA's 4.5:1.)

notify_views.choices_form("notifications_mine", mine["choices"], prefs.save, actor)
notify_views.explain_chat()

st.subheader("Your teams' chat")
notify_views.team_chat(actor, ui.cached(webhooks.overview, actor), "notifications_hook")
