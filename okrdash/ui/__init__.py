"""Shared Streamlit widgets. This package and pages/ are the only code that imports streamlit.

Pages call `page(key)` first: it returns the acting person or renders a refusal and stops. Library calls that
write go through `act(...)`, which shows an OkrError's message instead of a traceback and keeps the form as typed.
"""

from okrdash.ui import live, notify_views, workshop
from okrdash.ui.identity import current_actor, identify, leave_legacy_pages_mode
from okrdash.ui.widgets import (
    act,
    cached,
    download_table,
    empty_state,
    flash,
    follow_link,
    page,
    person_picker,
    quarter_picker,
    remember_the_link,
    show_flash,
    switch_page,
    team_picker,
    this_minute,
    undo_bar,
)

__all__ = [
    "act",
    "cached",
    "current_actor",
    "download_table",
    "empty_state",
    "flash",
    "follow_link",
    "identify",
    "leave_legacy_pages_mode",
    "live",
    "notify_views",
    "page",
    "person_picker",
    "quarter_picker",
    "remember_the_link",
    "show_flash",
    "switch_page",
    "team_picker",
    "this_minute",
    "undo_bar",
    "workshop",
]
