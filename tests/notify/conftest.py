"""Real servers for the notification tests: an SMTP server (aiosmtpd on 127.0.0.1, STARTTLS with a certificate from
a test CA made by trustme, AUTH required) and an HTTPS webhook receiver (http.server behind TLS with the same CA).
okrdash trusts the CA through OKRDASH_CA_FILE, as an operator with a private CA would."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from okrdash import settings

SMTP_USER, SMTP_PASSWORD = "okr", "s3cret pass"
SECRET = "test-secret-key-for-unsubscribe-links"


@pytest.fixture(autouse=True)
def no_secrets_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own .streamlit/secrets.toml never leaks into these tests."""
    monkeypatch.setattr(settings, "secrets_files", list)


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    ca = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return ca, path


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "127.0.0.2", "localhost").configure_cert(context)
    return context


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the SMTP server received; `delay` holds each answer to DATA back (after storing the message), `refuse`
    answers RCPT with an SMTP refusal instead."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.delay = 0.0
        self.refuse: str | None = None
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": message,
                                  "tls": session.ssl is not None, "authenticated": session.authenticated})
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"

    def received(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every message, in arrival order."""
        with self.lock:
            return [(m["to"][0], str(m["message"]["Subject"]).strip()) for m in self.messages]


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == SMTP_USER.encode() and auth_data.password == SMTP_PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


class Smtp:
    """mode: 'starttls' (smtp://, STARTTLS required), 'tls' (smtps://, TLS from the first byte) or 'plain'."""

    def __init__(self, ca: trustme.CA, host: str = "127.0.0.1", mode: str = "starttls"):
        self.inbox, self.host, self.port, self.mode = Inbox(), host, free_port(), mode
        # aiosmtpd only knows about TLS it negotiated itself (STARTTLS): on an smtps port AUTH must not ask for it.
        options: dict[str, Any] = {"authenticator": _authenticator, "auth_require_tls": mode == "starttls"}
        if mode == "starttls":
            options.update(tls_context=server_context(ca), require_starttls=True)
        if mode == "tls":
            options.update(ssl_context=server_context(ca))
        self.controller = Controller(self.inbox, hostname=host, port=self.port, server_hostname=host, **options)
        self.controller.start()

    @property
    def url(self) -> str:
        scheme = "smtps" if self.mode == "tls" else "smtp"
        return f"{scheme}://{SMTP_USER}:{SMTP_PASSWORD.replace(' ', '%20')}@{self.host}:{self.port}"

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp(test_ca) -> Iterator[Smtp]:
    server = Smtp(test_ca[0])
    yield server
    server.stop()


class Hooks:
    """An HTTPS webhook receiver: `posts` in arrival order; `status[path]` answers a path with another status."""

    def __init__(self, ca: trustme.CA):
        self.posts: list[dict[str, Any]] = []
        self.status: dict[str, int] = {}
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hooks.posts.append({"path": self.path, "json": json.loads(body),
                                    "type": self.headers["Content-Type"]})
                code = hooks.status.get(self.path, 200)
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"ok" if code == 200 else b"error")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = server_context(ca).wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.port}/{path}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hooks(test_ca) -> Iterator[Hooks]:
    server = Hooks(test_ca[0])
    yield server
    server.stop()


def notify_env(smtp_url: str | None, ca_file: Path) -> dict[str, str]:
    env = {"OKRDASH_MAIL_FROM": "okrdash <okrdash@harbor.example>", "OKRDASH_BASE_URL": "https://okr.harbor.example",
           "OKRDASH_TIMEZONE": "Europe/Berlin", "OKRDASH_SECRET_KEY": SECRET, "OKRDASH_NOTIFY_BACKOFF": "0.01",
           "OKRDASH_NOTIFY_TIMEOUT": "3", "OKRDASH_NOTIFY_TRIES": "3", "OKRDASH_CA_FILE": str(ca_file)}
    if smtp_url:
        env["OKRDASH_SMTP_URL"] = smtp_url
    return env


@pytest.fixture
def configured(smtp, test_ca, monkeypatch: pytest.MonkeyPatch) -> Smtp:
    """This process sends through the test SMTP server (settings from the environment)."""
    for name, value in notify_env(smtp.url, test_ca[1]).items():
        monkeypatch.setenv(name, value)
    return smtp


def subprocess_env(smtp_url: str | None, ca_file: Path) -> dict[str, str]:
    return {**os.environ, **notify_env(smtp_url, ca_file)}


ROOT_ENV = str(Path(__file__).resolve().parents[2])  # where `python -m okrdash` runs
