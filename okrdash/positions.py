"""Lists kept in order by a `position` column (strategy items, key results): moving one item up or down."""

from __future__ import annotations

from okrdash import db

ORDERED_TABLES = {"strategy_items", "key_results"}


def moved(order: list[int], item_id: int, direction: int) -> list[int] | None:
    """`order` with `item_id` swapped with its neighbour (direction < 0: up, > 0: down); None at either end."""
    if item_id not in order:
        return None
    index = order.index(item_id)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(order):
        return None
    swapped = list(order)
    swapped[index], swapped[other] = swapped[other], swapped[index]
    return swapped


def move(table: str, order: list[int], item_id: int, direction: int, *, scope: tuple | None = None) -> None:
    """Move `item_id` one place within `order` and write every position, in one transaction (`scope`: the team
    and quarter the list belongs to, as for db.transaction)."""
    if table not in ORDERED_TABLES:
        raise ValueError(f"not an ordered table: {table}")
    new_order = moved(order, item_id, direction)
    if new_order is None:
        return
    with db.transaction(scope) as cur:
        for position, each in enumerate(new_order):
            cur.execute(f"UPDATE {table} SET position = ? WHERE id = ?", [position, each])
