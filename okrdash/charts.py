"""Chart builders: pure functions from a DataFrame (one query's result) to an Altair chart. No Streamlit, no SQL.

Each builder documents the columns it expects; tests check the Vega-Lite spec (encodings, series).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

STATUS_COLORS = {"on_track": "#2f9e44", "at_risk": "#f59f00", "off_track": "#e03131", "no_data": "#adb5bd"}


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))


# --- Ranking (workshop) -------------------------------------------------------------------------------------------

RANKING_COLORS = {"Dot voting": "#4263eb", "Ranked choice (Borda)": "#f08c00", "ICE score": "#2b8a3e"}


def ranking_scores(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars: per idea (overall order, best on top), one bar per method, its score as a share of the
    method's top score, so methods with different scales sit side by side. Columns: idea, method, score, share,
    place, overall (as `rounds.scores_by_method` returns them)."""
    order = frame.sort_values("overall")["idea"].drop_duplicates().tolist()
    methods = [m for m in RANKING_COLORS if m in set(frame["method"])]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("idea:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
            yOffset=alt.YOffset("method:N", sort=methods),
            x=alt.X("share:Q", title="Share of the method's top score", axis=alt.Axis(format="%"),
                    scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("method:N", title="Method", sort=methods,
                            scale=alt.Scale(domain=methods, range=[RANKING_COLORS[m] for m in methods]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("idea:N", title="Idea"), alt.Tooltip("method:N", title="Method"),
                     alt.Tooltip("score:Q", title="Score", format=",.1f"),
                     alt.Tooltip("place:Q", title="Place in this method")],
        )
        .properties(height=alt.Step(14))
    )




# --- Progress and dashboards (tracking) ---------------------------------------------------------------------------
