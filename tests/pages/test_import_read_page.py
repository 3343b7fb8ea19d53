"""AppTest: a CSV of key results with only their titles — the check reports each reading with its S and M, the
import creates the key results."""

from okrdash import db, quarters
from tests.pages.test_import_page import CHECK, IMPORT, MAYA, open_admin, texts, upload


def test_a_title_only_import_reports_readings_and_creates_the_key_results(demo_db):
    planning = quarters.planning_key()
    data = ("team,quarter,objective,key_result\n"
            f"Developer Platform,{planning},Builders ship on Harbor in a day,Grow weekly API sign-ups by 20%\n"
            f"Developer Platform,{planning},Builders ship on Harbor in a day,Keep p99 API latency < 300 ms\n"
            f"Developer Platform,{planning},Builders ship on Harbor in a day,Publish the public API reference\n"
            ).encode()
    before = db.scalar("SELECT count(*) FROM key_results")
    at = upload(open_admin(MAYA, "Data and backup"), "okrs", data, CHECK)
    assert "3 rows ready to import; they would create 1 objective, 3 key results and 1 published version." in texts(at)
    readings = next(d.value for d in at.dataframe if "read_as" in d.value.columns)
    assert readings[["line", "read_as", "S", "M"]].values.tolist() == [
        [2, "Increase by 20% · weekly API sign-ups", "pass", "pass"],
        [3, "Stay below · 300 ms · p99 API latency", "pass", "pass"],
        [4, "Milestone", "pass", "pass"]]
    assert db.scalar("SELECT count(*) FROM key_results") == before
    upload(at, "okrs", data, IMPORT)
    assert "Imported 3 rows: 1 objective, 3 key results and 1 published version." in texts(at)
    assert db.column("""SELECT k.kind FROM key_results k JOIN objectives o ON o.id = k.objective_id
                        JOIN teams t ON t.id = o.team_id WHERE t.name = 'Developer Platform' AND o.quarter = ?
                        ORDER BY k.position""", [planning]) == ["increase_to", "stay_below", "milestone"]
    assert db.scalar("SELECT count(*) FROM kr_relative") == 1
