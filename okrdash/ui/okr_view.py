"""How a published OKR looks on screen: the one-pager (also the publish step's preview), its version history, its
downloads, and the quarter's overview of every team grouped under the company objective it serves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from okrdash import exports, fmt

ONE_TEAM, ALL_TEAMS = "One team", "All teams"


def one_pager_params(team_name: str, quarter: str) -> dict[str, str]:
    """Query parameters opening the one-pager of a team (bound pickers keep labels in the URL, not ids)."""
    return {"okrs_view": ONE_TEAM, "team": team_name, "quarter": quarter}


def share_link(params: dict[str, str]) -> None:
    """A copyable address that opens exactly this view for anyone (the bound pickers keep labels in the URL)."""
    base = st.context.url
    if base:
        st.code(f"{base}?{urlencode(params)}", language=None, wrap_lines=True)


def _cell(text: object) -> str:
    return fmt.plain(" ".join(str(text or "").split()))


def one_pager(snap: dict[str, Any], changes: Sequence[str] = (), *, preview: bool = False) -> None:
    """The OKR of one team and quarter as published (or, `preview`, as it would be): objective, why, what it
    serves, KRs, what is not done, what changed."""
    team, objective = snap["team"], snap["objective"]
    st.header(f"{fmt.plain(team['name'])} · OKRs for {snap['quarter']['key']}", divider="gray")
    line = f"Version {snap['version']} · not published yet" if preview else exports.published_line(snap)
    st.caption(fmt.plain(line) + (f" · {fmt.plain(team['department'])}" if team.get("department") else ""))
    st.caption("Objective")
    st.markdown(f"### {fmt.plain(objective['title'])}")
    if objective.get("why"):
        st.markdown(f"**Why it matters:** {fmt.plain(objective['why'])}")
    company = [x for x in snap.get("strategy_links", []) if x.get("kind") == "company_objective"]
    if company:
        st.markdown(":material/flag: Serves " + ", ".join(f"**{fmt.plain(x['title'])}**" for x in company))
    else:
        st.markdown(f":material/link_off: {fmt.plain(exports.serves(snap))}")
    st.markdown("#### Key results")
    lines = ["| # | Key result | Measure | Owner | Due |", "|---|---|---|---|---|"]
    for kr in snap["key_results"]:
        lines.append(f"| {kr['position']} | **{_cell(kr['title'])}** | {_cell(exports.measure(kr))} | "
                     f"{_cell(exports.owner_name(kr))} | {exports.short_day(kr.get('due_on'))} |")
    st.markdown("\n".join(lines))
    st.markdown("#### Not this quarter")
    dropped = snap.get("deprioritized") or []
    if dropped:
        st.markdown("\n".join(f"- **{_cell(d['title'])}**" + (f" — {_cell(d['reason'])}" if d.get("reason") else "")
                              for d in dropped))
    else:
        st.caption("Nothing was explicitly deprioritized.")
    if snap.get("note") or changes:
        st.markdown(f"#### {exports.changes_heading(snap)}")
        if snap.get("note"):
            st.markdown(f"> {fmt.plain(snap['note'])}")
        if changes:
            st.markdown("\n".join(f"- {_cell(line)}" for line in changes))


def downloads(snap: dict[str, Any], changes: Sequence[str], key: str) -> None:
    """Markdown, CSV and XLSX of one published version."""
    row = st.container(horizontal=True)
    row.download_button("Markdown", exports.markdown(snap, changes).encode("utf-8"),
                        file_name=exports.filename(snap, "md"), mime="text/markdown", key=f"{key}_md",
                        icon=":material/download:", on_click="ignore")
    row.download_button("CSV", exports.csv_bytes([snap]), file_name=exports.filename(snap, "csv"), mime="text/csv",
                        key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    row.download_button("Excel (XLSX)", exports.xlsx_bytes([snap]), file_name=exports.filename(snap, "xlsx"),
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
                        icon=":material/download:", on_click="ignore")


def history(versions: list[dict[str, Any]]) -> None:
    """Every version, newest first: who published it, when, the note and what changed."""
    for version in versions:
        snap = version["snapshot"]
        with st.container(border=True):
            st.markdown(f"**{fmt.plain(exports.published_line(snap))}**")
            if version["note"]:
                st.markdown(f"> {fmt.plain(version['note'])}")
            if version["changes"]:
                st.markdown("\n".join(f"- {_cell(line)}" for line in version["changes"]))
            elif snap["version"] == 1:
                st.caption("First version.")


def _team_entry(publication: dict[str, Any], quarter: str, *, print_layout: bool) -> None:
    snap = publication["snapshot"]
    # One Markdown block per team (not columns of three): a page draws 30 of these, and each element costs.
    with st.container(border=True):
        st.markdown("\n\n".join([
            f"**{fmt.plain(snap['team']['name'])}** · {fmt.plain(snap['objective']['title'])}",
            "\n".join(f"{kr['position']}. {_cell(exports.compact(kr))} · {_cell(exports.owner_name(kr))}"
                      for kr in snap["key_results"]),
            f":small[:gray[{fmt.plain(exports.published_line(snap))}]]",
        ]))
        if not print_layout:
            st.page_link("pages/okrs.py", label="One-pager", icon=":material/description:",
                         query_params=one_pager_params(snap["team"]["name"], quarter))


def overview(data: dict[str, Any], quarter: str, *, print_layout: bool = False) -> None:
    """A page of all teams' published OKRs (publications.overview_page) under the company objective each serves."""
    if data["page"] == 1 and data["matching"] == data["published"]:
        for title in data["unserved"]:  # company objectives no team serves yet: worth seeing on the first page
            st.subheader(f":material/flag: {fmt.plain(title)}", divider="gray")
            st.caption("No team's published objective serves this company objective yet.")
    heading = ""
    for group, publication in data["entries"]:
        if group != heading:
            st.subheader(f":material/flag: {fmt.plain(group)}" if group else
                         ":material/link_off: Serving no company objective", divider="gray")
            if group is None:
                st.caption("Published objectives not linked to any of the quarter's company objectives.")
            heading = group
        _team_entry(publication, quarter, print_layout=print_layout)
    if data["unpublished"] and data["page"] == data["pages"]:
        st.subheader("Not published yet", divider="gray")
        st.markdown(", ".join(fmt.plain(name) for name in data["unpublished"]))
