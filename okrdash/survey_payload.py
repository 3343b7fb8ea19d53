"""The answer format shared by drafts, submitted answers and the demo data (JSON in `payload` columns):

    {"objectives": [{"title", "problem", "why_now", "strategy_item_id",
                     "key_results": [{"title", "metric", "unit", "baseline", "target"}]}],
     "deprioritize": [{"title", "why"}],
     "concerns": [{"title"}]}

Drafts add a stable `key` to every item (so an edit in one tab never hits the wrong item after another tab
removed one) and `carried_over_id` (the `deprioritized` row) on items carried over from last quarter. Submitted
answers drop `key` and keep `carried_over_id`. Pure functions only: no database, no Streamlit.
"""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from okrdash import validate
from okrdash.errors import ValidationError

SECTIONS = ("objectives", "deprioritize", "concerns")
MAX_ITEMS = {"objectives": 30, "key_results": 10, "deprioritize": 30, "concerns": 30}
SECTION_NAMES = {"objectives": "objective ideas", "key_results": "key-result ideas per objective idea",
                 "deprioritize": "things to deprioritize", "concerns": "risks and concerns"}
CONCERN_MAX = 1000
UNIT_MAX = 20
_FIELDS = {
    "objectives": ("title", "problem", "why_now", "strategy_item_id"),
    "key_results": ("title", "metric", "unit", "baseline", "target"),
    "deprioritize": ("title", "why"),
    "concerns": ("title",),
}


def empty() -> dict[str, list]:
    return {section: [] for section in SECTIONS}


def new_key() -> str:
    return uuid.uuid4().hex[:10]


def normalise(payload: dict[str, Any] | str | None) -> dict[str, list]:
    """A copy of `payload` (dict or JSON) with every section present and every item keyed.

    Items without a key get one from their position ('o1', 'o1k2', 'd1', 'c3'), so the same stored answer always
    yields the same keys: a page can render keys from it and act on them in the next script run.
    """
    if isinstance(payload, str):
        payload = json.loads(payload) if payload.strip() else {}
    data = copy.deepcopy(payload or {})
    result = empty()
    for section, prefix in (("objectives", "o"), ("deprioritize", "d"), ("concerns", "c")):
        for index, item in enumerate(data.get(section) or [], start=1):
            item = dict(item)
            item.setdefault("key", f"{prefix}{index}")
            if section == "objectives":
                item["key_results"] = [
                    {**kr, "key": kr.get("key") or f"{item['key']}k{n}"}
                    for n, kr in enumerate(item.get("key_results") or [], start=1)
                ]
            result[section].append(item)
    return result


def _strip(item: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out = {name: item.get(name, None if name in ("strategy_item_id", "baseline", "target") else "")
           for name in fields}
    if item.get("carried_over_id") is not None:
        out["carried_over_id"] = item["carried_over_id"]
    return out


def content(payload: dict[str, Any] | str | None) -> dict[str, list]:
    """The answer as stored on submission: the documented fields only (plus carry-over markers), no keys."""
    data = normalise(payload)
    return {
        "objectives": [
            {**_strip(o, _FIELDS["objectives"]),
             "key_results": [_strip(kr, _FIELDS["key_results"]) for kr in o["key_results"]]}
            for o in data["objectives"]
        ],
        "deprioritize": [_strip(d, _FIELDS["deprioritize"]) for d in data["deprioritize"]],
        "concerns": [_strip(c, _FIELDS["concerns"]) for c in data["concerns"]],
    }


def counts(payload: dict[str, Any] | str | None) -> dict[str, int]:
    data = normalise(payload)
    return {
        "objectives": len(data["objectives"]),
        "key_results": sum(len(o["key_results"]) for o in data["objectives"]),
        "deprioritize": len(data["deprioritize"]),
        "concerns": len(data["concerns"]),
    }


def is_empty(payload: dict[str, Any] | str | None) -> bool:
    return not any(counts(payload).values())


def summary(payload: dict[str, Any] | str | None) -> str:
    """'2 objective ideas, 1 key-result idea, 0 things to deprioritize, 1 risk or concern'."""
    return summary_of_counts(counts(payload))


def summary_of_counts(found: dict[str, int]) -> str:
    words = {"objectives": ("objective idea", "objective ideas"),
             "key_results": ("key-result idea", "key-result ideas"),
             "deprioritize": ("thing to deprioritize", "things to deprioritize"),
             "concerns": ("risk or concern", "risks and concerns")}
    return ", ".join(f"{found[k]} {one if found[k] == 1 else many}" for k, (one, many) in words.items())


def item_keys(payload: dict[str, Any] | str | None) -> list[str]:
    """The items' keys in the order `idea_rows` lists them (a stored answer's are its positional keys)."""
    data = normalise(payload)
    keys = []
    for objective in data["objectives"]:
        keys += [objective["key"], *(kr["key"] for kr in objective["key_results"])]
    return keys + [d["key"] for d in data["deprioritize"]] + [c["key"] for c in data["concerns"]]


def carried(payload: dict[str, Any] | str | None) -> dict[int, str]:
    """Deprioritized-row ids already carried over in this payload, with the section they went to."""
    data = normalise(payload)
    return {int(item["carried_over_id"]): section for section in ("objectives", "deprioritize")
            for item in data[section] if item.get("carried_over_id") is not None}


def locate(payload: dict[str, list], key: str) -> tuple[list, int, str, str | None]:
    """(the list holding the item, its index, its section, its objective's key for KR ideas); NotFound-safe."""
    for section in SECTIONS:
        for index, item in enumerate(payload[section]):
            if item["key"] == key:
                return payload[section], index, section, None
            for kr_index, kr in enumerate(item.get("key_results", []) if section == "objectives" else []):
                if kr["key"] == key:
                    return item["key_results"], kr_index, "key_results", item["key"]
    raise ValidationError("That item is no longer in your draft (removed in another tab?). Reload the page.")


def check_room(items: list, section: str) -> None:
    if len(items) >= MAX_ITEMS[section]:
        raise ValidationError(
            f"An answer holds at most {MAX_ITEMS[section]} {SECTION_NAMES[section]}. Merge or remove some first."
        )


# ---- field rules: every edit is checked here before it reaches the draft ----


def _link(value: object, linkable: set[int]) -> int | None:
    if value in (None, "", 0):
        return None
    try:
        item_id = int(value)
    except (TypeError, ValueError):
        raise ValidationError("Pick the strategy item from the list.", "strategy_item_id") from None
    if item_id not in linkable:
        raise ValidationError(
            "That strategy item is not part of this quarter's strategy any more; pick another or leave it unlinked.",
            "strategy_item_id",
        )
    return item_id


def clean_objective(fields: dict[str, Any], linkable: set[int]) -> dict[str, Any]:
    return {
        "title": validate.title(fields.get("title"), "The objective idea's title", field="title"),
        "problem": validate.text(fields.get("problem"), "The problem it solves", field="problem"),
        "why_now": validate.text(fields.get("why_now"), "Why now", field="why_now"),
        "strategy_item_id": _link(fields.get("strategy_item_id"), linkable),
    }


def clean_key_result(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": validate.title(fields.get("title"), "The key-result idea's title", field="kr_title"),
        "metric": validate.text(fields.get("metric"), "Metric", max_len=validate.TITLE_MAX, field="metric"),
        "unit": validate.text(fields.get("unit"), "Unit", max_len=UNIT_MAX, field="unit"),
        "baseline": validate.number(fields.get("baseline"), "Baseline", field="baseline"),
        "target": validate.number(fields.get("target"), "Target", field="target"),
    }


def clean_deprioritize(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": validate.title(fields.get("title"), "What to deprioritize", field="deprioritize_title"),
        "why": validate.text(fields.get("why"), "Why", field="why"),
    }


def clean_concern(fields: dict[str, Any]) -> dict[str, Any]:
    return {"title": validate.text(fields.get("title"), "The risk or concern", max_len=CONCERN_MAX, required=True,
                                   field="concern")}


def revalidated(payload: dict[str, Any] | str | None, linkable: set[int]) -> dict[str, list]:
    """The answer's content re-checked on submission; links to strategy items that vanished become unlinked."""
    data = content(payload)
    objectives = []
    for objective in data["objectives"]:
        link = objective.get("strategy_item_id")
        cleaned = clean_objective({**objective, "strategy_item_id": link if link in linkable else None}, linkable)
        cleaned["key_results"] = [clean_key_result(kr) for kr in objective["key_results"]]
        objectives.append(_with_marker(cleaned, objective))
    return {
        "objectives": objectives,
        "deprioritize": [_with_marker(clean_deprioritize(d), d) for d in data["deprioritize"]],
        "concerns": [clean_concern(c) for c in data["concerns"]],
    }


def _with_marker(cleaned: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    if original.get("carried_over_id") is not None:
        cleaned["carried_over_id"] = int(original["carried_over_id"])
    return cleaned


def idea_rows(answer: dict[str, list]) -> list[dict[str, Any]]:
    """One dict per idea the answer becomes, in order; KR ideas carry `parent` = their objective's index here."""
    rows: list[dict[str, Any]] = []
    for objective in answer["objectives"]:
        parent = len(rows)
        rows.append({"kind": "objective", "title": objective["title"], "problem": objective["problem"],
                     "why_now": objective["why_now"], "strategy_item_id": objective["strategy_item_id"],
                     "carried": objective.get("carried_over_id") is not None})
        rows.extend({"kind": "key_result", "parent": parent, **{k: kr[k] for k in _FIELDS["key_results"]}}
                    for kr in objective["key_results"])
    rows.extend({"kind": "deprioritize", "title": d["title"], "reason": d["why"],
                 "carried": d.get("carried_over_id") is not None} for d in answer["deprioritize"])
    rows.extend({"kind": "concern", "title": c["title"]} for c in answer["concerns"])
    return rows
