"""Import existing OKRs and check-ins from CSV files — admins only, all or nothing (DESIGN.md §4).

Formats (one row per key result, or per check-in; columns in any order, other columns ignored):
    OKRs:      team, quarter, objective, key_result, kind, metric, unit, baseline, target, owner_email, due
               (only team, quarter, objective and key_result are required: empty cells are read from the key
               result's title, e.g. “Grow weekly trials by 21% QoQ”; change_pct is the change of a relative kind;
               a blank owner is the team's lead)
    check-ins: team, quarter, key_result, date, value, confidence, comment, person_email

Reading: UTF-8 with or without BOM, comma-separated, the header first. Header names ignore case, spaces and hyphens
("Key result" is key_result); a missing column refuses the file, naming it. Blank lines are skipped. "Line N" is the
row a spreadsheet shows (header = line 1; a cell with a line break inside is still one row). Text is stored as typed,
trimmed, never evaluated: "=HYPERLINK(…)" stays text. A leading apostrophe before = + - @ is how okrdash's own CSV
exports neutralise formulas (okrdash.csv_safe), so it is removed, as a spreadsheet does: an export imports back as is.

Rules (the domain modules' where they exist: key_results for kinds, owners and due dates, checkins for dates, validate
for numbers and text):
- An import creates objectives, key results, published versions and check-ins, never teams, people or quarters: a typo
  must not create team "Onbaording" or quarter 2062-Q4. Add those on the Admin page first.
- OKR rows group by team and quarter; `objective` names the team's one objective for the quarter. It is created when
  the team has none; the same title adds key results to the existing one; another title is refused for those lines
  (one objective per team per quarter). Afterwards every objective in the file has 2 to 5 live key results, counting
  those already there, and a key-result title appears once per objective (so importing a file twice is refused).
- Kinds: increase_to, decrease_to, stay_above, stay_below, increase_by, decrease_by, milestone (labels like "Stay at
  or above" work too). Measured kinds need a target (a baseline, when given, lies on the right side: increase_to:
  target above baseline; decrease_to: below); relative kinds a change_pct. A row with a blank kind is read from its
  title (okrdash.smart.read_line); cells typed in the file win, and the report lists each reading with its S and M.
  A milestone has no numbers: its `metric` cell is its definition of done (a filled `definition_of_done` column, as
  the export has, wins; a milestone read from its title is its own definition of done).
  The owner is an active member of the team; `due` lies inside the quarter (blank: its last day).
- `publish=True` publishes each objective the file touches as its next version (publications.freeze, note "Imported
  from CSV"), so it shows on Published OKRs and dashboards. Imports do not run the SMART check.
- Check-in rows match a live key result by team, quarter and title (case and spacing ignored) of a published objective.
  The person is a member of the team (not necessarily today's owner). The date is required, inside the quarter and
  not in the future; value is a number, or for milestones done / not done (yes/no, true/false, 1/0); confidence a
  whole number 0–10. A check-in identical to one already stored (or to another line) is refused.
Every row is checked first and every problem is reported by line (ImportRefused); rows are then written in one
transaction, a few hundred per INSERT statement.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import suppress
from typing import Any

import pandas as pd

from okrdash import (
    auth,
    checkins,
    csv_safe,
    db,
    import_rows,
    key_results,
    publications,
    quarters,
    relative_change,
    smart,
    validate,
)
from okrdash.errors import Conflict, ValidationError
from okrdash.import_rows import (
    ImportRefused,
    ImportReport,
    Lookup,
    Problems,
    RowError,
    did_you_mean,
    insert,
    norm,
    read_rows,
)

__all__ = ["CHECKIN_COLUMNS", "OKR_COLUMNS", "ImportRefused", "ImportReport", "RowError", "checkin_template",
           "import_checkins", "import_okrs", "okr_template"]

OKR_COLUMNS = ("team", "quarter", "objective", "key_result", "kind", "metric", "unit", "baseline", "target",
               "owner_email", "due")
OKR_REQUIRED = ("team", "quarter", "objective", "key_result")
CHECKIN_COLUMNS = ("team", "quarter", "key_result", "date", "value", "confidence", "comment", "person_email")
NOTE = "Imported from CSV."
_KrIndex = dict[tuple[int, str], dict[str, list[dict[str, Any]]]]
DONE_WORDS, NOT_DONE_WORDS = {"done", "yes", "y", "true", "1", "x"}, {"not done", "not_done", "no", "n", "false", "0"}


# --- OKRs ----------------------------------------------------------------------------------------------------------


def _okr_row(line: int, row: dict[str, str], look: Lookup) -> tuple[dict[str, Any], list[str]]:
    problems = Problems()
    team = problems.check(look.team, row["team"])
    quarter = problems.check(look.quarter, row["quarter"])
    objective = problems.check(validate.title, row["objective"], "Objective")
    title = problems.check(validate.title, row["key_result"], "Key result")
    row, reading = import_rows.okr_read_cells(row, title, quarter)
    cell = lambda name: str(row.get(name, "") or "")  # noqa: E731
    kind = problems.check(import_rows.okr_kind, cell("kind"))
    before = len(problems)
    baseline = problems.check(validate.number, cell("baseline"), "Baseline")
    target = problems.check(validate.number, cell("target"), "Target")
    if kind and len(problems) == before:
        problems.check(import_rows.okr_numbers, kind, baseline, target)
    fields: dict[str, Any] = {"title": title, "kind": kind, "baseline": baseline, "target": target,
                              "change_pct": cell("change_pct") or None,
                              "unit": problems.check(validate.text, cell("unit"), "Unit", max_len=key_results.UNIT_MAX)}
    if kind == "milestone":
        done_when = cell("definition_of_done").strip() or cell("metric")
        if not done_when.strip():
            problems.append("A milestone needs its definition of done in the metric column: what must be true to "
                            "call it done.")
        fields["definition_of_done"] = problems.check(validate.text, done_when, "Definition of done")
    else:
        fields["metric"] = problems.check(validate.text, cell("metric"), "Metric", max_len=validate.TITLE_MAX)
    owner = problems.check(look.person, cell("owner_email"), "owner_email") if cell("owner_email").strip() else \
        (problems.check(import_rows.okr_team_lead, team["id"]) if team else None)
    if team and owner:
        fields["owner_id"] = problems.check(key_results.check_owner, team["id"], owner["id"])
    if quarter:
        fields["due_on"] = problems.check(key_results.check_due, quarter, cell("due").strip() or None)
    cleaned = None
    if not problems and team and quarter:
        cleaned = problems.check(key_results.clean, fields, team["id"], quarter)
    read = None
    if reading is not None:
        check = smart.check_kr({"title": title, **(cleaned or {})})
        read = {"line": line, "key_result": title, "read_as": reading.summary(), "S": check["S"].level,
                "M": check["M"].level, "why": " ".join(v.reason for v in (check["S"], check["M"])
                                                        if v.level != "pass")}
    return {"line": line, "team": team, "quarter": quarter, "objective": objective, "title": title,
            "fields": cleaned, "reading": read}, list(problems)


def _group_problems(groups: dict[tuple[int, str], list[dict[str, Any]]]) -> list[RowError]:
    """One objective per team and quarter, distinct KR titles, 2–5 KRs per objective after the import."""
    errors = []
    for (team_id, quarter), recs in groups.items():
        team = recs[0]["team"]["name"]
        existing = key_results.objective_row(team_id, quarter)
        title = existing["title"] if existing else recs[0]["objective"]
        same = [r for r in recs if norm(r["objective"]) == norm(title)]
        for rec in (r for r in recs if norm(r["objective"]) != norm(title)):
            errors.append(RowError(rec["line"], (
                f"{team} already has its objective for {quarter}: “{title}”. A team has one objective per quarter: "
                "use that title to add key results to it." if existing else
                f"{team}'s objective for {quarter} is “{title}” (line {recs[0]['line']}), not “{rec['objective']}”. "
                "A team has one objective per quarter: give all its key results the same objective.")))
        current = key_results.rows_for(team_id, quarter) if existing else []
        taken, seen = {norm(k["title"]) for k in current}, {}
        for rec in same:
            if rec["title"] is None:
                continue
            key = norm(rec["title"])
            if key in taken:
                errors.append(RowError(rec["line"], f"“{title}” already has the key result “{rec['title']}” "
                                                    "(was this file imported before?)."))
            elif key in seen:
                errors.append(RowError(rec["line"], f"The key result “{rec['title']}” appears twice for “{title}” "
                                                    f"(line {seen[key]} too)."))
            else:
                seen[key] = rec["line"]
        for number, rec in enumerate(same, start=len(current) + 1):
            if number > key_results.LIMIT:
                errors.append(RowError(rec["line"], (
                    f"This would be key result number {number} of “{title}”; an objective has at most "
                    f"{key_results.LIMIT} ({len(current)} already in okrdash, {len(same)} in this file). "
                    "Keep the ones that matter most.")))
        if same and len(current) + len(same) < 2:
            errors.append(RowError(same[0]["line"], (
                f"“{title}” would have {len(current) + len(same)} key result; an objective needs 2 to "
                f"{key_results.LIMIT}. Add another line for it.")))
    return errors


def import_okrs(actor: auth.Actor, data: bytes, *, publish: bool = True, now: dt.datetime | None = None,
                dry_run: bool = False) -> ImportReport:
    """An admin imports objectives and key results from CSV (format and rules: module docstring). `dry_run` checks
    every row and reports what would be created, writing nothing. Raises ImportRefused listing every problem."""
    auth.require_admin(actor, "import OKRs")
    rows, errors = read_rows(data, OKR_REQUIRED)
    look = Lookup()
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for line, row in rows:
        rec, problems = _okr_row(line, row, look)
        errors += [RowError(line, p) for p in problems]
        if rec["team"] and rec["quarter"] and rec["objective"]:
            groups[(rec["team"]["id"], rec["quarter"])].append(rec)
    errors += _group_problems(groups)
    if errors:
        raise ImportRefused(errors)
    details = []
    for (team_id, quarter), recs in groups.items():
        existing = key_results.objective_row(team_id, quarter)
        status = "published" if publish else "draft" if not existing or existing["status"] == "draft" \
            else "published; the added key results are not"
        details.append({"team": recs[0]["team"]["name"], "quarter": quarter,
                        "objective": existing["title"] if existing else recs[0]["objective"],
                        "objective_is": "existing" if existing else "new", "key_results_added": len(recs),
                        "status": status})
    created = {"objectives": sum(d["objective_is"] == "new" for d in details),
               "key_results": len(rows), "publications": len(groups) if publish else 0}
    if not dry_run:
        _write_okrs(actor, groups, publish, now or dt.datetime.now())
    readings = [rec["reading"] for recs in groups.values() for rec in recs if rec["reading"]]
    return ImportReport(rows=len(rows), created=created, details=details, dry_run=dry_run, readings=readings)


def _write_okrs(actor: auth.Actor, groups: dict[tuple[int, str], list[dict[str, Any]]], publish: bool,
                now: dt.datetime) -> None:
    try:
        with db.transaction() as cur:
            published: list[tuple[int, int | None, dt.datetime]] = []
            for (team_id, quarter), recs in groups.items():
                db.touch(team_id, quarter)
                existing = key_results.objective_row(team_id, quarter)
                if existing:
                    objective_id = existing["id"]
                else:
                    objective_id = int(cur.execute("SELECT nextval('seq_objectives')").fetchone()[0])
                    cur.execute("""INSERT INTO objectives (id, team_id, quarter, title, status, created_by,
                                                           created_at, updated_at)
                                   VALUES (?, ?, ?, ?, 'draft', ?, ?, ?)""",
                                [objective_id, team_id, quarter, recs[0]["objective"], actor.person_id, now, now])
                start = cur.execute("SELECT coalesce(max(position) + 1, 0) FROM key_results WHERE objective_id = ?",
                                    [objective_id]).fetchone()[0]
                insert(cur, "key_results",
                       ["objective_id", "position", "created_at", "updated_at", *key_results.COLUMNS],
                       [[objective_id, start + i, now, now,
                         *(relative_change.stored_kind(r["fields"][f]) if f == "kind" else r["fields"][f]
                           for f in key_results.COLUMNS)] for i, r in enumerate(recs)])
                for i, r in enumerate(recs):
                    if r["fields"]["kind"] in relative_change.KINDS:
                        kr_id = cur.execute("SELECT id FROM key_results WHERE objective_id = ? AND position = ?",
                                            [objective_id, start + i]).fetchone()[0]
                        relative_change.write(cur, kr_id, r["fields"]["kind"], r["fields"]["change_pct"])
                if publish:
                    published.append((objective_id, actor.person_id, now))
            publications.freeze_many(published, change_log=NOTE)
    except db.ConstraintViolation as error:
        raise Conflict("Someone chose an objective for one of these teams while the file was importing, so nothing "
                       "was imported. Check the file again and import it.") from error


# --- check-ins -----------------------------------------------------------------------------------------------------


def _key_results_of(quarter_keys: set[str]) -> _KrIndex:
    """Live KRs of the given quarters by (team id, quarter), then by normalised title."""
    found: _KrIndex = defaultdict(lambda: defaultdict(list))
    if quarter_keys:
        for kr in db.rows("""
                SELECT k.id, k.title, k.kind, k.metric, o.team_id, o.quarter, o.status AS objective_status,
                       o.title AS objective_title, q.starts_on, q.ends_on
                FROM key_results k JOIN objectives o ON o.id = k.objective_id JOIN quarters q ON q.key = o.quarter
                WHERE k.archived_at IS NULL AND o.quarter = ANY(?)""", [sorted(quarter_keys)]):
            found[(kr["team_id"], kr["quarter"])][norm(kr["title"])].append(kr)
    return found


def _done(value: str) -> bool:
    word = " ".join(value.split()).casefold()
    if word in DONE_WORDS | NOT_DONE_WORDS:
        return word in DONE_WORDS
    raise ValidationError(f"For a milestone, value is “done” or “not done” (or yes/no), not “{value.strip()}”.")


def _checkin_row(row: dict[str, str], look: Lookup, krs: _KrIndex, today: dt.date) -> tuple[list[Any] | None,
                                                                                               list[str]]:
    problems = Problems()
    team = problems.check(look.team, row["team"])
    quarter = problems.check(look.quarter, row["quarter"])
    title = problems.check(validate.title, row["key_result"], "Key result")
    kr = None
    if team and quarter and title:
        by_title = krs.get((team["id"], quarter))
        matches = by_title.get(norm(title), []) if by_title else []
        if not by_title:
            problems.append(f"{team['name']} has no objective for {quarter}, so no key result to check in on. "
                            "Import its OKRs first.")
        elif not matches:
            choices = [k["title"] for ks in by_title.values() for k in ks]
            problems.append(f"{team['name']} has no key result “{title}” for {quarter}.{did_you_mean(title, choices)}")
        elif len(matches) > 1:
            problems.append(f"{team['name']} has {len(matches)} key results called “{title}” for {quarter}; rename "
                            "one in the workshop so check-ins can tell them apart.")
        elif matches[0]["objective_status"] != "published":
            problems.append(f"“{matches[0]['objective_title']}” is still a draft: check-ins count only on published "
                            "OKRs. Publish it first (or import its OKRs with publishing on).")
        else:
            kr = matches[0]
    if kr:
        day = problems.check(checkins.check_date, kr, row["date"], today)
    else:
        day = problems.check(validate.date, row["date"], "The check-in date")
    value = done = None
    if kr and kr["kind"] == "milestone":
        done = problems.check(_done, row["value"])
    elif kr:
        label = f"The value of {kr['metric']}" if kr["metric"] else "The value"
        value = problems.check(validate.number, row["value"], label, required=True)
    confidence = problems.check(validate.integer_in, row["confidence"], "Confidence", 0, 10)
    comment = problems.check(validate.text, row["comment"], "Comment")
    person = problems.check(look.person, row["person_email"], "person_email")
    if team and person and (team["id"], person["id"]) not in look.members:
        problems.append(f"{person['name']} is not a member of {team['name']}, so their check-in cannot be imported. "
                        "Add them to the team first, or use a member's email.")
    if problems:
        return None, list(problems)
    return [kr["id"], person["id"], day, value, done, confidence, comment], []


def import_checkins(actor: auth.Actor, data: bytes, now: dt.datetime | None = None, *,
                    dry_run: bool = False) -> ImportReport:
    """An admin imports check-ins from CSV onto published key results (rules: module docstring). `dry_run` checks
    every row and reports what would be created. Raises ImportRefused listing every problem."""
    auth.require_admin(actor, "import check-ins")
    rows, errors = read_rows(data, CHECKIN_COLUMNS)
    now = now or dt.datetime.now()
    look = Lookup()
    keys = set()
    for _, row in rows:
        with suppress(ValidationError):
            keys.add(look.quarter(row["quarter"]))
    krs = _key_results_of(keys)
    values: list[tuple[int, list[Any]]] = []
    for line, row in rows:
        value, problems = _checkin_row(row, look, krs, now.date())
        errors += [RowError(line, p) for p in problems]
        if value:
            values.append((line, value))
    kr_ids = sorted({v[0] for _, v in values})
    stored = {tuple(r.values()) for r in db.rows(
        """SELECT kr_id, person_id, checked_on, value, done, confidence, comment FROM checkins
           WHERE kr_id = ANY(?)""", [kr_ids])} if kr_ids else set()
    first: dict[tuple, int] = {}
    for line, value in values:
        key = tuple(value)
        if key in stored:
            errors.append(RowError(line, "This check-in is already in okrdash (was this file imported before?)."))
        elif key in first:
            errors.append(RowError(line, f"This check-in is the same as line {first[key]}."))
        else:
            first[key] = line
    if errors:
        raise ImportRefused(errors)
    per_kr: dict[int, list[dt.date]] = defaultdict(list)
    for _, value in values:
        per_kr[value[0]].append(value[2])
    by_id = {kr["id"]: kr for found in krs.values() for ks in found.values() for kr in ks}
    names = {t["id"]: t["name"] for t in look.teams.values()}
    details = [{"team": names[by_id[k]["team_id"]], "quarter": by_id[k]["quarter"], "key_result": by_id[k]["title"],
                "check_ins": len(days), "from": min(days), "to": max(days)} for k, days in per_kr.items()]
    if not dry_run:
        with db.transaction() as cur:
            for kr_id in per_kr:
                db.touch(by_id[kr_id]["team_id"], by_id[kr_id]["quarter"])
            insert(cur, "checkins", ["kr_id", "person_id", "checked_on", "value", "done", "confidence", "comment",
                                      "created_at"], [[*v, now] for _, v in values])
    return ImportReport(rows=len(rows), created={"checkins": len(values)}, details=details, dry_run=dry_run)


# --- templates -----------------------------------------------------------------------------------------------------


def okr_template(quarter: str) -> bytes:
    """The OKR format with two example rows from Harbor (the demo organisation) for `quarter`."""
    objective = "Every team ships to production every day"
    rows = [
        ["Developer Platform", quarter, objective, "Cut median CI time from 38 to 15 minutes", "decrease_to",
         "median CI time", "min", 38, 15, "tariq.aziz@harbor.example", quarters.bounds(quarter)[1].isoformat()],
        ["Developer Platform", quarter, objective, "Launch one-click rollback for every service", "milestone",
         "Any engineer rolls a service back in one click; documented; used in a drill", "", "", "",
         "isabel.moreno@harbor.example", ""],
    ]
    return csv_safe.to_csv_bytes(pd.DataFrame(rows, columns=list(OKR_COLUMNS)))


def checkin_template(today: dt.date | None = None) -> bytes:
    """The check-in format with an example row: a published key result of the current quarter, checked in today
    by its owner (Harbor's trial conversion when there is none)."""
    today = today or dt.date.today()
    quarter = quarters.current_key(today)
    kr = db.row("""SELECT t.name AS team, k.title, k.kind, k.baseline, p.email FROM key_results k
                   JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
                   JOIN people p ON p.id = k.owner_id
                   WHERE o.quarter = ? AND o.status = 'published' AND k.archived_at IS NULL
                   ORDER BY t.name, k.position, k.id LIMIT 1""", [quarter])
    kr = kr or {"team": "Onboarding", "title": "Raise trial-to-paid conversion from 14% to 20%", "kind": "increase_to",
                "baseline": 14, "email": "hannah.weiss@harbor.example"}
    value = "not done" if kr["kind"] == "milestone" else f"{kr['baseline'] or 0:g}"
    row = [kr["team"], quarter, kr["title"], today.isoformat(), value, 7, "Example: replace with your check-ins",
           kr["email"]]
    return csv_safe.to_csv_bytes(pd.DataFrame([row], columns=list(CHECKIN_COLUMNS)))
