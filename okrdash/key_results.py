"""Key results of a team's objective: the editor's rules (lead only) and the SMART report the editor and the publish
step show.

Kinds: increase_to, decrease_to, stay_above, stay_below (metric, unit, baseline, target), increase_by / decrease_by
(relative change: metric, unit, change_pct, an optional baseline; see okrdash.relative_change) and milestone
(definition of done). The owner is a member of the team; the due date defaults to the quarter's last day and lies
inside the quarter; at most five active key results per objective. Removing archives (a KR with check-ins keeps its
history); restoring is the undo. Members and managers above the team read; the team's lead writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import (
    auth,
    db,
    fmt,
    ideas,
    objectives,
    positions,
    quarters,
    relative_change,
    smart,
    strategy,
    validate,
)
from okrdash.errors import NotFound, ValidationError
from okrdash.migrations import domain as awaiting

LIMIT = 5
KINDS = smart.KIND_LABELS
KIND_HELP = {
    "increase_to": "A number that should go up, e.g. conversion from 14% to 20%.",
    "decrease_to": "A number that should go down, e.g. median days to paid from 18 to 9.",
    "stay_above": "A floor to hold while you work on other things, e.g. CSAT at or above 4.3.",
    "stay_below": "A ceiling to hold, e.g. payment failure rate below 1.5%.",
    "increase_by": "A relative rise against the baseline, e.g. weekly trials up 21% this quarter.",
    "decrease_by": "A relative cut against the baseline, e.g. time to first reply down 5%.",
    "milestone": "Done or not done, against a definition of done, e.g. “Launch ACH payments for US accounts”.",
}
COLUMNS = ("title", "kind", "metric", "unit", "baseline", "target", "definition_of_done", "owner_id", "due_on",
           "achievable_confirmed")  # stored in key_results
FIELDS = (*COLUMNS, "change_pct")  # what the editor and imports set (change_pct lives in kr_relative)
MAX_CHANGE_PCT = 1000.0
UNIT_MAX = 30


# --- reading -------------------------------------------------------------------------------------------------------


def objective_row(team_id: int, quarter: str) -> dict[str, Any] | None:
    """The team's objective for the quarter with its strategy link (library level: no permission check; with an
    actor, use objectives.current)."""
    return db.row(
        """SELECT o.id, o.team_id, o.quarter, o.title, o.why, o.strategy_item_id, o.idea_id, o.status,
                  o.created_by, o.created_at, o.updated_at, s.kind AS strategy_kind, s.title AS strategy_title
           FROM objectives o LEFT JOIN strategy_items s ON s.id = o.strategy_item_id
           WHERE o.team_id = ? AND o.quarter = ?""",
        [team_id, quarter],
    )


def objective(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any] | None:
    """The team's objective for the quarter (None before the Create focus step)."""
    return objectives.current(actor, team_id, quarter)


def strategy_link(found: dict[str, Any] | None) -> str | None:
    """“Company objective: Make getting paid effortless”, or None when the objective is unlinked."""
    if not found or found.get("strategy_item_id") is None or not found.get("strategy_kind"):
        return None
    return strategy.label({"kind": found["strategy_kind"], "title": found["strategy_title"]})


_SELECT = f"""
    SELECT k.id, k.objective_id, k.position, k.title, {relative_change.SELECT_KIND}, k.metric, k.unit, k.baseline,
           k.target,
           k.definition_of_done, k.owner_id, p.name AS owner_name, p.email AS owner_email, k.due_on,
           k.achievable_confirmed, k.idea_id, k.created_at, k.updated_at, k.archived_at,
           o.team_id, o.quarter,
           (SELECT count(*) FROM checkins c WHERE c.kr_id = k.id) AS checkins,
           EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = o.team_id AND m.person_id = k.owner_id)
               AS owner_in_team
    FROM key_results k JOIN objectives o ON o.id = k.objective_id LEFT JOIN people p ON p.id = k.owner_id
    {relative_change.JOIN}"""


def rows_for(team_id: int, quarter: str, *, archived: bool = False) -> list[dict[str, Any]]:
    """Active (or archived) key results of the team's objective, in order (library level)."""
    state = "k.archived_at IS NOT NULL" if archived else "k.archived_at IS NULL"
    order = "k.archived_at DESC" if archived else "k.position, k.id"
    return db.rows(f"{_SELECT} WHERE o.team_id = ? AND o.quarter = ? AND {state} ORDER BY {order}",
                   [team_id, quarter])


def rows_of_objectives(objective_ids: list[int]) -> list[dict[str, Any]]:
    """Active key results of several objectives at once, by objective and in order (library level)."""
    return db.rows(f"{_SELECT} WHERE k.objective_id = ANY(?) AND k.archived_at IS NULL "
                   "ORDER BY k.objective_id, k.position, k.id", [list(objective_ids)])


def active(actor: auth.Actor, team_id: int, quarter: str) -> list[dict[str, Any]]:
    auth.require_reader(actor, team_id, "see this team's key results")
    return rows_for(team_id, quarter)


def archived(actor: auth.Actor, team_id: int, quarter: str) -> list[dict[str, Any]]:
    auth.require_reader(actor, team_id, "see this team's key results")
    return rows_for(team_id, quarter, archived=True)


def get(kr_id: int) -> dict[str, Any]:
    found = db.row(f"{_SELECT} WHERE k.id = ?", [kr_id])
    if found is None:
        raise NotFound("That key result no longer exists.")
    return found


def describe(kr: dict[str, Any]) -> str:
    """'14% → 20%' for numbers, 'Stay above 4.3 /5', or the definition of done for a milestone."""
    kind, unit = kr.get("kind"), kr.get("unit") or ""
    if kind == "milestone":
        return "Done / not done"
    start, end = fmt.number(kr.get("baseline"), unit), fmt.number(kr.get("target"), unit)
    if kind == "stay_above":
        return f"Stay at or above {end} (today {start})"
    if kind == "stay_below":
        return f"Stay at or below {end} (today {start})"
    if kind in relative_change.KINDS:
        sign = "+" if kind == "increase_by" else "−"
        change = f"{sign}{fmt.number(kr.get('change_pct'))}%"
        if kr.get("baseline") is None:
            return f"{change} on the first check-in's value"
        implied = relative_change.target(kind, kr["baseline"], kr.get("change_pct"))
        return f"{start} → {fmt.number(implied, unit)} ({change})"
    return f"{start} → {end}"


def is_open(quarter: str, today: dt.date | None = None) -> bool:
    """Whether the quarter's workshop may still change (it has not ended)."""
    return _quarter(quarter)["ends_on"] >= (today or dt.date.today())


# --- writing -------------------------------------------------------------------------------------------------------


def _quarter(quarter: str) -> dict[str, Any]:
    return quarters.get(quarter)


def clean(fields: dict[str, Any], team_id: int, quarter: str) -> dict[str, Any]:
    """Validated, normalised KR fields; refuses with a message naming the field. Milestones carry no numbers."""
    kind = fields.get("kind") or "increase_to"
    if kind not in KINDS:
        raise ValidationError(f"Kind must be one of: {', '.join(KINDS.values())}.", "kind")
    cleaned: dict[str, Any] = {"kind": kind, "title": validate.title(fields.get("title"), field="title")}
    milestone = kind == "milestone"
    cleaned["metric"] = "" if milestone else validate.text(fields.get("metric"), "Metric", max_len=validate.TITLE_MAX,
                                                           field="metric")
    cleaned["unit"] = "" if milestone else validate.text(fields.get("unit"), "Unit", max_len=UNIT_MAX, field="unit")
    cleaned["baseline"] = None if milestone else validate.number(fields.get("baseline"), "Baseline", field="baseline")
    cleaned["target"] = None if milestone else validate.number(fields.get("target"), "Target", field="target")
    cleaned["change_pct"] = _change(kind, fields.get("change_pct"))
    if cleaned["change_pct"] is not None:
        cleaned["target"] = None  # implied by the baseline (typed, or the first check-in's value)
    cleaned["definition_of_done"] = validate.text(fields.get("definition_of_done"), "Definition of done",
                                                  field="definition_of_done") if milestone else ""
    cleaned["owner_id"] = check_owner(team_id, fields.get("owner_id"))
    cleaned["due_on"] = check_due(quarter, fields.get("due_on"))
    cleaned["achievable_confirmed"] = bool(fields.get("achievable_confirmed"))
    return cleaned


def _change(kind: str, value: object) -> float | None:
    """The change of a relative key result in percent: required, above 0, below 100 for a decrease."""
    if kind not in relative_change.KINDS:
        return None
    change = validate.number(value, "Change %", required=True, field="change_pct")
    if change is not None and change < 0 and kind == "decrease_by":
        change = -change  # “−10” for a decrease means the same as 10
    if change is None or change <= 0 or change > MAX_CHANGE_PCT or (kind == "decrease_by" and change >= 100):
        most = "under 100" if kind == "decrease_by" else f"at most {MAX_CHANGE_PCT:g}"
        raise ValidationError(f"Change % must be above 0 and {most} (you typed {value}). For “by 10%” type 10.",
                              "change_pct")
    return change


def check_owner(team_id: int, owner_id: object) -> int:
    """The owner's id when they are an active member of the team; refuses otherwise (the editor, imports)."""
    if owner_id is None:
        raise ValidationError("Choose an owner: the team member who checks in on this key result.", "owner_id")
    owner = db.row(
        """SELECT p.name, m.person_id FROM people p
           LEFT JOIN memberships m ON m.person_id = p.id AND m.team_id = ? WHERE p.id = ? AND p.active""",
        [team_id, owner_id],
    )
    if owner is None or owner["person_id"] is None:
        who = owner["name"] if owner else "That person"
        raise ValidationError(
            f"{who} is not a member of {auth.team_name(team_id)}, so they cannot own its key result. Choose a "
            "member of the team, or ask an admin to add them to the team first.", "owner_id")
    return int(owner_id)


def check_due(quarter: str, due: object) -> dt.date:
    """The due date (blank: the quarter's last day); refuses a date outside the quarter (the editor, imports)."""
    bounds = _quarter(quarter)
    due = bounds["ends_on"] if due in (None, "") else validate.date(due, "Due date", field="due_on")
    if not bounds["starts_on"] <= due <= bounds["ends_on"]:
        raise ValidationError(
            f"The due date {fmt.day(due)} is outside {quarter}, which runs from {fmt.day(bounds['starts_on'])} to "
            f"{fmt.day(bounds['ends_on'])}. Pick a date inside the quarter (the default is its last day).", "due_on")
    return due


def _require_objective(team_id: int, quarter: str) -> dict[str, Any]:
    found = objective_row(team_id, quarter)
    if found is None:
        raise ValidationError(
            f"{auth.team_name(team_id)} has no objective for {quarter} yet. Choose it on the Create focus step "
            "first; key results belong to it.")
    return found


def _check_room(cur, objective_id: int, team_id: int, stamp: dt.datetime) -> None:
    """Refuse a sixth active KR. Touching the objective row first makes two concurrent adds write the same row, so
    the one that loses the race raises Conflict (db.transaction) instead of both counting four and inserting."""
    cur.execute("UPDATE objectives SET updated_at = ? WHERE id = ?", [stamp, objective_id])
    count = cur.execute("SELECT count(*) FROM key_results WHERE objective_id = ? AND archived_at IS NULL",
                        [objective_id]).fetchone()[0]
    if count >= LIMIT:
        raise ValidationError(
            f"{auth.team_name(team_id)}'s objective already has {LIMIT} key results, the most it may have. Archive "
            "one before adding another: fewer, sharper key results keep the team focused.", "limit")


def _check_idea(idea_id: int, team_id: int, quarter: str) -> None:
    """A KR made from an idea records it; the idea must be one of the team's key-result ideas for the quarter."""
    idea = db.row("SELECT team_id, quarter, kind FROM ideas WHERE id = ?", [idea_id])
    if idea is None or idea["kind"] != "key_result" or (idea["team_id"], idea["quarter"]) != (team_id, quarter):
        raise ValidationError(
            f"That idea is not one of {auth.team_name(team_id)}'s key-result ideas for {quarter}, so the key result "
            "cannot come from it. Clear the form and start from one of the ideas listed on this step.", "idea_id")


def add(actor: auth.Actor, team_id: int, quarter: str, fields: dict[str, Any], *, idea_id: int | None = None,
        now: dt.datetime | None = None) -> int:
    """The lead adds a key result to the team's objective; returns its id."""
    auth.require_lead(actor, team_id, "write key results")
    ideas.require_open_quarter(quarter, now)
    found = _require_objective(team_id, quarter)
    return create(found["id"], fields, idea_id=idea_id, now=now)


def add_many(actor: auth.Actor, team_id: int, quarter: str, drafts: list[dict[str, Any]], *,
             now: dt.datetime | None = None) -> list[int]:
    """The lead saves several key results at once (the kept drafts of a paste): all or none, owned by the lead
    until reassigned, due on the quarter's last day unless the line said otherwise. Refuses more than the objective
    has room for, saying how many to keep."""
    auth.require_lead(actor, team_id, "write key results")
    ideas.require_open_quarter(quarter, now)
    found = _require_objective(team_id, quarter)
    if not drafts:
        raise ValidationError("No draft is kept: tick “Keep” on the lines you want, then save.", "drafts")
    have = db.scalar("SELECT count(*) FROM key_results WHERE objective_id = ? AND archived_at IS NULL", [found["id"]])
    room = LIMIT - int(have)
    if len(drafts) > room:
        raise ValidationError(
            f"The objective has {have} key result{'s' if have != 1 else ''} and may have {LIMIT}: keep at most "
            f"{max(room, 0)} of the {len(drafts)} drafts (untick “Keep” on the others). Fewer, sharper key results "
            "keep the team focused.", "drafts")
    with db.transaction():
        return [create(found["id"], {"owner_id": actor.person_id, **fields}, now=now) for fields in drafts]


def create(objective_id: int, fields: dict[str, Any], *, idea_id: int | None = None,
           now: dt.datetime | None = None) -> int:
    """Library-level insert (tests, imports): validated like `add`, no permission check."""
    found = db.row("SELECT team_id, quarter FROM objectives WHERE id = ?", [objective_id])
    if found is None:
        raise NotFound("That objective no longer exists.")
    cleaned = clean(fields, found["team_id"], found["quarter"])
    if idea_id is not None:
        _check_idea(int(idea_id), found["team_id"], found["quarter"])
    stamp = now or dt.datetime.now()
    with db.transaction(scope=(found["team_id"], found["quarter"])) as cur:
        _check_room(cur, objective_id, found["team_id"], stamp)
        kr_id = int(cur.execute("SELECT nextval('seq_key_results')").fetchone()[0])
        position = cur.execute("SELECT coalesce(max(position) + 1, 0) FROM key_results WHERE objective_id = ?",
                               [objective_id]).fetchone()[0]
        cur.execute(
            f"""INSERT INTO key_results (id, objective_id, position, idea_id, created_at, updated_at,
                    {", ".join(COLUMNS)})
                VALUES (?, ?, ?, ?, ?, ?, {", ".join("?" for _ in COLUMNS)})""",
            [kr_id, objective_id, position, idea_id, stamp, stamp, *_stored(cleaned)],
        )
        relative_change.write(cur, kr_id, cleaned["kind"], cleaned["change_pct"])
        _mark_awaiting(cur, kr_id)
    return kr_id


def _stored(cleaned: dict[str, Any]) -> list[Any]:
    """The key_results column values, relative kinds stored as their direction."""
    return [relative_change.stored_kind(cleaned[f]) if f == "kind" else cleaned[f] for f in COLUMNS]


def _mark_awaiting(cur, kr_id: int) -> None:
    """A key result added or restored after its objective was published waits for the next published version."""
    cur.execute("DELETE FROM awaiting_publish WHERE kr_id = ?", [kr_id])
    team_id, quarter = cur.execute("""SELECT o.team_id, o.quarter FROM key_results k
                                      JOIN objectives o ON o.id = k.objective_id WHERE k.id = ?""", [kr_id]).fetchone()
    latest = awaiting.latest_published_kr_ids(cur, team_id, quarter)
    if latest and kr_id not in latest[0][2]:
        cur.execute("INSERT INTO awaiting_publish (kr_id) VALUES (?)", [kr_id])


def _editable(actor: auth.Actor, kr_id: int, doing: str, now: dt.datetime | None = None) -> dict[str, Any]:
    kr = get(kr_id)
    auth.require_lead(actor, kr["team_id"], doing)
    ideas.require_open_quarter(kr["quarter"], now)
    return kr


def update(actor: auth.Actor, kr_id: int, fields: dict[str, Any], *, now: dt.datetime | None = None) -> bool:
    """The lead edits a key result; returns False when nothing changed. A KR with check-ins keeps its kind."""
    kr = _editable(actor, kr_id, "edit key results", now)
    if kr["archived_at"] is not None:
        raise ValidationError("That key result is archived; restore it before editing it.")
    cleaned = clean({**{f: kr[f] for f in FIELDS}, **fields}, kr["team_id"], kr["quarter"])
    if cleaned["kind"] != kr["kind"] and kr["checkins"]:
        raise ValidationError(
            f"“{kr['title']}” already has {kr['checkins']} check-in(s) as “{KINDS[kr['kind']].lower()}”; changing "
            "its kind would make them meaningless. Archive it and add a new key result instead.", "kind")
    if all(cleaned[f] == kr[f] for f in FIELDS):
        return False
    with db.transaction(scope=(kr["team_id"], kr["quarter"])) as cur:
        cur.execute(
            f"UPDATE key_results SET {', '.join(f'{f} = ?' for f in COLUMNS)}, updated_at = ? WHERE id = ?",
            [*_stored(cleaned), now or dt.datetime.now(), kr_id],
        )
        relative_change.write(cur, kr_id, cleaned["kind"], cleaned["change_pct"])
    return True


def confirm(actor: auth.Actor, kr_id: int, confirmed: bool = True, *, now: dt.datetime | None = None) -> None:
    """The lead records that the team discussed the KR and finds it achievable (or takes that back)."""
    kr = _editable(actor, kr_id, "confirm key results", now)
    db.execute("UPDATE key_results SET achievable_confirmed = ?, updated_at = ? WHERE id = ?",
               [bool(confirmed), now or dt.datetime.now(), kr["id"]], scope=(kr["team_id"], kr["quarter"]))


def archive(actor: auth.Actor, kr_id: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The lead removes a key result from the objective; it is archived, never deleted. Returns it (for undo)."""
    kr = _editable(actor, kr_id, "remove key results", now)
    if kr["archived_at"] is None:
        db.execute("UPDATE key_results SET archived_at = ? WHERE id = ?", [now or dt.datetime.now(), kr_id],
                   scope=(kr["team_id"], kr["quarter"]))
    return kr


def restore(actor: auth.Actor, kr_id: int, *, now: dt.datetime | None = None) -> None:
    """Undo an archive: the key result returns at the end of the list (if there is room for it)."""
    kr = _editable(actor, kr_id, "restore key results", now)
    if kr["archived_at"] is None:
        return
    with db.transaction(scope=(kr["team_id"], kr["quarter"])) as cur:
        _check_room(cur, kr["objective_id"], kr["team_id"], now or dt.datetime.now())
        cur.execute(
            """UPDATE key_results SET archived_at = NULL,
                   position = (SELECT coalesce(max(position) + 1, 0) FROM key_results WHERE objective_id = ?)
               WHERE id = ?""",
            [kr["objective_id"], kr_id],
        )
        _mark_awaiting(cur, kr_id)


def move(actor: auth.Actor, kr_id: int, direction: int, *, now: dt.datetime | None = None) -> None:
    """Swap the KR with its neighbour (direction -1 up, +1 down); no-op at the ends."""
    kr = _editable(actor, kr_id, "reorder key results", now)
    positions.move("key_results", [k["id"] for k in rows_for(kr["team_id"], kr["quarter"])], kr_id, direction,
                   scope=(kr["team_id"], kr["quarter"]))
