"""How a channel reports the fate of one message, and the TLS context both channels use.

`Failed`: the message was certainly not accepted (no connection, a refusal, an error reply); `transient` failures
(no connection, a timeout before the hand-off, a 4xx or 5xx reply meant to be retried) are tried again with
backoff, permanent ones (a refused address, a wrong password, a malformed URL) are not.
`Uncertain`: the message was handed over but no answer came (the connection broke or timed out while the server
was receiving it): it may have been delivered, so it is never sent again (see okrdash.notify.sentlog).
"""

from __future__ import annotations

import ssl

from okrdash import settings


class Failed(Exception):
    def __init__(self, message: str, *, transient: bool, channel_down: bool = False):
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.channel_down = channel_down  # the server itself is unreachable: the run stops using this channel


class Uncertain(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def tls_context() -> ssl.SSLContext:
    """The system's trusted CAs, plus OKRDASH_CA_FILE (a PEM bundle) for a private CA."""
    ca_file = settings.get("OKRDASH_CA_FILE")
    context = ssl.create_default_context()
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as error:
            raise settings.ConfigError(f"OKRDASH_CA_FILE “{ca_file}” could not be read as PEM certificates "
                                       f"({error}).") from error
    return context


def timeout() -> float:
    return settings.number("OKRDASH_NOTIFY_TIMEOUT", 20.0, 0.1, 600.0)


def tries() -> int:
    return int(settings.number("OKRDASH_NOTIFY_TRIES", 3, 1, 10))


def backoff() -> float:
    return settings.number("OKRDASH_NOTIFY_BACKOFF", 2.0, 0.0, 300.0)
