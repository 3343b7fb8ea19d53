"""AppTest of the Check-ins page and every dashboard for member, lead, manager and outsider: charts with their CSV,
scope by role, empty states, the owner's check-in (and bad input), the manager's acknowledgement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from okrdash import db, fmt
from tests.pages.apptest import assert_clean, errors, open_page, texts

HANNAH = "hannah.weiss@harbor.example"  # member of Onboarding
TOMAS = "tomas.herrera@harbor.example"  # lead of Onboarding
DANIEL = "daniel.brandt@harbor.example"  # manager of Customer Product (not Platform)
MAYA = "maya.okafor@harbor.example"  # manager of the organisation
ROSA = "rosa.jimenez@harbor.example"  # in no team
DASHBOARDS = ["pages/dashboard_overview.py", "pages/dashboard_team.py", "pages/dashboard_kr.py",
              "pages/dashboard_heatmap.py", "pages/dashboard_history.py", "pages/dashboard_alignment.py"]
CUSTOMER_PRODUCT = {"Onboarding", "Scheduling", "Payments & Invoicing"}
PLATFORM = {"Mobile Apps", "Data & Insights", "Developer Platform"}


def chart_frames(at) -> list[pd.DataFrame]:
    """The data of every chart on the page (Streamlit ships it beside the spec, as Arrow)."""
    return [convert_arrow_bytes_to_pandas_df(d.data.data) for c in at.get("vega_lite_chart") for d in c.proto.datasets]


def chart_data(at) -> str:
    """Every chart's data as text (for 'which teams are shown' checks)."""
    return " ".join(frame.to_csv() for frame in chart_frames(at))


def current_kr(team: str, *, last: bool = False, owned_by_member: bool = False) -> dict:
    """The team's first (or last) measured KR of the current quarter; with `owned_by_member`, the first whose owner
    is a member, not the lead (the demo deals owners out by day)."""
    return db.row(
        """SELECT k.id, k.title, k.owner_id, p.email AS owner_email, k.kind FROM key_results k
           JOIN objectives o ON o.id = k.objective_id JOIN teams t ON t.id = o.team_id
           JOIN quarters q ON q.key = o.quarter AND q.is_current JOIN people p ON p.id = k.owner_id
           JOIN memberships m ON m.team_id = t.id AND m.person_id = k.owner_id
           WHERE t.name = ? AND k.kind IN ('increase_to', 'decrease_to') AND (m.role = 'member' OR NOT ?)
           ORDER BY k.position * CASE WHEN ? THEN -1 ELSE 1 END LIMIT 1""",
        [team, owned_by_member, last],
    )


@pytest.mark.parametrize("page", DASHBOARDS)
@pytest.mark.parametrize("email", [HANNAH, TOMAS, DANIEL, MAYA])
def test_every_dashboard_shows_charts_with_their_data_for_each_role(demo_db, page, email):
    at = open_page(email, page)
    assert_clean(at)
    assert not errors(at)
    charts = at.get("vega_lite_chart")
    assert charts, texts(at)
    assert len(at.get("download_button")) >= len(charts)  # every chart's data as CSV


@pytest.mark.parametrize("page", [*DASHBOARDS, "pages/checkins.py"])
def test_the_outsider_is_refused_with_the_reason(demo_db, page):
    at = open_page(ROSA, page)
    assert_clean(at)
    reason = "Check-ins are for team members" if page.endswith("checkins.py") else "Dashboards are for team members"
    assert any(reason in e and "Rosa Jiménez" in e for e in errors(at))
    assert not at.get("vega_lite_chart")


@pytest.mark.parametrize("page", ["pages/dashboard_overview.py", "pages/dashboard_heatmap.py",
                                  "pages/dashboard_history.py", "pages/dashboard_alignment.py"])
def test_dashboards_are_scoped_by_role(demo_db, page):
    daniel = chart_data(open_page(DANIEL, page))
    assert any(team in daniel for team in CUSTOMER_PRODUCT)
    assert not any(team in daniel for team in PLATFORM)
    hannah = chart_data(open_page(HANNAH, page))
    assert "Onboarding" in hannah and "Scheduling" not in hannah
    maya = chart_data(open_page(MAYA, page))
    assert all(team in maya for team in CUSTOMER_PRODUCT | PLATFORM) or page.endswith("heatmap.py")


def test_a_team_outside_the_scope_cannot_be_opened_by_url(demo_db):
    at = open_page(DANIEL, "pages/dashboard_team.py", team="Mobile Apps")
    assert_clean(at)
    assert "Mobile Apps" not in texts(at) and "Mobile Apps" not in chart_data(at)
    platform_kr = current_kr("Mobile Apps")
    at = open_page(DANIEL, "pages/dashboard_kr.py", kr=str(platform_kr["id"]))
    assert_clean(at)
    assert platform_kr["title"] not in texts(at)


def test_filters_narrow_the_overview_to_a_department_and_a_team(demo_db):
    at = open_page(MAYA, "pages/dashboard_overview.py")
    platform = db.scalar("SELECT id FROM teams WHERE name = 'Platform'")
    at.selectbox(key="department").set_value(platform).run()
    assert_clean(at)
    data = chart_data(at)
    assert "Mobile Apps" in data and "Onboarding" not in data
    mobile = db.scalar("SELECT id FROM teams WHERE name = 'Mobile Apps'")
    at.selectbox(key="dashboard_team").set_value(mobile).run()
    data = chart_data(at)
    assert "Mobile Apps" in data and "Data & Insights" not in data


def test_the_overview_counts_teams_with_okrs_as_a_share_with_the_count_under_it(demo_db):
    # "1000 of 1000" as the value did not fit a fifth of the page on the benchmark company
    at = open_page(MAYA, "pages/dashboard_overview.py")
    teams = db.scalar("SELECT count(*) FROM teams WHERE parent_id IS NOT NULL")
    published = db.scalar("""SELECT count(DISTINCT o.team_id) FROM objectives o JOIN quarters q ON q.key = o.quarter
                             WHERE q.is_current AND o.status = 'published'""")
    metric = next(m for m in at.metric if m.label == "Teams with OKRs")
    assert (metric.value, metric.delta) == (f"{published / teams:.0%}", f"{published} of {teams}")


def test_kr_detail_opened_from_a_link_shows_its_three_series_and_target(demo_db):
    # Not the first KR of its team (the page's default), so the link is what picks it.
    kr = db.row("""SELECT k.id, k.title FROM key_results k JOIN objectives o ON o.id = k.objective_id
                   JOIN quarters q ON q.key = o.quarter AND q.is_current JOIN teams t ON t.id = o.team_id
                   WHERE k.kind IN ('increase_to', 'decrease_to') AND k.position > 0
                   ORDER BY t.name, k.position DESC LIMIT 1""")
    at = open_page(MAYA, "pages/dashboard_kr.py", kr=str(kr["id"]))
    assert_clean(at)
    assert at.header[0].value == fmt.plain(kr["title"])
    assert at.query_params["kr"] == [str(kr["id"])] or at.query_params["kr"] == str(kr["id"])
    series = set().union(*(set(f["series"]) for f in chart_frames(at) if "series" in f))
    assert series == {"Actual", "Expected", "Projected", "Target"}
    member = open_page(HANNAH, "pages/dashboard_kr.py", kr=str(current_kr("Onboarding")["id"]))
    assert_clean(member)
    assert "Acknowledge a check-in" not in texts(member)  # members read; managers acknowledge


def test_a_manager_acknowledges_a_check_in_and_the_owner_sees_it(demo_db):
    kr = current_kr("Onboarding")
    at = open_page(DANIEL, "pages/dashboard_kr.py", kr=str(kr["id"]))
    assert "Acknowledge a check-in" in texts(at)
    at.text_input(key="dashboard_kr_ack_comment").input("Good recovery — keep going")
    next(b for b in at.button if b.label == "Acknowledge").click().run()
    assert_clean(at)
    assert "Acknowledged; the owner will see it." in texts(at)
    assert db.scalar("SELECT count(*) FROM checkin_acks WHERE comment = 'Good recovery — keep going'") == 1
    owner = open_page(kr["owner_email"], "pages/checkins.py")
    assert "Good recovery — keep going" in texts(owner)


def test_the_owner_records_a_check_in_in_three_interactions(demo_db):
    kr = current_kr("Scheduling")
    before = db.scalar("SELECT count(*) FROM checkins WHERE kr_id = ?", [kr["id"]])
    at = open_page(kr["owner_email"], "pages/checkins.py", kr=str(kr["id"]))
    assert_clean(at)
    at.text_input(key=f"checkins_{kr['id']}_value").input("41")
    at.text_input(key=f"checkins_{kr['id']}_comment").input("Steady")
    next(b for b in at.button if b.label == "Save check-in").click().run()
    assert_clean(at)
    assert f"Check-in saved for “{fmt.plain(kr['title'])}”." in texts(at)
    row = db.row("SELECT * FROM checkins WHERE kr_id = ? ORDER BY id DESC LIMIT 1", [kr["id"]])
    assert (row["value"], row["comment"], row["checked_on"]) == (41.0, "Steady", dt.date.today())
    assert db.scalar("SELECT count(*) FROM checkins WHERE kr_id = ?", [kr["id"]]) == before + 1
    assert at.text_input(key=f"checkins_{kr['id']}_value").value == ""  # a saved form starts blank


def test_text_as_value_is_refused_and_what_was_typed_stays(demo_db):
    kr = current_kr("Scheduling")
    before = db.scalar("SELECT count(*) FROM checkins")
    at = open_page(kr["owner_email"], "pages/checkins.py", kr=str(kr["id"]))
    at.text_input(key=f"checkins_{kr['id']}_value").input("about forty")
    at.text_input(key=f"checkins_{kr['id']}_comment").input("A long comment I do not want to lose")
    next(b for b in at.button if b.label == "Save check-in").click().run()
    assert_clean(at)
    assert any("must be a number, not “about forty”" in e for e in errors(at))
    assert at.text_input(key=f"checkins_{kr['id']}_comment").value == "A long comment I do not want to lose"
    assert db.scalar("SELECT count(*) FROM checkins") == before


def test_the_lead_sees_the_teams_krs_and_members_only_their_own(demo_db):
    lead = open_page(TOMAS, "pages/checkins.py")
    assert_clean(lead)
    assert "Your team's key results" in texts(lead)
    assert fmt.plain(current_kr("Onboarding")["title"]) in texts(lead)
    assert "Scheduling" not in texts(lead)
    maya = open_page(MAYA, "pages/checkins.py")  # manager, in no team
    assert any("Check-ins are for team members" in e for e in errors(maya))


def test_home_lists_a_check_in_that_is_due(demo_db):
    kr = current_kr("Onboarding")
    since = dt.date.today() - dt.timedelta(days=10)
    db.execute("DELETE FROM checkin_acks WHERE checkin_id IN (SELECT id FROM checkins WHERE kr_id = ? "
               "AND checked_on > ?)", [kr["id"], since])
    db.execute("DELETE FROM checkins WHERE kr_id = ? AND checked_on > ?", [kr["id"], since])
    at = open_page(kr["owner_email"])
    assert_clean(at)
    assert f"Check in on “{kr['title']}”" in texts(at).replace("\\", "")


def test_empty_states_say_what_to_do(demo_db):
    at = open_page(HANNAH, "pages/dashboard_team.py", quarter=db.scalar(
        "SELECT key FROM quarters ORDER BY key DESC LIMIT 1"))
    assert_clean(at)
    assert "no objective for" in texts(at) or "still a draft" in texts(at)
    db.execute("DELETE FROM checkin_acks")
    db.execute("DELETE FROM checkins")
    at = open_page(HANNAH, "pages/dashboard_kr.py")
    assert "No check-ins yet — the owner records the first one on Check-ins." in texts(at)
    at = open_page(MAYA, "pages/dashboard_heatmap.py")
    assert "No check-ins for" in texts(at)


def test_an_owner_who_left_the_team_is_flagged_for_the_lead_and_not_offered_the_kr(demo_db):
    kr = current_kr("Onboarding", last=True)
    priya = db.row("SELECT id, name FROM people WHERE email = 'priya.raman@harbor.example'")
    onboarding = db.scalar("SELECT id FROM teams WHERE name = 'Onboarding'")
    db.execute("UPDATE key_results SET owner_id = ? WHERE id = ?", [priya["id"], kr["id"]])
    db.execute("DELETE FROM memberships WHERE team_id = ? AND person_id = ?", [onboarding, priya["id"]])
    at = open_page("priya.raman@harbor.example", "pages/checkins.py")  # still in Payments & Invoicing
    assert_clean(at)
    assert not errors(at), errors(at)
    assert fmt.plain(kr["title"]) not in texts(at)
    lead = open_page(TOMAS, "pages/checkins.py")
    assert_clean(lead)
    assert f"{fmt.plain(priya['name'])} is no longer a member of Onboarding" in texts(lead)
    assert any(link.label == "Reassign it on the Key results step" for link in lead.get("page_link"))


def test_typed_text_on_check_ins_and_the_overview_shows_as_text(demo_db):
    """KR titles, metrics, units, owner and team names render as typed, never as Markdown, in labels, hover help and
    messages too."""
    kr = current_kr("Scheduling", owned_by_member=True)
    title, metric, unit = "Bookings *confirmed* [fast](https://evil.example)", "*weekly* bookings", "**h**"
    db.execute("UPDATE key_results SET title = ?, metric = ?, unit = ? WHERE id = ?", [title, metric, unit, kr["id"]])
    db.execute("UPDATE people SET name = 'Mei *Chen*' WHERE id = ?", [kr["owner_id"]])
    at = open_page(kr["owner_email"], "pages/checkins.py", kr=str(kr["id"]))
    value = at.text_input(key=f"checkins_{kr['id']}_value")
    assert value.label == f"Value ({fmt.plain(unit)})"
    assert fmt.plain(f"The current {metric}") in value.help
    value.input("41")
    next(b for b in at.button if b.label == "Save check-in").click().run()
    assert_clean(at)
    assert f"Check-in saved for “{fmt.plain(title)}”." in texts(at)
    lead = open_page("oliver.grant@harbor.example", "pages/checkins.py")
    assert_clean(lead)
    assert f"Check in for {fmt.plain('Mei *Chen*')}" in [e.label for e in lead.expander]
    with db.transaction() as cur:  # a write, so what is kept beside the teams (okrdash.summaries) follows
        team = cur.execute("INSERT INTO teams (id, name) VALUES (nextval('seq_teams'), 'Ops *beta*') RETURNING id"
                           ).fetchone()[0]
    db.execute("INSERT INTO memberships (team_id, person_id, role) VALUES (?, ?, 'member')", [team, kr["owner_id"]])
    overview = open_page(MAYA, "pages/dashboard_overview.py")
    helps = [m.proto.help for m in overview.metric if m.label == "Teams with OKRs"]
    assert fmt.plain("Ops *beta*") in helps[0] and "Ops *beta*" not in helps[0]


def test_a_key_result_added_after_publishing_waits_for_the_next_version(demo_db):
    from okrdash import auth, key_results, quarters

    tomas, hannah = auth.load_by_email(TOMAS), auth.load_by_email(HANNAH)
    onboarding = db.scalar("SELECT id FROM teams WHERE name = 'Onboarding'")
    quarter = quarters.current_key()
    db.execute("""UPDATE key_results SET archived_at = ? WHERE id IN (
                      SELECT k.id FROM key_results k JOIN objectives o ON o.id = k.objective_id
                      WHERE o.team_id = ? AND o.quarter = ? AND k.archived_at IS NULL ORDER BY k.position DESC
                      LIMIT 1)""", [dt.datetime.now(), onboarding, quarter])  # room for one more
    published = current_kr("Onboarding")
    db.execute("UPDATE key_results SET owner_id = ? WHERE id = ?", [hannah.person_id, published["id"]])
    kr_id = key_results.add(tomas, onboarding, quarter, {
        "title": "Ship bulk client import for new accounts", "kind": "milestone",
        "definition_of_done": "New accounts import clients from CSV without help; documented",
        "owner_id": hannah.person_id, "achievable_confirmed": True})
    at = open_page(HANNAH, "pages/checkins.py", kr=str(kr_id))
    assert_clean(at)
    assert "Added after the team last published its OKRs" in texts(at)
    assert not [t for t in at.get("toggle") if t.key == f"checkins_{kr_id}_done"]
    links = [link.proto.query_string for link in at.get("page_link") if link.proto.label == "Chart and details"]
    assert f"kr={published['id']}" in links  # her published key result has its chart
    assert not any(f"kr={kr_id}" in q for q in links)  # nothing to chart until it is published
    team_page = open_page(MAYA, "pages/dashboard_team.py", team="Onboarding")
    assert "Ship bulk client import" not in str(team_page.dataframe[0].value["key_result"].tolist())
    detail = open_page(MAYA, "pages/dashboard_kr.py", kr=str(kr_id))
    assert_clean(detail)
    assert "“Ship bulk client import for new accounts” is not on the dashboards yet" in texts(detail)


@pytest.mark.parametrize("page", ["pages/dashboard_overview.py", "pages/dashboard_heatmap.py",
                                  "pages/dashboard_alignment.py"])
def test_dashboards_without_any_quarter_say_what_to_do(page):
    from okrdash import people, teams

    boss = people.create("Bo Boss", "bo@example.com", is_admin=True)
    teams.grant_manager_scope(boss, None)
    at = open_page("bo@example.com", page)
    assert_clean(at)
    assert "No quarters exist yet. An admin adds them on the Admin page." in texts(at)
