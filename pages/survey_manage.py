"""Survey setup: a lead opens, closes early, extends and configures the team's survey and follows participation;
managers above the team see participation read-only. Nobody here sees what an anonymous person wrote."""

import datetime as dt
from urllib.parse import urlencode, urlsplit

import streamlit as st

from okrdash import fmt, meetings, strategy, surveys, ui
from okrdash import survey_participation as participation
from okrdash import survey_payload as payload_rules

actor = ui.page("survey_manage")
st.title("Survey setup")
st.caption("Before each quarter's workshop, members read the strategy and send objective ideas through a survey. "
           "Open it here, follow who has answered, and nudge the rest.")

now = ui.this_minute()
followed = ui.cached(participation.manageable_teams, actor)
if not followed:
    ui.empty_state("None of the teams you lead or manage has members yet. An admin adds them on the Admin page.")
    st.stop()
left, right = st.columns(2)
with left:
    team_id = ui.team_picker(followed)
with right:
    quarter = ui.quarter_picker(planning=True)
ui.live.watch_survey(team_id, quarter)  # before the reads: answers and drafts show as they arrive
team = next(t for t in followed if t["id"] == team_id)
team_md = fmt.plain(team["name"])  # for Markdown: a team name is typed by an admin
leads = actor.leads(team_id)
found = ui.cached(surveys.find, actor, team_id, quarter)
K = f"survey_manage_{team_id}_{quarter}"


def workshop_fields(prefix: str, start: dt.datetime, minutes: int, place: str, deadline: dt.datetime) -> dict:
    """Date, start, length and place of the workshop, as okrdash.meetings takes them."""
    day_col, start_col, length_col = st.columns([2, 1, 1])
    window = f"Pick a day {meetings.window_text(deadline, quarter)}."
    return {"day": day_col.date_input("Workshop date", value=start.date(), key=f"{prefix}_day", format="YYYY-MM-DD",
                                      help=window),
            "start": start_col.time_input("Starts at", value=start.time(), key=f"{prefix}_start",
                                          step=dt.timedelta(minutes=15)),
            "minutes": length_col.number_input("Length (minutes)", 15, 720, value=minutes, step=15,
                                               key=f"{prefix}_minutes"),
            "place": st.text_input("Place: a room or a video link", value=place, key=f"{prefix}_place",
                                   max_chars=meetings.PLACE_MAX)}


def item_label(item: dict) -> str:
    suffix = "" if item["quarter"] == quarter else f" ({item['quarter']})"
    return f"{strategy.label(item)}{suffix}"


if not leads:
    st.caption(f"You follow {team_md} as a manager: participation is read-only here; its lead runs the survey.")

if found is None:
    if not leads:
        ui.empty_state(f"{team_md} has no survey for {quarter} yet. Its lead opens it from this page.")
    else:
        options = {i["id"]: i for i in ui.cached(surveys.prereading_options, quarter)}
        with st.form(f"{K}_open"):
            st.subheader(f"Open the {team_md} survey for {quarter}")
            opening = st.text_area("Opening text", value=surveys.default_opening_text(quarter), height=110,
                                   key=f"{K}_text", help="Shown at the top of the form. Say when the workshop is.")
            deadline = st.datetime_input("Deadline", value=surveys.default_deadline(), key=f"{K}_deadline",
                                         format="YYYY-MM-DD", step=dt.timedelta(minutes=15),
                                         help="After it, answers are read-only. You can close early or extend.")
            anonymous = st.toggle(
                "Anonymous answers", key=f"{K}_anonymous",
                help="Answers and ideas are stored without names. You still see who has answered, never who wrote "
                     "what. Locked once the first answer arrives.")
            chosen = st.multiselect("Pre-reading: what members read before answering", list(options),
                                    default=surveys.default_prereading(quarter), key=f"{K}_prereading",
                                    format_func=lambda i: item_label(options[i]))
            if not options:
                st.caption(f"There is no strategy for {quarter} or the quarter before yet. Ask an admin to write it "
                           "on the Strategy page, or open the survey without pre-reading.")
            st.markdown("**The workshop**: members get a calendar invitation with the survey.")
            proposal = meetings.default_start(surveys.default_deadline())
            with_workshop = st.toggle("Set the workshop's date, time and place now", key=f"{K}_with_workshop",
                                      value=meetings.fits_window(proposal, surveys.default_deadline(), quarter))
            workshop = workshop_fields(f"{K}_workshop", proposal, meetings.DEFAULT_MINUTES, "",
                                       surveys.default_deadline())
            if st.form_submit_button("Open the survey", type="primary", icon=":material/campaign:"):
                ui.act(surveys.open_survey, actor, team_id, quarter, deadline=deadline, opening_text=opening,
                       anonymous=anonymous, prereading_ids=chosen, rerun=True,
                       workshop=workshop if with_workshop else None,
                       success=f"The {team_md} survey for {quarter} is open. Copy the reminder below to tell "
                               "the team.")
else:
    state = surveys.state(found, now)
    facts = ui.cached(participation.participation, actor, found["id"], now)
    badge = {surveys.OPEN: ":green-badge[Open]", surveys.CLOSED_EARLY: ":orange-badge[Closed early]",
             surveys.CLOSED: ":gray-badge[Closed]"}[state]
    st.subheader(f"{team_md} survey · {quarter}")
    st.markdown(f"{badge} **{surveys.deadline_text(found, now)}** · {'anonymous' if found['anonymous'] else 'named'} "
                f"answers · opened by {fmt.plain(found['opened_by_name'] or 'the lead')} on "
                f"{fmt.day(found['opened_at'])}")
    meeting = ui.cached(meetings.meeting, actor, found["id"])
    st.markdown(f"**The workshop**: {fmt.plain(meetings.describe(meeting))}" if meeting else
                "**The workshop**: not scheduled yet" + (" (set it below, under Workshop)." if leads else "."))

    answered, total = len(facts["answered"]), facts["total"]
    metrics = st.columns(4)
    metrics[0].metric("Answered", f"{answered} of {total}", border=True)
    metrics[1].metric("Response rate", fmt.percent(facts["rate"]), border=True)
    metrics[2].metric("Drafting", len(facts["drafting"]), border=True)
    metrics[3].metric("Not started", len(facts["not_started"]), border=True)
    st.progress(facts["rate"], text=f"{answered} of {total} members answered")
    if facts["former_answers"]:
        st.caption(f"Plus {facts['former_answers']} answer(s) from people who have since left the team.")

    lists = st.columns(3)
    groups = [("Answered", facts["answered"], "answered"), ("Drafting", facts["drafting"], "last saved"),
              ("Not started", facts["not_started"], "")]
    for column, (title, people, verb) in zip(lists, groups, strict=True):
        with column.container(border=True):
            st.markdown(f"**{title}** ({len(people)})")
            if not people:
                st.caption("Nobody.")
            else:
                st.markdown("\n".join(
                    f"- {fmt.plain(person['name'])}" + (" (lead)" if person["role"] == "lead" else "")
                    + (f" · {verb} {person['when'].day} {person['when']:%b}" if person.get("when") and verb else "")
                    for person in people))
    if found["anonymous"]:
        st.caption("Anonymous survey: answers carry no names, so you see who answered, never who wrote what.")

    ideas = facts["ideas"]
    if ideas is None:
        st.caption("Idea counts appear when the survey closes, so nobody can tell from a jump in the numbers how "
                   "much one person wrote.")
    else:
        st.markdown("Collected so far: " + payload_rules.summary_of_counts(
            {"objectives": ideas["objective"], "key_results": ideas["key_result"],
             "deprioritize": ideas["deprioritize"], "concerns": ideas["concern"]}) + ".")
        if ideas["objective"] and leads:
            st.page_link("pages/workshop_consolidate.py", label="Consolidate them in the workshop",
                         icon=":material/merge:")

    if state == surveys.OPEN:
        url = st.context.url or ""
        parts = urlsplit(url)
        link = (f"{parts.scheme}://{parts.netloc}/survey?{urlencode({'survey': surveys.picker_label(found)})}"
                if parts.netloc else "")
        reminder = participation.reminder_text(actor, found["id"], link=link, now=now, facts=facts)
        others = [p for p in facts["owing"] if p["email"] != actor.email]
        if reminder:
            st.markdown(f"**Reminder for the {len(others)} who still owe an answer** — copy it with the button at "
                        "its top right and paste it into chat or email:")
            st.code(reminder, language=None, wrap_lines=True)
        else:
            st.success("Everyone has answered. You can close the survey early and start the workshop.",
                       icon=":material/celebration:")

    if leads:
        st.divider()
        close_col, extend_col = st.columns(2)
        if state == surveys.OPEN:
            with close_col.form(f"{K}_close"):
                st.markdown("**Close early**")
                st.caption("Members can no longer submit or edit; their drafts are kept. Extending the deadline "
                           "opens the survey again.")
                sure = st.checkbox("Yes, close it now", key=f"{K}_close_sure")
                if st.form_submit_button("Close the survey now", icon=":material/lock:"):
                    if sure:
                        ui.act(surveys.close, actor, found["id"], success="The survey is closed.", rerun=True)
                    else:
                        st.warning("Tick “Yes, close it now” first.")
        proposal = dt.datetime.combine(max(found["deadline"], now).date() + dt.timedelta(days=2),
                                       dt.time(surveys.DEADLINE_HOUR))
        if meeting and now < meeting["starts_at"]:
            proposal = min(proposal, meeting["starts_at"])  # answers must be in when the workshop starts
        with extend_col.form(f"{K}_extend"):
            reopen = state != surveys.OPEN
            st.markdown("**Reopen with a new deadline**" if reopen else "**Extend the deadline**")
            new_deadline = st.datetime_input("New deadline", value=proposal, key=f"{K}_new_deadline",
                                             format="YYYY-MM-DD", step=dt.timedelta(minutes=15))
            if st.form_submit_button("Reopen the survey" if reopen else "Extend", icon=":material/event:"):
                ui.act(surveys.extend, actor, found["id"], new_deadline, rerun=True,
                       success=f"{'Reopened' if reopen else 'Extended'}: the survey now closes "
                               f"{surveys.when(new_deadline)}.")

        with st.expander("Workshop: date, time and place", icon=":material/event:"), st.form(f"{K}_workshop"):
            start = meeting["starts_at"] if meeting else meetings.default_start(max(found["deadline"], now))
            moved = workshop_fields(f"{K}_meeting", start, meeting["minutes"] if meeting else meetings.DEFAULT_MINUTES,
                                    meeting["place"] if meeting else "", found["deadline"])
            if st.form_submit_button("Save the workshop", icon=":material/save:"):
                ui.act(meetings.schedule, actor, found["id"], moved, success="Workshop saved: members' calendar "
                       "files now show it (importing the new file updates the event).", rerun=True)
        ui.notify_views.calendar_buttons(actor, found, meeting)

        lock = ui.cached(surveys.anonymity_lock, found["id"])
        current_reading = ui.cached(surveys.prereading, found["id"])
        options = {i["id"]: i for i in [*ui.cached(surveys.prereading_options, quarter), *current_reading]}
        with st.expander("Settings: opening text, anonymity, pre-reading", icon=":material/settings:"), \
                st.form(f"{K}_settings"):
            opening = st.text_area("Opening text", value=found["opening_text"], height=110, key=f"{K}_edit_text")
            anonymous = st.toggle("Anonymous answers", value=found["anonymous"], disabled=bool(lock),
                                  key=f"{K}_edit_anonymous",
                                  help=lock or "Answers and ideas are stored without names. Locked once the first "
                                               "answer arrives.")
            if lock:
                st.caption(lock)
            chosen = st.multiselect("Pre-reading", list(options), default=[i["id"] for i in current_reading],
                                    format_func=lambda i: item_label(options[i]), key=f"{K}_edit_prereading")
            if st.form_submit_button("Save settings", icon=":material/save:"):
                ui.act(surveys.update_settings, actor, found["id"], opening_text=opening,
                       anonymous=found["anonymous"] if lock else anonymous, prereading_ids=chosen,
                       success="Settings saved.", rerun=True)

history = ui.cached(participation.team_history, actor, team_id, now)
if history:
    st.subheader(f"Every {team_md} survey", divider="gray")
    labels = {surveys.OPEN: "open", surveys.CLOSED_EARLY: "closed early", surveys.CLOSED: "closed"}
    st.dataframe(
        [{"Quarter": h["quarter"], "State": labels[h["state"]], "Deadline": surveys.when(h["deadline"]),
          "Answered": h["answered"], "Ideas": "hidden until it closes" if h["ideas"] is None else str(h["ideas"]),
          "Answers": "anonymous" if h["anonymous"] else "named"} for h in history],
        hide_index=True, width="stretch",
    )
