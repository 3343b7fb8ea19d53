"""The big screen's drawing (pages/workshop_screen.py): large type, high contrast, nothing to click, so a meeting
room can follow on one projector. Headings carry the text (the smallest line is a level-5 heading, 20 px); nothing
is grey, so every line keeps the theme's full contrast."""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import fmt, ideas
from okrdash.live import screen, timebox, wall
from okrdash.ui import live
from okrdash.ui.widgets import cached, clock, this_minute

WALL_LIMIT = 24  # ideas drawn on the wall; the rest are counted
COLUMNS = 3


def show(actor: Any, team_id: int, quarter: str) -> None:
    """The whole screen for the team's quarter, redrawn when the workshop changes; the timebox ticks."""
    watched = live.workshop_watch(team_id, quarter)
    seen = watched.version()
    survey = cached(ideas.survey_of, team_id, quarter, this_minute())
    view = cached(screen.view, actor, team_id, quarter, survey["id"] if survey and survey["sealed"] else None)
    timer = view["timer"]
    running = timer is not None and timebox.seconds_left(timer, clock()) > 0
    head, countdown = st.columns([3, 1], vertical_alignment="top")
    step = view["step"]
    head.markdown(f"# {fmt.plain(view['team'])} · {view['quarter']} workshop")
    head.markdown(f"## Step {step['number']} of {len(live.PAGES)}: {step['title']}")
    who = f"Presented by {fmt.plain(view['presenter'])}" if view["presenting"] else \
        "Nobody is presenting: this is the step the team is on"
    head.markdown(f"#### {who} · {fmt.plain(step['summary'])}")
    with countdown:
        live.watch("screen", watched, seen=seen, fast=running,
                   tick=lambda: live.countdown(timer, big=True, running=running))
    if view["highlight"]:
        what = "Idea" if view["highlight"]["kind"] == "idea" else "Key result"
        with st.container(border=True):
            st.markdown(f"### :material/highlight: {what} on screen: {fmt.plain(view['highlight']['title'])}")
    _counters(view)
    _vote(view)
    _wall(view["wall"])


def _counters(view: dict[str, Any]) -> None:
    counters = view["counters"]
    tiles = [(str(counters["ideas"]), "ideas on the wall")]
    if counters["voted"] is not None:
        tiles.append((f"{counters['voted'][0]} of {counters['voted'][1]}", "members have voted"))
    if counters["answered"] is not None:
        tiles.append((f"{counters['answered'][0]} of {counters['answered'][1]}", "answered the survey"))
    tiles.append((str(counters["followers"]), "following the lead"))
    if view["objective"]:
        tiles.append(("1", "objective chosen"))
    for column, (number, label) in zip(st.columns(len(tiles)), tiles, strict=True):
        with column.container(border=True):
            st.markdown(f"## {number}\n#### {label}")


def _vote(view: dict[str, Any]) -> None:
    vote = view["vote"]
    if vote is None:
        return
    if vote["top"]:
        state = "so far" if vote["is_open"] else "final"
        lines = "\n".join(f"{n}. {fmt.plain(t['title'])}" for n, t in enumerate(vote["top"], start=1))
        st.markdown(f"### Top of the vote ({state}): {fmt.plain(vote['title'])}\n#### {lines}")
    elif vote["is_open"] and vote["blind"]:
        st.markdown(f"### Voting: {fmt.plain(vote['title'])}\n#### Blind vote: the totals appear when the lead "
                    "closes the round.")


def _wall(board: dict[str, Any]) -> None:
    st.markdown(f"## Idea wall ({board['count']})")
    if not board["count"]:
        st.markdown("#### No ideas yet: add yours from your laptop on the Consolidate step.")
        return
    shown = 0
    sections = [(":material/push_pin: Pinned", board["pinned"])]
    sections += [(fmt.plain(g["name"]), g["ideas"]) for g in board["groups"]]
    sections.append(("Everything else" if board["pinned"] or board["groups"] else "", board["loose"]))
    for title, items in sections:
        items = items[: max(0, WALL_LIMIT - shown)]
        if not items:
            continue
        if title:
            st.markdown(f"### {title}")
        for start in range(0, len(items), COLUMNS):
            for column, idea in zip(st.columns(COLUMNS), items[start:start + COLUMNS], strict=False):
                with column.container(border=True):
                    st.markdown(f"#### {fmt.plain(idea['title'])}\n##### {fmt.plain(wall.byline(idea))}")
        shown += len(items)
    if board["count"] > shown:
        st.markdown(f"#### … and {board['count'] - shown} more on the Consolidate step.")
