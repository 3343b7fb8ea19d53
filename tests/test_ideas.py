"""Consolidation: ideas added live, suggested duplicates, merge and undo (exactly), provenance, permissions."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import (
    context,
    db,
    ideas,
    objectives,
    quarters,
    rounds,
    similarity,
    strategy,
    surveys,
    validate,
    voice,
    workshop,
)
from okrdash import survey_answers as answers
from okrdash.errors import Conflict, PermissionDenied, ValidationError
from tests.survey_fixtures import answer_with_ideas, open_growth_survey

NOW = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def room(org):
    """Growth's ideas for next quarter: two near-duplicates (one with a KR idea), one distinct idea."""
    q = org.next_quarter
    a = ideas.create(org.growth, q, "Cut time to first invoice", problem="Trials never invoice",
                     author_id=org.member.person_id)
    b = ideas.create(org.growth, q, "Reduce time to first invoice for new accounts", problem="Trials never invoice",
                     author_id=org.member2.person_id)
    kr = ideas.create(org.growth, q, "Median hours to first invoice", kind="key_result", parent_id=b,
                      author_id=org.member2.person_id, baseline=52, target=12, unit="h")
    c = ideas.create(org.growth, q, "Dark mode for the mobile app", problem="People ask for it",
                     author_id=org.lead.person_id)
    return {"q": q, "a": a, "b": b, "kr": kr, "c": c}


def standing(org, q):
    return {i["id"]: i for i in ideas.objective_ideas(org.member, org.growth, q)}


def test_members_add_ideas_live_and_everyone_in_the_team_reads_them(org, room):
    new = ideas.add(org.member, org.growth, room["q"], title="  Self-serve import  ", problem="Typing by hand",
                    now=NOW)
    found = standing(org, room["q"])[new]
    assert found["title"] == "Self-serve import" and found["source"] == "workshop"
    assert found["authors"] == ["Mia Member"]
    assert set(standing(org, room["q"])) == {room["a"], room["b"], room["c"], new}
    assert ideas.objective_ideas(org.manager, org.growth, room["q"])  # managers above the team may read


@pytest.mark.parametrize("who", ["outsider", "manager", "stranger"])
def test_people_outside_the_team_may_not_add_ideas(org, room, who):
    with pytest.raises(PermissionDenied, match="Only members of Growth"):
        ideas.add(getattr(org, who), org.growth, room["q"], title="Sneaky", now=NOW)


def test_outsiders_may_not_read_the_ideas(org, room):
    for who in (org.outsider, org.stranger):
        with pytest.raises(PermissionDenied, match="Only members of Growth and managers above it"):
            ideas.objective_ideas(who, org.growth, room["q"])


@pytest.mark.parametrize(("title", "message"), [("   ", "Idea title is required"),
                                                 ("x" * (validate.TITLE_MAX + 1), "limit is 200")])
def test_empty_and_oversized_titles_are_refused_and_nothing_is_stored(org, room, title, message):
    before = db.scalar("SELECT count(*) FROM ideas")
    with pytest.raises(ValidationError, match=message):
        ideas.add(org.member, org.growth, room["q"], title=title, now=NOW)
    assert db.scalar("SELECT count(*) FROM ideas") == before


def test_an_ended_quarter_can_no_longer_change(org):
    past = quarters.previous(org.quarter)
    with pytest.raises(ValidationError, match="ended on"):
        ideas.add(org.member, org.growth, past, title="Too late", now=NOW)


def test_a_strategy_link_must_be_of_the_same_quarter(org, room):
    other = strategy.create(org.quarter, "company_objective", "Win the mid-market")
    with pytest.raises(ValidationError, match=f"belongs to {org.quarter}"):
        ideas.add(org.member, org.growth, room["q"], title="Linked", strategy_item_id=other, now=NOW)


def test_suggestions_group_near_duplicates(org, room):
    groups = ideas.suggestions(org.lead, org.growth, room["q"])
    assert [[i["id"] for i in g["ideas"]] for g in groups] == [[room["a"], room["b"]]]
    assert groups[0]["title"] in ("Cut time to first invoice", "Reduce time to first invoice for new accounts")
    assert ideas.suggestions(org.lead, org.growth, room["q"], threshold=100) == []


def test_similarity_groups_do_not_depend_on_input_order():
    items = [{"id": n, "title": t, "problem": ""} for n, t in enumerate(
        ["Calendar sync both ways", "Two-way calendar sync", "Route optimisation", "Optimise routes daily",
         "Dark mode"], start=1)]
    assert similarity.groups(items, 60) == similarity.groups(list(reversed(items)), 60)


def test_merge_creates_a_new_idea_keeping_every_author_words_and_kr_idea(org, room):
    result = ideas.merge(org.lead, [room["a"], room["b"]], "Get new accounts invoicing on day one", now=NOW)
    now_standing = standing(org, room["q"])
    assert set(now_standing) == {result, room["c"]}
    merged = now_standing[result]
    assert merged["source"] == "merge" and merged["title"] == "Get new accounts invoicing on day one"
    assert [c["id"] for c in merged["contributions"]] == [room["a"], room["b"]]
    assert merged["authors"] == ["Max Member", "Mia Member"]
    assert [k["id"] for k in merged["key_results"]] == [room["kr"]]  # KR ideas follow their objective idea
    assert merged["problem"] == "Trials never invoice"
    assert merged["merge_id"] == ideas.merge_id_of(result)
    assert db.scalar("SELECT count(*) FROM ideas WHERE merged_into = ?", [result]) == 2


def test_undo_restores_exactly(org, room):
    before = {i: (r["title"], r["merged_into"], r["deleted_at"]) for i, r in standing(org, room["q"]).items()}
    result = ideas.merge(org.lead, [room["a"], room["b"]], "Merged", now=NOW)
    merge_id = ideas.merge_id_of(result)
    ideas.undo_merge(org.lead, merge_id, now=NOW)
    after = {i: (r["title"], r["merged_into"], r["deleted_at"]) for i, r in standing(org, room["q"]).items()}
    assert after == before
    assert ideas.get(result)["deleted_at"] == NOW
    assert ideas.merges(org.lead, org.growth, room["q"])[0]["undone_at"] == NOW
    with pytest.raises(Conflict, match="already undone"):
        ideas.undo_merge(org.lead, merge_id, now=NOW)


def test_a_merge_of_a_merge_is_undone_outermost_first(org, room):
    inner = ideas.merge(org.lead, [room["a"], room["b"]], "Invoicing", now=NOW)
    outer = ideas.merge(org.lead, [inner, room["c"]], "Everything", now=NOW)
    assert [c["id"] for c in standing(org, room["q"])[outer]["contributions"]] == [room["a"], room["b"], room["c"]]
    with pytest.raises(Conflict, match="undo that merge first"):
        ideas.undo_merge(org.lead, ideas.merge_id_of(inner), now=NOW)
    ideas.undo_merge(org.lead, ideas.merge_id_of(outer), now=NOW)
    assert set(standing(org, room["q"])) == {inner, room["c"]}


def test_merge_is_for_the_lead_and_refuses_bad_requests(org, room):
    with pytest.raises(PermissionDenied, match="Only the lead of Growth may merge ideas"):
        ideas.merge(org.member, [room["a"], room["b"]], "Merged", now=NOW)
    with pytest.raises(ValidationError, match="at least two"):
        ideas.merge(org.lead, [room["a"]], "Merged", now=NOW)
    with pytest.raises(ValidationError, match="is required"):
        ideas.merge(org.lead, [room["a"], room["b"]], " ", now=NOW)
    elsewhere = ideas.create(org.core, room["q"], "Core idea")
    with pytest.raises(ValidationError, match="different teams"):
        ideas.merge(org.lead, [room["a"], elsewhere], "Merged", now=NOW)
    ideas.merge(org.lead, [room["a"], room["b"]], "Merged", now=NOW)
    with pytest.raises(Conflict, match="merged or removed meanwhile"):
        ideas.merge(org.lead, [room["a"], room["c"]], "Again", now=NOW)
    assert db.scalar("SELECT count(*) FROM idea_merges") == 1


def test_anonymous_ideas_never_show_their_author(org):
    q = org.next_quarter
    secret = ideas.create(org.growth, q, "Kill the legacy plan", author_id=org.member.person_id, anonymous=True)
    live = ideas.add(org.member2, org.growth, q, title="Anonymous live idea", anonymous=True, now=NOW)
    for idea_id in (secret, live):
        found = standing(org, q)[idea_id]
        assert found["authors"] == [] and found["anonymous_count"] == 1
        assert found["contributions"][0]["author"] is None and found["contributions"][0]["author_id"] is None
    assert db.scalar("SELECT author_id FROM ideas WHERE id = ?", [live]) is None


def test_remove_and_restore(org, room):
    own = ideas.add(org.member, org.growth, room["q"], title="Mine", now=NOW)
    ideas.remove(org.member, own, now=NOW)  # members may remove what they added live
    assert own not in standing(org, room["q"])
    ideas.restore(org.member, own, now=NOW)
    assert own in standing(org, room["q"])
    with pytest.raises(PermissionDenied, match="Only the lead of Growth may remove ideas"):
        ideas.remove(org.member, room["c"], now=NOW)
    ideas.remove(org.lead, room["c"], now=NOW)
    assert room["c"] not in standing(org, room["q"])


def test_only_merged_ideas_can_be_reworded(org, room):
    result = ideas.merge(org.lead, [room["a"], room["b"]], "Merged", now=NOW)
    ideas.rename(org.lead, result, "Invoicing on day one", now=NOW)
    assert ideas.get(result)["title"] == "Invoicing on day one"
    with pytest.raises(ValidationError, match="authors' words"):
        ideas.rename(org.lead, room["c"], "Mine now", now=NOW)


def test_voice_balance_shows_who_is_quiet_for_named_surveys_only(org, room):
    found = voice.balance(org.lead, org.growth, room["q"])
    by_name = {p["name"]: p for p in found["people"]}
    assert by_name["Mia Member"]["ideas"] == 1 and by_name["Lee Lead"]["ideas"] == 1
    assert found["quiet"] == []
    ideas.merge(org.lead, [room["a"], room["b"]], "Merged", now=NOW)  # merged ideas still count as contributions
    ideas.remove(org.lead, room["c"], now=NOW)  # removed ones do not
    by_name = {p["name"]: p for p in voice.balance(org.lead, org.growth, room["q"])["people"]}
    assert (by_name["Mia Member"]["ideas"], by_name["Max Member"]["ideas"], by_name["Lee Lead"]["ideas"]) == (1, 1, 0)
    ideas.create(org.growth, room["q"], "Another", author_id=org.member.person_id)
    with pytest.raises(PermissionDenied):
        voice.balance(org.member, org.growth, room["q"])
    db.execute("""INSERT INTO surveys (id, team_id, quarter, deadline, anonymous)
                  VALUES (nextval('seq_surveys'), ?, ?, ?, true)""", [org.growth, room["q"], NOW])
    assert voice.balance(org.lead, org.growth, room["q"]) is None


def test_an_open_anonymous_surveys_ideas_stay_sealed_until_it_closes_then_list_by_title(org):
    """Shown as each answer arrives, next to Survey setup's list of who just answered, they would name authors."""
    q = org.next_quarter
    survey_id = open_growth_survey(org, anonymous=True)
    for person, title in ((org.member, "Zebra crossings"), (org.member2, "Alpha launch")):
        answer_with_ideas(person, survey_id, title=title)
        answers.submit(person, survey_id, now=NOW)
    live = [ideas.add(org.lead, org.growth, q, title=t, now=NOW) for t in ("Live idea", "Another live idea")]
    sealed = ideas.sealed_survey(org.growth, q, now=NOW)
    assert sealed == survey_id
    assert [i["id"] for i in ideas.objective_ideas(org.lead, org.growth, q, sealed)] == live
    assert {i["id"] for g in ideas.suggestions(org.lead, org.growth, q, 40, sealed) for i in g["ideas"]} <= set(live)
    steps = {s.key: s for s in workshop.progress(org.lead, org.growth, q, sealed)}
    assert steps["consolidate"].summary == "2 ideas, 0 merges"
    assert context.opening(org.lead, org.growth, q, NOW, sealed=sealed)["ideas"] == 2
    assert "Dark mode" not in {c["title"] for c in objectives.deprioritize_candidates(org.lead, org.growth, q, sealed)}
    anonymous = db.column("SELECT id FROM ideas WHERE survey_id = ? AND kind = 'objective'", [survey_id])
    with pytest.raises(Conflict, match="not on the table yet"):
        ideas.merge(org.lead, anonymous, "Sneaky", now=NOW)
    round_id = rounds.open_round(org.lead, org.growth, q, methods=["dot"], now=NOW)
    assert [c["id"] for c in rounds.candidates(org.member, round_id)] == live
    surveys.close(org.lead, survey_id, now=NOW + dt.timedelta(hours=1))
    assert ideas.sealed_survey(org.growth, q, now=NOW + dt.timedelta(hours=2)) is None
    titles = [i["title"] for i in ideas.objective_ideas(org.lead, org.growth, q, None)]
    assert titles == ["Alpha launch", "Zebra crossings", "Live idea", "Another live idea"]  # not who came first


def test_the_objectives_idea_cannot_be_merged_away(org, room):
    objectives.select(org.lead, org.growth, room["q"], idea_id=room["a"], title="Invoicing on day one", now=NOW)
    with pytest.raises(Conflict, match="“Cut time to first invoice” is the idea the objective “Invoicing on day one” "
                                       "is built on; replace the objective"):
        ideas.merge(org.lead, [room["a"], room["b"]], "Merged", now=NOW)
    assert db.scalar("SELECT count(*) FROM idea_merges") == 0


def test_restore_brings_back_what_the_lead_removed_not_what_an_author_took_back(org):
    q = org.next_quarter
    survey_id = open_growth_survey(org)
    answers.save_objective(org.member, survey_id, {"title": "Taken back"}, now=NOW)
    answers.save_objective(org.member, survey_id, {"title": "Kept"}, now=NOW)
    answers.submit(org.member, survey_id, now=NOW)
    taken, kept_id = db.column("SELECT id FROM ideas WHERE survey_id = ? ORDER BY id", [survey_id])
    payload = answers.my_answer(org.member, survey_id, now=NOW)["payload"]
    answers.remove_item(org.member, survey_id, payload["objectives"][0]["key"], now=NOW)
    answers.submit(org.member, survey_id, now=NOW)
    with pytest.raises(ValidationError, match="taken out of the survey answer it came from by its author"):
        ideas.restore(org.lead, taken, now=NOW)
    ideas.remove(org.lead, kept_id, now=NOW)
    ideas.restore(org.lead, kept_id, now=NOW)
    assert [i["title"] for i in ideas.objective_ideas(org.lead, org.growth, q, None)] == ["Kept"]
