"""A real OpenID Connect provider for tests (oidc-provider-mock) on 127.0.0.1, in a thread of the test process:
any client id and secret are accepted; `put_user` sets the claims a subject signs in with."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import oidc_provider_mock
from werkzeug.serving import WSGIRequestHandler, make_server

COOKIE_SECRET = "okrdash-tests-cookie-secret-0123456789"


class Provider:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self.metadata_url = f"{self.url}/.well-known/openid-configuration"

    def put_user(self, sub: str, **claims: object) -> None:
        """Set the claims (email, name, email_verified…) that `sub` signs in with."""
        request = urllib.request.Request(  # noqa: S310 (the test provider on loopback)
            f"{self.url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
            assert response.status in (200, 204), response.status

    def auth_section(self, app_url: str) -> dict[str, str]:
        """The [auth] section of secrets.toml for an app served at `app_url` (same host as the browser uses)."""
        return {"redirect_uri": f"{app_url}/oauth2callback", "cookie_secret": COOKIE_SECRET,
                "client_id": "okrdash", "client_secret": "okrdash-test-secret",
                "server_metadata_url": self.metadata_url}


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # one line per request would bury the test output
        pass


@contextmanager
def running_provider() -> Iterator[Provider]:
    server = make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(server.server_port)
    finally:
        server.shutdown()
        thread.join(5)


def write_secrets(folder: Path, auth: dict[str, str] | None) -> Path:
    """A secrets.toml of the test's own (never the repository's .streamlit/secrets.toml)."""
    path = folder / "secrets.toml"
    lines = [] if auth is None else ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in auth.items())]
    path.write_text("\n".join(lines) + "\n")
    return path
