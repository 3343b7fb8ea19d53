"""Check-ins on key results: the owner's (or the team lead's) weekly value, confidence and comment, append-only;
managers acknowledge them with a comment that the owner sees.

A correction is a new check-in for the same date: the latest row per KR and date counts (okrdash/scores.py).
Rules: only the KR's owner (while a member of the KR's team: an owner who left waits for the lead to reassign the
KR) or its team's lead checks in; managers acknowledge within their subtree; a check-in's date is not in the future
and inside the KR's quarter; values are numbers (milestones: done or not); confidence is a whole number 0–10; the
KR is in the team's latest published version (one added after publishing waits until the change is published).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, fmt, quarters, validate
from okrdash import progress as p
from okrdash.errors import NotFound, PermissionDenied, ValidationError
from okrdash.scores import tracking_sql
from okrdash.storage.changes import read_scope

DEFAULT_CONFIDENCE = 7  # a first check-in starts here; later ones start from the last confidence
_STATE_COLUMNS = """s.kr_id, s.objective_id, s.team_id, t.name AS team_name, s.quarter, s.title, s.kind, s.metric,
    s.unit, s.baseline, s.target, s.change_pct, s.definition_of_done, s.owner_id, owner.name AS owner_name, s.starts_on,
    s.ends_on, s.due_on, s.last_on, s.last_value, s.done, s.confidence, s.progress, s.expected_now, s.status,
    s.stale, s.due, s.days_since, s.projected_value, s.checkins, s.score, s.tracked_from, s.position, s.within,
    EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = s.team_id AND m.person_id = s.owner_id) AS owner_in_team"""


def key_result(kr_id: int) -> dict[str, Any]:
    """A KR with its objective, team and quarter dates; NotFound when it does not exist or was archived."""
    found = db.row(
        """SELECT k.id, k.title, k.kind, k.metric, k.unit, k.baseline, k.target, k.definition_of_done, k.owner_id,
                  owner.name AS owner_name, coalesce(k.due_on, q.ends_on) AS due_on, k.archived_at,
                  o.id AS objective_id, o.title AS objective_title, o.status AS objective_status, o.team_id,
                  t.name AS team_name, o.quarter, q.starts_on, q.ends_on
           FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
           JOIN quarters q ON q.key = o.quarter LEFT JOIN people owner ON owner.id = k.owner_id
           WHERE k.id = ?""",
        [kr_id],
    )
    if found is None or found["archived_at"] is not None:
        raise NotFound("That key result does not exist any more (it may have been archived). Pick another one.")
    return found


def get(actor: auth.Actor, kr_id: int, doing: str = "see this key result", *, team_id: int | None = None,
        quarter: str | None = None) -> dict[str, Any]:
    """`key_result` for people who may read its team (pages open a KR named in a link with this).

    Reads of one KR take its `team_id` and `quarter` too when the page knows them: they scope the cached read
    (okrdash/ui/memo.py), so a check-in on another team's KR leaves it cached. They must be the KR's."""
    kr = key_result(kr_id)
    auth.require_reader(actor, kr["team_id"], doing)
    if team_id not in (None, kr["team_id"]) or quarter not in (None, kr["quarter"]):
        raise ValueError(f"key result {kr_id} belongs to team {kr['team_id']} in {kr['quarter']}, "
                         f"not {team_id} in {quarter}")
    return kr


def may_check_in(actor: auth.Actor, kr: dict[str, Any]) -> bool:
    """The KR's owner while still a member of its team, or the team's lead."""
    owner = kr["owner_id"] == actor.person_id and actor.is_member(kr["team_id"])
    return owner or actor.leads(kr["team_id"])


def require_checker(actor: auth.Actor, kr: dict[str, Any]) -> None:
    if may_check_in(actor, kr):
        return
    if kr["owner_id"] == actor.person_id:
        raise PermissionDenied(
            f"{actor.name} owns “{kr['title']}” but is not a member of {kr['team_name']} (any more), so may not "
            f"check in on it. The lead of {kr['team_name']} must reassign the key result to a member of the team.")
    owner = f" ({kr['owner_name']})" if kr.get("owner_name") else ""
    message = (f"Only the owner of “{kr['title']}”{owner} or the lead of {kr['team_name']} may check in on it; "
               f"{actor.name} is neither.")
    if actor.manages_team(kr["team_id"]):
        message += " Managers acknowledge check-ins on the Key result detail page instead."
    raise PermissionDenied(message)


def check_date(kr: dict[str, Any], checked_on: object, today: dt.date) -> dt.date:
    """A check-in date for `kr` (its quarter, starts_on, ends_on): not in the future, inside the quarter."""
    day = validate.date(checked_on, "The check-in date", field="checked_on")
    if day > today:
        raise ValidationError(
            f"The check-in date {fmt.day(day)} is in the future; check in for today or an earlier day.", "checked_on")
    if not kr["starts_on"] <= day <= kr["ends_on"]:
        raise ValidationError(
            f"{fmt.day(day)} is outside {kr['quarter']} ({fmt.day(kr['starts_on'])} – {fmt.day(kr['ends_on'])}), "
            "the quarter of this key result. Pick a day inside it.",
            "checked_on",
        )
    return day


def record(actor: auth.Actor, kr_id: int, *, value: object = None, done: bool | None = None,
           confidence: object, comment: str = "", checked_on: object = None, today: dt.date | None = None) -> int:
    """The owner or the team's lead records a check-in (append-only); returns its id.

    `value` is a number (or text such as '42' or '1,200.5') for measured kinds; milestones take `done`.
    `checked_on` defaults to today; a second check-in for the same date corrects the first.
    """
    today = today or dt.date.today()
    kr = key_result(kr_id)
    require_checker(actor, kr)
    if kr["objective_status"] != "published":
        raise ValidationError(
            f"“{kr['objective_title']}” is still a draft. Check-ins start once {kr['team_name']} publishes its OKRs.")
    if db.scalar("SELECT count(*) FROM awaiting_publish WHERE kr_id = ?", [kr_id]):
        raise ValidationError(
            f"“{kr['title']}” is not in the published version of {kr['team_name']}'s OKRs: it was added (or restored) "
            "after publishing. Publish the change first (the lead does it on the workshop's Publish step), then "
            "check in.")
    day = check_date(kr, today if checked_on in (None, "") else checked_on, today)
    if kr["kind"] == "milestone":
        if done is None:
            raise ValidationError("Say whether the milestone is done.", "done")
        number, done = None, bool(done)
    else:
        label = f"The value of {kr['metric']}" if kr["metric"] else "The value"
        number = validate.number(value, label, required=True, field="value")
        done = None
    level = validate.integer_in(confidence, "Confidence", 0, 10, field="confidence")
    note = validate.text(comment, "Comment", field="comment")
    def append() -> int:
        with db.transaction(scope=(kr["team_id"], kr["quarter"]), serial=f"checkins.kr.{kr_id}") as cur:
            checkin_id = int(cur.execute("SELECT nextval('seq_checkins')").fetchone()[0])
            cur.execute(
                """INSERT INTO checkins (id, kr_id, person_id, checked_on, value, done, confidence, comment)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [checkin_id, kr_id, actor.person_id, day, number, done, level, note],
            )
        return checkin_id

    # Check-ins are appended, but the KR's summary row (okrdash.summaries) is rewritten: check-ins on one KR take
    # turns (serial, in every process) rather than collide there. Another write to that row (the KR edited at the
    # same moment) can still win a race; appending again is safe.
    return db.retrying(append)


@read_scope(lambda actor, *_, **__: actor.member_of | actor.lead_of, "quarter")  # a check-in elsewhere: kept
def checkable_key_results(actor: auth.Actor, quarter: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The KRs of `quarter` that `actor` may check in on (owned in a team they are still a member of, or in a team
    they lead), with their state: own KRs first, then by team and position. Each row has `mine` (owned by the
    actor) and `owner_in_team` (False: the owner left the team and the lead must reassign the KR)."""
    today = today or dt.date.today()
    teams, led = sorted(actor.member_of), sorted(actor.lead_of)
    if not teams:
        return []
    lead_filter = " OR o.team_id = ANY($led)" if led else ""
    params: dict[str, Any] = {"quarter": quarter, "me": actor.person_id, "today": today, "teams": teams}
    if led:
        params["led"] = led
    rows = db.rows(
        tracking_sql(f"o.quarter = $quarter AND ((k.owner_id = $me AND o.team_id = ANY($teams)){lead_filter})",
                     today, awaiting=True)
        + f"""
        SELECT {_STATE_COLUMNS}, s.owner_id = $me AS mine
        FROM kr_states s JOIN teams t ON t.id = s.team_id LEFT JOIN people owner ON owner.id = s.owner_id
        ORDER BY s.owner_id = $me DESC, t.name, s.position, s.kr_id""",
        params,
    )
    return _mark_published(rows)


def _mark_published(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's `published`: whether its KR is in the latest published version (check-ins wait until it is)."""
    waiting = set(db.column("SELECT kr_id FROM awaiting_publish WHERE kr_id = ANY(?)", [[r["kr_id"] for r in rows]]))
    for row in rows:
        row["published"] = row["kr_id"] not in waiting
    return rows


def kr_state(actor: auth.Actor, kr_id: int, today: dt.date | None = None, *, team_id: int | None = None,
             quarter: str | None = None) -> dict[str, Any]:
    """One KR's current state (progress, status, stale…) for anyone who may read its team (`team_id`, `quarter`:
    see `get`)."""
    kr = get(actor, kr_id, team_id=team_id, quarter=quarter)
    today = today or dt.date.today()
    found = db.row(
        tracking_sql("k.id = $kr", today, awaiting=True) + f"""
        SELECT {_STATE_COLUMNS} FROM kr_states s JOIN teams t ON t.id = s.team_id
        LEFT JOIN people owner ON owner.id = s.owner_id""",
        {"kr": kr_id, "today": today},
    )
    if found is None:  # a draft objective's KR: no tracking yet
        raise NotFound(f"“{kr['title']}” belongs to an objective that is not published yet, so it has no progress.")
    return found


def history(actor: auth.Actor, kr_id: int, *, team_id: int | None = None,
            quarter: str | None = None) -> list[dict[str, Any]]:
    """Every check-in of a KR, newest first, with who made it, whether a later row for the same date corrected it
    (`superseded`), and its acknowledgements (`acks`: name, comment, created_at). `team_id`, `quarter`: see `get`."""
    get(actor, kr_id, "see this key result's check-ins", team_id=team_id, quarter=quarter)
    rows = db.rows(
        """SELECT c.id, c.checked_on, c.value, c.done, c.confidence, c.comment, c.created_at, c.person_id,
                  p.name AS person_name,
                  row_number() OVER (PARTITION BY c.checked_on ORDER BY c.created_at DESC, c.id DESC) > 1
                      AS superseded
           FROM checkins c JOIN people p ON p.id = c.person_id
           WHERE c.kr_id = ? ORDER BY c.checked_on DESC, c.created_at DESC, c.id DESC""",
        [kr_id],
    )
    acks: dict[int, list[dict[str, Any]]] = {}
    for ack in db.rows(
        """SELECT a.id, a.checkin_id, a.comment, a.created_at, a.person_id, p.name AS person_name
           FROM checkin_acks a JOIN checkins c ON c.id = a.checkin_id JOIN people p ON p.id = a.person_id
           WHERE c.kr_id = ? ORDER BY a.created_at, a.id""",
        [kr_id],
    ):
        acks.setdefault(ack["checkin_id"], []).append(ack)
    for row in rows:
        row["acks"] = acks.get(row["id"], [])
    return rows


def acknowledge(actor: auth.Actor, checkin_id: int, comment: str = "") -> int:
    """A manager whose scope includes the KR's team acknowledges a check-in, optionally with a comment."""
    found = db.row(
        """SELECT c.id, c.person_id, o.team_id FROM checkins c JOIN key_results k ON k.id = c.kr_id
           JOIN objectives o ON o.id = k.objective_id WHERE c.id = ?""",
        [checkin_id],
    )
    if found is None:
        raise NotFound("That check-in does not exist.")
    auth.require_manager(actor, found["team_id"], "acknowledge its check-ins")
    if found["person_id"] == actor.person_id:
        raise ValidationError("You made this check-in yourself; acknowledgements are for someone else's.")
    note = validate.text(comment, "Comment", field="comment")
    with db.transaction(scope=(found["team_id"], None)) as cur:
        existing = cur.execute(
            "SELECT id FROM checkin_acks WHERE checkin_id = ? AND person_id = ? AND comment = ?",
            [checkin_id, actor.person_id, note],
        ).fetchone()
        if existing:  # the same acknowledgement twice (a double click): keep one
            return int(existing[0])
        ack_id = int(cur.execute("SELECT nextval('seq_checkin_acks')").fetchone()[0])
        cur.execute("INSERT INTO checkin_acks (id, checkin_id, person_id, comment) VALUES (?, ?, ?, ?)",
                    [ack_id, checkin_id, actor.person_id, note])
    return ack_id


def acknowledgements_for(actor: auth.Actor, *, since: dt.date | None = None,
                         today: dt.date | None = None) -> list[dict[str, Any]]:
    """Acknowledgements of check-ins on the KRs `actor` owns (default: the last 14 days), newest first."""
    since = since or (today or dt.date.today()) - dt.timedelta(days=14)
    return db.rows(
        """SELECT a.id, a.comment, a.created_at, p.name AS person_name, c.checked_on, c.kr_id, k.title AS kr_title
           FROM checkin_acks a JOIN checkins c ON c.id = a.checkin_id JOIN key_results k ON k.id = c.kr_id
           JOIN people p ON p.id = a.person_id
           WHERE k.owner_id = ? AND CAST(a.created_at AS DATE) >= ? ORDER BY a.created_at DESC, a.id DESC""",
        [actor.person_id, since],
    )


def checkins_due(actor: auth.Actor, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Home's "what you owe": the actor's KRs in the current quarter with no check-in in the last 7 days (only in
    teams they are still a member of: a KR left behind is the lead's to reassign)."""
    today = today or dt.date.today()
    if not actor.member_of:
        return []
    quarter = quarters.current_key(today)
    # Home runs this on every visit, so it reads only the last check-in date of the actor's KRs (no full state).
    candidates = db.rows(
        """SELECT k.id AS kr_id, k.title, o.team_id, t.name AS team_name, q.starts_on, q.ends_on,
                  greatest(q.starts_on, CAST(k.created_at AS DATE)) AS tracked_from,
                  (SELECT max(c.checked_on) FROM checkins c WHERE c.kr_id = k.id AND c.checked_on <= $today)
                      AS last_on
           FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
           JOIN quarters q ON q.key = o.quarter
           WHERE k.owner_id = $me AND o.team_id = ANY($teams) AND o.quarter = $quarter AND o.status = 'published'
             AND k.archived_at IS NULL
           ORDER BY k.position, k.id""",
        {"quarter": quarter, "me": actor.person_id, "today": today, "teams": sorted(actor.member_of)},
    )
    rows = [r for r in _mark_published(candidates) if r["published"]
            and p.is_due(r["last_on"], today, r["starts_on"], r["ends_on"], r["tracked_from"])]
    return [
        {
            "what": f"Check in on “{r['title']}”",
            "detail": f"{r['team_name']} · "
                      + (f"last check-in {fmt.days_ago(r['last_on'], today)}" if r["last_on"] else "no check-in yet"),
            "page": "pages/checkins.py",
            "action": "Check in",
            "query_params": {"kr": str(r["kr_id"])},
            "due": (r["last_on"] or r["tracked_from"]) + dt.timedelta(days=p.STALE_AFTER_DAYS),
        }
        for r in rows
    ]
