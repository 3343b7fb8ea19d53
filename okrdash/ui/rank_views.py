"""The Rank step's parts: the form that opens a round, the voting forms per method, and the results view."""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import auth, charts, fmt, ranking, rounds
from okrdash.errors import OkrError
from okrdash.ui import memo
from okrdash.ui.idea_views import idea_labels, unique_labels
from okrdash.ui.widgets import act, cached, download_table, flash

RULES = {
    "dot": "spend up to {budget} points, at most {max} on one idea",
    "borda": "order every idea, best first: with n ideas the first gets n−1 points, the last 0",
    "ice": "rate impact, confidence and ease from 1 to 10 for each idea; the score is their mean",
}


def rules_text(rnd: dict[str, Any]) -> str:
    """One Markdown bullet per method of the round: how to vote with it."""
    return "\n".join(f"- **{ranking.METHODS[m]}**: " + RULES[m].format(budget=rnd["dot_budget"],
                                                                        max=rnd["dot_max_per_idea"]) + "."
                     for m in rnd["methods"])


def open_round_form(actor: auth.Actor, team_id: int, quarter: str, standing: list[dict[str, Any]],
                    *, key: str, default_ids: list[int] | None = None) -> None:
    """The lead's form to open a round over the standing ideas (all, or the ones picked)."""
    titles = idea_labels(standing)
    with st.form(key):
        title = st.text_input("Question to vote on", max_chars=200, placeholder=f"Which objective for {quarter}?",
                              key=f"{key}_title")
        methods = st.multiselect("Methods", list(ranking.METHODS), default=["dot", "borda"],
                                 format_func=ranking.METHODS.__getitem__, key=f"{key}_methods",
                                 help="Several methods side by side show whether the favourite is robust.")
        left, right = st.columns(2)
        budget = left.number_input("Dot voting: points per voter", 1, ranking.BUDGET_MAX, 10, key=f"{key}_budget")
        most = right.number_input("Dot voting: most points on one idea", 1, ranking.BUDGET_MAX, 5, key=f"{key}_max")
        blind = st.checkbox("Blind voting", value=True, key=f"{key}_blind",
                            help="Totals stay hidden from everyone, you included, until you close the round, so "
                                 "early votes don't sway later ones.")
        chosen = st.multiselect("Ideas in the round", list(titles), default=default_ids or list(titles),
                                format_func=titles.__getitem__, key=f"{key}_ideas")
        if st.form_submit_button("Open the round", type="primary", icon=":material/how_to_vote:"):
            act(rounds.open_round, actor, team_id, quarter, methods=methods, title=title, dot_budget=budget,
                dot_max_per_idea=most, blind=blind, idea_ids=chosen,
                success="Round opened. Members can vote now from their own session.", rerun=True)


VOTE_ERROR = "rank_vote_error"


def _cast(actor: auth.Actor, round_id: int, method: str, keys: Any) -> None:
    """Form callback: runs before the next script run, so a ballot submitted just as the lead closes the round is
    still answered (refused with the reason) even though the next run no longer shows the form."""
    state = st.session_state
    if method == "dot":
        lines: Any = {idea: state.get(key, 0) for idea, key in keys.items()}
    elif method == "borda":
        lines = list(state.get(keys) or [])
    else:
        lines = {idea: tuple(state.get(k) for k in parts) for idea, parts in keys.items()}
    try:
        rounds.cast(actor, round_id, method, lines)
    except OkrError as error:
        state[VOTE_ERROR] = error.message
        return
    flash(f"Your {ranking.METHODS[method].lower()} ballot is in.")


def show_vote_error() -> None:
    message = st.session_state.pop(VOTE_ERROR, None)
    if message:
        st.error(fmt.inline(message), icon=":material/error:")


def vote_forms(actor: auth.Actor, rnd: dict[str, Any], candidates: list[dict[str, Any]]) -> None:
    """One tab per method, each a form prefilled with the voter's ballot that counts."""
    mine = cached(rounds.my_ballots, actor, rnd["id"])
    titles = unique_labels({c["id"]: c["title"] for c in candidates})
    order = ranking.ballot_order(titles, rnd["id"], actor.person_id)
    done = [f"{ranking.METHODS[m].lower()} at {mine[m]['cast_at']:%H:%M}" for m in rnd["methods"] if m in mine]
    if done:
        st.caption(f"You voted with {fmt.names(done)}. Voting again replaces your ballot: the latest one counts.")
    if any(b["set_aside"] for b in mine.values()):
        st.warning("The lead has split up an idea you voted for, so part of your ballot no longer counts. Please "
                   "vote again.", icon=":material/call_split:")
    st.caption("Ideas are listed in a different order for each voter, so the first one gets no head start.")
    tabs = st.tabs([ranking.METHODS[m] + (" ✓" if m in mine else "") for m in rnd["methods"]])
    for tab, method in zip(tabs, rnd["methods"], strict=True):
        previous = mine.get(method, {}).get("lines", {})
        prefix = f"rank_{method}_{rnd['id']}"
        with tab, st.form(f"rank_vote_{rnd['id']}_{method}"):
            if method == "dot":
                st.caption(f"Spend up to {rnd['dot_budget']} points, at most {rnd['dot_max_per_idea']} on one idea.")
                most = rnd["dot_max_per_idea"]
                if over := [titles[i] for i in order if previous.get(i, 0) > most]:
                    # Points on ideas merged since add up on the merged idea, and may pass the most per idea.
                    st.warning(f"Ideas you gave points to were merged, so your ballot now puts more than {most} "
                               f"points on {fmt.plain(fmt.names([f'“{t}”' for t in over]))}. They are capped at "
                               f"{most} below: redo your dot ballot and cast it again.", icon=":material/merge:")
                keys: Any = {i: f"{prefix}_{i}" for i in order}
                for i in order:
                    # The visible title is escaped Markdown; the input's own (hidden) label is the plain title, so
                    # screen readers read it as written.
                    name, points = st.columns([5, 1], vertical_alignment="center")
                    name.markdown(fmt.plain(titles[i]))
                    points.number_input(titles[i], 0, most, min(int(previous.get(i, 0)), most), key=keys[i],
                                        label_visibility="collapsed")
            elif method == "borda":
                st.caption(f"Pick all {len(order)} ideas in order of preference, best first.")
                earlier = [i for i in sorted(previous, key=previous.get) if i in titles]
                keys = prefix
                st.multiselect("Your ranking, best first", order, default=earlier, format_func=titles.__getitem__,
                               key=keys, placeholder="Choose your favourite first, then the next…")
            else:
                st.caption("For each idea: impact if it works, confidence it will, ease of doing it (1–10).")
                keys = {i: [f"{prefix}_{i}_{part}" for part in ranking.ICE_PARTS] for i in order}
                for column, part in zip(st.columns([3, 2, 2, 2]), ("Idea", *ranking.ICE_PARTS), strict=True):
                    column.markdown(f"**{part.capitalize()}**")
                for i in order:
                    before = previous.get(i, (5, 5, 5))
                    name, *parts = st.columns([3, 2, 2, 2], vertical_alignment="center")
                    name.markdown(fmt.plain(titles[i]))
                    for n, (col, part) in enumerate(zip(parts, ranking.ICE_PARTS, strict=True)):
                        col.slider(f"{part.capitalize()} of {titles[i]}", 1, 10, round(before[n]), key=keys[i][n],
                                   label_visibility="collapsed")
            st.form_submit_button(f"Cast my {ranking.SHORT[method]} ballot", type="primary", on_click=_cast,
                                  args=(actor, rnd["id"], method, keys))


def results_view(actor: auth.Actor, rnd: dict[str, Any]) -> None:
    """Winner, agreement between methods, ties, the table side by side, the chart and the CSV download."""
    found = cached(rounds.results, actor, rnd["id"])
    res, titles = found["results"], found["titles"]
    participation = cached(rounds.participation, actor, rnd["id"])
    if not participation["voted"] and not participation["former"]:
        st.info("Nobody voted in this round, so there are no results.", icon=":material/how_to_vote:")
        return
    top = res.winner
    if top is None:
        st.info("None of this round's ideas stands any more (they were removed, or the merges they came from were "
                "undone), so it has no results to show.", icon=":material/how_to_vote:")
        return
    firsts = [ranking.METHODS[m] for m, o in res.methods.items() if o.order[:1] == [top]]
    st.success(f"Top idea: **{fmt.plain(titles[top])}**" + (f" — first by {fmt.names(firsts)}" if firsts else ""),
               icon=":material/emoji_events:")
    if not rnd["is_open"]:
        st.caption("Results reflect the ideas as they stand now: votes on ideas merged since the round closed count "
                   "for the merged idea, and ideas removed since drop out (undoing brings the results back).")
    for pair in res.agreement:
        a, b = ranking.METHODS[pair["a"]], ranking.METHODS[pair["b"]]
        top_words = "put the same idea first" if pair["same_top"] else "disagree on the top idea"
        tau = "" if pair["tau"] is None else f" (Kendall τ = {pair['tau']:.2f})"
        st.markdown(f"- {a} and {b} {top_words}; over the whole order, {ranking.describe_tau(pair['tau'])}{tau}.")
    for method, outcome in res.methods.items():
        for tie in [t for t in outcome.ties if outcome.scores[t[0]]]:  # a tie at zero is "nobody chose these"
            names = fmt.names([f"“{titles[i]}”" for i in tie])
            rule = "their scores in the other methods, then the older idea" if len(res.methods) > 1 else \
                "the older idea first"
            st.caption(f"{ranking.METHODS[method]}: {fmt.plain(names)} tie; the tie-break ({rule}) orders them as "
                       "listed.")
    if res.set_aside:
        st.caption(f"{res.set_aside} ballot line(s) named ideas that no longer stand (a merge undone or an idea "
                   "removed); they are kept but not counted.")
    table = cached(rounds.results_table, actor, rnd["id"])
    scores = {c: st.column_config.NumberColumn(c, format="%.4g") for c in table.columns if "score" in c}
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        **scores, "Combined (0–1)": st.column_config.NumberColumn("Combined (0–1)", format="%.2f",
                                                                 help="Mean of each method's share of its top "
                                                                      "score: the overall order.")})
    download_table(table, f"ranking-{rnd['quarter']}-round-{rnd['id']}", key=f"rank_download_{rnd['id']}")
    st.vega_lite_chart(memo.chart_spec(charts.ranking_scores, cached(rounds.scores_by_method, actor, rnd["id"])),
                      width="stretch")
    with st.expander("How the results are counted"):
        st.markdown(ranking.__doc__.split("Rules, as shown to people on the Rank step:")[1].strip())
