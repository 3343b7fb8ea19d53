"""The Notifications page's parts: a person's choices (signed in, or through a signed unsubscribe link without
signing in) and their teams' chat webhooks."""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import fmt, meetings
from okrdash.notify import prefs, tokens, webhooks
from okrdash.notify.kinds import CHAT, EMAIL, KINDS
from okrdash.ui.widgets import act, cached, show_flash

LINK_PARAM = "unsubscribe"  # ?unsubscribe=<token>: the one-click link in every email (okrdash.notify.links)


def choices_form(key: str, choices: prefs.Choices, save: Any, *args: Any) -> None:
    """Every kind with its Email and Team chat boxes, saved in one click by `save(*args, choices)`."""
    with st.form(key):
        head = st.columns([5, 1, 1])
        head[0].markdown("**What okrdash sends**")
        head[1].markdown("**Email**")
        head[2].markdown("**Team chat**")
        picked: dict[str, dict[str, bool]] = {}
        for kind, info in KINDS.items():
            row = st.columns([5, 1, 1], vertical_alignment="center")
            row[0].markdown(f"{info.label}  \n:small[To {fmt.plain(info.who)}; {info.period}.]")
            picked[kind] = {EMAIL: row[1].checkbox(f"Email: {info.label}", value=choices[kind][EMAIL],
                                                   key=f"{key}_{kind}_email", label_visibility="collapsed")}
            if info.team_chat:
                picked[kind][CHAT] = row[2].checkbox(f"Team chat: {info.label}", value=choices[kind][CHAT],
                                                     key=f"{key}_{kind}_chat", label_visibility="collapsed")
            else:
                row[2].caption("email only")
        if st.form_submit_button("Save my choices", type="primary", icon=":material/save:"):
            act(save, *args, picked, success="Saved: okrdash sends you what you ticked.", rerun=True)


def explain_chat(teams_below: bool = True) -> None:
    st.caption("Team chat: a post in your team's channel when its lead has connected one"
               + (" (below)" if teams_below else "") + ". It goes out when at least one person it is meant for keeps "
               "team chat on; turning email off and team chat on means you follow that kind in the channel. Check-in "
               "reminders and digests are personal: email only.")


def link_landing() -> bool:
    """When the address carries a signed unsubscribe link, show its page instead of the app (no sign-in, no menu)
    and return True. The page is a page of its own (at /notifications, where the link points), so Streamlit's
    router knows it and lists no other pages."""
    token = str(st.query_params.get(LINK_PARAM, "")).strip()
    if not token:
        return False
    # Two pages: the only page of a navigation is its default, served at / whatever its url_path says.
    st.navigation([st.Page(lambda: _landing(token), title="okrdash", url_path="start", default=True),
                   st.Page(lambda: _landing(token), title="Notifications", url_path="notifications",
                           icon=":material/notifications:")], position="hidden").run()
    return True


def _landing(token: str) -> None:
    """The first view turns that kind's email off (one click), then the person may change the rest."""
    show_flash()
    st.title("Notifications")
    done_key = f"_unsubscribed_{token[-16:]}"
    ok, found = act(prefs.by_link if st.session_state.get(done_key) else prefs.unsubscribe, token)
    if not ok:
        st.link_button("Open okrdash", "./", icon=":material/home:")
        return
    st.session_state[done_key] = True
    person = found["person"]
    what = "any emails" if found["kind"] == tokens.ALL else f"“{KINDS[found['kind']].label}” emails"
    st.success(f"Unsubscribed: {fmt.inline(person['name'])} ({fmt.inline(person['email'])}) will no longer get "
               f"{what} from okrdash.", icon=":material/unsubscribe:")
    st.markdown(f"You can change the rest of your choices here without signing in until this link expires on "
                f"{fmt.day(found['expires'])}.")
    choices_form("notifications_link", found["choices"], prefs.save_by_link, token)
    explain_chat(teams_below=False)
    st.link_button("Open okrdash", "./", icon=":material/home:")


def calendar_buttons(actor: Any, survey: dict[str, Any], meeting: dict[str, Any] | None) -> None:
    """Downloads of the workshop invitation and the survey's deadline as calendar files (.ics)."""
    from okrdash.notify import ics  # late import: icalendar loads when a survey page needs it

    team, quarter = survey["team_name"], survey["quarter"]
    left, right = st.columns(2)
    if meeting:
        left.download_button("Add the workshop to my calendar", lambda: ics.workshop_invite(actor, survey["id"]),
                             file_name=ics.file_name(team, quarter, "workshop"), mime="text/calendar",
                             icon=":material/event:", on_click="ignore", key=f"calendar_workshop_{survey['id']}",
                             help=f"The workshop: {meetings.describe(meeting)}")
    right.download_button("Add the deadline to my calendar", lambda: ics.deadline_invite(actor, survey["id"]),
                          file_name=ics.file_name(team, quarter, "survey-deadline"), mime="text/calendar",
                          icon=":material/alarm:", on_click="ignore", key=f"calendar_deadline_{survey['id']}")


def checkin_reminder(actor: Any) -> None:
    """The weekly recurring check-in reminder for the owner's calendar: pick a day, download the .ics."""
    from okrdash.notify import ics  # late import: icalendar loads when the file is asked for

    if not cached(ics.owned_key_results, actor):
        return  # no key results of the current quarter to be reminded of
    with st.expander("Add a weekly check-in reminder to my calendar", icon=":material/event_repeat:"):
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
        day = st.columns(3)[0].selectbox("Day of the week", range(len(days)), index=4, format_func=days.__getitem__,
                                         key="checkins_reminder_day")
        st.caption(f"Every {days[day]} at {ics.CHECKIN_TIME:%H:%M} ({ics.CHECKIN_MINUTES} minutes) until the "
                   "quarter ends, listing your key results and linking here.")
        st.download_button("Download the reminder (.ics)", lambda: ics.checkin_reminder(actor, day),
                           file_name=f"okr-check-ins-{days[day].lower()}.ics", mime="text/calendar",
                           icon=":material/download:", on_click="ignore", key="checkins_reminder_download")


def team_chat(actor: Any, teams: list[dict[str, Any]], key: str) -> None:
    """Each team's chat webhook (masked), with a form to set or remove it where `actor` may."""
    if not teams:
        st.caption("You are in no team, so no team chat reaches you.")
        return
    for team in teams:
        with st.container(border=True):
            name = fmt.plain(team["team"])
            if team["webhook"]:
                st.markdown(f"**{name}** posts to `{team['webhook']}` · {fmt.plain(team['set'])}")
            else:
                st.markdown(f"**{name}** has no chat connected yet.")
            if not team["may_edit"]:
                if not team["webhook"]:
                    st.caption("Its lead or an admin connects it here.")
                continue
            with st.expander("Connect a chat channel" if not team["webhook"] else "Change or remove the channel",
                             icon=":material/forum:"), st.form(f"{key}_{team['team_id']}"):
                url = st.text_input("Incoming-webhook URL", type="password", key=f"{key}_{team['team_id']}_url",
                                    placeholder="https://hooks.slack.com/services/…",
                                    help="Slack, Mattermost or Rocket.Chat: create an incoming webhook for the "
                                         "team's channel and paste its URL. It must start with https://.")
                save, remove = st.columns(2)
                if save.form_submit_button("Save", type="primary", icon=":material/link:"):
                    act(webhooks.set_url, actor, team["team_id"], url, rerun=True,
                        success=f"{team['team']} now posts to its chat channel.",
                        clear=[f"{key}_{team['team_id']}_url"])
                if team["webhook"] and remove.form_submit_button("Remove", icon=":material/link_off:"):
                    act(webhooks.remove, actor, team["team_id"], rerun=True,
                        success=f"{team['team']} no longer posts to chat.")
