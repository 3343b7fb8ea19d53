"""okrdash entry point: database, identity, then a role-aware st.navigation over the page scripts in pages/."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from okrdash import auth, setup, ui

# Streamlit 1.67 runs a process's first script run in legacy multipage mode because a pages/ folder exists beside
# app.py; st.navigation turns that mode off, but widgets made during that first run get ids that later runs don't
# recognise (the first change of "Acting as" was lost). Leave legacy mode and start the run again, cleanly.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()

# (script, title, icon, access rule in auth.PAGE_RULES, shown in the menu)
PAGES: dict[str, list[tuple[str, str, str, str, bool]]] = {
    "My work": [
        ("pages/home.py", "Home — my work", ":material/home:", "home", True),
        ("pages/survey.py", "Surveys", ":material/edit_note:", "survey", True),
        ("pages/checkins.py", "Check-ins", ":material/update:", "checkins", True),
    ],
    "Team": [
        ("pages/workshop.py", "Workshop", ":material/groups:", "workshop", True),
        ("pages/workshop_consolidate.py", "Workshop: consolidate", ":material/merge:", "workshop", False),
        ("pages/workshop_rank.py", "Workshop: rank", ":material/how_to_vote:", "workshop", False),
        ("pages/workshop_focus.py", "Workshop: create focus", ":material/center_focus_strong:", "workshop", False),
        ("pages/workshop_key_results.py", "Workshop: key results", ":material/checklist:", "workshop", False),
        ("pages/workshop_publish.py", "Workshop: publish", ":material/campaign:", "workshop", False),
        ("pages/survey_manage.py", "Survey setup", ":material/fact_check:", "survey_manage", True),
        ("pages/okrs.py", "Published OKRs", ":material/flag:", "okrs", True),
    ],
    "Dashboards": [
        ("pages/dashboard_overview.py", "Organisation overview", ":material/dashboard:", "dashboards", True),
        ("pages/dashboard_team.py", "Team progress", ":material/monitoring:", "dashboards", True),
        ("pages/dashboard_kr.py", "Key result detail", ":material/show_chart:", "dashboards", True),
        ("pages/dashboard_heatmap.py", "Weekly status", ":material/grid_on:", "dashboards", True),
        ("pages/dashboard_history.py", "History", ":material/history:", "dashboards", True),
        ("pages/dashboard_alignment.py", "Alignment map", ":material/account_tree:", "dashboards", True),
    ],
    "Organisation": [
        ("pages/strategy.py", "Strategy", ":material/explore:", "strategy", True),
        ("pages/admin.py", "Admin", ":material/admin_panel_settings:", "admin", True),
    ],
}

st.set_page_config(page_title="okrdash", page_icon=":material/track_changes:", layout="wide")

problem = setup.startup_problem()
if problem:
    st.error(problem, icon=":material/lock:")
    st.stop()

actor = ui.identify()
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
    }
)
ui.show_flash()
navigation.run()
