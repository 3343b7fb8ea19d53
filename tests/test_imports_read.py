"""CSV import of key-result rows that hold only their title: every empty cell is read from the title (cells in the
file win), the owner defaults to the team's lead, and the report lists each reading with its S and M."""

from __future__ import annotations

from okrdash import imports, key_results
from tests.test_imports import NOW, OBJECTIVE

TITLES = ("team,quarter,objective,key_result,unit\n"
          f"Growth,2026-Q4,{OBJECTIVE},Grow weekly trials by 21% QoQ,\n"
          f"Growth,2026-Q4,{OBJECTIVE},Publish the public API reference,\n"
          f"Growth,2026-Q4,{OBJECTIVE},Cut time to first invoice from 52 h to 12 h,hours\n")


def test_title_only_rows_are_read_reported_and_created(org):
    report = imports.import_okrs(org.admin, TITLES.encode(), now=NOW, dry_run=True)
    assert [(r["line"], r["read_as"], r["S"], r["M"]) for r in report.readings] == [
        (2, "Increase by 21% · weekly trials", "pass", "pass"),
        (3, "Milestone", "pass", "pass"),
        (4, "Decrease to · 52 h → 12 h · time to first invoice", "pass", "pass")]
    assert key_results.rows_for(org.growth, "2026-Q4") == []  # a check writes nothing
    imports.import_okrs(org.admin, TITLES.encode(), now=NOW)
    saved = key_results.rows_for(org.growth, "2026-Q4")
    assert [(k["kind"], k["change_pct"], k["baseline"], k["target"], k["unit"], k["owner_id"]) for k in saved] == [
        ("increase_by", 21, None, None, "%", org.lead.person_id),
        ("milestone", None, None, None, "", org.lead.person_id),
        ("decrease_to", None, 52, 12, "hours", org.lead.person_id)]  # the file's unit wins over the reading
    assert saved[1]["definition_of_done"] == "Publish the public API reference"


def test_a_title_that_cannot_be_read_into_numbers_is_refused_with_its_line(org):
    data = ("team,quarter,objective,key_result,kind\n"
            f"Growth,2026-Q4,{OBJECTIVE},Grow weekly trials,increase_to\n"
            f"Growth,2026-Q4,{OBJECTIVE},Publish the public API reference,\n").encode()
    try:
        imports.import_okrs(org.admin, data, now=NOW)
    except imports.ImportRefused as refused:
        assert [(e.line, e.message) for e in refused.errors] == [(2, "Kind increase_to needs a target.")]
    else:
        raise AssertionError("a measured kind without a target was imported")
