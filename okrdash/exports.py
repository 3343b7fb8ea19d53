"""Downloads of published OKRs, made from snapshots alone: Markdown (a one-pager to paste into a wiki or chat), CSV
(the import format's columns first, so an export can be imported elsewhere) and XLSX (one sheet each for key
results, objectives and deprioritized items). Text cells a spreadsheet would run as a formula are neutralised by
okrdash.csv_safe in both CSV and XLSX.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from okrdash import csv_safe, fmt
from okrdash.smart.text import title_numbers

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_LINE_START = re.compile(r"^(\s*)([-+]|\d+)([.)]?)(\s)", re.MULTILINE)
COLUMNS = ["team", "quarter", "objective", "key_result", "kind", "metric", "unit", "baseline", "target",
           "change_pct", "owner_email", "due", "owner", "definition_of_done", "serves", "version", "published_at",
           "published_by"]


def _escape_marker(match: re.Match) -> str:
    """'- x' -> '\\- x', '1. x' -> '1\\. x' (a backslash before a digit would show)."""
    indent, marker, dot, space = match.groups()
    if marker.isdigit():
        return f"{indent}{marker}\\{dot}{space}" if dot else match.group(0)
    return f"{indent}\\{marker}{dot}{space}"


def md(text: object) -> str:
    """User text for a Markdown file: shown literally (no links, emphasis, HTML or tables from typed input), while
    staying readable as plain text."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text if text is not None else ""))
    escaped = _MD_LINE_START.sub(_escape_marker, escaped)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def cell(text: object) -> str:
    """User text for one Markdown table cell or list line: `md`, on one line (a newline would end the row)."""
    return md(" ".join(str(text if text is not None else "").split()))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "team"


def filename(snap: dict[str, Any], extension: str) -> str:
    """okr-onboarding-2027-q1-v2.md"""
    return f"okr-{slug(snap['team']['name'])}-{snap['quarter']['key'].lower()}-v{snap['version']}.{extension}"


def day(iso: str | None) -> str:
    return fmt.day(dt.date.fromisoformat(iso)) if iso else "—"


def short_day(iso: str | None) -> str:
    """'31 Mar 2027' (tables)."""
    if not iso:
        return "—"
    value = dt.date.fromisoformat(iso)
    return f"{value.day} {value:%b %Y}"


def published_line(snap: dict[str, Any]) -> str:
    """'Version 2 · published Mon 4 Jan 2027 by Tomás Herrera'."""
    who = (snap.get("published_by") or {}).get("name")
    when = day(snap["published_at"][:10]) if snap.get("published_at") else "—"
    return f"Version {snap['version']} · published {when}" + (f" by {who}" if who else "")


def serves(snap: dict[str, Any]) -> str:
    """'Company objective: Make getting paid effortless', or a sentence saying it serves none."""
    links = snap.get("strategy_links") or []
    if not links:
        return "Serves no company objective (not linked to the strategy)."
    text = "; ".join(f"{link['kind_label']}: {link['title']}" for link in links)
    if not any(link.get("kind") == "company_objective" for link in links):
        return f"Serves no company objective (linked to {text})."
    return text


def measure(kr: dict[str, Any]) -> str:
    """How the KR is measured, in words: '14% → 20% (trial-to-paid conversion)', 'Done when: …'."""
    unit = kr.get("unit") or ""
    if kr.get("kind") == "milestone":
        return f"Milestone, done when: {kr.get('definition_of_done') or '—'}"
    start, end = fmt.number(kr.get("baseline"), unit), fmt.number(kr.get("target"), unit)
    metric = f" ({kr['metric']})" if kr.get("metric") else ""
    if kr.get("kind") == "stay_above":
        return f"Stay at or above {end}{metric}; today {start}"
    if kr.get("kind") == "stay_below":
        return f"Stay at or below {end}{metric}; today {start}"
    if kr.get("kind") in ("increase_by", "decrease_by"):
        sign = "+" if kr["kind"] == "increase_by" else "−"
        base = "the first check-in's value" if kr.get("baseline") is None else start
        return f"{sign}{fmt.number(kr.get('change_pct'))}% on {base}{metric}"
    return f"{start} → {end}{metric}"


def compact(kr: dict[str, Any]) -> str:
    """One line for lists: the title, plus the numbers the title does not already state."""
    title, kind, unit = kr["title"], kr.get("kind"), kr.get("unit") or ""
    start, end = fmt.number(kr.get("baseline"), unit), fmt.number(kr.get("target"), unit)
    if kind == "milestone":
        return title
    if kind in ("increase_by", "decrease_by"):
        change = fmt.number(kr.get("change_pct"))
        return title if f"{change}%" in title.replace(" %", "%") else f"{title} ({measure(kr)})"
    if kind in ("stay_above", "stay_below"):
        line = "at or above" if kind == "stay_above" else "at or below"
        stated = fmt.number(kr.get("target")) in title
        return f"{title} (today {start})" if stated else f"{title} ({line} {end}; today {start})"
    return title if title_numbers(title) else f"{title} ({start} → {end})"


def owner_name(kr: dict[str, Any]) -> str:
    return (kr.get("owner") or {}).get("name") or "—"


def changes_heading(snap: dict[str, Any]) -> str:
    """'What changed in version 2', or 'Note from the lead' for a first version."""
    return "Note from the lead" if snap.get("version") == 1 else f"What changed in version {snap['version']}"


def markdown(snap: dict[str, Any], changes: Sequence[str] = ()) -> str:
    """The one-pager as a Markdown document."""
    team, quarter = snap["team"], snap["quarter"]["key"]
    objective = snap["objective"]
    lines = [f"# {md(team['name'])} — OKRs for {quarter}", ""]
    lines.append(md(published_line(snap)) + (f" · {md(team['department'])}" if team.get("department") else ""))
    lines += ["", "## Objective", "", f"**{md(objective['title'])}**", ""]
    if objective.get("why"):
        lines += [f"Why it matters: {md(objective['why'])}", ""]
    lines += [f"Serves: {md(serves(snap))}", "", "## Key results", "",
              "| # | Key result | Measure | Owner | Due |", "|---|---|---|---|---|"]
    for kr in snap["key_results"]:
        lines.append(f"| {kr['position']} | {cell(kr['title'])} | {cell(measure(kr))} | "
                     f"{cell(owner_name(kr))} | {short_day(kr.get('due_on'))} |")
    lines.append("")
    dropped = snap.get("deprioritized") or []
    lines += ["## Not this quarter", ""]
    if dropped:
        lines += [f"- **{md(d['title'])}**" + (f" — {md(d['reason'])}" if d.get("reason") else "") for d in dropped]
    else:
        lines.append("Nothing was explicitly deprioritized.")
    if snap.get("note") or changes:
        lines += ["", f"## {changes_heading(snap)}", ""]
        if snap.get("note"):
            lines += [md(snap["note"]), ""]
        lines += [f"- {md(line)}" for line in changes]
    return "\n".join(lines).rstrip() + "\n"


def quarter_markdown(quarter: str, overview: dict[str, Any]) -> str:
    """Every team's published OKR for the quarter, under the company objective it serves."""
    lines = [f"# Published OKRs for {quarter}", ""]

    def team_block(publication: dict[str, Any]) -> list[str]:
        snap = publication["snapshot"]
        block = [f"### {md(snap['team']['name'])}: {md(snap['objective']['title'])}", "",
                 f"{md(published_line(snap))}", ""]
        block += [f"{kr['position']}. {cell(compact(kr))} · {cell(owner_name(kr))}"
                  for kr in snap["key_results"]]
        return [*block, ""]

    for group in overview["groups"]:
        lines += [f"## {md(group['item']['title'])}", ""]
        if not group["okrs"]:
            lines += ["No team's published objective serves this company objective yet.", ""]
        for publication in group["okrs"]:
            lines += team_block(publication)
    if overview["serving_none"]:
        lines += ["## Serving no company objective", ""]
        for publication in overview["serving_none"]:
            lines += team_block(publication)
    if overview["unpublished"]:
        lines += ["## Not published yet", "", ", ".join(md(t["name"]) for t in overview["unpublished"]), ""]
    return "\n".join(lines).rstrip() + "\n"


def table(snaps: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per key result, the import format's columns first."""
    rows = []
    for snap in snaps:
        links = snap.get("strategy_links") or []
        for kr in snap["key_results"]:
            rows.append({
                "team": snap["team"]["name"], "quarter": snap["quarter"]["key"],
                "objective": snap["objective"]["title"],
                "key_result": kr["title"], "kind": kr["kind"], "metric": kr.get("metric") or "",
                "unit": kr.get("unit") or "", "baseline": kr.get("baseline"), "target": kr.get("target"),
                "change_pct": kr.get("change_pct"),
                "owner_email": (kr.get("owner") or {}).get("email") or "", "due": kr.get("due_on") or "",
                "owner": owner_name(kr), "definition_of_done": kr.get("definition_of_done") or "",
                "serves": "; ".join(link["title"] for link in links), "version": snap["version"],
                "published_at": snap.get("published_at") or "",
                "published_by": (snap.get("published_by") or {}).get("name") or "",
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def csv_bytes(snaps: Sequence[dict[str, Any]]) -> bytes:
    return csv_safe.to_csv_bytes(table(snaps))


def _sheet(book: Workbook, title: str, frame: pd.DataFrame, *, first: bool = False) -> None:
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    sheet.append([str(csv_safe.neutralise_cell(c)) for c in frame.columns])
    for values in frame.itertuples(index=False):
        sheet.append([None if isinstance(v, float) and pd.isna(v) else csv_safe.neutralise_cell(v) for v in values])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula or an error code, whatever the text says
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(cell.value, str) and len(cell.value) > 40)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(frame.columns, start=1):
        longest = max([len(str(name)), *(len(str(v)) for v in frame[name] if v is not None)], default=10)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
    sheet.freeze_panes = "A2"
    if len(frame):
        sheet.auto_filter.ref = sheet.dimensions


def xlsx_bytes(snaps: Sequence[dict[str, Any]]) -> bytes:
    """A workbook with sheets Key results, Objectives and Not this quarter."""
    objectives = pd.DataFrame([{
        "team": s["team"]["name"], "quarter": s["quarter"]["key"], "objective": s["objective"]["title"],
        "why": s["objective"].get("why") or "", "serves": serves(s), "version": s["version"],
        "published_at": s.get("published_at") or "", "published_by": (s.get("published_by") or {}).get("name") or "",
    } for s in snaps], columns=["team", "quarter", "objective", "why", "serves", "version", "published_at",
                                "published_by"])
    dropped = pd.DataFrame([{"team": s["team"]["name"], "quarter": s["quarter"]["key"], "title": d["title"],
                             "reason": d.get("reason") or ""} for s in snaps for d in s.get("deprioritized") or []],
                           columns=["team", "quarter", "title", "reason"])
    book = Workbook()
    _sheet(book, "Key results", table(snaps), first=True)
    _sheet(book, "Objectives", objectives)
    _sheet(book, "Not this quarter", dropped)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
