"""Workshop, step 4 — create focus: the lead makes exactly one idea the team's objective for the quarter (title,
why it matters, the strategy it serves) and writes down what is deprioritized, with a reason each."""

import pandas as pd
import streamlit as st

from okrdash import fmt, ideas, objectives, rounds, strategy, ui
from okrdash.ui import idea_views

actor = ui.page("workshop")
st.title("Workshop")
team_id, quarter = ui.workshop.header(actor, "focus")
leads = actor.leads(team_id)
editable = ui.cached(ideas.is_open_quarter, quarter)
acting = leads and editable
REMOVED = "focus_removed"

st.header("4 · Create focus")
st.caption("One objective per team per quarter: focus means saying no to good ideas. Choose it, say why it matters "
           "and what it serves, then write down what you deprioritize.")
if not editable:
    st.info(f"{quarter} has ended: this is the record of its workshop, read-only.", icon=":material/history:")

objective = ui.cached(objectives.current, actor, team_id, quarter)
sealed = ui.workshop.sealed(team_id, quarter)
standing = ui.cached(ideas.objective_ideas, actor, team_id, quarter, sealed)
by_id = {i["id"]: i for i in standing}
winner = ui.cached(rounds.winner, actor, team_id, quarter)
items = ui.cached(strategy.linkable_items, quarter)
item_ids = [None, *[i["id"] for i in items]]


def item_label(item_id: int | None) -> str:
    return "Not linked" if item_id is None else strategy.label(next(i for i in items if i["id"] == item_id))


def objective_form(key: str, idea: dict, *, title: str, why: str, link: int | None, submit: str,
                   confirm: str | None = None) -> tuple[bool, str, str, int | None, bool]:
    """Title, why and link fields; returns (submitted, title, why, link, confirmed)."""
    with st.form(key):
        new_title = st.text_input("Objective", value=title, max_chars=200, key=f"{key}_title",
                                  help="An outcome in words, inspiring and qualitative; the key results carry the "
                                       "numbers.")
        new_why = st.text_area("Why it matters", value=why, height=110, key=f"{key}_why")
        index = item_ids.index(link) if link in item_ids else 0
        new_link = st.selectbox("Serves", item_ids, index=index, format_func=item_label, key=f"{key}_link",
                                help="The company objective or strategy it serves; unlinked objectives show as "
                                     "such on the alignment map.")
        confirmed = st.checkbox(confirm, key=f"{key}_confirm") if confirm else True
        pressed = st.form_submit_button(submit, type="primary", icon=":material/center_focus_strong:")
    return pressed, new_title, new_why, new_link, confirmed


def idea_why(idea: dict) -> str:
    return "\n\n".join(part for part in (idea.get("problem"), idea.get("why_now")) if part)


def idea_picker(key: str, default: int | None) -> dict | None:
    ids = list(by_id)
    names = idea_views.idea_labels(standing)
    marks = {i: names[i] + (" — top of the vote" if winner and i == winner["id"] else "") for i in ids}
    index = ids.index(default) if default in ids else 0
    chosen = st.selectbox("Idea to build the objective on", ids, index=index, format_func=marks.__getitem__, key=key)
    return by_id.get(chosen)


st.subheader("The objective")
if objective is not None:
    with st.container(border=True):
        st.markdown(f"### {fmt.plain(objective['title'])}")
        if objective["why"]:
            st.markdown(fmt.plain(objective["why"]))
        if objective["strategy_title"]:
            kind = strategy.KINDS[objective["strategy_kind"]].lower()
            st.markdown(f"Serves the {kind} **{fmt.plain(objective['strategy_title'])}**")
        else:
            st.markdown("Not linked to the strategy yet" + (": link it so everyone sees what it serves." if acting
                                                            else "."))
        status = "published" if objective["status"] == "published" else "draft, not published yet"
        st.caption(f"From the idea “{fmt.plain(objective['idea_title'] or '—')}” · chosen by "
                   f"{fmt.plain(objective['created_by_name'] or '—')}"
                   f" · {status} · {objective['key_results']} key results")
    if acting:
        with st.expander("Edit the wording"):
            pressed, title, why, link, _ = objective_form(
                "focus_edit", {}, title=objective["title"], why=objective["why"], link=objective["strategy_item_id"],
                submit="Save changes")
            if pressed:
                ui.act(objectives.update, actor, team_id, quarter, title=title, why=why, strategy_item_id=link,
                       success="Objective saved.", rerun=True)
        with st.expander("Replace it with another idea"):
            krs = objective["key_results"]
            kept = f" The {krs} key result{'s' * (krs != 1)} written for it stay attached: review them next." \
                if krs else ""
            published = " It is published, so it goes back to draft until you publish again." \
                if objective["status"] == "published" else ""
            st.caption(f"A team has one objective per quarter, so choosing another replaces this one.{kept}"
                       f"{published}")
            if standing:
                idea = idea_picker("focus_replace_idea", winner["id"] if winner else None)
                pressed, title, why, link, confirmed = objective_form(
                    f"focus_replace_{idea['id']}", idea, title=idea["title"], why=idea_why(idea),
                    link=idea["strategy_item_id"], submit="Replace the objective",
                    confirm=f"Yes, replace “{fmt.plain(objective['title'])}”")
                if pressed and not confirmed:
                    st.error("Tick the box to confirm the replacement; nothing was changed.", icon=":material/error:")
                elif pressed:
                    ui.act(objectives.replace, actor, team_id, quarter, idea_id=idea["id"], title=title, why=why,
                           strategy_item_id=link, success="Objective replaced.", rerun=True)
elif acting and not standing:
    ui.empty_state("There are no ideas to choose from yet. Add or restore ideas on the Consolidate step.",
                   next_page="pages/workshop_consolidate.py", next_label="Go to Consolidate ideas")
elif acting:
    if winner:
        st.info(f"“{fmt.plain(winner['title'])}” came top in the round “{fmt.plain(winner['round'])}”, so it is "
                "pre-selected. Choose "
                "another idea if the discussion says so.", icon=":material/emoji_events:")
    elif any(r["is_open"] for r in ui.cached(rounds.rounds_of, actor, team_id, quarter)):
        st.info("The ranking round is still open. Close it on the Rank step to see which idea came top.",
                icon=":material/how_to_vote:")
    idea = idea_picker("focus_idea", winner["id"] if winner else None)
    pressed, title, why, link, _ = objective_form(
        f"focus_select_{idea['id']}", idea, title=idea["title"], why=idea_why(idea), link=idea["strategy_item_id"],
        submit="Make this our objective")
    if pressed:
        ui.act(objectives.select, actor, team_id, quarter, idea_id=idea["id"], title=title, why=why,
               strategy_item_id=link, success="This is the team's objective for the quarter.", rerun=True)
else:
    top = f" “{fmt.plain(winner['title'])}” came top of the vote." if winner else ""
    ui.empty_state(f"The lead has not chosen the objective for {quarter} yet.{top}")

st.subheader("Deprioritized")
st.caption("Good ideas the team is explicitly not doing this quarter, and why. Naming them protects the focus; next "
           "quarter's survey offers them again as candidates.")
removed = st.session_state.get(REMOVED)
if removed and acting:
    ui.undo_bar(REMOVED, f"Took “{fmt.plain(removed['title'])}” off the list.", objectives.restore_deprioritized,
                actor, removed["id"], success="Back on the list.", icon=":material/delete:",
                button_key="focus_undo_remove")
# A list of varying length in a container of its own: a live redraw leaves the form below in place.
with st.container():
    listed = ui.cached(objectives.deprioritized, actor, team_id, quarter)
    if not listed:
        ui.empty_state("Nothing is deprioritized yet."
                       + (" Add the ideas you are saying no to below." if acting else ""))
    for item in listed:
        with st.container(border=True):
            text, action = st.columns([6, 1], vertical_alignment="center")
            text.markdown(f"**{fmt.plain(item['title'])}**  \n{fmt.plain(item['reason'])}")
            if acting and action.button("Remove", key=f"focus_remove_{item['id']}", icon=":material/delete:"):
                ok, gone = ui.act(objectives.remove_deprioritized, actor, item["id"])
                if ok:
                    st.session_state[REMOVED] = {"id": gone["id"], "title": gone["title"]}
                    st.rerun()
    if listed:
        ui.download_table(pd.DataFrame([{"Deprioritized": i["title"], "Reason": i["reason"]} for i in listed]),
                          f"deprioritized-{quarter}", key="focus_download")

if acting:
    st.markdown("**Add to the list**")
    candidates = ui.cached(objectives.deprioritize_candidates, actor, team_id, quarter, sealed)
    options = [None, *range(len(candidates))]
    choices = idea_views.unique_labels({n: f"{c['title']} ({c['kind']})" for n, c in enumerate(candidates)})
    # Keyed by the list's length: after each add the picker starts afresh at "type it" (popping the key of a
    # widget that stays on screen would leave the browser showing the old choice).
    source = st.selectbox("What are you saying no to?", options, key=f"focus_source_{len(listed)}",
                          format_func=lambda n: "Something else — type it" if n is None else choices[n])
    picked = None if source is None else candidates[source]
    variant = "typed" if picked is None else str(picked["id"])
    with st.form(f"focus_add_{variant}"):
        title = st.text_input("What you deprioritize", max_chars=200, key=f"focus_add_title_{variant}",
                              value="" if picked is None else picked["title"], disabled=picked is not None)
        reason = st.text_area("Why not this quarter", value="" if picked is None else picked["reason"],
                              key=f"focus_add_reason_{variant}", height=80)
        if st.form_submit_button("Add to the list", icon=":material/playlist_remove:"):
            idea_id = picked["id"] if picked and picked["kind"] == "objective idea" else None
            ui.act(objectives.deprioritize, actor, team_id, quarter, title=picked["title"] if picked else title,
                   reason=reason, idea_id=idea_id, success="Added to the deprioritized list.", rerun=True,
                   clear=[f"focus_add_title_{variant}", f"focus_add_reason_{variant}"])

if objective is not None:
    st.page_link("pages/workshop_key_results.py", label="Next: key results for the objective",
                 icon=":material/arrow_forward:")
