"""The idea wall of the "draft objectives" discussion: everyone's objective ideas on one board, live.

Members add ideas from their own laptop during the meeting. An idea added here is an ordinary objective idea
(source 'workshop'): it flows into consolidation, merging and ranking like a survey idea. It carries its author's
name unless the team's survey for the quarter is anonymous, then it is anonymous too (the room's setting, not the
person's choice). The lead pins ideas to the top and groups ideas that belong together (`wall_marks`); merging a
group makes it one idea, as consolidation does, with every author kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, fmt, ideas, validate
from okrdash.errors import NotFound, ValidationError

GROUP_MAX = 60


def add(actor: auth.Actor, team_id: int, quarter: str, *, title: str, problem: str = "", why_now: str = "",
        strategy_item_id: int | None = None, now: dt.datetime | None = None) -> int:
    """A member puts an idea on the wall; named or anonymous as the team's survey for the quarter is. Its id."""
    return ideas.add(actor, team_id, quarter, title=title, problem=problem, why_now=why_now,
                     strategy_item_id=strategy_item_id, anonymous=ideas.survey_is_anonymous(team_id, quarter),
                     now=now)


def byline(idea: dict[str, Any]) -> str:
    """'by Mei Chen and 1 anonymous': names only of named contributions (objective_ideas never holds others')."""
    names = list(idea["authors"])
    if idea["anonymous_count"]:
        names.append(f"{idea['anonymous_count']} anonymous")
    return "by " + fmt.names(names, empty="no named author")


def board(actor: auth.Actor, team_id: int, quarter: str, sealed: int | str | None = ideas.CLOCK) -> dict[str, Any]:
    """The wall as `actor` may see it: `pinned` ideas, then `groups` ({name, ideas}, by name), then `loose` ideas,
    each idea as okrdash.ideas.objective_ideas gives it (no anonymous author, no sealed survey idea) plus `pinned`
    and `group`; `count` of ideas on it and the `groups` names."""
    standing = ideas.objective_ideas(actor, team_id, quarter, sealed)
    marks = {r["idea_id"]: r for r in db.rows(
        "SELECT idea_id, pinned, group_name FROM wall_marks WHERE team_id = ? AND quarter = ?", [team_id, quarter])}
    pinned, grouped, loose = [], {}, []
    for idea in standing:
        mark = marks.get(idea["id"], {})
        idea["pinned"], idea["group"] = bool(mark.get("pinned")), mark.get("group_name")
        if idea["pinned"]:
            pinned.append(idea)
        elif idea["group"]:
            grouped.setdefault(idea["group"], []).append(idea)
        else:
            loose.append(idea)
    groups = [{"name": name, "ideas": grouped[name]} for name in sorted(grouped, key=str.casefold)]
    names = sorted({i["group"] for i in standing if i["group"]}, key=str.casefold)
    return {"pinned": pinned, "groups": groups, "loose": loose, "count": len(standing), "group_names": names}


def _idea_for_lead(actor: auth.Actor, idea_id: int, doing: str, now: dt.datetime | None) -> dict[str, Any]:
    idea = ideas.get(idea_id)
    auth.require_lead(actor, idea["team_id"], doing)
    ideas.require_open_quarter(idea["quarter"], now)
    if idea["kind"] != "objective" or idea["merged_into"] is not None or idea["deleted_at"] is not None:
        raise NotFound(f"“{idea['title']}” is no longer on the wall (merged or removed). Reload the page.")
    return idea


def _mark(actor: auth.Actor, idea: dict[str, Any], column: str, value: Any, now: dt.datetime | None) -> None:
    db.execute(f"""INSERT INTO wall_marks (idea_id, team_id, quarter, {column}, changed_by, changed_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (idea_id) DO UPDATE SET {column} = excluded.{column},
                       changed_by = excluded.changed_by, changed_at = excluded.changed_at""",
               [idea["id"], idea["team_id"], idea["quarter"], value, actor.person_id, now or dt.datetime.now()],
               scope=(idea["team_id"], idea["quarter"]))


def pin(actor: auth.Actor, idea_id: int, pinned: bool = True, *, now: dt.datetime | None = None) -> None:
    """The lead pins an idea to the top of the wall (or unpins it)."""
    idea = _idea_for_lead(actor, idea_id, "pin ideas on the wall", now)
    _mark(actor, idea, "pinned", bool(pinned), now)


def group(actor: auth.Actor, idea_ids: list[int], name: str | None, *,
          now: dt.datetime | None = None) -> str | None:
    """The lead puts ideas in the group `name` (made by naming it; blank: out of any group); returns the name."""
    if not idea_ids:
        raise ValidationError("Pick the ideas to group first.", "ideas")
    chosen = [_idea_for_lead(actor, int(i), "group ideas on the wall", now) for i in dict.fromkeys(idea_ids)]
    if len({(i["team_id"], i["quarter"]) for i in chosen}) > 1:
        raise ValidationError("Ideas of different teams or quarters cannot share a group.", "ideas")
    name = validate.text(name or "", "Group name", max_len=GROUP_MAX, field="group") or None
    with db.transaction(scope=(chosen[0]["team_id"], chosen[0]["quarter"])):
        for idea in chosen:
            _mark(actor, idea, "group_name", name, now)
    return name


def merge_group(actor: auth.Actor, team_id: int, quarter: str, name: str, *,
                now: dt.datetime | None = None) -> int:
    """The lead merges a group's ideas into one idea titled after the group (ideas.merge: undoable, every author
    kept); the merged idea stays pinned if one of them was. Returns its id."""
    auth.require_lead(actor, team_id, "merge groups on the wall")
    found = board(actor, team_id, quarter)
    members = next((g["ideas"] for g in found["groups"] if g["name"] == name), [])
    pinned = [i for i in found["pinned"] if i["group"] == name]
    ids = [i["id"] for i in members + pinned]
    if len(ids) < 2:
        raise ValidationError(f"The group “{name}” holds {len(ids)} idea{'s' * (len(ids) != 1)}; a merge needs at "
                              "least two. Add ideas to it first.", "group")
    result = ideas.merge(actor, ids, name, now=now)
    if pinned:
        pin(actor, result, True, now=now)
    return result
