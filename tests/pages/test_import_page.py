"""AppTest of Admin → Data and backup → Import: a check lists problems by line, an import creates rows, and only
admins see it."""

import pytest

from okrdash import db, imports, quarters
from tests.pages.apptest import assert_clean, open_admin, open_page, texts

MAYA = "maya.okafor@harbor.example"  # admin
CHECK = "FormSubmitter:admin_import_{}-Check without importing"
IMPORT = "FormSubmitter:admin_import_{}-Import"


def counts() -> dict[str, int]:
    return {t: db.scalar(f"SELECT count(*) FROM {t}") for t in ("objectives", "key_results", "publications",
                                                                   "checkins")}


def upload(at, kind: str, data: bytes, button: str):
    at.file_uploader(key=f"admin_import_{kind}_file").set_value((f"{kind}.csv", data, "text/csv"))
    at.button(key=button.format(kind)).click().run()
    assert_clean(at)
    return at


def table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def problems(at):
    """The problems table (line, problem) under the import form."""
    return next(t.value for t in at.table if "Problem" in t.value.columns).reset_index()


def test_the_check_lists_every_problem_by_line_and_imports_nothing(demo_db):
    before = counts()
    template = imports.okr_template(quarters.planning_key()).decode("utf-8-sig").splitlines()
    bad = [template[0], template[1].replace("Developer Platform", "Developer Platfrom"),
           template[2].replace("milestone", "someday")]
    at = upload(open_admin(MAYA, "Data and backup"), "okrs", "\n".join(bad).encode(), CHECK)
    assert "Nothing was imported: 3 problems. Fix the file and check it again." in texts(at)
    shown = problems(at)
    assert shown["Line"].tolist() == ["2", "3", "3"]
    assert "No team is called “Developer Platfrom”. Did you mean “Developer Platform”?" in shown["Problem"][0]
    assert "“someday” is not a kind of key result" in shown["Problem"][1]
    assert "would have 1 key result" in shown["Problem"][2]
    assert counts() == before


def test_the_import_button_refuses_a_bad_file_too(demo_db):
    before = counts()
    at = upload(open_admin(MAYA, "Data and backup"), "checkins", b"team,quarter\nOnboarding,2026-Q4\n", IMPORT)
    assert "Nothing was imported: 1 problem." in texts(at)
    assert "lacks the columns key_result, date, value" in problems(at)["Problem"][0]
    assert counts() == before


def test_checking_then_importing_the_templates_creates_the_rows(demo_db):
    before = counts()
    planning = quarters.planning_key()
    at = open_admin(MAYA, "Data and backup")
    okrs = imports.okr_template(planning)
    upload(at, "okrs", okrs, CHECK)
    assert "2 rows ready to import; they would create 1 objective, 2 key results and 1 published version." in texts(at)
    assert counts() == before
    upload(at, "okrs", okrs, IMPORT)
    assert "Imported 2 rows: 1 objective, 2 key results and 1 published version." in texts(at)
    created = table(at, "objective_is")
    assert created[["team", "quarter", "objective_is", "status"]].values.tolist() == [
        ["Developer Platform", planning, "new", "published"]]
    assert counts()["key_results"] == before["key_results"] + 2
    assert db.scalar("""SELECT o.status FROM objectives o JOIN teams t ON t.id = o.team_id
                        WHERE t.name = 'Developer Platform' AND o.quarter = ?""", [planning]) == "published"

    upload(at, "checkins", imports.checkin_template(), IMPORT)
    assert "Imported 1 row: 1 check-in." in texts(at)
    assert counts()["checkins"] == before["checkins"] + 1


def test_without_a_file_the_buttons_ask_for_one(demo_db):
    at = open_admin(MAYA, "Data and backup")
    at.button(key=CHECK.format("okrs")).click().run()
    assert_clean(at)
    assert "Choose a CSV file first." in texts(at)


def test_admins_get_both_templates(demo_db):
    at = open_admin(MAYA, "Data and backup")
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("admin_import_okrs_template" in k for k in keys)
    assert any("admin_import_checkins_template" in k for k in keys)


@pytest.mark.parametrize("email", ["tomas.herrera@harbor.example", "hannah.weiss@harbor.example",
                                   "daniel.brandt@harbor.example"])
def test_non_admins_are_refused_the_import(demo_db, email):
    at = open_page(email, "pages/admin.py")
    assert_clean(at)
    assert "The Admin page is for admins" in texts(at)
    assert not at.get("file_uploader")
