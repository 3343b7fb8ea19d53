"""Reading CSV files for okrdash.imports: decoding, the header, line numbers, every problem by line, the report, and
the lookups of teams, quarters and people by name and email (read once per import).

Line N is the row a spreadsheet shows: the header is line 1, and a cell with a line break inside is still one row.
A leading apostrophe before = + - @ is how okrdash's CSV exports neutralise formulas (okrdash.csv_safe); it is removed
here, as a spreadsheet does, so an export imports back as it was. Everything else is kept as typed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from okrdash import csv_safe, db, key_results, quarters, relative_change, smart, validate
from okrdash.errors import ValidationError

# Columns a file may leave out: an OKR row with only its key result's title is read from the title (okrdash.smart).
OPTIONAL_COLUMNS = ("definition_of_done", "kind", "metric", "unit", "baseline", "target", "change_pct", "owner_email",
                    "due")
MAX_ROWS = 50_000
CHUNK = 400  # rows per INSERT statement
_LABELS = {"objectives": "objective", "key_results": "key result", "publications": "published version",
           "checkins": "check-in"}


@dataclass(frozen=True)
class RowError:
    """One problem: `line` as a spreadsheet numbers rows (header = 1), or None for the whole file."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


class ImportRefused(ValidationError):
    """Nothing was imported; `errors` lists every problem found, in line order."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = sorted(errors, key=lambda e: e.line or 0)  # stable: a line's own problems first
        shown = "\n".join(f"- {e}" for e in self.errors[:10])
        more = f"\n- … and {len(self.errors) - 10:,} more" if len(self.errors) > 10 else ""
        one = len(self.errors) == 1
        count = "1 problem" if one else f"{len(self.errors):,} problems"
        super().__init__(f"Nothing was imported: the file has {count}. Fix {'it' if one else 'them'} and import "
                         f"the file again.\n{shown}{more}")


@dataclass
class ImportReport:
    """What an import created (or, for a dry run, would create): counts per table and one line per objective/KR."""

    rows: int
    created: dict[str, int]
    details: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False
    readings: list[dict[str, Any]] = field(default_factory=list)  # rows whose fields were read from the title

    @property
    def summary(self) -> str:
        parts = [f"{n:,} {_LABELS[t]}{'s' * (n != 1)}" for t, n in self.created.items() if n]
        made = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + (parts[-1] if parts else "nothing")
        rows = f"{self.rows:,} row{'s' * (self.rows != 1)}"
        return f"{rows} ready to import; they would create {made}." if self.dry_run else f"Imported {rows}: {made}."


# --- reading the file ----------------------------------------------------------------------------------------------


def cell(value: str) -> str:
    """A cell as typed, minus the apostrophe okrdash's exports put before a formula-like start."""
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in csv_safe.FORMULA_STARTS else value


def column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell(name).strip().lower())


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportRefused([RowError(line, f"The file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be "
                                            "read). Save it as “CSV UTF-8” and import it again.")]) from None


def read_rows(data: bytes, required: Sequence[str]) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """(line, cells by column) for every non-blank row after the header, and the rows' shape problems.
    Refuses (ImportRefused) a file it cannot read at all: not UTF-8, empty, missing columns."""
    text = decode(data)
    expected = f"Expected the columns {', '.join(required)} (any order; other columns are ignored)."
    if not text.strip():
        raise ImportRefused([RowError(None, f"The file is empty. {expected}")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # an unclosed quote must not swallow lines
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as error:
        raise ImportRefused([RowError(len(records) + 1, (
            f"This line cannot be read as CSV ({error}). A value that starts with a double quote must end with one, "
            'and a double quote inside it is written twice ("").'))]) from None
    header_line = next((i for i, r in enumerate(records, start=1) if any(c.strip() for c in r)), None)
    if header_line is None:
        raise ImportRefused([RowError(None, f"The file is empty. {expected}")])
    header = [column(c) for c in records[header_line - 1]]
    missing = [c for c in required if c not in header]
    if missing:
        hint = (" The header looks separated by semicolons or tabs: save the file as comma-separated CSV."
                if len(header) == 1 and re.search(r"[;\t]", header[0]) else "")
        plural = "s" * (len(missing) != 1)
        raise ImportRefused([RowError(header_line, f"The header lacks the column{plural} {', '.join(missing)}. "
                                                   f"{expected}{hint}")])
    twice = sorted({c for c in header if c in (*required, *OPTIONAL_COLUMNS) and header.count(c) > 1})
    if twice:
        raise ImportRefused([RowError(header_line, f"The header has {', '.join(twice)} twice; keep one.")])
    index = {c: header.index(c) for c in (*required, *OPTIONAL_COLUMNS) if c in header}
    rows, errors = [], []
    for line, cells in enumerate(records[header_line:], start=header_line + 1):
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(header):]):
            errors.append(RowError(line, f"This line has {len(cells)} cells but the header has {len(header)} "
                                         "columns. A value containing a comma must be in double quotes."))
            continue
        rows.append((line, {c: cell(cells[i]) if i < len(cells) else "" for c, i in index.items()}))
    if not rows and not errors:
        raise ImportRefused([RowError(None, "The file has a header but no rows to import.")])
    if len(rows) > MAX_ROWS:
        raise ImportRefused([RowError(None, f"The file has {len(rows):,} rows; import at most {MAX_ROWS:,} at a "
                                            "time (split it into several files).")])
    return rows, errors


# --- resolving names -----------------------------------------------------------------------------------------------


def norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def did_you_mean(value: str, choices: Sequence[str]) -> str:
    found = process.extractOne(value, choices, scorer=fuzz.WRatio, processor=norm, score_cutoff=75)
    return f" Did you mean “{found[0]}”?" if found else ""


class Problems(list):
    """The messages of one row; `check(fn, …)` returns fn's result, or None after noting its ValidationError."""

    def check(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationError as error:
            self.append(error.message)
            return None


class Lookup:
    """Teams, quarters and people, read once per import."""

    def __init__(self) -> None:
        self.teams = {norm(r["name"]): r for r in db.rows("SELECT id, name FROM teams")}
        self.quarters = {r["key"]: r for r in db.rows("SELECT key, starts_on, ends_on FROM quarters")}
        self.people = {r["email"]: r for r in db.rows("SELECT id, name, email, active FROM people")}
        self.members = {(r["team_id"], r["person_id"]) for r in db.rows("SELECT team_id, person_id FROM memberships")}

    def team(self, value: str) -> dict[str, Any]:
        name = " ".join(value.split())
        if not name:
            raise ValidationError("The team is missing.")
        found = self.teams.get(norm(name))
        if found is None:
            raise ValidationError(
                f"No team is called “{name}”.{did_you_mean(name, [t['name'] for t in self.teams.values()])} "
                "Imports never create teams: fix the name, or add the team on the Teams tab first.")
        return found

    def quarter(self, value: str) -> str:
        if not value.strip():
            raise ValidationError("The quarter is missing (write it like 2026-Q3).")
        year, q = quarters.parse_key(value)
        key = f"{year}-Q{q}"
        if key not in self.quarters:
            raise ValidationError(f"Quarter {key} does not exist. Imports never create quarters: add it on the "
                                  "Quarters tab first, or fix the key.")
        return key

    def person(self, value: str, column: str) -> dict[str, Any]:
        if not value.strip():
            raise ValidationError(f"{column} is empty: write the person's email.")
        email = validate.email(value)
        found = self.people.get(email)
        if found is None:
            raise ValidationError(f"Nobody in okrdash has the email {email}. Imports never create people: fix the "
                                  "email, or add the person on the People tab first.")
        if not found["active"]:
            raise ValidationError(f"{found['name']} ({email}) is deactivated; reactivate them or use someone else.")
        return found


def insert(cur: db.Cursor, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows a chunk per statement (plain SQL both engines accept); ids from the table's sequence."""
    one = f"(nextval('seq_{table}'), {', '.join('?' for _ in columns)})"
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        cur.execute(f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES {', '.join(one for _ in chunk)}",
                    [value for row in chunk for value in row])


# --- OKR rows: kinds, numbers, and cells read from the key result's title --------------------------------------


def okr_kind(value: str) -> str:
    if not value.strip():
        raise ValidationError(f"The kind is missing. Use one of: {', '.join(key_results.KINDS)}.")
    wanted = column(value)
    for kind, label in key_results.KINDS.items():
        if wanted in (kind, column(label)):
            return kind
    raise ValidationError(f"“{value.strip()}” is not a kind of key result. Use one of: {', '.join(key_results.KINDS)}.")


def okr_numbers(kind: str, baseline: float | None, target: float | None) -> None:
    if kind == "milestone":
        if baseline is not None or target is not None:
            raise ValidationError("A milestone has no baseline or target (it is done or not); leave them blank, or "
                                  "choose a measured kind.")
        return
    if kind in relative_change.KINDS:
        return
    if target is None:
        raise ValidationError(f"Kind {kind} needs a target.")
    if baseline is not None and ((kind == "increase_to" and target <= baseline) or
                                 (kind == "decrease_to" and target >= baseline)):
        way = "above" if kind == "increase_to" else "below"
        raise ValidationError(f"Kind {kind} needs a target {way} the baseline ({baseline:g} → {target:g}): fix the "
                              "numbers or the kind.")


def okr_read_cells(row: dict[str, str], title: str | None, quarter: str | None) -> tuple[dict[str, str], Any]:
    """A row whose kind is blank: every empty cell read from the title (cells in the file win)."""
    if row.get("kind", "").strip() or not title:
        return row, None
    bounds = quarters.get(quarter) if quarter else None
    reading = smart.read_line(title, (quarter, bounds["starts_on"], bounds["ends_on"]) if bounds else None)
    read = {"kind": reading.kind, "metric": reading.metric, "unit": reading.unit, "baseline": reading.baseline,
            "target": reading.target, "change_pct": reading.change_pct, "due": reading.due_on}
    if reading.kind == "milestone":
        read["definition_of_done"] = title  # the line is its own definition of done
    filled = dict(row)
    for name, value in read.items():
        if not str(row.get(name, "")).strip() and value not in (None, ""):
            filled[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return filled, reading


def okr_team_lead(team_id: int) -> dict[str, Any]:
    found = db.scalar("SELECT min(person_id) FROM memberships WHERE team_id = ? AND role = 'lead'", [team_id])
    if found is None:
        raise ValidationError("The owner_email is blank and the team has no lead to own it: name the owner.")
    return {"id": found}
