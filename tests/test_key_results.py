"""Key results and the brainstorm: the lead's editor rules, bad input, the five-KR limit, archive and undo, the
SMART report, and who may read or write what."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import pytest

from okrdash import db, key_results, kr_ideas, smart, strategy, workshop
from okrdash.errors import Conflict, NotFound, PermissionDenied, ValidationError
from okrdash.smart import team_report
from tests.okr_fixtures import GOOD_KRS, company_objective, good_kr, make_objective, ready_objective


@pytest.fixture
def growth(org):
    """Growth's objective for next quarter, linked to a company objective, no key results yet."""
    link = company_objective(org.next_quarter)
    return make_objective(org.growth, org.next_quarter, strategy_item_id=link, created_by=org.lead.person_id)


def add(org, idea_id=None, **overrides):
    return key_results.add(org.lead, org.growth, org.next_quarter, good_kr(org.member.person_id, **overrides),
                           idea_id=idea_id)


def test_lead_adds_a_key_result_with_sensible_defaults(org, growth):
    kr_id = add(org)
    kr = key_results.get(kr_id)
    assert kr["objective_id"] == growth and kr["position"] == 0
    assert kr["due_on"] == dt.date(2027, 3, 31)  # the quarter's last day
    assert kr["owner_name"] == "Mia Member" and kr["baseline"] == 9 and kr["target"] == 4
    assert [k["id"] for k in key_results.active(org.member, org.growth, org.next_quarter)] == [kr_id]


def test_numbers_accept_how_people_type_them(org, growth):
    kr_id = add(org, baseline="1,200", target=" 1500 ", unit="accounts")
    kr = key_results.get(kr_id)
    assert (kr["baseline"], kr["target"]) == (1200, 1500)
    pct = key_results.get(add(org, baseline="12 %", target="20%"))
    assert (pct["baseline"], pct["target"]) == (12, 20)


def test_milestones_carry_no_numbers(org, growth):
    kr_id = add(org, kind="milestone", title="Ship self-serve import", definition_of_done="Owners import staff",
                metric="ignored", baseline=3, target=4, unit="h")
    kr = key_results.get(kr_id)
    assert (kr["metric"], kr["unit"], kr["baseline"], kr["target"]) == ("", "", None, None)
    assert kr["definition_of_done"] == "Owners import staff"


@pytest.mark.parametrize(("overrides", "field", "says"), [
    ({"baseline": "about nine"}, "baseline", "Baseline must be a number, not “about nine”."),
    ({"target": "4h"}, "target", "Target must be a number"),
    ({"due_on": dt.date(2027, 4, 15)}, "due_on", "outside 2027-Q1, which runs from"),
    ({"due_on": "2026-12-31"}, "due_on", "Pick a date inside the quarter"),
    ({"due_on": "next Friday"}, "due_on", "Due date must be a date like"),
    ({"owner_id": None}, "owner_id", "Choose an owner"),
    ({"title": "   "}, "title", "Title is required."),
    ({"title": "x" * 201}, "title", "the limit is 200"),
    ({"kind": "improve"}, "kind", "Kind must be one of"),
])
def test_bad_input_is_refused_with_a_clear_message(org, growth, overrides, field, says):
    with pytest.raises(ValidationError) as refused:
        add(org, **overrides)
    assert refused.value.field == field
    assert says in refused.value.message
    assert key_results.rows_for(org.growth, org.next_quarter) == []  # nothing half-saved


def test_owner_must_be_in_the_team(org, growth):
    with pytest.raises(ValidationError) as refused:
        add(org, owner_id=org.outsider.person_id)
    assert "Olga Outsider is not a member of Growth" in refused.value.message
    assert refused.value.field == "owner_id"


def test_sixth_key_result_is_refused_and_nothing_changes(org, growth):
    for n in range(5):
        add(org, title=f"Key result number {n}")
    with pytest.raises(ValidationError) as refused:
        add(org, title="The sixth one")
    assert "already has 5 key results" in refused.value.message and "Archive one" in refused.value.message
    assert len(key_results.rows_for(org.growth, org.next_quarter)) == 5
    first = key_results.rows_for(org.growth, org.next_quarter)[0]
    key_results.archive(org.lead, first["id"])
    add(org, title="The sixth one")  # room again after archiving
    with pytest.raises(ValidationError):
        key_results.restore(org.lead, first["id"])  # restoring would make six


def test_two_concurrent_adds_never_make_a_sixth_key_result(org, growth, monkeypatch):
    """Both adds would count four before either inserts (barrier); touching the objective row first stops that."""
    for n in range(4):
        add(org, title=f"Reduce CSM hours per mid-market onboarding from {9 + n} to 4", baseline=9 + n)
    counted, real = threading.Barrier(2), key_results._check_room

    def check_then_wait(*args):
        real(*args)
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait(timeout=3)  # the loser never gets here: wait for it only so long

    monkeypatch.setattr(key_results, "_check_room", check_then_wait)
    start, outcomes = threading.Barrier(2), []

    def adding(n: int) -> None:
        start.wait()
        try:
            outcomes.append(add(org, title=f"Grow accounts importing staff from {10 + n}% to 40%", unit="%",
                                baseline=10 + n, target=40, kind="increase_to"))
        except (Conflict, ValidationError) as error:
            outcomes.append(error)
        finally:
            db.cursor().close()

    threads = [threading.Thread(target=adding, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(key_results.rows_for(org.growth, org.next_quarter)) == 5
    assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes


def test_a_key_result_comes_only_from_this_teams_key_result_ideas(org, growth):
    theirs, objective_idea, ours = (idea(org, kind, "An idea") for kind in ("key_result", "objective", "key_result"))
    db.execute("UPDATE ideas SET team_id = ? WHERE id = ?", [org.core, theirs])
    for idea_id in (theirs, objective_idea, 999_999):
        with pytest.raises(ValidationError, match="not one of Growth's key-result ideas for 2027-Q1"):
            add(org, idea_id=idea_id)
    assert key_results.rows_for(org.growth, org.next_quarter) == []
    assert key_results.get(add(org, idea_id=ours))["idea_id"] == ours


def test_no_key_results_without_an_objective(org):
    with pytest.raises(ValidationError) as refused:
        add(org)
    assert "no objective for 2027-Q1 yet" in refused.value.message and "Create focus" in refused.value.message


def test_update_keeps_unspecified_fields_and_reports_no_op(org, growth):
    kr_id = add(org)
    assert key_results.update(org.lead, kr_id, {"target": 3}) is True
    assert key_results.get(kr_id)["target"] == 3 and key_results.get(kr_id)["metric"] == "CSM hours per onboarding"
    assert key_results.update(org.lead, kr_id, {"target": "3"}) is False
    with pytest.raises(ValidationError):
        key_results.update(org.lead, kr_id, {"baseline": "lots"})
    assert key_results.get(kr_id)["baseline"] == 9  # nothing lost


def test_kind_of_a_key_result_with_check_ins_is_kept(org, growth):
    kr_id = add(org)
    db.execute("""INSERT INTO checkins (id, kr_id, person_id, checked_on, value, confidence)
                  VALUES (nextval('seq_checkins'), ?, ?, DATE '2027-01-08', 8, 7)""", [kr_id, org.member.person_id])
    with pytest.raises(ValidationError) as refused:
        key_results.update(org.lead, kr_id, {"kind": "milestone", "definition_of_done": "done"})
    assert "1 check-in(s)" in refused.value.message and "Archive it" in refused.value.message
    key_results.update(org.lead, kr_id, {"target": 5})  # other edits are fine
    key_results.archive(org.lead, kr_id)
    assert db.scalar("SELECT count(*) FROM key_results WHERE id = ?", [kr_id]) == 1  # archived, never deleted
    assert db.scalar("SELECT count(*) FROM checkins WHERE kr_id = ?", [kr_id]) == 1


def test_archive_restore_and_reorder(org, growth):
    ids = [add(org, title=f"Result {n}") for n in range(3)]
    key_results.move(org.lead, ids[2], -1)
    assert [k["id"] for k in key_results.rows_for(org.growth, org.next_quarter)] == [ids[0], ids[2], ids[1]]
    key_results.move(org.lead, ids[0], -1)  # already first: no-op
    assert key_results.rows_for(org.growth, org.next_quarter)[0]["id"] == ids[0]
    removed = key_results.archive(org.lead, ids[0])
    assert removed["title"] == "Result 0"
    assert [k["id"] for k in key_results.archived(org.lead, org.growth, org.next_quarter)] == [ids[0]]
    with pytest.raises(ValidationError):
        key_results.update(org.lead, ids[0], {"target": 1})
    key_results.restore(org.lead, ids[0])
    assert [k["id"] for k in key_results.rows_for(org.growth, org.next_quarter)][-1] == ids[0]


def test_confirm_is_the_leads_tick(org, growth):
    kr_id = add(org, achievable_confirmed=False)
    assert team_report.report(org.lead, org.growth, org.next_quarter).checks[kr_id]["A"].level == smart.FAIL
    key_results.confirm(org.lead, kr_id)
    assert team_report.report(org.lead, org.growth, org.next_quarter).checks[kr_id]["A"].level == smart.PASS
    key_results.confirm(org.lead, kr_id, False)
    assert not key_results.get(kr_id)["achievable_confirmed"]


WRITES = {
    "add": lambda org, kr_id: key_results.add(org.__dict__["actor"], org.growth, org.next_quarter,
                                              good_kr(org.member.person_id)),
    "update": lambda org, kr_id: key_results.update(org.__dict__["actor"], kr_id, {"target": 2}),
    "confirm": lambda org, kr_id: key_results.confirm(org.__dict__["actor"], kr_id),
    "archive": lambda org, kr_id: key_results.archive(org.__dict__["actor"], kr_id),
    "move": lambda org, kr_id: key_results.move(org.__dict__["actor"], kr_id, 1),
}


@pytest.mark.parametrize("who", ["member", "member2", "manager", "outsider", "stranger", "admin"])
@pytest.mark.parametrize("write", list(WRITES))
def test_only_the_teams_lead_writes(org, growth, who, write):
    kr_id = add(org)
    org.__dict__["actor"] = getattr(org, who)
    with pytest.raises(PermissionDenied) as refused:
        WRITES[write](org, kr_id)
    assert "Only the lead of Growth" in refused.value.message


@pytest.mark.parametrize(("who", "allowed"), [("lead", True), ("member", True), ("manager", True),
                                              ("outsider", False), ("stranger", False)])
def test_draft_key_results_are_read_by_the_team_and_its_managers(org, growth, who, allowed):
    add(org)
    actor = getattr(org, who)
    if allowed:
        assert len(key_results.active(actor, org.growth, org.next_quarter)) == 1
        assert team_report.report(actor, org.growth, org.next_quarter).objective["id"] == growth
    else:
        with pytest.raises(PermissionDenied):
            key_results.active(actor, org.growth, org.next_quarter)
        with pytest.raises(PermissionDenied):
            kr_ideas.ideas(actor, org.growth, org.next_quarter)


def test_report_blocks_publishing_until_smart(org, growth):
    report = team_report.report(org.lead, org.growth, org.next_quarter)
    assert not report.publishable and "2 to 5" in report.blockers[0]
    first = add(org, achievable_confirmed=False)
    add(org, title="Ship self-serve import", kind="milestone", definition_of_done="Owners import staff from CSV; "
                                                                                     "documented; used by 10 accounts")
    report = team_report.report(org.lead, org.growth, org.next_quarter)
    assert [b.split(" — ")[0] for b in report.blockers] == ["KR 1 “Reduce CSM hours per mid-market onboarding from "
                                                            "9 to 4”"]
    assert "Achievable" in report.blockers[0]
    key_results.confirm(org.lead, first)
    assert team_report.report(org.lead, org.growth, org.next_quarter).publishable


def test_unlinked_objective_fails_relevant_for_every_kr(org):
    make_objective(org.growth, org.next_quarter)
    for fields in GOOD_KRS[:2]:
        key_results.add(org.lead, org.growth, org.next_quarter,
                        {**fields, "owner_id": org.member.person_id, "achievable_confirmed": True})
    report = team_report.report(org.lead, org.growth, org.next_quarter)
    assert all(check["R"].level == smart.FAIL for check in report.checks.values())
    assert report.context.strategy_link is None


def test_strategy_link_names_the_item(org):
    item = strategy.create(org.next_quarter, "product_strategy", "Expand to multi-location teams")
    make_objective(org.growth, org.next_quarter, strategy_item_id=item)
    found = key_results.objective_row(org.growth, org.next_quarter)
    assert key_results.strategy_link(found) == "Product strategy: Expand to multi-location teams"


def test_workshop_steps_follow_key_results(org):
    ready_objective(org, krs=1)
    steps = {s.key: s for s in workshop.progress(org.lead, org.growth, org.next_quarter)}
    assert not steps["key_results"].done and steps["key_results"].summary == "1 key result; add at least one more"
    key_results.add(org.lead, org.growth, org.next_quarter, good_kr(org.member.person_id, achievable_confirmed=False))
    steps = {s.key: s for s in workshop.progress(org.lead, org.growth, org.next_quarter)}
    assert steps["key_results"].summary == "2 key results, 1 failing a SMART letter"
    kr_id = key_results.rows_for(org.growth, org.next_quarter)[-1]["id"]
    key_results.confirm(org.lead, kr_id)
    steps = {s.key: s for s in workshop.progress(org.lead, org.growth, org.next_quarter)}
    assert steps["key_results"].done and steps["key_results"].summary == "2 key results, all SMART"
    assert not steps["publish"].done and steps["publish"].summary == "Not published"


# --- brainstorm --------------------------------------------------------------------------------------------------


def idea(org, kind, title, **fields):
    with db.transaction() as cur:
        idea_id = int(cur.execute("SELECT nextval('seq_ideas')").fetchone()[0])
        cur.execute(
            """INSERT INTO ideas (id, team_id, quarter, kind, title, parent_id, metric, unit, baseline, target,
                                  author_id, anonymous, source, merged_into)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [idea_id, org.growth, org.next_quarter, kind, title, fields.get("parent_id"), fields.get("metric", ""),
             fields.get("unit", ""), fields.get("baseline"), fields.get("target"), fields.get("author_id"),
             fields.get("anonymous", False), fields.get("source", "survey"), fields.get("merged_into")])
    return idea_id


@pytest.fixture
def brainstorm(org):
    """A chosen (merged) objective idea with KR ideas under it and under a phrasing merged into it."""
    chosen = idea(org, "objective", "Self-serve onboarding for multi-location businesses", source="merge")
    phrasing = idea(org, "objective", "Let 50-seat customers onboard without a CSM", merged_into=chosen,
                    author_id=org.member.person_id)
    other = idea(org, "objective", "Redesign the signup page", author_id=org.member2.person_id)
    under_chosen = idea(org, "key_result", "CSM hours per new mid-market account", parent_id=chosen,
                        metric="CSM hours per onboarding", unit="h", baseline=9, target=3,
                        author_id=org.member2.person_id)
    under_phrasing = idea(org, "key_result", "CSM hours per new mid-market account", parent_id=phrasing,
                          metric="CSM hours per onboarding", unit="h", baseline=9, target=3,
                          author_id=org.member.person_id)
    anonymous = idea(org, "key_result", "Cut import errors from 14% to 2%", parent_id=phrasing, anonymous=True)
    elsewhere = idea(org, "key_result", "Signup page conversion", parent_id=other, metric="conversion")
    link = company_objective(org.next_quarter)
    make_objective(org.growth, org.next_quarter, strategy_item_id=link, idea_id=chosen)
    return {"ids": [under_chosen, under_phrasing], "anonymous": anonymous, "elsewhere": elsewhere}


def test_brainstorm_lists_ideas_under_the_chosen_and_merged_ideas(org, brainstorm):
    listed = kr_ideas.ideas(org.member, org.growth, org.next_quarter)
    assert [i["title"] for i in listed] == ["CSM hours per new mid-market account", "Cut import errors from 14% to 2%"]
    same = listed[0]
    assert same["ids"] == brainstorm["ids"] and same["count"] == 2
    assert same["authors"] == ["Max Member", "Mia Member"]
    assert listed[1]["authors"] == ["anonymous"]  # anonymous stays anonymous
    assert all(brainstorm["elsewhere"] not in i["ids"] for i in listed)


def test_members_add_ideas_and_authors_remove_their_own(org, brainstorm):
    new = kr_ideas.add(org.member, org.growth, org.next_quarter, "Accounts live in a day", metric="accounts live "
                       "on day 1", unit="%", baseline="10", target="30")
    listed = kr_ideas.ideas(org.lead, org.growth, org.next_quarter)
    assert listed[-1]["ids"] == [new] and listed[-1]["sources"] == ["workshop"]
    with pytest.raises(ValidationError):
        kr_ideas.add(org.member, org.growth, org.next_quarter, "Bad", baseline="ten")
    with pytest.raises(PermissionDenied):
        kr_ideas.add(org.manager, org.growth, org.next_quarter, "Managers watch")
    with pytest.raises(PermissionDenied):
        kr_ideas.remove(org.member2, [new])  # not the author, not the lead
    with pytest.raises(PermissionDenied):
        kr_ideas.remove(org.member, brainstorm["ids"][1:])  # own survey idea: only the lead removes survey ideas
    assert kr_ideas.remove(org.member, [new]) == [new]
    kr_ideas.restore(org.member, [new])
    assert kr_ideas.remove(org.lead, brainstorm["ids"]) == brainstorm["ids"]
    assert len(kr_ideas.ideas(org.lead, org.growth, org.next_quarter)) == 2
    with pytest.raises(NotFound):
        kr_ideas.remove(org.lead, [brainstorm["elsewhere"] + 1000])


def test_ideas_of_an_ended_quarter_stay_as_they_are(org, brainstorm):
    after = dt.datetime(2027, 4, 2, 9)  # 2027-Q1 has ended
    with pytest.raises(ValidationError, match="2027-Q1 ended"):
        kr_ideas.remove(org.lead, brainstorm["ids"], now=after)
    assert kr_ideas.remove(org.lead, brainstorm["ids"]) == brainstorm["ids"]
    with pytest.raises(ValidationError, match="2027-Q1 ended"):
        kr_ideas.restore(org.lead, brainstorm["ids"], now=after)
    assert db.scalar("SELECT count(*) FROM ideas WHERE id IN (?, ?) AND deleted_at IS NULL", brainstorm["ids"]) == 0


def test_restoring_ideas_is_all_or_nothing(org, brainstorm):
    ids = [kr_ideas.add(org.member, org.growth, org.next_quarter, "Accounts live in a day"), brainstorm["ids"][0]]
    kr_ideas.remove(org.lead, ids)
    standing = "SELECT count(*) FROM ideas WHERE id IN (?, ?) AND deleted_at IS NULL"
    with pytest.raises(PermissionDenied):  # the member may restore their own idea, not the survey's
        kr_ideas.restore(org.member, ids)
    assert db.scalar(standing, ids) == 0
    kr_ideas.restore(org.lead, ids)
    assert db.scalar(standing, ids) == 2


def test_idea_becomes_a_prefilled_key_result(org, brainstorm):
    draft = kr_ideas.draft_from(org.lead, brainstorm["ids"][1])
    assert draft["kind"] == "decrease_to" and (draft["baseline"], draft["target"], draft["unit"]) == (9, 3, "h")
    assert draft["owner_id"] == org.member.person_id  # the author, who is in the team
    assert draft["due_on"] == dt.date(2027, 3, 31) and draft["achievable_confirmed"] is False
    anonymous = kr_ideas.draft_from(org.lead, brainstorm["anonymous"])
    assert anonymous["owner_id"] == org.lead.person_id  # nobody to ask: the lead owns it until reassigned
    assert (anonymous["kind"], anonymous["baseline"], anonymous["target"], anonymous["unit"]) == (
        "decrease_to", 14, 2, "%")  # read from the title
    with pytest.raises(PermissionDenied):
        kr_ideas.draft_from(org.member, brainstorm["anonymous"])
    kr_id = key_results.add(org.lead, org.growth, org.next_quarter, draft, idea_id=draft["idea_id"])
    listed = kr_ideas.ideas(org.lead, org.growth, org.next_quarter)
    assert listed[0]["kr_id"] == kr_id


def test_ideas_need_an_objective_first(org):
    with pytest.raises(ValidationError) as refused:
        kr_ideas.add(org.member, org.growth, org.next_quarter, "An idea")
    assert "no objective" in refused.value.message
    assert kr_ideas.ideas(org.member, org.growth, org.next_quarter) == []


def test_past_quarters_scores_are_the_achievable_hint(demo_db_fixed):
    from okrdash import quarters, teams
    from tests.conftest import DEMO_TODAY

    onboarding = next(t["id"] for t in teams.all_teams() if t["name"] == "Onboarding")
    planning = quarters.shift(quarters.key_for(DEMO_TODAY), 1)
    past = team_report.past_scores(onboarding, planning)
    assert [q for q, _ in past] == [quarters.shift(planning, -n) for n in range(1, 5)]
    assert all(0 <= score <= 1 for _, score in past)
    ctx = team_report.context(onboarding, planning, None)
    assert ctx.past_scores == past and ctx.strategy_link is None
