"""Demo identity mode ("acting as" anyone) runs only on the demo database or when asked for on purpose."""

from __future__ import annotations

import os

from okrdash.signin.records import is_demo_database

DEMO_IDENTITY_ENV = "OKRDASH_DEMO_IDENTITY"


def demo_identity_requested() -> bool:
    return os.environ.get(DEMO_IDENTITY_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def demo_identity_reason() -> str | None:
    """Why demo identity mode may run without sign-in configured, or None: then the setup page grants nothing."""
    if is_demo_database():
        return "demo database"
    if demo_identity_requested():
        return f"{DEMO_IDENTITY_ENV}=1"
    return None
