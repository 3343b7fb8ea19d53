"""Alignment map: company objectives → the team objectives that serve them; company objectives no team serves and
team objectives that serve none stand out."""

import datetime as dt

import pandas as pd
import streamlit as st

from okrdash import charts, fmt, ui
from okrdash.dashboards import alignment as board
from okrdash.ui import tracking

actor = ui.page("dashboards")
today = dt.date.today()
st.title("Alignment map")
st.caption("Which team objectives serve which company objective. Drafts count too, so gaps show while teams plan.")
quarter, department, team = tracking.filters(actor)  # stops with an empty state when there is no quarter

links = tracking.load(board.objectives_by_company_objective, actor, quarter, department, team, today)
company = links.dropna(subset=["company_objective_id"])
served = company.dropna(subset=["objective_id"])["company_objective_id"].nunique()
total = company["company_objective_id"].nunique()
orphans = links[links["company_objective_id"].isna()]
objectives = links["objective_id"].dropna().nunique()

first, second, third = st.columns(3)
first.metric("Company objectives served", f"{served} of {total}", border=True)
second.metric("Team objectives", objectives, border=True)
third.metric("Serving no company objective", len(orphans), border=True)
if links.empty or (not total and not objectives):
    ui.empty_state(f"Nothing to map for {quarter} yet: an admin writes the company objectives on the Strategy page "
                   "and teams choose their objectives in the workshop.", next_page="pages/strategy.py",
                   next_label="Strategy")
    st.stop()

MAP_LIMIT = 60  # team objectives a readable map holds; beyond, a bar per company objective
if objectives > MAP_LIMIT:
    counts = tracking.load(board.team_objective_counts_by_company_objective, actor, quarter, department, team)
    st.info(f"{objectives} team objectives are too many for one map: here is how many serve each company "
            "objective. Pick a department or a team to see the map.", icon=":material/filter_alt:")
    tracking.chart(charts.alignment_coverage, counts, f"alignment-coverage-{quarter}",
                   caption="Green: published team objectives; light green: drafts. The CSV of every link is below.")
    tracking.download(links, f"alignment-{quarter}", label="Download every link (CSV)")
else:
    tracking.chart(charts.alignment_map, links, f"alignment-{quarter}",
                   caption="Left: company objectives (red: no team in this view serves it). Right: team objectives. "
                           "Dashed links: team objectives that serve no company objective.")
LIST_LIMIT = 12  # team objectives listed per company objective (the CSV has them all)


def objective_line(row: pd.Series) -> str:
    draft = " :gray-badge[draft]" if row["objective_status"] == "draft" else ""
    score = f" · score so far {fmt.percent(row['score'])}" if pd.notna(row["score"]) else ""
    return f"- **{fmt.plain(row['team'])}**: {fmt.plain(row['objective'])}{draft}{score}"


for _, rows in company.groupby("company_objective_id", sort=False):
    title = rows["company_objective"].iloc[0]
    serving = rows.dropna(subset=["objective_id"])
    with st.container(border=True):
        st.markdown(f"**{fmt.plain(title)}**")
        if serving.empty:
            st.markdown(":red-badge[No team serves this yet] Raise it with the teams before their workshops.")
        else:  # one Markdown list, not an element per line: a view of many teams draws dozens of these
            st.markdown("\n".join(objective_line(row) for _, row in serving.head(LIST_LIMIT).iterrows()))
        if len(serving) > LIST_LIMIT:
            st.caption(f"… and {len(serving) - LIST_LIMIT} more team objectives (see the CSV).")
if not orphans.empty:
    with st.container(border=True):
        st.markdown("**Team objectives that serve no company objective**")
        st.markdown("\n".join(
            objective_line(row) + (f" (linked to {fmt.plain(row['linked_to'])})" if pd.notna(row["linked_to"]) else "")
            for _, row in orphans.head(LIST_LIMIT).iterrows()))
        if len(orphans) > LIST_LIMIT:
            st.caption(f"… and {len(orphans) - LIST_LIMIT} more (see the CSV).")
