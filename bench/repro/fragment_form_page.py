"""A bare Streamlit page (no okrdash) on which a form vanishes (bench/repro/fragment_form.py drives it): 30 lines
of text, a fragment ticking every 0.15 s, a form that counts its submits, and the count. REPRO_LAYOUT places the
fragment: right `before` the form, at the top level of the page (as Home's and Survey setup's live fragments are), in
a bordered container before it (`boxed`, as the workshop steps' live bar is), `after` the count, drawn into a
container above the form but called last (`slot`), or at the sidebar's end (`sidebar`). `quiet` is `before` with a
fragment that draws nothing, as Home's and Survey setup's draw nothing until a write lands."""

import os
import time

import streamlit as st

LAYOUT = os.environ.get("REPRO_LAYOUT", "before")


def burn(seconds: float) -> None:
    """Hold the CPU (and the GIL) as a page's own work does."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


st.session_state.setdefault("added", 0)
st.title("Fragment and form")
for line in range(30):
    st.write(f"line {line}")
    burn(0.002)


@st.fragment(run_every=0.15)
def tick() -> None:
    burn(0.01)
    if LAYOUT != "quiet":
        st.caption(f"tick {time.monotonic():.2f}")


slot = st.container()
if LAYOUT in ("before", "quiet"):
    tick()
elif LAYOUT == "boxed":
    with st.container(border=True):
        tick()
with st.form("count"):
    st.text_input("Name")
    if st.form_submit_button("Add"):
        st.session_state.added += 1
st.markdown(f"Added: **{st.session_state.added}**")
if LAYOUT == "after":
    tick()
elif LAYOUT == "slot":
    with slot:
        tick()
elif LAYOUT == "sidebar":
    with st.sidebar:
        tick()
