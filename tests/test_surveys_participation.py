"""Anonymity (no person id reaches answers or ideas) and participation (who answered, never what anonymous people
wrote): lists, rate, reminder text, who may see it."""

import datetime as dt
import json

import pytest

from okrdash import db, surveys
from okrdash import survey_answers as answers
from okrdash import survey_participation as participation
from okrdash.errors import PermissionDenied, ValidationError
from tests.survey_fixtures import DEADLINE, NOW, add_strategy, answer_with_ideas, live_ideas, open_growth_survey


def json_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()


@pytest.fixture
def anonymous(org):
    add_strategy(org.next_quarter)
    return org, open_growth_survey(org, anonymous=True)


def test_anonymous_answer_and_ideas_carry_no_person(anonymous):
    org, survey_id = anonymous
    answer_with_ideas(org.member, survey_id, now=NOW + dt.timedelta(hours=3, minutes=17))
    assert db.scalar("SELECT count(*) FROM survey_drafts WHERE person_id = ?", [org.member.person_id]) == 1
    result = answers.submit(org.member, survey_id, now=NOW + dt.timedelta(hours=3, minutes=17))
    answer = db.row("SELECT * FROM survey_answers WHERE id = ?", [result["answer_id"]])
    assert answer["person_id"] is None
    ideas = live_ideas(survey_id)
    assert len(ideas) == 4
    assert all(i["author_id"] is None and i["anonymous"] for i in ideas)
    # No way back to the person: the draft is gone, the payload names nobody, and times are kept to the day.
    assert db.scalar("SELECT count(*) FROM survey_drafts") == 0
    text = answer["payload"]
    assert org.member.name not in text and org.member.email not in text
    assert json_keys(json.loads(text)) == {"objectives", "title", "problem", "why_now", "strategy_item_id",
                                           "key_results", "metric", "unit", "baseline", "target", "deprioritize",
                                           "why", "concerns"}
    assert answer["submitted_at"] == answer["updated_at"] == dt.datetime(2026, 11, 20)
    assert {i["created_at"] for i in ideas} == {dt.datetime(2026, 11, 20)}
    row = db.row("SELECT status, submitted_at FROM survey_participation WHERE person_id = ?", [org.member.person_id])
    assert row == {"status": "submitted", "submitted_at": None}
    # Nothing in the answer or idea tables holds the person's id in any column.
    for table in ("survey_answers", "ideas"):
        for record in db.rows(f"SELECT * FROM {table}"):
            assert org.member.person_id not in [v for k, v in record.items() if k.endswith(("person_id", "author_id"))]


def test_an_anonymous_answer_cannot_be_edited_or_sent_twice(anonymous):
    org, survey_id = anonymous
    answer_with_ideas(org.member, survey_id)
    answers.submit(org.member, survey_id, now=NOW)
    mine = answers.my_answer(org.member, survey_id, now=NOW)
    assert mine["status"] == "submitted" and not mine["editable"] and not mine["can_submit"]
    assert mine["payload"]["objectives"] == []  # detached: the person cannot even read it back
    with pytest.raises(ValidationError, match="no longer linked to you"):
        answers.save_concern(org.member, survey_id, {"title": "one more"}, now=NOW)
    assert answers.submit(org.member, survey_id, now=NOW)["already"]
    with pytest.raises(ValidationError, match="nothing to discard"):
        answers.discard_changes(org.member, survey_id)
    assert db.scalar("SELECT count(*) FROM survey_answers") == 1


def test_anonymous_participation_shows_who_answered_but_not_what_or_when(anonymous):
    org, survey_id = anonymous
    answer_with_ideas(org.member, survey_id)
    answers.submit(org.member, survey_id, now=NOW)
    # Even if a timestamp is stored (older data, the demo), participation never shows when.
    db.execute("UPDATE survey_participation SET submitted_at = ?", [NOW])
    answers.save_concern(org.member2, survey_id, {"title": "Drafting"}, now=NOW + dt.timedelta(hours=1))
    facts = participation.participation(org.lead, survey_id, now=NOW)
    assert [(p["name"], p["when"]) for p in facts["answered"]] == [("Mia Member", None)]
    assert [(p["name"], p["when"]) for p in facts["drafting"]] == [("Max Member", None)]  # nor last saved
    assert "payload" not in json.dumps(facts, default=str)
    assert facts["ideas"] is None  # counts would jump right after one person's answer
    history = participation.team_history(org.lead, org.growth)
    assert history[0]["ideas"] is None and history[0]["answered"] == 1
    surveys.close(org.lead, survey_id, now=NOW + dt.timedelta(hours=1))
    assert participation.participation(org.lead, survey_id, now=NOW + dt.timedelta(hours=2))["ideas"] == {
        "objective": 1, "key_result": 1, "deprioritize": 1, "concern": 1}


def test_participation_counts_rate_and_lists(org):
    add_strategy(org.next_quarter)
    survey_id = open_growth_survey(org)
    answer_with_ideas(org.member, survey_id)
    answers.submit(org.member, survey_id, now=NOW)
    answers.save_concern(org.member2, survey_id, {"title": "Drafting"}, now=NOW + dt.timedelta(hours=1))
    facts = participation.participation(org.lead, survey_id, now=NOW)
    assert facts["total"] == 3 and facts["rate"] == pytest.approx(1 / 3)
    assert [(p["name"], p["when"]) for p in facts["answered"]] == [("Mia Member", NOW)]
    assert [(p["name"], p["when"]) for p in facts["drafting"]] == [("Max Member", NOW + dt.timedelta(hours=1))]
    assert [p["name"] for p in facts["not_started"]] == ["Lee Lead"]
    assert [p["name"] for p in facts["owing"]] == ["Max Member", "Lee Lead"]
    assert facts["ideas"] == {"objective": 1, "key_result": 1, "deprioritize": 1, "concern": 1}


def test_a_person_who_left_the_team_still_counts_apart(org):
    add_strategy(org.next_quarter)
    survey_id = open_growth_survey(org)
    answers.save_concern(org.member2, survey_id, {"title": "Bye"}, now=NOW)
    answers.submit(org.member2, survey_id, now=NOW)
    db.execute("DELETE FROM memberships WHERE person_id = ?", [org.member2.person_id])
    facts = participation.participation(org.lead, survey_id, now=NOW)
    assert facts["total"] == 2 and facts["answered"] == [] and facts["former_answers"] == 1


def test_lead_and_managers_of_the_subtree_see_participation_others_do_not(org):
    survey_id = open_growth_survey(org)
    assert participation.participation(org.lead, survey_id, now=NOW)["total"] == 3
    assert participation.participation(org.manager, survey_id, now=NOW)["total"] == 3  # manages Product → Growth
    for who in ("member", "member2", "outsider", "stranger", "admin"):
        with pytest.raises(PermissionDenied, match="Only the lead of Growth and managers above it"):
            participation.participation(getattr(org, who), survey_id, now=NOW)
        with pytest.raises(PermissionDenied):
            participation.team_history(getattr(org, who), org.growth)
    # Managers read, never run the survey.
    with pytest.raises(PermissionDenied):
        surveys.close(org.manager, survey_id, now=NOW)


def test_teams_a_lead_or_manager_follows(org):
    assert [t["name"] for t in participation.manageable_teams(org.lead)] == ["Growth"]
    assert [t["name"] for t in participation.manageable_teams(org.manager)] == ["Core", "Growth"]  # not empty Product
    assert participation.manageable_teams(org.member) == []
    assert participation.manageable_teams(org.stranger) == []  # Sales has no members


def test_reminder_text_names_who_still_owes_an_answer(org):
    add_strategy(org.next_quarter)
    survey_id = open_growth_survey(org)
    answers.save_concern(org.member2, survey_id, {"title": "Drafting"}, now=NOW)
    text = participation.reminder_text(org.lead, survey_id, link="http://okr.example/survey?survey=1", now=NOW)
    assert text.startswith("Hi Max and Mia,")  # the lead writing it is not reminded
    assert "closes in 7 days (Fri 27 Nov 2026 at 17:00)" in text
    assert "Nobody has answered yet" in text
    assert "Max: your draft is saved" in text
    assert "http://okr.example/survey?survey=1" in text and text.endswith("Lee Lead")
    # A manager copying it signs it and reminds the lead too.
    assert participation.reminder_text(org.manager, survey_id, now=NOW).startswith("Hi Max, Lee and Mia,")
    answers.save_concern(org.lead, survey_id, {"title": "x"}, now=NOW)
    answers.submit(org.lead, survey_id, now=NOW)
    assert "So far 1 of 3 of us has answered." in participation.reminder_text(org.manager, survey_id, now=NOW)
    answers.submit(org.member2, survey_id, now=NOW)
    answers.save_concern(org.member, survey_id, {"title": "x"}, now=NOW)
    answers.submit(org.member, survey_id, now=NOW)
    assert participation.reminder_text(org.lead, survey_id, now=NOW) == ""  # only the lead left: nobody to remind
    assert participation.reminder_text(org.manager, survey_id, now=DEADLINE) == ""  # closed: nothing to remind


def test_anonymous_reminder_says_so(anonymous):
    org, survey_id = anonymous
    assert "Answers are anonymous" in participation.reminder_text(org.lead, survey_id, now=NOW)


def test_team_history_lists_every_survey(org):
    survey_id = open_growth_survey(org)
    answers.save_concern(org.member, survey_id, {"title": "x"}, now=NOW)
    answers.submit(org.member, survey_id, now=NOW)
    history = participation.team_history(org.manager, org.growth)
    assert [(h["quarter"], h["answered"], h["ideas"]) for h in history] == [("2027-Q1", 1, 1)]
