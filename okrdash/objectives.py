"""The team's one objective per quarter, chosen from an idea, and its deprioritized list.

At most one objective per (team, quarter): the database's UNIQUE constraint decides, so two leads choosing at the
same moment leave exactly one. Replacing the objective rewrites that one row (its id, and any key results under
it, stay). The deprioritized list (title, reason, optional idea) is soft-deleted with undo; next quarter's survey
offers it as candidate ideas.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, ideas, validate
from okrdash.errors import Conflict, NotFound, ValidationError

_COLUMNS = """o.id, o.team_id, o.quarter, o.title, o.why, o.strategy_item_id, o.idea_id, o.status, o.created_by,
              o.created_at, o.updated_at, i.title AS idea_title, s.title AS strategy_title, s.kind AS strategy_kind,
              p.name AS created_by_name"""


def current(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any] | None:
    """The team's objective for the quarter (draft or published), or None."""
    auth.require_reader(actor, team_id, "see this team's objective")
    return _current(team_id, quarter)


def _current(team_id: int, quarter: str) -> dict[str, Any] | None:
    found = db.row(f"""SELECT {_COLUMNS} FROM objectives o LEFT JOIN ideas i ON i.id = o.idea_id
                       LEFT JOIN strategy_items s ON s.id = o.strategy_item_id
                       LEFT JOIN people p ON p.id = o.created_by
                       WHERE o.team_id = ? AND o.quarter = ?""", [team_id, quarter])
    if found is not None:
        found["key_results"] = db.scalar(
            "SELECT count(*) FROM key_results WHERE objective_id = ? AND archived_at IS NULL", [found["id"]])
    return found


def _clean(team_id: int, quarter: str, idea_id: int, title: str, why: str,
           strategy_item_id: int | None) -> tuple[str, str, int | None]:
    idea = ideas.get(int(idea_id))
    if idea["team_id"] != team_id or idea["quarter"] != quarter:
        raise ValidationError(f"“{idea['title']}” is an idea of {auth.team_name(idea['team_id'])} for "
                              f"{idea['quarter']}; choose one of this team's ideas for {quarter}.", "idea_id")
    if idea["kind"] != "objective":
        raise ValidationError("Only an objective idea can become the objective.", "idea_id")
    root = ideas.root_map(team_id, quarter).get(idea["id"])
    if root is None:
        raise ValidationError(f"“{idea['title']}” was removed; restore it on the Consolidate step or choose "
                              "another idea.", "idea_id")
    if root != idea["id"]:
        raise ValidationError(f"“{idea['title']}” was merged into “{ideas.get(root)['title']}”; choose that one.",
                              "idea_id")
    title = validate.title(title, "Objective title", field="title")
    why = validate.text(why, "Why it matters", field="why")
    return title, why, ideas.check_link(quarter, strategy_item_id)


def _taken(team_id: int, quarter: str) -> Conflict:
    existing = _current(team_id, quarter)
    title = f" “{existing['title']}”" if existing else ""
    return Conflict(f"{auth.team_name(team_id)} already has its one objective for {quarter}{title}. A team sets one "
                    "objective per quarter: replace the current one if the team has changed its mind.")


def select(actor: auth.Actor, team_id: int, quarter: str, *, idea_id: int, title: str, why: str = "",
           strategy_item_id: int | None = None, now: dt.datetime | None = None) -> int:
    """The lead makes one of the team's standing ideas the quarter's objective; returns its id.

    Refused with Conflict when the team already has one (the UNIQUE constraint decides, even under a race).
    """
    auth.require_lead(actor, team_id, "choose the team's objective")
    ideas.require_open_quarter(quarter, now)
    title, why, strategy_item_id = _clean(team_id, quarter, idea_id, title, why, strategy_item_id)
    when = now or dt.datetime.now()
    try:
        with db.transaction(scope=(team_id, quarter)) as cur:
            objective_id = int(cur.execute("SELECT nextval('seq_objectives')").fetchone()[0])
            cur.execute("""INSERT INTO objectives (id, team_id, quarter, title, why, strategy_item_id, idea_id,
                                                   status, created_by, created_at, updated_at)
                           VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)""",
                        [objective_id, team_id, quarter, title, why, strategy_item_id, idea_id, actor.person_id,
                         when, when])
    except db.ConstraintViolation as error:
        raise _taken(team_id, quarter) from error
    except Conflict as error:
        # A racing selection committed first: DuckDB reports the duplicate key at our commit.
        if _current(team_id, quarter) is None:
            raise
        raise _taken(team_id, quarter) from error
    return objective_id


def replace(actor: auth.Actor, team_id: int, quarter: str, *, idea_id: int, title: str, why: str = "",
            strategy_item_id: int | None = None, now: dt.datetime | None = None) -> int:
    """The lead replaces the current objective with another idea (the same row: one objective, always).

    A published objective goes back to draft: the team publishes again to share the change.
    """
    auth.require_lead(actor, team_id, "replace the team's objective")
    ideas.require_open_quarter(quarter, now)
    existing = _current(team_id, quarter)
    if existing is None:
        raise NotFound(f"There is no objective for {quarter} to replace yet; choose one instead.")
    title, why, strategy_item_id = _clean(team_id, quarter, idea_id, title, why, strategy_item_id)
    db.execute("""UPDATE objectives SET title = ?, why = ?, strategy_item_id = ?, idea_id = ?, status = 'draft',
                                        updated_at = ? WHERE id = ?""",
               [title, why, strategy_item_id, idea_id, now or dt.datetime.now(), existing["id"]],
               scope=(team_id, quarter))
    return existing["id"]


def update(actor: auth.Actor, team_id: int, quarter: str, *, title: str, why: str = "",
           strategy_item_id: int | None = None, now: dt.datetime | None = None) -> None:
    """The lead rewords the objective, its why or its strategy link (same idea). Keeps its status: publishing
    again is how a change to a published objective reaches everyone."""
    auth.require_lead(actor, team_id, "edit the team's objective")
    ideas.require_open_quarter(quarter, now)
    existing = _current(team_id, quarter)
    if existing is None:
        raise NotFound(f"There is no objective for {quarter} yet; choose one first.")
    title = validate.title(title, "Objective title", field="title")
    why = validate.text(why, "Why it matters", field="why")
    strategy_item_id = ideas.check_link(quarter, strategy_item_id)
    db.execute("UPDATE objectives SET title = ?, why = ?, strategy_item_id = ?, updated_at = ? WHERE id = ?",
               [title, why, strategy_item_id, now or dt.datetime.now(), existing["id"]], scope=(team_id, quarter))


# --- Deprioritized list -------------------------------------------------------------------------------------------


def deprioritized(actor: auth.Actor, team_id: int, quarter: str) -> list[dict[str, Any]]:
    """The team's deprioritized list for the quarter, in the order it was written."""
    auth.require_reader(actor, team_id, "see this team's deprioritized list")
    return db.rows("""SELECT d.id, d.title, d.reason, d.idea_id, d.created_at, p.name AS created_by_name
                      FROM deprioritized d LEFT JOIN people p ON p.id = d.created_by
                      WHERE d.team_id = ? AND d.quarter = ? AND d.deleted_at IS NULL
                      ORDER BY d.created_at, d.id""", [team_id, quarter])


def deprioritize_candidates(actor: auth.Actor, team_id: int, quarter: str,
                            sealed: int | str | None = ideas.CLOCK) -> list[dict[str, Any]]:
    """Ideas the lead may put on the list: standing objective ideas other than the chosen one, then the survey's
    'things to deprioritize' (with the reason members gave); those already listed, and the sealed survey's (see
    okrdash.ideas), are left out."""
    auth.require_reader(actor, team_id, "see this team's workshop ideas")
    listed = {r["title"].casefold() for r in deprioritized(actor, team_id, quarter)}
    listed_ids = {r["idea_id"] for r in deprioritized(actor, team_id, quarter)}
    chosen = _current(team_id, quarter)
    found = []
    sealed = ideas.resolve_sealed(team_id, quarter, sealed)
    for idea in ideas.objective_ideas(actor, team_id, quarter, sealed):
        if chosen and idea["id"] == chosen["idea_id"]:
            continue
        found.append({"id": idea["id"], "title": idea["title"], "reason": "", "kind": "objective idea"})
    for r in db.rows(f"""SELECT id, title, reason FROM ideas i
                         WHERE team_id = ? AND quarter = ? AND kind = 'deprioritize' AND deleted_at IS NULL
                         AND NOT coalesce(survey_id = ?, false)
                         ORDER BY {ideas.LISTING_ORDER}""", [team_id, quarter, sealed]):
        if r["title"].casefold() not in {f["title"].casefold() for f in found}:
            found.append({**r, "kind": "survey suggestion"})
    return [f for f in found if f["id"] not in listed_ids and f["title"].casefold() not in listed]


def deprioritize(actor: auth.Actor, team_id: int, quarter: str, *, reason: str, title: str = "",
                 idea_id: int | None = None, now: dt.datetime | None = None) -> int:
    """The lead adds an item to the deprioritized list, typed or from an idea; a reason is required."""
    auth.require_lead(actor, team_id, "edit the deprioritized list")
    ideas.require_open_quarter(quarter, now)
    if idea_id is not None:
        idea = ideas.get(int(idea_id))
        if idea["team_id"] != team_id or idea["quarter"] != quarter:
            raise ValidationError("That idea belongs to another team or quarter; pick one of this team's.", "idea_id")
        title = title or idea["title"]
    title = validate.title(title, "What you deprioritize", field="title")
    reason = validate.text(reason, "Reason", required=True, field="reason")
    with db.transaction(scope=(team_id, quarter)) as cur:
        duplicate = cur.execute("""SELECT count(*) FROM deprioritized WHERE team_id = ? AND quarter = ?
                                   AND deleted_at IS NULL AND lower(title) = lower(?)""",
                                [team_id, quarter, title]).fetchone()[0]
        if duplicate:
            raise ValidationError(f"“{title}” is already on the deprioritized list.", "title")
        item_id = int(cur.execute("SELECT nextval('seq_deprioritized')").fetchone()[0])
        cur.execute("""INSERT INTO deprioritized (id, team_id, quarter, title, reason, idea_id, created_by, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    [item_id, team_id, quarter, title, reason, idea_id, actor.person_id, now or dt.datetime.now()])
    return item_id


def _item(item_id: int) -> dict[str, Any]:
    found = db.row("SELECT * FROM deprioritized WHERE id = ?", [item_id])
    if found is None:
        raise NotFound("That deprioritized item no longer exists. Reload the page.")
    return found


def remove_deprioritized(actor: auth.Actor, item_id: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Take an item off the list (soft delete; `restore_deprioritized` undoes it); returns the item."""
    item = _item(item_id)
    auth.require_lead(actor, item["team_id"], "edit the deprioritized list")
    ideas.require_open_quarter(item["quarter"], now)
    db.execute("UPDATE deprioritized SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
               [now or dt.datetime.now(), item_id], scope=(item["team_id"], item["quarter"]))
    return item


def restore_deprioritized(actor: auth.Actor, item_id: int, *, now: dt.datetime | None = None) -> None:
    """Undo `remove_deprioritized`."""
    item = _item(item_id)
    auth.require_lead(actor, item["team_id"], "edit the deprioritized list")
    ideas.require_open_quarter(item["quarter"], now)
    db.execute("UPDATE deprioritized SET deleted_at = NULL WHERE id = ?", [item_id],
               scope=(item["team_id"], item["quarter"]))
