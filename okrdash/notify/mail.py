"""Email over SMTP: OKRDASH_SMTP_URL (smtp://user:pass@host:port with STARTTLS, smtps:// for TLS from the first
byte) and OKRDASH_MAIL_FROM. Each message has a plain-text and an HTML part, calendar attachments when it has
some, and a List-Unsubscribe header with the signed one-click link.

smtp:// requires STARTTLS: a server that does not offer it is refused, so credentials and messages never cross
the network in clear text. The one exception is a relay on the same machine (localhost, 127.0.0.1, ::1), where
nothing leaves the host; it gets STARTTLS too when it offers it. Percent-encode special characters in the user
name and password (p%40ss for p@ss).

List-Unsubscribe carries the https link only, without List-Unsubscribe-Post (RFC 8058): Streamlit serves pages,
not POST endpoints, so a mail client's one-click POST could not be answered. Opening the link unsubscribes at once.
"""

from __future__ import annotations

import hashlib
import smtplib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import unquote, urlsplit

from okrdash import settings, validate
from okrdash.notify.delivery import Failed, Uncertain, timeout, tls_context
from okrdash.notify.render import Content, footer_blocks, html_body, one_line, text

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


@dataclass(frozen=True)
class Config:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    sender: str  # the From header
    sender_address: str  # its address alone (the envelope sender)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def config() -> Config | None:
    """The SMTP settings, or None when OKRDASH_SMTP_URL is not set (email is off); ConfigError when malformed."""
    url = settings.get("OKRDASH_SMTP_URL")
    if url is None:
        return None
    shape = "write it like smtp://user:password@mail.example.com:587 (or smtps://… for TLS on port 465)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise settings.ConfigError(f"OKRDASH_SMTP_URL is malformed (the port is not a number): {shape}.") from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise settings.ConfigError(f"OKRDASH_SMTP_URL is malformed: {shape}.")
    sender = settings.get("OKRDASH_MAIL_FROM")
    if sender is None:
        raise settings.ConfigError("OKRDASH_MAIL_FROM is not set: say who okrdash's emails come from, e.g. "
                                   "“okrdash <okrdash@example.com>”.")
    name, address = parseaddr(sender)
    if not validate.EMAIL_RE.fullmatch(address or "") or "\n" in sender:
        raise settings.ConfigError(f"OKRDASH_MAIL_FROM “{sender}” is not an email address; write it like "
                                   "okrdash@example.com or “okrdash <okrdash@example.com>”.")
    return Config(parts.scheme, parts.hostname, port or (465 if parts.scheme == "smtps" else 587),
                  unquote(parts.username or ""), unquote(parts.password or ""),
                  str(Address(display_name=name, addr_spec=address)) if name else address, address)


def message_id(key: str, domain: str) -> str:
    """The same logical message always gets the same Message-ID, so a mail client folds a duplicate into one."""
    return f"<okrdash.{hashlib.sha256(key.encode()).hexdigest()[:24]}@{domain}>"


def build(content: Content, *, cfg: Config, to_name: str, to_address: str, kind_label: str, key: str,
          preferences_url: str, unsubscribe_url: str, date: Any) -> EmailMessage:
    """The email: text and HTML parts (same blocks), calendar files attached, List-Unsubscribe set."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = one_line(content.subject)
    message["From"] = cfg.sender
    valid = validate.EMAIL_RE.fullmatch(to_address or "") and "\n" not in to_address
    # An invalid address (imported data) still gets a message; Mailer.send refuses it with a clear reason.
    message["To"] = str(Address(display_name=one_line(to_name), addr_spec=to_address)) if valid else "undisclosed"
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id(key, cfg.sender_address.split("@", 1)[1])
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to this
    plain_footer, html_footer = footer_blocks(content.why, preferences_url, unsubscribe_url, kind_label)
    message.set_content(text(content.blocks) + "\n" + plain_footer)
    message.add_alternative(html_body(content.subject, content.blocks, html_footer), subtype="html")
    for file_name, data in content.attachments:
        message.add_attachment(data, maintype="text", subtype="calendar", filename=file_name,
                               params={"method": "PUBLISH"})
    return message


def _reply(response: bytes | str) -> str:
    return one_line(response.decode(errors="replace") if isinstance(response, bytes) else response)


class Mailer:
    """One SMTP connection for a run, opened on first use and again after a failure."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg, wait = self.cfg, timeout()
        try:
            if cfg.scheme == "smtps":
                conn = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=wait, context=tls_context())
            else:
                conn = smtplib.SMTP(cfg.host, cfg.port, timeout=wait)
                conn.ehlo()
                if conn.has_extn("starttls"):
                    conn.starttls(context=tls_context())
                    conn.ehlo()
                elif cfg.host not in LOOPBACK:
                    conn.close()
                    raise Failed(f"the mail server {cfg.where} does not offer STARTTLS, so okrdash will not send "
                                 "over it unencrypted; use a server with STARTTLS or smtps://", transient=False,
                                 channel_down=True)
            if cfg.user:
                conn.login(cfg.user, cfg.password)
        except smtplib.SMTPNotSupportedError as error:
            raise Failed(f"the mail server {cfg.where} does not accept a user name and password (it offers no AUTH); "
                         "remove them from OKRDASH_SMTP_URL", transient=False, channel_down=True) from error
        except smtplib.SMTPAuthenticationError as error:
            raise Failed(f"the mail server {cfg.where} refused the user name or password "
                         f"({error.smtp_code} {_reply(error.smtp_error)}); check OKRDASH_SMTP_URL", transient=False,
                         channel_down=True) from error
        except (TimeoutError, smtplib.SMTPServerDisconnected) as error:
            # smtplib reports a server that never answers as "Connection unexpectedly closed: timed out"
            if not (isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError)):
                raise Failed(f"the mail server {cfg.where} closed the connection ({error})", transient=True,
                             channel_down=True) from error
            raise Failed(f"the mail server {cfg.where} did not answer within {wait:g} s", transient=True,
                         channel_down=True) from error
        except smtplib.SMTPResponseException as error:
            raise Failed(f"the mail server {cfg.where} refused the connection ({error.smtp_code} "
                         f"{_reply(error.smtp_error)})", transient=True, channel_down=True) from error
        except (OSError, smtplib.SMTPException) as error:
            reason = (error.strerror if isinstance(error, OSError) and error.strerror
                      else str(error) or type(error).__name__)
            raise Failed(f"could not connect to the mail server {cfg.where} ({reason})", transient=True,
                         channel_down=True) from error
        return conn

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def send(self, message: EmailMessage, to_address: str, on_handoff: Any) -> None:
        """Send one message; `on_handoff()` runs right before the server receives its content."""
        if not validate.EMAIL_RE.fullmatch(to_address or ""):
            raise Failed(f"“{to_address}” is not a valid email address; an admin can correct it on Admin → People",
                         transient=False)
        if self.conn is None:
            self.conn = self._connect()
        conn = self.conn
        try:
            code, reply = conn.mail(self.cfg.sender_address)
            if code != 250:
                conn.rset()
                raise Failed(f"the mail server refused the sender {self.cfg.sender_address} ({code} {_reply(reply)})",
                             transient=400 <= code < 500)
            code, reply = conn.rcpt(to_address)
            if code not in (250, 251):
                conn.rset()
                raise Failed(f"the mail server refused the recipient {to_address} ({code} {_reply(reply)})",
                             transient=400 <= code < 500)
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self._drop()
            raise Failed(f"the connection to the mail server {self.cfg.where} broke before the message was sent "
                         f"({error or type(error).__name__})", transient=True) from error
        on_handoff()
        try:
            code, reply = conn.data(message.as_bytes())
        except smtplib.SMTPDataError as error:  # DATA itself refused: nothing was received
            raise Failed(f"the mail server refused the message ({error.smtp_code} {_reply(error.smtp_error)})",
                         transient=400 <= error.smtp_code < 500) from error
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self._drop()
            how = f"no answer within {timeout():g} s" if isinstance(error, TimeoutError) else "the connection broke"
            raise Uncertain(f"the mail server {self.cfg.where} received the message but did not confirm it ({how}); "
                            "it may have been delivered, so it is not sent again") from error
        if code != 250:
            raise Failed(f"the mail server refused the message ({code} {_reply(reply)})", transient=400 <= code < 500)
