"""Live pages: what others do shows within seconds, without a reload (okrdash.live has the rules).

- ticks.py: `watch`, the fragment that ticks on a page and redraws it when a write it shows lands, with each
  session's budget of redraws; `watch_home` and `watch_survey` for Home and Survey setup.
- strip.py: `bar`, the live strip of every workshop step (present, follow, timebox, highlight, countdown), and
  `arrive`, which takes a follower to the step the lead presents.
- stale_ticks.py: two Streamlit races around live ticks, closed before they can cost a person a page.
"""

from okrdash.ui.live.strip import (
    NUMBERS,
    PAGES,
    SCREEN,
    TITLES,
    arrive,
    bar,
    countdown,
    on_screen,
    room_state,
    screen_requested,
)
from okrdash.ui.live.ticks import (
    BURST,
    REDRAW_SHARE,
    REDRAWING_KEY,
    Budget,
    redrawing,
    run_finished,
    watch,
    watch_home,
    watch_survey,
    workshop_watch,
)

__all__ = [
    "BURST",
    "NUMBERS",
    "PAGES",
    "REDRAWING_KEY",
    "REDRAW_SHARE",
    "SCREEN",
    "TITLES",
    "Budget",
    "arrive",
    "bar",
    "countdown",
    "on_screen",
    "redrawing",
    "room_state",
    "run_finished",
    "screen_requested",
    "watch",
    "watch_home",
    "watch_survey",
    "workshop_watch",
]
