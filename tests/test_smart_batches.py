"""What each batch of real key results taught the line reader (tests/data/smart_key_results.csv, batches 382–784):
one test per rule, on lines written for the test in the same shape as the dev lines that showed the need. The
agreement itself is pinned in tests/test_smart_reading.py."""

from __future__ import annotations

import datetime as dt

import pytest

from okrdash import smart
from okrdash.smart.reading import read_line


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


@pytest.mark.parametrize(("line", "metric"), [("By end of Q3, grow weekly trials to 500", "weekly trials"),
                                              ("By the end of 2025, run three experiments on pricing",
                                               "experiments on pricing")])
def test_a_deadline_that_leads_the_line_leaves_the_measure_after_it(line, metric):
    reading = read_line(line)
    assert reading.metric == metric and reading.deadline.lower().startswith("by")


@pytest.mark.parametrize("line", ["Weekly blog posts", "Quarterly update by each working group to the TOC",
                                  "Refactor the macro implementation into plain functions"])
def test_a_deliverable_each_period_or_a_refactoring_is_checkable(line):
    check = smart.check_kr({"title": line})
    assert (read_line(line).shape, check["S"].level, check["M"].level) == ("deliverable", "pass", "pass")


def test_a_plus_between_two_counts_is_two_results():
    assert read_line("Publish 12 demos + 12 tutorials").two_results


@pytest.mark.parametrize(("line", "text"), [("KR-1:   Complete the keyring controller migration",
                                             "Complete the keyring controller migration"),
                                            ("KR: Maintainable frontend plugins: convert all plugins to TypeScript",
                                             "convert all plugins to TypeScript")])
def test_a_dashed_kr_number_and_a_four_word_label_are_labels(line, text):
    assert read_line(line).text == text


@pytest.mark.parametrize("line", ["Complete the keyring controller migration", "Allow filtering the list of files",
                                  "Highlight owned files in the change view",
                                  "Finalized proposal for the agreements, reviewed by a lawyer"])
def test_a_feature_or_a_finalised_document_is_done_or_not(line):
    check = smart.check_kr({"title": line})
    assert (check["S"].level, check["M"].level) == ("pass", "pass")


def test_an_activity_named_by_its_gerund_is_still_an_activity():
    assert smart.check_kr({"title": "Complete the testing of the importer"})["M"].level == "warn"


@pytest.mark.parametrize("line", ["Make headway on the top pain points, as measured by surveys",
                                  "Scale up the community"])
def test_making_headway_or_scaling_up_names_no_result(line):
    check = smart.check_kr({"title": line})
    assert check["S"].level == "fail"
    assert check["S"].reason.startswith(("“Make headway” is a vague verb", "“Scale up” is a vague verb"))

