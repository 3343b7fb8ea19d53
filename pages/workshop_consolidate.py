"""Workshop, step 2 — consolidate: the idea wall. Every objective idea from the survey and the room (pinned ones
first, then the lead's groups), suggested duplicate groups to merge (with undo), each idea's provenance, and ideas
added live from members' laptops. The lead merges, pins and groups; members add and read."""

import streamlit as st

from okrdash import fmt, ideas, rounds, similarity, strategy, ui, voice
from okrdash.live import wall
from okrdash.ui import idea_views, wall_views

actor = ui.page("workshop")
st.title("Workshop")
team_id, quarter = ui.workshop.header(actor, "consolidate")
leads = actor.leads(team_id)
editable = ui.cached(ideas.is_open_quarter, quarter)
sealed = ui.workshop.sealed(team_id, quarter)
board = ui.cached(wall.board, actor, team_id, quarter, sealed)
standing = [idea for _, items, _ in wall_views.sections(board) for idea in items]  # in wall order
on_screen = ui.live.on_screen(actor, team_id, quarter, "idea")
LAST_MERGE, REMOVED, UNDO_ASK = "consolidate_last_merge", "consolidate_removed", "consolidate_undo_ask"

st.header("2 · Consolidate ideas")
if not editable:
    st.info(f"{quarter} has ended: this is the record of its workshop, read-only.", icon=":material/history:")
elif leads:
    st.caption("Merge ideas that say the same thing, so votes don't split between them. Every author and their "
               "words stay with the merged idea, and a merge can be undone.")
else:
    st.caption("Your lead merges ideas that say the same thing; every author and their words stay with the merged "
               "idea. Add an idea of your own at the bottom — voting comes on the next step.")

if (leads or actor.manages_team(team_id)) and editable:
    idea_views.voice_panel(ui.cached(voice.balance, actor, team_id, quarter), focus="ideas")
survey = ui.workshop.survey(team_id, quarter)
if survey and survey["open"] and not survey["sealed"] and editable:
    st.info(f"The survey is still open until {fmt.day(survey['deadline'])}: answers that arrive later appear here "
            "too.", icon=":material/schedule:")

# Undo of what was just done: cheap, so offered right away.
last = st.session_state.get(LAST_MERGE)
if last and leads and editable:
    ui.undo_bar(LAST_MERGE, f"Merged {last['count']} ideas into “{fmt.plain(last['title'])}”.", ideas.undo_merge,
                actor, last["merge_id"], success="Merge undone: the ideas stand on their own again.",
                icon=":material/merge:", done=True, button_key="consolidate_undo_last")
removed = st.session_state.get(REMOVED)
if removed and editable:
    ui.undo_bar(REMOVED, f"Removed “{fmt.plain(removed['title'])}”.", ideas.restore, actor, removed["id"],
                success=f"“{fmt.plain(removed['title'])}” is back.", icon=":material/delete:",
                button_key="consolidate_undo_remove")


def merge(ids: list[int], title: str) -> None:
    ok, result_id = ui.act(ideas.merge, actor, ids, title)
    if ok:
        st.session_state[LAST_MERGE] = {"merge_id": ideas.merge_id_of(result_id), "title": title.strip(),
                                        "count": len(ids)}
        st.session_state.pop(REMOVED, None)
        st.rerun()


def card(idea: dict) -> None:
    """One idea: its title and provenance, and what the lead (or its own author, for a live idea) may do."""
    with st.container(border=True):
        own_live = idea["source"] == "workshop" and idea["author_id"] == actor.person_id
        text, actions = st.columns([5, 1], vertical_alignment="top") if editable and (leads or own_live) \
            else (st.container(), st.container())
        text.markdown(f"{wall_views.title_line(idea, on_screen)}  \n:small[:gray[{idea_views.provenance(idea)}]]")
        if editable and leads:
            wall_views.pin_button(actions, actor, idea)
        ask_key = f"{UNDO_ASK}_{idea['id']}"
        if editable and leads and idea["merge_id"]:
            if actions.button("Undo merge", key=f"consolidate_undo_{idea['id']}", icon=":material/call_split:",
                              type="tertiary"):
                st.session_state[ask_key] = True
            with actions.popover("Reword", icon=":material/edit:", type="tertiary"), \
                    st.form(f"consolidate_reword_{idea['id']}", border=False):
                new_title = st.text_input("Title of the merged idea", value=idea["title"], max_chars=200)
                if st.form_submit_button("Save"):
                    ui.act(ideas.rename, actor, idea["id"], new_title, success="Reworded.", rerun=True)
        elif editable and (leads or own_live) and actions.button(
                "Remove", key=f"consolidate_remove_{idea['id']}", icon=":material/delete:", type="tertiary",
                help="Take it off the table; you can undo this."):
            ok, gone = ui.act(ideas.remove, actor, idea["id"])
            if ok:
                st.session_state[REMOVED] = {"id": gone["id"], "title": gone["title"]}
                st.rerun()
        if editable and leads and idea["merge_id"]:
            listed = ui.cached(rounds.rounds_listing, actor, idea["id"])
            names = fmt.names([f"“{fmt.plain(r['title'])}”" + (" (open)" if r["is_open"] else "") for r in listed])
            warning = (f" It is on the ballot of {names}: votes cast on it are set aside (kept, no longer counted), "
                       "and voters in an open round can vote again on the separate ideas.") if listed else ""
            answer = idea_views.confirm(
                ask_key, f"Undo this merge? The {len(idea['contributions'])} ideas stand on their own again and "
                         f"“{fmt.plain(idea['title'])}” goes away.{warning}", yes="Undo the merge")
            if answer:
                ui.act(ideas.undo_merge, actor, idea["merge_id"], success="Merge undone: the ideas stand on their "
                       "own again.", rerun=True)
        count = len(idea["contributions"])
        origin = st.expander(f"Where it came from ({count} ideas)" if count > 1 else "The problem it solves, why now",
                             key=f"consolidate_origin_{idea['id']}", on_change="rerun")
        if origin.open:  # drawn when opened: a table of thirty ideas would otherwise draw every text each run
            with origin:
                idea_views.contributions(idea)


# Sections whose length varies each sit in a container of their own, so what follows keeps its place in the
# page: a live redraw that adds an idea then leaves the form below alone, and whoever types there keeps focus.
with st.container():
    if leads and editable and len(standing) >= 2:
        st.subheader("Suggested duplicates")
        threshold = st.slider("How alike ideas must read to be suggested (%)", similarity.MIN_THRESHOLD,
                              similarity.MAX_THRESHOLD, similarity.DEFAULT_THRESHOLD, step=5,
                              key="consolidate_threshold",
                              help="Fuzzy matching of titles (and the problems they solve). Lower finds looser "
                                   "matches; higher only near-identical wording.")
        dismissed = st.session_state.setdefault("consolidate_dismissed", set())
        groups = [g for g in ui.cached(ideas.suggestions, actor, team_id, quarter, threshold, sealed)
                  if tuple(i["id"] for i in g["ideas"]) not in dismissed]
        if not groups:
            st.caption("No likely duplicates at this level. Lower it to see looser matches, or merge by hand below.")
        for group in groups:
            ids = tuple(i["id"] for i in group["ideas"])
            key = "_".join(map(str, ids))
            with st.container(border=True):
                alike = f"{group['low']:.0f}%" if round(group["low"]) == round(group["high"]) else \
                    f"{group['low']:.0f}–{group['high']:.0f}%"
                st.markdown(f"**{len(ids)} ideas read {alike} alike**")
                with st.form(f"consolidate_group_{key}", border=False):
                    members = idea_views.unique_labels({i["id"]: f"{i['title']} — {idea_views.authors_text(i)}"
                                                        for i in group["ideas"]})
                    chosen = st.multiselect("Ideas to merge", list(members), default=list(members),
                                            format_func=members.__getitem__, key=f"consolidate_pick_{key}",
                                            help="Take out any idea that is not really the same.")
                    title = st.text_input("Title of the merged idea", value=group["title"], max_chars=200,
                                          key=f"consolidate_title_{key}",
                                          help="Defaults to the wording the others read most like; edit it freely.")
                    if st.form_submit_button("Merge into one idea", type="primary", icon=":material/merge:"):
                        merge(chosen, title)
                if st.button("Not duplicates", key=f"consolidate_dismiss_{key}",
                             help="Hide this suggestion for the rest of your session."):
                    dismissed.add(ids)
                    st.rerun()
        # Widgets keyed by the number of ideas: after a merge the form starts afresh, in the browser too.
        with st.expander("Merge ideas by hand"), st.form("consolidate_manual"):
            picked = st.multiselect("Ideas to merge", [i["id"] for i in standing],
                                    key=f"consolidate_manual_ideas_{len(standing)}",
                                    format_func=idea_views.idea_labels(standing).__getitem__,
                                    placeholder="Pick two or more ideas")
            title = st.text_input("Title of the merged idea", max_chars=200,
                                  key=f"consolidate_manual_title_{len(standing)}",
                                  placeholder="The clearest wording of what they share")
            if st.form_submit_button("Merge", icon=":material/merge:"):
                merge(picked, title)

with st.container():
    st.subheader(f"Ideas on the table ({len(standing)})")
    if not standing and not editable:
        ui.empty_state(f"No objective ideas were recorded for {quarter}.")
    elif not standing:
        ui.empty_state(f"No objective ideas for {quarter} yet. They arrive from the team's survey, or add one below.",
                       next_page="pages/survey_manage.py" if leads else None, next_label="Open the team's survey")
    if leads and editable and standing:
        wall_views.group_form(actor, standing, board["group_names"], idea_views.idea_labels(standing))
    for heading, items, group in wall_views.sections(board):
        wall_views.heading(actor, team_id, quarter, heading, items, group, lead=leads and editable)
        for idea in items:
            card(idea)

    if standing:
        ui.download_table(idea_views.ideas_table(standing), f"ideas-{quarter}", key="consolidate_download")

if editable and actor.is_member(team_id):
    st.subheader("Add an idea")
    anonymous_team = ui.cached(ideas.survey_is_anonymous, team_id, quarter)
    st.caption("It goes on everyone's wall at once" + (": anonymously, as this team's survey is anonymous."
                                                        if anonymous_team else ", with your name, as in the survey."))
    items = ui.cached(strategy.linkable_items, quarter)
    with st.form("consolidate_add"):
        title = st.text_input("Objective idea", max_chars=200, key="consolidate_add_title",
                              placeholder="e.g. New accounts send their first invoice on day one")
        problem = st.text_area("The problem it solves", key="consolidate_add_problem", height=80)
        why_now = st.text_area("Why now", key="consolidate_add_why", height=80)
        link = st.selectbox("Serves", [None, *[i["id"] for i in items]], key="consolidate_add_link",
                            format_func=lambda i: "Not linked" if i is None else strategy.label(
                                next(x for x in items if x["id"] == i)))
        if st.form_submit_button("Add idea", icon=":material/add:"):
            ui.act(wall.add, actor, team_id, quarter, title=title, problem=problem, why_now=why_now,
                   strategy_item_id=link, success="Idea added.", rerun=True,
                   clear=["consolidate_add_title", "consolidate_add_problem", "consolidate_add_why"])

if leads or actor.manages_team(team_id):
    history = ui.cached(ideas.merges, actor, team_id, quarter)
    if history:
        with st.expander(f"Merge history ({len(history)})"):
            for m in history:
                state = f" — undone {fmt.day(m['undone_at'])}" if m["undone_at"] else ""
                members = f": {fmt.names(m['members'])}" if m["members"] else ""
                st.markdown(f"- {fmt.day(m['merged_at'])}, {fmt.plain(m['merged_by_name'] or 'someone')} merged "
                            f"into **{fmt.plain(m['title'])}**{fmt.plain(members)}{state}")

if standing:
    st.page_link("pages/workshop_rank.py", label="Next: rank the ideas", icon=":material/arrow_forward:")
