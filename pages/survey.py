"""Surveys: a member's pre-workshop answer. Pre-reading first, then ideas saved to a draft on every add and edit."""

import streamlit as st

from okrdash import fmt, meetings, quarters, strategy, surveys, ui
from okrdash import survey_answers as answers
from okrdash import survey_participation as participation
from okrdash import survey_payload as payload_rules
from okrdash.ui import survey_form as form

actor = ui.page("survey")
form.show_toast()
st.title("Surveys")

mine = ui.cached(participation.member_surveys, actor, now=ui.this_minute())
if not mine:
    ui.empty_state(
        "No survey is open for your teams right now. Your lead opens one before each quarter's workshop; "
        "it shows up on Home — my work as soon as they do.",
        next_page="pages/survey_manage.py" if actor.is_lead else None,
        next_label="You lead a team: open its survey",
    )
    st.stop()

labels = {s["id"]: surveys.picker_label(s) for s in mine}
ids = list(labels)
if st.session_state.get("survey") not in ids:
    st.session_state.pop("survey", None)
ui.follow_link("survey", ids, labels.__getitem__)  # Home's "Answer the survey" link names the survey
if len(ids) > 1:
    survey_id = st.selectbox("Survey", ids, format_func=labels.__getitem__, key="survey", bind="query-params")
else:
    survey_id = ids[0]

mine_now = ui.cached(answers.my_answer, actor, survey_id, now=ui.this_minute())
found, draft, status = mine_now["survey"], mine_now["payload"], mine_now["status"]
editable = mine_now["editable"]
lead = found["lead_name"] or "your lead"

st.header(f"{fmt.plain(found['team_name'])} · {found['quarter']}", divider="gray")
st.markdown(
    f"**{surveys.deadline_text(found)}** · {'anonymous' if found['anonymous'] else 'named'} answers · "
    f"opened by {fmt.plain(found['opened_by_name'] or lead)}"
)
meeting = ui.cached(meetings.meeting, actor, survey_id)
if meeting:
    st.markdown(f"**The workshop**: {fmt.plain(meetings.describe(meeting))}")
ui.notify_views.calendar_buttons(actor, found, meeting)
if not mine_now["open"]:
    if status == "submitted":
        closed = f"{surveys.closed_sentence(found)}. Your answer is final and read-only."
    elif mine_now["draft_saved_at"]:
        closed = surveys.closed_message(found)
    else:
        closed = f"{surveys.closed_sentence(found)}, so it can no longer be answered."
    st.warning(closed, icon=":material/lock:")
elif status == "submitted" and found["anonymous"]:
    st.success(
        "You submitted your anonymous answer. It is stored without any link to you, so it cannot be shown to you, "
        "edited or withdrawn. Thank you! Bring further thoughts to the workshop.", icon=":material/verified_user:",
    )
elif status == "submitted":
    st.success(
        f"Submitted {surveys.relative(mine_now['submitted_at'])}."
        + (" **You have changes that are not submitted yet**: resubmit them at the bottom of the page."
           if mine_now["unsent_changes"] else ""),
        icon=":material/check_circle:",
    )
elif status == "draft":
    saved = mine_now["draft_saved_at"]
    st.info(
        (f"Draft saved {surveys.relative(saved)}; " if saved else "Draft started; ")
        + "not submitted yet. It is kept even if you close this tab: submit it before the deadline.",
        icon=":material/save:",
    )
else:
    st.caption("Not started yet. Everything you add is saved as a draft straight away, so you can stop at any "
               "time and come back.")
if editable:
    form.anonymity_notice(found)
if found["opening_text"]:
    with st.container(border=True):
        st.markdown(f"**From {fmt.plain(found['opened_by_name'] or lead)}**  \n{fmt.plain(found['opening_text'])}")

# 1. Pre-reading, rendered (Markdown by design; raw HTML never enabled).
st.subheader("1. Read first")
reading = ui.cached(surveys.prereading, survey_id)
if not reading:
    st.caption("The lead picked no pre-reading for this survey. The whole strategy is on the Strategy page.")
    st.page_link("pages/strategy.py", label="Read the strategy", icon=":material/explore:")
for item in reading:
    with st.expander(f"{strategy.KINDS[item['kind']]}: {fmt.plain(item['title'])}", expanded=status == "not_started"):
        st.markdown(item["body"] or "_No text._")

if status == "submitted" and found["anonymous"]:
    st.stop()  # the answer is detached from this person: there is nothing of theirs left to show

linkable = surveys.linkable_items(found)
link_labels = {i["id"]: strategy.label(i) for i in linkable}

# 2. Objective ideas, each with its key-result ideas.
st.subheader("2. Objective ideas")
st.caption("What should the team achieve next quarter? One idea per card: the problem it solves, why now, and "
           "which part of the strategy it serves. Then add key-result ideas that would prove it worked.")
form.undo_bar(actor, survey_id, "objectives")
if not draft["objectives"]:
    st.caption("_No objective ideas yet._" + (" Add your first one below." if editable else ""))
for number, objective in enumerate(draft["objectives"], start=1):
    form.objective_card(actor, survey_id, number, objective, link_labels, editable)
if editable:
    form.add_objective(actor, survey_id, link_labels)

# 3. Things to deprioritize, with last quarter's list offered again.
st.subheader("3. What to deprioritize")
st.caption("What should we stop, postpone or say no to, so the objective gets our time? Say why.")
if editable:
    form.carry_over_offers(actor, survey_id, quarters.previous(found["quarter"]), payload_rules.carried(draft))
form.undo_bar(actor, survey_id, "deprioritize")
if not draft["deprioritize"]:
    st.caption("_Nothing to deprioritize yet._")
for item in draft["deprioritize"]:
    form.simple_item(actor, survey_id, item, f"**{fmt.plain(item['title'])}**"
                     + (" · _carried over from last quarter_" if item.get("carried_over_id") else "")
                     + (f"  \nWhy: {fmt.plain(item['why'])}" if item.get("why") else ""), editable)
if editable:
    form.add_deprioritize(actor, survey_id)

# 4. Risks and concerns.
st.subheader("4. Risks and concerns")
st.caption("What worries you about next quarter: dependencies, capacity, risks nobody mentions.")
form.undo_bar(actor, survey_id, "concerns")
if not draft["concerns"]:
    st.caption("_No risks or concerns yet._")
for item in draft["concerns"]:
    form.simple_item(actor, survey_id, item, fmt.plain(item["title"]), editable)
if editable:
    form.add_concern(actor, survey_id)

# 5. Submit.
st.subheader("5. Submit")
st.markdown(f"Your answer: {payload_rules.summary(draft)}.")
if editable:
    form.submit_box(actor, survey_id, mine_now)
