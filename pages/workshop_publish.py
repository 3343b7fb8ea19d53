"""Workshop, publish: freeze the team's OKR as a new version everyone in the organisation can read, with a change
log from the second version on."""

import streamlit as st

from okrdash import exports, fmt, key_results, publications, teams, ui
from okrdash.smart import team_report
from okrdash.ui import okr_view

actor = ui.page("workshop")
st.title("Publish")
team_id, quarter = ui.workshop.header(actor, "publish")
lead = actor.leads(team_id) and key_results.is_open(quarter)
report = ui.cached(team_report.report, actor, team_id, quarter)
if report.objective is None:
    who = "You choose it" if lead else "Your lead chooses it"
    ui.empty_state(f"Choose the objective first, then write its key results. {who} on the Create focus step.",
                   next_page="pages/workshop_focus.py", next_label="Go to Create focus")
    st.stop()

latest = ui.cached(publications.latest, actor, team_id, quarter)
pending = ui.cached(publications.unpublished_changes, actor, team_id, quarter) if latest else None
one_pager_link = okr_view.one_pager_params(teams.get(team_id)["name"], quarter)
if latest:
    snap = latest["snapshot"]
    st.success(f"Published for {quarter}: {fmt.plain(exports.published_line(snap))}.", icon=":material/verified:")
    st.page_link("pages/okrs.py", label="Open the published one-pager", icon=":material/description:",
                 query_params=one_pager_link)

blockers = report.blockers
next_version = (latest["version"] if latest else 0) + 1
if blockers:
    st.warning(f"Not ready to publish yet: {len(blockers)} thing(s) to fix on the Key results step.",
               icon=":material/pending:")
    st.markdown("\n".join(f"- {fmt.plain(b)}" for b in blockers))
    st.page_link("pages/workshop_key_results.py", label="Fix them on the Key results step", icon=":material/edit:")
elif latest and not pending:
    st.info(f"Nothing changed since version {latest['version']}. Edit the objective or its key results, and "
            f"publish again here to make version {next_version}.", icon=":material/check:")
else:
    st.header(f"Publish version {next_version}", divider="gray")
    advice = [f"KR {n} “{kr['title']}” — {v.name}: {v.reason}" for n, kr in enumerate(report.key_results, start=1)
              for v in report.checks[kr["id"]].warnings]
    advice += [f"Objective — {v.name}: {v.reason}" for v in report.objective_check.warnings]
    if advice:
        with st.expander(f"The SMART check still has {len(advice)} piece(s) of advice — they don't block "
                         "publishing"):
            st.markdown("\n".join(f"- {fmt.plain(a)}" for a in advice))
    if pending:
        st.markdown(f"**Changes since version {latest['version']}**")
        st.markdown("\n".join(f"- {fmt.plain(line)}" for line in pending))
    if lead:
        with st.form("publish_form"):
            note = st.text_area(
                "Note for the change log" + (" (optional)" if not latest else ""), key="publish_note", height=80,
                placeholder="Why it changed, for everyone reading the new version." if latest else
                "Anything the organisation should know, e.g. who to ask about it.")
            st.caption("Publishing freezes this version: everyone in the organisation can read it, download it and "
                       "see its history. Later edits become the next version; this one stays as it is.")
            if st.form_submit_button(f"Publish version {next_version}", type="primary", icon=":material/campaign:"):
                ok, version = ui.act(publications.publish, actor, team_id, quarter, note, clear=["publish_note"])
                if ok:
                    ui.flash(f"Published version {version}. Everyone in the organisation can read it now; share the "
                             "one-pager link or download it from there.")
                    st.session_state["okrs_view"] = okr_view.ONE_TEAM  # team and quarter pickers carry over
                    st.switch_page("pages/okrs.py")
    elif actor.leads(team_id):
        st.caption(f"{quarter} has ended, so it can no longer be published.")
    else:
        st.caption("Only the lead publishes. What will be published is below.")

preview = ui.cached(publications.preview, actor, team_id, quarter)
if preview and (blockers or pending or not latest):
    st.header("Preview: what the organisation will see", divider="gray")
    with st.container(border=True):
        okr_view.one_pager(preview, pending or (), preview=True)

versions = ui.cached(publications.history, actor, team_id, quarter)
if versions:
    st.header("Version history", divider="gray")
    okr_view.history(versions)
