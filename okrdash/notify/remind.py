"""`python -m okrdash remind`: send what is due, each message at most once per person (or team), kind and period.

One run: resolve what earlier runs left half-done (okrdash.notify.sentlog), read what is due (okrdash.notify.due),
keep what each person chose (okrdash.notify.prefs), then for each message: claim it in the sent log, render it,
mark the hand-off, send it, mark it sent. A failure is retried with exponential backoff (OKRDASH_NOTIFY_TRIES,
OKRDASH_NOTIFY_BACKOFF) and reported; a server that cannot be reached at all stops that channel for the rest of
the run, and the messages it did not try stay unclaimed for the next run. Nothing is skipped silently: the report
counts what was sent, failed, left uncertain, not attempted and already sent.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from okrdash import settings
from okrdash.notify import chat, content, due, links, mail, prefs, render, sentlog, webhooks
from okrdash.notify.delivery import Failed, Uncertain, backoff, tries
from okrdash.notify.kinds import CHAT, EMAIL, KINDS, check_kind

SKIP = ("sent", "sending", "uncertain", "claimed")  # logged states a run leaves alone


@dataclass
class Outgoing:
    kind: str
    period: str
    channel: str
    audience: str  # 'person:12' or 'team:4'
    person_id: int | None
    team_id: int | None
    recipient: str  # an email address, or the team's name for a chat post
    due: due.Due  # the email's, or the first of the team post's
    url: str | None = None  # the team's webhook

    @property
    def key(self) -> tuple[str, str, str, str]:
        return self.audience, self.kind, self.period, self.channel


def plan(now: dt.datetime, only: str | None = None, *, kinds: list[str] | None = None) -> list[Outgoing]:
    """Every message due at `now` (of the kind `only`, or of `kinds`) that its people want: emails to each
    person, one post per team chat."""
    dues = due.everything(now, [only] if only else kinds)
    out: list[Outgoing] = []
    by_kind: dict[str, list[due.Due]] = defaultdict(list)
    for item in dues:
        by_kind[item.kind].append(item)
    for kind, items in by_kind.items():
        wanted = prefs.wanting(sorted({d.person["id"] for d in items}), kind, EMAIL)
        out += [Outgoing(kind, d.period, EMAIL, f"person:{d.person['id']}", d.person["id"],
                         d.team["id"] if d.team else None, d.person["email"], d)
                for d in items if d.person["id"] in wanted]
    hooks = webhooks.urls()
    posts: dict[tuple[str, str, int], list[due.Due]] = defaultdict(list)
    for item in dues:
        if KINDS[item.kind].team_chat and item.team and item.team["id"] in hooks:
            posts[(item.kind, item.period, item.team["id"])].append(item)
    for (kind, period, team_id), items in posts.items():
        # A team post goes when someone it is meant for wants team chat for this kind (okrdash.notify.prefs).
        if prefs.wanting(sorted({d.person["id"] for d in items}), kind, CHAT):
            out.append(Outgoing(kind, period, CHAT, f"team:{team_id}", None, team_id, items[0].team["name"],
                                items[0], hooks[team_id]))
    return out


@dataclass
class Rendered:
    subject: str
    text: str
    html: str | None = None
    payload: dict[str, Any] | None = None
    message: EmailMessage | None = None


def render_one(item: Outgoing, cfg: mail.Config | None, now: dt.datetime) -> Rendered:
    """The message as it would leave: for email the text and HTML parts (and the whole message when SMTP is set)."""
    if item.channel == CHAT:
        headline, blocks, action = content.chat(item.due)
        body = render.text([("p", headline), *blocks, ("link", *action)])
        return Rendered(headline, body, payload=render.chat_payload(headline, blocks, action))
    made = content.email(item.due)
    utc_now = now.replace(tzinfo=settings.timezone()).astimezone(dt.UTC)
    unsubscribe = links.unsubscribe(item.person_id, item.kind, utc_now)
    plain_footer, html_footer = render.footer_blocks(made.why, links.preferences(), unsubscribe,
                                                     KINDS[item.kind].label)
    found = Rendered(render.one_line(made.subject), render.text(made.blocks) + "\n" + plain_footer,
                     html=render.html_body(made.subject, made.blocks, html_footer))
    if cfg is not None:
        found.message = mail.build(made, cfg=cfg, to_name=item.due.person["name"], to_address=item.recipient,
                                   kind_label=KINDS[item.kind].label, key="|".join(item.key),
                                   preferences_url=links.preferences(), unsubscribe_url=unsubscribe,
                                   date=now.replace(tzinfo=settings.timezone()))
    return found


@dataclass
class Line:
    status: str  # sent, failed, uncertain, not attempted, would send
    channel: str
    kind: str
    recipient: str
    subject: str
    detail: str = ""

    def text(self) -> str:
        where = f"{self.recipient}" if self.channel == EMAIL else f"{self.recipient} team chat"
        return (f"{self.status:<13} {self.channel:<5} {self.kind:<14} {where} “{self.subject}”"
                + (f" — {self.detail}" if self.detail else ""))


@dataclass
class Report:
    now: dt.datetime
    dry_run: bool = False
    lines: list[Line] = field(default_factory=list)
    already: int = 0
    notes: list[str] = field(default_factory=list)

    def count(self, status: str, channel: str | None = None) -> int:
        return sum(1 for line in self.lines if line.status == status and channel in (None, line.channel))

    @property
    def ok(self) -> bool:
        return not any(self.count(s) for s in ("failed", "uncertain", "not attempted"))

    def summary(self) -> str:
        if self.dry_run:
            return (f"Dry run: would send {self.count('would send')} ({self.count('would send', EMAIL)} email, "
                    f"{self.count('would send', CHAT)} chat); {self.already} already sent earlier.")
        return (f"Sent {self.count('sent')} ({self.count('sent', EMAIL)} email, {self.count('sent', CHAT)} chat), "
                f"failed {self.count('failed')}, uncertain {self.count('uncertain')}, "
                f"not attempted {self.count('not attempted')}, already sent earlier {self.already}.")


def _deliver(item: Outgoing, made: Rendered, row: int, me: str, mailer: mail.Mailer | None, now: dt.datetime,
             sleep: Callable[[float], None]) -> tuple[str, str, bool]:
    """Send with retries; returns (status, detail, channel_down)."""
    attempts, pause = tries(), backoff()
    for attempt in range(1, attempts + 1):
        try:
            handoff = lambda: sentlog.sending(row, me)  # noqa: E731 (the channel calls it at the hand-off)
            if item.channel == EMAIL:
                assert mailer is not None and made.message is not None
                mailer.send(made.message, item.recipient, handoff)
            else:
                chat.post(item.url or "", made.payload or {}, item.recipient, handoff)
        except Uncertain as error:
            sentlog.uncertain(row, me, error.message)
            return "uncertain", error.message, False
        except Failed as error:
            if error.transient and attempt < attempts:
                sentlog.retry(row, me, error.message)
                sleep(pause * 2 ** (attempt - 1))
                continue
            detail = f"{error.message} (tried {attempt} time{'s' * (attempt != 1)})"
            sentlog.failed(row, me, detail)
            return "failed", detail, error.channel_down
        sentlog.sent(row, me, now)
        return "sent", "", False
    raise AssertionError("unreachable")


def run(*, now: dt.datetime | None = None, dry_run: bool = False, only: str | None = None,
        sleep: Callable[[float], None] = time.sleep, echo: Callable[[str], None] | None = None) -> Report:
    """One run of `remind` as of `now` (the organisation's wall clock; default: this instant). `echo` gets each
    line as it happens (the CLI prints them at once, so a long run shows progress)."""
    if only is not None:
        check_kind(only)
    now = settings.local_now(now)
    cfg = mail.config()  # a malformed setting stops the run before anything is claimed
    settings.base_url()
    report = Report(now, dry_run)
    me = sentlog.new_owner()

    def add(line: Line) -> None:
        report.lines.append(line)
        if echo:
            echo(line.text())

    if not dry_run:
        for row in sentlog.reconcile(me, now):
            report.notes.append(f"An earlier run stopped while handing over the {row['kind']} {row['channel']} to "
                                f"{row['recipient']} (“{row['subject']}”): it may have been delivered, so it is not "
                                "sent again.")
    items = plan(now, only)
    if cfg is None and any(i.channel == EMAIL for i in items):
        report.notes.append("Email is off because OKRDASH_SMTP_URL is not set: "
                            + ("these emails would not go out." if dry_run else
                               f"{sum(1 for i in items if i.channel == EMAIL)} email(s) due were not sent."))
        items = items if dry_run else [i for i in items if i.channel != EMAIL]
    logged = sentlog.states([i.period for i in items])
    mailer = mail.Mailer(cfg) if cfg is not None else None
    down: dict[str, str] = {}  # 'email' or a webhook URL -> why the rest of the run leaves it alone
    try:
        for item in items:
            if logged.get(item.key) in SKIP:
                report.already += 1
                continue
            made = render_one(item, cfg, now)
            line = Line("would send", item.channel, item.kind, item.recipient, made.subject)
            if dry_run:
                add(line)
                continue
            route = EMAIL if item.channel == EMAIL else item.url or ""
            if route in down:
                line.status, line.detail = "not attempted", down[route]
                add(line)
                continue
            row = sentlog.claim(item.key, person_id=item.person_id, team_id=item.team_id, recipient=item.recipient,
                                subject=made.subject, me=me, now=now)
            if row is None:
                report.already += 1
                continue
            line.status, line.detail, channel_down = _deliver(item, made, row, me, mailer, now, sleep)
            if channel_down:
                down[route] = f"not tried after: {line.detail}"
            add(line)
    finally:
        if mailer is not None:
            mailer.close()
    return report
