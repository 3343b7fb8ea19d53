"""Publishing a team's OKR: frozen, versioned JSON snapshots with a change log, and reading them back.

The snapshot (format 1) is everything a reader needs without joins, as it was when published:
    {"format": 1, "version": 2, "published_at": "2027-01-04T10:00:00", "note": "…",
     "published_by": {"id", "name", "email"},
     "team": {"id", "name", "department"}, "quarter": {"key", "starts_on", "ends_on"},
     "objective": {"id", "title", "why", "idea_id"},
     "strategy_links": [{"id", "kind", "kind_label", "title"}],
     "key_results": [{"id", "position", "title", "kind", "kind_label", "metric", "unit", "baseline", "target",
                      "definition_of_done", "owner": {"id", "name", "email"}, "due_on", "achievable_confirmed"}],
     "deprioritized": [{"title", "reason"}]}
Version 1, 2, … per team and quarter; `publications.change_log` holds the lead's note and the computed changes
since the previous version as plain text. Publishing needs the team's lead, 2–5 key results and no failing SMART
letter; reading a published OKR is open to everyone in the organisation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from okrdash import auth, db, ideas, key_results, strategy, validate
from okrdash.errors import Conflict, NotFound, ValidationError
from okrdash.publication_diff import changes
from okrdash.smart import team_report
from okrdash.storage.changes import read_scope

FORMAT = 1


def _people(person_ids: Iterable[int | None]) -> dict[int, dict[str, Any]]:
    """id → {"id", "name", "email"} of the people named (None and unknown ids are left out)."""
    wanted = sorted({p for p in person_ids if p is not None})
    if not wanted:
        return {}
    return {p["id"]: p for p in db.rows("SELECT id, name, email FROM people WHERE id = ANY(?)", [wanted])}


def _okrs(objective_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Objective id → the parts of its snapshot that come from the OKR as it stands now (team, quarter, objective,
    strategy_links, key_results, deprioritized), read in three queries however many objectives: the demo freezes
    30 at its first start and the benchmark company 1,000, and one by one each cost ~12 ms on DuckDB (planning the
    same small queries again)."""
    if not objective_ids:
        return {}
    okrs: dict[int, dict[str, Any]] = {}
    for o in db.rows("""SELECT o.id, o.title, o.why, o.idea_id, o.strategy_item_id, s.kind AS strategy_kind,
                               s.title AS strategy_title, t.id AS team_id, t.name AS team_name,
                               d.name AS department, q.key AS quarter, q.starts_on, q.ends_on
                        FROM objectives o JOIN teams t ON t.id = o.team_id LEFT JOIN teams d ON d.id = t.parent_id
                        JOIN quarters q ON q.key = o.quarter LEFT JOIN strategy_items s ON s.id = o.strategy_item_id
                        WHERE o.id = ANY(?)""", [list(objective_ids)]):
        links = []
        if o["strategy_item_id"] is not None and o["strategy_kind"]:
            links.append({"id": o["strategy_item_id"], "kind": o["strategy_kind"],
                          "kind_label": strategy.KINDS[o["strategy_kind"]], "title": o["strategy_title"]})
        okrs[o["id"]] = {
            "team": {"id": o["team_id"], "name": o["team_name"], "department": o["department"]},
            "quarter": {"key": o["quarter"], "starts_on": o["starts_on"].isoformat(),
                        "ends_on": o["ends_on"].isoformat()},
            "objective": {"id": o["id"], "title": o["title"], "why": o["why"], "idea_id": o["idea_id"]},
            "strategy_links": links,
            "key_results": [],
            "deprioritized": [],
        }
    for k in key_results.rows_of_objectives(list(okrs)):
        krs = okrs[k["objective_id"]]["key_results"]
        krs.append({
            "id": k["id"], "position": len(krs) + 1, "title": k["title"], "kind": k["kind"],
            "kind_label": key_results.KINDS[k["kind"]], "metric": k["metric"], "unit": k["unit"],
            "baseline": k["baseline"], "target": k["target"], "change_pct": k["change_pct"],
            "definition_of_done": k["definition_of_done"],
            "owner": {"id": k["owner_id"], "name": k["owner_name"], "email": k["owner_email"]}
            if k["owner_id"] is not None else None,
            "due_on": k["due_on"].isoformat() if k["due_on"] else None,
            "achievable_confirmed": bool(k["achievable_confirmed"])})
    # Engineer 4's objectives.deprioritized(actor, …) checks an actor; freezing is library level, so read directly.
    for d in db.rows("""SELECT o.id AS objective_id, d.title, d.reason
                        FROM deprioritized d JOIN objectives o ON o.team_id = d.team_id AND o.quarter = d.quarter
                        WHERE o.id = ANY(?) AND d.deleted_at IS NULL ORDER BY d.created_at, d.id""", [list(okrs)]):
        okrs[d["objective_id"]]["deprioritized"].append({"title": d["title"], "reason": d["reason"]})
    return okrs


def _snapshot(okr: dict[str, Any], published_by: dict[str, Any] | None, *, now: dt.datetime | None, version: int,
              note: str) -> dict[str, Any]:
    return {"format": FORMAT, "version": version,
            "published_at": (now or dt.datetime.now()).replace(microsecond=0).isoformat(),
            "published_by": published_by, "note": note, **okr}


def snapshot(objective_id: int, *, published_by: int | None = None, now: dt.datetime | None = None,
             version: int = 0, note: str = "") -> dict[str, Any]:
    """The OKR of `objective_id` as it stands now, in snapshot format (library level)."""
    okr = _okrs([objective_id]).get(objective_id)
    if okr is None:
        raise NotFound("That objective no longer exists.")
    return _snapshot(okr, _people([published_by]).get(published_by), now=now, version=version, note=note)


def change_log_text(note: str, lines: list[str], previous: int | None) -> str:
    """The plain-text change log stored with a version: the lead's note, then what changed."""
    parts = [note] if note else []
    if previous is not None:
        parts.append(f"Changes since version {previous}:\n" + ("\n".join(f"- {line}" for line in lines)
                                                             if lines else "- none"))
    return "\n\n".join(parts)


REPUBLISH = "The objective was replaced (same wording)."


def changes_since(previous: dict[str, Any], snap: dict[str, Any], status: str) -> list[str]:
    """What the next version changes: the computed differences, or, when the objective went back to draft (it was
    replaced) in the same words, that it must be published again (check-ins and dashboards wait for that)."""
    lines = changes(previous, snap)
    return lines or ([] if status == "published" else [REPUBLISH])


def freeze(objective_id: int, *, published_by: int | None, change_log: str = "",
           now: dt.datetime | None = None) -> int:
    """Library level (demo data, imports): snapshot the objective as the next version and mark it published.
    `change_log` is the note; the changes since the previous version are computed. Returns the new version."""
    return freeze_many([(objective_id, published_by, now)], change_log=change_log)[0]


def freeze_many(frozen: Sequence[tuple[int, int | None, dt.datetime | None]], *, change_log: str = "") -> list[int]:
    """`freeze` for each (objective id, published by, when) of `frozen`, in one transaction and a fixed number of
    queries (the demo's history, the benchmark company, an import of many teams). Returns the new versions."""
    note = validate.text(change_log, "Note", field="note")
    ids = [objective_id for objective_id, _, _ in frozen]
    if len(set(ids)) < len(ids):
        raise ValueError("freeze_many freezes each objective once; freeze it again in another call.")
    if not ids:
        return []
    with db.transaction() as cur:
        found = {o["id"]: o for o in db.rows("SELECT id, team_id, quarter, status FROM objectives WHERE id = ANY(?)",
                                             [ids])}
        if len(found) < len(ids):
            raise NotFound("That objective no longer exists.")
        for objective in found.values():
            db.touch(objective["team_id"], objective["quarter"])
        previous, okrs, people = _latest_of(ids), _okrs(ids), _people(p for _, p, _ in frozen)
        versions, rows = [], []
        for objective_id, published_by, now in frozen:
            objective, before = found[objective_id], previous.get(objective_id)
            version = (before["version"] if before else 0) + 1
            snap = _snapshot(okrs[objective_id], people.get(published_by), now=now, version=version, note=note)
            lines = changes_since(before["snapshot"], snap, objective["status"]) if before else []
            rows.append([objective_id, objective["team_id"], objective["quarter"], version,
                         json.dumps(snap, ensure_ascii=False),
                         change_log_text(note, lines, before["version"] if before else None), published_by,
                         dt.datetime.fromisoformat(snap["published_at"])])
            versions.append(version)
        try:
            cur.executemany(
                """INSERT INTO publications (id, objective_id, team_id, quarter, version, snapshot, change_log,
                                             published_by, published_at)
                   VALUES (nextval('seq_publications'), ?, ?, ?, ?, ?, ?, ?, ?)""", rows)
        except db.ConstraintViolation as error:
            which = f"version {versions[0]}" if len(versions) == 1 else "one of these OKRs"
            raise Conflict(f"Someone published {which} at the same moment. Reload and check it.") from error
        cur.execute("UPDATE objectives SET status = 'published' WHERE id = ANY(?)", [ids])
        cur.execute("""DELETE FROM awaiting_publish
                       WHERE kr_id IN (SELECT id FROM key_results WHERE objective_id = ANY(?))""", [ids])
    return versions


def pending_changes(team_id: int, quarter: str) -> list[str] | None:
    """What changed since the latest version (None when never published or there is no objective). An objective
    back in draft (replaced, even in the same words) is a change: until it is published again, check-ins wait and
    dashboards leave the team out."""
    previous = latest_for(team_id, quarter)
    found = key_results.objective_row(team_id, quarter)
    if previous is None or found is None:
        return None
    return changes_since(previous["snapshot"], snapshot(found["id"]), found["status"])


@read_scope("team_id", None)  # reads the team's earlier quarters too
def unpublished_changes(actor: auth.Actor, team_id: int, quarter: str) -> list[str] | None:
    """`pending_changes` for people who may read the team's draft (its members and managers above it)."""
    auth.require_reader(actor, team_id, "see this team's unpublished changes")
    return pending_changes(team_id, quarter)


def publish(actor: auth.Actor, team_id: int, quarter: str, note: str = "", now: dt.datetime | None = None) -> int:
    """The lead publishes the team's OKR (2–5 key results, no failing SMART letter) as the next version."""
    auth.require_lead(actor, team_id, "publish the team's OKRs")
    ideas.require_open_quarter(quarter, now)
    report = team_report.report_for(team_id, quarter)
    if report.objective is None:
        raise ValidationError(
            f"{auth.team_name(team_id)} has no objective for {quarter} yet: choose it on the Create focus step, "
            "then write its key results.")
    blockers = report.blockers
    if blockers:
        shown = "\n".join(f"- {b}" for b in blockers[:4])
        more = f"\n- … and {len(blockers) - 4} more" if len(blockers) > 4 else ""
        raise ValidationError(f"Not ready to publish yet. Fix these first:\n{shown}{more}")
    previous = latest_for(team_id, quarter)
    if previous is not None and not pending_changes(team_id, quarter):
        raise ValidationError(
            f"Nothing changed since version {previous['version']} was published, so there is nothing new to "
            "publish. Edit the objective or key results first.")
    return freeze(report.objective["id"], published_by=actor.person_id, change_log=note, now=now)


def preview(actor: auth.Actor, team_id: int, quarter: str, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """What publishing now would freeze (the next version, by `actor`), for the publish step's preview."""
    auth.require_reader(actor, team_id, "preview this team's OKRs")
    found = key_results.objective_row(team_id, quarter)
    if found is None:
        return None
    previous = latest_for(team_id, quarter)
    return snapshot(found["id"], published_by=actor.person_id, now=now,
                    version=(previous["version"] if previous else 0) + 1)


# --- reading -------------------------------------------------------------------------------------------------------


def _row(found: dict[str, Any] | None) -> dict[str, Any] | None:
    if found is None:
        return None
    found["snapshot"] = json.loads(found["snapshot"])
    return found


_COLUMNS = "id, objective_id, team_id, quarter, version, snapshot, change_log, published_by, published_at"


def latest_for(team_id: int, quarter: str) -> dict[str, Any] | None:
    """The newest publication of the team's OKR for the quarter, snapshot parsed (library level)."""
    return _row(db.row(f"""SELECT {_COLUMNS} FROM publications WHERE team_id = ? AND quarter = ?
                           ORDER BY version DESC LIMIT 1""", [team_id, quarter]))


def _latest_of(objective_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Objective id → the newest publication of its team's OKR for its quarter (`latest_for` of each)."""
    return {found.pop("of_objective"): _row(found) for found in db.rows(
        f"""SELECT o.id AS of_objective, {', '.join('p.' + c for c in _COLUMNS.split(', '))}
            FROM publications p JOIN objectives o ON o.team_id = p.team_id AND o.quarter = p.quarter
            WHERE o.id = ANY(?) AND p.version = (SELECT max(q.version) FROM publications q
                                                 WHERE q.team_id = p.team_id AND q.quarter = p.quarter)""",
        [list(objective_ids)])}


def latest(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any] | None:
    """Published OKRs are for everyone in the organisation to read: any signed-in person."""
    del actor  # every person may read published OKRs
    return latest_for(team_id, quarter)


def get_version(actor: auth.Actor, team_id: int, quarter: str, version: int) -> dict[str, Any]:
    del actor
    found = _row(db.row(f"SELECT {_COLUMNS} FROM publications WHERE team_id = ? AND quarter = ? AND version = ?",
                        [team_id, quarter, version]))
    if found is None:
        raise NotFound(f"Version {version} of that OKR does not exist.")
    return found


def history(actor: auth.Actor, team_id: int, quarter: str) -> list[dict[str, Any]]:
    """Every version, newest first, each with its note and the changes against the version before it."""
    del actor
    rows = [_row(r) for r in db.rows(f"""SELECT {_COLUMNS} FROM publications WHERE team_id = ? AND quarter = ?
                                         ORDER BY version""", [team_id, quarter])]
    for before, after in zip([None, *rows], rows, strict=False):
        after["note"] = after["snapshot"].get("note", "")
        after["changes"] = changes(before["snapshot"], after["snapshot"]) if before else []
    return list(reversed(rows))


def for_quarter(actor: auth.Actor, quarter: str) -> list[dict[str, Any]]:
    """The latest publication of every team for the quarter, by team name."""
    del actor
    return [_row(r) for r in db.rows(
        f"""SELECT {', '.join('p.' + c for c in _COLUMNS.split(', '))} FROM publications p
            JOIN teams t ON t.id = p.team_id
            WHERE p.quarter = ? AND p.version = (SELECT max(version) FROM publications q
                                                 WHERE q.team_id = p.team_id AND q.quarter = p.quarter)
            ORDER BY t.name""", [quarter])]


def step_status(team_id: int, quarter: str) -> tuple[bool, str]:
    """The Publish step of the workshop: done when a version is published and nothing changed since."""
    previous = latest_for(team_id, quarter)
    if previous is None:
        return False, "Not published"
    pending = pending_changes(team_id, quarter)
    if pending:
        return False, f"Version {previous['version']} published; {len(pending)} change(s) not yet published"
    return True, f"Version {previous['version']} published"


def overview(actor: auth.Actor, quarter: str) -> dict[str, Any]:
    """All teams' published OKRs for the quarter, grouped under the company objective each serves (in strategy
    order, including company objectives no team serves yet), then those serving none; and teams not published."""
    published = for_quarter(actor, quarter)
    company = strategy.items(quarter, "company_objective")
    groups: dict[int, dict[str, Any]] = {item["id"]: {"item": item, "okrs": []} for item in company}
    serving_none = []
    for publication in published:
        link = next((x for x in publication["snapshot"].get("strategy_links", [])
                     if x.get("kind") == "company_objective"), None)
        if link is None:
            serving_none.append(publication)
            continue
        group = groups.setdefault(link["id"], {"item": {"id": link["id"], "title": link["title"]}, "okrs": []})
        group["okrs"].append(publication)
    done = {p["team_id"] for p in published}
    waiting = db.rows("""SELECT t.id, t.name FROM teams t
                         WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.team_id = t.id) ORDER BY t.name""")
    return {"groups": list(groups.values()), "serving_none": serving_none,
            "unpublished": [t for t in waiting if t["id"] not in done]}


OVERVIEW_PAGE_SIZE = 30  # published OKRs per page of the all-teams view: a thousand cards take seconds to draw


def overview_page(actor: auth.Actor, quarter: str, text: str = "", page: int = 1,
                  size: int | None = OVERVIEW_PAGE_SIZE) -> dict[str, Any]:
    """One page of the all-teams view: published OKRs in reading order (company objective, then team), each with
    the heading it sits under, optionally only those whose team, department or objective contains `text`.
    `size=None` gives every entry (the print layout). Small enough to cache per page."""
    data = overview(actor, quarter)
    entries = [(g["item"]["title"], p) for g in data["groups"] for p in g["okrs"]]
    entries += [(None, p) for p in data["serving_none"]]  # None: serving no company objective
    published = len(entries)
    needle = text.strip().lower()
    if needle:
        entries = [e for e in entries if needle in " ".join(
            [e[1]["snapshot"]["team"]["name"], e[1]["snapshot"]["team"].get("department") or "",
             e[1]["snapshot"]["objective"]["title"]]).lower()]
    pages = 1 if size is None else max(1, -(-len(entries) // size))
    page = min(max(1, page), pages)
    shown = entries if size is None else entries[(page - 1) * size: page * size]
    return {"published": published, "matching": len(entries), "pages": pages, "page": page, "entries": shown,
            "unserved": [g["item"]["title"] for g in data["groups"] if not g["okrs"]],
            "unpublished": [t["name"] for t in data["unpublished"]]}


def owed(actor: auth.Actor) -> list[dict[str, Any]]:
    """Home: for each team the person leads, the key-result work left before its OKR is published (planning and
    current quarter), due by the quarter's start."""
    from okrdash import quarters  # late import: keeps this module's import list short

    items = []
    for quarter in dict.fromkeys([quarters.planning_key(), quarters.current_key()]):
        if not db.scalar("SELECT count(*) FROM quarters WHERE key = ?", [quarter]):
            continue
        starts_on = quarters.get(quarter)["starts_on"]
        for team_id in sorted(actor.lead_of):
            report = team_report.report_for(team_id, quarter, with_past=False)
            if report.objective is None:
                continue
            team = auth.team_name(team_id)
            params = {"team": team, "quarter": quarter}  # the team picker's URL binding holds the name
            base = {"due": starts_on, "query_params": params}
            count, failing = len(report.key_results), len(report.failing_krs)
            previous = latest_for(team_id, quarter)
            if previous is None and report.objective["status"] == "published":
                continue  # published before versioned snapshots existed (imported history): nothing owed
            if count < 2 or failing:
                detail = (f"“{report.objective['title']}” has {count} key result{'s' if count != 1 else ''}"
                          + (f"; {failing} fail a SMART letter." if failing else "; it needs 2 to 5."))
                items.append({**base, "what": f"Finish {team}'s key results for {quarter}", "detail": detail,
                              "page": "pages/workshop_key_results.py", "action": "Key results"})
            elif report.blockers:
                items.append({**base, "what": f"Fix {team}'s objective for {quarter}",
                              "detail": report.blockers[0], "page": "pages/workshop_key_results.py",
                              "action": "Key results"})
            elif previous is None:
                items.append({**base, "what": f"Publish {team}'s OKRs for {quarter}",
                              "detail": f"All {count} key results pass the SMART check; publish them so everyone "
                                        "can see them.", "page": "pages/workshop_publish.py", "action": "Publish"})
            elif pending_changes(team_id, quarter):
                items.append({**base, "what": f"Publish the changes to {team}'s OKRs for {quarter}",
                              "detail": f"Version {previous['version']} is what everyone sees; your edits since "
                                        "are not published yet.", "page": "pages/workshop_publish.py",
                              "action": "Publish"})
    return items
