"""The SMART checker, table-driven over key results written the way real teams write them.

Sources of the public examples (paraphrased into our fields, as a team would type them into the editor):
GitLab's public OKR pages (handbook.gitlab.com/handbook/company/okrs/: CY2018-Q1 company OKRs, FY20-Q2, and the
Engineering OKRs for FY24-Q2) and the customer-success examples in Databox's OKR guide. The others are the kind a
product team writes in its first workshop, good and bad. Each case asserts every letter: P pass, W warn, F fail.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrdash import smart, validate
from okrdash.smart import check_objective, exact, parse_kr_text
from okrdash.smart.text import title_numbers, vague_start

START, END = dt.date(2027, 1, 1), dt.date(2027, 3, 31)
LINK = "Company objective: Win the mid-market"
CONTEXT = smart.Context("2027-Q1", START, END, LINK)
LEVEL = {"P": smart.PASS, "W": smart.WARN, "F": smart.FAIL}


def kr(title, kind="increase_to", metric="", unit="", baseline=None, target=None, *, done="", ok=True, due=END):
    return {"title": title, "kind": kind, "metric": metric, "unit": unit, "baseline": baseline, "target": target,
            "definition_of_done": done, "achievable_confirmed": ok, "due_on": due}


# (case id, key result, expected S M A R T, context overrides)
CASES = [
    # --- good ones ---
    ("harbor conversion", kr("Raise trial-to-paid conversion from 14% to 20%", "increase_to",
                             "trial-to-paid conversion", "%", 14, 20), "PPPPP", {}),
    ("gitlab fy24 availability", kr("Achieve >99.95% availability consistently for all GA services", "stay_above",
                                    "availability of GA services", "%", 99.97, 99.95), "PPPPP", {}),
    ("gitlab 2018 fortune 500", kr("Add 30 Fortune 500 companies", "increase_to", "Fortune 500 customers",
                                   "companies", 112, 142), "PPPPP", {}),
    ("gitlab 2018 iacv", kr("Increase IACV by 15% for Strategic / Large / Mid Market", "increase_to",
                            "IACV, Strategic/Large/Mid-Market", "$M", 40, 46), "PPPPP", {}),
    ("databox churn", kr("Decrease customer churn rate by 20%", "decrease_to", "monthly logo churn", "%", 3.4, 2.72),
     "PPPPP", {}),
    ("gitlab fy24 pajamas", kr("Execute Pajamas Button Mass Migration for 560 Buttons", "increase_to",
                               "buttons migrated to Pajamas", "buttons", 0, 560), "PPPPP", {}),
    ("gitlab fy20 content", kr("Publish 15 pieces of blog and social technical content", "increase_to",
                               "technical posts published", "posts", 0, 15), "PPPPP", {}),
    ("gitlab 2018 gdpr", kr("Legal: GDPR policy fully implemented", "milestone",
                            done="DPAs signed with all EU customers; records of processing in the handbook; DPO named"),
     "PPPPP", {}),
    ("harbor ach", kr("Launch ACH payments for US accounts", "milestone",
                      done="US accounts can accept ACH on any invoice; payouts reconcile; support trained"),
     "PPPPP", {}),
    ("payment failures guardrail", kr("Keep the payment failure rate below 1.5%", "stay_below",
                                      "payment failure rate", "%", 1.2, 1.5), "PPPPP", {}),
    ("negative nps", kr("Raise NPS from -12 to 10", "increase_to", "NPS", "points", -12, 10), "PPPPP", {}),
    ("thousands with k", kr("Grow weekly active technicians from 12k to 16k", "increase_to",
                            "weekly active technicians", "users", 12000, 16000), "PPPPP", {}),
    # --- Specific ---
    ("classic vague", kr("Improve onboarding", ok=False), "FFFPP", {}),
    ("gitlab fy24 upgrade stops", kr("Reduce unplanned self-managed upgrade stops", "decrease_to", ok=False),
     "FFFPP", {}),
    # Issue 11: empty fields are read from the line, so the first count becomes the target; three counts of one
    # measure in one line warn under Specific.
    ("gitlab fy24 ai features", kr("48 experimental, 16 beta, and 8 GA AI Assisted features delivered"),
     "WPWPP", {}),
    ("gitlab fy24 foundation", kr("Create a foundation in support of rapid experimentation", "milestone", ok=False),
     "FFFPP", {}),
    # Was FPPPP. The issue fails S for "only a vague verb"; this title names what changes (the Staff+ promotion
    # process) and its definition of done says what will exist, so S passes (code review, finding 4).
    ("gitlab fy24 refine promotion", kr("Refine the Engineering promotion process for Staff+ levels", "milestone",
                                        done="Staff+ promotion packets include feedback from two other functions; "
                                             "documented in the handbook"), "PPPPP", {}),
    # Code review: a noun that happens to be a vague verb, or "support" naming a deliverable, is not vague.
    ("help desk label", kr("Help desk: launch the new ticket portal", "milestone",
                           done="Customers open and follow tickets in the portal; email intake retired; agents "
                                "trained"), "PPPPP", {}),
    ("support a named feature", kr("Support SAML SSO on the Business plan", "milestone",
                                   done="Business-plan admins connect Okta or Azure AD over SAML; documented; five "
                                        "accounts live"), "PPPPP", {}),
    ("support a named feature, no definition", kr("Support SAML SSO on the Business plan", "milestone"), "WFPPP", {}),
    ("support tickets as a noun", kr("Support tickets resolved on first contact", "increase_to",
                                     "tickets resolved on first contact", "%", 55, 70), "PPPPP", {}),
    ("only vague, even with a definition", kr("Improve onboarding", "milestone",
                                              done="New accounts finish setup without a call to the CSM team"),
     "FPPPP", {}),
    ("gitlab 2018 success factors", kr("Identify success factors", "milestone", ok=False), "FFFPP", {}),
    ("optimize experience", kr("Optimize the checkout experience", "increase_to", "experience", "", 3.9, 4.2),
     "WPPPP", {}),
    ("better support", kr("Better customer support", "increase_to", "CSAT", "%", 82, 88), "WPPPP", {}),
    # Typed "milestone" over a line that counts something keeps the line's words in view (no metric is needed).
    ("milestone over a count of what", kr("Reach 100 subscribers", "milestone"), "WPPPP", {}),
    ("milestone over a count", kr("Reach 100 newsletter subscribers", "milestone"), "PPPPP", {}),
    # Issue 11: two results in one line fail Specific.
    ("two results in one", kr("Increase NPS and reduce churn", "increase_to", "NPS", "points", 32, 40), "FPPPP", {}),
    ("title disagrees with numbers", kr("Raise crash-free sessions from 99.1% to 99.8%", "increase_to",
                                        "crash-free sessions", "%", 98.5, 99.8), "WPPPP", {}),
    ("vague metric", kr("Grow engagement from 30 to 40", "increase_to", "engagement", "%", 30, 40), "WPPPP", {}),
    # --- Measurable ---
    # Issue 11: a missing unit or baseline is a note, not a warning (the first check-in gives the baseline).
    ("no unit", kr("Grow live partner integrations from 6 to 15", "increase_to", "live partner integrations", "",
                   6, 15), "PPPPP", {}),
    ("no baseline", kr("Cut median CI time to 15 minutes", "decrease_to", "median CI time", "min", None, 15),
     "PPWPP", {}),
    ("no target", kr("Cut median CI time", "decrease_to", "median CI time", "min", 20, None), "PFWPP", {}),
    ("milestone disguising a number", kr("Raise signup completion from 40% to 55%", "milestone",
                                         done="The new signup flow is live for all visitors"), "PWPPP", {}),
    ("thin definition of done", kr("Ship offline job completion", "milestone", done="It works offline"),
     "PWPPP", {}),
    # --- Achievable ---
    ("databox response time 3x", kr("Reduce average response time to 2 hours", "decrease_to",
                                     "average first response time", "h", 6, 2), "PPWPP", {}),
    ("10x jump, not discussed", kr("Grow weekly active users from 2,000 to 25,000", "increase_to",
                                   "weekly active users", "users", 2000, 25000, ok=False), "PPFPP", {}),
    ("10x jump, discussed", kr("Grow weekly active users from 2,000 to 25,000", "increase_to",
                               "weekly active users", "users", 2000, 25000), "PPWPP", {}),
    ("wrong direction", kr("Reduce p95 API latency from 820 ms to 400 ms", "increase_to", "p95 API latency", "ms",
                           820, 400), "PPFPP", {}),
    ("no change", kr("Keep NPS at 45", "increase_to", "NPS", "points", 45, 45), "PPFPP", {}),
    ("floor already broken", kr("Keep days meeting the freshness SLA above 99%", "stay_above",
                                "days meeting freshness SLA", "%", 97, 99), "PPWPP", {}),
    ("down to zero", kr("Cut P1 incidents caused by deploys from 4 to 0", "decrease_to", "P1 incidents from deploys",
                        "incidents", 4, 0), "PPWPP", {}),
    ("big percentage swing", kr("Grow accounts activated in week one from 20% to 75%", "increase_to",
                                "accounts activated in week 1", "%", 20, 75), "PPWPP", {}),
    ("not yet discussed", kr("Reduce CSM hours per mid-market onboarding from 9 to 4", "decrease_to",
                             "CSM hours per onboarding", "h", 9, 4, ok=False), "PPFPP", {}),
    ("share above 100", kr("Grow payments share of invoices from 80% to 120%", "increase_to",
                           "invoices paid through Harbor", "%", 80, 120), "PPWPP", {}),
    ("low record, ambitious step", kr("Triple weekly report viewers from 1,000 to 3,500", "increase_to",
                                      "weekly report viewers", "users", 1000, 3500), "PPWPP",
     {"past_scores": (("2026-Q4", 0.3), ("2026-Q3", 0.25))}),
    # --- Relevant ---
    ("objective unlinked", kr("Cut median days from invoice to paid from 18 to 9", "decrease_to",
                              "median days to paid", "days", 18, 9), "PPPFP", {"strategy_link": None}),
    # --- Time-bound ---
    ("due after the quarter", kr("Launch ACH payments for US accounts", "milestone",
                                 done="US accounts can accept ACH on any invoice; payouts reconcile",
                                 due=dt.date(2027, 4, 15)), "PPPPF", {}),
    ("due before the quarter", kr("Launch ACH payments for US accounts", "milestone",
                                  done="US accounts can accept ACH on any invoice; payouts reconcile",
                                  due=dt.date(2026, 12, 20)), "PPPPF", {}),
    ("due in week one", kr("Launch ACH payments for US accounts", "milestone",
                           done="US accounts can accept ACH on any invoice; payouts reconcile",
                           due=dt.date(2027, 1, 8)), "PPPPW", {}),
    ("no due date", kr("Cut cold start on the median Android phone from 4.2 s to 2 s", "decrease_to",
                       "cold start time", "s", 4.2, 2, due=None), "PPPPF", {}),
    ("due as text", kr("Cut cold start on the median Android phone from 4.2 s to 2 s", "decrease_to",
                       "cold start time", "s", 4.2, 2, due="2027-03-15"), "PPPPP", {}),
]


def test_there_are_at_least_thirty_examples():
    assert len(CASES) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("kr_fields", "expected", "overrides"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_letter(kr_fields, expected, overrides):
    context = smart.Context(**{**CONTEXT.__dict__, **overrides})
    check = smart.check_kr(kr_fields, context)
    got = "".join({v: k for k, v in LEVEL.items()}[v.level] for v in check.verdicts)
    assert [v.letter for v in check.verdicts] == list("SMART")
    assert got == expected, {v.letter: (v.level, v.reason) for v in check.verdicts}
    for verdict in check.verdicts:
        assert verdict.reason, verdict
        if verdict.level != smart.PASS:
            assert verdict.fix, f"{verdict.letter} says what is wrong but not how to fix it"


def test_reasons_and_fixes_are_concrete():
    check = smart.check_kr(kr("Improve onboarding", ok=False), CONTEXT)
    assert "Improve" in check["S"].reason and "vague" in check["S"].reason
    assert "Metric" in check["S"].fix
    assert "target" in check["M"].reason.lower()
    assert "Discussed with the team and achievable" in check["A"].fix
    jump = smart.check_kr(kr("Grow users from 2,000 to 25,000", "increase_to", "weekly active users", "users",
                             2000, 25000, ok=False), CONTEXT)
    assert "12×" in jump["A"].reason
    late = smart.check_kr(kr("Ship it", "milestone", done="x y z w v", due=dt.date(2027, 4, 15)), CONTEXT)
    assert "after 2027-Q1 ends" in late["T"].reason and "inside 2027-Q1" in late["T"].fix


def test_past_scores_are_a_hint_on_achievable():
    context = smart.Context("2027-Q1", START, END, LINK, (("2026-Q4", 0.72), ("2026-Q3", 0.55)))
    check = smart.check_kr(kr("Raise trial-to-paid conversion from 14% to 20%", "increase_to",
                              "trial-to-paid conversion", "%", 14, 20), context)
    assert check["A"].level == smart.PASS
    assert "2026-Q4 0.72" in check["A"].reason
    failing = smart.check_kr(kr("Raise conversion from 14% to 20%", "increase_to", "conversion", "%", 14, 20,
                                ok=False), context)
    assert any("2026-Q4 0.72" in note for note in failing["A"].notes)


def test_check_summary_helpers():
    check = smart.check_kr(kr("Improve onboarding", ok=False), CONTEXT)
    assert check.level == smart.FAIL
    assert [v.letter for v in check.failing] == ["S", "M", "A"]
    assert check.levels()["R"] == smart.PASS
    assert smart.summarize([check, smart.check_kr(CASES[0][1], CONTEXT)]) == {"pass": 1, "warn": 0, "fail": 1}


OBJECTIVES = [
    ("New customers get value from Harbor on their first day", "Half of trials never send an invoice.", 3, "PPP"),
    ("Switching to Harbor takes an afternoon, not a month", "", 2, "PWP"),
    ("Increase NPS to 50", "Customers are unhappy.", 3, "FPP"),
    ("Grow revenue from $2M to $3M", "Board target.", 3, "FPP"),
    ("Reach 40% activation", "", 3, "FWP"),
    ("Win 20–200 seat service businesses", "Mid-market is the bet.", 3, "WPP"),
    ("Improve onboarding", "Trials drop out.", 3, "PWP"),
    ("Faster payouts", "Owners ask every week.", 4, "PWP"),
    ("Become profitable by 2027", "Margins fund the roadmap.", 3, "PPP"),  # a year is when, not a target
    ("Clinics trust Harbor with their payroll by 2027-Q1", "Payroll is the next ask.", 3, "PPP"),
    ("Grow to 2000 customers by 2027", "Scale.", 3, "FPP"),  # "to 2000" is still a target number
    ("Mid-market customers set themselves up without waiting for us", "CSM capacity is flat.", 0, "PPF"),
    ("Mid-market customers set themselves up without waiting for us", "CSM capacity is flat.", 1, "PPF"),
    ("Mid-market customers set themselves up without waiting for us", "CSM capacity is flat.", 5, "PPP"),
    ("Mid-market customers set themselves up without waiting for us", "CSM capacity is flat.", 6, "PPF"),
]


@pytest.mark.parametrize(("title", "why", "count", "expected"), OBJECTIVES)
def test_objective_check(title, why, count, expected):
    check = check_objective(title, why, count)
    assert [v.letter for v in check.verdicts] == ["Q", "I", "N"]
    got = "".join({v: k for k, v in LEVEL.items()}[v.level] for v in check.verdicts)
    assert got == expected, {v.letter: (v.level, v.reason) for v in check.verdicts}


@pytest.mark.parametrize(("title", "numbers"), [
    ("Cut churn from 3.4% to 2%", (3.4, 2.0)),
    ("Grow WAU from 12k to 16k", (12000.0, 16000.0)),
    ("Raise NPS from -12 to 10", (-12.0, 10.0)),
    ("Grow revenue from $1.2M to $2M", (1.2e6, 2e6)),
    ("Cut median days from invoice to paid from 18 to 9", (18.0, 9.0)),
    ("Grow live partner integrations from 6 to 15 by March", (6.0, 15.0)),
    ("Ship offline mode", None),
])
def test_title_numbers(title, numbers):
    assert title_numbers(title) == numbers


def test_parse_kr_text_guesses_kind_and_unit():
    assert parse_kr_text("Cut churn from 3.4% to 2%") == {"kind": "decrease_to", "metric": "churn", "baseline": 3.4,
                                                           "target": 2.0, "unit": "%"}
    assert parse_kr_text("Grow WAU from 12k to 16k")["kind"] == "increase_to"
    assert parse_kr_text("Ship offline mode") == {}


@pytest.mark.parametrize(("title", "verb"), [("Improve onboarding", "improve"), ("work on the API", "work on"),
                                             ("- Optimise checkout", "optimise"), ("Improvement plan", None),
                                             ("Raise NPS", None), ("Help desk: launch the ticket portal", None),
                                             ("Support tickets resolved on first contact", None),
                                             ("Support SAML SSO", "support")])
def test_vague_start(title, verb):
    assert vague_start(title) == verb


@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_exact_reads_back_as_the_same_number(value):
    """The KR editor seeds its inputs with `exact`: a saved number must read back unchanged (not rounded)."""
    assert validate.number(exact(value), "x") == value
    assert exact(12000) == "12,000" and exact(0.123456) == "0.123456" and exact(None) == ""


def test_a_missing_unit_is_a_note_not_a_warning():
    """Decision (issue 11, “a checker that cries wolf teaches leads to ignore it”): a count carries its unit in the
    metric's name (“open support tickets”), so a missing unit no longer warns; the reason still quotes the numbers."""
    check = smart.check_kr(kr("Cut open support tickets from 140 to 90", "decrease_to", "open support tickets", "",
                              140, 90), CONTEXT)
    assert check["M"].level == smart.PASS and "140" in check["M"].reason
    assert not check.failing


numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**9, 10**9),
                    st.text(max_size=8))


@given(title=st.text(max_size=80), kind=st.sampled_from([*smart.KIND_LABELS, "nonsense", None]),
       metric=st.text(max_size=20), unit=st.text(max_size=5), baseline=numbers, target=numbers,
       done=st.text(max_size=40), ok=st.booleans(),
       due=st.one_of(st.none(), st.dates(), st.text(max_size=12)),
       link=st.one_of(st.none(), st.text(min_size=1, max_size=20)))
def test_never_raises_and_always_explains(title, kind, metric, unit, baseline, target, done, ok, due, link):
    fields = {"title": title, "kind": kind, "metric": metric, "unit": unit, "baseline": baseline, "target": target,
              "definition_of_done": done, "achievable_confirmed": ok, "due_on": due}
    check = smart.check_kr(fields, smart.Context("2027-Q1", START, END, link))
    assert [v.letter for v in check.verdicts] == list("SMART")
    for verdict in check.verdicts:
        assert verdict.level in (smart.PASS, smart.WARN, smart.FAIL)
        assert verdict.level == smart.PASS or verdict.fix


@pytest.mark.parametrize(("line", "says"), [("Map the customer journey", "Mapping, defining or deciding"),
                                            ("Query history", "names what it is about")])
def test_a_milestone_without_an_end_is_told_why_in_its_own_terms(line, says):
    """Thinking has no end of its own; a topic named says nothing of what is true when it is done."""
    measurable = smart.check_kr({"title": line})["M"]
    assert measurable.level == "warn" and says in measurable.reason
