"""Admin → Notifications: what `remind` would send now (rendered), the past week's sent log, the settings in force,
every team's chat webhook, and a test email."""

from __future__ import annotations

from typing import Any

import streamlit as st

from okrdash import fmt
from okrdash.notify import preview, webhooks
from okrdash.notify.kinds import KINDS
from okrdash.ui import notify_views
from okrdash.ui.widgets import act, cached, empty_state, this_minute

STATUS = {"sent": "sent", "failed": "failed (tried again next run)", "uncertain": "uncertain (not sent again)",
          "claimed": "being sent", "sending": "being sent"}


def _settings(actor: Any) -> None:
    found = cached(preview.configuration, actor)
    st.markdown("\n".join([
        f"- **Email**: {fmt.plain(found['email'])}",
        f"- **Links in messages** open {fmt.plain(found['base_url'])}",
        f"- **Time zone** of dates and calendar files: {fmt.plain(found['timezone'])}",
        f"- **Team chat**: {found['teams_with_chat']} team(s) connected",
    ]))
    st.caption("Set these in the environment or .streamlit/secrets.toml (README → Configuration). `python -m okrdash "
               "remind` sends what is due; run it from cron, a systemd timer or a Kubernetes CronJob.")


def _message(message: dict[str, Any]) -> None:
    st.markdown(f"**{fmt.plain(message['subject'])}**  \nTo {fmt.plain(message['to'])} · {message['label']} · "
                f"{message['channel']}" + (" · tried before and failed: sent again" if message["retry"] else ""))
    if message["payload"] is not None:
        st.code(message["text"], language=None, wrap_lines=True)
        with st.expander("The JSON posted to the webhook"):
            st.json(message["payload"])
        return
    st.code(message["text"], language=None, wrap_lines=True)
    st.download_button("Download the HTML part", message["html"].encode(), file_name="message.html",
                       mime="text/html", icon=":material/download:", on_click="ignore",
                       key=f"notify_admin_html_{hash(message['subject'] + message['to'])}")


def _preview(actor: Any) -> None:
    kinds = [None, *KINDS]
    only = st.selectbox("Kind", kinds, format_func=lambda k: "Every kind" if k is None else KINDS[k].label,
                        key="notify_admin_kind")
    found = cached(preview.due_now, actor, this_minute(), only)
    messages = found["messages"]
    st.caption(f"As of {fmt.day(found['now'])} at {found['now']:%H:%M}: {len(messages) + found['more']} message(s) "
               f"due and not sent yet; {found['already']} already sent in their period.")
    if not messages:
        empty_state("Nothing is due that has not been sent already. The sent log below shows the week.")
        return
    st.dataframe([{"Kind": m["label"], "Channel": m["channel"], "To": m["to"], "Subject": m["subject"]}
                  for m in messages], hide_index=True, width="stretch")
    labels = {i: f"{m['to']} — {m['subject']}" for i, m in enumerate(messages)}
    chosen = st.selectbox("Read a message as it would be sent", list(labels), format_func=labels.__getitem__,
                          key="notify_admin_message")
    with st.container(border=True):
        _message(messages[chosen])


def _log(actor: Any) -> None:
    rows = cached(preview.sent_log, actor, 7, this_minute())
    if not rows:
        empty_state("Nothing was sent in the last 7 days.")
        return
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    st.caption(", ".join(f"{n} {STATUS.get(s, s)}" for s, n in sorted(counts.items())))
    st.dataframe([{"When": r["sent_at"] or r["claimed_at"], "Kind": KINDS[r["kind"]].label if r["kind"] in KINDS
                   else r["kind"], "Channel": r["channel"], "To": r["recipient"], "Subject": r["subject"],
                   "Status": STATUS.get(r["status"], r["status"]), "Tries": r["attempts"], "Problem": r["error"]}
                  for r in rows], hide_index=True, width="stretch",
                 column_config={"When": st.column_config.DatetimeColumn(format="ddd D MMM, HH:mm")})


def tab(actor: Any) -> None:
    _settings(actor)
    st.subheader("What `remind` would send now")
    _preview(actor)
    st.subheader("Sent in the last 7 days")
    _log(actor)
    st.subheader("Team chat")
    notify_views.team_chat(actor, cached(webhooks.overview, actor, every_team=True), "notify_admin_hook")
    st.subheader("Test email")
    with st.form("notify_admin_test"):
        to = st.text_input("Send a test email to", key="notify_admin_test_to", placeholder="you@example.com")
        if st.form_submit_button("Send test email", icon=":material/send:"):
            ok, said = act(preview.send_test, actor, to)
            if ok:
                st.success(said, icon=":material/mark_email_read:")
