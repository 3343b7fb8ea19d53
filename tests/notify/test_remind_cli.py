"""`python -m okrdash remind` as cron runs it, against real servers: twice sends nothing new; killed half-way it
sends nothing twice and the next run sends the rest; failures are clear, never marked sent, and exit non-zero."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections import Counter

from okrdash import db, people, teams
from okrdash.notify import webhooks
from tests.notify.conftest import ROOT_ENV, subprocess_env
from tests.notify.scenario import growth_survey

NOW = "2026-11-18T10:00"


def remind(smtp_url: str | None, ca_file, *args: str, **extra: str) -> subprocess.CompletedProcess:
    db.close_all()  # DuckDB lets one process open the file
    env = {**subprocess_env(smtp_url, ca_file), **extra}
    return subprocess.run([sys.executable, "-m", "okrdash", "remind", "--now", NOW, *args], env=env, cwd=ROOT_ENV,
                          capture_output=True, text=True, timeout=120)


def statuses() -> Counter:
    return Counter(db.column("SELECT status FROM notify_log"))


def test_running_remind_twice_sends_nothing_new(org, smtp, hooks, test_ca):
    growth_survey(org)
    webhooks.set_url(org.lead, org.growth, hooks.url("growth"))

    first = remind(smtp.url, test_ca[1])
    assert first.returncode == 0, first.stderr
    assert "Sent 3 (2 email, 1 chat), failed 0, uncertain 0, not attempted 0, already sent earlier 0." in first.stdout
    assert "sent          email survey_opened  mia@example.com “The Growth survey for 2027-Q1 is open" in first.stdout
    assert len(smtp.inbox.messages) == 2 and len(hooks.posts) == 1

    second = remind(smtp.url, test_ca[1])
    assert second.returncode == 0, second.stderr
    assert "Sent 0 (0 email, 0 chat), failed 0, uncertain 0, not attempted 0, already sent earlier 3." in second.stdout
    assert len(smtp.inbox.messages) == 2 and len(hooks.posts) == 1
    assert statuses() == {"sent": 3}


def test_a_run_killed_mid_way_sends_nothing_twice_and_the_next_run_sends_the_rest(org, smtp, test_ca):
    for n in range(10):  # a team of 13 that all get "survey opened"
        teams.join(org.growth, people.create(f"Extra Person{n}", f"extra{n}@example.com"))
    growth_survey(org)
    smtp.inbox.delay = 0.6  # the server holds each answer back after storing the message

    db.close_all()
    run = subprocess.Popen([sys.executable, "-m", "okrdash", "remind", "--now", NOW], cwd=ROOT_ENV,
                           env=subprocess_env(smtp.url, test_ca[1]), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(smtp.inbox.messages) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)  # while the server sits on the fourth message
    run.wait()
    assert run.returncode == -signal.SIGKILL
    assert len(smtp.inbox.messages) == 4
    assert statuses() == {"sent": 3, "sending": 1}

    smtp.inbox.delay = 0
    rerun = remind(smtp.url, test_ca[1])
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "An earlier run stopped while handing over the survey_opened email" in rerun.stdout
    assert "it may have been delivered, so it is not sent again" in rerun.stdout
    recipients = Counter(to for to, _ in smtp.inbox.received())
    assert len(recipients) == 12 and set(recipients.values()) == {1}  # everyone but the lead, each exactly once
    assert statuses() == {"sent": 11, "uncertain": 1}
    assert remind(smtp.url, test_ca[1]).returncode == 0 and len(smtp.inbox.messages) == 12


def test_smtp_refusing_a_recipient_is_reported_and_not_marked_sent(org, smtp, test_ca):
    growth_survey(org)
    smtp.inbox.refuse = "550 5.1.1 Mailbox unavailable"
    result = remind(smtp.url, test_ca[1])
    assert result.returncode == 1
    assert "failed        email survey_opened  max@example.com" in result.stdout
    assert "the mail server refused the recipient max@example.com (550 5.1.1 Mailbox unavailable) (tried 1 time)" \
        in result.stdout  # a permanent refusal is not retried
    assert "Sent 0 (0 email, 0 chat), failed 2," in result.stdout
    assert "some messages were not sent" in result.stderr
    assert statuses() == {"failed": 2} and not smtp.inbox.messages

    smtp.inbox.refuse = None  # fixed: the next run sends them
    assert remind(smtp.url, test_ca[1]).returncode == 0 and statuses() == {"sent": 2}


def test_an_unreachable_or_silent_mail_server_is_retried_then_reported(org, test_ca):
    growth_survey(org)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    refused = remind(f"smtp://okr:pw@127.0.0.1:{port}", test_ca[1])
    assert refused.returncode == 1
    assert f"could not connect to the mail server 127.0.0.1:{port} (Connection refused) (tried 3 times)" \
        in refused.stdout
    assert "not attempted email survey_opened" in refused.stdout  # the server is down: the rest wait
    assert statuses() == {"failed": 1}

    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        timed_out = remind(f"smtp://okr:pw@127.0.0.1:{port}", test_ca[1], OKRDASH_NOTIFY_TIMEOUT="0.5")
    assert timed_out.returncode == 1
    assert f"the mail server 127.0.0.1:{port} did not answer within 0.5 s (tried 3 times)" in timed_out.stdout
    assert not any(line.startswith("sent ") for line in timed_out.stdout.splitlines())
    assert statuses() == {"failed": 1} and not any(
        line.startswith("sent ") for line in refused.stdout.splitlines())


def test_a_webhook_answering_500_is_retried_then_reported_and_the_next_run_posts_it(org, smtp, hooks, test_ca):
    growth_survey(org)
    webhooks.set_url(org.lead, org.growth, hooks.url("growth"))
    hooks.status["/growth"] = 500
    result = remind(smtp.url, test_ca[1])
    assert result.returncode == 1
    assert (f"failed        chat  survey_opened  Growth team chat “The Growth survey for 2027-Q1 is open: it closes in "
            f"7 days (Wed 25 Nov 2026 at 17:00).” — Growth's chat webhook at 127.0.0.1:{hooks.port} answered 500 "
            "Internal Server Error (tried 3 times)") in result.stdout
    assert len(hooks.posts) == 3 and len(smtp.inbox.messages) == 2  # three tries; the emails went out
    assert statuses() == {"sent": 2, "failed": 1}

    hooks.status["/growth"] = 200
    again = remind(smtp.url, test_ca[1])
    assert again.returncode == 0 and "Sent 1 (0 email, 1 chat)" in again.stdout and statuses() == {"sent": 3}


def test_malformed_urls_stop_with_a_clear_message(org, smtp, test_ca):
    growth_survey(org)
    result = remind("smtp://okr:pw@127.0.0.1:mail", test_ca[1])
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "okrdash remind: OKRDASH_SMTP_URL is malformed (the port is not a number): write it like "
        "smtp://user:password@mail.example.com:587 (or smtps://… for TLS on port 465).")
    assert statuses() == {}

    # A webhook URL stored before the rules, or edited in the database: refused at sending, never marked sent.
    db.execute("INSERT INTO team_webhooks (team_id, url, set_at) VALUES (?, 'https//hooks.example/x', now())",
               [org.growth])
    broken = remind(smtp.url, test_ca[1])
    assert broken.returncode == 1
    assert "Growth's chat webhook URL is not valid (The webhook URL must start with https://" in broken.stdout
    assert statuses() == {"sent": 2, "failed": 1}
