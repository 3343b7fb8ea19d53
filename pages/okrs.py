"""Published OKRs: one team's one-pager for a quarter, or every team's published OKRs grouped under the company
objective each serves. Everyone in the organisation reads them; a print layout and downloads share them."""

import streamlit as st

from okrdash import exports, fmt, publications, quarters, teams, ui
from okrdash.ui import okr_view

actor = ui.page("okrs")
VIEWS = [okr_view.ONE_TEAM, okr_view.ALL_TEAMS]

with st.sidebar:
    print_layout = st.toggle("Print layout", key="okrs_print", bind="query-params",
                             help="Only the OKRs, full width, without pickers and buttons: then print with Ctrl+P / "
                                  "⌘P. The pickers and this switch wait in the sidebar.")
controls = st.sidebar if print_layout else st
if print_layout:
    st.set_page_config(initial_sidebar_state="collapsed")
if not print_layout:
    st.title("Published OKRs")
    st.caption("What every team committed to, as published. Everyone in the organisation can read, print and "
               "download them.")

keys = ui.cached(quarters.keys)
if not keys:
    ui.empty_state("No quarters exist yet. An admin adds them on the Admin page.")
    st.stop()
# The same defaults for everyone (first team by name, one-team view, current quarter), so an address always opens
# what its sender saw; the person's own team (or, without one, all teams) is a starting choice, not a default.
mine = [t["id"] for t in ui.cached(teams.teams_of, actor.person_id)]
options = [t for t in ui.cached(teams.all_teams) if t["members"]]
options.sort(key=lambda t: t["name"])
if "team" not in st.query_params and mine and st.session_state.get("team") not in [t["id"] for t in options]:
    st.session_state["team"] = mine[0]
if "okrs_view" not in st.query_params and "okrs_view" not in st.session_state and not mine:
    st.session_state["okrs_view"] = okr_view.ALL_TEAMS
with controls.container(horizontal=not print_layout):
    # The default only when the code set no value (giving both makes Streamlit warn on every run).
    view = st.segmented_control("View", VIEWS, key="okrs_view", required=True, bind="query-params",
                                default=None if "okrs_view" in st.session_state else okr_view.ONE_TEAM)
    quarter = ui.quarter_picker()
    team_id = ui.team_picker(options) if view == okr_view.ONE_TEAM else None

if view == okr_view.ALL_TEAMS:
    size = None if print_layout else publications.OVERVIEW_PAGE_SIZE
    first = ui.cached(publications.overview_page, actor, quarter, "", 1, size)
    published = first["published"]
    st.header(f"All teams · OKRs for {quarter}", divider="gray")
    st.caption(f"{published} of {published + len(first['unpublished'])} teams have published, grouped under the "
               "company objective each serves.")
    if not published:
        ui.empty_state(f"No team has published OKRs for {quarter} yet. Leads publish them on the workshop's Publish "
                       "step; pick another quarter to see earlier ones.")
        st.stop()
    data = first
    if first["pages"] > 1 or st.session_state.get("okrs_find"):
        text = st.text_input("Find a team, department or objective", key="okrs_find", placeholder="e.g. Payments")
        found = first if not text else ui.cached(publications.overview_page, actor, quarter, text, 1, size)
        st.caption(f"{found['matching']:,} published OKRs"
                   + (f" match “{fmt.plain(text.strip())}”" if text.strip() else "")
                   + (f", {size} per page." if found["pages"] > 1 else "."))
        page = st.pagination(found["pages"], key="okrs_page") if found["pages"] > 1 else 1
        data = found if page == 1 else ui.cached(publications.overview_page, actor, quarter, text, page, size)
    okr_view.overview(data, quarter, print_layout=print_layout)
    if not print_layout:
        row = st.container(horizontal=True)

        def everything() -> tuple[dict, list[dict]]:
            full = publications.overview(actor, quarter)
            return full, [p["snapshot"] for g in full["groups"] for p in g["okrs"]] + [
                p["snapshot"] for p in full["serving_none"]]

        # Made when clicked: at scale the files cost more than the page.
        row.download_button("Markdown", lambda: exports.quarter_markdown(quarter, everything()[0]).encode("utf-8"),
                            file_name=f"okrs-{quarter.lower()}.md", mime="text/markdown", key="okrs_all_md",
                            icon=":material/download:", on_click="ignore")
        row.download_button("CSV", lambda: exports.csv_bytes(everything()[1]), file_name=f"okrs-{quarter.lower()}.csv",
                            mime="text/csv", key="okrs_all_csv", icon=":material/download:", on_click="ignore")
        row.download_button("Excel (XLSX)", lambda: exports.xlsx_bytes(everything()[1]),
                            file_name=f"okrs-{quarter.lower()}.xlsx",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            key="okrs_all_xlsx", icon=":material/download:", on_click="ignore")
        st.caption("To share this overview, send this link:")
        okr_view.share_link({"okrs_view": okr_view.ALL_TEAMS, "quarter": quarter})
    st.stop()

if team_id is None:
    ui.empty_state("There are no teams yet. An admin creates them on the Admin page.")
    st.stop()
team = teams.get(team_id)
versions = ui.cached(publications.history, actor, team_id, quarter)
if not versions:
    if actor.leads(team_id):
        ui.empty_state(f"{fmt.plain(team['name'])} has not published its OKRs for {quarter} yet. You publish them "
                       "after the key results pass the SMART check.", next_page="pages/workshop_key_results.py",
                       next_label="Go to Key results")
    else:
        ui.empty_state(f"{fmt.plain(team['name'])} has not published its OKRs for {quarter} yet. Their lead "
                       "publishes them from the workshop; check back soon, or pick another team or quarter.")
    st.stop()

chosen = versions[0]
if len(versions) > 1 and not print_layout:
    numbers = [v["version"] for v in versions]
    picked = st.selectbox("Version", numbers, width=320, key=f"okrs_version_{team_id}_{quarter}",
                          format_func=lambda n: f"Version {n}" + (" (latest)" if n == numbers[0] else ""))
    chosen = versions[numbers.index(picked)]
    if chosen is not versions[0]:
        st.info(f"You are reading version {chosen['version']}; version {numbers[0]} is the latest.",
                icon=":material/history:")
if actor.leads(team_id) and not print_layout and publications.unpublished_changes(actor, team_id, quarter):
    st.info("You have edits that are not published yet; this page shows what everyone sees.", icon=":material/edit:")
    st.page_link("pages/workshop_publish.py", label="Review and publish them", icon=":material/campaign:",
                 query_params={"team": team["name"], "quarter": quarter})

okr_view.one_pager(chosen["snapshot"], chosen["changes"])
if print_layout:
    st.stop()
st.divider()
okr_view.downloads(chosen["snapshot"], chosen["changes"], key=f"okrs_download_{team_id}")
st.caption("To share, send this link; it opens this team and quarter for anyone in the organisation. To print or "
           "save as PDF, switch on “Print layout” in the sidebar, then use your browser's Print.")
okr_view.share_link(okr_view.one_pager_params(team["name"], quarter))
if len(versions) > 1:
    with st.expander(f"Version history ({len(versions)} versions)"):
        okr_view.history(versions)
