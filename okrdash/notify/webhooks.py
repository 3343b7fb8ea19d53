"""Each team's chat: the incoming-webhook URL an admin or the team's lead sets (Slack, Mattermost, Rocket.Chat).

The URL must be https: its path is the credential, and a plain http URL would send it and every message in clear
text. The URL is a secret, so pages show it masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from okrdash import auth, db, fmt
from okrdash.errors import PermissionDenied, ValidationError

URL_MAX = 500


def check_url(url: object) -> str:
    """A webhook URL: https, a host name, no spaces; ValidationError says what is wrong."""
    text = str(url or "").strip()
    if not text:
        raise ValidationError("Paste the webhook URL your chat app gave you (it starts with https://).", "webhook")
    if len(text) > URL_MAX or any(ch.isspace() for ch in text):
        raise ValidationError("That is not a webhook URL: it is too long or contains spaces. Copy it again from "
                              "your chat app.", "webhook")
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ValidationError(f"“{text[:80]}” is not a valid URL. Copy the webhook URL again from your chat app.",
                              "webhook") from None
    if parts.scheme != "https":
        raise ValidationError(
            f"The webhook URL must start with https:// (it starts with “{parts.scheme or text[:10]}”): the URL "
            "itself is the password to the channel, and plain http would send it and every message unencrypted.",
            "webhook")
    if not host or ("." not in host.strip(".") and host != "localhost"):
        raise ValidationError(f"“{text[:80]}” has no host name. Copy the whole webhook URL from your chat app.",
                              "webhook")
    if parts.username or parts.password:
        raise ValidationError("The webhook URL must not contain a user name or password.", "webhook")
    del port  # reading it checks it is a number
    return text


def masked(url: str) -> str:
    """'https://hooks.slack.com/…K2x9' — enough to recognise it, not enough to use it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…{url[-4:]}"


def url_of(team_id: int) -> str | None:
    """The team's webhook URL (library level: only `remind` uses it unmasked)."""
    return db.scalar("SELECT url FROM team_webhooks WHERE team_id = ?", [team_id])


def urls() -> dict[int, str]:
    return {r["team_id"]: r["url"] for r in db.rows("SELECT team_id, url FROM team_webhooks")}


def may_edit(actor: auth.Actor, team_id: int) -> bool:
    return actor.is_admin or actor.leads(team_id)


def _require_editor(actor: auth.Actor, team_id: int) -> None:
    if not may_edit(actor, team_id):
        raise PermissionDenied(f"Only admins and the lead of {auth.team_name(team_id)} may set its chat webhook. "
                               f"{actor.name} is neither.")


def set_url(actor: auth.Actor, team_id: int, url: object, now: dt.datetime | None = None) -> str:
    """An admin or the team's lead sets (or replaces) the team's webhook; returns it masked."""
    _require_editor(actor, team_id)
    clean = check_url(url)
    with db.transaction() as cur:
        cur.execute("""INSERT INTO team_webhooks (team_id, url, set_by, set_at) VALUES (?, ?, ?, ?)
                       ON CONFLICT (team_id) DO UPDATE SET url = excluded.url, set_by = excluded.set_by,
                                                          set_at = excluded.set_at""",
                    [team_id, clean, actor.person_id, now or dt.datetime.now().replace(microsecond=0)])
    return masked(clean)


def remove(actor: auth.Actor, team_id: int) -> None:
    """An admin or the team's lead removes the team's webhook: nothing goes to its chat any more."""
    _require_editor(actor, team_id)
    db.execute("DELETE FROM team_webhooks WHERE team_id = ?", [team_id])


def overview(actor: auth.Actor, *, every_team: bool = False) -> list[dict[str, Any]]:
    """The teams whose chat `actor` sees: their own teams (and, with `every_team`, every team for admins), each
    with its masked webhook, who set it and whether `actor` may change it."""
    if every_team:
        auth.require_admin(actor, "see every team's chat webhook")
        teams = db.rows("SELECT id, name FROM teams t WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = t.id)"
                        " ORDER BY name")
    else:
        teams = db.rows("""SELECT t.id, t.name FROM memberships m JOIN teams t ON t.id = m.team_id
                           WHERE m.person_id = ? ORDER BY t.name""", [actor.person_id])
    hooks = {r["team_id"]: r for r in db.rows(
        """SELECT w.team_id, w.url, w.set_at, p.name AS set_by_name FROM team_webhooks w
           LEFT JOIN people p ON p.id = w.set_by""")}
    found = []
    for team in teams:
        hook = hooks.get(team["id"])
        found.append({
            "team_id": team["id"], "team": team["name"], "may_edit": may_edit(actor, team["id"]),
            "webhook": masked(hook["url"]) if hook else None,
            "set": f"set by {hook['set_by_name'] or 'someone'} on {fmt.day(hook['set_at'])}" if hook else "",
        })
    return found
