"""Chart builders: pure functions from a DataFrame (one query's result) to an Altair chart. No Streamlit, no SQL.

Each builder documents the columns it expects; tests check the Vega-Lite spec (encodings, series).
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from okrdash import progress

STATUS_COLORS = {"on_track": "#2f9e44", "at_risk": "#f59f00", "off_track": "#e03131", "no_data": "#adb5bd"}


def _status_scale() -> alt.Scale:
    return alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values()))


# --- Ranking (workshop) -------------------------------------------------------------------------------------------

RANKING_COLORS = {"Dot voting": "#4263eb", "Ranked choice (Borda)": "#f08c00", "ICE score": "#2b8a3e"}


def ranking_scores(frame: pd.DataFrame) -> alt.LayerChart:
    """Grouped bars: per idea (overall order, best on top), one bar per method, its score as a share of the
    method's top score, so methods with different scales sit side by side; each bar labelled with its raw score
    (a zero shows as 0, not as a missing bar). Columns: idea, method, score, share, place, overall (as
    `rounds.scores_by_method` returns them)."""
    order = frame.sort_values("overall")["idea"].drop_duplicates().tolist()
    methods = [m for m in RANKING_COLORS if m in set(frame["method"])]
    base = alt.Chart(frame).encode(
        y=alt.Y("idea:N", sort=order, title=None, axis=alt.Axis(labelLimit=360, labelFontSize=12)),
        yOffset=alt.YOffset("method:N", sort=methods),
        x=alt.X("share:Q", title="Share of the method's top score", scale=alt.Scale(domain=[0, 1.12]),
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("method:N", title="Method", sort=methods,
                        scale=alt.Scale(domain=methods, range=[RANKING_COLORS[m] for m in methods]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("idea:N", title="Idea"), alt.Tooltip("method:N", title="Method"),
                 alt.Tooltip("score:Q", title="Score", format=",.1f"),
                 alt.Tooltip("place:Q", title="Place in this method")],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color="#495057").encode(
        text=alt.Text("score:Q", format=",.4~f"))
    return alt.layer(bars, labels).properties(height=alt.Step(16))


# --- Progress and dashboards (tracking) ---------------------------------------------------------------------------
# Columns are documented per builder; `status` columns hold okrdash.progress.STATUSES, shown with their labels and
# the fixed STATUS_COLORS so every chart reads the same way.
# Fixed-height charts: the height is the plot's, legends and axes come on top (Streamlit's default "fit" squeezes
# the plot when a legend has several rows).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
KR_PALETTE = ["#1864ab", "#7048e8", "#0b7285", "#d6336c", "#495057", "#e8590c"]  # no status green/orange/red
SERIES_STYLE = {"Actual": ("#1c7ed6", []), "Expected": ("#868e96", [6, 4]), "Projected": ("#7048e8", [2, 3])}


def _status_color(field: str = "status_label", *, columns: int | None = None) -> alt.Color:
    labels = [progress.STATUS_LABELS[s] for s in STATUS_COLORS]
    legend = alt.Legend(orient="top", columns=columns) if columns else alt.Legend(orient="top")
    return alt.Color(f"{field}:N", title="Status", scale=alt.Scale(domain=labels, range=list(STATUS_COLORS.values())),
                     legend=legend)


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(status_label=frame["status"].map(progress.STATUS_LABELS))


def kr_status_by_team(frame: pd.DataFrame) -> alt.Chart:
    """Teams × status: stacked bars of KR counts per team (in the frame's order). Columns: team, status, krs."""
    order = frame["team"].drop_duplicates().tolist()
    return alt.Chart(_labelled(frame)).mark_bar().encode(
        y=alt.Y("team:N", sort=order, title=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("krs:Q", title="Key results", axis=alt.Axis(tickMinStep=1)),
        color=_status_color(),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("team:N", title="Team"), alt.Tooltip("status_label:N", title="Status"),
                 alt.Tooltip("krs:Q", title="Key results")],
    ).transform_calculate(status_rank=_status_rank()).properties(height=alt.Step(26))


def _status_rank() -> str:
    return " : ".join(f"datum.status == '{s}' ? {i}" for i, s in enumerate(STATUS_COLORS)) + " : 9"


def kr_status_share_by_department(frame: pd.DataFrame) -> alt.Chart:
    """Roll-up by department: 100% stacked bars of the share of KRs per status. Columns: department, status, krs,
    share."""
    return alt.Chart(_labelled(frame)).mark_bar().encode(
        y=alt.Y("department:N", title=None, axis=alt.Axis(labelLimit=240)),
        x=alt.X("share:Q", title="Share of key results", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=_status_color(columns=2),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("department:N", title="Department"), alt.Tooltip("status_label:N", title="Status"),
                 alt.Tooltip("krs:Q", title="Key results"), alt.Tooltip("share:Q", title="Share", format=".0%")],
    ).transform_calculate(status_rank=_status_rank()).properties(height=alt.Step(34))


def participation_by_team(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars per team: survey and check-in participation (0–1). Columns: team, survey_share,
    checkin_share (empty: no survey / no completed week yet)."""
    measures = {"survey_share": "Answered the survey", "checkin_share": "Weeks with a check-in"}
    long = frame.melt(id_vars=["team"], value_vars=list(measures), var_name="measure", value_name="share")
    long = long.assign(measure=long["measure"].map(measures)).dropna(subset=["share"])
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("team:N", sort=frame["team"].tolist(), title=None, axis=alt.Axis(labelLimit=240)),
        yOffset=alt.YOffset("measure:N", sort=list(measures.values())),
        x=alt.X("share:Q", title="Participation", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("measure:N", title=None, sort=list(measures.values()),
                        scale=alt.Scale(domain=list(measures.values()), range=["#4263eb", "#12b886"]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("team:N", title="Team"), alt.Tooltip("measure:N", title="Measure"),
                 alt.Tooltip("share:Q", title="Share", format=".0%")],
    ).properties(height=alt.Step(13))


def kr_progress_bullets(frame: pd.DataFrame) -> alt.LayerChart:
    """Team view: per KR a bar of progress (status colour) on a 0–100% track, with a tick where it should be
    today. Columns: key_result, progress, expected, status."""
    data = _labelled(frame).assign(progress=frame["progress"].fillna(0.0), track=1.0)
    y = alt.Y("key_result:N", sort=frame["key_result"].tolist(), title=None, axis=alt.Axis(labelLimit=380))
    tooltip = [alt.Tooltip("key_result:N", title="Key result"), alt.Tooltip("status_label:N", title="Status"),
               alt.Tooltip("progress:Q", title="Progress", format=".0%"),
               alt.Tooltip("expected:Q", title="Expected by now", format=".0%")]
    base = alt.Chart(data).encode(y=y)
    track = base.mark_bar(color="#f1f3f5", size=18).encode(x=alt.X("track:Q", title="Progress",
                                                                    axis=alt.Axis(format="%"),
                                                                    scale=alt.Scale(domain=[0, 1])),
                                                        tooltip=tooltip)  # else the grey track shows raw fields
    bars = base.mark_bar(size=18).encode(x="progress:Q", color=_status_color(), tooltip=tooltip)
    ticks = base.mark_tick(color="#212529", thickness=2, size=26).encode(x="expected:Q", tooltip=tooltip)
    return alt.layer(track, bars, ticks).properties(height=alt.Step(34))


def confidence_trend(frame: pd.DataFrame) -> alt.Chart:
    """Team view: the owners' confidence (0–10) per KR over the quarter. Columns: kr_number, key_result,
    checked_on, confidence."""
    data = frame.assign(kr="KR " + frame["kr_number"].astype(str) + ": " + frame["key_result"])
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("checked_on:T", title=None, axis=alt.Axis(format="%d %b")),
        y=alt.Y("confidence:Q", title="Confidence (0–10)", scale=alt.Scale(domain=[0, 10])),
        color=alt.Color("kr:N", title=None, legend=alt.Legend(orient="top", columns=1, labelLimit=600),
                        scale=alt.Scale(range=KR_PALETTE)),
        tooltip=[alt.Tooltip("kr:N", title="Key result"), alt.Tooltip("checked_on:T", title="Check-in"),
                 alt.Tooltip("confidence:Q", title="Confidence")],
    ).properties(height=240, autosize=FIT_WIDTH)


def kr_progress_over_time(frame: pd.DataFrame, unit: str = "", kind: str = "increase_to") -> alt.LayerChart:
    """KR detail: Actual vs Expected vs Projected values over the quarter as lines, the Target as a horizontal rule.
    Columns: day, series (Actual, Expected, Projected, Target), value. Milestones plot done as 1, not yet as 0."""
    milestone = kind == "milestone"
    title = "Done (1) or not yet (0)" if milestone else f"Value ({unit})" if unit else "Value"
    lines = frame[frame["series"] != "Target"]
    series = [s for s in SERIES_STYLE if s in set(lines["series"])]
    legend = alt.Legend(orient="top", symbolType="stroke", symbolStrokeWidth=3, symbolSize=400)
    color = alt.Color("series:N", title=None, sort=series, legend=legend,
                      scale=alt.Scale(domain=series, range=[SERIES_STYLE[s][0] for s in series]))
    dash = alt.StrokeDash("series:N", title=None, sort=series, legend=legend,
                          scale=alt.Scale(domain=series, range=[SERIES_STYLE[s][1] for s in series]))
    tooltip = [alt.Tooltip("series:N", title="Series"), alt.Tooltip("day:T", title="Day"),
               alt.Tooltip("value:Q", title=title, format=",.2~f")]
    y_axis = alt.Axis(values=[0, 1]) if milestone else alt.Axis()
    line = alt.Chart(lines).mark_line(point=True, strokeWidth=2.5, interpolate="step-after" if milestone else
                                      "linear").encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%d %b")),
        y=alt.Y("value:Q", title=title, axis=y_axis, scale=alt.Scale(zero=milestone)),
        color=color, strokeDash=dash, tooltip=tooltip)
    target = frame[frame["series"] == "Target"]
    target = target.assign(label=["Target: done" if milestone else "Target: " + f"{v:,.2f}".rstrip("0").rstrip(".")
                                  + (f" {unit}" if unit else "") for v in target["value"]])
    rule = alt.Chart(target).mark_rule(color="#e03131", strokeWidth=2).encode(
        y="value:Q", tooltip=[alt.Tooltip("label:N", title="Target")])
    label = alt.Chart(target).mark_text(align="left", dx=4, dy=-8, color="#e03131", fontWeight="bold").encode(
        y="value:Q", x=alt.value(0), text="label:N")
    # The time axis runs to the due date (where the Target row sits) even when no line reaches it.
    due = alt.Chart(target).mark_point(opacity=0).encode(x="day:T", y="value:Q")
    return alt.layer(line, rule, label, due).properties(height=180 if milestone else 340, autosize=FIT_WIDTH)


def kr_confidence(frame: pd.DataFrame) -> alt.Chart:
    """KR detail: confidence (0–10) at each check-in, points coloured by the status then. Columns: checked_on,
    confidence, status."""
    base = alt.Chart(_labelled(frame)).encode(
        x=alt.X("checked_on:T", title=None, axis=alt.Axis(format="%d %b")),
        y=alt.Y("confidence:Q", title="Confidence (0–10)", scale=alt.Scale(domain=[0, 10])))
    return alt.layer(
        base.mark_line(color="#adb5bd"),
        base.mark_point(filled=True, size=90).encode(
            color=_status_color(), tooltip=[alt.Tooltip("checked_on:T", title="Check-in"),
                                            alt.Tooltip("confidence:Q", title="Confidence"),
                                            alt.Tooltip("status_label:N", title="Status")]),
    ).properties(height=200, autosize=FIT_WIDTH)


def status_heatmap(frame: pd.DataFrame) -> alt.Chart:
    """Team × week: each cell the team's status that week. Columns: row (team or department), week (Monday),
    status, on_track, at_risk, off_track, no_data, stale, krs."""
    data = _labelled(frame).assign(week_label=pd.to_datetime(frame["week"]).dt.strftime("%d %b"))
    return alt.Chart(data).mark_rect(stroke="white", strokeWidth=2).encode(
        x=alt.X("week_label:O", title="Week of", sort=data["week_label"].drop_duplicates().tolist(),
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("row:N", title=None, sort=frame["row"].drop_duplicates().tolist(), axis=alt.Axis(labelLimit=240)),
        color=_status_color(),
        tooltip=[alt.Tooltip("row:N", title="Team"), alt.Tooltip("week_label:O", title="Week of"),
                 alt.Tooltip("status_label:N", title="Status"), alt.Tooltip("on_track:Q", title="KRs on track"),
                 alt.Tooltip("at_risk:Q", title="at risk"), alt.Tooltip("off_track:Q", title="off track"),
                 alt.Tooltip("no_data:Q", title="no check-in yet"), alt.Tooltip("stale:Q", title="stale")],
    ).properties(height=alt.Step(34))


def score_history(frame: pd.DataFrame) -> alt.LayerChart:
    """Quarter scores per team: a team × quarter grid coloured by score 0–1 with the score written in each cell.
    Columns: team, quarter, score, krs, on_track, finished."""
    data = frame.assign(label=(frame["score"] * 100).round().astype(int).astype(str) + "%"
                        + frame["finished"].map({True: "", False: " so far"}))
    base = alt.Chart(data).encode(
        x=alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("team:N", title=None, sort=frame["team"].drop_duplicates().tolist(), axis=alt.Axis(labelLimit=240)))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        opacity=alt.condition("datum.finished", alt.value(1.0), alt.value(0.45)),
        color=alt.Color("score:Q", title="Score", scale=alt.Scale(domain=[0, 0.5, 1],
                                                                  range=["#e03131", "#fab005", "#2f9e44"]),
                        legend=alt.Legend(orient="top", format=".0%")),
        tooltip=[alt.Tooltip("team:N", title="Team"), alt.Tooltip("quarter:O", title="Quarter"),
                 alt.Tooltip("score:Q", title="Score", format=".0%"), alt.Tooltip("krs:Q", title="Key results"),
                 alt.Tooltip("on_track:Q", title="On track")])
    text = base.mark_text(fontSize=12, color="#212529").encode(text="label:N")
    return alt.layer(cells, text).properties(height=alt.Step(34))


ALIGNMENT_KINDS = {"Company objective": "#1c7ed6", "No team serves it": "#e03131",
                   "Team objective": "#2f9e44", "Draft team objective": "#94d82d",
                   "Serves no company objective": "#868e96"}


def alignment_layout(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node and link positions for `alignment_map`: company objectives on the left (x 0), team objectives on the
    right (x 1), each company objective level with the middle of the team objectives serving it."""
    nodes, links, slot = [], [], 0
    groups = frame.assign(group=frame["company_objective_id"].fillna(-1)).groupby("group", sort=False)
    for group, rows in groups:
        served = rows.dropna(subset=["objective_id"])
        unlinked = group == -1
        right = list(range(slot, slot + max(len(served), 1)))
        slot = right[-1] + 1
        left_y = sum(right[: len(served)] or right) / len(right[: len(served)] or right)
        kind = "Serves no company objective" if unlinked else (
            "Company objective" if len(served) else "No team serves it")
        title = "No company objective" if unlinked else rows["company_objective"].iloc[0]
        nodes.append({"x": 0.0, "y": left_y, "label": title + ("" if len(served) else " (no team)"), "kind": kind,
                      "side": "left"})
        for y, (_, row) in zip(right, served.iterrows(), strict=False):
            status = "Draft team objective" if row["objective_status"] == "draft" else "Team objective"
            nodes.append({"x": 1.0, "y": float(y), "label": f"{row['team']}: {row['objective']}",
                          "kind": "Serves no company objective" if unlinked else status, "side": "right"})
            links.append({"x": 0.0, "y": left_y, "x2": 1.0, "y2": float(y), "unlinked": unlinked})
    for node in nodes:  # two short lines at most, so long titles fit beside the map; tooltips keep them whole
        lines = textwrap.wrap(node["label"], 46)
        node["lines"] = "\n".join(lines[:2] if len(lines) <= 2 else [lines[0], lines[1][:43] + "…"])
    return pd.DataFrame(nodes), pd.DataFrame(links, columns=["x", "y", "x2", "y2", "unlinked"])


def alignment_map(frame: pd.DataFrame) -> alt.LayerChart:
    """Company objectives → team objectives as a two-column map with links; company objectives no team serves in
    red, team objectives serving none under "No company objective". Columns: as
    okrdash.dashboards.alignment.objectives_by_company_objective returns them."""
    nodes, links = alignment_layout(frame)
    slots = max(int(nodes["y"].max()) + 1, 1) if len(nodes) else 1
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-1.3, 2.3]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.6, slots - 0.4], reverse=True))
    color = alt.Color("kind:N", title=None, scale=alt.Scale(domain=list(ALIGNMENT_KINDS),
                                                             range=list(ALIGNMENT_KINDS.values())),
                      legend=alt.Legend(orient="top", labelLimit=260))
    # The links only join what the points and labels already say: hidden from screen readers (aria=False).
    edges = alt.Chart(links).mark_rule(strokeWidth=1.5, color="#adb5bd", aria=False).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeDash=alt.condition("datum.unlinked", alt.value([4, 4]), alt.value([1, 0])))
    points = alt.Chart(nodes).mark_circle(size=160, opacity=1).encode(
        x=x, y=y, color=color, tooltip=[alt.Tooltip("label:N", title="Objective"), alt.Tooltip("kind:N", title="")])
    left = alt.Chart(nodes[nodes["side"] == "left"] if len(nodes) else nodes).mark_text(
        align="right", dx=-12, fontSize=12, lineHeight=15, lineBreak="\n").encode(x=x, y=y, text="lines:N")
    right = alt.Chart(nodes[nodes["side"] == "right"] if len(nodes) else nodes).mark_text(
        align="left", dx=12, fontSize=12, lineHeight=15, lineBreak="\n").encode(x=x, y=y, text="lines:N")
    return alt.layer(edges, points, left, right).properties(height=max(120, 40 * slots), autosize=FIT_WIDTH)


def alignment_coverage(frame: pd.DataFrame) -> alt.LayerChart:
    """Large scopes' alignment: per company objective (and "No company objective") the team objectives serving it,
    published and draft stacked, "no team" in red where none does. Columns: company_objective, published, drafts,
    objectives."""
    order = frame["company_objective"].tolist()
    long = frame.melt(id_vars=["company_objective"], value_vars=["published", "drafts"], var_name="state",
                      value_name="count")
    long = long.assign(state=long["state"].map({"published": "Team objective", "drafts": "Draft team objective"}))
    y = alt.Y("company_objective:N", sort=order, title=None, axis=alt.Axis(labelLimit=380))
    bars = alt.Chart(long).mark_bar().encode(
        y=y, x=alt.X("count:Q", title="Team objectives serving it", stack=True, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("state:N", title=None, legend=alt.Legend(orient="top"),
                        scale=alt.Scale(domain=["Team objective", "Draft team objective"],
                                        range=[ALIGNMENT_KINDS["Team objective"],
                                               ALIGNMENT_KINDS["Draft team objective"]])),
        tooltip=[alt.Tooltip("company_objective:N", title="Company objective"), alt.Tooltip("state:N", title=""),
                 alt.Tooltip("count:Q", title="Team objectives")])
    gaps = alt.Chart(frame[frame["objectives"] == 0]).mark_text(align="left", dx=4, color="#e03131",
                                                                 fontWeight="bold").encode(
        y=y, x=alt.value(0), text=alt.value("no team serves it"))
    return alt.layer(bars, gaps).properties(height=alt.Step(34))
