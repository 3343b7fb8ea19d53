"""Is the [auth] section of .streamlit/secrets.toml whole? A half-filled section must never fall back to demo
identity mode, nor fail later with a bare error on the provider's side: it refuses with the keys to fill in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

REQUIRED_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")
PLACEHOLDERS = {"a long random string", "from your identity provider"}  # .streamlit/secrets.toml.example
MIN_COOKIE_SECRET = 16
FIX = "Fix `.streamlit/secrets.toml` (README, “Sign-in”) and restart okrdash. Until then nobody can sign in."


def auth_problem(section: Mapping[str, Any]) -> str | None:
    """Why this [auth] section cannot sign anyone in, as a message for the person at the screen; None when whole."""
    values = {key: str(section.get(key) or "").strip() for key in REQUIRED_KEYS}
    missing = [key for key, value in values.items() if not value]
    if missing:
        return f"The `[auth]` section is incomplete: it lacks {_listed(missing)}. {FIX}"
    for key in ("redirect_uri", "server_metadata_url"):
        url = urlparse(values[key])
        if url.scheme not in ("http", "https") or not url.netloc:
            return f"`{key}` in `[auth]` must be a full http(s) address; it is “{values[key]}”. {FIX}"
    if urlparse(values["redirect_uri"]).path.rstrip("/") != "/oauth2callback":
        return (f"`redirect_uri` in `[auth]` must end in `/oauth2callback` (Streamlit answers there); "
                f"it is “{values['redirect_uri']}”. {FIX}")
    placeholders = [key for key, value in values.items() if value in PLACEHOLDERS]
    if placeholders:
        return f"{_listed(placeholders)} in `[auth]` still hold the example's placeholder. {FIX}"
    if len(values["cookie_secret"]) < MIN_COOKIE_SECRET:
        return (f"`cookie_secret` in `[auth]` is too short to keep sign-in cookies from being forged: use at least "
                f"{MIN_COOKIE_SECRET} random characters (`python -c \"import secrets; "
                f"print(secrets.token_urlsafe(32))\"`). {FIX}")
    return None


def email_unverified(claims: Mapping[str, Any]) -> bool:
    """True when the provider says the email is not verified (`email_verified: false`). Providers that never send
    the claim (Microsoft Entra ID) vouch for their directory's addresses, so a missing claim is not a refusal."""
    value = claims.get("email_verified")
    return value is False or str(value).strip().lower() in ("false", "0", "no")


def _listed(keys: list[str]) -> str:
    quoted = [f"`{key}`" for key in keys]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
