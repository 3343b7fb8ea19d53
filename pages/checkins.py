"""Placeholder until its issue lands."""

import streamlit as st

from okrdash import ui

actor = ui.page("checkins")
st.title("checkins")
st.info("Not built yet.")
