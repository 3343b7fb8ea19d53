"""Pasting many key results on the key-results step (AppTest): one draft per line with its reading and verdicts,
keep/edit/drop, save the kept ones within the 2–5 rule; bad input explained and kept."""

from __future__ import annotations

from okrdash import key_results
from tests.pages.apptest import assert_clean, errors, texts
from tests.pages.test_kr_pages import TOMAS, add_krs, chosen, kr_page  # noqa: F401 (chosen is a fixture)

FIVE = """Grow weekly trials by 21% quarter over quarter
- Keep p99 checkout latency < 1s
KR3: Publish the public API reference by end of the quarter
Improve onboarding
Cut median time to first invoice from 52 h to 12 h"""


def paste(at, text: str):
    at.session_state["krs_paste_open"] = True
    at.run()
    at.text_area(key="krs_paste_text").set_value(text)
    at.button(key="krs_paste_read").click().run()
    return at


def test_five_lines_become_five_drafts_and_two_kept_are_saved(chosen):  # noqa: F811
    at = paste(kr_page(TOMAS, chosen), FIVE)
    assert_clean(at)
    drafts = [w for w in at.text_input if str(w.key).startswith("krs_paste_") and str(w.key).endswith("_line")]
    assert [w.value for w in drafts] == [
        "Grow weekly trials by 21% quarter over quarter", "Keep p99 checkout latency < 1s",
        "Publish the public API reference by end of the quarter", "Improve onboarding",
        "Cut median time to first invoice from 52 h to 12 h"]
    shown = texts(at)
    assert "Read as: Increase by 21% · weekly trials" in shown
    assert "Read as: Stay below · 1 s · p99 checkout latency" in shown
    for number in (1, 2, 3, 4):  # keep the first and the last
        at.checkbox(key=f"krs_paste_{number}_keep").uncheck()
    at.checkbox(key="krs_paste_5_keep").check().run()
    at.checkbox(key="krs_paste_1_keep").check().run()
    at.button(key="krs_paste_save").click().run()
    assert_clean(at)
    saved = key_results.rows_for(chosen["team"], chosen["quarter"])
    assert [(k["title"], k["kind"]) for k in saved] == [
        ("Grow weekly trials by 21% quarter over quarter", "increase_by"),
        ("Cut median time to first invoice from 52 h to 12 h", "decrease_to")]
    assert (saved[0]["change_pct"], saved[1]["baseline"], saved[1]["target"], saved[1]["unit"]) == (21, 52, 12, "h")


def test_an_edited_draft_is_read_again(chosen):  # noqa: F811
    at = paste(kr_page(TOMAS, chosen), "Improve onboarding")
    assert "S · Specific fails" in texts(at)
    at.text_input(key="krs_paste_1_line").set_value("Raise onboarding completion from 40% to 60%").run()
    assert "Read as: Increase to · 40% → 60% · onboarding completion" in texts(at)


def test_an_empty_paste_says_what_to_do(chosen):  # noqa: F811
    at = paste(kr_page(TOMAS, chosen), " \n  \n")
    assert any("The paste is empty" in e for e in errors(at))
    assert key_results.rows_for(chosen["team"], chosen["quarter"]) == []


def test_more_than_the_objective_has_room_for_is_refused_and_kept(chosen):  # noqa: F811
    add_krs(chosen, 4)
    at = paste(kr_page(TOMAS, chosen), FIVE)
    at.button(key="krs_paste_save").click().run()
    assert any("keep at most 1 of the 5 drafts" in e for e in errors(at))
    assert at.text_input(key="krs_paste_3_line").value.startswith("Publish the public API reference")
    assert len(key_results.rows_for(chosen["team"], chosen["quarter"])) == 4


def test_bad_lines_are_explained_and_kept(chosen):  # noqa: F811
    at = paste(kr_page(TOMAS, chosen), "Churn 5% 3%\nRaise the share of invoices paid online to 140%")
    shown = " ".join(w.value for w in at.warning)
    assert "has two numbers" in shown and "but no direction" in shown
    assert "“140%” is more than 100%" in shown
    assert at.text_input(key="krs_paste_1_line").value == "Churn 5% 3%"
