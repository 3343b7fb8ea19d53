"""okrdash entry point: database, identity, then a role-aware st.navigation over the page scripts in pages/."""

import streamlit as st

from okrdash import auth, db, setup, ui
from okrdash.navigation import PAGES

ui.leave_legacy_pages_mode()

st.set_page_config(page_title="okrdash", page_icon=":material/track_changes:", layout="wide")

problem = setup.startup_problem()
if problem:
    st.error(problem, icon=":material/lock:")
    st.stop()

db.sync()  # other app processes' writes (PostgreSQL): cached reads they concern are made again
big_screen = ui.live.screen_requested()  # the projector's page: no sidebar, no picker, no menu
actor = ui.identify(sidebar=not big_screen)
if actor is None:
    st.stop()

navigation = st.navigation(
    {
        section: [
            st.Page(
                script,
                title=title,
                icon=icon,
                default=script == "pages/home.py",
                visibility="visible" if in_menu and auth.may_open(actor, rule) else "hidden",
            )
            for script, title, icon, rule, in_menu in pages
        ]
        for section, pages in PAGES.items()
    },
    expanded=True,  # every page a person may open stays listed, no "View more"
    position="hidden" if big_screen else "sidebar",
)
ui.show_flash()
navigation.run()
