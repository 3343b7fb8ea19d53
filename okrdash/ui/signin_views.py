"""The screens of sign-in: sign in, setup needed, settings broken, ask an admin, email not verified, and the
banners of demo identity mode. Each grants nothing; okrdash.ui.identity decides which one shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from okrdash import fmt, signin

SETUP_STEPS = """
1. Register okrdash with your identity provider (Google, Microsoft Entra ID, Okta or any OpenID Connect
   provider; the README's “Sign-in” section walks through each) with the redirect URI
   `https://YOUR-HOST/oauth2callback`.
2. Copy `.streamlit/secrets.toml.example` to `.streamlit/secrets.toml` and fill in its `[auth]` section:
   `redirect_uri`, `cookie_secret`, `client_id`, `client_secret` and `server_metadata_url`.
3. Set `OKRDASH_ADMINS=you@your-company.com` (comma-separated) so your first sign-in makes you an admin.
4. Restart okrdash and sign in.
"""

TRYING = (
    "**Only trying okrdash?** Open the demo organisation instead: `python -m okrdash.demo --db data/demo.duckdb`, "
    "then `OKRDASH_DB=data/demo.duckdb streamlit run app.py`. To let anyone act as anyone on this database "
    "(a test copy, never real data), start okrdash with `OKRDASH_DEMO_IDENTITY=1` on purpose."
)


def setup_page() -> None:
    """No sign-in configured and not the demo database: explain, grant nothing."""
    st.title("Set up sign-in")
    st.error(
        "okrdash has no sign-in configured, and this database is not the demo, so nobody can open it: without "
        "sign-in anyone could act as anyone.",
        icon=":material/lock:",
    )
    st.subheader("Turn on sign-in")
    st.markdown(SETUP_STEPS)
    st.info(TRYING, icon=":material/science:")


def broken_settings(problem: str) -> None:
    st.title("Sign-in is misconfigured")
    st.error(problem, icon=":material/lock:")
    st.markdown("What a whole `[auth]` section holds:\n" + SETUP_STEPS)


def sign_in_page(provider_problem: str | None, *, pending: bool) -> None:
    st.title("okrdash")
    st.write("Set OKRs together: sign in with your company account to continue.")
    if pending:
        st.warning(
            "Your last sign-in did not complete, so nobody is signed in: the answer that came back from the sign-in "
            "page was not the one okrdash asked for (an old or copied link, or the sign-in was cancelled). "
            "Press **Sign in** to try again.",
            icon=":material/warning:",
        )
    if provider_problem:
        st.error(
            f"{fmt.inline(provider_problem)} Sign-in works again as soon as it answers: try again in a few minutes. "
            "If this lasts, ask your admin to check `server_metadata_url` in `.streamlit/secrets.toml`.",
            icon=":material/cloud_off:",
        )
        st.button("Try again", type="primary")
        return
    st.button("Sign in", on_click=st.login, type="primary")


def unverified(email: str) -> None:
    st.title("Your email address is not verified")
    st.error(
        f"Your sign-in provider says **{fmt.inline(email or 'your address')}** is not verified, so okrdash cannot "
        "tell that it is yours and lets nobody in with it. Verify the address with your provider (or ask your IT "
        "admin), then sign in again.",
        icon=":material/gpp_bad:",
    )
    st.button("Sign out", on_click=st.logout)


def unknown_person(email: str, name: str, admins: Sequence[Mapping[str, Any]]) -> None:
    st.title(f"Welcome{', ' + fmt.inline(name) if name else ''}!")
    st.write(
        f"You are signed in as **{fmt.inline(email or 'an account without an email')}**, but okrdash doesn't know "
        "you yet. Please ask an admin to add you with this email address; then reload this page."
    )
    if admins:
        st.write("Admins: " + ", ".join(f"{fmt.inline(a['name'])} ({fmt.inline(a['email'])})" for a in admins))
    st.button("Sign out", on_click=st.logout)


def demo_banner(real_sign_ins: int, reason: str) -> None:
    """Demo identity mode says so on every page, and warns loudly when real people use this database."""
    if real_sign_ins:
        people = "1 person has" if real_sign_ins == 1 else f"{real_sign_ins} people have"
        why = f"`{reason}`" if reason.startswith(signin.DEMO_IDENTITY_ENV) else "demo identity mode"
        st.warning(
            f"**Demo identity mode on a database real people use**: {people} signed in here through your identity "
            f"provider, and {why} lets anyone act as any of them. Configure sign-in (and unset "
            f"`{signin.DEMO_IDENTITY_ENV}`), then restart okrdash, unless this is a test copy.",
            icon=":material/warning:",
        )
    st.info(
        "**Demo identity mode**: anyone can act as anyone (sidebar, “Acting as”). "
        "Configure OIDC sign-in in `.streamlit/secrets.toml` for real use.",
        icon=":material/theater_comedy:",
    )
