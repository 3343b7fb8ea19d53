"""The line reader (okrdash.smart.reading): what it reads from real phrasings, properties that hold for any text,
bad input explained, and the agreement with a careful reader pinned with a floor (bench/smart_agreement.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import smart_agreement
from okrdash import smart
from okrdash.smart.reading import read_line

Q3 = ("2026-Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30))


@pytest.mark.parametrize(("line", "kind", "metric", "baseline", "target", "change", "unit"), [
    ("Decrease age of non-web direct deals by 10%", "decrease_by", "age of non-web direct deals", None, None, 10, "%"),
    ("Increase EE trials 21% quarter over quarter", "increase_by", "EE trials", None, None, 21, "%"),
    ("Reduce average time to solve by 5%", "decrease_by", "average time to solve", None, None, 5, "%"),
    ("99% of user requests have first byte < 1s", "stay_below", "user requests have first byte", None, 1, None, "s"),
    ("Sales efficiency ratio > 1.8", "stay_above", "Sales efficiency ratio", None, 1.8, None, ""),
    ("KR2: Reduce p99 API latency from 800ms to 200ms", "decrease_to", "p99 API latency", 800, 200, None, "ms"),
    ("200k views per 30 days of Node.js Collection articles (current is 125k)", "increase_to",
     "views per 30 days of Node.js Collection articles", 125_000, 200_000, None, "views"),
    ("Increase unit test coverage to 75 % from current 45 %", "increase_to", "unit test coverage", 45, 75, None, "%"),
    ("Improve borges archiving average throughput by 5x", "increase_by", "borges archiving average throughput",
     None, None, 400, "%"),
    ("$3 million raised for data stewardship", "increase_to", "data stewardship", None, 3e6, None, "$"),
    ("Have a signed-off monetization strategy for AI", "milestone", "", None, None, None, ""),
    # A label that numbers the objective too is a label, not the target.
    ("Key Result 2.1: 40% of mentors finish the onboarding course", "increase_to",
     "mentors finish the onboarding course", None, 40, None, "%"),
])
def test_reads_kind_metric_and_numbers(line, kind, metric, baseline, target, change, unit):
    got = read_line(line)
    assert (got.kind, got.metric, got.baseline, got.target, got.change_pct, got.unit) == (
        kind, metric, baseline, target, change, unit)


@pytest.mark.parametrize(("line", "due"), [
    ("Cut p99 SQL time to 200 ms by end of Q3", dt.date(2026, 9, 30)),
    ("Publish the API reference in the quarter", dt.date(2026, 9, 30)),
    ("Launch ACH payments by 15 August", dt.date(2026, 8, 15)),
    ("Launch ACH payments by Aug 15th", dt.date(2026, 8, 15)),
])
def test_reads_a_deadline_inside_the_quarter(line, due):
    assert read_line(line, Q3).due_on == due


@pytest.mark.parametrize(("line", "results"), [
    # A second condition of the same done, or a step that points back at the first one's thing: one result.
    ("The pricing page is in the handbook and approved by the sales leads", 1),
    ("The migration has been planned and rehearsed on staging", 1),
    ("Add a billing export for accounts, and document the export in the help centre", 1),
    # A clause with a subject of its own, however long the subject: two results.
    ("All support queues are staffed, and at least one senior engineer from the platform team is on call", 2),
    ("Onboarding emails have a named owner and we have a weekly review of their open rates", 2),
    # Two counts share a subject only when they share a verb.
    ("40 signups and 10 demos booked by partners", 2),
    ("A quoted name is one thing: ship “Import, export and sync” for all accounts", 1),
])
def test_reads_how_many_results_a_line_holds(line, results):
    assert len(read_line(line).parts) == results


@pytest.mark.parametrize(("line", "shape"), [
    ("Roadmap agreed with the design and data leads", "deliverable"),
    ("Admins can import staff from a CSV file", "deliverable"),
    ("Engineers can understand the billing model", "state"),
    ("Learn Kubernetes", "no_result"),
    ("The status page is available to every customer", "deliverable"),
    ("The legacy importer is switched off", "deliverable"),
    ("Release notes explain every breaking change", "deliverable"),
    ("Nightly backups no longer depend on the old NFS share", "deliverable"),
    ("Operators are able to pause a sync from the admin page", "deliverable"),
    ("Editors can publish without being blocked", "state"),
    ("More teams adopt the design system", "direction"),
    ("The new onboarding gets more sign-ups than the old one", "comparison"),
    ("Public release of the offline maps", "deliverable"),
    ("Migration of the billing jobs to the new queue", "deliverable"),
    ("Align the partner newsletter with the brand guide", "vague"),
])
def test_reads_the_shape_of_a_line(line, shape):
    assert read_line(line).shape == shape


def test_a_comparison_without_a_number_names_the_measure_but_not_how_far():
    line = "Median time to first reply is shorter than it was last quarter"
    alone = smart.check_kr({"title": line})
    typed = smart.check_kr({"title": line, "kind": "decrease_to", "metric": "median time to first reply"})
    assert (alone["S"].level, alone["M"].level) == (smart.PASS, smart.WARN)
    assert typed["M"].level == smart.WARN  # typing the kind without a target keeps the line's comparison


def test_a_typed_metric_does_not_make_a_line_that_describes_a_state_specific():
    """The title is what the team reads on every page; a metric typed under it does not make it say what is counted."""
    line = "More teams adopt the design system"
    typed = smart.check_kr({"title": line, "kind": "increase_to", "metric": "teams using the design system"})
    assert smart.check_kr({"title": line})["S"].level == typed["S"].level == smart.WARN
    assert "describes a state" in typed["S"].reason


def test_a_launch_to_a_share_of_customers_is_a_milestone_with_an_audience():
    launch = smart.check_kr({"title": "Launch the chat widget beta to 5% of customers", "kind": "milestone"})
    moved = smart.check_kr({"title": "Raise the chat widget's share of sessions to 5%", "kind": "milestone"})
    assert launch["M"].level == smart.PASS
    assert moved["M"].level == smart.WARN and "number to move" in moved["M"].reason


def test_a_list_of_things_a_named_thing_does_is_several_results_not_one_capability():
    line = "The bot sends replies, answers billing questions, closes duplicates, and tags tickets"
    assert read_line(line).shape != "deliverable"
    assert smart.check_kr({"title": line})["S"].level != smart.PASS


def test_one_after_an_article_is_a_pronoun_not_a_count():
    assert read_line("The new onboarding gets more sign-ups than the old one").target is None
    assert read_line("Hire one designer").target == 1


def test_a_named_thing_doing_something_is_a_milestone_that_checks_itself():
    for line in ("Nightly backups no longer depend on the old NFS share", "Release notes explain every breaking change",
                 "The legacy importer is switched off"):
        check = smart.check_kr({"title": line})
        assert (check["S"].level, check["M"].level) == (smart.PASS, smart.PASS), (line, check["S"].reason)


def test_a_direction_without_a_number_has_no_finish_line():
    check = smart.check_kr({"title": "More teams adopt the design system"})
    assert check["M"].level == smart.FAIL and "no number" in check["M"].reason
    assert smart.check_kr({"title": "Support spends less time triaging"})["M"].level == smart.FAIL
    # measured against a value that exists: a loose finish line, not none
    assert smart.check_kr({"title": "The new onboarding gets more sign-ups than the old one"})["M"].level == smart.WARN


def test_a_sentence_about_people_is_a_state_that_no_one_can_check_off():
    assert read_line("Customers onboard themselves without friction").shape == "state"
    assert smart.check_kr({"title": "Customers onboard themselves without friction"})["M"].level == smart.FAIL
    assert read_line("Onboarding checklist for new customers").shape == "noun"  # a thing named, loosely: a warning
    # a participle first is a thing done, not an activity: "Implemented …" is checkable
    assert smart.check_kr({"title": "Implemented pricing plan for the API"})["M"].level == smart.PASS


def test_an_activity_that_names_nothing_it_produces_fails_specific():
    assert smart.check_kr({"title": "Evaluate Vault"})["S"].level == smart.FAIL
    assert smart.check_kr({"title": "Decide on a secrets manager"})["S"].level == smart.PASS  # a decision is a thing


def test_every_one_of_them_done_is_checkable():
    assert smart.check_kr({"title": "Every squad has adopted the incident template"})["M"].level == smart.PASS
    assert smart.check_kr({"title": "Every squad is happier"})["M"].level == smart.FAIL


def test_a_count_in_the_range_of_years_after_a_verb_of_reaching_is_a_count():
    assert read_line("Get 2000 newsletter readers").target == 2000
    assert read_line("Ship the 2025 pricing page").kind == "milestone"


def test_a_label_may_end_in_a_dash_and_an_aside_does_not_end_the_metric():
    assert read_line("KR 3 – 60% of invoices paid within 30 days").metric.startswith("invoices paid")
    assert read_line("Have 3 (external) case studies published").metric == "case studies published"


def test_milestones_that_are_their_definition_of_done_pass_measurable():
    for line in ("Have a signed-off monetization strategy for AI", "ProtoSchool has its own roadmap published",
                 "ProtoSchool has its own roadmap", "Publish a whitepaper theory of change",
                 "Hire a VP of Engineering"):
        check = smart.check_kr({"title": line})
        assert (check["S"].level, check["M"].level) == (smart.PASS, smart.PASS), (line, check["M"].reason)


@pytest.mark.parametrize(("line", "letter", "words"), [
    ("Improve onboarding", "S", "vague verb"),
    ("Increase hashtag usage on social media channels by X% (tbd)", "M", "placeholder"),
    ("Grow revenue by TBD", "M", "placeholder"),
    ("Fundraise $7.7M in grants and $4.4M in individual donations", "S", "two results"),
    ("Hit our ARR target", "M", "does not state it"),
    ("How do we review non-feature changes?", "S", "question"),
])
def test_the_rules_still_protect_the_team(line, letter, words):
    verdict = smart.check_kr({"title": line})[letter]
    assert verdict.level == smart.FAIL and words in verdict.reason


def test_bad_input_is_explained_and_nothing_is_lost():
    two = read_line("Churn 5% 3%")
    assert two.text == "Churn 5% 3%" and "two numbers (5% and 3%) but no direction" in two.problems[0]
    share = read_line("Raise the share of invoices paid online to 140%")
    assert share.target == 140 and "“140%” is more than 100%" in share.problems[0]
    assert not read_line("Hit a net revenue retention of 120%").problems  # retention may pass 100%
    late = read_line("Launch ACH payments by 30 June", Q3)
    assert late.due_on is None and late.deadline == "by 30 June" and "outside 2026-Q3" in late.problems[0]
    assert smart.check_kr({"title": "Launch ACH payments by 30 June", "due_on": dt.date(2026, 9, 30)},
                          smart.Context(*Q3))["T"].level == smart.PASS  # the quarter's last day is kept


hostile = st.one_of(st.text(max_size=300), st.text(min_size=1, max_size=40).map(lambda s: (s * 10_000)[:10_240]),
                    st.sampled_from(["🚀 Grow 🚀 users ➔ 10k 🎉", "زيادة المستخدمين من 10 إلى 20", "‮Cut churn‬ to 2%",
                                     "from from to to", "→→→", "1e999 users", "%%%", "by by by 10%", "\x00\x1f"]))


@settings(max_examples=200, deadline=None)
@given(hostile)
def test_reading_never_raises_on_any_text(text):
    reading = read_line(text, Q3)
    assert isinstance(reading.kind, str) and len(reading.text) <= 2000
    smart.check_kr({"title": text})


numbers = st.floats(min_value=0.5, max_value=1e6, allow_nan=False).map(lambda v: round(v, 2))


@settings(max_examples=100, deadline=None)
@given(numbers, numbers, st.sampled_from(["%", " ms", " days", "", "k"]))
def test_from_a_to_b_and_the_arrow_read_the_same(a, b, unit):
    words = read_line(f"Cut onboarding time from {a}{unit} to {b}{unit}")
    arrow = read_line(f"Cut onboarding time {a}{unit} → {b}{unit}")
    assert (words.baseline, words.target, words.kind, words.unit, words.metric) == (
        arrow.baseline, arrow.target, arrow.kind, arrow.unit, arrow.metric)


typed = st.fixed_dictionaries({}, optional={
    "kind": st.sampled_from(list(smart.KIND_LABELS)), "metric": st.text(min_size=1, max_size=20),
    "unit": st.sampled_from(["%", "h", "users"]), "baseline": numbers, "target": numbers, "change_pct": numbers,
    "due_on": st.dates(dt.date(2026, 7, 1), dt.date(2026, 9, 30))})


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["Cut p99 latency from 800ms to 200ms by 15 August", "Grow trials by 21% QoQ",
                        "Publish the API reference", "Keep refunds below 2%"]), typed)
def test_typed_fields_always_win(line, fields):
    values, _ = smart.rules.effective({"title": line, **fields}, smart.Context(*Q3))
    for name, value in fields.items():
        assert values[name] == value


def test_a_line_reads_fast_enough_to_check_as_people_type():
    rows = smart_agreement.load()
    assert len(rows) >= 150 and {r["part"] for r in rows} == {"dev", "held"}
    assert sum(r["origin"] == "OKR guide" for r in rows) <= len(rows) / 4


def test_the_second_readers_verdicts_are_on_lines_of_the_set():
    ids = {r["id"] for r in smart_agreement.load()}
    second = smart_agreement.load(smart_agreement.SECOND)
    assert len(second) >= 200 and {s["id"] for s in second} <= ids
    assert {s["S"] for s in second} | {s["M"] for s in second} <= set(smart_agreement.LEVELS)


def test_kappa_counts_only_the_agreement_beyond_chance():
    assert smart_agreement.kappa([("pass", "pass"), ("warn", "warn"), ("fail", "fail")]) == 1
    # Each reader says pass half the time, independently: half the lines agree, all of it by chance.
    assert smart_agreement.kappa([("pass", "pass"), ("pass", "warn"), ("warn", "pass"), ("warn", "warn")]) == 0


def test_the_readers_alike_table_counts_only_lines_both_readers_judge_alike():
    row = {"part": "held", "kind": "", "metric": "", "unit": "", "baseline": "", "target": "", "change_pct": ""}
    rows = [{**row, "id": "1", "line": "Improve onboarding", "S": "fail", "M": "fail"},
            {**row, "id": "2", "line": "Publish the API reference", "S": "fail", "M": "pass"},
            {**row, "id": "3", "line": "Publish the API reference", "S": "pass", "M": "pass"}]
    second = [{"id": "1", "S": "fail", "M": "fail"}, {"id": "2", "S": "fail", "M": "pass"},
              {"id": "3", "S": "warn", "M": "pass"}]
    table = smart_agreement.readers_agree(rows, second).splitlines()
    # S: lines 1 and 2 are alike, both failed; the check fails 1 and passes 2. M: all three alike.
    assert table[-1] == "| held | 2 | 50.0% | 1 of 2 | 3 | 100.0% | 0 of 1 |"


# Floors per range of batches, a line or two under each range's figures (bench/results.md) on S and on M, in both
# modes: ids 1-279 (the first set), 280-784 (batches tuned until stop 29), 785-1063 (stop 30), 1064-1143 (stop 34,
# all development lines: they were seen before the split, see tests/data/README.md), 1144-1178 (all held, at its
# first measurement), 1179-1253 and 1254-1300 (stop 35, tuned on their dev lines). A new batch joins at
# its first measurement, below the ranges the rules were tuned on (888-934 joined at 53% on S), so it stays out of
# these floors (it cannot lower them) until rules are tuned on it; then it gets a range of its own here. The held
# lines of the first set are pinned apart, below.
FLOORS = {(1, 279): {"dev": (0.92, 0.94)},
          (280, 784): {"dev": (0.83, 0.87), "held": (0.69, 0.74)},
          (785, 1063): {"dev": (0.82, 0.88), "held": (0.66, 0.77)},
          (1064, 1143): {"dev": (0.68, 0.78)},
          (1144, 1178): {"held": (0.62, 0.65)},
          (1179, 1253): {"dev": (0.86, 0.86), "held": (0.56, 0.68)},
          (1254, 1300): {"dev": (0.56, 0.81), "held": (0.46, 0.86)},
          (1301, 1359): {"dev": (0.84, 0.87), "held": (0.65, 0.70)},
          (1360, 1427): {"dev": (0.73, 0.77), "held": (0.56, 0.65)}}


@pytest.mark.parametrize(("ids", "part", "mode"), [(ids, part, mode) for ids, parts in FLOORS.items()
                                                   for part in parts for mode in smart_agreement.MODES])
def test_agreement_with_a_careful_reader_does_not_fall_back(ids, part, mode):
    """So the agreement cannot fall back unnoticed: a rule that wins lines in one range must not lose them in
    another one's."""
    low, high = ids
    rows = [r for r in smart_agreement.load() if r["part"] == part and low <= int(r["id"]) <= high]
    found = smart_agreement.scores(rows, mode)
    floor_s, floor_m = FLOORS[ids][part]
    assert found["S"] >= floor_s and found["M"] >= floor_m, found


# (part, first id, last id or None for every later one): the most lines a check may pass that a careful reader fails.
MOST_FAIL_AS_PASS = {("dev", 1, None): 0.02, ("held", 1, 1063): 0.04, ("held", 1144, 1178): 0.12,
                     ("held", 1179, 1253): 0.08, ("held", 1254, 1300): 0.14, ("held", 1301, 1359): 0.05,
                     ("held", 1360, 1427): 0.14}


@pytest.mark.parametrize(("part", "ids", "mode"), [(part, (low, high), mode) for part, low, high in MOST_FAIL_AS_PASS
                                                   for mode in smart_agreement.MODES])
def test_a_bad_key_result_is_seldom_judged_good(part, ids, mode):
    """The goal (≤ 2% of lines) is met on the development part; the held part misses it since ids 280–360 joined
    (2.8%, see bench/results.md), so its pin is looser until the rules earn the goal there. Ids 1144–1178, held
    whole and never tuned on, joined at 11.4% on S (four lines of 35): pinned apart, so the other held lines keep
    theirs; so are the held lines of ids 1179–1253 (one of 25), 1254–1300 (one of 15), 1301–1359 (one of 20) and
    1360–1427 (three of 23)."""
    low, high = ids
    rows = [r for r in smart_agreement.load() if r["part"] == part and low <= int(r["id"]) <= (high or int(r["id"]))]
    found = smart_agreement.scores(rows, mode)
    most = MOST_FAIL_AS_PASS[(part, low, high)]
    assert found["S_fail_as_pass"] <= most and found["M_fail_as_pass"] <= most, found


def test_the_fields_a_lead_types_agree_at_least_as_well_as_the_line_alone():
    """On the development part. The held part holds too at stop 35 (bench/results.md), but it is not pinned:
    tuning on it would spoil it as evidence."""
    rows = [r for r in smart_agreement.load() if r["part"] == "dev"]
    line, typed = smart_agreement.scores(rows, "line"), smart_agreement.scores(rows, "typed")
    assert typed["S"] >= line["S"] and typed["M"] >= line["M"], (line, typed)


@pytest.mark.parametrize("mode", smart_agreement.MODES)
def test_the_first_held_part_keeps_its_agreement(mode):
    """The 84 held lines of the first set (ids up to 279), pinned on their own: more evidence must not hide a
    fall there."""
    rows = [r for r in smart_agreement.load() if r["part"] == "held" and int(r["id"]) <= smart_agreement.FIRST_SET]
    found = smart_agreement.scores(rows, mode)
    # S was 86.9% (73 lines) until the rule that "Reduce <one named measure>" with no number passes S (its M
    # fails); that rule, earned on Electron's dev lines, moved two of these lines the other way (bench/results.md).
    assert found["S"] >= 0.84 and found["M"] >= 0.88, found
    assert found["S_fail_as_pass"] <= 0.02 and found["M_fail_as_pass"] <= 0.02
