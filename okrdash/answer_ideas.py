"""The ideas a survey answer becomes, and how they follow a named answer that is edited and resubmitted.

Each idea written from an answer records its item's key in `ideas.item_key` (migration m010): the item's place in
the stored answer, as `survey_payload.normalise` keys it ('o1' the first objective idea, 'o1k2' its second key-result
idea, 'd1', 'c3'). A member's draft of a submitted answer starts from the stored answer, so its items carry those
keys and items added since carry fresh ones. Resubmitting compares the draft with the answer's ideas item by item:

- An item still there keeps its idea: the same row, so merges, ballots, the objective, key results and the KR ideas
  under it stay linked. Changed words are written into the row; its key follows the item to its new place.
- A new item becomes a new idea (a new KR idea under an objective idea that already stands joins that idea).
- A removed item's idea is soft-deleted and its key cleared: cleared keys are how `withdrawn` tells an idea its
  author took back from one the lead removed in the workshop (which `ideas.restore` may bring back).
- What the workshop already decided on does not change under it: taking out an idea that was merged, is on a
  ranking round's ballot, is the objective's idea, is on the deprioritized list or became a key result, and
  rewording one of the last four, is refused with a message saying what to do; nothing is saved and the draft stays.

Answers stored before keys were recorded (older data, the demo) are matched by order: each (re)submission wrote one
idea per item in the answer's order, so the answer's last n ideas are its n items.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import db
from okrdash import survey_payload as payload_rules
from okrdash.errors import ValidationError

FIELDS = ("title", "problem", "why_now", "reason", "strategy_item_id", "metric", "unit", "baseline", "target",
          "source")
USES = {"merged": "merged with other ideas", "ballot": "on the ballot of a ranking round",
        "objective": "the idea the team's objective was built on", "deprioritized": "on the deprioritized list",
        "key_result": "turned into a key result"}
_USAGE = """SELECT i.id, i.merged_into IS NOT NULL AS merged,
                   EXISTS (SELECT 1 FROM ranking_round_ideas r WHERE r.idea_id = i.id) AS ballot,
                   EXISTS (SELECT 1 FROM objectives o WHERE o.idea_id = i.id) AS objective,
                   EXISTS (SELECT 1 FROM deprioritized d WHERE d.idea_id = i.id AND d.deleted_at IS NULL)
                     AS deprioritized,
                   EXISTS (SELECT 1 FROM key_results k WHERE k.idea_id = i.id AND k.archived_at IS NULL) AS key_result
            FROM ideas i WHERE i.answer_id = ?"""


def _values(row: dict[str, Any]) -> dict[str, Any]:
    """An `idea_rows` entry as the ideas columns it fills."""
    return {"title": row["title"], "problem": row.get("problem", ""), "why_now": row.get("why_now", ""),
            "reason": row.get("reason", ""), "strategy_item_id": row.get("strategy_item_id"),
            "metric": row.get("metric", ""), "unit": row.get("unit", ""), "baseline": row.get("baseline"),
            "target": row.get("target"), "source": "carried_over" if row.get("carried") else "survey"}


def _rows(cur, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    found = cur.execute(sql, params)
    names = [d[0] for d in found.description]
    return [dict(zip(names, values, strict=True)) for values in found.fetchall()]


def current(cur, answer_id: int, payload: dict[str, Any] | str) -> dict[str, dict[str, Any]]:
    """The ideas that are the stored answer's items now, by item key (see the module docstring)."""
    found = _rows(cur, f"SELECT id, kind, item_key, deleted_at, {', '.join(FIELDS)} FROM ideas WHERE answer_id = ? "
                       "ORDER BY id", [answer_id])
    keyed = {r["item_key"]: r for r in found if r["item_key"] is not None}
    if keyed:
        return keyed
    keys = payload_rules.item_keys(payload)
    kinds = [r["kind"] for r in payload_rules.idea_rows(payload_rules.content(payload))]
    latest = found[len(found) - len(keys):] if keys and len(found) >= len(keys) else []
    if [r["kind"] for r in latest] == kinds:
        return dict(zip(keys, latest, strict=True))
    # Cannot tell which idea is which item: every live idea of the answer counts as taken out (and is checked so).
    return {f"~{r['id']}": r for r in found if r["deleted_at"] is None}


def withdrawn(idea_id: int) -> bool:
    """Whether its author took the idea back (resubmitted their answer without it), as opposed to the lead removing
    it in the workshop."""
    idea = db.row("SELECT answer_id, item_key FROM ideas WHERE id = ?", [idea_id])
    if idea is None or idea["answer_id"] is None or idea["item_key"] is not None:
        return False
    payload = db.scalar("SELECT payload FROM survey_answers WHERE id = ?", [idea["answer_id"]])
    return payload is None or idea_id not in {r["id"] for r in current(db.cursor(), idea["answer_id"],
                                                                         payload).values()}


def insert(cur, found: dict[str, Any], answer_id: int, answer: dict[str, list], author_id: int | None,
           created_at: dt.datetime, only: dict[int, int] | None = None) -> list[int]:
    """Write the answer's ideas (all of them, or the positions in `only`, whose parents map through it); returns
    their ids by position, existing ones included when `only` is given."""
    rows = payload_rules.idea_rows(answer)
    keys = payload_rules.item_keys(answer)
    ids = dict(only or {})
    for position, (idea, key) in enumerate(zip(rows, keys, strict=True)):
        if position in ids:
            continue
        ids[position] = int(cur.execute("SELECT nextval('seq_ideas')").fetchone()[0])
        values = _values(idea)
        cur.execute(
            f"""INSERT INTO ideas (id, team_id, quarter, kind, parent_id, author_id, anonymous, survey_id, answer_id,
                                   created_at, item_key, {', '.join(FIELDS)})
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {', '.join('?' for _ in FIELDS)})""",
            [ids[position], found["team_id"], found["quarter"], idea["kind"],
             ids[idea["parent"]] if "parent" in idea else None, author_id, author_id is None, found["id"], answer_id,
             created_at, key, *(values[f] for f in FIELDS)],
        )
    return [ids[position] for position in range(len(rows))]


def update(cur, found: dict[str, Any], answer_id: int, stored: dict[str, Any] | str, answer: dict[str, list],
           draft: dict[str, Any] | str, author_id: int, now: dt.datetime) -> None:
    """Bring the answer's ideas in line with the resubmitted `answer` (made from `draft`): see the module docstring."""
    old = current(cur, answer_id, stored)
    rows, draft_keys = payload_rules.idea_rows(answer), payload_rules.item_keys(draft)
    kept: dict[int, dict[str, Any]] = {}
    for position, (idea, key) in enumerate(zip(rows, draft_keys, strict=True)):
        if key in old and old[key]["kind"] == idea["kind"]:
            kept[position] = old.pop(key)
    usage = {r["id"]: [use for use in USES if r[use]] for r in _rows(cur, _USAGE, [answer_id])}
    for gone in old.values():
        if gone["deleted_at"] is None and usage.get(gone["id"]):
            raise ValidationError(_refusal(gone, usage[gone["id"]], "can no longer be taken out of your answer"))
    changed = {p: {f: v for f, v in _values(rows[p]).items() if v != idea[f]} for p, idea in kept.items()}
    for position, fields in changed.items():
        decided = [use for use in usage.get(kept[position]["id"], []) if use != "merged"]
        if fields and decided:
            raise ValidationError(_refusal(kept[position], decided, "can no longer be reworded"))
    new_keys = payload_rules.item_keys(answer)
    for position, idea in kept.items():
        sets = {**changed[position], "item_key": new_keys[position]}
        cur.execute(f"UPDATE ideas SET {', '.join(f'{name} = ?' for name in sets)} WHERE id = ?",
                    [*sets.values(), idea["id"]])
    for gone in old.values():
        cur.execute("UPDATE ideas SET item_key = NULL, deleted_at = coalesce(deleted_at, ?) WHERE id = ?",
                    [now, gone["id"]])
    insert(cur, found, answer_id, answer, author_id, now, {p: idea["id"] for p, idea in kept.items()})


def _refusal(idea: dict[str, Any], uses: list[str], what: str) -> str:
    how = " and ".join(USES[use] for use in uses)
    return (f"“{idea['title']}” is already {how} in the workshop, so it {what}. Nothing was submitted: put it back "
            "as it was (or discard your unsent changes), and bring your second thoughts to the workshop.")
