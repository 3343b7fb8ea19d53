"""Placeholder until its issue lands."""

import streamlit as st

from okrdash import ui

actor = ui.page("survey_manage")
st.title("survey_manage")
st.info("Not built yet.")
