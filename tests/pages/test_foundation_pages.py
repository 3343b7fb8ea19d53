"""AppTest of the foundation's pages (Home, Strategy, Admin) for every role, their forms and bad input."""

import pytest

from okrdash import db, fmt, people, strategy, teams
from tests.backends import duckdb_only, postgres_only
from tests.pages.apptest import assert_clean, open_admin, open_page, texts

MAYA = "maya.okafor@harbor.example"  # admin, manager of the organisation
TOMAS = "tomas.herrera@harbor.example"  # lead of Onboarding
HANNAH = "hannah.weiss@harbor.example"  # member of Onboarding
DANIEL = "daniel.brandt@harbor.example"  # manager of Customer Product
ROSA = "rosa.jimenez@harbor.example"  # in no team
EVERYONE = [MAYA, TOMAS, HANNAH, DANIEL, ROSA]
HOSTILE = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "نور الصباح 🚀", "=HYPERLINK(\"x\")"]


@pytest.mark.parametrize("email", EVERYONE)
def test_home_greets_everyone_and_lists_their_teams(demo_db, email):
    at = open_page(email)
    assert_clean(at)
    first_name = db.scalar("SELECT name FROM people WHERE email = ?", [email]).split()[0]
    assert at.title[0].value == f"Hello, {first_name}"
    assert "Demo identity mode" in texts(at)
    if email == HANNAH:
        assert "**Onboarding** · member" in texts(at)
    if email == ROSA:
        assert "You are not in any team yet" in texts(at)
    if email in (MAYA, DANIEL):
        assert f"**{6 if email == MAYA else 3} teams** in your scope" in texts(at)


@pytest.mark.parametrize("email", EVERYONE)
def test_strategy_page_renders_for_everyone_and_only_admins_can_edit(demo_db, email):
    at = open_page(email, "pages/strategy.py")
    assert_clean(at)
    assert "Make getting paid effortless" in texts(at)
    assert [h.value for h in at.header][:2] == ["Mission", "Company objectives"]
    assert bool(at.toggle) == (email == MAYA)


@pytest.mark.parametrize("email", [TOMAS, HANNAH, DANIEL, ROSA])
def test_admin_page_refuses_non_admins_opened_by_url(demo_db, email):
    at = open_page(email, "pages/admin.py")
    assert_clean(at)
    assert "The Admin page is for admins" in texts(at)
    assert not at.tabs


@pytest.mark.parametrize(("tab", "tables"), [("Quarters", 1), ("People", 1), ("Teams", 1),
                                             ("Memberships and roles", 1), ("Data and backup", 0),
                                             ("Notifications", 2)])
def test_admin_page_renders_every_tab_for_an_admin(demo_db, tab, tables):
    at = open_admin(MAYA, tab)
    assert_clean(at)
    assert [t.label for t in at.tabs] == ["Quarters", "People", "Teams", "Memberships and roles", "Data and backup",
                                          "Notifications"]
    assert len(at.dataframe) == tables  # only the open tab is drawn


def _edit_mode(email=MAYA):
    at = open_page(email, "pages/strategy.py")
    at.toggle(key="strategy_edit").set_value(True).run()
    return at


def test_admin_adds_a_strategy_item_and_the_form_clears(demo_db):
    at = _edit_mode()
    at.text_input(key="strategy_add_title").input("Win the enterprise")
    at.text_area(key="strategy_add_body").input("Because **reasons**.")
    at.selectbox(key="strategy_add_kind").select("company_objective")
    at.button(key="FormSubmitter:strategy_add-Add").click().run()
    assert_clean(at)
    assert "Added." in texts(at)
    assert "Win the enterprise" in [i["title"] for i in strategy.items(db.scalar(
        "SELECT key FROM quarters WHERE is_current"), "company_objective")]
    assert at.text_input(key="strategy_add_title").value == ""


@pytest.mark.parametrize(("title", "body", "message"), [
    ("", "body", "Title is required."),
    ("x" * 10_240, "", "the limit is 200"),
    ("Long body", "y" * 10_240, "the limit is 4,000"),
])
def test_bad_strategy_input_shows_a_message_and_keeps_the_text(demo_db, title, body, message):
    at = _edit_mode()
    before = db.scalar("SELECT count(*) FROM strategy_items")
    at.text_input(key="strategy_add_title").input(title)
    at.text_area(key="strategy_add_body").input(body)
    at.button(key="FormSubmitter:strategy_add-Add").click().run()
    assert_clean(at)
    assert any(message in e.value for e in at.error)
    assert at.text_input(key="strategy_add_title").value == title
    assert at.text_area(key="strategy_add_body").value == body
    assert db.scalar("SELECT count(*) FROM strategy_items") == before


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_titles_are_stored_and_shown_as_plain_text(demo_db, hostile):
    at = _edit_mode()
    at.text_input(key="strategy_add_title").input(hostile)
    at.button(key="FormSubmitter:strategy_add-Add").click().run()
    assert_clean(at)
    assert db.scalar("SELECT count(*) FROM strategy_items WHERE title = ?", [hostile]) == 1
    # Shown through fmt.plain: every Markdown/HTML character escaped, so the browser displays the text as typed.
    assert f"#### {fmt.plain(hostile)}" in [m.value for m in at.markdown]


def test_admin_deletes_an_item_and_undoes_it(demo_db):
    at = _edit_mode()
    quarter = db.scalar("SELECT key FROM quarters WHERE is_current")
    principle = strategy.items(quarter, "principle")[0]
    at.button(key=f"delete_{principle['id']}").click().run()
    assert_clean(at)
    assert principle["title"] not in [i["title"] for i in strategy.items(quarter, "principle")]
    at.button(key="strategy_undo").click().run()
    assert_clean(at)
    assert principle["title"] in [i["title"] for i in strategy.items(quarter, "principle")]


def test_admin_adds_a_person_and_a_duplicate_email_is_refused(demo_db):
    at = open_admin(MAYA, "People")
    at.text_input(key="admin_person_name").input("Nadia Benali")
    at.text_input(key="admin_person_email").input("Nadia.Benali@harbor.example")
    at.button(key="FormSubmitter:admin_add_person-Add person").click().run()
    assert_clean(at)
    assert db.scalar("SELECT name FROM people WHERE email = 'nadia.benali@harbor.example'") == "Nadia Benali"
    at.text_input(key="admin_person_name").input("Someone Else")
    at.text_input(key="admin_person_email").input("nadia.benali@harbor.example")
    at.button(key="FormSubmitter:admin_add_person-Add person").click().run()
    assert any("already belongs to Nadia Benali" in e.value for e in at.error)
    assert at.text_input(key="admin_person_name").value == "Someone Else"


@pytest.mark.parametrize(("name", "message"), [("", "Team name is required."), ("Onboarding", "already exists")])
def test_admin_team_form_validates(demo_db, name, message):
    at = open_admin(MAYA, "Teams")
    at.text_input(key="admin_team_name").input(name)
    at.button(key="FormSubmitter:admin_add_team-Add team").click().run()
    assert_clean(at)
    assert any(message in e.value for e in at.error)


def test_admin_adds_a_quarter_and_bad_keys_get_a_message(demo_db):
    at = open_page(MAYA, "pages/admin.py")
    at.text_input(key="admin_quarter_key").input("2031-q2")
    at.button(key="FormSubmitter:admin_add_quarter-Add quarter").click().run()
    assert db.scalar("SELECT count(*) FROM quarters WHERE key = '2031-Q2'") == 1
    at.text_input(key="admin_quarter_key").input("next quarter")
    at.button(key="FormSubmitter:admin_add_quarter-Add quarter").click().run()
    assert any("write it like 2026-Q3" in e.value for e in at.error)


def test_roles_edited_by_an_admin_change_what_the_person_sees(demo_db):
    rosa = db.scalar("SELECT id FROM people WHERE email = ?", [ROSA])
    team = db.scalar("SELECT id FROM teams WHERE name = 'Mobile Apps'")
    assert "Surveys are for team members" in texts(open_page(ROSA, "pages/survey.py"))
    teams.join(team, rosa, "member")
    assert "Surveys are for team members" not in texts(open_page(ROSA, "pages/survey.py"))
    assert people.get(rosa)["active"]


def test_admin_finds_a_person_and_adds_them_to_a_team(demo_db):
    at = open_admin(MAYA, "Memberships and roles")
    at.selectbox(key="admin_roles_team").select(db.scalar("SELECT id FROM teams WHERE name = 'Mobile Apps'")).run()
    at.text_input(key="admin_member_person_search").input("rosa").run()
    rosa = db.scalar("SELECT id FROM people WHERE email = ?", [ROSA])
    assert at.selectbox(key="admin_member_person").value == rosa
    at.radio(key="admin_member_role").set_value("lead")
    at.button(key="admin_member_save").click().run()
    assert_clean(at)
    assert db.scalar("SELECT role FROM memberships m JOIN teams t ON t.id = m.team_id "
                     "WHERE t.name = 'Mobile Apps' AND person_id = ?", [rosa]) == "lead"


def test_admin_people_search_narrows_the_list(demo_db):
    at = open_admin(MAYA, "People")
    at.text_input(key="admin_people_search").input("WEISS").run()
    assert "1 person matches." in texts(at)
    table = at.dataframe[0].value
    assert table["name"].tolist() == ["Hannah Weiss"]
    assert table["roles"].tolist() == ["Onboarding"]


@duckdb_only
def test_admin_prepares_a_backup_to_download(demo_db):
    at = open_admin(MAYA, "Data and backup")
    name = f"okrdash-{db.scalar('SELECT key FROM quarters WHERE is_current')}-backup.zip"
    at.button(key=f"admin_file_{name}_make").click().run()
    assert_clean(at)
    assert at.session_state[f"admin_file_{name}"][:2] == b"PK"  # a zip, offered by the download button


@postgres_only
def test_on_postgresql_the_admin_page_points_to_pg_dump_for_backups(demo_db):
    at = open_admin(MAYA, "Data and backup")
    assert_clean(at)
    assert "pg_dump" in texts(at)
    assert not [b for b in at.button if b.label in ("Prepare a backup", "Restore the backup")]
    assert [b for b in at.button if b.label == "Prepare CSV export"]


def test_error_messages_quoting_typed_text_show_it_as_text(demo_db):
    """A refusal that quotes a hostile title must not render its Markdown (a link, an image, emphasis)."""
    at = _edit_mode()
    quarter = db.scalar("SELECT key FROM quarters WHERE is_current")
    item = strategy.create(quarter, "company_objective", "[click me](http://evil.example) **now**")
    db.execute("INSERT INTO objectives (team_id, quarter, title, strategy_item_id) "
               "SELECT id, ?, 'O', ? FROM teams WHERE name = 'Mobile Apps' AND NOT EXISTS "
               "(SELECT 1 FROM objectives WHERE team_id = teams.id AND quarter = ?)", [quarter, item, quarter])
    db.execute("UPDATE objectives SET strategy_item_id = ? WHERE quarter = ? AND team_id = "
               "(SELECT id FROM teams WHERE name = 'Mobile Apps')", [item, quarter])
    at.run()
    at.button(key=f"delete_{item}").click().run()
    shown = [e.value for e in at.error]
    assert any("\\[click me\\](http://evil.example) \\*\\*now\\*\\*" in e for e in shown), shown
