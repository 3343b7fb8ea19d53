"""The idea wall on the Consolidate step (okrdash.live.wall): sections (pinned, each group, the rest), the lead's
pin and group controls on each idea, and the mark of the idea the presenter shows the room."""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import auth, fmt
from okrdash.live import wall
from okrdash.ui.widgets import act

ON_SCREEN = ":blue-badge[:material/highlight: On screen]"


def sections(board: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]], str | None]]:
    """(heading, ideas, group name) in wall order; the heading is Markdown, empty for an ungrouped wall."""
    found: list[tuple[str, list[dict[str, Any]], str | None]] = []
    if board["pinned"]:
        found.append((":material/push_pin: Pinned", board["pinned"], None))
    found += [(f":material/workspaces: {fmt.plain(g['name'])}", g["ideas"], g["name"]) for g in board["groups"]]
    if board["loose"]:
        found.append(("Not grouped" if found else "", board["loose"], None))
    return found


def heading(actor: auth.Actor, team_id: int, quarter: str, title: str, items: list[dict[str, Any]],
            group: str | None, *, lead: bool) -> None:
    """A section's heading; a group's has the lead's "Merge this group" (consolidation: undoable, authors kept)."""
    if not title:
        return
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(f"#### {title} ({len(items)})", width="stretch")
    if lead and group and len(items) >= 2 and row.button(
            "Merge this group", key=f"wall_merge_{group}", icon=":material/merge:", type="tertiary",
            help=f"One idea titled “{group}”, with every author and their words; a merge can be undone."):
        act(wall.merge_group, actor, team_id, quarter, group, success=f"Merged the group into “{group}”.",
            rerun=True)


def pin_button(where: Any, actor: auth.Actor, idea: dict[str, Any]) -> None:
    """Pin or unpin, for the lead: pinned ideas lead the wall, here and on the big screen."""
    if where.button("Unpin" if idea["pinned"] else "Pin", key=f"wall_pin_{idea['id']}", type="tertiary",
                    icon=":material/keep_off:" if idea["pinned"] else ":material/keep:",
                    help="Pinned ideas lead the wall, here and on the big screen."):
        act(wall.pin, actor, idea["id"], not idea["pinned"], rerun=True)


def group_form(actor: auth.Actor, standing: list[dict[str, Any]], groups: list[str], labels: dict[int, str]) -> None:
    """The lead groups ideas that belong together: pick them, name the group (or pick one), or take them out."""
    with st.expander("Group ideas on the wall", icon=":material/workspaces:"), st.form("wall_group", border=False):
        picked = st.multiselect("Ideas", [i["id"] for i in standing], format_func=labels.__getitem__,
                                key=f"wall_group_ideas_{len(standing)}", placeholder="Pick the ideas to group")
        name = st.selectbox("Group", groups, index=None, accept_new_options=True, key=f"wall_group_name_{len(groups)}",
                            placeholder="Type a new group or pick one",
                            help="Ideas that belong together; merge the group when the room agrees.")
        row = st.container(horizontal=True)
        if row.form_submit_button("Put them in the group", type="primary", icon=":material/workspaces:"):
            if name:
                act(wall.group, actor, picked, name, success=f"Grouped under “{name}”.", rerun=True)
            else:
                st.warning("Name the group, or pick one, first; nothing was grouped.", icon=":material/edit:")
        if row.form_submit_button("Take them out of their group"):
            act(wall.group, actor, picked, None, rerun=True)


def title_line(idea: dict[str, Any], on_screen: int | None) -> str:
    """The card's first line: its title, and the mark when the presenter shows it to the room."""
    mark = f" {ON_SCREEN}" if on_screen == idea["id"] else ""
    pin = ":material/push_pin: " if idea["pinned"] else ""
    return f"{pin}**{fmt.plain(idea['title'])}**{mark}"
