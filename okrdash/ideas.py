"""Objective ideas of a team's quarter and their consolidation: add live, merge duplicates, undo, provenance.

An idea that stands is a *root*: not merged into another, not deleted. Merging a group creates a new idea (source
'merge') and points each member's `merged_into` at it; an `idea_merges` row records who merged when. Undoing a merge
restores exactly: the members stand again, the merge result is soft-deleted, the merge is marked undone. Members'
own words, authors (never for anonymous ideas) and key-result ideas stay attached to whatever they were merged into.

Anonymous surveys: while the team's anonymous survey for the quarter is open, its ideas are *sealed*: every workshop
read leaves them out (shown the moment each answer arrives, next to Survey setup's list of who has just answered,
they would tell who wrote what). They appear together when the survey closes; a survey reopened by extending its
deadline seals them again until it closes. Ideas from anonymous surveys are listed by title, never in the order they
arrived. Reads that seal take `sealed`: the sealed survey's id (or None), which pages work out uncached on every run
(`sealed_survey`) and pass on, so a cached read changes when the survey closes; by default it is worked out from
the clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from okrdash import answer_ideas, auth, db, fmt, quarters, similarity, strategy, validate
from okrdash.errors import Conflict, NotFound, PermissionDenied, ValidationError

SOURCES: dict[str, str] = {
    "survey": "survey", "workshop": "added in the workshop", "carried_over": "carried over", "merge": "merged",
}
CLOCK = "clock"  # `sealed` default: the survey sealed as of now (see sealed_survey)
# Listing order: ideas from anonymous surveys first, by title (their ids and times follow who answered when), then
# the others, oldest first.
LISTING_ORDER = """CASE WHEN i.anonymous AND i.survey_id IS NOT NULL THEN 0 ELSE 1 END,
                   CASE WHEN i.anonymous AND i.survey_id IS NOT NULL THEN lower(i.title) END, i.id"""
_COLUMNS = """i.id, i.team_id, i.quarter, i.kind, i.parent_id, i.title, i.problem, i.why_now, i.reason,
              i.strategy_item_id, i.metric, i.unit, i.baseline, i.target, i.anonymous, i.source, i.merged_into,
              i.created_at, i.deleted_at,
              CASE WHEN i.anonymous THEN NULL ELSE i.author_id END AS author_id,
              CASE WHEN i.anonymous THEN NULL ELSE p.name END AS author"""


def distinct_labels(labels: dict[Any, str]) -> dict[Any, str]:
    """Labels made distinct ("Title (2)" for the second of two equal ones): pickers and charts tell items apart by
    their label, so two ideas worded alike would otherwise collapse into one."""
    counts = Counter(labels.values())
    seen: Counter[str] = Counter()
    distinct = {}
    for key, label in labels.items():
        seen[label] += 1
        distinct[key] = f"{label} ({seen[label]})" if counts[label] > 1 and seen[label] > 1 else label
    return distinct


def is_open_quarter(quarter: str, now: dt.datetime | None = None) -> bool:
    """Whether the quarter's workshop can still change (the quarter has not ended)."""
    return quarters.get(quarter)["ends_on"] >= (now or dt.datetime.now()).date()


def require_open_quarter(quarter: str, now: dt.datetime | None = None) -> None:
    """Refuse workshop changes to a quarter that has ended: its workshop is history."""
    ends_on = quarters.get(quarter)["ends_on"]
    if ends_on < (now or dt.datetime.now()).date():
        raise ValidationError(f"{quarter} ended on {fmt.day(ends_on)}, so its workshop can no longer change. "
                              "Pick the quarter you are planning instead.")


def get(idea_id: int) -> dict[str, Any]:
    """One idea by id (library use: callers check the actor against its team)."""
    found = db.row(f"SELECT {_COLUMNS} FROM ideas i LEFT JOIN people p ON p.id = i.author_id WHERE i.id = ?",
                   [idea_id])
    if found is None:
        raise NotFound("That idea no longer exists. Reload the page.")
    return found


def _team_ideas(team_id: int, quarter: str, sealed: int | None) -> list[dict[str, Any]]:
    return db.rows(
        f"""SELECT {_COLUMNS} FROM ideas i LEFT JOIN people p ON p.id = i.author_id
            WHERE i.team_id = ? AND i.quarter = ? AND i.kind IN ('objective', 'key_result')
              AND NOT coalesce(i.survey_id = ?, false) ORDER BY {LISTING_ORDER}""",
        [team_id, quarter, sealed],
    )


def survey_of(team_id: int, quarter: str, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The team's survey for the quarter as the workshop needs it: id, anonymous, open, deadline, sealed (open and
    anonymous: its ideas stay out of the workshop until it closes). None: no survey."""
    found = db.row("SELECT id, anonymous, deadline, closed_at FROM surveys WHERE team_id = ? AND quarter = ?",
                   [team_id, quarter])
    if found is not None:
        found["open"] = found["closed_at"] is None and found["deadline"] > (now or dt.datetime.now())
        found["sealed"] = found["open"] and bool(found["anonymous"])
    return found


def sealed_survey(team_id: int, quarter: str, now: dt.datetime | None = None) -> int | None:
    """The id of the team's anonymous survey for the quarter while it is open (its ideas are sealed), else None.
    It changes at the deadline's time of day, with no write: pages read it uncached and pass it to cached reads."""
    found = survey_of(team_id, quarter, now)
    return found["id"] if found and found["sealed"] else None


def resolve_sealed(team_id: int, quarter: str, sealed: int | str | None, now: dt.datetime | None = None) -> int | None:
    """`sealed` as passed to a read: CLOCK works it out now, anything else is the answer already."""
    return sealed_survey(team_id, quarter, now) if sealed == CLOCK else sealed  # type: ignore[return-value]


def survey_is_anonymous(team_id: int, quarter: str) -> bool:
    """Whether the team's survey for the quarter was anonymous (live ideas then default to anonymous too)."""
    found = survey_of(team_id, quarter)
    return bool(found and found["anonymous"])


def _tops(rows: list[dict[str, Any]]) -> dict[int, int]:
    """Per objective idea id, the top of its merge chain (deleted or not)."""
    by_id = {r["id"]: r for r in rows if r["kind"] == "objective"}
    tops: dict[int, int] = {}
    for idea_id in by_id:
        seen, current = set(), idea_id
        while by_id.get(current, {}).get("merged_into") is not None and current not in seen:
            seen.add(current)
            current = by_id[current]["merged_into"]
        tops[idea_id] = current
    return tops


def roots_of(rows: list[dict[str, Any]]) -> dict[int, int | None]:
    """Per objective idea id, the idea it now counts as (following merges), or None when that one is deleted."""
    by_id = {r["id"]: r for r in rows if r["kind"] == "objective"}
    return {idea_id: (top if top in by_id and by_id[top]["deleted_at"] is None else None)
            for idea_id, top in _tops(rows).items()}


def root_map(team_id: int, quarter: str, *, sealed: int | str | None = CLOCK,
             now: dt.datetime | None = None) -> dict[int, int | None]:
    """`roots_of` for a team's quarter (library use: rounds and objectives resolve votes and choices with it).
    Sealed ideas are left out: they are not on the table (yet)."""
    return roots_of(_team_ideas(team_id, quarter, resolve_sealed(team_id, quarter, sealed, now)))


def objective_ideas(actor: auth.Actor, team_id: int, quarter: str,
                    sealed: int | str | None = CLOCK) -> list[dict[str, Any]]:
    """The standing objective ideas in listing order (see LISTING_ORDER), each with its provenance; sealed ones
    (see the module docstring) are left out.

    Each dict: the idea's columns plus `contributions` (the original ideas merged into it, or itself: title,
    author or None, source, problem, why now), `authors` (names, never of anonymous ideas), `anonymous_count`,
    `key_results` (KR ideas of any contribution) and `merge_id` (when it is an active merge's result).
    """
    auth.require_reader(actor, team_id, "see this team's workshop ideas")
    rows = _team_ideas(team_id, quarter, resolve_sealed(team_id, quarter, sealed))
    roots, tops = roots_of(rows), _tops(rows)
    merges = {m["result_idea_id"]: m["id"] for m in db.rows(
        "SELECT result_idea_id, id FROM idea_merges WHERE team_id = ? AND quarter = ? AND undone_at IS NULL",
        [team_id, quarter])}
    linked = {i["id"]: strategy.label(i) for i in strategy.items(quarter)}
    standing = [dict(r) for r in rows if r["kind"] == "objective" and roots.get(r["id"]) == r["id"]]
    for idea in standing:
        tree = [r for r in rows if r["kind"] == "objective" and tops[r["id"]] == idea["id"]]
        tree_ids = {r["id"] for r in tree}
        contributions = [r for r in tree if r["source"] != "merge"] or [idea]
        idea["contributions"] = contributions
        idea["authors"] = sorted({c["author"] for c in contributions if c["author"]})
        idea["anonymous_count"] = sum(1 for c in contributions if c["anonymous"])
        idea["key_results"] = [r for r in rows if r["kind"] == "key_result" and r["parent_id"] in tree_ids
                               and r["deleted_at"] is None]
        idea["merge_id"] = merges.get(idea["id"])
        if idea["strategy_item_id"] is None:  # a merge made elsewhere (imports, demo) may not carry the link
            idea["strategy_item_id"] = _common_link(contributions)
        idea["strategy_label"] = linked.get(idea["strategy_item_id"]) if idea["strategy_item_id"] else None
    return standing


def _common_link(members: list[dict[str, Any]]) -> int | None:
    """The strategy item most of the ideas link to (ties: the older item); None when none links."""
    links = Counter(m["strategy_item_id"] for m in members if m["strategy_item_id"] is not None)
    return min(links, key=lambda item: (-links[item], item)) if links else None


def suggestions(actor: auth.Actor, team_id: int, quarter: str, threshold: float = similarity.DEFAULT_THRESHOLD,
                sealed: int | str | None = CLOCK) -> list[dict[str, Any]]:
    """Suggested duplicate groups among the standing ideas: {ideas (in listing order), low, high, title} each,
    closest first."""
    standing = objective_ideas(actor, team_id, quarter, sealed)
    by_id = {i["id"]: i for i in standing}
    place = {i["id"]: n for n, i in enumerate(standing)}
    return [{"ideas": [by_id[i] for i in sorted(g.idea_ids, key=place.__getitem__)], "low": g.low, "high": g.high,
             "title": g.suggested_title} for g in similarity.groups(standing, threshold)]


def check_link(quarter: str, strategy_item_id: int | None) -> int | None:
    """The strategy item id when it is one of the quarter's items (None stays None: "unlinked")."""
    if strategy_item_id is None:
        return None
    item = strategy.get(int(strategy_item_id))
    if item["quarter"] != quarter:
        raise ValidationError(f"That strategy item belongs to {item['quarter']}, not {quarter}; pick one of "
                              f"{quarter}'s.", "strategy_item_id")
    return item["id"]


def add(actor: auth.Actor, team_id: int, quarter: str, *, title: str, problem: str = "", why_now: str = "",
        strategy_item_id: int | None = None, anonymous: bool = False, now: dt.datetime | None = None) -> int:
    """A team member adds an objective idea live in the workshop (source 'workshop'); returns its id."""
    auth.require_member(actor, team_id, "add ideas to this team's workshop")
    require_open_quarter(quarter, now)
    title = validate.title(title, "Idea title", field="title")
    problem = validate.text(problem, "The problem it solves", field="problem")
    why_now = validate.text(why_now, "Why now", field="why_now")
    link = check_link(quarter, strategy_item_id)
    with db.transaction(scope=(team_id, quarter)) as cur:
        idea_id = int(cur.execute("SELECT nextval('seq_ideas')").fetchone()[0])
        cur.execute(
            """INSERT INTO ideas (id, team_id, quarter, kind, title, problem, why_now, strategy_item_id, author_id,
                                  anonymous, source, created_at)
               VALUES (?, ?, ?, 'objective', ?, ?, ?, ?, ?, ?, 'workshop', ?)""",
            [idea_id, team_id, quarter, title, problem, why_now, link, None if anonymous else actor.person_id,
             bool(anonymous), now or dt.datetime.now()],
        )
    return idea_id


def create(team_id: int, quarter: str, title: str, *, kind: str = "objective", parent_id: int | None = None,
           problem: str = "", why_now: str = "", reason: str = "", author_id: int | None = None,
           anonymous: bool = False, source: str = "survey", strategy_item_id: int | None = None,
           metric: str = "", unit: str = "", baseline: float | None = None, target: float | None = None) -> int:
    """Library-level insert (demo data, imports, tests): validates text but checks no role."""
    title = validate.title(title, "Idea title")
    with db.transaction(scope=(team_id, quarter)) as cur:
        idea_id = int(cur.execute("SELECT nextval('seq_ideas')").fetchone()[0])
        cur.execute(
            """INSERT INTO ideas (id, team_id, quarter, kind, parent_id, title, problem, why_now, reason,
                                  strategy_item_id, metric, unit, baseline, target, author_id, anonymous, source)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [idea_id, team_id, quarter, kind, parent_id, title, problem, why_now, reason, strategy_item_id, metric,
             unit, baseline, target, None if anonymous else author_id, anonymous, source],
        )
    return idea_id


def _joined(texts: list[str]) -> str:
    distinct = list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
    return "\n\n".join(distinct)[: validate.TEXT_MAX]


def merge(actor: auth.Actor, idea_ids: list[int], title: str, *, now: dt.datetime | None = None) -> int:
    """The lead merges standing ideas into a new one titled `title`; returns the new idea's id."""
    ids = sorted({int(i) for i in idea_ids})
    if len(ids) < 2:
        raise ValidationError("Pick at least two ideas to merge.", "ideas")
    members = [get(i) for i in ids]
    team_id, quarter = members[0]["team_id"], members[0]["quarter"]
    if any(m["team_id"] != team_id or m["quarter"] != quarter for m in members):
        raise ValidationError("Ideas of different teams or quarters cannot be merged.", "ideas")
    auth.require_lead(actor, team_id, "merge ideas")
    require_open_quarter(quarter, now)
    for m in members:
        if m["kind"] != "objective":
            raise ValidationError(f"“{m['title']}” is not an objective idea; only objective ideas merge.", "ideas")
        if m["merged_into"] is not None or m["deleted_at"] is not None:
            raise Conflict(f"“{m['title']}” was merged or removed meanwhile. Reload the page and try again.")
    if any(root_map(team_id, quarter, now=now).get(m["id"]) != m["id"] for m in members):
        raise Conflict("Some of these ideas are not on the table yet. Reload the page and try again.")
    placeholders = ", ".join("?" for _ in ids)
    if chosen := db.row(f"SELECT title, idea_id FROM objectives WHERE idea_id IN ({placeholders})", ids):
        raise Conflict(f"“{get(chosen['idea_id'])['title']}” is the idea the objective “{chosen['title']}” is built "
                       "on; replace the objective on the Create focus step before merging this idea.")
    title = validate.title(title, "Merged idea title", field="title")
    link = _common_link(members)
    when = now or dt.datetime.now()
    with db.transaction(scope=(team_id, quarter)) as cur:
        result_id = int(cur.execute("SELECT nextval('seq_ideas')").fetchone()[0])
        cur.execute(
            """INSERT INTO ideas (id, team_id, quarter, kind, title, problem, why_now, strategy_item_id, author_id,
                                  anonymous, source, created_at)
               VALUES (?, ?, ?, 'objective', ?, ?, ?, ?, NULL, false, 'merge', ?)""",
            [result_id, team_id, quarter, title, _joined([m["problem"] for m in members]),
             _joined([m["why_now"] for m in members]), link, when],
        )
        cur.execute(f"""UPDATE ideas SET merged_into = ? WHERE id IN ({placeholders})
                        AND merged_into IS NULL AND deleted_at IS NULL""", [result_id, *ids])
        moved = cur.execute(f"SELECT count(*) FROM ideas WHERE merged_into = ? AND id IN ({placeholders})",
                            [result_id, *ids]).fetchone()[0]
        if moved != len(ids):
            raise Conflict("Some of these ideas were merged or removed meanwhile. Reload the page and try again.")
        cur.execute("""INSERT INTO idea_merges (id, team_id, quarter, result_idea_id, merged_by, merged_at)
                       VALUES (nextval('seq_idea_merges'), ?, ?, ?, ?, ?)""",
                    [team_id, quarter, result_id, actor.person_id, when])
    return result_id


def merge_of(merge_id: int) -> dict[str, Any]:
    found = db.row("""SELECT m.*, i.title, i.merged_into AS result_merged_into, p.name AS merged_by_name
                      FROM idea_merges m JOIN ideas i ON i.id = m.result_idea_id
                      LEFT JOIN people p ON p.id = m.merged_by WHERE m.id = ?""", [merge_id])
    if found is None:
        raise NotFound("That merge no longer exists. Reload the page.")
    return found


def merge_id_of(result_idea_id: int) -> int | None:
    """The active merge whose result is this idea (None when it is not one)."""
    return db.scalar("SELECT id FROM idea_merges WHERE result_idea_id = ? AND undone_at IS NULL", [result_idea_id])


def merges(actor: auth.Actor, team_id: int, quarter: str) -> list[dict[str, Any]]:
    """The team's merges for the quarter, newest first, with the member titles of active ones."""
    auth.require_reader(actor, team_id, "see this team's workshop ideas")
    found = db.rows(
        """SELECT m.id, m.result_idea_id, m.merged_at, m.undone_at, i.title, i.merged_into AS result_merged_into,
                  p.name AS merged_by_name
           FROM idea_merges m JOIN ideas i ON i.id = m.result_idea_id LEFT JOIN people p ON p.id = m.merged_by
           WHERE m.team_id = ? AND m.quarter = ? ORDER BY m.merged_at DESC, m.id DESC""",
        [team_id, quarter],
    )
    for m in found:
        m["members"] = db.column(f"SELECT title FROM ideas i WHERE merged_into = ? ORDER BY {LISTING_ORDER}",
                                 [m["result_idea_id"]])
    return found


def undo_merge(actor: auth.Actor, merge_id: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Undo a merge exactly: members stand again, the merged idea is soft-deleted; returns the merge."""
    merge_row = merge_of(merge_id)
    auth.require_lead(actor, merge_row["team_id"], "undo merges")
    require_open_quarter(merge_row["quarter"], now)
    if merge_row["undone_at"] is not None:
        raise Conflict(f"The merge into “{merge_row['title']}” was already undone.")
    if merge_row["result_merged_into"] is not None:
        later = get(merge_row["result_merged_into"])
        raise Conflict(f"“{merge_row['title']}” was later merged into “{later['title']}”; undo that merge first.")
    chosen = db.scalar("SELECT title FROM objectives WHERE idea_id = ?", [merge_row["result_idea_id"]])
    if chosen is not None:
        raise Conflict(f"“{merge_row['title']}” became the objective “{chosen}”. Replace the objective on the "
                       "Create focus step before undoing this merge.")
    when = now or dt.datetime.now()
    with db.transaction(scope=(merge_row["team_id"], merge_row["quarter"])) as cur:
        # Open rounds that list the merged idea list its parts again, so voters can vote on them; votes cast on
        # the merged idea itself are set aside (kept, not counted). Closed rounds keep their record as it was.
        cur.execute("""INSERT INTO ranking_round_ideas (round_id, idea_id)
                       SELECT ri.round_id, m.id FROM ranking_round_ideas ri
                       JOIN ranking_rounds r ON r.id = ri.round_id AND r.closed_at IS NULL
                       JOIN ideas m ON m.merged_into = ri.idea_id
                       WHERE ri.idea_id = ? ON CONFLICT DO NOTHING""", [merge_row["result_idea_id"]])
        cur.execute("UPDATE ideas SET merged_into = NULL WHERE merged_into = ?", [merge_row["result_idea_id"]])
        cur.execute("UPDATE ideas SET deleted_at = ? WHERE id = ?", [when, merge_row["result_idea_id"]])
        cur.execute("UPDATE idea_merges SET undone_at = ? WHERE id = ?", [when, merge_id])
    return merge_row


def rename(actor: auth.Actor, idea_id: int, title: str, *, now: dt.datetime | None = None) -> None:
    """The lead rewords a merged idea (members' own ideas keep their authors' words)."""
    idea = get(idea_id)
    auth.require_lead(actor, idea["team_id"], "reword merged ideas")
    require_open_quarter(idea["quarter"], now)
    if idea["source"] != "merge":
        raise ValidationError("Only merged ideas can be reworded; the others are their authors' words.", "title")
    db.execute("UPDATE ideas SET title = ? WHERE id = ?", [validate.title(title, "Merged idea title"), idea_id],
               scope=(idea["team_id"], idea["quarter"]))


def _may_remove(actor: auth.Actor, idea: dict[str, Any]) -> None:
    own_live = idea["source"] == "workshop" and idea["author_id"] == actor.person_id
    if not (actor.leads(idea["team_id"]) or own_live):
        raise PermissionDenied(f"Only the lead of {auth.team_name(idea['team_id'])} may remove ideas (members may "
                               f"remove ideas they added in the workshop). {actor.name} may not remove this one.")


def remove(actor: auth.Actor, idea_id: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Set a standing idea aside (soft delete, undo with `restore`); returns it."""
    idea = get(idea_id)
    _may_remove(actor, idea)
    require_open_quarter(idea["quarter"], now)
    if idea["source"] == "merge":
        raise ValidationError("This idea is the result of a merge: undo the merge instead.")
    if idea["merged_into"] is not None or idea["deleted_at"] is not None:
        raise Conflict(f"“{idea['title']}” was merged or removed meanwhile. Reload the page.")
    if db.scalar("SELECT count(*) FROM objectives WHERE idea_id = ?", [idea_id]):
        raise Conflict(f"“{idea['title']}” is the team's objective; replace the objective first.")
    db.execute("UPDATE ideas SET deleted_at = ? WHERE id = ?", [now or dt.datetime.now(), idea_id],
               scope=(idea["team_id"], idea["quarter"]))
    return idea


def restore(actor: auth.Actor, idea_id: int, *, now: dt.datetime | None = None) -> None:
    """Undo `remove` (only that: an idea its author took out of their survey answer stays out)."""
    idea = get(idea_id)
    _may_remove(actor, idea)
    require_open_quarter(idea["quarter"], now)
    if idea["source"] == "merge":
        raise ValidationError("A merged idea comes back by merging its ideas again.")
    if idea["deleted_at"] is not None and answer_ideas.withdrawn(idea_id):
        raise ValidationError(f"“{idea['title']}” was taken out of the survey answer it came from by its author, so "
                              "it cannot be restored here. Add it again if the team still wants it.")
    db.execute("UPDATE ideas SET deleted_at = NULL WHERE id = ?", [idea_id], scope=(idea["team_id"], idea["quarter"]))
