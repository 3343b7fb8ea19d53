"""Quarters, people, teams, roles and the strategy: rules, validation and the role × action matrix."""

import datetime as dt

import pytest

from okrdash import auth, db, people, quarters, strategy, teams
from okrdash.errors import NotFound, PermissionDenied, ValidationError

ROLES = ["admin", "lead", "member", "outsider", "manager", "stranger"]


# --- quarters ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "start", "end"), [
    ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    ("2026-Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    ("2024-Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
    ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
])
def test_quarter_bounds(key, start, end):
    assert quarters.bounds(key) == (start, end)
    assert quarters.key_for(start) == key and quarters.key_for(end) == key


def test_quarter_shift_crosses_years():
    assert quarters.shift("2026-Q4", 1) == "2027-Q1"
    assert quarters.shift("2026-Q1", -1) == "2025-Q4"
    assert quarters.previous("2026-Q3") == "2026-Q2"


@pytest.mark.parametrize("bad", ["2026Q1", "2026-Q5", "Q1-2026", "", "<script>"])
def test_bad_quarter_keys_are_refused(bad):
    with pytest.raises(ValidationError, match="write it like 2026-Q3"):
        quarters.parse_key(bad)


def test_current_and_planning_quarters(org):
    assert quarters.current_key() == org.quarter
    assert quarters.planning_key() == org.next_quarter
    quarters.set_current(org.admin, org.next_quarter)
    assert quarters.current_key() == org.next_quarter
    assert db.scalar("SELECT count(*) FROM quarters WHERE is_current") == 1
    assert quarters.planning_key() == org.next_quarter  # no quarter after it yet


def test_adding_a_duplicate_quarter_is_refused(org):
    with pytest.raises(ValidationError, match="already exists"):
        quarters.add(org.admin, org.quarter.lower())


# --- people and teams -----------------------------------------------------------------------------------------------

def test_people_emails_are_unique_case_insensitively(org):
    with pytest.raises(ValidationError, match="already belongs to Mia Member"):
        people.add(org.admin, "Someone", "  MIA@Example.com ")


@pytest.mark.parametrize(("name", "email", "message"), [
    ("", "x@example.com", "Name is required"),
    ("   ", "x@example.com", "Name is required"),
    ("X" * 10_000, "x@example.com", "the limit is 200"),
    ("Valid Name", "not-an-email", "is not an email address"),
])
def test_bad_person_input_is_refused(org, name, email, message):
    with pytest.raises(ValidationError, match=message):
        people.add(org.admin, name, email)


def test_emoji_rtl_and_markup_names_are_stored_as_typed(org):
    person_id = people.add(org.admin, "<script>alert(1)</script> نور 🚀", "noor@example.com")
    assert people.get(person_id)["name"] == "<script>alert(1)</script> نور 🚀"


def test_admin_cannot_remove_their_own_admin_rights(org):
    with pytest.raises(ValidationError, match="your own admin rights"):
        people.update(org.admin, org.admin.person_id, name="Ada", email="ada@example.com", is_admin=False,
                      active=True)


def test_a_team_cannot_become_its_own_ancestor(org):
    with pytest.raises(ValidationError, match="cannot sit under itself"):
        teams.update(org.admin, org.department, name="Product", parent_id=org.growth)
    with pytest.raises(ValidationError, match="cannot sit under itself"):
        teams.update(org.admin, org.growth, name="Growth", parent_id=org.growth)


def test_team_names_are_unique(org):
    with pytest.raises(ValidationError, match="already exists"):
        teams.add(org.admin, "growth")


def test_actor_roles_follow_memberships_and_scopes(org):
    assert org.lead.leads(org.growth) and org.lead.is_member(org.growth)
    assert org.member.is_member(org.growth) and not org.member.leads(org.growth)
    assert org.manager.manages_team(org.growth) and org.manager.manages_team(org.core)
    assert not org.manager.manages_team(org.elsewhere)
    assert org.stranger.manages_team(org.elsewhere) and not org.stranger.can_read_team(org.growth)
    teams.add_manager_scope(org.admin, org.member.person_id, None)
    assert auth.load(org.member.person_id).manages_team(org.elsewhere)


def test_deactivated_people_cannot_act(org):
    people.update(org.admin, org.member.person_id, name="Mia Member", email="mia@example.com", is_admin=False,
                  active=False)
    with pytest.raises(NotFound):
        auth.load(org.member.person_id)


def test_membership_roles_are_validated(org):
    with pytest.raises(ValidationError, match="Role must be one of"):
        teams.set_membership(org.admin, org.growth, org.outsider.person_id, "boss")


# --- role × action matrix for the foundation's writes --------------------------------------------------------------

def _actions(org):
    item = strategy.create(org.quarter, "mission", "Our mission")
    return {
        "add quarter": lambda a: quarters.add(a, "2030-Q1"),
        "set current quarter": lambda a: quarters.set_current(a, org.next_quarter),
        "add person": lambda a: people.add(a, "New Person", "new@example.com"),
        "edit person": lambda a: people.update(a, org.member.person_id, name="Mia M", email="mia@example.com",
                                               is_admin=False, active=True),
        "add team": lambda a: teams.add(a, "New team", org.department),
        "edit team": lambda a: teams.update(a, org.core, name="Core platform", parent_id=org.department),
        "set membership": lambda a: teams.set_membership(a, org.core, org.member.person_id, "member"),
        "remove membership": lambda a: teams.remove_membership(a, org.core, org.outsider.person_id),
        "grant manager scope": lambda a: teams.add_manager_scope(a, org.member.person_id, org.core),
        "add strategy item": lambda a: strategy.add(a, org.quarter, "principle", "Be kind"),
        "edit strategy item": lambda a: strategy.update(a, item, kind="mission", title="Mission", body="b"),
        "reorder strategy": lambda a: strategy.move(a, item, 1),
        "delete strategy item": lambda a: strategy.delete(a, item),
        "copy strategy forward": lambda a: strategy.copy_forward(a, org.next_quarter),
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_change_the_foundation(org, role):
    actor = getattr(org, role)
    for name, action in _actions(org).items():
        if role == "admin":
            action(actor)
        else:
            with pytest.raises(PermissionDenied, match="Only admins"):
                action(actor)
            assert name  # every action was attempted


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_strategy_and_opens_the_pages_their_roles_allow(org, role):
    actor = getattr(org, role)
    strategy.create(org.quarter, "mission", "Our mission")
    assert [i["title"] for i in strategy.items(org.quarter)] == ["Our mission"]
    expected = {
        "admin": {"home", "notifications", "strategy", "okrs", "admin"},
        "lead": {"home", "notifications", "strategy", "okrs", "survey", "survey_manage", "workshop", "checkins",
                 "dashboards"},
        "member": {"home", "notifications", "strategy", "okrs", "survey", "workshop", "checkins", "dashboards"},
        "outsider": {"home", "notifications", "strategy", "okrs", "survey", "workshop", "checkins", "dashboards"},
        "manager": {"home", "notifications", "strategy", "okrs", "survey_manage", "dashboards"},
        "stranger": {"home", "notifications", "strategy", "okrs", "survey_manage", "dashboards"},
    }[role]
    assert {page for page in auth.PAGE_RULES if auth.may_open(actor, page)} == expected
    for page in set(auth.PAGE_RULES) - expected:
        assert actor.name in auth.refusal(actor, page)


# --- strategy -----------------------------------------------------------------------------------------------------

def test_strategy_items_read_mission_first_then_by_position(org):
    strategy.add(org.admin, org.quarter, "principle", "Second principle")
    strategy.add(org.admin, org.quarter, "mission", "Mission")
    first = strategy.add(org.admin, org.quarter, "principle", "First principle")
    strategy.move(org.admin, first, -1)
    assert [i["title"] for i in strategy.items(org.quarter)] == ["Mission", "First principle", "Second principle"]
    strategy.move(org.admin, first, -1)  # already first: no-op
    assert strategy.items(org.quarter, "principle")[0]["title"] == "First principle"


def test_copy_forward_copies_every_item_once(org):
    prior = quarters.previous(org.quarter)
    for kind, title in [("mission", "M"), ("company_objective", "Win"), ("principle", "P")]:
        strategy.add(org.admin, prior, kind, title, "**body**")
    assert strategy.copy_forward(org.admin, org.quarter) == 3
    assert [i["title"] for i in strategy.items(org.quarter)] == ["M", "Win", "P"]
    with pytest.raises(ValidationError, match="already has strategy items"):
        strategy.copy_forward(org.admin, org.quarter)


def test_copy_forward_from_an_empty_quarter_says_so(org):
    with pytest.raises(ValidationError, match="has no strategy items to copy"):
        strategy.copy_forward(org.admin, org.quarter)


def test_deleting_a_linked_item_is_refused_and_delete_can_be_undone(org):
    linked = strategy.add(org.admin, org.quarter, "company_objective", "Win the mid-market")
    db.execute("INSERT INTO objectives (team_id, quarter, title, strategy_item_id) VALUES (?, ?, 'O', ?)",
               [org.growth, org.quarter, linked])
    with pytest.raises(ValidationError, match="is linked from 1"):
        strategy.delete(org.admin, linked)
    loose = strategy.add(org.admin, org.quarter, "principle", "Defaults over settings", "Body")
    removed = strategy.delete(org.admin, loose)
    assert [i["id"] for i in strategy.items(org.quarter, "principle")] == []
    strategy.restore(org.admin, removed)
    assert [(i["title"], i["body"]) for i in strategy.items(org.quarter, "principle")] == [
        ("Defaults over settings", "Body")]


@pytest.mark.parametrize(("title", "body", "message"), [
    ("", "", "Title is required"),
    ("T" * 201, "", "the limit is 200"),
    ("Fine", "B" * 10_240, "the limit is 4,000"),
])
def test_bad_strategy_input_is_refused(org, title, body, message):
    with pytest.raises(ValidationError, match=message):
        strategy.add(org.admin, org.quarter, "mission", title, body)
    assert strategy.items(org.quarter) == []


def test_hostile_strategy_text_is_stored_as_typed(org):
    item = strategy.add(org.admin, org.quarter, "mission", "<script>alert('x')</script> 🎯 שלום", "<b>bold</b>")
    stored = strategy.get(item)
    assert stored["title"] == "<script>alert('x')</script> 🎯 שלום" and stored["body"] == "<b>bold</b>"


def test_referenced_people_and_teams_can_be_renamed(org):
    people.update(org.admin, org.member.person_id, name="Mia Moreau", email="mia.moreau@example.com",
                  is_admin=False, active=True)
    assert auth.load(org.member.person_id).email == "mia.moreau@example.com"
    teams.update(org.admin, org.growth, name="Growth & Activation", parent_id=org.department)
    assert teams.get(org.growth)["name"] == "Growth & Activation"


def test_concurrent_creation_of_one_email_makes_one_person(org):
    import threading

    results = []

    def create():
        try:
            results.append(people.create("Twin", "twin@example.com"))
        except ValidationError:
            results.append("refused")

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.scalar("SELECT count(*) FROM people WHERE email = 'twin@example.com'") == 1
    assert results.count("refused") == 7


def test_the_current_quarter_moves_on_when_the_marked_one_has_ended():
    quarters.ensure("2026-Q4", current=True)
    assert quarters.current_key(dt.date(2026, 12, 31)) == "2026-Q4"
    assert quarters.current_key(dt.date(2027, 1, 1)) == "2026-Q4"  # 2027-Q1 not added yet: the mark stands
    quarters.ensure("2027-Q1")
    assert quarters.current_key(dt.date(2027, 1, 1)) == "2027-Q1"  # no admin had to move the mark
    assert quarters.current_key(dt.date(2026, 11, 18)) == "2026-Q4"
    quarters.ensure("2027-Q1", current=True)  # an admin starting the new quarter early keeps it
    assert quarters.current_key(dt.date(2026, 12, 20)) == "2027-Q1"
