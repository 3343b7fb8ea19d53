"""Who is using the app: OIDC sign-in when configured, demo "acting as" only where it is allowed, else nobody.

The decision (okrdash.signin): an [auth] section in .streamlit/secrets.toml means sign-in, and a half-filled one
refuses everyone with the keys to fill in (never a fallback to demo identity mode). Without one, demo identity mode
runs only on the demo database or with OKRDASH_DEMO_IDENTITY=1; otherwise the setup page grants no access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from okrdash import auth, fmt, people, signin
from okrdash.ui import memo, signin_views

ACTOR_KEY = "_actor"
ACTING_AS_KEY = "acting_as"  # the sidebar picker's session-state key
ACTING_AS_PARAM = "as"  # ?as=ana@example.com opens the app acting as Ana (demo identity mode only)
RECORDED_KEY = "_sign_in_recorded"


def leave_legacy_pages_mode() -> None:
    """Streamlit 1.67 starts a process in legacy multipage mode because pages/ sits beside app.py: the first
    script run of the process then runs app.py as a page, or, for a URL like /survey, the page script alone (no
    router, no sign-in), after sending a menu of raw file names. .streamlit/config.toml hides that menu
    (client.showSidebarNavigation = false); st.navigation ends the mode, so when we find ourselves in it we end
    it, let our own menu show again and run again. app.py and every page (through ui.page) call this first."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.set_option("client.showSidebarNavigation", True)
        st.rerun()


def auth_section() -> Mapping[str, Any] | None:
    """The [auth] section of .streamlit/secrets.toml, or None when there is none (or no secrets file at all)."""
    try:
        return st.secrets.get("auth")
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return None
    except Exception as error:  # Streamlit raises its own error type when there is no secrets file at all
        if type(error).__name__.startswith("StreamlitSecret"):
            return None
        raise


def oidc_configured() -> bool:
    return auth_section() is not None


def identify(*, sidebar: bool = True) -> auth.Actor | None:
    """Resolve the acting person for this script run and remember it; None when the page must stop. `sidebar`
    False (the big screen): the same person, with no picker, sign-out or banner drawn."""
    section = auth_section()
    if section is not None:
        problem = signin.auth_problem(section)
        if problem:
            signin_views.broken_settings(problem)
        actor = None if problem else _oidc_actor(section, sidebar)
    else:
        reason = signin.demo_identity_reason()
        if reason is None:
            signin_views.setup_page()
        actor = _demo_actor(reason, sidebar) if reason else None
    st.session_state[ACTOR_KEY] = actor
    return actor


def current_actor() -> auth.Actor | None:
    """The actor `identify()` resolved for this run."""
    return st.session_state.get(ACTOR_KEY)


def _demo_actor(reason: str, sidebar: bool = True) -> auth.Actor | None:
    everyone = memo.call(people.all_people)
    if not everyone:
        st.warning(
            "There is nobody in the database yet. Start the app with demo data (unset `OKRDASH_DEMO`), "
            "or run `python -m okrdash.demo`."
        )
        return None
    summaries = memo.call(auth.role_summaries)
    labels = {p["email"]: f"{p['name']} — {summaries.get(p['id'], 'no team')}" for p in everyone}
    emails = list(labels)
    default = next((p["email"] for p in everyone if p["is_admin"]), emails[0])
    # ?as=<email> picks the person when a session starts (shareable links, browser tests); then the URL follows
    # the picker. Read again when Streamlit dropped the picker's state: a page switch keeps no widget state, and
    # ui.switch_page carries ?as= over for this.
    if "_as_arrived" not in st.session_state or ACTING_AS_KEY not in st.session_state:
        st.session_state["_as_arrived"] = True
        requested = str(st.query_params.get(ACTING_AS_PARAM, "")).strip().lower()
        if requested in labels:
            st.session_state[ACTING_AS_KEY] = requested
    if st.session_state.get(ACTING_AS_KEY) not in labels:
        st.session_state[ACTING_AS_KEY] = default
    if not sidebar:  # the big screen draws no picker; the choice is kept (re-set) for the pages after it
        chosen = st.session_state[ACTING_AS_KEY] = st.session_state[ACTING_AS_KEY]
        st.query_params[ACTING_AS_PARAM] = chosen
        return _actor(chosen)
    with st.sidebar:
        chosen = st.selectbox(
            "Acting as",
            emails,
            # The session's person as the default too: a run that lost the widget's state (a page switch under
            # load) would otherwise fall back to the first person in the list.
            index=emails.index(st.session_state[ACTING_AS_KEY]),
            format_func=labels.__getitem__,
            key=ACTING_AS_KEY,
            help="Demo identity mode: pick anyone to see okrdash through their eyes.",
        )
    st.query_params[ACTING_AS_PARAM] = chosen
    signin_views.demo_banner(signin.real_sign_ins(), reason)
    return _actor(chosen)


def _oidc_actor(section: Mapping[str, Any], sidebar: bool = True) -> auth.Actor | None:
    if not st.user.get("is_logged_in"):
        signin_views.sign_in_page(
            signin.provider_problem(str(section["server_metadata_url"])),
            pending=signin.pending_sign_in(_cookie(signin.SESSION_COOKIE)),
        )
        return None
    email = str(st.user.get("email") or "")
    name = str(st.user.get("name") or "")
    if signin.email_unverified(st.user.to_dict()):
        signin_views.unverified(email)
        return None
    actor = _actor(email) if email else None
    if actor is None and email:
        admin_id = people.ensure_configured_admin(email, name)
        actor = auth.load(admin_id) if admin_id else None
    if actor is None:
        signin_views.unknown_person(email, name, [p for p in people.all_people() if p["is_admin"]])
        return None
    if not st.session_state.get(RECORDED_KEY):
        signin.record_sign_in(actor.person_id, actor.email, dt.datetime.now())
        st.session_state[RECORDED_KEY] = True
    if not sidebar:
        return actor
    with st.sidebar:
        st.caption(f"Signed in as **{fmt.inline(actor.name)}** ({fmt.inline(actor.email)})")
        st.button("Sign out", on_click=st.logout)
    return actor


def _cookie(name: str) -> str | None:
    try:
        return st.context.cookies.get(name)
    except (AttributeError, RuntimeError):  # no browser request behind this run (AppTest)
        return None


def _actor(email: str) -> auth.Actor | None:
    """Who signed in (or is acted as), read on every run of every page: kept until people, memberships, manager
    scopes or teams change (okrdash/ui/memo.py), so a revoked role holds from the next run after the write."""
    return memo.call(auth.load_by_email, email)
