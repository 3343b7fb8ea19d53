"""The baseline of the page benchmark: a Streamlit page that renders a title and nothing else."""

import streamlit as st

st.title("Empty page")
