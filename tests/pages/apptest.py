"""Run the app as someone, on a page, the way AppTest tests of every page do."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def pin_navigation_mode() -> None:
    """Work around AppTest (streamlit 1.67) re-deciding on every run that an app with a pages/ folder is a
    legacy (v1) multipage app: it then runs the page script alone and skips app.py. The running server decides
    once and st.navigation turns the legacy mode off, so tests pin it off the same way."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


pin_navigation_mode()


def open_page(email: str | None, page: str | None = None, *, timeout: float = 20, **query: str) -> AppTest:
    """AppTest of app.py acting as `email` (demo identity mode), switched to `page` (e.g. 'pages/admin.py')."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if email:
        at.session_state["acting_as"] = email
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def open_admin(email: str, tab: str) -> AppTest:
    """The Admin page on `tab` (only the open tab's content runs)."""
    at = open_page(email, "pages/admin.py")
    at.session_state["admin_tab"] = tab
    at.run()
    return at


def texts(at: AppTest) -> str:
    """Every markdown, caption, title, header, alert and text on the page, joined: for 'is it shown' checks."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error",
                 "success"):
        parts.extend(str(element.value) for element in getattr(at, kind))
    return "\n".join(parts)


def errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.error]


def assert_clean(at: AppTest) -> None:
    """No exception reached the page."""
    assert not at.exception, [e.value for e in at.exception]
