"""Who is using the app: OIDC sign-in when configured, else the demo "acting as" picker."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from okrdash import auth, people

ACTOR_KEY = "_actor"
ACTING_AS_KEY = "acting_as"  # the sidebar picker's session-state key
ACTING_AS_PARAM = "as"  # ?as=ana@example.com opens the app acting as Ana (demo identity mode only)


def leave_legacy_pages_mode() -> None:
    """Streamlit 1.67 starts a process in legacy multipage mode because pages/ sits beside app.py: the first
    script run of the process then runs app.py as a page, or, for a URL like /survey, the page script alone (no
    router, no sign-in). Widgets made in that run also get ids later runs don't recognise. st.navigation ends the
    mode, so when we find ourselves in it we end it and run again; app.py and every page (through ui.page) call
    this first."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (st.login can then reach a provider)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return False
    except Exception as error:  # Streamlit raises its own error type when there is no secrets file at all
        if type(error).__name__.startswith("StreamlitSecret"):
            return False
        raise


def identify(*, sidebar: bool = True) -> auth.Actor | None:
    """Resolve the acting person for this script run and remember it; None when the page must stop. `sidebar`
    False (the big screen): the same person, with no picker, sign-out or banner drawn."""
    actor = _oidc_actor(sidebar) if oidc_configured() else _demo_actor(sidebar)
    st.session_state[ACTOR_KEY] = actor
    return actor


def current_actor() -> auth.Actor | None:
    """The actor `identify()` resolved for this run."""
    return st.session_state.get(ACTOR_KEY)


def _demo_actor(sidebar: bool = True) -> auth.Actor | None:
    everyone = people.all_people()
    if not everyone:
        st.warning(
            "There is nobody in the database yet. Start the app with demo data (unset `OKRDASH_DEMO`), "
            "or run `python -m okrdash.demo`."
        )
        return None
    summaries = auth.role_summaries()
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
        return auth.load_by_email(chosen)
    with st.sidebar:
        chosen = st.selectbox(
            "Acting as",
            emails,
            format_func=labels.__getitem__,
            key=ACTING_AS_KEY,
            help="Demo identity mode: pick anyone to see okrdash through their eyes.",
        )
    st.query_params[ACTING_AS_PARAM] = chosen
    st.info(
        "**Demo identity mode**: anyone can act as anyone (sidebar, “Acting as”). "
        "Configure OIDC sign-in in `.streamlit/secrets.toml` for real use.",
        icon=":material/theater_comedy:",
    )
    return auth.load_by_email(chosen)


def _oidc_actor(sidebar: bool = True) -> auth.Actor | None:
    if not st.user.get("is_logged_in"):
        st.title("okrdash")
        st.write("Set OKRs together: sign in with your company account to continue.")
        st.button("Sign in", on_click=st.login, type="primary")
        return None
    email = str(st.user.get("email") or "")
    name = str(st.user.get("name") or "")
    actor = auth.load_by_email(email) if email else None
    if actor is None and email:
        admin_id = people.ensure_configured_admin(email, name)
        actor = auth.load(admin_id) if admin_id else None
    if actor is None:
        _unknown_person(email, name)
        return None
    if not sidebar:
        return actor
    with st.sidebar:
        st.caption(f"Signed in as **{actor.name}** ({actor.email})")
        st.button("Sign out", on_click=st.logout)
    return actor


def _unknown_person(email: str, name: str) -> None:
    admins = [p for p in people.all_people() if p["is_admin"]]
    st.title(f"Welcome{', ' + name if name else ''}!")
    st.write(
        f"You are signed in as **{email or 'an account without an email'}**, but okrdash doesn't know you yet. "
        "Please ask an admin to add you with this email address; then reload this page."
    )
    if admins:
        st.write("Admins: " + ", ".join(f"{a['name']} ({a['email']})" for a in admins))
    st.button("Sign out", on_click=st.logout)

