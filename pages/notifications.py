"""Notifications: what okrdash sends me and how (email, team chat), and my teams' chat channels. An unsubscribe link
opens the same choices without signing in (app.py hands it to ui.notify_views.link_landing)."""

import streamlit as st

from okrdash import fmt, ui
from okrdash.notify import prefs, webhooks
from okrdash.ui import notify_views

actor = ui.page("notifications")
st.title("Notifications")
mine = ui.cached(prefs.mine, actor)
# Body text, not a caption: the address in a caption (as a link or as code) is faded under WCAG AA's 4.5:1.
st.write(f"okrdash reminds you when a survey opens or closes, a vote starts, your team publishes its OKRs, your "
         f"key results wait for a check-in and, for managers, what changed each week. Emails go to "
         f"**{fmt.inline(mine['person']['email'])}**; every email has a one-click link to stop that kind.")

notify_views.choices_form("notifications_mine", mine["choices"], prefs.save, actor)
notify_views.explain_chat()

st.subheader("Your teams' chat")
notify_views.team_chat(actor, ui.cached(webhooks.overview, actor), "notifications_hook")
