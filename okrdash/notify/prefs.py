"""Each person's choices: which kinds of message they get, by email and in their team's chat.

Only changed choices are stored (notify_prefs); everything else is the default: email on for every kind, team chat
on for the team kinds. A team's chat post for a kind goes out when the team has a webhook and at least one person
it is meant for keeps team chat on for that kind (okrdash.notify.remind).

A signed unsubscribe link (okrdash.notify.tokens) works without signing in: opening it turns that kind's email off
at once (one click), and it lets the person change the rest of their choices until it expires.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db
from okrdash.errors import NotFound, ValidationError
from okrdash.notify import tokens
from okrdash.notify.kinds import CHANNELS, EMAIL, KINDS, channels_of

Choices = dict[str, dict[str, bool]]  # kind -> channel -> on


def default(kind: str, channel: str) -> bool:
    return channel in channels_of(kind)


def choices_of(person_id: int) -> Choices:
    """The person's choice for every kind and channel it offers (library level)."""
    stored = {(r["kind"], r["channel"]): bool(r["enabled"]) for r in db.rows(
        "SELECT kind, channel, enabled FROM notify_prefs WHERE person_id = ?", [person_id])}
    return {kind: {channel: stored.get((kind, channel), default(kind, channel)) for channel in channels_of(kind)}
            for kind in KINDS}


def wanting(person_ids: list[int], kind: str, channel: str) -> set[int]:
    """Which of `person_ids` want `kind` over `channel` (one query for everyone, for `remind`)."""
    if not person_ids or channel not in channels_of(kind):
        return set()
    marks = ", ".join("?" for _ in person_ids)
    changed = {r["person_id"]: bool(r["enabled"]) for r in db.rows(
        f"""SELECT person_id, enabled FROM notify_prefs WHERE kind = ? AND channel = ?
            AND person_id IN ({marks})""", [kind, channel, *person_ids])}
    on = default(kind, channel)
    return {p for p in person_ids if changed.get(p, on)}


def _person(person_id: int) -> dict[str, Any]:
    found = db.row("SELECT id, name, email, active FROM people WHERE id = ?", [person_id])
    if found is None or not found["active"]:
        raise NotFound("This link belongs to a person who is no longer in okrdash, so there is nothing to change.")
    return found


def _clean(choices: dict[str, dict[str, Any]]) -> list[tuple[str, str, bool]]:
    cleaned = []
    for kind, channels in choices.items():
        if kind not in KINDS:
            raise ValidationError(f"“{kind}” is not a kind of notification. Reload the page and try again.")
        for channel, on in channels.items():
            if channel not in CHANNELS or channel not in channels_of(kind):
                raise ValidationError(f"{KINDS[kind].label} cannot be sent by {channel}. Reload the page.")
            cleaned.append((kind, channel, bool(on)))
    return cleaned


def _store(person_id: int, rows: list[tuple[str, str, bool]], now: dt.datetime) -> None:
    with db.transaction() as cur:
        for kind, channel, on in rows:
            cur.execute(
                """INSERT INTO notify_prefs (person_id, kind, channel, enabled, updated_at) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (person_id, kind, channel)
                   DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at""",
                [person_id, kind, channel, on, now])


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now().replace(microsecond=0)


def mine(actor: auth.Actor) -> dict[str, Any]:
    """What the Notifications page shows a signed-in person: their email and choices."""
    return {"person": _person(actor.person_id), "choices": choices_of(actor.person_id)}


def save(actor: auth.Actor, choices: dict[str, dict[str, Any]], now: dt.datetime | None = None) -> None:
    """A person changes their own choices ({kind: {channel: on}}; kinds and channels left out stay as they are)."""
    _store(actor.person_id, _clean(choices), _now(now))


# ---- through a signed link, without signing in ----

def _token_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def by_link(token: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """The person a valid unsubscribe link belongs to, the kind it names and their choices; ValidationError with a
    message for people when the link is forged, altered or expired. `now` is UTC."""
    found = tokens.read(token, now or _token_now())
    return {"person": _person(found.person_id), "kind": found.kind, "expires": found.expires,
            "choices": choices_of(found.person_id)}


def unsubscribe(token: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """One click: turn off the emails the link names (one kind, or all); returns what `by_link` returns, after."""
    found = by_link(token, now)
    kinds = list(KINDS) if found["kind"] == tokens.ALL else [found["kind"]]
    _store(found["person"]["id"], [(k, EMAIL, False) for k in kinds], _now(None))
    return by_link(token, now)


def save_by_link(token: str, choices: dict[str, dict[str, Any]], now: dt.datetime | None = None) -> None:
    """Change the choices of the person a valid link belongs to."""
    found = by_link(token, now)
    _store(found["person"]["id"], _clean(choices), _now(None))
