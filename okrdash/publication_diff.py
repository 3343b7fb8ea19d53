"""What changed between two OKR snapshots, in sentences for the change log. Pure: snapshots in, lines out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import fmt

KR_FIELDS = ("title", "kind", "metric", "unit", "baseline", "target", "definition_of_done", "due_on")


def _owner_id(kr: dict[str, Any]) -> int | None:
    return (kr.get("owner") or {}).get("id")


def content(snap: dict[str, Any]) -> dict[str, Any]:
    """The parts of a snapshot that make up the OKR itself: what a new version must change.

    Leaves out who published and when, the note, the lead's achievability tick (a workshop step, not part of the
    OKR) and people's or the team's display names (an admin renaming someone is not an OKR change). The idea the
    objective comes from is part of it: replacing the objective by another idea is a change, even in the same
    words."""
    objective = snap.get("objective") or {}
    return {
        "objective": (objective.get("title", ""), objective.get("why", ""), objective.get("idea_id")),
        "links": [link.get("id") for link in snap.get("strategy_links", [])],
        "key_results": [(kr.get("id"), *(kr.get(f) for f in KR_FIELDS), _owner_id(kr))
                        for kr in snap.get("key_results", [])],
        "deprioritized": [(d.get("title"), d.get("reason", "")) for d in snap.get("deprioritized", [])],
    }


def _number(kr: dict[str, Any], name: str) -> str:
    return fmt.number(kr.get(name), kr.get("unit") or "")


def _kr_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    label = f"Key result “{new['title']}”"
    parts = []
    if old.get("title") != new.get("title"):
        parts.append(f"renamed from “{old.get('title')}”")
    if old.get("kind") != new.get("kind"):
        parts.append(f"kind {old.get('kind_label') or old.get('kind')} → {new.get('kind_label') or new.get('kind')}")
    if old.get("metric") != new.get("metric"):
        parts.append(f"metric “{old.get('metric') or '—'}” → “{new.get('metric') or '—'}”")
    numbers = [f"{name} {_number(old, name)} → {_number(new, name)}" for name in ("baseline", "target")
               if _number(old, name) != _number(new, name)]
    parts.extend(numbers)
    if old.get("unit") != new.get("unit") and not numbers:
        parts.append(f"unit “{old.get('unit') or '—'}” → “{new.get('unit') or '—'}”")
    if old.get("definition_of_done") != new.get("definition_of_done"):
        parts.append("definition of done rewritten")
    if _owner_id(old) != _owner_id(new):
        before, after = (old.get("owner") or {}).get("name", "nobody"), (new.get("owner") or {}).get("name", "nobody")
        parts.append(f"owner {before} → {after}")
    if old.get("due_on") != new.get("due_on"):
        parts.append(f"due {_day(old.get('due_on'))} → {_day(new.get('due_on'))}")
    return [f"{label}: {', '.join(parts)}."] if parts else []


def _day(iso: str | None) -> str:
    if not iso:
        return "—"
    return fmt.day(dt.date.fromisoformat(iso))


def _links(links: dict[Any, dict[str, Any]]) -> str:
    return ", ".join(f"{x.get('kind_label')}: {x.get('title')}" for x in links.values())


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Sentences describing how `new` differs from `old` (empty when the OKR itself is unchanged)."""
    if content(old) == content(new):
        return []
    lines: list[str] = []
    old_objective, new_objective = old.get("objective") or {}, new.get("objective") or {}
    if old_objective.get("idea_id") != new_objective.get("idea_id"):
        same = all(old_objective.get(f) == new_objective.get(f) for f in ("title", "why"))
        lines.append("The objective was replaced by another idea" + (" (same wording)." if same else "."))
    if old_objective.get("title") != new_objective.get("title"):
        lines.append(f"Objective reworded: “{old_objective.get('title')}” → “{new_objective.get('title')}”.")
    if old_objective.get("why") != new_objective.get("why"):
        lines.append("“Why it matters” rewritten.")
    old_links = {link.get("id"): link for link in old.get("strategy_links", [])}
    new_links = {link.get("id"): link for link in new.get("strategy_links", [])}
    if list(old_links) != list(new_links):
        lines.append(f"Now serves {_links(new_links) or 'no strategy item'} (was {_links(old_links) or 'not linked'}).")
    old_krs = {kr.get("id"): kr for kr in old.get("key_results", [])}
    new_krs = {kr.get("id"): kr for kr in new.get("key_results", [])}
    for kr_id, kr in new_krs.items():
        if kr_id not in old_krs:
            lines.append(f"Added key result “{kr['title']}”.")
        else:
            lines.extend(_kr_changes(old_krs[kr_id], kr))
    lines.extend(f"Removed key result “{kr['title']}”." for kr_id, kr in old_krs.items() if kr_id not in new_krs)
    kept_old = [k for k in old_krs if k in new_krs]
    kept_new = [k for k in new_krs if k in old_krs]
    if kept_old != kept_new:
        lines.append("Key results reordered.")
    old_dropped = {d.get("title"): d for d in old.get("deprioritized", [])}
    new_dropped = {d.get("title"): d for d in new.get("deprioritized", [])}
    lines.extend(f"Deprioritized “{title}”." for title in new_dropped if title not in old_dropped)
    lines.extend(f"No longer deprioritized: “{title}”." for title in old_dropped if title not in new_dropped)
    lines.extend(f"Reason for deprioritizing “{title}” rewritten." for title, d in new_dropped.items()
                 if title in old_dropped and old_dropped[title].get("reason") != d.get("reason"))
    return lines or ["Details changed."]
