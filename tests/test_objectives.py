"""Create focus: one objective per team and quarter (the UNIQUE constraint decides, even under a race), replacing
it, and the deprioritized list."""

from __future__ import annotations

import datetime as dt
import threading
from contextlib import contextmanager

import pytest

from okrdash import db, ideas, objectives, quarters, rounds, strategy
from okrdash.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tests.backends import duckdb_only

NOW = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def room(org):
    q = org.next_quarter
    serves = strategy.create(q, "company_objective", "Make getting paid effortless")
    a = ideas.create(org.growth, q, "Invoicing on day one", problem="Trials never invoice", why_now="Trials doubled",
                     strategy_item_id=serves)
    b = ideas.create(org.growth, q, "Self-serve import")
    survey_no = ideas.create(org.growth, q, "Localise into Spanish", kind="deprioritize", reason="3% of trials")
    return {"q": q, "a": a, "b": b, "serves": serves, "survey_no": survey_no}


def select(org, room, idea="a", title="New customers get value on day one", **extra):
    return objectives.select(org.lead, org.growth, room["q"], idea_id=room[idea], title=title,
                             why="Half of trials never invoice.", strategy_item_id=room["serves"], now=NOW, **extra)


def test_the_lead_selects_one_idea_as_the_objective(org, room):
    objective_id = select(org, room)
    found = objectives.current(org.member, org.growth, room["q"])
    assert found["id"] == objective_id and found["status"] == "draft"
    assert (found["title"], found["why"], found["idea_id"], found["strategy_item_id"]) == (
        "New customers get value on day one", "Half of trials never invoice.", room["a"], room["serves"])
    assert found["idea_title"] == "Invoicing on day one" and found["strategy_title"] == "Make getting paid effortless"
    assert objectives.current(org.manager, org.growth, room["q"])["id"] == objective_id
    assert objectives.current(org.lead, org.growth, org.quarter) is None


@pytest.mark.parametrize("who", ["member", "outsider", "manager", "admin"])
def test_only_the_lead_selects(org, room, who):
    with pytest.raises(PermissionDenied, match="Only the lead of Growth may choose the team's objective"):
        objectives.select(getattr(org, who), org.growth, room["q"], idea_id=room["a"], title="Mine", now=NOW)
    assert db.scalar("SELECT count(*) FROM objectives") == 0


def test_outsiders_may_not_read_the_objective(org, room):
    select(org, room)
    for who in (org.outsider, org.stranger):
        with pytest.raises(PermissionDenied):
            objectives.current(who, org.growth, room["q"])
        with pytest.raises(PermissionDenied):
            objectives.deprioritized(who, org.growth, room["q"])


def test_a_second_objective_for_the_same_team_and_quarter_is_refused(org, room):
    select(org, room)
    with pytest.raises(Conflict, match="Growth already has its one objective for 2027-Q1 “New customers get value"):
        select(org, room, idea="b", title="Another one")
    assert db.scalar("SELECT count(*) FROM objectives") == 1
    assert objectives.current(org.lead, org.growth, room["q"])["idea_id"] == room["a"]


def test_the_database_itself_refuses_a_second_objective(org, room):
    select(org, room)
    with pytest.raises(Exception, match=r"(?i)constraint|duplicate"):
        db.execute("""INSERT INTO objectives (id, team_id, quarter, title) VALUES (nextval('seq_objectives'), ?, ?,
                      'Sneaky second')""", [org.growth, room["q"]])


# Both inserting before either commits is DuckDB's race (it finds the duplicate at COMMIT); on PostgreSQL the second
# insert waits for the first to commit and then fails, which the free race covers.
@pytest.mark.parametrize("overlap", [False, pytest.param(True, marks=duckdb_only)],
                         ids=["free-race", "both-insert-before-either-commits"])
def test_two_racing_selections_leave_exactly_one_objective(org, room, monkeypatch, overlap):
    start = threading.Barrier(2)
    outcomes: list[object] = []
    if overlap:  # hold each transaction open after its INSERT until both have inserted: the clash is at COMMIT
        inserted, real = threading.Barrier(2), db.transaction

        @contextmanager
        def held_open(*args, **kwargs):
            with real(*args, **kwargs) as cur:
                yield cur
                inserted.wait(timeout=10)

        monkeypatch.setattr(objectives.db, "transaction", held_open)

    def choose(idea: str) -> None:
        start.wait()
        try:
            outcomes.append(select(org, room, idea=idea, title=f"From {idea}"))
        except Conflict as error:
            outcomes.append(error)
        finally:
            db.cursor().close()

    threads = [threading.Thread(target=choose, args=(idea,)) for idea in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert db.scalar("SELECT count(*) FROM objectives WHERE team_id = ? AND quarter = ?", [org.growth, room["q"]]) == 1
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(conflicts) == 1 and "already has its one objective" in conflicts[0].message
    winner = next(o for o in outcomes if isinstance(o, int))
    assert objectives.current(org.lead, org.growth, room["q"])["id"] == winner


def test_selecting_an_idea_of_another_team_is_refused(org, room):
    theirs = ideas.create(org.core, room["q"], "Core's idea")
    with pytest.raises(ValidationError, match="is an idea of Core for 2027-Q1; choose one of this team's"):
        objectives.select(org.lead, org.growth, room["q"], idea_id=theirs, title="Stolen", now=NOW)
    last_quarter = ideas.create(org.growth, org.quarter, "Old idea")
    with pytest.raises(ValidationError, match="choose one of this team's ideas for 2027-Q1"):
        objectives.select(org.lead, org.growth, room["q"], idea_id=last_quarter, title="Old", now=NOW)
    assert db.scalar("SELECT count(*) FROM objectives") == 0


def test_merged_and_removed_ideas_cannot_be_selected(org, room):
    merged = ideas.merge(org.lead, [room["a"], room["b"]], "Both", now=NOW)
    with pytest.raises(ValidationError, match="was merged into “Both”; choose that one"):
        select(org, room)
    ideas.undo_merge(org.lead, ideas.merge_id_of(merged), now=NOW)
    ideas.remove(org.lead, room["b"], now=NOW)
    with pytest.raises(ValidationError, match="was removed"):
        select(org, room, idea="b")


@pytest.mark.parametrize(("title", "message"), [("", "Objective title is required"), ("x" * 201, "limit is 200")])
def test_empty_and_oversized_objective_titles_are_refused(org, room, title, message):
    with pytest.raises(ValidationError, match=message):
        select(org, room, title=title)
    assert db.scalar("SELECT count(*) FROM objectives") == 0


def test_an_ended_quarter_is_history(org):
    past = quarters.previous(org.quarter)
    idea = ideas.create(org.growth, past, "Old idea")
    with pytest.raises(ValidationError, match="ended on"):
        objectives.select(org.lead, org.growth, past, idea_id=idea, title="Too late", now=NOW)


def test_replace_rewrites_the_one_objective_and_returns_it_to_draft(org, room):
    objective_id = select(org, room)
    db.execute("UPDATE objectives SET status = 'published' WHERE id = ?", [objective_id])
    with pytest.raises(PermissionDenied):
        objectives.replace(org.member, org.growth, room["q"], idea_id=room["b"], title="Import", now=NOW)
    assert objectives.replace(org.lead, org.growth, room["q"], idea_id=room["b"], title="Switching takes an "
                              "afternoon", now=NOW) == objective_id
    found = objectives.current(org.lead, org.growth, room["q"])
    assert (found["id"], found["idea_id"], found["title"], found["status"]) == (
        objective_id, room["b"], "Switching takes an afternoon", "draft")
    assert db.scalar("SELECT count(*) FROM objectives") == 1
    with pytest.raises(NotFound, match="no objective for 2026-Q4 to replace"):
        objectives.replace(org.lead, org.growth, org.quarter, idea_id=room["b"], title="X", now=NOW)


def test_update_rewords_without_changing_the_idea(org, room):
    select(org, room)
    objectives.update(org.lead, org.growth, room["q"], title="Day-one value", why="Because.", strategy_item_id=None,
                      now=NOW)
    found = objectives.current(org.lead, org.growth, room["q"])
    assert (found["title"], found["why"], found["strategy_item_id"], found["idea_id"]) == (
        "Day-one value", "Because.", None, room["a"])


def test_the_round_winner_is_offered_for_selection(org, room):
    round_id = rounds.open_round(org.lead, org.growth, room["q"], methods=["dot"], now=NOW)
    rounds.cast(org.member, round_id, "dot", {room["b"]: 3, room["a"]: 1}, now=NOW)
    assert rounds.winner(org.lead, org.growth, room["q"]) is None  # still open
    rounds.close_round(org.lead, round_id, now=NOW + dt.timedelta(hours=1))
    assert rounds.winner(org.member, org.growth, room["q"])["id"] == room["b"]


def test_the_deprioritized_list(org, room):
    select(org, room)
    candidates = objectives.deprioritize_candidates(org.lead, org.growth, room["q"])
    assert [(c["id"], c["kind"]) for c in candidates] == [(room["b"], "objective idea"),
                                                         (room["survey_no"], "survey suggestion")]
    assert candidates[1]["reason"] == "3% of trials"
    first = objectives.deprioritize(org.lead, org.growth, room["q"], idea_id=room["b"], reason="Next quarter",
                                    now=NOW)
    second = objectives.deprioritize(org.lead, org.growth, room["q"], title="Dark mode", reason="No objective moves",
                                     now=NOW)
    listed = objectives.deprioritized(org.member, org.growth, room["q"])
    assert [(i["title"], i["reason"], i["idea_id"]) for i in listed] == [
        ("Self-serve import", "Next quarter", room["b"]), ("Dark mode", "No objective moves", None)]
    assert [c["id"] for c in objectives.deprioritize_candidates(org.lead, org.growth, room["q"])] == [
        room["survey_no"]]
    with pytest.raises(ValidationError, match="already on the deprioritized list"):
        objectives.deprioritize(org.lead, org.growth, room["q"], title="dark MODE", reason="Again", now=NOW)
    with pytest.raises(ValidationError, match="Reason is required"):
        objectives.deprioritize(org.lead, org.growth, room["q"], title="Tablets", reason=" ", now=NOW)
    with pytest.raises(ValidationError, match="What you deprioritize is required"):
        objectives.deprioritize(org.lead, org.growth, room["q"], title="", reason="Why", now=NOW)
    with pytest.raises(PermissionDenied, match="Only the lead of Growth may edit the deprioritized list"):
        objectives.deprioritize(org.member, org.growth, room["q"], title="Tablets", reason="Why", now=NOW)
    objectives.remove_deprioritized(org.lead, second, now=NOW)
    assert [i["id"] for i in objectives.deprioritized(org.lead, org.growth, room["q"])] == [first]
    objectives.restore_deprioritized(org.lead, second, now=NOW)
    assert [i["id"] for i in objectives.deprioritized(org.lead, org.growth, room["q"])] == [first, second]
    theirs = ideas.create(org.core, room["q"], "Core's idea")
    with pytest.raises(ValidationError, match="another team"):
        objectives.deprioritize(org.lead, org.growth, room["q"], idea_id=theirs, reason="Why", now=NOW)
