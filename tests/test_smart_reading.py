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
                 "Publish a whitepaper theory of change", "Hire a VP of Engineering"):
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


@pytest.mark.parametrize(("part", "mode"), [(p, m) for p in ("dev", "held") for m in smart_agreement.MODES])
def test_agreement_with_a_careful_reader_does_not_fall_back(part, mode):
    """Floors a little under the figures in bench/results.md, so the agreement cannot fall back unnoticed."""
    rows = [r for r in smart_agreement.load() if r["part"] == part]
    found = smart_agreement.scores(rows, mode)
    floor = {"dev": 0.86, "held": 0.76}[part]
    assert found["S"] >= floor and found["M"] >= floor, found
    # The goal (≤ 2%) is met on the development part; the held part misses it since ids 280–360 joined (2.8%, see
    # bench/results.md), so its pin is looser until the rules earn the goal there.
    most = {"dev": 0.02, "held": 0.04}[part]
    assert found["S_fail_as_pass"] <= most and found["M_fail_as_pass"] <= most


def test_the_fields_a_lead_types_agree_at_least_as_well_as_the_line_alone():
    """On the development part. The held part is one line short on S (bench/results.md); tuning on it would
    spoil it as evidence."""
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


@pytest.mark.parametrize(("line", "s", "m"), [
    # A direction and one measure named plainly: what is counted is clear, how far is not.
    ("Lower the number of failed deploys in the payments service", "pass", "fail"),
    ("Increase the number of regular contributors (rolling 30-day active)", "pass", "fail"),
    ("Reduce MTTR", "pass", "fail"),  # the named measures of the trade count too
    # A broad measure, or two of them, stays a warning on S.
    ("Increase engagement of the help centre", "warn", "fail"),
    ("Reduce time to first green, and time to all greens", "warn", "fail"),
])
def test_a_direction_with_one_named_measure_is_specific_but_not_measurable(line, s, m):
    check = smart.check_kr({"title": line})
    assert (check["S"].level, check["M"].level) == (s, m)


def test_a_window_or_a_scope_is_not_a_target():
    assert read_line("Increase the number of regular contributors (rolling 30-day active)").target is None
    assert read_line("Report issues found in the latest 2 releases").target is None
    assert read_line("500 members active in the last 30 days").target == 500


@pytest.mark.parametrize("title", ["Increase engagement of the help centre",
                                   "KR1: Increase engagement of the help centre"])  # a label changes nothing
def test_a_typed_metric_does_not_hide_a_broad_title(title):
    check = smart.check_kr({"title": title, "kind": "increase_to", "metric": "help centre page views",
                            "target": 5000})
    assert check["S"].level == "warn" and "title" in check["S"].reason


@pytest.mark.parametrize("line", ["Collaborate on and deliver a list of smoke tests",
                                  "Audit the API tests and document the results"])
def test_a_shared_object_or_a_write_up_is_one_result(line):
    assert len(read_line(line).parts) == 1


@pytest.mark.parametrize(("line", "shape", "s", "m"), [
    ("Identify the requirements for the billing export", "thinking", "pass", "warn"),  # when is it done?
    ("Identify 20 partners for the beta", "measure", "pass", "pass"),  # a count says when
    ("Finalize the launch checklist", "deliverable", "pass", "pass"),
    ("Document high-profile changes in the release notes", "deliverable", "warn", "warn"),  # which changes?
])
def test_identifying_is_a_thinking_step_until_it_counts(line, shape, s, m):
    check = smart.check_kr({"title": line})
    assert (read_line(line).shape, check["S"].level, check["M"].level) == (shape, s, m)


def test_a_verdict_quotes_the_line_without_its_label():
    assert smart.check_kr({"title": "KR2: Publish the API guide"})["S"].reason == (
        "Names the deliverable “Publish the API guide”.")


@pytest.mark.parametrize("line", ["Design teams are jealous we built the token pipeline first",
                                  "Customers feel confident about the new invoices"])
def test_a_feeling_is_a_state_whatever_was_built(line):
    assert read_line(line).shape == "state"
    assert smart.check_kr({"title": line})["S"].level != "pass"


def test_a_direction_with_a_named_measure_says_what_is_counted():
    assert smart.check_kr({"title": "KR: Lower the number of failed deploys."})["S"].reason == (
        "Names what is counted: “number of failed deploys”.")


@pytest.mark.parametrize(("line", "target"), [
    ("Key Result: Each member of the team presents at the Q2 showcase [1/3]", None),  # a score, not a target
    ("Any component of our cloud infrastructure can be deployed via a push-button process [2.5/4]", None),
    ("Reach 500 Twitter followers [30%]", 500),
    ("80% of data requests take fewer than 15 minutes of analysts' time []", 80),
])
def test_a_progress_mark_at_the_end_of_a_pasted_line_is_not_its_target(line, target):
    reading = read_line(line)
    assert reading.target == target
    assert "[" not in reading.text


def test_a_label_with_a_committed_or_aspirational_tag_is_a_label():
    line = "Support documentation [COMMITTED]: Publish help articles for the top 5 support inquiries"
    assert read_line(line).text == "Publish help articles for the top 5 support inquiries"
    assert smart.check_kr({"title": line})["S"].level == "pass"  # "Support" names the label, not a vague verb


@pytest.mark.parametrize("line", ["Data from batch 4 is backed up.", "Portal for cohort 5 is live by the 25th of June.",
                                  "The location of the data is documented in the wiki."])
def test_a_numbered_name_is_not_a_count_and_a_kept_record_is_done(line):
    reading = read_line(line)
    assert (reading.target, reading.shape) == (None, "deliverable")
    check = smart.check_kr({"title": line})
    assert (check["S"].level, check["M"].level) == ("pass", "pass")


@pytest.mark.parametrize("line", ["Increase test coverage for dds_web to 100% and dds_cli to 70%.",
                                  "Grow revenue from 10 to 20 and keep churn under 2%"])
def test_two_things_each_with_its_own_target_are_two_results(line):
    assert read_line(line).two_results
    assert smart.check_kr({"title": line})["S"].level == "fail"


def test_a_mood_or_a_cost_that_is_up_is_not_a_deliverable_but_a_system_that_is_up_is():
    assert smart.check_kr({"title": "Team morale is up"})["S"].level != "pass"
    assert read_line("The portal for the spring cohort is up by 25 June").shape == "deliverable"


@pytest.mark.parametrize("line", ["Start the community call up again, and grow its attendance by 10%",
                                  "Establish a working group of design systems and hold the first meeting"])
def test_a_delivery_is_a_part_that_can_be_checked(line):
    assert smart.check_kr({"title": line})["M"].level == "pass"


def test_a_capability_compared_without_a_number_is_a_comparison():
    line = "Users can perform common tasks in the new GUI in less time and effort compared to the CLI."
    assert read_line(line).shape == "comparison"
    assert smart.check_kr({"title": line})["M"].level == "warn"  # a finish line, if a loose one


def test_the_window_and_the_means_are_not_part_of_the_measure():
    reading = read_line("Reduce the number of support tickets by 50% percent within the next 6 months, by "
                        "implementing a chatbot in the web interface.")
    assert (reading.kind, reading.change_pct, reading.metric) == ("decrease_by", 50, "support tickets")


def test_a_number_that_bounds_the_measure_stays_in_it():
    reading = read_line("80% of data requests take fewer than 15 minutes of analysts' time")
    assert (reading.target, reading.metric) == (80, "data requests take fewer than 15 minutes of analysts' time")


@pytest.mark.parametrize("line", ["Key Result 3: Deliver x user driven improvements into production",
                                  "Remove x hours of BAU administration time from engineers"])
def test_a_lone_x_where_the_count_goes_is_a_placeholder(line):
    assert read_line(line).placeholder
    assert smart.check_kr({"title": line})["M"].level == "fail"


@pytest.mark.parametrize("line", ["3 x 5 grid of tiles shipped to the dashboard", "Run the x-ray service on ARM"])
def test_an_x_that_is_not_a_count_is_no_placeholder(line):
    assert not read_line(line).placeholder


@pytest.mark.parametrize("line", ["Submit financial reports to the tax authorities", "Issue the annual report for 2026",
                                  "Ratify the 2027 budget in a members' vote",
                                  "Develop and publish a dashboard of nominations and selections"])
def test_a_thing_sent_voted_or_published_after_thinking_is_a_deliverable(line):
    check = smart.check_kr({"title": line})
    assert (read_line(line).shape, check["S"].level, check["M"].level) == ("deliverable", "pass", "pass")


def test_tracking_and_documenting_stays_an_activity():
    assert read_line("Track and document progress on the accounts list").shape == "thinking"


def test_ensuring_a_stated_share_is_specific_but_supporting_a_count_is_not():
    assert smart.check_kr({"title": "Ensure that at least 50% of co-hosts are new to the community"})["S"].level == \
        "pass"
    assert smart.check_kr({"title": "Support and promote 3 reading clubs"})["S"].level == "warn"


def test_two_verbs_either_of_which_would_do_leave_the_result_open():
    reading = read_line("Launch/test at least 3 funding tools")
    assert reading.open_list and smart.check_kr({"title": reading.text})["S"].level == "warn"


@pytest.mark.parametrize(("line", "due"), [("Publish the migration guide by 25 June", dt.date(2027, 6, 25)),
                                           ("Publish the migration guide by June 25th", dt.date(2027, 6, 25)),
                                           ("Publish the migration guide by the 25th of June", dt.date(2027, 6, 25))])
def test_the_day_of_a_deadline_is_not_a_target(line, due):
    reading = read_line(line, ("2027-Q2", dt.date(2027, 4, 1), dt.date(2027, 6, 30)))
    assert (reading.kind, reading.target, reading.due_on) == ("milestone", None, due)


def test_may_spelt_small_after_a_count_is_a_verb_not_a_month():
    assert read_line("At least 20 may join the beta").target == 20


@pytest.mark.parametrize(("line", "text"), [("1.1 - Task-based reporting and data quality framework",
                                             "Task-based reporting and data quality framework"),
                                            ("3.1 – Conduct at least 2 user interviews per month",
                                             "Conduct at least 2 user interviews per month")])
def test_a_numbered_label_with_a_dash_is_a_label(line, text):
    reading = read_line(line)
    assert reading.text == text and reading.target != 1.1


def test_a_judgement_word_in_the_reason_why_does_not_cloud_the_result():
    line = "Publish dataset coverage on the platform, so users can easily understand what data exists"
    assert not read_line(line).judgement
    assert read_line("Publish an easy guide to the platform").judgement


def test_a_description_of_the_thing_is_not_a_second_result():
    line = "We have a method for validating metrics, that includes 3 qualitative and 3 quantitative means"
    assert len(read_line(line).parts) == 1


@pytest.mark.parametrize(("line", "text"), [
    ("P0 (0.8): SMART IG draft ready for review", "SMART IG draft ready for review"),
    ("P2-JM: (0.4 -- in talks) Recruit one provider", "Recruit one provider"),
    ("P1: Ship the importer", "Ship the importer"),
])
def test_a_priority_and_a_score_before_the_line_are_a_label(line, text):
    reading = read_line(line)
    assert reading.text == text and reading.target not in (0.8, 0.4)


def test_p99_is_a_measure_not_a_priority():
    assert read_line("p99 latency under 200ms").text == "p99 latency under 200ms"


@pytest.mark.parametrize("line", ["sanitize and publish the Puppet git repository",
                                  "all machines are upgraded to bullseye"])
def test_a_step_that_ends_in_publishing_or_an_upgrade_done_is_a_deliverable(line):
    assert read_line(line).shape == "deliverable"


def test_a_review_and_its_record_are_one_result():
    assert not read_line("Perform review and record current state results on 5 projects").two_results


def test_a_blank_to_fill_is_a_placeholder():
    assert read_line("Improve throughput by __x without breaking the API").placeholder


def test_an_alternative_in_brackets_leaves_the_result_open():
    assert read_line("Migrate to Prometheus for monitoring (or upgrade to Icinga 2)").open_list


def test_a_number_word_where_the_target_stands_is_the_target():
    reading = read_line("Reduce VM deployment time to one hour or less (currently 2 hours)")
    assert (reading.kind, reading.baseline, reading.target, reading.unit, reading.metric) == (
        "decrease_to", 2, 1, "h", "VM deployment time")
