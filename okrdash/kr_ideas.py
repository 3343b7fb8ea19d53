"""Brainstorming key results: the KR ideas members attached to the chosen objective idea (and to the ideas merged
into it) are the starting points; members and the lead add more in the workshop; the lead turns one into a key
result with the editor prefilled.

Members and managers above the team read; members (the lead too) add; the lead, or the idea's author, removes a
workshop idea (undo restores it). Anonymous authors stay anonymous.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, key_results, quarters, smart, validate
from okrdash.errors import NotFound, ValidationError
from okrdash.ideas import CLOCK, require_open_quarter, resolve_sealed


def _tree(idea_id: int | None) -> list[int]:
    """The chosen idea and every idea merged into it, however deep."""
    if idea_id is None:
        return []
    return db.column(
        """WITH RECURSIVE tree(id) AS (
               SELECT id FROM ideas WHERE id = ?
               UNION
               SELECT i.id FROM ideas i JOIN tree ON i.merged_into = tree.id
           )
           SELECT id FROM tree""",
        [idea_id],
    )


def ideas_for(team_id: int, quarter: str, sealed: int | str | None = CLOCK) -> list[dict[str, Any]]:
    """KR ideas for the team's objective, survey ones first (anonymous ones by title), with author and the KR each
    became (library level). The sealed survey's ideas are left out (see okrdash.ideas)."""
    found = key_results.objective_row(team_id, quarter)
    if found is None:
        return []
    sealed = resolve_sealed(team_id, quarter, sealed)
    parents = _tree(found["idea_id"])
    placeholders = ", ".join("?" for _ in parents) or "NULL"
    return db.rows(
        f"""SELECT i.id, i.title, i.metric, i.unit, i.baseline, i.target, i.source, i.anonymous, i.author_id,
                   CASE WHEN i.anonymous OR i.author_id IS NULL THEN NULL ELSE p.name END AS author_name,
                   parent.title AS parent_title, i.created_at,
                   (SELECT min(k.id) FROM key_results k WHERE k.idea_id = i.id AND k.archived_at IS NULL
                      AND k.objective_id = ?) AS kr_id
            FROM ideas i
            LEFT JOIN people p ON p.id = i.author_id
            LEFT JOIN ideas parent ON parent.id = i.parent_id
            WHERE i.team_id = ? AND i.quarter = ? AND i.kind = 'key_result' AND i.deleted_at IS NULL
              AND NOT coalesce(i.survey_id = ?, false)
              AND (i.parent_id IN ({placeholders}) OR (i.parent_id IS NULL AND i.source = 'workshop'))
            ORDER BY i.source = 'workshop', i.anonymous AND i.survey_id IS NOT NULL DESC,
                     CASE WHEN i.anonymous AND i.survey_id IS NOT NULL THEN lower(i.title) END, i.created_at, i.id""",
        [found["id"], team_id, quarter, sealed, *parents],
    )


def _group_key(idea: dict[str, Any]) -> tuple:
    return (" ".join(idea["title"].lower().split()), idea["metric"].lower().strip(), idea["unit"].strip(),
            idea["baseline"], idea["target"])


def group(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Identical ideas (same title and numbers, e.g. one per merged phrasing) as one entry with every proposer:
    `ids`, `authors` (names; anonymous ones counted as “anonymous”), `count`, and the KR it became, if any."""
    groups: dict[tuple, dict[str, Any]] = {}
    for idea in rows:
        entry = groups.setdefault(_group_key(idea), {**idea, "ids": [], "authors": [], "author_ids": [],
                                                     "sources": []})
        entry["ids"].append(idea["id"])
        entry["author_ids"].append(idea["author_id"])
        name = idea["author_name"] or "anonymous"
        if name not in entry["authors"]:
            entry["authors"].append(name)
        if idea["source"] not in entry["sources"]:
            entry["sources"].append(idea["source"])
        entry["kr_id"] = entry["kr_id"] or idea["kr_id"]
    for entry in groups.values():
        entry["count"] = len(entry["ids"])
    return list(groups.values())


def ideas(actor: auth.Actor, team_id: int, quarter: str, sealed: int | str | None = CLOCK) -> list[dict[str, Any]]:
    """The brainstorm list: identical ideas grouped (see `group`)."""
    auth.require_reader(actor, team_id, "see this team's key-result ideas")
    return group(ideas_for(team_id, quarter, sealed))


def add(actor: auth.Actor, team_id: int, quarter: str, title: str, *, metric: str = "", unit: str = "",
        baseline: object = None, target: object = None, now: dt.datetime | None = None) -> int:
    """A member (or the lead) adds a KR idea in the workshop, under the chosen objective idea."""
    auth.require_member(actor, team_id, "add key-result ideas")
    require_open_quarter(quarter, now)
    found = key_results.objective_row(team_id, quarter)
    if found is None:
        raise ValidationError(
            f"{auth.team_name(team_id)} has no objective for {quarter} yet; key-result ideas attach to it. "
            "The lead chooses it on the Create focus step.")
    values = [
        validate.title(title, "Idea", field="title"),
        validate.text(metric, "Metric", max_len=validate.TITLE_MAX, field="metric"),
        validate.text(unit, "Unit", max_len=key_results.UNIT_MAX, field="unit"),
        validate.number(baseline, "Baseline", field="baseline"),
        validate.number(target, "Target", field="target"),
    ]
    with db.transaction(scope=(team_id, quarter)) as cur:
        idea_id = int(cur.execute("SELECT nextval('seq_ideas')").fetchone()[0])
        cur.execute(
            """INSERT INTO ideas (id, team_id, quarter, kind, parent_id, title, metric, unit, baseline, target,
                                  author_id, anonymous, source, created_at)
               VALUES (?, ?, ?, 'key_result', ?, ?, ?, ?, ?, ?, ?, false, 'workshop', ?)""",
            [idea_id, team_id, quarter, found["idea_id"], *values, actor.person_id, now or dt.datetime.now()],
        )
    return idea_id


def _get(idea_id: int) -> dict[str, Any]:
    found = db.row(
        """SELECT id, team_id, quarter, kind, title, metric, unit, baseline, target, author_id, anonymous, source,
                  deleted_at FROM ideas WHERE id = ?""", [idea_id])
    if found is None or found["kind"] != "key_result":
        raise NotFound("That key-result idea no longer exists.")
    return found


def _may_remove(actor: auth.Actor, idea: dict[str, Any]) -> bool:
    return actor.leads(idea["team_id"]) or (idea["source"] == "workshop" and idea["author_id"] == actor.person_id)


def remove(actor: auth.Actor, idea_ids: list[int], *, now: dt.datetime | None = None) -> list[int]:
    """The lead removes ideas from the list; a member removes their own workshop ideas. Soft: `restore` undoes.
    Returns the ids removed."""
    found = [_get(i) for i in idea_ids]
    if not found:
        return []
    allowed = [i["id"] for i in found if _may_remove(actor, i)]
    if not allowed:
        auth.require_lead(actor, found[0]["team_id"], "remove other people's key-result ideas")
    for quarter in {i["quarter"] for i in found}:
        require_open_quarter(quarter, now)
    with db.transaction() as cur:
        for idea_id in allowed:
            cur.execute("UPDATE ideas SET deleted_at = ? WHERE id = ?", [now or dt.datetime.now(), idea_id])
    return allowed


def restore(actor: auth.Actor, idea_ids: list[int], *, now: dt.datetime | None = None) -> None:
    """Undo `remove`: all the ideas come back, or none (checked first, written in one transaction)."""
    found = [_get(i) for i in idea_ids]
    for idea in found:
        if not _may_remove(actor, idea):
            auth.require_lead(actor, idea["team_id"], "restore key-result ideas")
        require_open_quarter(idea["quarter"], now)
    with db.transaction() as cur:
        for idea in found:
            cur.execute("UPDATE ideas SET deleted_at = NULL WHERE id = ?", [idea["id"]])


def draft_from(actor: auth.Actor, idea_id: int) -> dict[str, Any]:
    """Editor fields prefilled from an idea: kind guessed from its numbers (or its title), owner its author when
    they are in the team (else the lead), due date the quarter's last day, not yet confirmed achievable."""
    idea = _get(idea_id)
    auth.require_lead(actor, idea["team_id"], "turn ideas into key results")
    baseline, target, metric = idea["baseline"], idea["target"], idea["metric"] or ""
    draft: dict[str, Any] = {"title": idea["title"], "metric": metric, "unit": idea["unit"] or "",
                             "baseline": baseline, "target": target, "definition_of_done": ""}
    if baseline is not None and target is not None:
        draft["kind"] = "decrease_to" if target < baseline else "increase_to"
    else:
        guessed = smart.parse_kr_text(idea["title"])
        if guessed:
            draft.update({k: v for k, v in guessed.items() if draft.get(k) in (None, "")})
        else:
            draft["kind"] = "increase_to" if metric else "milestone"
    in_team = idea["author_id"] is not None and not idea["anonymous"] and db.scalar(
        "SELECT count(*) FROM memberships WHERE team_id = ? AND person_id = ?", [idea["team_id"], idea["author_id"]])
    draft["owner_id"] = idea["author_id"] if in_team else actor.person_id
    draft["due_on"] = quarters.get(idea["quarter"])["ends_on"]
    draft["achievable_confirmed"] = False
    draft["idea_id"] = idea_id
    return draft
