"""Who may write: the app is read-only unless writing is switched on and a curator has signed in.

Two ways to sign in, both configured in `.streamlit/secrets.toml` (never in the repository):
- Streamlit's built-in OpenID Connect (`[auth]` section, `st.login` / `st.user`) for real deployments;
  `[curation] curators` lists the e-mail addresses allowed to write.
- For a single machine: `[curation.passwords]` maps a curator's name to a salted scrypt hash
  (`python -m explorer curator-hash NAME` prints the line), or `$EXPLORER_CURATOR_TOKEN` is a shared token.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from explorer.render.html import md
from explorer.system.credentials import token_matches, verify_password

WRITING_ENV = "EXPLORER_WRITING"
TOKEN_ENV = "EXPLORER_CURATOR_TOKEN"
CURATOR = "curator_name"  # session key: the curator signed in with a password or the token
FAILED_PAUSE_S = 0.5  # a wrong password costs the guesser a moment


def _secrets(section: str) -> Mapping:
    try:
        value = st.secrets.get(section, {})
    except StreamlitSecretNotFoundError:  # no secrets.toml at all: the read-only default
        return {}
    return value if isinstance(value, Mapping) else {}


def writing_enabled() -> bool:
    """Writing is off unless `[curation] writing = true` in secrets.toml or $EXPLORER_WRITING=1."""
    return os.environ.get(WRITING_ENV, "").lower() in {"1", "true", "yes", "on"} or \
        _secrets("curation").get("writing") is True


def _oidc_configured() -> bool:
    return bool(_secrets("auth"))


def _oidc_curator() -> str | None:
    if not _oidc_configured() or not st.user.get("is_logged_in", False):
        return None
    email = str(st.user.get("email") or "")
    allowed = {str(e).lower() for e in _secrets("curation").get("curators", [])}
    return email if email and email.lower() in allowed else None


def current_curator() -> str | None:
    """The signed-in curator allowed to write, or None: then no write control is shown."""
    if not writing_enabled():
        return None
    return _oidc_curator() or st.session_state.get(CURATOR)


def check_password(name: str, password: str) -> bool:
    """A curator from `[curation.passwords]`, or anyone holding the shared token."""
    stored = _secrets("curation").get("passwords", {})
    if isinstance(stored, Mapping) and name in stored and verify_password(str(stored[name]), password):
        return True
    return bool(name) and token_matches(os.environ.get(TOKEN_ENV, ""), password)


def _sign_out() -> None:
    st.session_state.pop(CURATOR, None)


def sign_in_panel() -> None:
    """Sidebar: sign in or out. Shown only when writing is switched on."""
    if not writing_enabled():
        return
    with st.sidebar.expander("Curator sign-in", expanded=False):
        curator = current_curator()
        if curator:
            st.caption(f"Signed in as **{md(curator)}**: saving is enabled.")
            if _oidc_curator():
                st.button("Sign out", key="sign_out", on_click=st.logout)
            else:
                st.button("Sign out", key="sign_out", on_click=_sign_out)
            return
        if _oidc_configured():
            provider = _secrets("curation").get("provider")
            st.button("Sign in with your account", key="sign_in_oidc", on_click=st.login,
                      args=(provider,) if provider else ())
            if st.user.get("is_logged_in", False):
                st.warning(f"{md(st.user.get('email') or 'This account')} is not on the curator list.")
        if not (_secrets("curation").get("passwords") or os.environ.get(TOKEN_ENV)):
            return
        with st.form("sign_in", clear_on_submit=True):
            name = st.text_input("Curator name", key="sign_in_name")
            password = st.text_input("Password", type="password", key="sign_in_password")
            submitted = st.form_submit_button("Sign in", key="sign_in")
        if submitted:
            if check_password(name.strip(), password):
                st.session_state[CURATOR] = name.strip()
                st.rerun()
            time.sleep(FAILED_PAUSE_S)
            st.error("Wrong name or password.")
