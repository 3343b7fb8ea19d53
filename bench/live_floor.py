"""The floor of a live tick (bench/live.py): a page whose fragment draws one line every 2 s, as okrdash's live
pages do when nothing changed, with pandas and Altair loaded as in the app. What this costs the server per tick is
Streamlit's own work (a script run on a thread of its own, the messages to the browser), not okrdash's."""

import os

import altair  # noqa: F401  (the app's heap: collection and allocation costs grow with it)
import pandas  # noqa: F401
import streamlit as st

st.title("Live tick floor")


@st.fragment(run_every=2)
def tick() -> None:
    st.markdown("Nothing changed.")


if os.environ.get("LIVE_FLOOR_OFF") != "1":  # the baseline: the same page and sessions, no ticks
    tick()
