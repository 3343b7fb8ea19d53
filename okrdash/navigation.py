"""The app's pages: script, title, icon, the access rule (auth.PAGE_RULES) and whether the menu lists it.

Plain data, so app.py, the page smoke tests and the benchmark all walk the same list.
"""

# (script, title, icon, access rule in auth.PAGE_RULES, shown in the menu)
PAGES: dict[str, list[tuple[str, str, str, str, bool]]] = {
    "My work": [
        ("pages/home.py", "Home — my work", ":material/home:", "home", True),
        ("pages/survey.py", "Surveys", ":material/edit_note:", "survey", True),
        ("pages/checkins.py", "Check-ins", ":material/update:", "checkins", True),
        ("pages/notifications.py", "Notifications", ":material/notifications:", "notifications", True),
    ],
    "Team": [
        ("pages/workshop.py", "Workshop", ":material/groups:", "workshop", True),
        ("pages/workshop_consolidate.py", "Workshop: consolidate", ":material/merge:", "workshop", False),
        ("pages/workshop_rank.py", "Workshop: rank", ":material/how_to_vote:", "workshop", False),
        ("pages/workshop_focus.py", "Workshop: create focus", ":material/center_focus_strong:", "workshop", False),
        ("pages/workshop_key_results.py", "Workshop: key results", ":material/checklist:", "workshop", False),
        ("pages/workshop_publish.py", "Workshop: publish", ":material/campaign:", "workshop", False),
        ("pages/workshop_screen.py", "Workshop: big screen", ":material/tv:", "workshop", False),
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


def all_pages() -> list[tuple[str, str, str, str, bool]]:
    return [page for pages in PAGES.values() for page in pages]
