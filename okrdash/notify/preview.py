"""For admins: what `remind` would send now, to whom, rendered; the sent log of the past week; the settings in
force; and a test email that proves the SMTP settings work."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any

from okrdash import auth, settings, validate
from okrdash.errors import ValidationError
from okrdash.notify import links, mail, remind, sentlog, webhooks
from okrdash.notify.delivery import Failed, Uncertain
from okrdash.notify.kinds import KINDS

SHOWN_MAX = 200  # messages rendered in one preview; the rest are counted


def due_now(actor: auth.Actor, now: dt.datetime | None = None, only: str | None = None) -> dict[str, Any]:
    """Every message `remind` would send at `now` and has not sent yet, rendered: kind, label, channel, to,
    subject, text, html (email), payload (chat); `already` counts those sent before."""
    auth.require_admin(actor, "preview notifications")
    now = settings.local_now(now)
    items = remind.plan(now, only)
    logged = sentlog.states([i.period for i in items])
    waiting = [i for i in items if logged.get(i.key) not in remind.SKIP]
    messages = []
    for item in waiting[:SHOWN_MAX]:
        made = remind.render_one(item, None, now)
        messages.append({"kind": item.kind, "label": KINDS[item.kind].label, "channel": item.channel,
                         "to": item.recipient if item.channel == "email" else f"{item.recipient} (team chat)",
                         "subject": made.subject, "text": made.text, "html": made.html, "payload": made.payload,
                         "retry": logged.get(item.key) == "failed"})
    return {"now": now, "messages": messages, "more": max(0, len(waiting) - SHOWN_MAX),
            "already": len(items) - len(waiting)}


def sent_log(actor: auth.Actor, days: int = 7, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The sent log of the last `days` days, newest first."""
    auth.require_admin(actor, "read the sent log")
    return sentlog.recent(settings.local_now(now) - dt.timedelta(days=days))


def configuration(actor: auth.Actor) -> dict[str, Any]:
    """The notification settings in force, each with a problem when it has one (secrets masked)."""
    auth.require_admin(actor, "see the notification settings")
    found: dict[str, Any] = {"teams_with_chat": len(webhooks.urls())}
    for name, read in [("email", mail.config), ("base_url", settings.base_url), ("timezone", settings.timezone_name)]:
        try:
            value = read()
            if isinstance(value, mail.Config):
                value = f"{value.scheme}://{value.host}:{value.port}, from {value.sender}"
            found[name] = value or "off: OKRDASH_SMTP_URL is not set"
        except settings.ConfigError as error:
            found[name] = f"problem: {error.message}"
    if settings.base_url_is_default():
        found["base_url"] += " (the default: set OKRDASH_BASE_URL so links in messages work)"
    return found


def send_test(actor: auth.Actor, to: str, now: dt.datetime | None = None) -> str:
    """An admin sends a test email to `to` through the configured server; returns what happened."""
    auth.require_admin(actor, "send test emails")
    address = validate.email(to, field="test_email")
    cfg = mail.config()
    if cfg is None:
        raise ValidationError("Email is off: set OKRDASH_SMTP_URL and OKRDASH_MAIL_FROM (see the README), then "
                              "restart okrdash.", "test_email")
    message = EmailMessage()
    message["Subject"] = "okrdash test email"
    message["From"], message["To"] = cfg.sender, address
    message.set_content(f"{actor.name} sent this test from okrdash ({links.home()}) at "
                        f"{settings.local_now(now):%Y-%m-%d %H:%M} ({settings.timezone_name()}). Email works.\n")
    mailer = mail.Mailer(cfg)
    try:
        mailer.send(message, address, lambda: None)
    except Failed as error:
        raise ValidationError(f"The test email was not sent: {error.message}.", "test_email") from error
    except Uncertain as error:
        raise ValidationError(f"The test email may not have arrived: {error.message}. Check the inbox of {address}.",
                              "test_email") from error
    finally:
        mailer.close()
    return f"Sent a test email to {address} through {cfg.where}."
