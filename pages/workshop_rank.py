"""Workshop, step 3 — rank: the lead opens a round over the consolidated ideas, members vote from their own
session (blind by default: totals hidden from everyone until the lead closes it), then results side by side."""

import streamlit as st

from okrdash import fmt, ideas, ranking, rounds, ui, voice
from okrdash.ui import idea_views, rank_views

actor = ui.page("workshop")
st.title("Workshop")
team_id, quarter = ui.workshop.header(actor, "rank")
leads, member = actor.leads(team_id), actor.is_member(team_id)
editable = ui.cached(ideas.is_open_quarter, quarter)
st.header("3 · Rank")
rank_views.show_vote_error()
if not editable:
    st.info(f"{quarter} has ended: this is the record of its workshop, read-only.", icon=":material/history:")

every_round = ui.cached(rounds.rounds_of, actor, team_id, quarter)
sealed = ui.workshop.sealed(team_id, quarter)
standing = ui.cached(ideas.objective_ideas, actor, team_id, quarter, sealed)
if not every_round:
    if not editable:
        ui.empty_state(f"No ranking round was held for {quarter}.")
    elif leads and len(standing) >= 2:
        st.caption("Open a round over the consolidated ideas. Members vote from their own device; you choose one or "
                   "more methods and see them side by side once you close the round.")
        rank_views.open_round_form(actor, team_id, quarter, standing, key="rank_open")
    elif leads:
        ui.empty_state("A round needs at least two ideas to rank. Add ideas or restore removed ones first.",
                       next_page="pages/workshop_consolidate.py", next_label="Go to Consolidate ideas")
    else:
        ui.empty_state("No ranking round yet. Your lead opens one once the ideas are consolidated; it will show up "
                       "here and on your Home page.", next_page="pages/workshop_consolidate.py",
                       next_label="See the ideas")
    st.stop()

labels = {r["id"]: f"Round {len(every_round) - n}: {r['title']} — "
          + ("voting open" if r["is_open"] else f"closed {fmt.day(r['closed_at'])}") for n, r in enumerate(every_round)}
default = next((r["id"] for r in every_round if r["is_open"]), every_round[0]["id"])
round_id = default if len(every_round) == 1 else st.selectbox(
    "Round", list(labels), index=list(labels).index(default), format_func=labels.__getitem__, key="rank_round")
rnd = next(r for r in every_round if r["id"] == round_id)

st.subheader(fmt.plain(rnd["title"]))
opened = (f"Opened by {fmt.plain(rnd['opened_by_name'] or 'the lead')} on {fmt.day(rnd['opened_at'])} "
          f"at {rnd['opened_at']:%H:%M}")
state = "Voting is open" if rnd["is_open"] else f"Closed on {fmt.day(rnd['closed_at'])} at {rnd['closed_at']:%H:%M}"
st.caption(f"{state} · {'blind' if rnd['blind'] else 'open totals'} · {opened}.")
st.markdown(rank_views.rules_text(rnd))

participation = ui.cached(rounds.participation, actor, rnd["id"])
share = participation["voted"] / participation["eligible"] if participation["eligible"] else 0.0
former = participation["former"]
left = f" (+{former} former member{'s' * (former != 1)})" if former else ""  # people who voted, then left the team
per_method = ", ".join(f"{ranking.METHODS[m]} {n}" for m, n in participation["by_method"].items())
st.progress(min(max(share, 0.0), 1.0), text=f"{participation['voted']} of {participation['eligible']} members have "
                                            f"voted{left} ({per_method}).")

ASK_CLOSE, ASK_DISCARD = f"rank_ask_close_{rnd['id']}", f"rank_ask_discard_{rnd['id']}"
if rnd["is_open"]:
    candidates = ui.cached(rounds.candidates, actor, rnd["id"])
    if rnd["blind"]:
        until = "you included, until you close it" if leads else "the lead included, until the lead closes it"
        st.info(f"Blind round: totals are hidden from everyone, {until}. Only who has voted is visible, never how.",
                icon=":material/visibility_off:")
    if member and editable:
        st.subheader("Your vote")
        rank_views.vote_forms(actor, rnd, candidates)
    elif not member:
        st.caption("Only members of the team vote; you are following as a manager.")
    if leads and editable:
        st.subheader("Run the round")
        waiting = participation["eligible"] - participation["voted"]
        row = st.container(horizontal=True)
        if row.button("Close the round and reveal results", type="primary", icon=":material/lock:",
                      key="rank_close"):
            st.session_state[ASK_CLOSE] = True
        if not participation["voted"] and row.button("Discard this round", icon=":material/delete:",
                                                     key="rank_discard"):
            st.session_state[ASK_DISCARD] = True
        wait_words = f" {waiting} member{'s have' if waiting != 1 else ' has'} not voted yet." if waiting else ""
        question = (f"Close “{fmt.plain(rnd['title'])}”? Voting ends for everyone and the totals become visible; "
                    f"this cannot be reopened.{wait_words}")
        if idea_views.confirm(ASK_CLOSE, question, yes="Close and reveal"):
            ui.act(rounds.close_round, actor, rnd["id"], success="Round closed: the results are below.", rerun=True)
        if idea_views.confirm(ASK_DISCARD, "Discard this round? Nobody has voted, so nothing is lost; you can open "
                                           "a new one with other settings.", yes="Discard the round"):
            ui.act(rounds.discard_round, actor, rnd["id"], success="Round discarded.", rerun=True)

if rnd["totals_visible"]:
    st.subheader("Results" + (" so far" if rnd["is_open"] else ""))
    rank_views.results_view(actor, rnd)
    if not rnd["is_open"]:
        st.page_link("pages/workshop_focus.py", label="Next: create focus — choose the one objective",
                     icon=":material/arrow_forward:")
        if leads and editable and len(standing) >= 2 and not any(r["is_open"] for r in every_round):
            with st.expander("Open another round (e.g. a run-off between the top ideas)"):
                top = ui.cached(rounds.results, actor, rnd["id"])["results"].order[:3]
                rank_views.open_round_form(actor, team_id, quarter, standing, key="rank_reopen",
                                           default_ids=[i for i in top if i in {s["id"] for s in standing}])

if leads or actor.manages_team(team_id):
    idea_views.voice_panel(ui.cached(voice.balance, actor, team_id, quarter, rnd["id"]),
                           focus="votes" if rnd["is_open"] else "votes_closed")
