"""Voting, publishing, check-ins and the managers' digest, each sent through the real SMTP server: the right
people, the subject, the deep links, once per period."""

from __future__ import annotations

import datetime as dt

from okrdash import checkins, rounds
from okrdash.notify import remind
from tests.notify.scenario import NOW, growth_published, growth_round
from tests.notify.test_remind import bodies
from tests.tracking_fixtures import checkin, tracked


def by_recipient(inbox) -> dict[str, object]:
    return {m["to"][0]: m["message"] for m in inbox.messages}


def test_voting_open_goes_to_members_who_have_not_voted(org, configured):
    round_id = growth_round(org)
    candidates = [c["id"] for c in rounds.candidates(org.member, round_id)]
    rounds.cast(org.member, round_id, "dot", {candidates[0]: 5, candidates[1]: 5}, now=NOW)

    remind.run(now=NOW + dt.timedelta(minutes=5))

    subject = "Vote now: Growth's ranking round for 2027-Q1"
    assert sorted(configured.inbox.received()) == [("lee@example.com", subject), ("max@example.com", subject)]
    text, _ = bodies(by_recipient(configured.inbox)["max@example.com"])
    assert "Lee Lead opened “Which objective?”" in text and "by dot voting" in text and "blind" in text
    assert "https://okr.harbor.example/workshop_rank?team=Growth&quarter=2027-Q1" in text
    assert "You opened" in bodies(by_recipient(configured.inbox)["lee@example.com"])[0]
    assert remind.run(now=NOW + dt.timedelta(hours=3)).count("sent") == 0  # once per round


def test_published_goes_to_the_team_but_the_lead_who_published(org, configured):
    growth_published(org)
    remind.run(now=NOW + dt.timedelta(minutes=1))
    subject = "Growth published its OKRs for 2027-Q1"
    assert sorted(configured.inbox.received()) == [("max@example.com", subject), ("mia@example.com", subject)]
    text, html = bodies(by_recipient(configured.inbox)["mia@example.com"])
    assert "Raise trial-to-paid conversion from 14% to 20% — owner Mia Member" in text
    assert "https://okr.harbor.example/okrs?team=Growth&quarter=2027-Q1" in text and "<li>" in html
    # News for a week: a run nine days later finds nothing new.
    assert remind.run(now=NOW + dt.timedelta(days=9)).count("sent") == 0


def test_checkin_due_lists_all_of_an_owners_key_results_in_one_weekly_message(org, configured):
    krs = tracked(org)
    checkin(krs.decrease, org.member2.person_id, NOW.date() - dt.timedelta(days=2), value=40)

    remind.run(now=NOW, only="checkin_due")

    received = dict(configured.inbox.received())
    # Max checked in two days ago; the outsider owns Core's KR; Mia owns three, the lead one.
    assert received == {"mia@example.com": "3 key results wait for your check-in",
                        "lee@example.com": "1 key result waits for your check-in",
                        "olga@example.com": "1 key result waits for your check-in"}
    text, _ = bodies(by_recipient(configured.inbox)["mia@example.com"])
    for kr in (krs.increase, krs.above, krs.milestone):
        assert f"https://okr.harbor.example/checkins?kr={kr}" in text
    assert "Check in on “Raise trial-to-paid conversion from 14% to 20%” — Growth · no check-in yet" in text
    # The same ISO week: nothing again; the next week: again, for what is still due.
    assert remind.run(now=NOW + dt.timedelta(days=3), only="checkin_due").count("sent") == 0
    assert remind.run(now=NOW + dt.timedelta(days=5), only="checkin_due").count("sent") == 4  # Max: 7 days since


def test_the_manager_digest_covers_the_subtree_and_acknowledgements_waiting(org, configured):
    krs = tracked(org)
    recent = checkin(krs.increase, org.member.person_id, NOW.date() - dt.timedelta(days=1), value=15,
                     comment="Pricing page <b>shipped</b>")
    checkin(krs.core_kr, org.outsider.person_id, NOW.date() - dt.timedelta(days=3), value=30)

    remind.run(now=NOW, only="manager_digest")

    # Mona manages Product (Growth and Core); Sam manages Sales, which has no key results: no digest.
    (message,) = [m["message"] for m in configured.inbox.messages]
    assert configured.inbox.received()[0][0] == "mona@example.com"
    text, html = bodies(message)
    assert str(message["Subject"]).strip() == "Weekly OKR digest: 1 off track, 4 stale, 2 check-ins to acknowledge"
    assert "Raise trial-to-paid conversion from 14% to 20% — Growth · Mia Member · 17% done, 53% expected" in text
    assert "Stale: no check-in for over a week (4)" in text and "Cut sync failures from 40 to 5 a week — Core" in text
    assert f"Mia Member on Raise trial-to-paid conversion from 14% to 20% (Growth, Tue 17 Nov 2026): confidence " \
           f"7/10 · “Pricing page <b>shipped</b>”\n  https://okr.harbor.example/dashboard_kr?kr={krs.increase}" in text
    assert "Pricing page &lt;b&gt;shipped&lt;/b&gt;" in html
    assert "you manage Product" in text

    checkins.acknowledge(org.manager, recent, "Nice")
    configured.inbox.messages.clear()
    remind.run(now=NOW + dt.timedelta(days=7), only="manager_digest")  # next week: the acknowledged one is gone
    text, _ = bodies(configured.inbox.messages[0]["message"])
    assert "Pricing page" not in text
