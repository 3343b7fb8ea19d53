"""The survey itself: opening, defaults, deadline rules, closing early, extending, settings, Home's owed items."""

import datetime as dt

import pytest

from okrdash import db, home, strategy, surveys
from okrdash import survey_answers as answers
from okrdash import survey_participation as participation
from okrdash.errors import PermissionDenied, ValidationError
from tests.survey_fixtures import DEADLINE, NOW, add_strategy, answer_with_ideas, make_planned, open_growth_survey


@pytest.fixture
def planned(org):
    return make_planned(org)


def test_lead_opens_a_survey_with_default_prereading(org):
    items = add_strategy(org.next_quarter)
    survey_id = open_growth_survey(org)
    found = surveys.survey(org.member, survey_id)
    assert (found["team_id"], found["quarter"], found["deadline"]) == (org.growth, org.next_quarter, DEADLINE)
    assert found["opened_by"] == org.lead.person_id and found["opened_at"] == NOW and not found["anonymous"]
    # Default pre-reading: the quarter's company objectives and product strategy, not mission or principles.
    assert [i["id"] for i in surveys.prereading(survey_id)] == [items["win"], items["paid"], items["payments"]]
    assert surveys.state(found, NOW) == surveys.OPEN


def test_defaults_for_the_open_form(org):
    add_strategy(org.next_quarter)
    assert surveys.default_deadline(NOW) == dt.datetime(2026, 11, 27, 17, 0)
    assert org.next_quarter in surveys.default_opening_text(org.next_quarter)
    # A quarter without strategy yet offers the previous quarter's items.
    assert surveys.prereading_options("2027-Q2") == strategy.items(org.next_quarter)


def test_explicit_prereading_and_none(org):
    items = add_strategy(org.next_quarter)
    survey_id = surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=DEADLINE,
                                    prereading_ids=[items["payments"], items["mission"]], now=NOW)
    assert [i["id"] for i in surveys.prereading(survey_id)] == [items["payments"], items["mission"]]
    db.execute("DELETE FROM survey_prereading")
    db.execute("DELETE FROM surveys")
    survey_id = surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=DEADLINE, prereading_ids=[],
                                    now=NOW)
    assert surveys.prereading(survey_id) == []


def test_unknown_prereading_item_is_refused(org):
    with pytest.raises(ValidationError, match="no longer exist"):
        surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=DEADLINE, prereading_ids=[999],
                            now=NOW)


@pytest.mark.parametrize("who", ["member", "member2", "outsider", "manager", "stranger", "admin"])
def test_only_the_lead_opens_the_survey(org, who):
    with pytest.raises(PermissionDenied, match="Only the lead of Growth may open its survey"):
        surveys.open_survey(getattr(org, who), org.growth, org.next_quarter, deadline=DEADLINE, now=NOW)
    assert db.scalar("SELECT count(*) FROM surveys") == 0


def test_one_survey_per_team_and_quarter(org):
    open_growth_survey(org)
    with pytest.raises(ValidationError, match="already has a survey for 2027-Q1"):
        open_growth_survey(org)
    assert db.scalar("SELECT count(*) FROM surveys") == 1


@pytest.mark.parametrize(("deadline", "message"), [
    (dt.datetime(2026, 11, 20, 9, 0), "already passed"),
    (dt.datetime(2027, 4, 1, 17, 0), "before 2027-Q1 ends"),
    ("next week", "Pick a deadline"),
    (None, "Pick a deadline"),
])
def test_deadline_rules(org, deadline, message):
    with pytest.raises(ValidationError, match=message):
        open_growth_survey(org, deadline=deadline)


def test_a_date_deadline_means_17_00(org):
    survey_id = open_growth_survey(org, deadline=dt.date(2026, 11, 30))
    assert surveys.get(survey_id)["deadline"] == dt.datetime(2026, 11, 30, 17, 0)


def test_opening_text_is_bounded(org):
    with pytest.raises(ValidationError, match="limit is 4,000"):
        surveys.open_survey(org.lead, org.growth, org.next_quarter, deadline=DEADLINE, opening_text="x" * 10_000,
                            now=NOW)


@pytest.mark.parametrize(("now", "text"), [
    (dt.datetime(2026, 11, 20, 10, 0), "Closes in 7 days (Fri 27 Nov 2026 at 17:00)"),
    (dt.datetime(2026, 11, 24, 18, 0), "Closes in 3 days (Fri 27 Nov 2026 at 17:00)"),
    (dt.datetime(2026, 11, 26, 9, 0), "Closes tomorrow at 17:00"),
    (dt.datetime(2026, 11, 27, 12, 0), "Closes today at 17:00 (in 5 hours)"),
    (dt.datetime(2026, 11, 27, 16, 30), "Closes in 30 minutes (at 17:00)"),
    (dt.datetime(2026, 11, 27, 17, 0), "Closed on Fri 27 Nov 2026 at 17:00"),
])
def test_deadline_wording(planned, now, text):
    _, survey_id, _ = planned
    assert surveys.deadline_text(surveys.get(survey_id), now) == text


def test_after_the_deadline_the_survey_is_closed(planned):
    _, survey_id, _ = planned
    found = surveys.get(survey_id)
    assert surveys.state(found, DEADLINE - dt.timedelta(seconds=1)) == surveys.OPEN
    assert surveys.state(found, DEADLINE) == surveys.CLOSED


def test_close_early_then_extend_reopens(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    surveys.close(org.lead, survey_id, now=NOW + dt.timedelta(hours=1))
    found = surveys.get(survey_id)
    assert surveys.state(found, NOW + dt.timedelta(hours=2)) == surveys.CLOSED_EARLY
    assert surveys.deadline_text(found, NOW + dt.timedelta(hours=2)) == "Closed early on Fri 20 Nov 2026 at 11:00"
    with pytest.raises(ValidationError, match="closed early on"):
        answers.submit(org.member, survey_id, now=NOW + dt.timedelta(hours=2))
    with pytest.raises(ValidationError, match="not open"):
        surveys.close(org.lead, survey_id, now=NOW + dt.timedelta(hours=2))
    # Extending the deadline of a survey closed early opens it again; the draft was kept and can be sent.
    reopened = surveys.extend(org.lead, survey_id, dt.datetime(2026, 12, 4, 17, 0), now=NOW + dt.timedelta(hours=3))
    found = surveys.get(survey_id)
    assert reopened and found["closed_at"] is None and found["deadline"] == dt.datetime(2026, 12, 4, 17, 0)
    assert answers.submit(org.member, survey_id, now=NOW + dt.timedelta(hours=4))["ideas"] == 4


def test_extend_after_the_deadline_reopens(planned):
    org, survey_id, _ = planned
    after = DEADLINE + dt.timedelta(days=1)
    assert surveys.extend(org.lead, survey_id, after + dt.timedelta(days=2), now=after) is True
    assert surveys.is_open(surveys.get(survey_id), after)


def test_extending_an_open_survey_must_move_the_deadline_later(planned):
    org, survey_id, _ = planned
    with pytest.raises(ValidationError, match="not later than the current deadline"):
        surveys.extend(org.lead, survey_id, DEADLINE - dt.timedelta(days=1), now=NOW)
    with pytest.raises(ValidationError, match="already passed"):
        surveys.extend(org.lead, survey_id, NOW - dt.timedelta(minutes=1), now=NOW)
    assert surveys.extend(org.lead, survey_id, DEADLINE + dt.timedelta(days=1), now=NOW) is False


@pytest.mark.parametrize("who", ["member", "manager", "outsider", "stranger", "admin"])
def test_only_the_lead_closes_extends_and_configures(planned, who):
    org, survey_id, _ = planned
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied, match="Only the lead of Growth"):
        surveys.close(actor, survey_id, now=NOW)
    with pytest.raises(PermissionDenied, match="Only the lead of Growth"):
        surveys.extend(actor, survey_id, DEADLINE + dt.timedelta(days=1), now=NOW)
    with pytest.raises(PermissionDenied, match="Only the lead of Growth"):
        surveys.update_settings(actor, survey_id, opening_text="x", anonymous=True, prereading_ids=[])
    assert surveys.get(survey_id)["closed_at"] is None


def test_settings_change_text_prereading_and_anonymity_until_it_locks(planned):
    org, survey_id, items = planned
    surveys.update_settings(org.lead, survey_id, opening_text="New text", anonymous=True,
                            prereading_ids=[items["mission"]])
    found = surveys.get(survey_id)
    assert (found["opening_text"], found["anonymous"]) == ("New text", True)
    assert [i["id"] for i in surveys.prereading(survey_id)] == [items["mission"]]
    # Named → anonymous is fine until an answer arrives; anonymous → named is refused once someone drafted.
    answers.save_concern(org.member, survey_id, {"title": "Worried"}, now=NOW)
    assert "promise of anonymity" in surveys.anonymity_lock(survey_id)
    with pytest.raises(ValidationError, match="promise of anonymity"):
        surveys.update_settings(org.lead, survey_id, opening_text="x", anonymous=False, prereading_ids=[])
    answers.submit(org.member, survey_id, now=NOW)
    with pytest.raises(ValidationError, match="Anonymity is locked: 1 answer arrived"):
        surveys.update_settings(org.lead, survey_id, opening_text="x", anonymous=False, prereading_ids=[])
    # Other settings still change while anonymity stays as it is.
    surveys.update_settings(org.lead, survey_id, opening_text="Still anonymous", anonymous=True, prereading_ids=[])
    assert surveys.get(survey_id)["opening_text"] == "Still anonymous"


def test_named_survey_locks_anonymity_once_the_first_answer_arrives(planned):
    org, survey_id, _ = planned
    answers.save_concern(org.member, survey_id, {"title": "Worried"}, now=NOW)
    assert surveys.anonymity_lock(survey_id) == ""  # drafts of a named survey may still become anonymous
    answers.submit(org.member, survey_id, now=NOW)
    with pytest.raises(ValidationError, match="Anonymity is locked"):
        surveys.update_settings(org.lead, survey_id, opening_text="", anonymous=True, prereading_ids=[])
    assert surveys.get(survey_id)["anonymous"] is False


def test_an_answer_arriving_while_the_lead_saves_still_locks_anonymity(planned, monkeypatch):
    org, survey_id, _ = planned
    checked = surveys.anonymity_lock

    def answer_arrives_right_after_the_check(found_id):
        monkeypatch.setattr(surveys, "anonymity_lock", checked)
        reason = checked(found_id)
        answers.save_concern(org.member, survey_id, {"title": "Just in time"}, now=NOW)
        answers.submit(org.member, survey_id, now=NOW)
        return reason

    monkeypatch.setattr(surveys, "anonymity_lock", answer_arrives_right_after_the_check)
    with pytest.raises(ValidationError, match="Anonymity is locked: 1 answer arrived"):
        surveys.update_settings(org.lead, survey_id, opening_text="", anonymous=True, prereading_ids=[])
    assert surveys.get(survey_id)["anonymous"] is False  # the named answer is not presented as anonymous


def test_outsiders_cannot_see_the_survey(planned):
    org, survey_id, _ = planned
    for actor in (org.outsider, org.stranger, org.admin):
        with pytest.raises(PermissionDenied):
            surveys.survey(actor, survey_id)
    assert surveys.survey(org.manager, survey_id)["id"] == survey_id
    with pytest.raises(PermissionDenied):
        surveys.find(org.outsider, org.growth, org.next_quarter)


def test_home_lists_surveys_owed_with_deadlines(planned, monkeypatch):
    org, survey_id, _ = planned
    owed = participation.owed_surveys(org.member, now=NOW)
    assert [o["query_params"] for o in owed] == [{"survey": "Growth · 2027-Q1"}]  # the picker's label
    assert owed[0]["due"] == DEADLINE.date() and "Closes in 7 days" in owed[0]["detail"]
    assert owed[0]["action"] == "Answer the survey"
    answers.save_concern(org.member, survey_id, {"title": "Worried"}, now=NOW)
    assert participation.owed_surveys(org.member, now=NOW)[0]["action"] == "Continue your draft"
    answers.submit(org.member, survey_id, now=NOW)
    assert participation.owed_surveys(org.member, now=NOW) == []
    assert participation.owed_surveys(org.member2, now=DEADLINE) == []  # closed: nothing owed any more
    assert participation.owed_surveys(org.outsider, now=NOW) == []
    # Registered with Home.
    for module in (surveys, participation):
        monkeypatch.setattr(module, "clock", lambda now=None: now or NOW)
    assert any(item["page"] == "pages/survey.py" for item in home.owed_by(org.member2))


def test_home_tells_a_lead_to_open_the_planning_survey(org):
    owed = participation.surveys_to_open(org.lead)
    assert [(o["page"], o["query_params"]) for o in owed] == [
        ("pages/survey_manage.py", {"team": "Growth", "quarter": org.next_quarter})]
    assert "Open a survey for 2027-Q1" in owed[0]["what"]
    assert participation.surveys_to_open(org.member) == []
    open_growth_survey(org)
    assert participation.surveys_to_open(org.lead) == []
    assert not [i for i in home.owed_by(org.lead) if i["page"] == "pages/survey_manage.py"]


def test_member_surveys_lists_open_ones_first(planned):
    org, survey_id, _ = planned
    listed = participation.member_surveys(org.member, now=NOW)
    assert [(s["id"], s["state"], s["my_status"]) for s in listed] == [(survey_id, "open", "not_started")]
    assert participation.member_surveys(org.stranger, now=NOW) == []
    later = participation.member_surveys(org.member, now=DEADLINE + dt.timedelta(days=1))
    assert [s["state"] for s in later] == ["closed"]  # still shown (read-only) for the planning quarter
