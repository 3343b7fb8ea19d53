"""Check-ins: a KR owner's (or the team lead's) weekly update per key result — value or done, confidence, comment."""

import datetime as dt

import streamlit as st

from okrdash import checkins, fmt, ui
from okrdash.ui import tracking

actor = ui.page("checkins")
today = dt.date.today()
st.title("Check-ins")
st.caption("Once a week: the current value (or whether the milestone is done), how confident you are of reaching "
           "the target, and a comment if something changed. To correct a check-in, save a new one for the same "
           "day; the latest counts.")

with st.columns(3)[0]:
    quarter = ui.quarter_picker()
if quarter is None:
    ui.empty_state("No quarters exist yet. An admin adds them on the Admin page.")
    st.stop()

acks = tracking.load(checkins.acknowledgements_for, actor, today=today)
if acks:
    with st.container(border=True):
        st.markdown("**:material/thumb_up: Your managers read your check-ins** (last 14 days)")
        for ack in acks[:5]:
            said = f": “{fmt.plain(ack['comment'])}”" if ack["comment"] else ""
            st.markdown(f"{fmt.plain(ack['person_name'])} on *{fmt.plain(ack['kr_title'])}* "
                        f"({fmt.day(ack['checked_on'])}), {fmt.days_ago(ack['created_at'].date(), today)}{said}")

rows = [dict(r) for r in tracking.load(checkins.checkable_key_results, actor, quarter, today)]
if not rows:
    ui.empty_state(
        f"You have no key results to check in on in {quarter}. Key results get an owner when the team writes them "
        "in the workshop; once the team publishes, the owner (or the lead) checks in here every week.",
        next_page="pages/okrs.py", next_label="See your teams' published OKRs")
    st.stop()

focus = str(st.query_params.get("kr", ""))
rows.sort(key=lambda r: (str(r["kr_id"]) != focus, not r["mine"]))
due = [r for r in rows if r["due"] and r["mine"]]
if due:
    st.warning(f"{len(due)} of your key results {'is' if len(due) == 1 else 'are'} due a check-in "
               "(none in the last 7 days).", icon=":material/schedule:")
tracking.legend()


def checkin_form(kr: dict) -> None:
    """The ≤ 3-interaction form: value (or done), confidence prefilled with the last one, optional comment."""
    key = f"checkins_{kr['kr_id']}"
    with st.form(key, border=False):
        first, second, third = st.columns([2, 3, 2])
        if kr["kind"] == "milestone":
            done = first.toggle("Done", value=bool(kr["done"]), key=f"{key}_done",
                                help=fmt.plain(kr["definition_of_done"]) or None)
            value = None
        else:
            last = tracking.value_text(kr)
            value = first.text_input(
                f"Value ({fmt.plain(kr['unit'])})" if kr["unit"] else "Value", key=f"{key}_value",
                placeholder=f"last: {last}" if kr["last_on"] else f"baseline: {fmt.number(kr['baseline'])}",
                help=fmt.plain(f"The current {kr['metric'] or 'value'}; target {tracking.target_text(kr)}."))
            done = None
        confidence = second.slider(
            "Confidence of reaching the target", 0, 10,
            value=kr["confidence"] if kr["confidence"] is not None else checkins.DEFAULT_CONFIDENCE,
            key=f"{key}_confidence", help="0 = no chance, 10 = certain. Prefilled with your last answer.")
        day_max = min(today, kr["ends_on"])
        checked_on = third.date_input("Day", value=day_max, min_value=kr["starts_on"], max_value=day_max,
                                      key=f"{key}_day", format="YYYY-MM-DD")
        comment = st.text_input("Comment (optional)", key=f"{key}_comment",
                                placeholder="What changed, what blocks you, what you need")
        if st.form_submit_button("Save check-in", type="primary", icon=":material/check:"):
            ui.act(checkins.record, actor, kr["kr_id"], value=value, done=done, confidence=confidence,
                   comment=comment, checked_on=checked_on, today=today,
                   success=f"Check-in saved for “{fmt.plain(kr['title'])}”.", rerun=True,
                   clear=[f"{key}_value", f"{key}_comment", f"{key}_confidence", f"{key}_done"])


def kr_card(kr: dict) -> None:
    with st.container(border=True):
        title, status = st.columns([5, 2], vertical_alignment="center")
        title.markdown(f"**{fmt.plain(kr['title'])}**  \n{fmt.plain(kr['team_name'])} · owner "
                       f"{fmt.plain(kr['owner_name'] or '—')} · {fmt.plain(tracking.goal_text(kr))} · "
                       f"due {fmt.day(kr['due_on'])}")
        status.markdown(tracking.status_badge(kr["status"])
                        + (" :red-badge[stale]" if kr["stale"] else " :orange-badge[due]" if kr["due"] else ""))
        if not kr["owner_in_team"]:
            st.warning(f"{fmt.plain(kr['owner_name'] or 'The owner')} is no longer a member of "
                       f"{fmt.plain(kr['team_name'])}, so only you can check in on this key result. Reassign it to a "
                       "member of the team.", icon=":material/person_off:")
            st.page_link("pages/workshop_key_results.py", label="Reassign it on the Key results step",
                         icon=":material/edit:", query_params={"team": kr["team_name"], "quarter": kr["quarter"]})
        share = kr["progress"] or 0.0
        last = (f"last {tracking.value_text(kr)}, {fmt.days_ago(kr['last_on'], today)}" if kr["last_on"]
                else "no check-in yet")
        st.progress(min(max(share, 0.0), 1.0), text=f"{tracking.progress_text(kr)} · {fmt.plain(last)}")
        if kr["ends_on"] < today:
            st.caption(f"{kr['quarter']} is over; you can still add a missing check-in dated inside it.")
        if kr["starts_on"] > today:
            st.caption(f"{kr['quarter']} has not started; check-ins open on {fmt.day(kr['starts_on'])}.")
        elif not kr["published"]:
            st.caption("Added after the team last published its OKRs: check-ins open once the lead publishes the "
                       "change on the workshop's Publish step.")
        elif kr["mine"]:
            checkin_form(kr)
        else:
            with st.expander(f"Check in for {fmt.plain(kr['owner_name'] or 'the owner')}", icon=":material/edit:",
                             expanded=str(kr["kr_id"]) == focus):
                checkin_form(kr)
        past = tracking.load(checkins.history, actor, kr["kr_id"], team_id=kr["team_id"], quarter=kr["quarter"])
        with st.expander(f"History ({len(past)} check-in{'s' if len(past) != 1 else ''})"):
            tracking.history(past, kr, today)
        if kr["published"]:  # one waiting for the next published version is not on the dashboards yet
            st.page_link("pages/dashboard_kr.py", label="Chart and details", icon=":material/show_chart:",
                         query_params={"kr": str(kr["kr_id"])})


mine = [r for r in rows if r["mine"]]
others = [r for r in rows if not r["mine"]]
if mine:
    st.subheader("Your key results")
    ui.notify_views.checkin_reminder(actor)
    for kr in mine:
        kr_card(kr)
if others:
    st.subheader("Your team's key results")
    st.caption("As the lead you can check in for an owner who is away; the check-in is recorded under your name.")
    for kr in others:
        kr_card(kr)
