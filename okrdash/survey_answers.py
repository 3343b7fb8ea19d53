"""A member's answer to a survey: the draft saved on every add/edit, submission, and editing until the deadline.

- The draft (`survey_drafts`) is the working copy. Every add, edit or removal is one transaction that reads it,
  changes it and writes it back; two tabs racing on it make DuckDB report a conflict and the loser retries.
- Submitting turns the draft into one `survey_answers` row plus one `ideas` row per objective / KR / deprioritize
  / concern, marks `survey_participation` submitted and deletes the draft, all in one transaction. The
  participation row (primary key survey + person) is written first, so a double click or a second tab conflicts
  there and, on retry, finds nothing left to submit: one answer, never two.
- Named surveys: the member may edit after submitting; the draft then starts from the answer, and resubmitting
  updates the answer's ideas item by item, so what the workshop did with them stays (`okrdash.answer_ideas`).
- Anonymous surveys: the draft is linked to its author until submission only. The answer and its ideas carry no
  person id, their timestamps keep the day only, and participation records that (not when) the person answered.
  Nothing links the answer back to its author, so it cannot be edited or withdrawn afterwards.
- After the deadline or an early close, nothing changes: submit is refused and the draft is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

from okrdash import answer_ideas, auth, db, quarters, surveys
from okrdash import survey_payload as payload_rules
from okrdash.errors import NotFound, ValidationError

T = TypeVar("T")
EMPTY_MESSAGE = (
    "Your answer is empty, so there is nothing to submit yet. Add at least one objective idea (or something to "
    "deprioritize, or a risk), then submit."
)


def _member_survey(actor: auth.Actor, survey_id: int) -> dict[str, Any]:
    found = surveys.get(survey_id)
    auth.require_member(actor, found["team_id"], "answer its survey")
    return found


def _stored_answer(cur, found: dict[str, Any], person_id: int) -> dict[str, Any] | None:
    """The person's submitted answer of a named survey (anonymous answers cannot be found by person)."""
    if found["anonymous"]:
        return None
    values = cur.execute(
        """SELECT id, payload, submitted_at, updated_at FROM survey_answers
           WHERE survey_id = ? AND person_id = ? ORDER BY id LIMIT 1""",
        [found["id"], person_id],
    ).fetchone()
    return None if values is None else dict(zip(("id", "payload", "submitted_at", "updated_at"), values, strict=True))


def my_answer(actor: auth.Actor, survey_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything the survey page needs about the actor's answer.

    status: 'not_started' | 'draft' | 'submitted'; payload: the working copy (draft, else the submitted named
    answer, else empty), keyed; editable: the form may change it; can_submit: there is something to (re)submit.
    """
    found = _member_survey(actor, survey_id)
    now = surveys.clock(now)
    cur = db.cursor()
    status_row = cur.execute(
        "SELECT status, started_at, submitted_at FROM survey_participation WHERE survey_id = ? AND person_id = ?",
        [survey_id, actor.person_id],
    ).fetchone()
    draft = cur.execute(
        "SELECT payload, updated_at FROM survey_drafts WHERE survey_id = ? AND person_id = ?",
        [survey_id, actor.person_id],
    ).fetchone()
    answer = _stored_answer(cur, found, actor.person_id)
    status = status_row[0] if status_row else "not_started"
    working = payload_rules.normalise(draft[0] if draft else answer["payload"] if answer else None)
    is_open = surveys.is_open(found, now)
    submitted = status == "submitted"
    unsent = bool(draft) and (
        answer is None or payload_rules.content(draft[0]) != payload_rules.content(answer["payload"])
    )
    return {
        "survey": found,
        "state": surveys.state(found, now),
        "open": is_open,
        "status": status,
        "payload": working,
        "draft_saved_at": draft[1] if draft else None,
        "submitted_at": (answer or {}).get("updated_at") or (status_row[2] if status_row else None),
        "unsent_changes": submitted and unsent,
        "editable": is_open and not (submitted and found["anonymous"]),
        "can_submit": is_open and bool(draft) and unsent and not (submitted and found["anonymous"]),
    }


def _edit(actor: auth.Actor, survey_id: int, change: Callable[[dict[str, list], dict[str, Any]], T],
          now: dt.datetime | None) -> T:
    """Apply `change(draft, survey)` to the actor's draft in one transaction (retried if another tab raced it)."""
    found = _member_survey(actor, survey_id)
    now = surveys.clock(now)
    if not surveys.is_open(found, now):
        raise ValidationError(surveys.closed_message(found, now))
    person = actor.person_id

    def attempt() -> T:
        with db.transaction(scope=(found["team_id"], found["quarter"])) as cur:
            status = cur.execute(
                "SELECT status FROM survey_participation WHERE survey_id = ? AND person_id = ?", [survey_id, person]
            ).fetchone()
            if status and status[0] == "submitted" and found["anonymous"]:
                raise ValidationError(
                    "You already submitted your anonymous answer. It is no longer linked to you, so it cannot be "
                    "changed; bring further thoughts to the workshop."
                )
            draft = cur.execute(
                "SELECT payload FROM survey_drafts WHERE survey_id = ? AND person_id = ?", [survey_id, person]
            ).fetchone()
            answer = None if draft else _stored_answer(cur, found, person)
            working = payload_rules.normalise(draft[0] if draft else answer["payload"] if answer else None)
            result = change(working, found)
            cur.execute(
                """INSERT INTO survey_drafts (survey_id, person_id, payload, updated_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT (survey_id, person_id) DO UPDATE SET payload = excluded.payload,
                                                                     updated_at = excluded.updated_at""",
                [survey_id, person, json.dumps(working, ensure_ascii=False), now],
            )
            cur.execute(
                """INSERT INTO survey_participation (survey_id, person_id, status, started_at)
                   VALUES (?, ?, 'draft', ?) ON CONFLICT (survey_id, person_id) DO NOTHING""",
                [survey_id, person, now],
            )
            return result

    return db.retrying(attempt)


def _linkable(found: dict[str, Any]) -> set[int]:
    return {i["id"] for i in surveys.linkable_items(found)}


def _put(items: list[dict[str, Any]], section: str, cleaned: dict[str, Any], key: str | None) -> str:
    """Add `cleaned` as a new item (key None) or update the item with `key`; return its key."""
    if key is None:
        payload_rules.check_room(items, section)
        key = payload_rules.new_key()
        items.append({"key": key, **cleaned, **({"key_results": []} if section == "objectives" else {})})
        return key
    for item in items:
        if item["key"] == key:
            item.update(cleaned)
            return key
    raise ValidationError("That item is no longer in your draft (removed in another tab?). Reload the page.")


def save_objective(actor: auth.Actor, survey_id: int, fields: dict[str, Any], *, key: str | None = None,
                   now: dt.datetime | None = None) -> str:
    """Add an objective idea (key None) or change one; returns its key. Fields: title, problem, why_now,
    strategy_item_id."""
    def change(draft: dict[str, list], found: dict[str, Any]) -> str:
        return _put(draft["objectives"], "objectives", payload_rules.clean_objective(fields, _linkable(found)), key)

    return _edit(actor, survey_id, change, now)


def save_key_result(actor: auth.Actor, survey_id: int, objective_key: str, fields: dict[str, Any], *,
                    key: str | None = None, now: dt.datetime | None = None) -> str:
    """Add a key-result idea under an objective idea (key None) or change one. Fields: title, metric, unit,
    baseline, target (numbers optional)."""
    cleaned = payload_rules.clean_key_result(fields)

    def change(draft: dict[str, list], found: dict[str, Any]) -> str:
        parent = next((o for o in draft["objectives"] if o["key"] == objective_key), None)
        if parent is None:
            raise ValidationError("That objective idea is no longer in your draft (removed in another tab?).")
        return _put(parent["key_results"], "key_results", cleaned, key)

    return _edit(actor, survey_id, change, now)


def save_deprioritize(actor: auth.Actor, survey_id: int, fields: dict[str, Any], *, key: str | None = None,
                      now: dt.datetime | None = None) -> str:
    """Add (or change) something the team should stop or postpone. Fields: title, why."""
    cleaned = payload_rules.clean_deprioritize(fields)
    return _edit(actor, survey_id, lambda draft, _: _put(draft["deprioritize"], "deprioritize", cleaned, key), now)


def save_concern(actor: auth.Actor, survey_id: int, fields: dict[str, Any], *, key: str | None = None,
                 now: dt.datetime | None = None) -> str:
    """Add (or change) a risk or concern. Fields: title."""
    cleaned = payload_rules.clean_concern(fields)
    return _edit(actor, survey_id, lambda draft, _: _put(draft["concerns"], "concerns", cleaned, key), now)


def remove_item(actor: auth.Actor, survey_id: int, key: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """Remove any item (an objective idea goes with its KR ideas); returns what `restore_item` needs to undo it."""
    def change(draft: dict[str, list], _: dict[str, Any]) -> dict[str, Any]:
        items, index, section, parent_key = payload_rules.locate(draft, key)
        return {"section": section, "parent_key": parent_key, "index": index, "item": items.pop(index)}

    return _edit(actor, survey_id, change, now)


def restore_item(actor: auth.Actor, survey_id: int, removed: dict[str, Any], now: dt.datetime | None = None) -> None:
    """Undo `remove_item`: put the item back where it was."""
    def change(draft: dict[str, list], _: dict[str, Any]) -> None:
        section, item = removed["section"], removed["item"]
        if section == "key_results":
            parent = next((o for o in draft["objectives"] if o["key"] == removed["parent_key"]), None)
            if parent is None:
                raise ValidationError("Its objective idea is gone too, so this key-result idea cannot come back.")
            items = parent["key_results"]
        else:
            items = draft[section]
        if any(existing["key"] == item["key"] for existing in items):
            return  # already restored (double click)
        payload_rules.check_room(items, section)
        items.insert(min(removed["index"], len(items)), item)

    _edit(actor, survey_id, change, now)


def discard_changes(actor: auth.Actor, survey_id: int, now: dt.datetime | None = None) -> None:
    """Named surveys: throw away unsent edits and go back to the submitted answer (while the survey is open: after
    it closes, drafts are kept)."""
    found = _member_survey(actor, survey_id)
    if found["anonymous"]:
        raise ValidationError("An anonymous answer cannot be reopened once submitted, so there is nothing to discard.")
    now = surveys.clock(now)
    if not surveys.is_open(found, now):
        raise ValidationError(surveys.closed_message(found, now))
    db.execute("DELETE FROM survey_drafts WHERE survey_id = ? AND person_id = ?", [survey_id, actor.person_id],
               scope=(found["team_id"], found["quarter"]))


# ---- last quarter's deprioritized items, offered again ----


def carry_over_candidates(actor: auth.Actor, survey_id: int) -> list[dict[str, Any]]:
    """What the team deprioritized in the quarter before the survey's quarter."""
    found = _member_survey(actor, survey_id)
    return db.rows(
        """SELECT id, quarter, title, reason FROM deprioritized
           WHERE team_id = ? AND quarter = ? AND deleted_at IS NULL ORDER BY created_at, id""",
        [found["team_id"], quarters.previous(found["quarter"])],
    )


def carry_over(actor: auth.Actor, survey_id: int, deprioritized_id: int, as_section: str,
               now: dt.datetime | None = None) -> str:
    """Carry a deprioritized item of last quarter into the draft, as an objective idea ('objectives': propose it
    again) or as something to keep deprioritized ('deprioritize'); returns the new item's key."""
    if as_section not in ("objectives", "deprioritize"):
        raise ValidationError("Carry an item over as an objective idea or as something to keep deprioritized.")
    candidates = {c["id"]: c for c in carry_over_candidates(actor, survey_id)}
    source = candidates.get(int(deprioritized_id))
    if source is None:
        raise NotFound("That item was not on last quarter's deprioritized list of this team.")

    def change(draft: dict[str, list], _: dict[str, Any]) -> str:
        if int(deprioritized_id) in payload_rules.carried(draft):
            raise ValidationError(f"“{source['title']}” is already in your answer.")
        if as_section == "objectives":
            fields = {"title": source["title"], "problem": "", "why_now": "", "strategy_item_id": None}
        else:
            fields = {"title": source["title"], "why": source["reason"]}
        key = _put(draft[as_section], as_section, fields, None)
        draft[as_section][-1]["carried_over_id"] = int(deprioritized_id)
        return key

    return _edit(actor, survey_id, change, now)


# ---- submission ----


def submit(actor: auth.Actor, survey_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """Submit (or, for named surveys, resubmit) the actor's draft. Idempotent: a second call finds nothing new.

    Returns {"answer_id", "ideas": count written, "resubmitted": bool, "already": True when nothing was left}.
    """
    found = _member_survey(actor, survey_id)
    now = surveys.clock(now)
    if not surveys.is_open(found, now):
        raise ValidationError(surveys.closed_message(found, now))
    linkable = _linkable(found)
    person = actor.person_id

    def attempt() -> dict[str, Any]:
        with db.transaction(scope=(found["team_id"], found["quarter"])) as cur:
            # Anonymity as of this transaction, not of the read above: a lead's switch that commits first is
            # seen here, and one racing this submit conflicts on the participation row (surveys.update_settings).
            anonymous = bool(cur.execute("SELECT anonymous FROM surveys WHERE id = ?", [survey_id]).fetchone()[0])
            draft = cur.execute(
                "SELECT payload FROM survey_drafts WHERE survey_id = ? AND person_id = ?", [survey_id, person]
            ).fetchone()
            status = cur.execute(
                "SELECT status FROM survey_participation WHERE survey_id = ? AND person_id = ?", [survey_id, person]
            ).fetchone()
            if draft is None:
                if status and status[0] == "submitted":
                    return {"answer_id": None, "ideas": 0, "resubmitted": False, "already": True}
                raise ValidationError(EMPTY_MESSAGE)
            answer = payload_rules.revalidated(draft[0], linkable)
            if payload_rules.is_empty(answer):
                raise ValidationError(EMPTY_MESSAGE)
            if anonymous and status and status[0] == "submitted":
                raise ValidationError("You already submitted your anonymous answer; it cannot be changed.")
            # Claim the submission first: a concurrent submit by the same person, or a lead switching anonymity,
            # conflicts on this row (see migrations.m012_participation_claims).
            cur.execute("UPDATE survey_participation SET claims = claims + 1 WHERE survey_id = ? AND person_id = ?",
                        [survey_id, person])
            stamp = now.replace(hour=0, minute=0, second=0) if anonymous else now
            cur.execute(
                """INSERT INTO survey_participation (survey_id, person_id, status, started_at, submitted_at)
                   VALUES (?, ?, 'submitted', ?, ?)
                   ON CONFLICT (survey_id, person_id) DO UPDATE SET status = 'submitted',
                                                                     submitted_at = excluded.submitted_at""",
                [survey_id, person, now, None if anonymous else now],
            )
            cur.execute("DELETE FROM survey_drafts WHERE survey_id = ? AND person_id = ?", [survey_id, person])
            stored = None if anonymous else _stored_answer(cur, found, person)
            text = json.dumps(answer, ensure_ascii=False)
            if stored and payload_rules.content(stored["payload"]) == answer:
                return {"answer_id": stored["id"], "ideas": 0, "resubmitted": False, "already": True}
            if stored:
                answer_id = stored["id"]
                answer_ideas.update(cur, found, answer_id, stored["payload"], answer, draft[0], person, now)
                cur.execute("UPDATE survey_answers SET payload = ?, updated_at = ? WHERE id = ?",
                            [text, now, answer_id])
            else:
                answer_id = int(cur.execute("SELECT nextval('seq_survey_answers')").fetchone()[0])
                cur.execute(
                    """INSERT INTO survey_answers (id, survey_id, person_id, payload, submitted_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    [answer_id, survey_id, None if anonymous else person, text, stamp, stamp],
                )
                answer_ideas.insert(cur, found, answer_id, answer, None if anonymous else person, stamp)
            written = len(payload_rules.idea_rows(answer))
            return {"answer_id": answer_id, "ideas": written, "resubmitted": stored is not None, "already": False}

    return db.retrying(attempt)
