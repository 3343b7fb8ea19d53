"""Chart builders: pure functions from a DataFrame (one query's result) to an Altair chart. No Streamlit, no SQL.

Each builder documents the columns it expects; tests check the Vega-Lite spec (encodings, series).
"""

from __future__ import annotations

import altair as alt

STATUS_COLORS = {"on_track": "#2f9e44", "at_risk": "#f59f00", "off_track": "#e03131", "no_data": "#adb5bd"}


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))


# --- Ranking (workshop) -------------------------------------------------------------------------------------------


# --- Progress and dashboards (tracking) ---------------------------------------------------------------------------
