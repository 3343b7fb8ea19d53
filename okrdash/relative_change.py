"""Relative-change key results (“Grow subscribers by 20%”, “Increase trials 21% QoQ”) in storage.

key_results.kind holds the direction (increase_to / decrease_to) and the side table kr_relative (migration m030)
marks the key result relative with its change in percent; everything above storage sees the kinds increase_by /
decrease_by and a `change_pct` field. The target is never stored: it is the baseline ± change_pct %, and the
baseline is the typed one or else the value of the first check-in (okrdash.progress, okrdash.scores).
"""

from __future__ import annotations

from typing import Any

KINDS = ("increase_by", "decrease_by")
STORED = {"increase_by": "increase_to", "decrease_by": "decrease_to"}

# Columns for a SELECT over key_results k LEFT JOIN kr_relative rel: the kind as people see it and the change.
SELECT_KIND = ("CASE WHEN rel.kr_id IS NULL THEN k.kind WHEN k.kind = 'decrease_to' THEN 'decrease_by' "
               "ELSE 'increase_by' END AS kind, rel.change_pct")
JOIN = "LEFT JOIN kr_relative rel ON rel.kr_id = k.id"


def stored_kind(kind: str) -> str:
    return STORED.get(kind, kind)


def write(cur: Any, kr_id: int, kind: str, change_pct: float | None) -> None:
    """Record (or clear) the key result's relative change inside the caller's transaction."""
    if kind in KINDS and change_pct is not None:
        cur.execute("""INSERT INTO kr_relative (kr_id, change_pct) VALUES (?, ?)
                       ON CONFLICT (kr_id) DO UPDATE SET change_pct = excluded.change_pct""", [kr_id, change_pct])
    else:
        cur.execute("DELETE FROM kr_relative WHERE kr_id = ?", [kr_id])


def target(kind: str, baseline: float | None, change_pct: float | None) -> float | None:
    """The target a relative key result implies once its baseline is known (None before)."""
    if baseline is None or change_pct is None:
        return None
    return baseline * (1 + change_pct / 100) if kind == "increase_by" else baseline * (1 - change_pct / 100)
