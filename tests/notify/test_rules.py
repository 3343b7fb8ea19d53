"""The rules around sending: settings and where they come from, signed unsubscribe links, webhook URLs, SMTP
settings and TLS, the workshop's preparation window, and bad input with clear messages."""

from __future__ import annotations

import datetime as dt
import logging
import re
import stat
from pathlib import Path

import pytest

from okrdash import db, settings, surveys
from okrdash.errors import PermissionDenied, ValidationError
from okrdash.meetings import check, schedule
from okrdash.notify import prefs, preview, remind, tokens, webhooks
from tests.backends import duckdb_only
from tests.notify.conftest import SMTP_PASSWORD, SMTP_USER, Smtp, notify_env
from tests.notify.scenario import DEADLINE, NOW, WORKSHOP, growth_survey

UTC_NOW = dt.datetime(2026, 11, 18, 9, 0, tzinfo=dt.UTC)


def test_settings_come_from_the_environment_first_then_secrets_toml(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('OKRDASH_BASE_URL = "https://from-file.example"\nOKRDASH_TIMEZONE = "Asia/Tokyo"\n'
                       '[auth]\nclient_id = "x"\n')
    monkeypatch.setattr(settings, "secrets_files", lambda: [secrets])
    monkeypatch.setenv("OKRDASH_TIMEZONE", "America/New_York")
    monkeypatch.setenv("OKRDASH_BASE_URL", "")  # empty counts as unset
    assert settings.base_url() == "https://from-file.example"
    assert settings.timezone_name() == "America/New_York"
    monkeypatch.setenv("OKRDASH_TIMEZONE", "Mars/Olympus")
    with pytest.raises(settings.ConfigError, match="“Mars/Olympus” is not a time zone"):
        settings.timezone()
    monkeypatch.setenv("OKRDASH_BASE_URL", "okr.example.com")
    with pytest.raises(settings.ConfigError, match="is not the address of the app"):
        settings.base_url()


@pytest.fixture
def okrdash_logger():
    logger = logging.getLogger("okrdash")
    handlers, level = list(logger.handlers), logger.level
    settings.configure_logging.cache_clear()
    yield logger
    settings.configure_logging.cache_clear()
    logger.handlers[:], logger.level = handlers, level


def test_the_log_level_setting_logs_okrdash_once_and_a_typo_stops_nothing(okrdash_logger, monkeypatch, caplog):
    monkeypatch.setattr(settings, "secrets_files", lambda: [])
    monkeypatch.delenv("OKRDASH_LOG_LEVEL", raising=False)
    settings.configure_logging()
    assert not any(getattr(h, "okrdash", False) for h in okrdash_logger.handlers)  # unset: nothing configured
    monkeypatch.setenv("OKRDASH_LOG_LEVEL", "debug")
    settings.configure_logging.cache_clear()
    for _ in range(3):  # every script run calls it
        settings.configure_logging()
    settings.configure_logging.cache_clear()  # configured again in the same process: still one handler
    settings.configure_logging()
    assert okrdash_logger.level == logging.DEBUG
    assert sum(getattr(h, "okrdash", False) for h in okrdash_logger.handlers) == 1

    okrdash_logger.handlers[:] = [h for h in okrdash_logger.handlers if not getattr(h, "okrdash", False)]
    monkeypatch.setenv("OKRDASH_LOG_LEVEL", "verbose")
    settings.configure_logging.cache_clear()
    with caplog.at_level(logging.WARNING, logger="okrdash"):
        settings.configure_logging()
        assert okrdash_logger.level == logging.WARNING
    assert "OKRDASH_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, not “VERBOSE”" in caplog.text


@duckdb_only
def test_without_a_configured_secret_a_private_key_file_is_made_once(monkeypatch, isolated_database):
    monkeypatch.delenv("OKRDASH_SECRET_KEY", raising=False)
    key = settings.secret_key()
    path = isolated_database.with_suffix(".secret")
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.secret_key() == key and len(key) >= 32
    monkeypatch.setenv("OKRDASH_SECRET_KEY", "short")
    with pytest.raises(settings.ConfigError, match="too short"):
        settings.secret_key()


def test_an_unsubscribe_link_is_signed_and_expires(org, monkeypatch):
    monkeypatch.setenv("OKRDASH_SECRET_KEY", "one-secret-long-enough-1234")
    token = tokens.make(org.member.person_id, "survey_closing", UTC_NOW)
    found = tokens.read(token, UTC_NOW + dt.timedelta(days=59))
    assert (found.person_id, found.kind) == (org.member.person_id, "survey_closing")

    with pytest.raises(ValidationError, match="expired on Sun 17 Jan 2027: links in okrdash emails work for 60 days"):
        tokens.read(token, UTC_NOW + dt.timedelta(days=61))
    parts = token.split(".")
    for forged in (".".join([parts[0], str(org.member2.person_id), *parts[2:]]),  # someone else's id
                   ".".join([*parts[:2], "all", *parts[3:]]),  # a wider scope
                   token[:-4], "v1.1.all.9999999999.abc", ""):
        with pytest.raises(ValidationError, match="This unsubscribe link is not valid"):
            tokens.read(forged, UTC_NOW)
    monkeypatch.setenv("OKRDASH_SECRET_KEY", "another-secret-long-enough-99")
    with pytest.raises(ValidationError, match="not valid"):
        tokens.read(token, UTC_NOW)


def test_the_link_unsubscribes_in_one_click_and_changes_the_rest(org, monkeypatch):
    monkeypatch.setenv("OKRDASH_SECRET_KEY", "one-secret-long-enough-1234")
    token = tokens.make(org.member.person_id, "checkin_due", UTC_NOW)
    assert prefs.choices_of(org.member.person_id)["checkin_due"] == {"email": True}
    found = prefs.unsubscribe(token, UTC_NOW)
    assert found["person"]["email"] == "mia@example.com" and found["choices"]["checkin_due"] == {"email": False}
    prefs.save_by_link(token, {"voting_open": {"email": False, "chat": True}}, UTC_NOW)
    assert prefs.choices_of(org.member.person_id)["voting_open"] == {"email": False, "chat": True}
    assert prefs.choices_of(org.member2.person_id)["voting_open"] == {"email": True, "chat": True}
    everything = tokens.make(org.member2.person_id, tokens.ALL, UTC_NOW)
    prefs.unsubscribe(everything, UTC_NOW)
    assert all(not c["email"] for c in prefs.choices_of(org.member2.person_id).values())
    with pytest.raises(ValidationError, match="cannot be sent by chat"):
        prefs.save(org.member, {"checkin_due": {"chat": True}})


@pytest.mark.parametrize(("url", "message"), [
    ("http://hooks.slack.com/services/T/B/x", "must start with https:// (it starts with “http”)"),
    ("hooks.slack.com/services/T/B/x", "must start with https://"),
    ("https://", "has no host name"),
    ("https://hooks.slack.com/services/T B", "too long or contains spaces"),
    ("https://user:pw@hooks.example.com/x", "must not contain a user name or password"),
    ("https://hooks.example.com:port/x", "is not a valid URL"),
    ("", "Paste the webhook URL"),
])
def test_a_wrong_webhook_url_is_refused_with_a_clear_message(org, url, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        webhooks.set_url(org.lead, org.growth, url)
    assert webhooks.url_of(org.growth) is None


def test_only_admins_and_the_lead_set_a_team_webhook(org):
    with pytest.raises(PermissionDenied, match="Only admins and the lead of Growth may set its chat webhook"):
        webhooks.set_url(org.member, org.growth, "https://hooks.slack.com/services/T/B/secret1234")
    assert webhooks.set_url(org.admin, org.growth, "https://hooks.slack.com/services/T/B/secret1234") == \
        "https://hooks.slack.com/…1234"
    webhooks.set_url(org.lead, org.growth, "https://chat.example.com/hooks/abc")
    assert webhooks.url_of(org.growth) == "https://chat.example.com/hooks/abc"
    webhooks.remove(org.lead, org.growth)
    assert webhooks.url_of(org.growth) is None


@pytest.mark.parametrize(("smtp_url", "sender", "message"), [
    ("smtp//mail.example.com", "a@b.co", "OKRDASH_SMTP_URL is malformed: write it like"),
    ("https://mail.example.com", "a@b.co", "OKRDASH_SMTP_URL is malformed"),
    ("smtp://mail.example.com:25x", "a@b.co", "the port is not a number"),
    ("smtp://mail.example.com", None, "OKRDASH_MAIL_FROM is not set"),
    ("smtp://mail.example.com", "okrdash at example", "OKRDASH_MAIL_FROM “okrdash at example” is not an email"),
])
def test_smtp_settings_are_checked_before_anything_is_claimed(org, monkeypatch, smtp_url, sender, message):
    growth_survey(org)
    monkeypatch.setenv("OKRDASH_SMTP_URL", smtp_url)
    if sender:
        monkeypatch.setenv("OKRDASH_MAIL_FROM", sender)
    else:
        monkeypatch.delenv("OKRDASH_MAIL_FROM", raising=False)
    with pytest.raises(settings.ConfigError, match=message):
        remind.run(now=NOW)
    assert not db.scalar("SELECT count(*) FROM notify_log")


def _use(monkeypatch, server: Smtp, ca_file, url: str | None = None) -> None:
    for name, value in notify_env(url or server.url, ca_file).items():
        monkeypatch.setenv(name, value)


def test_tls_from_the_first_byte_with_smtps(org, test_ca, monkeypatch):
    server = Smtp(test_ca[0], mode="tls")
    try:
        _use(monkeypatch, server, test_ca[1])
        growth_survey(org)
        assert remind.run(now=NOW).count("sent") == 2
        assert all(m["authenticated"] for m in server.inbox.messages)  # over TLS: the port speaks nothing else
    finally:
        server.stop()


def test_a_remote_server_without_starttls_is_refused_a_local_relay_is_not(org, test_ca, monkeypatch):
    growth_survey(org)
    remote = Smtp(test_ca[0], host="127.0.0.2", mode="plain")  # not one of the loopback names okrdash trusts
    try:
        _use(monkeypatch, remote, test_ca[1], f"smtp://{remote.host}:{remote.port}")
        report = remind.run(now=NOW)
        assert report.count("failed") == 1 and report.count("not attempted") == 1
        assert "does not offer STARTTLS, so okrdash will not send over it unencrypted" in report.lines[0].detail
        assert not remote.inbox.messages
    finally:
        remote.stop()
    relay = Smtp(test_ca[0], host="127.0.0.1", mode="plain")
    try:
        _use(monkeypatch, relay, test_ca[1], f"smtp://{relay.host}:{relay.port}")
        assert remind.run(now=NOW).count("sent") == 2
    finally:
        relay.stop()


def test_a_wrong_password_is_reported_once_and_stops_email(org, smtp, test_ca, monkeypatch):
    growth_survey(org)
    _use(monkeypatch, smtp, test_ca[1], f"smtp://{SMTP_USER}:wrong@127.0.0.1:{smtp.port}")
    report = remind.run(now=NOW)
    assert "refused the user name or password (535" in report.lines[0].detail and "(tried 1 time)" in \
        report.lines[0].detail
    assert [line.status for line in report.lines] == ["failed", "not attempted"]
    assert SMTP_PASSWORD not in str(report.lines)


def test_an_invalid_email_address_is_refused_with_a_clear_message(org, configured):
    with pytest.raises(ValidationError, match="“mia@example” is not an email address"):
        preview.send_test(org.admin, "mia@example")
    assert preview.send_test(org.admin, "Ada@Example.com") == \
        f"Sent a test email to ada@example.com through 127.0.0.1:{configured.port}."
    growth_survey(org)
    db.execute("UPDATE people SET email = 'max at example' WHERE id = ?", [org.member2.person_id])
    report = remind.run(now=NOW)
    failed = next(line for line in report.lines if line.status == "failed")
    assert failed.detail == ("“max at example” is not a valid email address; an admin can correct it on Admin → "
                             "People (tried 1 time)")


def test_the_workshop_must_lie_in_the_preparation_window(org):
    def when(day: dt.date, hour: int = 10) -> dict:
        return {**WORKSHOP, "day": day, "start": dt.time(hour)}

    for workshop, message in [
        (when(dt.date(2026, 11, 25), 9), "must take place between the survey's deadline (Wed 25 Nov 2026 at "
                                         "17:00) and Thu 14 Jan 2027, the end of 2027-Q1's second week"),
        (when(dt.date(2027, 1, 15)), "must take place between"),
        (when(dt.date(2026, 11, 17)), "would already have started"),
        ({**WORKSHOP, "minutes": 5}, "length in minutes must be a whole number from 15 to 720"),
        ({**WORKSHOP, "day": None}, "Pick the workshop's date"),
    ]:
        with pytest.raises(ValidationError, match=re.escape(message)):
            growth_survey(org, workshop=workshop)
        assert not db.scalar("SELECT count(*) FROM surveys")  # nothing half-opened
    assert check(when(dt.date(2027, 1, 14), 16), deadline=DEADLINE, quarter="2027-Q1", now=NOW)["minutes"] == 180

    survey_id = growth_survey(org)
    with pytest.raises(ValidationError, match="Move the workshop later first"):
        surveys.extend(org.lead, survey_id, dt.datetime(2026, 11, 27, 17, 0), now=NOW)
    with pytest.raises(PermissionDenied, match="Only the lead of Growth may schedule its workshop"):
        schedule(org.member, survey_id, when(dt.date(2026, 11, 30)), now=NOW)
    schedule(org.lead, survey_id, when(dt.date(2026, 11, 30)), now=NOW)
    assert db.row("SELECT starts_at, revision FROM workshop_meetings") == {
        "starts_at": dt.datetime(2026, 11, 30, 10, 0), "revision": 1}
    assert surveys.extend(org.lead, survey_id, dt.datetime(2026, 11, 27, 17, 0), now=NOW) is False


def test_settings_are_read_by_one_reader():
    """Nothing in okrdash/notify reads the environment behind okrdash.settings' back."""
    offenders = [p.name for p in (Path(settings.__file__).parent / "notify").glob("*.py")
                 if "os.environ" in p.read_text() or "os.getenv" in p.read_text()]
    assert not offenders


def test_the_app_can_run_remind_itself_when_the_database_is_its_alone(org, configured, monkeypatch, caplog):
    from okrdash.notify import scheduler

    assert scheduler.start("/nowhere/a.duckdb") is False  # off unless OKRDASH_REMIND_EVERY is set
    monkeypatch.setenv("OKRDASH_REMIND_EVERY", "often")
    assert scheduler.start("/nowhere/b.duckdb") is False
    assert "OKRDASH_REMIND_EVERY must be a number" in caplog.text
    growth_survey(org)
    caplog.set_level("INFO", logger="okrdash.remind")
    assert scheduler.run_once() is True
    assert len(configured.inbox.messages) == 2 and "Sent 2 (2 email, 0 chat)" in caplog.text
    monkeypatch.setenv("OKRDASH_SMTP_URL", "smtp://broken:port")
    assert scheduler.run_once() is False and "OKRDASH_SMTP_URL is malformed" in caplog.text
