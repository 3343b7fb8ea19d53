"""Workshop, key results: brainstorm from the team's key-result ideas, then write two to five key results and refine
them with the SMART check beside each as the lead types."""

import streamlit as st

from okrdash import fmt, key_results, kr_ideas, publications, quarters, teams, ui
from okrdash.smart import team_report
from okrdash.ui import kr_editor, kr_paste

actor = ui.page("workshop")
IDEA_REMOVED_KEY = "krs_idea_removed"

st.title("Key results")
team_id, quarter = ui.workshop.header(actor, "key_results")
open_quarter = ui.cached(key_results.is_open, quarter)
lead = actor.leads(team_id) and open_quarter
report = ui.cached(team_report.report, actor, team_id, quarter)
objective = report.objective
if objective is None:
    who = "You choose it" if lead else "Your lead chooses it"
    ui.empty_state(f"Choose the objective first: key results belong to it. {who} on the Create focus step.",
                   next_page="pages/workshop_focus.py", next_label="Go to Create focus")
    st.stop()

with st.container(border=True):
    st.caption(f"Objective for {quarter}")
    st.markdown(f"### {fmt.plain(objective['title'])}")
    if objective["why"]:
        st.markdown(fmt.plain(objective["why"]))
    link = key_results.strategy_link(objective)
    if link:
        st.markdown(f":material/flag: Serves **{fmt.plain(link)}**")
    else:
        st.markdown(":red[:material/link_off: Not linked to a company objective or strategy item] — every key "
                    "result fails Relevant until it is.")
    kr_editor.badges(report.objective_check, named=True)
    if report.objective_check.level != "pass":
        with st.expander("What the objective check says", expanded=bool(report.objective_check.failing)):
            kr_editor.verdicts(report.objective_check, compact=True)
    if lead:
        st.page_link("pages/workshop_focus.py", label="Edit the objective on Create focus", icon=":material/edit:")

if actor.leads(team_id) and not lead:
    st.info(f"{quarter} has ended, so its key results are history and can no longer change. Pick the quarter you "
            "are planning to edit.", icon=":material/history:")

latest = ui.cached(publications.latest, actor, team_id, quarter)
pending = ui.cached(publications.unpublished_changes, actor, team_id, quarter) if latest else None
if latest:
    if pending:
        st.info(f"Version {latest['version']} is published. {len(pending)} change(s) below are not visible to the "
                "organisation until you publish again.", icon=":material/edit_note:")
        st.page_link("pages/workshop_publish.py", label="Review and publish the changes", icon=":material/campaign:")
    else:
        st.success(f"Version {latest['version']} is published and matches what you see here.",
                   icon=":material/verified:")

krs = report.key_results
members = ui.cached(teams.members, team_id)
quarter_row = {**ui.cached(quarters.get, quarter), "key": quarter}

st.header(f"Key results · {len(krs)} of {key_results.LIMIT}", divider="gray")
st.caption("Two to five key results that together prove the objective. Each shows its SMART letters: green passes, "
           "orange warns (advice), red fails and blocks publishing. Hover a letter for the reason.")
removed = st.session_state.get(kr_editor.ARCHIVED_KEY)
if removed and lead:
    ui.undo_bar(kr_editor.ARCHIVED_KEY, f"Archived “{fmt.plain(removed['title'])}”. Its check-ins, if any, are kept.",
                key_results.restore, actor, removed["id"], success=f"Restored “{fmt.plain(removed['title'])}”.",
                icon=":material/archive:", button_key="krs_undo_archive")
# Lists of varying length each in a container of their own: a live redraw (a member adds an idea) leaves the
# editors below in place, and whoever types there keeps focus.
with st.container():
    if not krs:
        ui.empty_state("No key results yet. " + ("Start from the team's ideas below (“Use as a key result”), or "
                                                 "write one in “Add a key result”." if lead else
                                                 "The lead writes them here; add your ideas below."))
    for position, kr in enumerate(krs, start=1):
        kr_editor.kr_card(actor, kr, position, len(krs), members, quarter_row, report.context, editable=lead)
    archived = ui.cached(key_results.archived, actor, team_id, quarter) if lead else []
    if archived:
        with st.expander(f"Archived key results ({len(archived)})"):
            for old in archived:
                left, right = st.columns([5, 1], vertical_alignment="center")
                left.markdown(f"{fmt.plain(old['title'])} · {fmt.plain(key_results.describe(old))}")
                if right.button("Restore", key=f"krs_restore_{old['id']}"):
                    ui.act(key_results.restore, actor, old["id"], success=f"Restored “{fmt.plain(old['title'])}”.",
                           rerun=True)

st.header("Brainstorm: key-result ideas", divider="gray")
st.caption("Starting points: what members proposed in the survey under the chosen idea (and the ideas merged into "
           "it), plus ideas added here during the workshop.")
gone = st.session_state.get(IDEA_REMOVED_KEY)
if gone:
    ui.undo_bar(IDEA_REMOVED_KEY, f"Removed the idea “{fmt.plain(gone['title'])}”.", kr_ideas.restore, actor,
                gone["ids"], success="Idea restored.", icon=":material/delete:", button_key="krs_undo_idea")
with st.container():
    ideas = ui.cached(kr_ideas.ideas, actor, team_id, quarter, ui.workshop.sealed(team_id, quarter))
    if not ideas:
        ui.empty_state("No key-result ideas yet. Add the first one: which number would prove the objective?")
    positions = {kr["id"]: position for position, kr in enumerate(krs, start=1)}
    drafting = bool(str(st.session_state.get(f"{kr_editor.NEW}_title") or "").strip())  # never overwrite a draft
    for idea in ideas:
        with st.container(border=True):
            left, right = st.columns([5, 2], vertical_alignment="center")
            times = f" · proposed {idea['count']}×" if idea["count"] > 1 else ""
            left.markdown(f"**{fmt.plain(idea['title'])}**{times}")
            numbers = f"{idea['metric']}: {fmt.number(idea['baseline'], idea['unit'])} → " \
                      f"{fmt.number(idea['target'], idea['unit'])}" \
                if idea["metric"] or idea["target"] is not None else ""
            origin = " and ".join(f"the {s}" for s in idea["sources"])
            left.caption(" · ".join(fmt.plain(p) for p in (numbers, f"by {fmt.names(idea['authors'])}",
                                                           f"from {origin}") if p))
            buttons = right.container(horizontal=True, horizontal_alignment="right")
            if idea["kr_id"] in positions:
                buttons.badge(f"Key result {positions[idea['kr_id']]}", icon=":material/check:", color="green")
            elif lead and buttons.button("Use as a key result", key=f"krs_use_{idea['id']}", icon=":material/east:",
                                         disabled=drafting, help="Add or clear the key result you are writing in “Add "
                                                                 "a key result” first." if drafting else None):
                ok, prefill = ui.act(kr_ideas.draft_from, actor, idea["id"])
                if ok:
                    kr_editor.seed(kr_editor.NEW, prefill, f"idea-{idea['id']}")
                    st.session_state[kr_editor.OPEN_NEW] = True
                    ui.flash(f"“{fmt.plain(idea['title'])}” is in “Add a key result” below: review it, then add it.")
                    st.rerun()
            mine = open_quarter and "workshop" in idea["sources"] and actor.person_id in idea["author_ids"]
            if (lead or mine) and buttons.button("Remove", key=f"krs_remove_idea_{idea['id']}",
                                                 icon=":material/delete:", type="tertiary"):
                ok, removed_ids = ui.act(kr_ideas.remove, actor, idea["ids"])
                if ok:
                    st.session_state[IDEA_REMOVED_KEY] = {"ids": removed_ids, "title": idea["title"]}
                    st.rerun()

if open_quarter:
    with st.expander("Add an idea", expanded=not lead and not ideas), st.form("krs_idea_form"):
        title = st.text_input("Idea", key="krs_idea_title", placeholder="e.g. Trials sending an invoice in week one")
        metric_col, unit_col, base_col, target_col = st.columns([3, 1, 1, 1])
        metric = metric_col.text_input("Metric (optional)", key="krs_idea_metric")
        unit = unit_col.text_input("Unit", key="krs_idea_unit")
        baseline = base_col.text_input("Baseline", key="krs_idea_baseline")
        target = target_col.text_input("Target", key="krs_idea_target")
        if st.form_submit_button("Add idea", icon=":material/add:"):
            ui.act(kr_ideas.add, actor, team_id, quarter, title, metric=metric, unit=unit, baseline=baseline,
                   target=target, success="Idea added.", rerun=True,
                   clear=["krs_idea_title", "krs_idea_metric", "krs_idea_unit", "krs_idea_baseline", "krs_idea_target"])

if lead:
    kr_editor.new_kr_card(actor, team_id, quarter_row, members, report.context, count=len(krs))
    kr_paste.paste_card(actor, team_id, quarter_row, report.context, count=len(krs))
elif open_quarter:
    st.caption("Only the lead turns ideas into key results; your ideas above are what they start from.")

st.divider()
if latest and not pending:
    st.caption(f"Published as version {latest['version']}; nothing new to publish.")
elif report.publishable:
    ready = f"Ready to publish: {len(krs)} key results and no failing SMART letter."
    if lead:
        st.success(ready, icon=":material/verified:")
        st.page_link("pages/workshop_publish.py", label="Next: publish", icon=":material/campaign:")
    else:
        st.success(f"{ready} The lead publishes them on the Publish step.", icon=":material/verified:")
else:
    blockers = report.blockers
    st.warning(f"Not ready to publish yet: {len(blockers)} thing(s) to fix.", icon=":material/pending:")
    st.markdown("\n".join(f"- {fmt.plain(b)}" for b in blockers[:6])
                + (f"\n- … and {len(blockers) - 6} more" if len(blockers) > 6 else ""))
