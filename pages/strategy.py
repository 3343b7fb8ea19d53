"""Strategy: the quarter's foundation for everyone to read; admins edit, reorder, delete and copy forward."""

import streamlit as st

from okrdash import fmt, quarters, strategy, ui

actor = ui.page("strategy")
DELETED_KEY = "strategy_deleted"

st.title("Strategy")
quarter = ui.quarter_picker()
if quarter is None:
    ui.empty_state("No quarters exist yet. An admin adds them on the Admin page.", next_page="pages/admin.py")
    st.stop()

editing = actor.is_admin and st.toggle("Edit", key="strategy_edit", help="Admins add, edit, reorder and delete items.")
st.caption(
    "The context every objective should serve: read it before the survey and the workshop."
    + (" Edit mode is on: changes are visible to everyone at once." if editing else "")
)

deleted = st.session_state.get(DELETED_KEY)
if editing and deleted:
    ui.undo_bar(DELETED_KEY, f"Deleted “{fmt.plain(deleted['title'])}”.", strategy.restore, actor, deleted,
                success="Restored.", icon=":material/delete:", button_key="strategy_undo")

items = strategy.items(quarter)
if not items:
    previous = quarters.previous(quarter)
    ui.empty_state(
        f"There is no strategy for {quarter} yet."
        + (f" Copy {previous}'s items forward below, or add them one by one." if editing else
           " An admin writes it here; until then, ask your lead for the context.")
    )
    if editing and strategy.items(previous) and st.button(f"Copy {previous}'s items into {quarter}", type="primary"):
        ui.act(strategy.copy_forward, actor, quarter, success=f"Copied {previous}'s strategy into {quarter}.",
               rerun=True)

for kind, heading in strategy.PLURAL.items():
    group = [i for i in items if i["kind"] == kind]
    if not group:
        continue
    st.header(heading, divider="gray")
    for index, item in enumerate(group):
        st.markdown(f"#### {fmt.plain(item['title'])}")
        st.markdown(item["body"])  # Markdown by design; raw HTML is never rendered (no unsafe_allow_html)
        if not editing:
            continue
        row = st.container(horizontal=True)
        if row.button("↑", key=f"up_{item['id']}", disabled=index == 0, help="Move up"):
            ui.act(strategy.move, actor, item["id"], -1, rerun=True)
        if row.button("↓", key=f"down_{item['id']}", disabled=index == len(group) - 1, help="Move down"):
            ui.act(strategy.move, actor, item["id"], 1, rerun=True)
        if row.button("Delete", key=f"delete_{item['id']}", icon=":material/delete:"):
            ok, removed = ui.act(strategy.delete, actor, item["id"])
            if ok:
                st.session_state[DELETED_KEY] = removed
                st.rerun()
        with st.expander("Edit this item"), st.form(f"edit_{item['id']}"):
            kind_choice = st.selectbox("Kind", list(strategy.KINDS), index=list(strategy.KINDS).index(kind),
                                       format_func=strategy.KINDS.__getitem__)
            title = st.text_input("Title", value=item["title"])
            body = st.text_area("Body (Markdown)", value=item["body"], height=150)
            if st.form_submit_button("Save changes"):
                ui.act(strategy.update, actor, item["id"], kind=kind_choice, title=title, body=body,
                       success="Saved.", rerun=True)

if editing:
    st.header("Add an item", divider="gray")
    with st.form("strategy_add"):
        kind_choice = st.selectbox("Kind", list(strategy.KINDS), format_func=strategy.KINDS.__getitem__,
                                   key="strategy_add_kind")
        title = st.text_input("Title", placeholder="e.g. Become the default planning tool for mid-market teams",
                              key="strategy_add_title")
        body = st.text_area("Body (Markdown)", height=150, key="strategy_add_body",
                            placeholder="Why this matters, how we will know, what it rules out.")
        if st.form_submit_button("Add", type="primary"):
            ui.act(strategy.add, actor, quarter, kind_choice, title, body, success="Added.", rerun=True,
                   clear=["strategy_add_title", "strategy_add_body"])
