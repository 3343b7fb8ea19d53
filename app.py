"""okrdash entry point: database, identity, then a role-aware st.navigation over the page scripts in pages/."""

import time

import streamlit as st

from okrdash import auth, db, settings, ui
from okrdash.navigation import PAGES
from okrdash.ui import first_start, heap

run_started = time.perf_counter()
ui.remember_the_link()  # before anything sets a query parameter: Streamlit may drop one a link carried
settings.configure_logging()
ui.live.stale_ticks.drop_ticks_from_pages_left()  # a Streamlit race that leaves followers behind
ui.live.stale_ticks.redraws_yield_to_clicks()  # and one where a live redraw cancels a click on a link
ui.leave_legacy_pages_mode()

st.set_page_config(page_title="okrdash", page_icon=":material/track_changes:", layout="wide")

first_start.run_until_ready()  # a progress screen (hidden menu) until the database is prepared in this process
heap.freeze_what_imports_made()  # what the imports left lives as long as the process: out of the collector's way

db.sync()  # other app processes' writes (PostgreSQL): cached reads they concern are made again
if ui.notify_views.link_landing():  # a signed unsubscribe link (?unsubscribe=) opens without sign-in
    st.stop()

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
ui.show_flash(redraw=ui.live.redrawing(), page=navigation.url_path)
navigation.run()
ui.live.run_finished(time.perf_counter() - run_started)  # live pages space their redraws by it (ui/live/ticks.py)
