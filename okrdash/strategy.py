"""The foundation: per quarter, ordered strategy items (mission, company objectives, vision, principles, strategy).

Everyone reads; admins add, edit, reorder, delete and copy the previous quarter's items forward.
"""

from __future__ import annotations

from typing import Any

from okrdash import auth, db, positions, quarters, validate
from okrdash.errors import NotFound, ValidationError

KINDS: dict[str, str] = {
    "mission": "Mission",
    "company_objective": "Company objective",
    "product_vision": "Product vision",
    "principle": "Product principle",
    "product_strategy": "Product strategy",
}
PLURAL: dict[str, str] = {
    "mission": "Mission",
    "company_objective": "Company objectives",
    "product_vision": "Product vision",
    "principle": "Product principles",
    "product_strategy": "Product strategy",
}
_KIND_ORDER = "CASE kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS)) + " END"


def items(quarter: str, kind: str | None = None) -> list[dict[str, Any]]:
    """The quarter's items in reading order: by kind (mission first), then position."""
    where, params = "quarter = ?", [quarter]
    if kind:
        where, params = where + " AND kind = ?", [*params, kind]
    return db.rows(
        f"""SELECT id, quarter, kind, position, title, body, updated_at FROM strategy_items
            WHERE {where} ORDER BY {_KIND_ORDER}, position, id""",
        params,
    )


def get(item_id: int) -> dict[str, Any]:
    found = db.row("SELECT id, quarter, kind, position, title, body FROM strategy_items WHERE id = ?", [item_id])
    if found is None:
        raise NotFound("That strategy item no longer exists.")
    return found


def label(item: dict[str, Any]) -> str:
    """“Company objective: Win the mid-market” — for pickers and links."""
    return f"{KINDS[item['kind']]}: {item['title']}"


def linkable_items(quarter: str) -> list[dict[str, Any]]:
    """Items an objective or idea can serve: company objectives first, then strategy and vision."""
    return [i for i in items(quarter) if i["kind"] in ("company_objective", "product_strategy", "product_vision")]


def _clean(kind: str, title: str, body: str) -> tuple[str, str, str]:
    if kind not in KINDS:
        raise ValidationError(f"Kind must be one of: {', '.join(KINDS.values())}.", "kind")
    return kind, validate.title(title, field="title"), validate.text(body, "Body", field="body")


def add(actor: auth.Actor, quarter: str, kind: str, title: str, body: str = "") -> int:
    """An admin appends an item to the quarter's list of that kind."""
    auth.require_admin(actor, "edit the strategy")
    quarters.get(quarter)
    return create(quarter, kind, title, body)


def create(quarter: str, kind: str, title: str, body: str = "") -> int:
    """Library-level insert (demo data): validated, appended at the end of its kind."""
    kind, title, body = _clean(kind, title, body)
    with db.transaction() as cur:
        item_id = int(cur.execute("SELECT nextval('seq_strategy_items')").fetchone()[0])
        cur.execute(
            """INSERT INTO strategy_items (id, quarter, kind, position, title, body)
               SELECT ?, ?, ?, coalesce(max(position) + 1, 0), ?, ?
               FROM strategy_items WHERE quarter = ? AND kind = ?""",
            [item_id, quarter, kind, title, body, quarter, kind],
        )
    return item_id


def update(actor: auth.Actor, item_id: int, *, kind: str, title: str, body: str) -> None:
    auth.require_admin(actor, "edit the strategy")
    current = get(item_id)
    kind, title, body = _clean(kind, title, body)
    position = current["position"]
    with db.transaction() as cur:
        if kind != current["kind"]:
            position = cur.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM strategy_items WHERE quarter = ? AND kind = ?",
                [current["quarter"], kind],
            ).fetchone()[0]
        cur.execute(
            """UPDATE strategy_items SET kind = ?, title = ?, body = ?, position = ?, updated_at = current_timestamp
               WHERE id = ?""",
            [kind, title, body, position, item_id],
        )


def move(actor: auth.Actor, item_id: int, direction: int) -> None:
    """Swap the item with its neighbour of the same kind (direction -1 up, +1 down); no-op at the ends."""
    auth.require_admin(actor, "reorder the strategy")
    item = get(item_id)
    positions.move("strategy_items", [i["id"] for i in items(item["quarter"], item["kind"])], item_id, direction)


def delete(actor: auth.Actor, item_id: int) -> dict[str, Any]:
    """Delete an item nobody links to; returns it so the page can offer to restore it."""
    auth.require_admin(actor, "edit the strategy")
    item = get(item_id)
    links = db.scalar(
        """SELECT (SELECT count(*) FROM objectives WHERE strategy_item_id = $id)
                + (SELECT count(*) FROM ideas WHERE strategy_item_id = $id)
                + (SELECT count(*) FROM survey_prereading WHERE strategy_item_id = $id)""",
        {"id": item_id},
    )
    if links:
        raise ValidationError(
            f"“{item['title']}” is linked from {links} objective(s), idea(s) or survey(s); edit it instead of "
            "deleting it, or remove those links first."
        )
    db.execute("DELETE FROM strategy_items WHERE id = ?", [item_id])
    return item


def restore(actor: auth.Actor, item: dict[str, Any]) -> int:
    """Undo a delete: re-create the item at the end of its kind."""
    auth.require_admin(actor, "edit the strategy")
    return create(item["quarter"], item["kind"], item["title"], item["body"])


def copy_forward(actor: auth.Actor, quarter: str) -> int:
    """Copy the previous quarter's items into `quarter` (which must be empty); returns how many were copied."""
    auth.require_admin(actor, "edit the strategy")
    quarters.get(quarter)
    source = quarters.previous(quarter)
    with db.transaction() as cur:
        if cur.execute("SELECT count(*) FROM strategy_items WHERE quarter = ?", [quarter]).fetchone()[0]:
            raise ValidationError(f"{quarter} already has strategy items; copying would duplicate them.")
        cur.execute(
            """INSERT INTO strategy_items (id, quarter, kind, position, title, body)
               SELECT nextval('seq_strategy_items'), ?, kind, position, title, body
               FROM strategy_items WHERE quarter = ? ORDER BY kind, position, id""",
            [quarter, source],
        )
        copied = cur.execute("SELECT count(*) FROM strategy_items WHERE quarter = ?", [quarter]).fetchone()[0]
    if not copied:
        raise ValidationError(f"{source} has no strategy items to copy.")
    return int(copied)
