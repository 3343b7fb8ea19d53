"""axe-core (axe-playwright-python, pinned) on a page of the app: the serious and critical violations in
okrdash's own content, with the one known exception in Streamlit's own markup listed and explained."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE = Axe()
COUNTED = ("serious", "critical")
# WCAG 2.0–2.2 A and AA rules (axe's best-practice rules judge style, e.g. heading order, mostly moderate);
# ancestry: full selectors, so `closest` finds the nav.
OPTIONS = {"resultTypes": ["violations"], "ancestry": True, "iframes": False,
           "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}

# (axe rule, the Streamlit container its nodes sit in) → why it is not okrdash's to fix.
KNOWN_EXCEPTIONS = {
    ("list", "stSidebarNavItems"): "Streamlit's st.navigation renders the sidebar menu as a <ul> whose children "
    "are section headers and <div>-wrapped links, not <li>: the markup is Streamlit's, okrdash only passes pages.",
    ("listitem", "stSidebarNavItems"): "The same menu's items: <li> inside Streamlit's nav structure.",
}


def _inside(page: Page, selector: str, test_id: str) -> bool:
    return bool(page.evaluate(
        "([selector, testId]) => { const el = document.querySelector(selector);"
        " return !!(el && el.closest(`[data-testid=\"${testId}\"]`)); }",
        [selector, test_id],
    ))


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now; the script is injected once per document (a page switch
    inside the app keeps the document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.axe_script)
    return page.evaluate("(options) => axe.run(document, options).then((r) => r.violations)", OPTIONS)


def serious_violations(page: Page) -> list[str]:
    """'rule (impact): help — target' for each serious/critical node not covered by KNOWN_EXCEPTIONS."""
    found = []
    for violation in run_axe(page):
        if violation["impact"] not in COUNTED:
            continue
        for node in violation["nodes"]:
            target = node["target"][-1] if node["target"] else ""
            if isinstance(target, list):
                target = target[-1]
            excused = any(rule == violation["id"] and _inside(page, target, container)
                          for rule, container in KNOWN_EXCEPTIONS)
            if not excused:
                found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {target} "
                             f"{node.get('failureSummary', '')[:160]!r}")
    return found
