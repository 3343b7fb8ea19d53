"""Placeholder until its issue lands."""

import streamlit as st

from okrdash import ui

actor = ui.page("survey")
st.title("survey")
st.info("Not built yet.")
