"""Downloads of a published OKR: Markdown reads right and shows typed text literally, CSV parses back, XLSX opens
with openpyxl, and cells a spreadsheet would run as formulas are neutralised in both."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from okrdash import db, exports, key_results, publications
from tests.okr_fixtures import good_kr, ready_objective

NOW = dt.datetime(2026, 12, 10, 9, 30)
HOSTILE = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def published(org):
    """Growth's OKR, version 2, with text that tries to be a formula, HTML and Markdown."""
    ready_objective(org)
    db.execute("""INSERT INTO deprioritized (id, team_id, quarter, title, reason)
                  VALUES (nextval('seq_deprioritized'), ?, ?, '@SUM(A1:A9) reports', '-1 vote: | pipes | too')""",
               [org.growth, org.next_quarter])
    publications.publish(org.lead, org.growth, org.next_quarter, "First.", now=NOW)
    key_results.add(org.lead, org.growth, org.next_quarter, good_kr(
        org.member2.person_id, title=HOSTILE, metric="+cmd|' /C calc'!A0", unit="€", baseline=-12, target=-3,
        kind="increase_to"))
    krs = key_results.rows_for(org.growth, org.next_quarter)
    key_results.update(org.lead, krs[0]["id"], {"title": "<script>alert(1)</script> *Raise* [conversion](http://x)"})
    publications.publish(org.lead, org.growth, org.next_quarter, "# Not a heading\n- not a list", now=NOW)
    return publications.history(org.member, org.growth, org.next_quarter)[0]


def test_markdown_one_pager(published):
    snap, lines = published["snapshot"], published["changes"]
    text = exports.markdown(snap, lines)
    assert text.startswith("# Growth — OKRs for 2027\\-Q1\n") is False  # the heading is not escaped into noise
    assert text.startswith("# Growth — OKRs for 2027-Q1\n")
    assert "Version 2 · published Thu 10 Dec 2026 by Lee Lead · Product" in text
    assert "**Mid-market customers set themselves up without us**" in text
    assert "Why it matters: Every multi-location account needs three CSM calls today." in text
    assert "Serves: Company objective: Win the mid-market" in text
    assert "| # | Key result | Measure | Owner | Due |" in text
    assert "| 2 | Reduce CSM hours per mid-market onboarding from 9 to 4 | 9 h → 4 h (CSM hours per onboarding) | " \
           "Mia Member | 31 Mar 2027 |" in text
    assert "Milestone, done when: Owners import locations and staff from CSV without CSM help" in text
    assert "## Not this quarter" in text and "**@SUM(A1:A9) reports** — -1 vote: \\| pipes \\| too" in text
    assert "## What changed in version 2" in text
    assert "\\# Not a heading  \n\\- not a list" in text  # the note stays literal
    assert "- Added key result" in text


def test_markdown_shows_typed_text_literally(published):
    text = exports.markdown(published["snapshot"])
    assert "<script>" not in text and "\\<script\\>alert(1)\\</script\\>" in text
    assert "\\*Raise\\* \\[conversion\\](http://x)" in text
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert all(line.count(" | ") == 4 for line in table), table  # escaped pipes keep five columns


def test_a_multi_line_definition_of_done_keeps_the_table_whole(org):
    ready_objective(org)
    milestone = key_results.rows_for(org.growth, org.next_quarter)[2]
    key_results.update(org.lead, milestone["id"], {"definition_of_done": "Owners import from CSV.\n\n- documented"
                                                                         "\n1. used by 10 accounts"})
    publications.publish(org.lead, org.growth, org.next_quarter, now=NOW)
    text = exports.markdown(publications.latest_for(org.growth, org.next_quarter)["snapshot"])
    rows = text.split("| # | Key result | Measure | Owner | Due |\n|---|---|---|---|---|\n")[1].split("\n\n")[0]
    assert len(rows.splitlines()) == 3, rows  # one line per key result
    assert "done when: Owners import from CSV. - documented 1. used by 10 accounts | Mia Member |" in rows


def test_csv_parses_back_with_formulas_neutralised(published):
    raw = exports.csv_bytes([published["snapshot"]])
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents and the euro sign
    frame = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(frame.columns) == exports.COLUMNS
    assert len(frame) == 4
    assert list(frame["team"].unique()) == ["Growth"] and list(frame["version"].unique()) == [2]
    hostile = frame[frame["key_result"].str.contains("HYPERLINK")].iloc[0]
    assert hostile["key_result"] == "'" + HOSTILE
    assert hostile["metric"] == "'+cmd|' /C calc'!A0"
    assert (hostile["baseline"], hostile["target"], hostile["unit"]) == (-12, -3, "€")  # numbers stay numbers
    assert hostile["owner_email"] == "max@example.com" and hostile["due"] == "2027-03-31"
    first = frame.iloc[0]
    assert first["kind"] == "increase_to" and first["serves"] == "Win the mid-market"
    milestone = frame[frame["kind"] == "milestone"].iloc[0]
    assert pd.isna(milestone["baseline"]) and milestone["definition_of_done"].startswith("Owners import")


def test_xlsx_opens_with_openpyxl_and_runs_no_formula(published):
    book = load_workbook(io.BytesIO(exports.xlsx_bytes([published["snapshot"]])))
    assert book.sheetnames == ["Key results", "Objectives", "Not this quarter"]
    sheet = book["Key results"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.COLUMNS and len(rows) == 5
    cells = [cell for ws in book for row in ws.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + HOSTILE in texts and "'@SUM(A1:A9) reports" in texts and "'-1 vote: | pipes | too" in texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    hostile = next(r for r in rows if r[3] == "'" + HOSTILE)
    assert (hostile[7], hostile[8]) == (-12, -3)
    objectives = list(book["Objectives"].iter_rows(values_only=True))
    assert objectives[1][:3] == ("Growth", "2027-Q1", "Mid-market customers set themselves up without us")
    assert objectives[1][4] == "Company objective: Win the mid-market"


def test_file_names_and_quarter_exports(org, published):
    snap = published["snapshot"]
    assert exports.filename(snap, "md") == "okr-growth-2027-q1-v2.md"
    assert exports.slug("Payments & Invoicing") == "payments-invoicing"
    data = publications.overview(org.member, org.next_quarter)
    text = exports.quarter_markdown(org.next_quarter, data)
    assert text.startswith("# Published OKRs for 2027-Q1\n")
    assert "## Win the mid\\-market" not in text and "## Win the mid-market" in text
    assert "### Growth: Mid-market customers set themselves up without us" in text
    assert "## Not published yet\n\nCore" in text
    both = pd.read_csv(io.BytesIO(exports.csv_bytes([snap, snap])), encoding="utf-8-sig")
    assert len(both) == 8


def test_serves_and_measure_sentences():
    snap = {"strategy_links": []}
    assert exports.serves(snap) == "Serves no company objective (not linked to the strategy)."
    snap = {"strategy_links": [{"kind": "product_strategy", "kind_label": "Product strategy", "title": "Expand"}]}
    assert exports.serves(snap) == "Serves no company objective (linked to Product strategy: Expand)."
    assert exports.measure({"kind": "stay_above", "unit": "/5", "baseline": 4.5, "target": 4.3,
                            "metric": "CSAT"}) == "Stay at or above 4.3 /5 (CSAT); today 4.5 /5"
    assert exports.measure({"kind": "decrease_to", "unit": "%", "baseline": 3.4, "target": 2,
                            "metric": ""}) == "3.4% → 2%"
    assert exports.md("1. first\n# second") == "1\\. first  \n\\# second"
