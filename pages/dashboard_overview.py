"""Placeholder until its issue lands."""

import streamlit as st

from okrdash import ui

actor = ui.page("dashboards")
st.title("dashboard_overview")
st.info("Not built yet.")
