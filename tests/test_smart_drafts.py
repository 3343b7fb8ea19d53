"""Many drafts from one paste (okrdash.smart.drafts) and saving the kept ones (key_results.add_many); the editor's
live check of unsaved input (team_report.draft_check)."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import key_results, smart
from okrdash.errors import PermissionDenied, ValidationError
from okrdash.smart import drafts, team_report
from tests.okr_fixtures import company_objective, good_kr, make_objective

PASTE = """Objective: Trials become paying customers
- Grow weekly trials by 21% QoQ
* KR2: Publish the public API reference

Improve onboarding"""


@pytest.fixture
def growth(org):
    link = company_objective(org.next_quarter)
    return make_objective(org.growth, org.next_quarter, strategy_item_id=link, created_by=org.lead.person_id)


def test_one_draft_per_line_with_reading_and_verdicts():
    found = drafts.read_lines(PASTE)
    assert [(d.number, d.line) for d in found] == [(2, "Grow weekly trials by 21% QoQ"),
                                                   (3, "Publish the public API reference"), (5, "Improve onboarding")]
    assert [d.reading.kind for d in found] == ["increase_by", "milestone", "milestone"]
    assert [d.check["S"].level for d in found] == [smart.PASS, smart.PASS, smart.FAIL]
    assert found[0].fields() == {"title": "Grow weekly trials by 21% QoQ", "kind": "increase_by",
                                 "metric": "weekly trials", "unit": "%", "change_pct": 21.0}


@pytest.mark.parametrize("text", ["", "   \n\n  ", None, "# Q3\nObjective: something"])
def test_an_empty_paste_is_refused_with_what_to_do(text):
    with pytest.raises(ValidationError, match="The paste is empty: put one key result per line"):
        drafts.read_lines(text)


def test_a_huge_paste_is_refused():
    with pytest.raises(ValidationError, match="at most 50 are read at once"):
        drafts.read_lines("\n".join(f"Publish guide {n}" for n in range(60)))


def test_the_kept_drafts_are_saved_all_or_none(org, growth):
    kept = [d.fields() for d in drafts.read_lines(PASTE)[:2]]
    ids = key_results.add_many(org.lead, org.growth, org.next_quarter, kept, now=dt.datetime(2026, 11, 18, 10))
    saved = [key_results.get(i) for i in ids]
    assert [(k["kind"], k["owner_id"], k["change_pct"]) for k in saved] == [
        ("increase_by", org.lead.person_id, 21), ("milestone", org.lead.person_id, None)]
    three_more = [d.fields() for d in drafts.read_lines("Ship A\nShip B\nShip C\nShip D")]
    with pytest.raises(ValidationError, match="has 2 key results and may have 5: keep at most 3 of the 4 drafts"):
        key_results.add_many(org.lead, org.growth, org.next_quarter, three_more, now=dt.datetime(2026, 11, 18, 10))
    with pytest.raises(ValidationError, match="Change % must be above 0"):  # one bad draft: nothing is saved
        key_results.add_many(org.lead, org.growth, org.next_quarter,
                             [{"title": "Ship A"}, {"title": "Grow X by 0%", "kind": "increase_by", "change_pct": 0}],
                             now=dt.datetime(2026, 11, 18, 10))
    assert len(key_results.rows_for(org.growth, org.next_quarter)) == 2
    with pytest.raises(ValidationError, match="No draft is kept"):
        key_results.add_many(org.lead, org.growth, org.next_quarter, [], now=dt.datetime(2026, 11, 18, 10))
    with pytest.raises(PermissionDenied):
        key_results.add_many(org.member, org.growth, org.next_quarter, kept, now=dt.datetime(2026, 11, 18, 10))


def test_draft_check_reports_unparseable_numbers(org, growth):
    ctx = team_report.context(org.growth, org.next_quarter, key_results.objective_row(org.growth, org.next_quarter))
    check, problems = team_report.draft_check({**good_kr(org.member.person_id, target="abc"), "title": "Cut"}, ctx)
    assert problems == {"target": "Target must be a number, not “abc”."}
    assert check["M"].level == smart.FAIL
    _, none = team_report.draft_check(good_kr(org.member.person_id, kind="milestone", baseline="abc"), ctx)
    assert none == {}
    _, relative = team_report.draft_check(good_kr(org.member.person_id, kind="increase_by", change_pct="ten"), ctx)
    assert relative == {"change_pct": "Change % must be a number, not “ten”."}
