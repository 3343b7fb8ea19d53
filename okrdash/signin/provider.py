"""The identity provider as seen from okrdash: does it answer, and did the browser's last sign-in finish?"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request

SESSION_COOKIE = "_streamlit_session"  # Streamlit's (Starlette) session cookie, where Authlib keeps its state


def provider_problem(server_metadata_url: str, timeout: float = 3.0) -> str | None:
    """None when the provider's OpenID configuration answers, else a message for the sign-in page (the Sign in
    button would only lead to Streamlit's bare "Authentication error")."""
    try:
        with urllib.request.urlopen(server_metadata_url, timeout=timeout) as response:  # noqa: S310 (from secrets)
            metadata = json.loads(response.read(1_000_000))
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        reason = getattr(error, "reason", None) or error
        return f"okrdash cannot reach your sign-in provider ({_host(server_metadata_url)}: {reason})."
    except ValueError:
        return f"Your sign-in provider ({_host(server_metadata_url)}) answered with something that is not JSON."
    if not isinstance(metadata, dict) or "authorization_endpoint" not in metadata:
        return f"Your sign-in provider ({_host(server_metadata_url)}) sent no OpenID configuration."
    return None


def pending_sign_in(session_cookie: str | None, now: float | None = None) -> bool:
    """True when this browser started a sign-in that never came back: Authlib keeps each started sign-in's state
    in the session cookie until its callback succeeds, so one still there means the callback failed (a forged or
    replayed state, a denied consent, a tab closed at the provider). Read only to explain; it decides no access."""
    if not session_cookie:
        return False
    try:
        payload = session_cookie.split(".", 1)[0]
        session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, TypeError):
        return False
    now = time.time() if now is None else now
    return any(
        key.startswith("_state_") and isinstance(value, dict) and float(value.get("exp") or 0) > now
        for key, value in (session.items() if isinstance(session, dict) else ())
    )


def _host(url: str) -> str:
    return url.split("/")[2] if url.count("/") >= 2 else url
