"""Publishing: the gate (lead, 2–5 KRs, no failing SMART letter), frozen versioned snapshots, the change log,
reading by everyone, the quarter overview, workshop step status and what Home says a lead owes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from okrdash import db, home, key_results, objectives, people, publications, strategy, workshop
from okrdash.errors import NotFound, PermissionDenied, ValidationError
from okrdash.publication_diff import changes
from tests.okr_fixtures import GOOD_KRS, good_kr, make_objective, ready_objective

NOW = dt.datetime(2026, 12, 10, 9, 30)


@pytest.fixture
def ready(org):
    objective_id = ready_objective(org)
    db.execute("""INSERT INTO deprioritized (id, team_id, quarter, title, reason, created_by)
                  VALUES (nextval('seq_deprioritized'), ?, ?, 'Redesign the signup page',
                          'Conversion on the page is fine; the leak is after signup.', ?)""",
               [org.growth, org.next_quarter, org.lead.person_id])
    return objective_id


def publish(org, note="", now=NOW):
    return publications.publish(org.lead, org.growth, org.next_quarter, note, now=now)


def test_first_publication_freezes_everything_a_reader_needs(org, ready):
    assert publish(org, "First version after the workshop.") == 1
    found = publications.latest(org.stranger, org.growth, org.next_quarter)
    snap = found["snapshot"]
    assert found["version"] == snap["version"] == 1 and snap["format"] == 1
    assert snap["published_at"] == "2026-12-10T09:30:00" and found["published_at"] == NOW
    assert snap["published_by"] == {"id": org.lead.person_id, "name": "Lee Lead", "email": "lee@example.com"}
    assert snap["team"] == {"id": org.growth, "name": "Growth", "department": "Product"}
    assert snap["quarter"] == {"key": "2027-Q1", "starts_on": "2027-01-01", "ends_on": "2027-03-31"}
    assert snap["objective"]["title"] == "Mid-market customers set themselves up without us"
    assert snap["strategy_links"] == [{"id": snap["strategy_links"][0]["id"], "kind": "company_objective",
                                       "kind_label": "Company objective", "title": "Win the mid-market"}]
    assert [k["title"] for k in snap["key_results"]] == [k["title"] for k in GOOD_KRS]
    first = snap["key_results"][0]
    assert first["position"] == 1 and first["owner"] == {"id": org.member.person_id, "name": "Mia Member",
                                                         "email": "mia@example.com"}
    assert (first["baseline"], first["target"], first["unit"], first["due_on"]) == (14, 20, "%", "2027-03-31")
    assert snap["deprioritized"] == [{"title": "Redesign the signup page",
                                      "reason": "Conversion on the page is fine; the leak is after signup."}]
    assert snap["note"] == "First version after the workshop."
    assert found["change_log"] == "First version after the workshop."
    assert db.scalar("SELECT status FROM objectives WHERE id = ?", [ready]) == "published"
    json.dumps(snap)  # plain JSON all the way down


@pytest.mark.parametrize("who", ["member", "member2", "manager", "outsider", "stranger", "admin"])
def test_only_the_teams_lead_publishes(org, ready, who):
    with pytest.raises(PermissionDenied) as refused:
        publications.publish(getattr(org, who), org.growth, org.next_quarter, now=NOW)
    assert "Only the lead of Growth may publish" in refused.value.message
    assert publications.latest_for(org.growth, org.next_quarter) is None


@pytest.mark.parametrize("who", ["lead", "member", "manager", "outsider", "stranger", "admin"])
def test_everyone_in_the_organisation_reads_published_okrs(org, ready, who):
    publish(org)
    actor = getattr(org, who)
    assert publications.latest(actor, org.growth, org.next_quarter)["version"] == 1
    assert [h["version"] for h in publications.history(actor, org.growth, org.next_quarter)] == [1]
    assert publications.get_version(actor, org.growth, org.next_quarter, 1)["snapshot"]["version"] == 1
    assert [p["team_id"] for p in publications.for_quarter(actor, org.next_quarter)] == [org.growth]


def test_rosa_with_no_team_reads_them_too(org, ready):
    publish(org)
    rosa = people.create("Rosa Jiménez", "rosa@example.com")
    from okrdash import auth

    assert publications.latest(auth.load(rosa), org.growth, org.next_quarter) is not None


def test_publishing_needs_an_objective(org):
    with pytest.raises(ValidationError) as refused:
        publish(org)
    assert "no objective for 2027-Q1" in refused.value.message


def test_publishing_needs_two_to_five_key_results(org):
    ready_objective(org, krs=1)
    with pytest.raises(ValidationError) as refused:
        publish(org)
    assert "Not ready to publish yet" in refused.value.message and "2 to 5" in refused.value.message


def test_publishing_needs_no_failing_letter(org, ready):
    kr_id = key_results.add(org.lead, org.growth, org.next_quarter,
                            good_kr(org.member.person_id, achievable_confirmed=False, target=9))
    with pytest.raises(ValidationError) as refused:
        publish(org)
    message = refused.value.message
    assert "KR 4" in message and "Achievable" in message and "nothing changes" in message
    key_results.update(org.lead, kr_id, {"target": 5, "achievable_confirmed": True})
    assert publish(org) == 1


def test_unlinked_objective_cannot_be_published(org):
    make_objective(org.growth, org.next_quarter)
    for fields in GOOD_KRS[:2]:
        key_results.add(org.lead, org.growth, org.next_quarter,
                        {**fields, "owner_id": org.member.person_id, "achievable_confirmed": True})
    with pytest.raises(ValidationError) as refused:
        publish(org)
    assert "Relevant" in refused.value.message and "Create focus" in refused.value.message


def test_past_quarter_cannot_be_published(org, ready):
    with pytest.raises(ValidationError) as refused:
        publish(org, now=dt.datetime(2027, 4, 2, 9))
    assert "2027-Q1 ended" in refused.value.message


def test_editing_after_publishing_makes_version_two_with_a_change_log(org, ready):
    publish(org, "First version.")
    with pytest.raises(ValidationError) as refused:
        publish(org, "Again")
    assert "Nothing changed since version 1" in refused.value.message
    krs = key_results.rows_for(org.growth, org.next_quarter)
    key_results.update(org.lead, krs[0]["id"], {"target": 22, "owner_id": org.member2.person_id})
    key_results.archive(org.lead, krs[2]["id"])
    key_results.add(org.lead, org.growth, org.next_quarter, good_kr(org.member2.person_id,
                                                                     title="Keep onboarding CSAT at or above 4.3",
                                                                     kind="stay_above", metric="onboarding CSAT",
                                                                     unit="/5", baseline=4.5, target=4.3))
    pending = publications.pending_changes(org.growth, org.next_quarter)
    assert pending == [
        "Key result “Raise trial-to-paid conversion from 14% to 20%”: target 20% → 22%, owner Mia Member → Max "
        "Member.",
        "Added key result “Keep onboarding CSAT at or above 4.3”.",
        "Removed key result “Ship self-serve location and staff import”.",
    ]
    assert publish(org, "Stretch conversion; import moves to next quarter.", now=NOW + dt.timedelta(days=3)) == 2
    latest = publications.latest(org.member, org.growth, org.next_quarter)
    assert latest["change_log"] == (
        "Stretch conversion; import moves to next quarter.\n\nChanges since version 1:\n- " + "\n- ".join(pending))
    versions = publications.history(org.member, org.growth, org.next_quarter)
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["changes"] == pending and versions[0]["note"].startswith("Stretch conversion")
    assert versions[1]["changes"] == [] and versions[1]["note"] == "First version."
    frozen = publications.get_version(org.stranger, org.growth, org.next_quarter, 1)["snapshot"]
    assert frozen["key_results"][0]["target"] == 20  # version 1 stays as it was published
    assert publications.pending_changes(org.growth, org.next_quarter) == []
    with pytest.raises(NotFound):
        publications.get_version(org.member, org.growth, org.next_quarter, 7)


@pytest.mark.parametrize("other_idea", [False, True])
def test_replacing_the_objective_in_the_same_words_can_be_published_again(org, monkeypatch, other_idea):
    """Replacing sends the objective back to draft: even with the same wording it is a change to publish, or the
    team could never publish again (check-ins refused, dashboards without the team, Home silent)."""
    monkeypatch.setattr(home, "OWED_PROVIDERS", [publications.owed])
    from okrdash import ideas

    first = ideas.create(org.growth, org.next_quarter, "Self-serve setup")
    second = ideas.create(org.growth, org.next_quarter, "Setup without CSMs")
    objective_id = ready_objective(org)
    db.execute("UPDATE objectives SET idea_id = ? WHERE id = ?", [first, objective_id])
    publish(org)
    found = objectives.current(org.lead, org.growth, org.next_quarter)
    objectives.replace(org.lead, org.growth, org.next_quarter, idea_id=second if other_idea else first,
                       title=found["title"], why=found["why"], strategy_item_id=found["strategy_item_id"], now=NOW)
    line = "The objective was replaced" + (" by another idea" if other_idea else "") + " (same wording)."
    assert publications.pending_changes(org.growth, org.next_quarter) == [line]
    assert publications.step_status(org.growth, org.next_quarter) == (
        False, "Version 1 published; 1 change(s) not yet published")
    assert [i["what"] for i in home.owed_by(org.lead)] == ["Publish the changes to Growth's OKRs for 2027-Q1"]
    assert publish(org, now=NOW + dt.timedelta(hours=1)) == 2
    assert db.scalar("SELECT status FROM objectives WHERE id = ?", [objective_id]) == "published"
    assert publications.latest_for(org.growth, org.next_quarter)["change_log"] == (
        f"Changes since version 1:\n- {line}")
    assert publications.pending_changes(org.growth, org.next_quarter) == []
    assert publications.step_status(org.growth, org.next_quarter) == (True, "Version 2 published")


def test_the_achievability_tick_and_renamed_people_are_not_changes(org, ready):
    publish(org)
    kr = key_results.rows_for(org.growth, org.next_quarter)[0]
    key_results.confirm(org.lead, kr["id"], False)
    db.execute("UPDATE people SET name = 'Mia Member-Smith' WHERE id = ?", [org.member.person_id])
    assert publications.pending_changes(org.growth, org.next_quarter) == []


def test_objective_deprioritized_and_link_changes_are_logged(org, ready):
    publish(org)
    other = strategy.create(org.next_quarter, "company_objective", "Make getting paid effortless")
    objectives.update(org.lead, org.growth, org.next_quarter, title="Mid-market teams onboard themselves",
                      why="CSM capacity is flat.", strategy_item_id=other)
    db.execute("UPDATE deprioritized SET deleted_at = ? WHERE team_id = ?", [dt.datetime.now(), org.growth])
    ids = [k["id"] for k in key_results.rows_for(org.growth, org.next_quarter)]
    key_results.move(org.lead, ids[1], -1)
    lines = publications.pending_changes(org.growth, org.next_quarter)
    assert lines == [
        "Objective reworded: “Mid-market customers set themselves up without us” → “Mid-market teams onboard "
        "themselves”.",
        "“Why it matters” rewritten.",
        "Now serves Company objective: Make getting paid effortless (was Company objective: Win the mid-market).",
        "Key results reordered.",
        "No longer deprioritized: “Redesign the signup page”.",
    ]


def test_change_sentences_for_each_field():
    kr = {"id": 1, "title": "Ship import", "kind": "milestone", "kind_label": "Milestone", "metric": "", "unit": "",
          "baseline": None, "target": None, "definition_of_done": "Owners import", "due_on": "2027-03-31",
          "owner": {"id": 1, "name": "Ana"}}
    old = {"objective": {"title": "O", "why": ""}, "key_results": [kr], "deprioritized": [{"title": "A",
                                                                                           "reason": "x"}]}
    new = {"objective": {"title": "O", "why": ""},
           "key_results": [{**kr, "title": "Ship CSV import", "kind": "increase_to", "kind_label": "Increase to",
                            "metric": "accounts importing", "unit": "%", "baseline": 10, "target": 30,
                            "definition_of_done": "", "due_on": "2027-03-15", "owner": {"id": 2, "name": "Ben"}}],
           "deprioritized": [{"title": "A", "reason": "y"}, {"title": "B", "reason": ""}]}
    assert changes(old, new) == [
        "Key result “Ship CSV import”: renamed from “Ship import”, kind Milestone → Increase to, metric “—” → "
        "“accounts importing”, baseline — → 10%, target — → 30%, definition of done rewritten, owner Ana → Ben, "
        "due Wed 31 Mar 2027 → Mon 15 Mar 2027.",
        "Deprioritized “B”.",
        "Reason for deprioritizing “A” rewritten.",
    ]
    assert changes(old, old) == []


def test_freeze_is_library_level_for_demo_history(org, ready):
    assert publications.freeze(ready, published_by=None, now=NOW) == 1
    assert publications.freeze(ready, published_by=org.lead.person_id, change_log="Imported", now=NOW) == 2
    latest = publications.latest_for(org.growth, org.next_quarter)
    assert latest["snapshot"]["published_by"]["name"] == "Lee Lead"
    assert latest["change_log"] == "Imported\n\nChanges since version 1:\n- none"
    with pytest.raises(NotFound):
        publications.freeze(9999, published_by=None)


class _OneByOne(Exception):
    """Rolls back the one-by-one freezes, so that freeze_many runs on the same data."""


def _stored_publications() -> list[dict]:
    return db.rows("""SELECT objective_id, team_id, quarter, version, snapshot, change_log, published_by,
                             published_at FROM publications ORDER BY objective_id, version""")


def test_freezing_many_at_once_stores_what_freezing_each_in_turn_does(org, ready):
    # Growth published twice already, then edited (version 3 gets a change log); Core's first version has a
    # link to nothing and no deprioritized list; the two are frozen by different people at different times.
    for _ in range(2):
        publications.freeze(ready, published_by=org.lead.person_id, change_log="Earlier", now=NOW)
    key_results.add(org.lead, org.growth, org.next_quarter, good_kr(
        org.member.person_id, title="Cut onboarding calls per account from 3 to 1",
        metric="onboarding calls per account", unit="", baseline=3, target=1))
    core = make_objective(org.core, org.next_quarter, title="Scheduling just works for teams of teams")
    frozen = [(core, None, NOW - dt.timedelta(days=1)), (ready, org.lead.person_id, NOW)]

    with pytest.raises(_OneByOne), db.transaction():  # freezes each in turn, notes what they stored, rolls back
        one_by_one = [publications.freeze(o, published_by=p, change_log="Imported", now=when)
                      for o, p, when in frozen]
        expected = _stored_publications()
        raise _OneByOne
    assert publications.freeze_many(frozen, change_log="Imported") == one_by_one == [1, 3]
    assert _stored_publications() == expected
    third = next(p for p in expected if p["objective_id"] == ready and p["version"] == 3)
    assert third["change_log"].startswith("Imported\n\nChanges since version 2:\n- Added key result “Cut onboarding")
    assert db.column("SELECT status FROM objectives WHERE id IN (?, ?)", [core, ready]) == ["published"] * 2


def test_freezing_many_is_all_or_nothing_and_each_objective_once(org, ready):
    with pytest.raises(NotFound):
        publications.freeze_many([(ready, None, NOW), (9999, None, NOW)])
    with pytest.raises(ValueError, match="once"):
        publications.freeze_many([(ready, None, NOW), (ready, None, NOW)])
    assert publications.freeze_many([]) == []
    assert db.scalar("SELECT count(*) FROM publications") == 0
    assert db.scalar("SELECT status FROM objectives WHERE id = ?", [ready]) == "draft"


def test_overview_groups_teams_under_the_company_objective_they_serve(org, ready):
    publish(org)
    lonely = strategy.create(org.next_quarter, "company_objective", "Earn trust at scale")
    vision = strategy.create(org.next_quarter, "product_strategy", "Expand to multi-location teams")
    core_objective = make_objective(org.core, org.next_quarter, title="Scheduling just works for teams of teams",
                                    strategy_item_id=vision)
    publications.freeze(core_objective, published_by=None, now=NOW)
    data = publications.overview(org.stranger, org.next_quarter)
    assert [(g["item"]["title"], [p["team_id"] for p in g["okrs"]]) for g in data["groups"]] == [
        ("Win the mid-market", [org.growth]), ("Earn trust at scale", [])]
    assert [p["team_id"] for p in data["serving_none"]] == [org.core]
    assert data["unpublished"] == []
    assert lonely


def test_step_status_and_what_a_lead_owes(org, monkeypatch):
    monkeypatch.setattr(home, "OWED_PROVIDERS", [publications.owed])
    objective_id = ready_objective(org, krs=1)
    owed = home.owed_by(org.lead)
    assert [i["what"] for i in owed] == ["Finish Growth's key results for 2027-Q1"]
    assert owed[0]["page"] == "pages/workshop_key_results.py"
    assert owed[0]["query_params"] == {"team": "Growth", "quarter": "2027-Q1"}
    assert owed[0]["due"] == dt.date(2027, 1, 1)
    assert home.owed_by(org.member) == []
    key_results.add(org.lead, org.growth, org.next_quarter, {**GOOD_KRS[1], "owner_id": org.member.person_id,
                                                             "achievable_confirmed": True})
    assert [i["what"] for i in home.owed_by(org.lead)] == ["Publish Growth's OKRs for 2027-Q1"]
    assert publications.step_status(org.growth, org.next_quarter) == (False, "Not published")
    publish(org)
    assert home.owed_by(org.lead) == []
    assert publications.step_status(org.growth, org.next_quarter) == (True, "Version 1 published")
    kr = key_results.rows_for(org.growth, org.next_quarter)[0]
    key_results.update(org.lead, kr["id"], {"target": 25})
    assert [i["what"] for i in home.owed_by(org.lead)] == ["Publish the changes to Growth's OKRs for 2027-Q1"]
    assert publications.step_status(org.growth, org.next_quarter) == (
        False, "Version 1 published; 1 change(s) not yet published")
    steps = {s.key: s for s in workshop.progress(org.member, org.growth, org.next_quarter)}
    assert not steps["publish"].done
    assert objective_id


def test_preview_is_the_next_version_unsaved(org, ready):
    snap = publications.preview(org.member, org.growth, org.next_quarter, now=NOW)
    assert snap["version"] == 1 and snap["published_by"]["name"] == "Mia Member"
    assert publications.latest_for(org.growth, org.next_quarter) is None
    with pytest.raises(PermissionDenied):
        publications.preview(org.outsider, org.growth, org.next_quarter)


def test_the_all_teams_overview_pages_and_filters(demo_db):
    from okrdash import auth, quarters

    reader = auth.load_by_email("rosa.jimenez@harbor.example")  # in no team: everyone reads published OKRs
    quarter = quarters.current_key()
    everything = publications.overview_page(reader, quarter, size=None)
    assert everything["published"] == everything["matching"] == len(everything["entries"]) == 6
    first = publications.overview_page(reader, quarter, size=4)
    second = publications.overview_page(reader, quarter, page=2, size=4)
    assert (first["pages"], len(first["entries"]), len(second["entries"])) == (2, 4, 2)
    seen = [p["team_id"] for _, p in first["entries"] + second["entries"]]
    assert seen == [p["team_id"] for _, p in everything["entries"]]  # the pages split one reading order
    found = publications.overview_page(reader, quarter, text="  mobile ", size=4)
    assert [p["snapshot"]["team"]["name"] for _, p in found["entries"]] == ["Mobile Apps"]
    assert publications.overview_page(reader, quarter, page=99, size=4)["page"] == 2  # clamped


def test_unpublished_changes_are_for_readers_of_the_team(org, ready):
    publish(org)
    kr = key_results.rows_for(org.growth, org.next_quarter)[0]
    key_results.update(org.lead, kr["id"], {"target": 25})
    for who in ("lead", "member", "manager"):
        assert publications.unpublished_changes(getattr(org, who), org.growth, org.next_quarter) == [
            "Key result “Raise trial-to-paid conversion from 14% to 20%”: target 20% → 25%."]
    with pytest.raises(PermissionDenied, match="see this team's unpublished changes"):
        publications.unpublished_changes(org.outsider, org.growth, org.next_quarter)
    pages = Path(__file__).resolve().parents[1] / "pages"
    assert not [p.name for p in pages.glob("*.py") if "publications.pending_changes" in p.read_text()]
