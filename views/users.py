"""Users (admins): who may sign in, with which role; every change is audited."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.access import ROLES, Activity, flush_pending, queue_pending, record
from graph.errors import CopkgError
from views.ui.access import require_action, role_name, signing_in, users_file
from views.ui.lang import tr
from views.ui.show import md, page_header, show_error
from views.ui.store import get_kg, is_read_only
from views.ui.tables import show_table

me = require_action("manage_users")
page_header(tr("access.users_title"), tr("access.users_caption"))
kg = get_kg()
users = users_file()
st.caption(tr("access.users_file", path=md(users.path)))
if not signing_in():
    st.info(tr("access.sign_in_off"))


def _audit(what: str) -> None:
    activity = Activity("users", me.name, what)
    if is_read_only(kg):
        queue_pending(activity, users.path)  # written by the next process that can write
    else:
        flush_pending(kg, users.path)
        record(kg, activity)


table_slot = st.container()  # filled below, after this run's changes

st.subheader(tr("access.add_user"))
with st.form("users_add", clear_on_submit=True):
    name = st.text_input(tr("access.name"), key="users_name")
    role = st.selectbox(tr("access.role"), ROLES, key="users_role",
                        format_func=role_name)
    password = st.text_input(tr("access.password"), type="password", key="users_password")
    again = st.text_input(tr("access.password_again"), type="password", key="users_again")
    add = st.form_submit_button(tr("access.add_user"), type="primary")
if add:
    require_action("manage_users")  # in the action too: widget values can be forged
    if password != again:
        st.error(tr("access.passwords_differ"))
    else:
        try:
            added = users.add(name, str(role), password)
            _audit(f"user {added.name} added ({added.role})")
        except CopkgError as exc:
            show_error(exc)
        else:
            st.success(tr("access.user_added", name=md(added.name),
                          role=role_name(added.role)))

try:
    records = users.records()
except CopkgError as exc:
    show_error(exc)
    st.stop()
with table_slot:
    show_table(pd.DataFrame(
        [{tr("access.name"): r.name, tr("access.role"): role_name(r.role),
          tr("access.created"): r.created} for r in records],
        columns=[tr("access.name"), tr("access.role"), tr("access.created")]), headers=False)

if records:
    st.subheader(tr("access.remove_user"))
    others = [r.name for r in records if r.name.casefold() != me.name.casefold()]
    gone = st.selectbox(tr("access.name"), others, key="users_remove_name", index=None)
    if gone and st.button(tr("access.remove_user"), key="users_remove"):
        require_action("manage_users")
        try:
            removed = users.remove(gone)
            _audit(f"user {removed.name} removed (was {removed.role})")
        except CopkgError as exc:
            show_error(exc)
        else:
            st.success(tr("access.user_removed", name=md(removed.name)))
            st.rerun()
