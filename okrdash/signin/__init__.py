"""Sign-in that can be trusted: which identity mode the app runs in, whether the OIDC settings are whole, whether
the provider answers, and the two records that decide demo identity mode (is this the demo database? has anyone
signed in for real?). No Streamlit here: okrdash/ui/identity.py draws the screens from these answers."""

from okrdash.signin.mode import (
    DEMO_IDENTITY_ENV,
    demo_identity_reason,
    demo_identity_requested,
)
from okrdash.signin.provider import SESSION_COOKIE, pending_sign_in, provider_problem
from okrdash.signin.records import is_demo_database, mark_demo, real_sign_ins, record_sign_in
from okrdash.signin.settings import REQUIRED_KEYS, auth_problem, email_unverified

__all__ = [
    "DEMO_IDENTITY_ENV",
    "REQUIRED_KEYS",
    "SESSION_COOKIE",
    "auth_problem",
    "demo_identity_reason",
    "demo_identity_requested",
    "email_unverified",
    "is_demo_database",
    "mark_demo",
    "pending_sign_in",
    "provider_problem",
    "real_sign_ins",
    "record_sign_in",
]
