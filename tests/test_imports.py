"""CSV imports of OKRs and check-ins: the happy paths, every rule refused with its line number, all or nothing,
admins only, and text stored exactly as typed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from okrdash import auth, checkins, db, exports, imports, key_results, publications, quarters
from okrdash.errors import PermissionDenied

NOW = dt.datetime(2026, 11, 18, 10, 0)  # org's current quarter is 2026-Q4
OKR_HEADER = "team,quarter,objective,key_result,kind,metric,unit,baseline,target,owner_email,due"
CHECKIN_HEADER = "team,quarter,key_result,date,value,confidence,comment,person_email"
OBJECTIVE = "Grow self-serve revenue"
CONVERSION = f"Growth,2026-Q4,{OBJECTIVE},Raise trial conversion from 14% to 20%,increase_to,trial conversion," \
             "%,14,20,mia@example.com,2026-12-15"
ANNUAL = f"Growth,2026-Q4,{OBJECTIVE},Launch annual plans,milestone,Annual plans on sale in every market,,,," \
         "max@example.com,"
TABLES = ("objectives", "key_results", "publications", "checkins")


def okr_csv(*rows: str, header: str = OKR_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def checkin_csv(*rows: str, header: str = CHECKIN_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def counts() -> dict[str, int]:
    return {t: db.scalar(f"SELECT count(*) FROM {t}") for t in TABLES}


def refused(call, *args, **kwargs) -> imports.ImportRefused:
    before = counts()
    with pytest.raises(imports.ImportRefused) as caught:
        call(*args, **kwargs)
    assert counts() == before  # nothing written
    return caught.value


def problem(error: imports.ImportRefused, line: int | None, fragment: str) -> None:
    assert any(e.line == line and fragment in e.message for e in error.errors), [str(e) for e in error.errors]
    if line is not None:
        assert f"line {line}: " in error.message or len(error.errors) > 10


@pytest.fixture
def growth_okrs(org):
    imports.import_okrs(org.admin, okr_csv(CONVERSION, ANNUAL), now=NOW)
    return org


# --- happy paths ---------------------------------------------------------------------------------------------------


def test_okrs_then_checkins_into_a_fresh_team_and_quarter(org):
    report = imports.import_okrs(org.admin, okr_csv(CONVERSION, ANNUAL), now=NOW)
    assert report.created == {"objectives": 1, "key_results": 2, "publications": 1}
    assert report.summary == "Imported 2 rows: 1 objective, 2 key results and 1 published version."
    assert report.details == [{"team": "Growth", "quarter": "2026-Q4", "objective": OBJECTIVE,
                               "objective_is": "new", "key_results_added": 2, "status": "published"}]
    objective = key_results.objective_row(org.growth, "2026-Q4")
    assert (objective["title"], objective["status"]) == (OBJECTIVE, "published")
    published = publications.latest_for(org.growth, "2026-Q4")
    assert published["version"] == 1 and published["published_by"] == org.admin.person_id
    conversion, annual = published["snapshot"]["key_results"]
    assert (conversion["kind"], conversion["baseline"], conversion["target"], conversion["unit"]) == \
           ("increase_to", 14, 20, "%")
    assert (conversion["owner"]["email"], conversion["due_on"]) == ("mia@example.com", "2026-12-15")
    # A milestone's metric cell is its definition of done; a blank due date is the quarter's last day.
    assert (annual["kind"], annual["metric"], annual["definition_of_done"], annual["due_on"]) == \
           ("milestone", "", "Annual plans on sale in every market", "2026-12-31")

    report = imports.import_checkins(org.admin, checkin_csv(
        "Growth,2026-Q4,Raise trial conversion from 14% to 20%,2026-11-02,15,7,Steady,mia@example.com",
        "growth , 2026-q4 ,  raise TRIAL conversion from 14% to 20% ,2026-11-16,17.5,8,Better,lee@example.com",
        "Growth,2026-Q4,Launch annual plans,2026-11-10,not done,6,,max@example.com",
    ), now=NOW)
    assert report.created == {"checkins": 3}
    assert {(d["key_result"], d["check_ins"]) for d in report.details} == {
        ("Raise trial conversion from 14% to 20%", 2), ("Launch annual plans", 1)}
    state = checkins.kr_state(org.manager, conversion["id"], today=NOW.date())
    assert (state["last_value"], state["confidence"], state["checkins"]) == (17.5, 8, 2)
    assert checkins.kr_state(org.manager, annual["id"], today=NOW.date())["done"] is False


def test_dry_run_reports_what_would_be_created_and_writes_nothing(org):
    before = counts()
    report = imports.import_okrs(org.admin, okr_csv(CONVERSION, ANNUAL), now=NOW, dry_run=True)
    assert report.summary == "2 rows ready to import; they would create 1 objective, 2 key results and 1 published " \
                             "version."
    assert counts() == before


def test_key_results_join_an_existing_objective_of_the_same_title_and_draft_import(org):
    imports.import_okrs(org.admin, okr_csv(CONVERSION, ANNUAL), publish=False, now=NOW)
    assert key_results.objective_row(org.growth, "2026-Q4")["status"] == "draft"
    assert publications.latest_for(org.growth, "2026-Q4") is None
    more = CONVERSION.replace("Raise trial conversion from 14% to 20%", "Keep churn below 2%") \
        .replace("increase_to,trial conversion,%,14,20", "stay_below,monthly churn,%,1.8,2")
    report = imports.import_okrs(org.admin, okr_csv(more.replace(OBJECTIVE, f"  {OBJECTIVE.upper()} ")), now=NOW)
    assert report.created == {"objectives": 0, "key_results": 1, "publications": 1}
    assert [k["title"] for k in key_results.rows_for(org.growth, "2026-Q4")] == [
        "Raise trial conversion from 14% to 20%", "Launch annual plans", "Keep churn below 2%"]


def test_header_is_case_and_space_insensitive_with_bom_crlf_extra_columns_and_blank_lines(org):
    header = "Team, Quarter ,OBJECTIVE,Key Result,Kind,Metric,Unit,Baseline,Target,Owner-Email,Due,Notes"
    text = "\r\n".join([header, "", CONVERSION + ",ignored", ",,,,,,,,,,,", ANNUAL + ",", ""])
    report = imports.import_okrs(org.admin, text.encode("utf-8-sig"), now=NOW)
    assert report.created["key_results"] == 2


def test_kind_labels_and_formatted_numbers_are_understood(org):
    rows = [CONVERSION.replace("increase_to", "Increase to").replace(",14,20,", ',"1,400",2000 ,'),
            ANNUAL.replace("milestone", "MILESTONE")]
    imports.import_okrs(org.admin, okr_csv(*rows), now=NOW)
    first = key_results.rows_for(org.growth, "2026-Q4")[0]
    assert (first["kind"], first["baseline"], first["target"]) == ("increase_to", 1400, 2000)


def test_an_export_imports_back_for_another_quarter(demo_db):
    admin = auth.load_by_email("maya.okafor@harbor.example")
    current, target = quarters.current_key(), quarters.planning_key()
    assert target != current and not db.scalar("SELECT count(*) FROM objectives WHERE quarter = ?", [target])
    snaps = [p["snapshot"] for p in publications.for_quarter(admin, current)]
    frame = pd.read_csv(io.BytesIO(exports.csv_bytes(snaps)), dtype=str, keep_default_na=False)
    frame["quarter"], frame["due"] = target, ""
    report = imports.import_okrs(admin, frame.to_csv(index=False).encode())
    assert report.created == {"objectives": len(snaps), "key_results": len(frame), "publications": len(snaps)}
    for snap in snaps:
        again = publications.latest_for(snap["team"]["id"], target)["snapshot"]
        assert again["objective"]["title"] == snap["objective"]["title"]
        fields = ("title", "kind", "metric", "unit", "baseline", "target", "definition_of_done")
        assert [[k[f] for f in fields] + [k["owner"]["email"]] for k in again["key_results"]] == \
               [[k[f] for f in fields] + [k["owner"]["email"]] for k in snap["key_results"]]


def test_templates_pass_their_own_check_on_the_demo(demo_db):
    admin = auth.load_by_email("maya.okafor@harbor.example")
    okrs = imports.import_okrs(admin, imports.okr_template(quarters.planning_key()), dry_run=True)
    assert okrs.created["key_results"] == 2
    found = imports.import_checkins(admin, imports.checkin_template(), dry_run=True)
    assert found.created == {"checkins": 1}


def test_a_thousand_checkins_import_in_one_go(growth_okrs):
    rows = [f"Growth,2026-Q4,Raise trial conversion from 14% to 20%,{dt.date(2026, 10, 1) + dt.timedelta(i % 49)},"
            f"{14 + i / 100},{i % 11},,mia@example.com" for i in range(1000)]
    assert imports.import_checkins(growth_okrs.admin, checkin_csv(*rows), now=NOW).created == {"checkins": 1000}
    assert db.scalar("SELECT count(*) FROM checkins") == 1000


# --- every rule, with its line ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "line", "fragment"), [
    ([CONVERSION.replace("Growth", "Growht", 1), ANNUAL], 2, "No team is called “Growht”. Did you mean “Growth”?"),
    ([CONVERSION, ANNUAL.replace("2026-Q4", "2031-Q2")], 3, "Quarter 2031-Q2 does not exist"),
    ([CONVERSION.replace("2026-Q4", "next quarter"), ANNUAL], 2, "is not a quarter; write it like 2026-Q3"),
    ([CONVERSION.replace("increase_to", "grow_to"), ANNUAL], 2, "“grow_to” is not a kind of key result"),
    ([CONVERSION.replace(",14,20,", ",lots,20,"), ANNUAL], 2, "Baseline must be a number, not “lots”"),
    ([CONVERSION.replace(",14,20,", ",14,,"), ANNUAL], 2, "Kind increase_to needs a target"),
    ([CONVERSION.replace(",14,20,", ",20,14,"), ANNUAL], 2, "needs a target above the baseline (20 → 14)"),
    ([CONVERSION, ANNUAL.replace(",,,,", ",,,5,")], 3, "A milestone has no baseline or target"),
    ([CONVERSION, ANNUAL.replace("Annual plans on sale in every market", "")], 3, "needs its definition of done"),
    ([CONVERSION.replace("mia@", "olga@"), ANNUAL], 2, "Olga Outsider is not a member of Growth"),
    ([CONVERSION, ANNUAL.replace("max@", "nobody@")], 3, "Nobody in okrdash has the email nobody@example.com"),
    ([CONVERSION, ANNUAL.replace("max@example.com", "max")], 3, "“max” is not an email address"),
    ([CONVERSION.replace("2026-12-15", "2027-01-15"), ANNUAL], 2, "is outside 2026-Q4"),
    ([CONVERSION.replace("2026-12-15", "15/12/2026"), ANNUAL], 2, "Due date must be a date like 2026-03-31"),
    ([CONVERSION, ANNUAL.replace(OBJECTIVE, "Something else")], 3,
     "Growth's objective for 2026-Q4 is “Grow self-serve revenue” (line 2), not “Something else”"),
    ([CONVERSION, CONVERSION.replace("2026-12-15", "")], 3, "appears twice for “Grow self-serve revenue” (line 2"),
    ([CONVERSION], 2, "would have 1 key result; an objective needs 2 to 5"),
    ([CONVERSION, ANNUAL, "Growth,2026-Q4"], 4, "Objective is required"),
    ([CONVERSION, ANNUAL, "Growth,2026-Q4"], 4, "The kind is missing"),
    ([CONVERSION, ANNUAL, f"Growth,2026-Q4,{OBJECTIVE},A, title with a comma,milestone,x,,,,max@example.com,"
                          "2026-12-01"], 4, "This line has 12 cells but the header has 11 columns"),
])
def test_every_okr_rule_is_refused_with_its_line(org, rows, line, fragment):
    error = refused(imports.import_okrs, org.admin, okr_csv(*rows), now=NOW)
    problem(error, line, fragment)


def test_a_sixth_key_result_is_refused_counting_those_already_there(org):
    imports.import_okrs(org.admin, okr_csv(CONVERSION, ANNUAL), now=NOW)
    extra = [ANNUAL.replace("Launch annual plans", f"Launch plan {n}") for n in range(1, 5)]
    error = refused(imports.import_okrs, org.admin, okr_csv(*extra), now=NOW)
    assert [e.line for e in error.errors] == [5]
    problem(error, 5, "This would be key result number 6 of “Grow self-serve revenue”; an objective has at most 5 "
                      "(2 already in okrdash, 4 in this file)")


def test_a_second_objective_for_a_team_and_quarter_is_refused(org):
    imports.import_okrs(org.admin, okr_csv(CONVERSION, ANNUAL), now=NOW)
    other = [r.replace(OBJECTIVE, "Win enterprise").replace("Launch annual", "Launch SSO").replace("Raise", "Lift")
             for r in (CONVERSION, ANNUAL)]
    error = refused(imports.import_okrs, org.admin, okr_csv(*other), now=NOW)
    problem(error, 2, "Growth already has its objective for 2026-Q4: “Grow self-serve revenue”. A team has one "
                      "objective per quarter")
    problem(error, 3, "one objective per quarter")


def test_importing_the_same_file_twice_is_refused(growth_okrs):
    error = refused(imports.import_okrs, growth_okrs.admin, okr_csv(CONVERSION, ANNUAL), now=NOW)
    problem(error, 2, "already has the key result “Raise trial conversion from 14% to 20%” (was this file imported")


def test_every_problem_of_every_line_is_listed_at_once(org):
    rows = [CONVERSION.replace("Growth", "Nope", 1).replace(",14,20,", ",x,y,"), ANNUAL.replace("max@", "olga@")]
    error = refused(imports.import_okrs, org.admin, okr_csv(*rows), now=NOW)
    assert [e.line for e in error.errors] == [2, 2, 2, 3, 3]
    for line, fragment in [(2, "No team is called “Nope”"), (2, "Baseline must be a number"),
                           (2, "Target must be a number"), (3, "Olga Outsider is not a member of Growth"),
                           (3, "would have 1 key result")]:
        problem(error, line, fragment)
    assert "Nothing was imported: the file has 5 problems. Fix them" in error.message


@pytest.mark.parametrize(("row", "fragment"), [
    ("Growth,2026-Q4,Raise trial conversion to 30%,2026-11-02,15,7,,mia@example.com",
     "Growth has no key result “Raise trial conversion to 30%” for 2026-Q4. Did you mean “Raise trial conversion"),
    ("Core,2026-Q4,Anything,2026-11-02,15,7,,olga@example.com", "Core has no objective for 2026-Q4"),
    ("Growth,2026-Q4,Launch annual plans,2026-11-02,done,11,,max@example.com",
     "Confidence must be a whole number from 0 to 10"),
    ("Growth,2026-Q4,Launch annual plans,2026-11-02,done,,,max@example.com", "Confidence is required"),
    ("Growth,2026-Q4,Launch annual plans,2026-11-19,done,7,,max@example.com", "is in the future"),
    ("Growth,2026-Q4,Launch annual plans,2026-09-30,done,7,,max@example.com", "is outside 2026-Q4"),
    ("Growth,2026-Q4,Launch annual plans,,done,7,,max@example.com", "must be a date like 2026-03-31"),
    ("Growth,2026-Q4,Launch annual plans,2026-11-02,maybe,7,,max@example.com", "value is “done” or “not done”"),
    ("Growth,2026-Q4,Raise trial conversion from 14% to 20%,2026-11-02,fifteen,7,,mia@example.com",
     "The value of trial conversion must be a number"),
    ("Growth,2026-Q4,Raise trial conversion from 14% to 20%,2026-11-02,=1+1,7,,mia@example.com",
     "must be a number, not “=1+1”"),
    ("Growth,2026-Q4,Launch annual plans,2026-11-02,done,7,,olga@example.com",
     "Olga Outsider is not a member of Growth, so their check-in cannot be imported"),
    ("Growth,2026-Q4,Launch annual plans,2026-11-02,done,7,,ghost@example.com", "Nobody in okrdash has the email"),
])
def test_every_checkin_rule_is_refused_with_its_line(growth_okrs, row, fragment):
    good = "Growth,2026-Q4,Launch annual plans,2026-11-01,not done,7,,max@example.com"
    error = refused(imports.import_checkins, growth_okrs.admin, checkin_csv(good, row), now=NOW)
    problem(error, 3, fragment)
    assert {e.line for e in error.errors} == {3}


def test_checkins_on_a_draft_objective_are_refused(org):
    imports.import_okrs(org.admin, okr_csv(core(CONVERSION), core(ANNUAL)), publish=False, now=NOW)
    error = refused(imports.import_checkins, org.admin, checkin_csv(
        "Core,2026-Q4,Launch annual plans,2026-11-02,done,7,,olga@example.com"), now=NOW)
    problem(error, 2, "“Grow self-serve revenue” is still a draft: check-ins count only on published OKRs")


def test_duplicate_checkins_are_refused_in_the_file_and_against_the_database(growth_okrs):
    row = "Growth,2026-Q4,Launch annual plans,2026-11-02,done,7,Shipped,max@example.com"
    problem(refused(imports.import_checkins, growth_okrs.admin, checkin_csv(row, row), now=NOW), 3,
            "same as line 2")
    imports.import_checkins(growth_okrs.admin, checkin_csv(row), now=NOW)
    problem(refused(imports.import_checkins, growth_okrs.admin, checkin_csv(row), now=NOW), 2,
            "already in okrdash (was this file imported before?)")


def test_line_numbers_count_spreadsheet_rows_not_text_lines(growth_okrs):
    text = CHECKIN_HEADER + '\n\nGrowth,2026-Q4,Launch annual plans,2026-11-02,done,7,"two\nlines",max@example.com\n' \
           "Growth,2026-Q4,Launch annual plans,2026-11-03,done,99,,max@example.com\n"
    error = refused(imports.import_checkins, growth_okrs.admin, text.encode(), now=NOW)
    problem(error, 4, "Confidence must be a whole number")  # row 4 in a spreadsheet, text line 5


@pytest.mark.parametrize(("data", "line", "fragment"), [
    (b"", None, "The file is empty"),
    (b"\xef\xbb\xbf\r\n\r\n", None, "The file is empty"),
    (OKR_HEADER.encode(), None, "The file has a header but no rows to import"),
    (okr_csv(CONVERSION, header=OKR_HEADER.replace(",objective", "")), 1,
     "The header lacks the column objective"),
    (okr_csv(header=OKR_HEADER.replace(",", ";")), 1, "separated by semicolons"),
    (okr_csv(CONVERSION, header=OKR_HEADER + ",Team"), 1, "The header has team twice"),
    (okr_csv(CONVERSION).replace(b"Grow self", "Gr\u00f6w self".encode("latin-1")), 2, "The file is not UTF-8 text"),
    (okr_csv(CONVERSION, ANNUAL.replace("Launch", '"Launch'), CONVERSION), 3, "cannot be read as CSV (unexpected"),
])
def test_unreadable_files_are_refused(org, data, line, fragment):
    problem(refused(imports.import_okrs, org.admin, data, now=NOW), line, fragment)


def test_missing_checkin_columns_are_named(growth_okrs):
    error = refused(imports.import_checkins, growth_okrs.admin, b"team,quarter,key_result,date,value\n")
    problem(error, 1, "lacks the columns confidence, comment, person_email")


# --- all or nothing, admins only -----------------------------------------------------------------------------------


def core(row: str) -> str:
    return row.replace("Growth", "Core", 1).replace("mia@", "olga@").replace("max@", "olga@")


def test_one_bad_row_among_many_writes_nothing(growth_okrs):
    rows = [core(CONVERSION), core(ANNUAL), core(CONVERSION.replace("Raise", "Lift").replace(",14,", ",lots,"))]
    error = refused(imports.import_okrs, growth_okrs.admin, okr_csv(*rows), now=NOW)
    assert [str(e) for e in error.errors] == ["line 4: Baseline must be a number, not “lots”."]
    good = [f"Growth,2026-Q4,Launch annual plans,2026-11-{day:02},not done,7,,max@example.com" for day in range(1, 18)]
    error = refused(imports.import_checkins, growth_okrs.admin, checkin_csv(*good, good[0].replace(",7,", ",x,")),
                    now=NOW)
    assert [e.line for e in error.errors] == [19]


def test_a_failure_while_writing_rolls_everything_back(org, monkeypatch):
    rows = [CONVERSION, ANNUAL, core(CONVERSION), core(ANNUAL)]
    real, calls = publications.freeze_many, []

    def failing(*args, **kwargs):  # the publications are written, then the disk fills up
        calls.append(real(*args, **kwargs))
        raise RuntimeError("disk full")

    monkeypatch.setattr(publications, "freeze_many", failing)
    before = counts()
    with pytest.raises(RuntimeError):
        imports.import_okrs(org.admin, okr_csv(*rows), now=NOW)
    assert counts() == before and calls == [[1, 1]]


@pytest.mark.parametrize("who", ["lead", "member", "outsider", "manager", "stranger"])
def test_only_admins_import(org, who):
    actor = getattr(org, who)
    for call in (lambda: imports.import_okrs(actor, okr_csv(CONVERSION, ANNUAL), now=NOW),
                 lambda: imports.import_okrs(actor, b"garbage", dry_run=True),
                 lambda: imports.import_checkins(actor, b"", now=NOW)):
        with pytest.raises(PermissionDenied, match="Only admins may import"):
            call()
    assert counts() == dict.fromkeys(TABLES, 0)


# --- text as typed -------------------------------------------------------------------------------------------------

HOSTILE_OBJECTIVE = '=HYPERLINK("http://evil.example","click")'
HOSTILE_KR = "<script>alert('x')</script> @SUM(A1)"
RTL = "نور الصباح 🚀 -1"


def hostile_rows() -> list[str]:
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["Growth", "2026-Q4", HOSTILE_OBJECTIVE, HOSTILE_KR, "increase_to", RTL, "€", "-12", "-3",
                     "mia@example.com", ""])
    writer.writerow(["Growth", "2026-Q4", HOSTILE_OBJECTIVE, "+cmd|' /C calc'!A0", "milestone", "**done** <b>", "",
                     "", "", "max@example.com", ""])
    return rows.getvalue().splitlines()


def test_hostile_text_is_stored_exactly_as_typed(org):
    imports.import_okrs(org.admin, okr_csv(*hostile_rows()), now=NOW)
    assert key_results.objective_row(org.growth, "2026-Q4")["title"] == HOSTILE_OBJECTIVE
    first, second = key_results.rows_for(org.growth, "2026-Q4")
    assert (first["title"], first["metric"], first["unit"], first["baseline"]) == (HOSTILE_KR, RTL, "€", -12)
    assert (second["title"], second["definition_of_done"]) == ("+cmd|' /C calc'!A0", "**done** <b>")
    imports.import_checkins(org.admin, checkin_csv(
        f'Growth,2026-Q4,{HOSTILE_KR},2026-11-02,-10,7,"=cmd|\' /C calc\'!A0 {RTL}",mia@example.com'), now=NOW)
    assert db.scalar("SELECT comment FROM checkins") == f"=cmd|' /C calc'!A0 {RTL}"


def test_an_exports_neutralised_formulas_come_back_as_typed(org):
    imports.import_okrs(org.admin, okr_csv(*hostile_rows()), now=NOW)
    exported = exports.csv_bytes([publications.latest_for(org.growth, "2026-Q4")["snapshot"]])
    assert b"'=HYPERLINK" in exported and b"'+cmd" in exported
    moved = exported.decode("utf-8-sig").replace("2026-Q4", "2027-Q1").replace("2026-12-31", "2027-03-31")
    imports.import_okrs(org.admin, moved.encode("utf-8-sig"), now=NOW)
    again = key_results.rows_for(org.growth, "2027-Q1")
    assert key_results.objective_row(org.growth, "2027-Q1")["title"] == HOSTILE_OBJECTIVE
    assert [k["title"] for k in again] == [HOSTILE_KR, "+cmd|' /C calc'!A0"]
    assert again[0]["metric"] == RTL
