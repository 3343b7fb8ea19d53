"""Presenting and following a team's workshop.

A lead *presents*: the room (one `live_rooms` row per team and quarter) then shows the step the lead has open and,
if the lead picks one, an idea or key result highlighted. Members (and managers reading along) *follow* by opting
in; their pages move to the presented step and stop moving the moment they opt out. The choice is stored, so it
survives a lost connection or a second laptop.

Two leads presenting at once: the last one to press Present wins, and the one displaced is told (`displaced`), on
their next tick and whenever they try to move the room; pressing Present again takes it back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, fmt, ideas
from okrdash.errors import Conflict, NotFound, ValidationError

STEPS = ("context", "consolidate", "rank", "focus", "key_results", "publish")  # okrdash.workshop.STEPS' keys
HIGHLIGHTS = ("idea", "key_result")


def _clock(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now()


def check_step(step: str) -> str:
    if step not in STEPS:
        raise ValidationError(f"“{step}” is not a workshop step; pick one of {', '.join(STEPS)}.", "step")
    return step


def state(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any]:
    """The room as `actor` sees it: presenter_id and presenter (name) or None, step, since, highlight ({kind, id,
    title} or None), displaced ({id, name, at}: the lead the last takeover ended) or None, following (whether the
    actor follows), followers (how many of the team follow)."""
    auth.require_reader(actor, team_id, "follow this team's workshop")
    found = db.row(
        """SELECT r.presenter_id, p.name AS presenter, r.step, r.since, r.highlight_kind, r.highlight_id,
                  r.displaced_id, d.name AS displaced_name, r.displaced_at
           FROM live_rooms r LEFT JOIN people p ON p.id = r.presenter_id LEFT JOIN people d ON d.id = r.displaced_id
           WHERE r.team_id = ? AND r.quarter = ?""", [team_id, quarter]) or {}
    following = set(db.column(
        """SELECT f.person_id FROM live_followers f JOIN memberships m ON m.team_id = f.team_id
                                                   AND m.person_id = f.person_id
           WHERE f.team_id = ? AND f.quarter = ? AND f.following""", [team_id, quarter]))
    mine = db.scalar("SELECT following FROM live_followers WHERE team_id = ? AND quarter = ? AND person_id = ?",
                     [team_id, quarter, actor.person_id])
    presenter = found.get("presenter_id")
    return {
        "presenter_id": presenter,
        "presenter": found.get("presenter") if presenter else None,
        "step": found.get("step") if presenter else None,
        "since": found.get("since") if presenter else None,
        "highlight": _highlight(team_id, quarter, found.get("highlight_kind"), found.get("highlight_id"))
        if presenter else None,
        "displaced": {"id": found["displaced_id"], "name": found["displaced_name"], "at": found["displaced_at"]}
        if found.get("displaced_id") else None,
        "following": bool(mine),
        "followers": len(following - {presenter}),
    }


def _highlight(team_id: int, quarter: str, kind: str | None, item_id: int | None) -> dict[str, Any] | None:
    """The highlighted item's title; None when there is none or it no longer stands (merged, removed, archived)."""
    if kind == "idea":
        found = db.row("""SELECT title FROM ideas WHERE id = ? AND team_id = ? AND quarter = ?
                          AND merged_into IS NULL AND deleted_at IS NULL""", [item_id, team_id, quarter])
    elif kind == "key_result":
        found = db.row("""SELECT k.title FROM key_results k JOIN objectives o ON o.id = k.objective_id
                          WHERE k.id = ? AND o.team_id = ? AND o.quarter = ? AND k.archived_at IS NULL""",
                       [item_id, team_id, quarter])
    else:
        return None
    return {"kind": kind, "id": item_id, "title": found["title"]} if found else None


def _room(cur: Any, team_id: int, quarter: str, now: dt.datetime) -> dict[str, Any]:
    """The room's row inside a write, made (nobody presenting) when missing."""
    cur.execute("""INSERT INTO live_rooms (team_id, quarter, step, changed_at) VALUES (?, ?, 'context', ?)
                   ON CONFLICT DO NOTHING""", [team_id, quarter, now])
    names = ("presenter_id", "step", "highlight_kind", "highlight_id", "displaced_id")
    values = cur.execute(f"SELECT {', '.join(names)} FROM live_rooms WHERE team_id = ? AND quarter = ?",
                         [team_id, quarter]).fetchone()
    return dict(zip(names, values, strict=True))


def present(actor: auth.Actor, team_id: int, quarter: str, step: str, *,
            now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The lead presents the workshop from `step`. Returns the lead this took over from ({id, name}), else None:
    the last lead to present wins, and the displaced one is told (see `state`)."""
    auth.require_lead(actor, team_id, "present the workshop")
    ideas.require_open_quarter(quarter, now)
    step, now = check_step(step), _clock(now)
    with db.transaction(scope=(team_id, quarter)) as cur:
        room = _room(cur, team_id, quarter, now)
        before = room["presenter_id"]
        if before is not None and before != actor.person_id:  # a takeover: the lead presenting until now is told
            displaced, params = "displaced_id = ?, displaced_at = ?", [before, now]
        elif room["displaced_id"] == actor.person_id:  # the lead displaced earlier presents again
            displaced, params = "displaced_id = NULL, displaced_at = NULL", []
        else:
            displaced, params = "displaced_id = displaced_id", []
        cur.execute(
            f"""UPDATE live_rooms SET presenter_id = ?, step = ?, highlight_kind = NULL, highlight_id = NULL,
                       since = CASE WHEN presenter_id = ? THEN since ELSE ? END, {displaced}, changed_at = ?
                WHERE team_id = ? AND quarter = ?""",
            [actor.person_id, step, actor.person_id, now, *params, now, team_id, quarter])
    if before is None or before == actor.person_id:
        return None
    return {"id": before, "name": db.scalar("SELECT name FROM people WHERE id = ?", [before])}


def _require_presenter(actor: auth.Actor, team_id: int, quarter: str, room: dict[str, Any], doing: str) -> None:
    if room["presenter_id"] == actor.person_id:
        return
    if room["presenter_id"] is None:
        raise ValidationError(f"Nobody is presenting {auth.team_name(team_id)}'s workshop. Press Present first, "
                              f"then {doing}.")
    name = db.scalar("SELECT name FROM people WHERE id = ?", [room["presenter_id"]])
    raise Conflict(f"{name} took over presenting, so the room follows them now. Press Present to take it back, "
                   f"then {doing}.")


def show_step(actor: auth.Actor, team_id: int, quarter: str, step: str, *, now: dt.datetime | None = None) -> bool:
    """The presenter opened `step`: the room moves there and its highlight clears. Returns whether it moved; for
    anyone but the presenter it does nothing (a lead browsing the steps does not move the room)."""
    step, now = check_step(step), _clock(now)
    if not actor.leads(team_id):
        return False
    with db.transaction(scope=(team_id, quarter)) as cur:
        found = cur.execute("SELECT presenter_id, step FROM live_rooms WHERE team_id = ? AND quarter = ?",
                            [team_id, quarter]).fetchone()
        if found is None or found[0] != actor.person_id or found[1] == step:
            return False
        cur.execute("""UPDATE live_rooms SET step = ?, highlight_kind = NULL, highlight_id = NULL, changed_at = ?
                       WHERE team_id = ? AND quarter = ?""", [step, now, team_id, quarter])
    return True


def highlight(actor: auth.Actor, team_id: int, quarter: str, kind: str | None, item_id: int | None = None, *,
              now: dt.datetime | None = None) -> None:
    """The presenter shows the room one idea or key result (`kind` None: none)."""
    auth.require_lead(actor, team_id, "highlight ideas and key results for the room")
    now = _clock(now)
    if kind is not None:
        if kind not in HIGHLIGHTS:
            raise ValidationError(f"Only an idea or a key result can be highlighted, not “{kind}”.", "kind")
        # An idea must stand on the table as everyone sees it: not merged or removed, and not one of a sealed
        # anonymous survey's (okrdash.ideas), whose arrival on screens would tell who wrote what.
        sealed_out = kind == "idea" and ideas.root_map(team_id, quarter, now=now).get(item_id) != item_id
        if sealed_out or _highlight(team_id, quarter, kind, item_id) is None:
            what = "idea" if kind == "idea" else "key result"
            raise NotFound(f"That {what} is no longer on the table (merged, removed or archived). Reload the page.")
    with db.transaction(scope=(team_id, quarter)) as cur:
        room = _room(cur, team_id, quarter, now)
        _require_presenter(actor, team_id, quarter, room, "highlight it")
        cur.execute("""UPDATE live_rooms SET highlight_kind = ?, highlight_id = ?, changed_at = ?
                       WHERE team_id = ? AND quarter = ?""",
                    [kind, item_id if kind else None, now, team_id, quarter])


def stop_presenting(actor: auth.Actor, team_id: int, quarter: str, *, now: dt.datetime | None = None) -> None:
    """The presenter stops; followers' pages stay where they are."""
    auth.require_lead(actor, team_id, "stop presenting")
    now = _clock(now)
    with db.transaction(scope=(team_id, quarter)) as cur:
        room = _room(cur, team_id, quarter, now)
        _require_presenter(actor, team_id, quarter, room, "stop")
        cur.execute("""UPDATE live_rooms SET presenter_id = NULL, highlight_kind = NULL, highlight_id = NULL,
                              since = NULL, displaced_id = NULL, displaced_at = NULL, changed_at = ?
                       WHERE team_id = ? AND quarter = ?""",
                    [now, team_id, quarter])


def follow(actor: auth.Actor, team_id: int, quarter: str, following: bool, *,
           now: dt.datetime | None = None) -> None:
    """Opt in to (or out of) following whoever presents the team's workshop."""
    auth.require_reader(actor, team_id, "follow this team's workshop")
    db.execute("""INSERT INTO live_followers (team_id, quarter, person_id, following, changed_at)
                  VALUES (?, ?, ?, ?, ?)
                  ON CONFLICT (team_id, quarter, person_id) DO UPDATE SET following = excluded.following,
                                                                       changed_at = excluded.changed_at""",
               [team_id, quarter, actor.person_id, bool(following), _clock(now)], scope=(team_id, quarter))


def destination(room: dict[str, Any], actor: auth.Actor, step: str) -> str | None:
    """Where a follower's page should be: the presented step when the actor follows someone else who presents on
    another step than `step`, else None (stay)."""
    if not room["following"] or room["presenter_id"] in (None, actor.person_id) or room["step"] == step:
        return None
    return room["step"]


def describe(room: dict[str, Any], actor: auth.Actor, titles: dict[str, str]) -> str:
    """One Markdown line: who presents which step (names escaped)."""
    if room["presenter_id"] is None:
        return "Nobody is presenting."
    who = "You are" if room["presenter_id"] == actor.person_id else f"{fmt.plain(room['presenter'])} is"
    followers = room["followers"]
    crowd = f" · {followers} following" if followers else ""
    return f"**{who} presenting: {titles.get(room['step'], room['step'])}**{crowd}"
