"""Pieces the workshop's idea pages share: an idea's provenance, its contributions, the voice-balance panel and
two-step confirmations."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
import streamlit as st

from okrdash import fmt, ideas

unique_labels = ideas.distinct_labels


def idea_labels(items: list[dict[str, Any]]) -> dict[int, str]:
    """Distinct picker labels for ideas: equal titles get their authors, then a number."""
    titles = Counter(i["title"] for i in items)
    return unique_labels({i["id"]: (f"{i['title']} — {authors_text(i)}" if titles[i["title"]] > 1 and "authors" in i
                                    else i["title"]) for i in items})


def authors_text(idea: dict[str, Any]) -> str:
    """'Arjun Mehta, Lucía Fernández and 1 anonymous' — never the name behind an anonymous idea."""
    names = list(idea["authors"])
    if idea["anonymous_count"]:
        names.append(f"{idea['anonymous_count']} anonymous")
    return fmt.names(names, empty="no named author")


def provenance(idea: dict[str, Any]) -> str:
    """One line: where the idea came from, who put it forward, what it serves."""
    count = len(idea["contributions"])
    parts = [f"merged from {count} ideas" if idea["source"] == "merge" else ideas.SOURCES[idea["source"]],
             f"by {authors_text(idea)}"]
    if idea["key_results"]:
        parts.append(f"{len(idea['key_results'])} key-result idea{'s' * (len(idea['key_results']) != 1)}")
    parts.append(f"serves {idea['strategy_label']}" if idea["strategy_label"] else "not linked to the strategy")
    return fmt.plain(" · ".join(parts))


def contributions(idea: dict[str, Any]) -> None:
    """Each original idea in its author's words, and the key-result ideas that came with them."""
    single = len(idea["contributions"]) == 1
    for item in idea["contributions"]:
        who = item["author"] or ("anonymous" if item["anonymous"] else "no named author")
        heading = "" if single else f"**{fmt.plain(item['title'])}** — "
        st.markdown(f"{heading}{fmt.plain(who)}, {ideas.SOURCES[item['source']]}")
        if item["problem"]:
            st.markdown(f"*Problem:* {fmt.plain(item['problem'])}")
        if item["why_now"]:
            st.markdown(f"*Why now:* {fmt.plain(item['why_now'])}")
    if idea["key_results"]:
        st.markdown("**Key-result ideas**")
        seen: dict[tuple, int] = {}
        for kr in idea["key_results"]:
            key = (kr["title"].casefold(), kr["baseline"], kr["target"], kr["unit"])
            seen[key] = seen.get(key, 0) + 1
        for kr in {(k["title"].casefold(), k["baseline"], k["target"], k["unit"]): k
                   for k in idea["key_results"]}.values():
            numbers = ""
            if kr["baseline"] is not None or kr["target"] is not None:
                numbers = f" ({fmt.number(kr['baseline'], kr['unit'])} → {fmt.number(kr['target'], kr['unit'])})"
            times = seen[(kr["title"].casefold(), kr["baseline"], kr["target"], kr["unit"])]
            again = f" — suggested {times} times" if times > 1 else ""
            st.markdown(f"- {fmt.plain(kr['title'])}{fmt.plain(numbers)}{again}")


def ideas_table(standing: list[dict[str, Any]]) -> pd.DataFrame:
    """The ideas as the page shows them, for the CSV download."""
    return pd.DataFrame([{
        "Idea": i["title"],
        "Source": ideas.SOURCES[i["source"]],
        "Contributions": len(i["contributions"]),
        "Original wordings": " | ".join(c["title"] for c in i["contributions"]),
        "Authors": authors_text(i),
        "Serves": i["strategy_label"] or "",
        "Key-result ideas": " | ".join(k["title"] for k in i["key_results"]),
    } for i in standing], columns=["Idea", "Source", "Contributions", "Original wordings", "Authors", "Serves",
                                   "Key-result ideas"])


def voice_panel(balance: dict[str, Any] | None, *, focus: str) -> None:
    """Who is quiet so far (an invitation to draw them in), and the table of who contributed what; `focus` is
    'ideas', 'votes' (an open round) or 'votes_closed'."""
    if balance is None:
        st.caption("Voice balance: this team's survey is anonymous, so who contributed what is not shown.")
        return
    waiting = balance["not_voted"] if focus.startswith("votes") else balance["quiet"]
    if waiting and focus == "votes_closed":
        st.caption(f"Voice balance: {fmt.plain(fmt.names(waiting))} did not vote in this round.")
    elif waiting:
        ask = "have not voted yet" if focus == "votes" else "have not contributed an idea or a vote yet"
        if len(waiting) == 1:
            ask = ask.replace("have", "has", 1)
        st.info(f"**Voice balance:** {fmt.plain(fmt.names(waiting))} {ask}. Invite them in: ask for their view "
                "before you move on.", icon=":material/record_voice_over:")
    else:
        st.caption("Voice balance: every member has " + ("voted." if focus.startswith("votes") else "contributed."))
    table = st.expander("Who has spoken up so far", key=f"voice_table_{focus}", on_change="rerun")
    if not table.open:  # drawn when opened: a table built and sent on every vote and merge otherwise
        return
    with table:
        rows = []
        for person in balance["people"]:
            row = {"Member": person["name"] + (" (lead)" if person["role"] == "lead" else ""),
                   "Ideas": person["ideas"]}
            if balance["has_survey"]:
                row["Answered the survey"] = "yes" if person["answered"] else "no"
            if balance["round_id"] is not None:
                row["Voted"] = "yes" if person["voted"] else "no"
            rows.append(row)
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def confirm(key: str, question: str, *, yes: str, no: str = "Cancel") -> bool | None:
    """Second step of a destructive action started by setting st.session_state[key]: True on yes, False on no,
    None while the question waits (or when nothing was started)."""
    if not st.session_state.get(key):
        return None
    with st.container(border=True):
        st.warning(question, icon=":material/warning:")
        row = st.container(horizontal=True)
        if row.button(yes, key=f"{key}_yes", type="primary"):
            st.session_state.pop(key, None)
            return True
        if row.button(no, key=f"{key}_no"):
            st.session_state.pop(key, None)
            st.rerun()
    return None
