"""Placeholder until its issue lands."""

import streamlit as st

from okrdash import ui

actor = ui.page("workshop")
st.title("workshop_rank")
st.info("Not built yet.")
