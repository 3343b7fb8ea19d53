"""The first screen of a new process: a progress message while the database opens, migrates and (first start on
an empty database) fills with the demo organisation, about 3 s. It runs behind an st.navigation of its own with
a hidden menu, so nobody sees Streamlit's legacy list of raw page-file names meanwhile; then the real app runs."""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from okrdash import setup


def run_until_ready() -> None:
    """When the database is not prepared in this process yet: show progress while preparing, then rerun into the
    app (or show why it cannot open, never a traceback). Returns at once when it is ready."""
    if setup.ready():
        return
    pages = [st.Page(_starting, title="okrdash", default=True)]
    requested = _requested_path()
    if requested:  # a deep link (/survey?…) stays where it was, so the rerun lands on the page asked for
        pages.append(st.Page(_starting, title="okrdash", url_path=requested))
    st.navigation(pages, position="hidden").run()
    st.stop()


def _requested_path() -> str:
    try:
        url = st.context.url or ""
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest)
        return ""
    path = urlparse(url).path.strip("/")
    return path if path and "/" not in path else ""


def _starting() -> None:
    st.title("okrdash")
    bar = st.progress(0.0, text="Starting okrdash: opening the database…")

    def report(share: float, message: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=f"Starting okrdash: {message[:1].lower()}{message[1:]}…")

    problem = setup.startup_problem(progress=report)
    if problem:
        bar.empty()
        st.error(problem, icon=":material/lock:")
        st.stop()
    st.rerun()
