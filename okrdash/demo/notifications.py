"""The demo's notifications: a workshop date for each of next quarter's surveys, a chat webhook for Scheduling, one
person's changed choices, and the sent log of the past week as `remind` would have written it running every
morning at 09:00. The log is made by planning each of those runs with the real code (okrdash.notify.remind.plan
as of that morning) and recording what it would have sent, so the Admin preview shows a believable week: what
went out, and what is due now because it happened since this morning's run."""

from __future__ import annotations

import datetime as dt

from okrdash import db, meetings, quarters
from okrdash.demo.story import Org, at
from okrdash.notify import content, remind
from okrdash.notify.kinds import CHAT, KINDS, week

PLACES = ["Harbor HQ, Lighthouse room", "Harbor HQ, Anchor room (and on Zoom)", "Harbor HQ, Lighthouse room",
          "Video call: meet.harbor.example/mobile-okrs", "Harbor HQ, Chart room", "Harbor HQ, Anchor room"]
WEBHOOK = "https://chat.harbor.example/hooks/T0HARBOR/B0SCHED/demo-webhook-not-real"
DAYS = 9  # runs from this many days ago until yesterday


def add(org: Org, today: dt.date) -> dict[str, int]:
    """Write the demo's notification data (after the rest of the demo is committed); rows written per table."""
    planning = quarters.shift(quarters.key_for(today), 1)
    surveys = db.rows("""SELECT s.id, s.deadline, s.opened_by, t.name FROM surveys s JOIN teams t ON t.id = s.team_id
                         WHERE s.quarter = ? ORDER BY s.id""", [planning])
    with db.transaction() as cur:
        for index, survey in enumerate(surveys):
            closed = survey["deadline"].date() < today
            # Onboarding met yesterday (its blind vote opened during the workshop); the others meet after their
            # deadlines.
            start = at(today - dt.timedelta(days=1), 13) if closed else meetings.default_start(survey["deadline"])
            cur.execute("""INSERT INTO workshop_meetings (survey_id, starts_at, minutes, place, updated_by, updated_at)
                           VALUES (?, ?, ?, ?, ?, ?)""",
                        [survey["id"], start, 180, PLACES[index % len(PLACES)], survey["opened_by"],
                         survey["deadline"] - dt.timedelta(days=14)])
        cur.execute("INSERT INTO team_webhooks (team_id, url, set_by, set_at) VALUES (?, ?, ?, ?)",
                    [org.teams["Scheduling"], WEBHOOK, org.leads["Scheduling"], at(today - dt.timedelta(days=20))])
        for kind in ("survey_opened", "survey_closing"):  # Mei Chen follows surveys in Scheduling's chat instead
            cur.execute("""INSERT INTO notify_prefs (person_id, kind, channel, enabled, updated_at)
                           VALUES (?, ?, 'email', false, ?)""",
                        [org.people["Mei Chen"], kind, at(today - dt.timedelta(days=12), 11)])
    return {"workshop_meetings": len(surveys), "team_webhooks": 1, "notify_prefs": 2,
            "notify_log": _past_runs(today)}


def _subject(item: remind.Outgoing) -> str:
    return content.chat(item.due)[0] if item.channel == CHAT else content.email(item.due).subject


def _past_runs(today: dt.date) -> int:
    """Record what each morning's run since DAYS days ago would have sent. The weekly kinds are planned on the
    first of those mornings in each week only (where a real run sends them; planning them cost a tracking query
    over the organisation per morning)."""
    written, weeks = 0, set()
    for back in range(DAYS, 0, -1):
        moment = at(today - dt.timedelta(days=back), 9)
        kinds = [k for k in KINDS if not k.startswith(("checkin", "manager"))]
        if week(moment.date()) not in weeks:
            weeks.add(week(moment.date()))
            kinds = list(KINDS)
        logged = {(r["audience"], r["kind"], r["period"], r["channel"]) for r in db.rows(
            "SELECT audience, kind, period, channel FROM notify_log")}
        rows = []
        for second, item in enumerate(i for i in remind.plan(moment, kinds=kinds) if i.key not in logged):
            sent = moment + dt.timedelta(seconds=2 * second + 1)
            # The Scheduling chat needed a second try once (a 503 from the chat server), as real webhooks do.
            attempts = 2 if item.channel == CHAT and item.kind == "survey_opened" else 1
            rows.append([*item.key, item.person_id, item.team_id, item.recipient, _subject(item)[:300],
                         sent - dt.timedelta(seconds=1), sent, attempts])
        if rows:
            with db.transaction() as cur:
                cur.executemany(
                    """INSERT INTO notify_log (audience, kind, period, channel, person_id, team_id, recipient, subject,
                                              claimed_at, sent_at, attempts, status, claimed_by)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', 'demo')""", rows)
            written += len(rows)
    return written
