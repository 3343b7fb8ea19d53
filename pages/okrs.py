"""Placeholder until its issue lands."""

import streamlit as st

from okrdash import ui

actor = ui.page("okrs")
st.title("okrs")
st.info("Not built yet.")
