"""Check-ins: who may record them, what they accept, append-only corrections, acknowledgements and what is due."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from okrdash import checkins, db, home, scores
from okrdash.errors import NotFound, PermissionDenied, ValidationError
from okrdash.migrations import domain
from tests.tracking_fixtures import TODAY, checkin, key_result, objective, tracked


@pytest.fixture
def krs(org):
    return tracked(org)


def count() -> int:
    return db.scalar("SELECT count(*) FROM checkins")


def test_the_owner_records_a_check_in(org, krs):
    checkin_id = checkins.record(org.member, krs.increase, value="17", confidence=8, comment=" Good week ",
                                 today=TODAY)
    row = db.row("SELECT * FROM checkins WHERE id = ?", [checkin_id])
    assert (row["person_id"], row["checked_on"], row["value"], row["done"], row["confidence"], row["comment"]) == (
        org.member.person_id, TODAY, 17.0, None, 8, "Good week")
    scored = {r["kr_id"]: r for r in scores.kr_scores(org.growth, org.quarter, today=TODAY)}
    assert scored[krs.increase]["score"] == pytest.approx(0.5)


def test_numbers_may_be_typed_with_separators_and_percent(org, krs):
    checkins.record(org.member, krs.increase, value="1,200.5 %", confidence=5, today=TODAY)
    assert db.scalar("SELECT value FROM checkins") == 1200.5


def test_the_team_lead_checks_in_for_an_owner(org, krs):
    checkin_id = checkins.record(org.lead, krs.decrease, value=40, confidence=6, today=TODAY)
    assert db.scalar("SELECT person_id FROM checkins WHERE id = ?", [checkin_id]) == org.lead.person_id


@pytest.mark.parametrize("who", ["member2", "outsider", "manager", "stranger", "admin"])
def test_nobody_else_checks_in(org, krs, who):
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied) as refused:
        checkins.record(actor, krs.increase, value=17, confidence=7, today=TODAY)
    assert refused.value.message.startswith(
        "Only the owner of “Raise trial-to-paid conversion from 14% to 20%” (Mia Member) or the lead of Growth may "
        f"check in on it; {actor.name} is neither.")
    assert ("Managers acknowledge" in refused.value.message) == (who == "manager")
    assert count() == 0


def test_a_check_in_on_another_teams_kr_is_refused_even_for_a_lead(org, krs):
    with pytest.raises(PermissionDenied, match="the lead of Core may check in on it; Lee Lead is neither"):
        checkins.record(org.lead, krs.core_kr, value=30, confidence=7, today=TODAY)
    assert count() == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"value": "about twenty"}, "The value of raise trial-to-paid conversion from 14% to 20% must be a number, "
                                "not “about twenty”."),
    ({"value": ""}, "The value of raise trial-to-paid conversion from 14% to 20% is required."),
    ({"value": "nan"}, "must be a finite number"),
    ({"confidence": 11}, "Confidence must be a whole number from 0 to 10."),
    ({"confidence": -1}, "Confidence must be a whole number from 0 to 10."),
    ({"confidence": 7.5}, "Confidence must be a whole number from 0 to 10."),
    ({"confidence": "high"}, "Confidence must be a number, not “high”."),
    ({"checked_on": TODAY + dt.timedelta(days=1)}, "The check-in date Thu 19 Nov 2026 is in the future; check in "
                                                   "for today or an earlier day."),
    ({"checked_on": dt.date(2026, 9, 30)}, "Wed 30 Sep 2026 is outside 2026-Q4 (Thu 1 Oct 2026 – Thu 31 Dec 2026), "
                                           "the quarter of this key result. Pick a day inside it."),
    ({"checked_on": "last friday"}, "The check-in date must be a date like 2026-03-31."),
    ({"comment": "x" * 4001}, "Comment is 4,001 characters long; the limit is 4,000."),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(org, krs, fields, message):
    checkins.record(org.member, krs.increase, value=15, confidence=7, checked_on=dt.date(2026, 11, 6), today=TODAY)
    before = db.rows("SELECT * FROM checkins")
    values = {"value": "16", "confidence": 7, "comment": "", **fields}
    with pytest.raises(ValidationError) as refused:
        checkins.record(org.member, krs.increase, today=TODAY, **values)
    assert message in refused.value.message
    assert db.rows("SELECT * FROM checkins") == before


def test_a_date_in_a_finished_quarter_is_fine_inside_it(org):
    past = objective(org.growth, "2026-Q3", "Last quarter's objective")
    kr = key_result(past, "Raise NPS from 30 to 40", "increase_to", org.member.person_id, baseline=30, target=40)
    checkins.record(org.member, kr, value=39, confidence=9, checked_on=dt.date(2026, 9, 30), today=TODAY)
    with pytest.raises(ValidationError, match="outside 2026-Q3"):
        checkins.record(org.member, kr, value=39, confidence=9, today=TODAY)  # defaults to today, in 2026-Q4


def test_milestones_take_done_not_a_value(org, krs):
    with pytest.raises(ValidationError, match="Say whether the milestone is done"):
        checkins.record(org.member, krs.milestone, confidence=7, today=TODAY)
    checkins.record(org.member, krs.milestone, done=True, value="ignored", confidence=9, today=TODAY)
    assert db.row("SELECT value, done FROM checkins") == {"value": None, "done": True}


def test_drafts_and_archived_krs_take_no_check_ins(org):
    draft = objective(org.growth, org.next_quarter, "Next quarter's idea", status="draft")
    kr = key_result(draft, "Raise NPS from 30 to 40", "increase_to", org.member.person_id, baseline=30, target=40)
    with pytest.raises(ValidationError, match=r"is still a draft\. Check-ins start once Growth publishes its OKRs"):
        checkins.record(org.member, kr, value=31, confidence=7, today=TODAY)
    db.execute("UPDATE key_results SET archived_at = ? WHERE id = ?", [dt.datetime.now(), kr])
    with pytest.raises(NotFound, match="archived"):
        checkins.record(org.member, kr, value=31, confidence=7, today=TODAY)
    with pytest.raises(NotFound):
        checkins.record(org.member, 999_999, value=31, confidence=7, today=TODAY)


def test_a_correction_is_a_new_row_and_the_latest_counts(org, krs):
    first = checkins.record(org.member, krs.increase, value=15, confidence=7, today=TODAY)
    second = checkins.record(org.member, krs.increase, value=18, confidence=4, comment="typo", today=TODAY)
    assert count() == 2
    state = checkins.kr_state(org.member, krs.increase, today=TODAY)
    assert (state["last_value"], state["confidence"], state["checkins"]) == (18.0, 4, 1)
    rows = checkins.history(org.member, krs.increase)
    assert [(r["id"], r["superseded"]) for r in rows] == [(second, False), (first, True)]


def test_managers_acknowledge_within_their_subtree_and_the_owner_sees_it(org, krs):
    checkin_id = checkins.record(org.member, krs.increase, value=16, confidence=6, comment="Slow", today=TODAY)
    ack = checkins.acknowledge(org.manager, checkin_id, "  Let's talk in our 1:1. ")
    assert checkins.acknowledge(org.manager, checkin_id, "Let's talk in our 1:1.") == ack  # a double click
    for who in ("stranger", "lead", "member2", "outsider"):
        with pytest.raises(PermissionDenied, match="Only managers whose scope includes Growth may acknowledge"):
            checkins.acknowledge(getattr(org, who), checkin_id, "Nice")
    seen = checkins.acknowledgements_for(org.member, today=TODAY)
    assert [(a["person_name"], a["comment"], a["kr_title"]) for a in seen] == [
        ("Mona Manager", "Let's talk in our 1:1.", "Raise trial-to-paid conversion from 14% to 20%")]
    assert checkins.acknowledgements_for(org.member2, today=TODAY) == []
    (row,) = checkins.history(org.member, krs.increase)
    assert [a["comment"] for a in row["acks"]] == ["Let's talk in our 1:1."]
    with pytest.raises(NotFound):
        checkins.acknowledge(org.manager, 999_999)


def test_a_manager_does_not_acknowledge_their_own_check_in(org, krs):
    db.execute("UPDATE key_results SET owner_id = ? WHERE id = ?", [org.manager.person_id, krs.below])
    db.execute("INSERT INTO memberships (team_id, person_id, role) VALUES (?, ?, 'member')",
               [org.growth, org.manager.person_id])  # an owner is a member of the KR's team
    own = checkins.record(org.refresh(org.manager), krs.below, value=1.7, confidence=8, today=TODAY)
    with pytest.raises(ValidationError, match="You made this check-in yourself"):
        checkins.acknowledge(org.manager, own)


def test_history_is_for_readers_of_the_team(org, krs):
    checkins.record(org.member, krs.increase, value=16, confidence=6, today=TODAY)
    assert len(checkins.history(org.manager, krs.increase)) == 1
    for who in ("outsider", "stranger"):
        with pytest.raises(PermissionDenied):
            checkins.history(getattr(org, who), krs.increase)
        with pytest.raises(PermissionDenied):
            checkins.kr_state(getattr(org, who), krs.increase, today=TODAY)


def test_checkable_key_results_are_own_ones_first_then_the_led_teams(org, krs):
    mine = checkins.checkable_key_results(org.member, org.quarter, TODAY)
    assert [r["kr_id"] for r in mine] == [krs.increase, krs.above, krs.milestone]
    assert all(r["mine"] for r in mine)
    led = checkins.checkable_key_results(org.lead, org.quarter, TODAY)
    assert [(r["kr_id"], r["mine"]) for r in led] == [
        (krs.below, True), (krs.increase, False), (krs.decrease, False), (krs.above, False),
        (krs.milestone, False)]
    assert [r["kr_id"] for r in checkins.checkable_key_results(org.outsider, org.quarter, TODAY)] == [krs.core_kr]
    assert checkins.checkable_key_results(org.manager, org.quarter, TODAY) == []
    assert checkins.checkable_key_results(org.member, org.next_quarter, TODAY) == []


def test_check_ins_due_on_home_after_seven_days(org, krs):
    due = checkins.checkins_due(org.member, today=TODAY)
    assert [d["query_params"]["kr"] for d in due] == [str(krs.increase), str(krs.above), str(krs.milestone)]
    assert due[0]["what"] == "Check in on “Raise trial-to-paid conversion from 14% to 20%”"
    assert due[0]["detail"] == "Growth · no check-in yet"
    assert due[0]["page"] == "pages/checkins.py"
    checkin(krs.increase, org.member.person_id, TODAY - dt.timedelta(days=6), value=16)
    checkin(krs.above, org.member.person_id, TODAY - dt.timedelta(days=7), value=4.4)
    due = checkins.checkins_due(org.member, today=TODAY)
    assert [d["query_params"]["kr"] for d in due] == [str(krs.above), str(krs.milestone)]
    assert due[0]["detail"] == "Growth · last check-in 7 days ago" and due[0]["due"] == TODAY
    assert checkins.checkins_due(org.manager, today=TODAY) == []


def test_home_lists_check_ins_due(org, krs):
    db.execute("UPDATE quarters SET is_current = (key = ?)", [org.quarter])
    assert any(item["what"].startswith("Check in on") for item in home.owed_by(org.member))
    assert checkins.checkins_due in home.OWED_PROVIDERS


def test_an_owner_who_left_the_team_no_longer_checks_in_and_the_lead_sees_it(org, krs):
    """Owning a KR is not enough: the owner must still be a member of its team; the lead reassigns it meanwhile."""
    db.execute("DELETE FROM memberships WHERE team_id = ? AND person_id = ?", [org.growth, org.member.person_id])
    db.execute("UPDATE quarters SET is_current = (key = ?)", [org.quarter])
    gone = org.refresh(org.member)
    with pytest.raises(PermissionDenied) as refused:
        checkins.record(gone, krs.increase, value=17, confidence=7, today=TODAY)
    assert "is not a member of Growth (any more)" in refused.value.message
    assert "lead of Growth must reassign" in refused.value.message
    assert count() == 0
    assert checkins.checkable_key_results(gone, org.quarter, TODAY) == []
    assert checkins.checkins_due(gone, today=TODAY) == []
    led = {r["kr_id"]: r for r in checkins.checkable_key_results(org.lead, org.quarter, TODAY)}
    assert not led[krs.increase]["owner_in_team"] and led[krs.decrease]["owner_in_team"]
    assert checkins.record(org.lead, krs.increase, value=17, confidence=7, today=TODAY)
    # A former owner who is in another team still sees only that team's KRs (and no error for Growth's).
    db.execute("INSERT INTO memberships (team_id, person_id, role) VALUES (?, ?, 'member')",
               [org.core, org.member.person_id])
    db.execute("UPDATE key_results SET owner_id = ? WHERE id = ?", [org.member.person_id, krs.core_kr])
    moved = org.refresh(org.member)
    assert [r["kr_id"] for r in checkins.checkable_key_results(moved, org.quarter, TODAY)] == [krs.core_kr]
    assert [d["query_params"]["kr"] for d in checkins.checkins_due(moved, today=TODAY)] == [str(krs.core_kr)]


def test_check_ins_follow_the_published_version(org, krs):
    """A KR added after publishing is not in what the organisation committed to: no check-in until it is published."""
    from okrdash import key_results, publications

    publications.freeze(krs.objective, published_by=org.lead.person_id)
    key_results.archive(org.lead, krs.milestone)  # room for one more (five at most)
    late = key_results.create(krs.objective, {
        "title": "Grow weekly invoices from 100 to 150", "kind": "increase_to", "metric": "weekly invoices",
        "unit": "invoices", "baseline": 100, "target": 150, "owner_id": org.member.person_id})
    with pytest.raises(ValidationError) as refused:
        checkins.record(org.member, late, value=110, confidence=7, today=TODAY)
    assert "not in the published version of Growth's OKRs" in refused.value.message
    assert "Publish the change first" in refused.value.message
    assert count() == 0
    assert checkins.record(org.member, krs.increase, value=15, confidence=7, today=TODAY)
    rows = {r["kr_id"]: r for r in checkins.checkable_key_results(org.member, org.quarter, TODAY)}
    assert rows[late]["published"] is False and rows[krs.increase]["published"] is True
    assert str(late) not in [d["query_params"]["kr"] for d in checkins.checkins_due(org.member, today=TODAY)]
    publications.freeze(krs.objective, published_by=org.lead.person_id)
    assert checkins.record(org.member, late, value=110, confidence=7, today=TODAY)
    assert str(late) not in [d["query_params"]["kr"] for d in checkins.checkins_due(org.member, today=TODAY)]


def test_dashboards_track_what_was_published(org, krs):
    """A KR added or restored after publishing stays off the dashboards until the next version (its check-ins wait
    too); the owner's check-in list still shows it, as waiting."""
    from okrdash import key_results, publications
    from okrdash.dashboards import team as dashboards_team

    def tracked_ids() -> set[int]:
        return {r["kr_id"] for r in scores.kr_scores(org.growth, org.quarter, TODAY)}

    publications.freeze(krs.objective, published_by=org.lead.person_id)
    key_results.archive(org.lead, krs.milestone)
    late = key_results.create(krs.objective, {
        "title": "Grow weekly invoices from 100 to 150", "kind": "increase_to", "metric": "weekly invoices",
        "unit": "invoices", "baseline": 100, "target": 150, "owner_id": org.member.person_id})
    assert late not in tracked_ids() and krs.increase in tracked_ids()
    assert late not in {r["kr_id"] for r in dashboards_team.key_results_in_scope(org.manager, org.quarter)}
    waiting = {r["kr_id"]: r for r in checkins.checkable_key_results(org.member, org.quarter, TODAY)}
    assert waiting[late]["published"] is False
    publications.freeze(krs.objective, published_by=org.lead.person_id)
    assert late in tracked_ids() and krs.milestone not in tracked_ids()
    key_results.archive(org.lead, late)
    publications.freeze(krs.objective, published_by=org.lead.person_id)  # version 3 leaves it out
    key_results.restore(org.lead, late)
    assert late not in tracked_ids()
    # The migration's backfill finds the same: a live KR that the latest snapshot does not hold.
    db.execute("DELETE FROM awaiting_publish")
    with db.transaction() as cur:
        domain.mark_awaiting_publish(cur)
    assert db.column("SELECT kr_id FROM awaiting_publish") == [late]


def test_a_key_result_is_opened_by_readers_of_its_team_only(org, krs):
    assert checkins.get(org.manager, krs.increase)["title"] == "Raise trial-to-paid conversion from 14% to 20%"
    with pytest.raises(PermissionDenied, match="see this key result"):
        checkins.get(org.outsider, krs.increase)
    pages = Path(__file__).resolve().parents[1] / "pages"
    assert not [p.name for p in pages.glob("*.py") if "checkins.key_result(" in p.read_text()]
