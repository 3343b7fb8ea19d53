"""A member's answer: draft on every edit → submit → edit and resubmit; ideas written; permissions; bad input."""

import datetime as dt
import json

import pytest

from okrdash import db, fmt, ideas, rounds
from okrdash import survey_answers as answers
from okrdash import survey_payload as payload_rules
from okrdash.errors import NotFound, PermissionDenied, ValidationError
from tests.survey_fixtures import DEADLINE, NOW, XSS, answer_with_ideas, live_ideas, make_planned


@pytest.fixture
def planned(org):
    return make_planned(org)


def test_every_edit_is_saved_as_a_draft(planned):
    org, survey_id, items = planned
    key = answers.save_objective(org.member, survey_id, {"title": "Grow", "strategy_item_id": items["win"]}, now=NOW)
    # A "reload" is a fresh read: everything is there, with the same keys.
    mine = answers.my_answer(org.member, survey_id, now=NOW)
    assert mine["status"] == "draft" and mine["editable"] and mine["can_submit"]
    assert mine["draft_saved_at"] == NOW
    assert [(o["key"], o["title"], o["strategy_item_id"]) for o in mine["payload"]["objectives"]] == [
        (key, "Grow", items["win"])]
    answers.save_key_result(org.member, survey_id, key, {"title": "KR", "baseline": "1,200", "target": "12 %"},
                            now=NOW)
    answers.save_objective(org.member, survey_id, {"title": "Grow faster", "problem": "p"}, key=key, now=NOW)
    draft = answers.my_answer(org.member, survey_id, now=NOW)["payload"]
    assert draft["objectives"][0]["title"] == "Grow faster"
    assert draft["objectives"][0]["key_results"][0]["baseline"] == 1200.0
    assert draft["objectives"][0]["key_results"][0]["target"] == 12.0
    assert db.scalar("SELECT status FROM survey_participation WHERE person_id = ?", [org.member.person_id]) == "draft"
    assert db.scalar("SELECT count(*) FROM survey_answers") == 0  # nothing reaches the lead before submitting


def test_submit_writes_one_answer_and_its_ideas(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    result = answers.submit(org.member, survey_id, now=NOW)
    assert result["ideas"] == 4 and not result["already"] and not result["resubmitted"]
    ideas = live_ideas(survey_id)
    assert [i["kind"] for i in ideas] == ["objective", "key_result", "deprioritize", "concern"]
    objective, kr, deprioritize, concern = ideas
    assert kr["parent_id"] == objective["id"] and objective["parent_id"] is None
    assert (kr["metric"], kr["unit"], kr["baseline"], kr["target"]) == ("share", "%", 38.0, 60.0)
    assert deprioritize["reason"] == "No objective needs it" and concern["title"] == "Capacity is thin"
    assert {i["author_id"] for i in ideas} == {org.member.person_id}
    assert {i["source"] for i in ideas} == {"survey"} and not any(i["anonymous"] for i in ideas)
    assert {i["answer_id"] for i in ideas} == {result["answer_id"]}
    answer = db.row("SELECT person_id, payload FROM survey_answers WHERE id = ?", [result["answer_id"]])
    assert answer["person_id"] == org.member.person_id
    stored = json.loads(answer["payload"])
    assert stored == {"objectives": [{"title": "Grow activation", "problem": "Trials stall",
                                      "why_now": "Pricing changed", "strategy_item_id": None,
                                      "key_results": [{"title": "Trials invoicing in week 1", "metric": "share",
                                                       "unit": "%", "baseline": 38.0, "target": 60.0}]}],
                      "deprioritize": [{"title": "Dark mode", "why": "No objective needs it"}],
                      "concerns": [{"title": "Capacity is thin"}]}
    mine = answers.my_answer(org.member, survey_id, now=NOW)
    assert mine["status"] == "submitted" and not mine["unsent_changes"] and not mine["can_submit"]
    assert db.scalar("SELECT count(*) FROM survey_drafts") == 0


def test_submit_twice_is_one_answer(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    first = answers.submit(org.member, survey_id, now=NOW)
    second = answers.submit(org.member, survey_id, now=NOW)
    assert second["already"] and second["ideas"] == 0
    assert db.scalar("SELECT count(*) FROM survey_answers") == 1
    assert len(live_ideas(survey_id)) == 4 and first["answer_id"]


def test_edit_and_resubmit_updates_the_ideas_in_place(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    first = answers.submit(org.member, survey_id, now=NOW)
    old_ids = [i["id"] for i in live_ideas(survey_id)]
    later = NOW + dt.timedelta(days=1)
    # The form starts from the submitted answer; a change is a draft until resubmitted.
    mine = answers.my_answer(org.member, survey_id, now=later)
    assert mine["editable"] and mine["payload"]["objectives"][0]["title"] == "Grow activation"
    answers.save_objective(org.member, survey_id, {"title": "Grow activation in week one"},
                           key=mine["payload"]["objectives"][0]["key"], now=later)
    mine = answers.my_answer(org.member, survey_id, now=later)
    assert mine["unsent_changes"] and mine["can_submit"] and mine["status"] == "submitted"
    result = answers.submit(org.member, survey_id, now=later)
    assert result["resubmitted"] and result["answer_id"] == first["answer_id"] and result["ideas"] == 4
    ideas = live_ideas(survey_id)
    assert ideas[0]["title"] == "Grow activation in week one" and [i["id"] for i in ideas] == old_ids
    assert db.scalar("SELECT count(*) FROM survey_answers") == 1
    assert db.scalar("SELECT count(*) FROM ideas WHERE deleted_at IS NOT NULL") == 0
    assert db.scalar("SELECT updated_at FROM survey_answers") == later


def resubmit(org, survey_id, change, when=NOW + dt.timedelta(days=1)):
    """Edit the submitted answer of org.member (`change(payload)` calls the library) and resubmit it."""
    change(answers.my_answer(org.member, survey_id, now=when)["payload"])
    return answers.submit(org.member, survey_id, now=when)


def test_resubmitting_keeps_what_the_workshop_did_with_the_ideas(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id, title="Grow activation")
    answers.save_objective(org.member, survey_id, {"title": "Self-serve import"}, now=NOW)
    answers.submit(org.member, survey_id, now=NOW)
    answer_with_ideas(org.member2, survey_id, title="Activation first")
    answers.submit(org.member2, survey_id, now=NOW)
    by_title = {i["title"]: i["id"] for i in live_ideas(survey_id) if i["kind"] == "objective"}
    merged = ideas.merge(org.lead, [by_title["Grow activation"], by_title["Activation first"]], "Activation",
                         now=NOW)
    standing = {i["id"] for i in ideas.objective_ideas(org.lead, org.growth, org.next_quarter, None)}
    when = NOW + dt.timedelta(days=1)

    def change(payload):
        grow, _ = payload["objectives"]
        answers.save_objective(org.member, survey_id, {"title": "Grow activation in week one"}, key=grow["key"],
                               now=when)
        answers.save_key_result(org.member, survey_id, grow["key"], {"title": "Day-one invoices"}, now=when)
        answers.remove_item(org.member, survey_id, payload["concerns"][0]["key"], now=when)

    resubmit(org, survey_id, change)
    grow = ideas.get(by_title["Grow activation"])
    assert grow["title"] == "Grow activation in week one" and grow["merged_into"] == merged  # same idea, reworded
    assert {i["id"] for i in ideas.objective_ideas(org.lead, org.growth, org.next_quarter, None)} == standing
    merged_idea = next(i for i in ideas.objective_ideas(org.lead, org.growth, org.next_quarter, None)
                       if i["id"] == merged)
    assert "Day-one invoices" in [k["title"] for k in merged_idea["key_results"]]  # joins the idea it belongs to
    assert db.scalar("SELECT count(*) FROM ideas WHERE kind = 'concern' AND deleted_at IS NULL") == 1  # Max's


def test_what_the_workshop_decided_on_cannot_change_under_it(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id, title="Grow activation")
    answers.save_objective(org.member, survey_id, {"title": "Self-serve import"}, now=NOW)
    answers.submit(org.member, survey_id, now=NOW)
    grow, _ = (i["id"] for i in live_ideas(survey_id) if i["kind"] == "objective")
    ideas.merge(org.lead, [grow, ideas.add(org.lead, org.growth, org.next_quarter, title="Activation", now=NOW)],
                "Activation", now=NOW)
    rounds.open_round(org.lead, org.growth, org.next_quarter, methods=["dot"], now=NOW)
    before = db.rows("SELECT * FROM ideas ORDER BY id")
    with pytest.raises(ValidationError, match="“Grow activation” is already merged with other ideas in the "
                                              "workshop, so it can no longer be taken out of your answer"):
        resubmit(org, survey_id, lambda p: answers.remove_item(org.member, survey_id, p["objectives"][0]["key"],
                                                               now=NOW))
    answers.discard_changes(org.member, survey_id, now=NOW)
    with pytest.raises(ValidationError, match="“Self-serve import” is already on the ballot of a ranking round"):
        resubmit(org, survey_id, lambda p: answers.save_objective(org.member, survey_id, {"title": "Import"},
                                                                  key=p["objectives"][1]["key"], now=NOW))
    assert db.rows("SELECT * FROM ideas ORDER BY id") == before  # nothing changed, the draft is kept
    assert answers.my_answer(org.member, survey_id, now=NOW)["unsent_changes"]


def test_answers_stored_before_item_keys_are_matched_by_order(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    answers.submit(org.member, survey_id, now=NOW)
    db.execute("UPDATE ideas SET item_key = NULL")  # as older data and the demo store them
    old_ids = [i["id"] for i in live_ideas(survey_id)]
    resubmit(org, survey_id, lambda p: answers.save_concern(org.member, survey_id, {"title": "Reworded"},
                                                            key=p["concerns"][0]["key"], now=NOW))
    assert [(i["id"], i["title"]) for i in live_ideas(survey_id)][-1] == (old_ids[-1], "Reworded")
    assert [i["id"] for i in live_ideas(survey_id)] == old_ids


def test_resubmitting_without_changes_changes_nothing(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    answers.submit(org.member, survey_id, now=NOW)
    key = answers.my_answer(org.member, survey_id, now=NOW)["payload"]["concerns"][0]["key"]
    removed = answers.remove_item(org.member, survey_id, key, now=NOW)
    answers.restore_item(org.member, survey_id, removed, now=NOW)
    assert not answers.my_answer(org.member, survey_id, now=NOW)["unsent_changes"]
    assert answers.submit(org.member, survey_id, now=NOW)["already"]
    assert db.scalar("SELECT count(*) FROM ideas WHERE deleted_at IS NOT NULL") == 0


def test_discard_unsent_changes(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    answers.submit(org.member, survey_id, now=NOW)
    answers.save_concern(org.member, survey_id, {"title": "Another worry"}, now=NOW)
    assert answers.my_answer(org.member, survey_id, now=NOW)["unsent_changes"]
    with pytest.raises(ValidationError, match=r"answers can no longer be submitted or changed\. Your draft is kept"):
        answers.discard_changes(org.member, survey_id, now=DEADLINE)  # after the deadline drafts are kept
    assert answers.my_answer(org.member, survey_id, now=DEADLINE)["unsent_changes"]
    answers.discard_changes(org.member, survey_id, now=NOW)
    mine = answers.my_answer(org.member, survey_id, now=NOW)
    assert not mine["unsent_changes"] and len(mine["payload"]["concerns"]) == 1


def test_remove_and_undo(planned):
    org, survey_id, _ = planned
    key = answer_with_ideas(org.member, survey_id)
    removed = answers.remove_item(org.member, survey_id, key, now=NOW)  # takes its KR idea with it
    assert removed["section"] == "objectives" and len(removed["item"]["key_results"]) == 1
    assert answers.my_answer(org.member, survey_id, now=NOW)["payload"]["objectives"] == []
    answers.restore_item(org.member, survey_id, removed, now=NOW)
    answers.restore_item(org.member, survey_id, removed, now=NOW)  # a double click restores once
    objectives = answers.my_answer(org.member, survey_id, now=NOW)["payload"]["objectives"]
    assert [o["key"] for o in objectives] == [key] and len(objectives[0]["key_results"]) == 1
    kr_key = objectives[0]["key_results"][0]["key"]
    kr_removed = answers.remove_item(org.member, survey_id, kr_key, now=NOW)
    assert kr_removed["parent_key"] == key
    with pytest.raises(ValidationError, match="no longer in your draft"):
        answers.remove_item(org.member, survey_id, kr_key, now=NOW)


def test_carry_over_last_quarters_deprioritized_items(planned):
    org, survey_id, _ = planned
    with db.transaction() as cur:
        for team, quarter, title in [(org.growth, org.quarter, "Dark mode"), (org.growth, org.quarter, "Tablets"),
                                     (org.core, org.quarter, "Core only"), (org.growth, "2026-Q3", "Too old")]:
            cur.execute("""INSERT INTO deprioritized (id, team_id, quarter, title, reason)
                           VALUES (nextval('seq_deprioritized'), ?, ?, ?, 'Not this quarter')""",
                        [team, quarter, title])
    offers = answers.carry_over_candidates(org.member, survey_id)
    assert [o["title"] for o in offers] == ["Dark mode", "Tablets"]
    answers.carry_over(org.member, survey_id, offers[0]["id"], "objectives", now=NOW)
    answers.carry_over(org.member, survey_id, offers[1]["id"], "deprioritize", now=NOW)
    with pytest.raises(ValidationError, match="already in your answer"):
        answers.carry_over(org.member, survey_id, offers[1]["id"], "objectives", now=NOW)
    core_item = db.scalar("SELECT id FROM deprioritized WHERE title = 'Core only'")
    with pytest.raises(NotFound):
        answers.carry_over(org.member, survey_id, core_item, "objectives", now=NOW)
    draft = answers.my_answer(org.member, survey_id, now=NOW)["payload"]
    assert payload_rules.carried(draft) == {offers[0]["id"]: "objectives", offers[1]["id"]: "deprioritize"}
    answers.submit(org.member, survey_id, now=NOW)
    ideas = live_ideas(survey_id)
    assert [(i["kind"], i["title"], i["source"], i["reason"]) for i in ideas] == [
        ("objective", "Dark mode", "carried_over", ""), ("deprioritize", "Tablets", "carried_over", "Not this quarter")]


@pytest.mark.parametrize("who", ["outsider", "manager", "stranger", "admin"])
def test_only_members_of_the_team_answer(planned, who):
    org, survey_id, _ = planned
    actor = getattr(org, who)
    with pytest.raises(PermissionDenied, match="Only members of Growth may answer its survey"):
        answers.save_objective(actor, survey_id, {"title": "Sneaky"}, now=NOW)
    with pytest.raises(PermissionDenied):
        answers.submit(actor, survey_id, now=NOW)
    with pytest.raises(PermissionDenied):
        answers.my_answer(actor, survey_id, now=NOW)
    assert db.scalar("SELECT count(*) FROM survey_drafts") == 0


def test_the_lead_answers_too(planned):
    org, survey_id, _ = planned
    answers.save_concern(org.lead, survey_id, {"title": "Leads worry as well"}, now=NOW)
    assert answers.submit(org.lead, survey_id, now=NOW)["ideas"] == 1


def test_members_never_read_each_others_drafts(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    assert answers.my_answer(org.member2, survey_id, now=NOW)["payload"] == payload_rules.empty()


# ---- bad input ----


def test_empty_answer_is_refused_with_a_clear_message(planned):
    org, survey_id, _ = planned
    with pytest.raises(ValidationError, match="Your answer is empty"):
        answers.submit(org.member, survey_id, now=NOW)
    key = answers.save_concern(org.member, survey_id, {"title": "x"}, now=NOW)
    answers.remove_item(org.member, survey_id, key, now=NOW)
    with pytest.raises(ValidationError, match="Your answer is empty"):
        answers.submit(org.member, survey_id, now=NOW)
    assert db.scalar("SELECT count(*) FROM survey_answers") == 0


@pytest.mark.parametrize(("save", "fields", "message"), [
    ("save_objective", {"title": "  "}, "The objective idea's title is required"),
    ("save_objective", {"title": "x" * 201}, "limit is 200"),
    ("save_objective", {"title": "ok", "problem": "p" * 10_240}, "The problem it solves is 10,240 characters long"),
    ("save_objective", {"title": "ok", "why_now": "w" * 10_240}, "limit is 4,000"),
    ("save_objective", {"title": "ok", "strategy_item_id": 999}, "not part of this quarter's strategy"),
    ("save_deprioritize", {"title": "ok", "why": "w" * 10_240}, "limit is 4,000"),
    ("save_concern", {"title": ""}, "The risk or concern is required"),
    ("save_concern", {"title": "c" * 10_240}, "limit is 1,000"),
])
def test_bad_fields_are_refused_and_nothing_is_saved(planned, save, fields, message):
    org, survey_id, _ = planned
    with pytest.raises(ValidationError, match=message):
        getattr(answers, save)(org.member, survey_id, fields, now=NOW)
    assert db.scalar("SELECT count(*) FROM survey_drafts") == 0


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": ""}, "The key-result idea's title is required"),
    ({"title": "ok", "baseline": "lots"}, "Baseline must be a number"),
    ({"title": "ok", "target": "inf"}, "Target must be a finite number"),
    ({"title": "ok", "unit": "u" * 21}, "limit is 20"),
    ({"title": "ok", "metric": "m" * 10_240}, "limit is 200"),
])
def test_bad_key_result_ideas_are_refused(planned, fields, message):
    org, survey_id, _ = planned
    key = answers.save_objective(org.member, survey_id, {"title": "Grow"}, now=NOW)
    with pytest.raises(ValidationError, match=message):
        answers.save_key_result(org.member, survey_id, key, fields, now=NOW)
    assert answers.my_answer(org.member, survey_id, now=NOW)["payload"]["objectives"][0]["key_results"] == []


def test_emoji_rtl_and_html_are_stored_as_typed(planned):
    org, survey_id, _ = planned
    title = f"🚀 Grow שלום مرحبا {XSS}"
    key = answers.save_objective(org.member, survey_id, {"title": title, "problem": f"**{XSS}**\nline two"}, now=NOW)
    answers.save_key_result(org.member, survey_id, key, {"title": "📈 تحسين", "unit": "€"}, now=NOW)
    answers.submit(org.member, survey_id, now=NOW)
    objective, kr = live_ideas(survey_id)
    assert objective["title"] == title and objective["problem"] == f"**{XSS}**\nline two"
    assert (kr["title"], kr["unit"]) == ("📈 تحسين", "€")
    shown = fmt.plain(objective["title"])
    assert "\\<img" in shown and "<img" not in shown.replace("\\<img", "")


def test_too_many_items_are_refused(planned):
    org, survey_id, _ = planned
    for n in range(payload_rules.MAX_ITEMS["concerns"]):
        answers.save_concern(org.member, survey_id, {"title": f"Concern {n}"}, now=NOW)
    with pytest.raises(ValidationError, match="at most 30 risks and concerns"):
        answers.save_concern(org.member, survey_id, {"title": "One too many"}, now=NOW)


def test_after_the_deadline_submit_is_refused_and_the_draft_kept(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    before = db.scalar("SELECT payload FROM survey_drafts")
    with pytest.raises(ValidationError, match=r"closed on Fri 27 Nov 2026 at 17:00.*Your draft is kept.*Lee Lead"):
        answers.submit(org.member, survey_id, now=DEADLINE)
    with pytest.raises(ValidationError, match="answers can no longer be submitted or changed"):
        answers.save_concern(org.member, survey_id, {"title": "late"}, now=DEADLINE + dt.timedelta(hours=1))
    assert db.scalar("SELECT payload FROM survey_drafts") == before
    assert db.scalar("SELECT count(*) FROM survey_answers") == 0
    mine = answers.my_answer(org.member, survey_id, now=DEADLINE)
    assert not mine["editable"] and not mine["can_submit"] and mine["payload"]["objectives"]


def test_after_the_deadline_a_submitted_answer_is_read_only(planned):
    org, survey_id, _ = planned
    answer_with_ideas(org.member, survey_id)
    answers.submit(org.member, survey_id, now=NOW)
    mine = answers.my_answer(org.member, survey_id, now=DEADLINE)
    assert mine["status"] == "submitted" and not mine["editable"]
    with pytest.raises(ValidationError, match="closed"):
        answers.save_concern(org.member, survey_id, {"title": "late"}, now=DEADLINE)


def test_strategy_links_that_vanished_become_unlinked_on_submit(planned):
    org, survey_id, items = planned
    answers.save_objective(org.member, survey_id, {"title": "Grow", "strategy_item_id": items["paid"]}, now=NOW)
    db.execute("DELETE FROM survey_prereading WHERE strategy_item_id = ?", [items["paid"]])
    db.execute("DELETE FROM strategy_items WHERE id = ?", [items["paid"]])
    answers.submit(org.member, survey_id, now=NOW)
    assert live_ideas(survey_id)[0]["strategy_item_id"] is None
