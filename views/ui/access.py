"""Who is using the app: sign-in when it is shared on a network, and role checks in actions.

Sign-in is off when the app is bound to this machine only (one local user, admin), on as soon as
``server.address`` is anything else (or ``COPKG_AUTH=on``). The signed-in user is kept in session
state as a private object a browser cannot forge with widget values, and checked against the
users file on every run (a removed user is signed out, a changed role applies at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from graph.access import LOCAL_USER, User, UsersFile, require, sign_in_required
from graph.config import default_users_path
from graph.errors import AccessDenied, CopkgError
from views.ui.lang import tr
from views.ui.show import md
from views.ui.store import store_settings

_SESSION = "_copkg_session"
_FAILURES = "_copkg_sign_in_failures"
#: After this many failed sign-ins in a session, each further try waits a little longer.
_FREE_TRIES = 3


@dataclass(frozen=True)
class _Session:
    """Proof of a sign-in. Widget state can only hold plain values, never this class."""

    user: User


def role_name(role: str) -> str:
    """A role in the reader's language."""
    return {"viewer": tr("access.role_viewer"), "editor": tr("access.role_editor"),
            "admin": tr("access.role_admin")}[role]


def audit_columns() -> dict[str, str]:
    """The audit table's column headers in the reader's language."""
    return {"when": tr("access.col_when"), "who": tr("access.col_who"),
            "action": tr("access.col_action"), "what": tr("access.col_what"),
            "file_hash": tr("access.col_file_hash")}


def server_address() -> str | None:
    """The address Streamlit binds (``server.address``: config file, flag or environment)."""
    value = st.get_option("server.address")
    return str(value) if value else None


def signing_in() -> bool:
    """Whether this app asks people to sign in."""
    return sign_in_required(server_address())


def users_file() -> UsersFile:
    """The users file for the store this app opens (``$COPKG_USERS`` or beside the store)."""
    store, _, _ = store_settings()
    return UsersFile(default_users_path(store))


def current_user() -> User | None:
    """The signed-in user (the local admin when sign-in is off), or ``None``."""
    if not signing_in():
        return LOCAL_USER
    session = st.session_state.get(_SESSION)
    if not isinstance(session, _Session):
        return None
    try:
        now = users_file().current(session.user)
    except CopkgError:
        return None
    if now is None:
        del st.session_state[_SESSION]
    return now


def can(action: str) -> bool:
    """Whether the current user may do ``action`` (for showing or hiding things)."""
    user = current_user()
    return user is not None and user.can(action)


def require_action(action: str) -> User:
    """The current user if allowed to do ``action``; otherwise an error and the page stops.

    Call it inside the action itself, not only around the button that shows it: a request can
    carry widget values for controls the page never showed.
    """
    try:
        return require(current_user(), action)
    except AccessDenied as exc:
        st.error(f"{tr('access.denied')} {md(exc)}")
        st.stop()
        raise


def gate(keep_address: Callable[[], object] | None = None) -> User:
    """Show the sign-in screen until someone signs in; return who is using the app.

    ``keep_address`` registers the pages without running them, so a shared link (a page and
    its query) still opens once the person has signed in.
    """
    if not signing_in():
        return LOCAL_USER
    users = users_file()
    try:
        count = len(users)
    except CopkgError as exc:
        st.error(md(exc))
        st.stop()
    if count == 0:
        st.error(tr("access.no_users", address=md(server_address() or "0.0.0.0"),
                    path=md(users.path)))
        st.code("copkg users add NAME --role admin", language="bash")
        st.stop()
    user = current_user()
    if user is not None:
        with st.sidebar:
            st.caption(tr("access.signed_in_as", name=md(user.name),
                          role=role_name(user.role)))
            if st.button(tr("access.sign_out"), key="access_sign_out"):
                st.session_state.pop(_SESSION, None)
                st.rerun()
        return user
    if keep_address is not None:
        keep_address()
    _sign_in_form(users)
    st.stop()
    raise AssertionError("unreachable")


def _sign_in_form(users: UsersFile) -> None:
    st.title(tr("access.sign_in_title"))
    st.write(tr("access.sign_in_intro"))
    with st.form("access_sign_in"):
        name = st.text_input(tr("access.name"), key="access_name")
        password = st.text_input(tr("access.password"), type="password", key="access_password")
        submitted = st.form_submit_button(tr("access.sign_in"), type="primary")
    if not submitted:
        return
    failures = int(st.session_state.get(_FAILURES, 0))
    if failures >= _FREE_TRIES:
        time.sleep(min(2 ** (failures - _FREE_TRIES), 30))  # slows down guessing
    user = users.verify(name, password) if name and password else None
    if user is None:
        st.session_state[_FAILURES] = failures + 1
        st.error(tr("access.wrong"))
        return
    st.session_state.pop(_FAILURES, None)
    st.session_state.pop("access_password", None)
    st.session_state[_SESSION] = _Session(user)
    st.rerun()
