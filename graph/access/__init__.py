"""Who may see and change what: users and roles, personal data by need, erasure, audit.

The app asks people to sign in when it is bound to another address than this machine
(:func:`sign_in_required`); the CLI is for whoever can open the store, and acts as them.
"""

from __future__ import annotations

from .audit import (
    AUDIT_COLUMNS,
    Activity,
    audit_log,
    cli_actor,
    flush_pending,
    queue_pending,
    record,
)
from .erasure import ErasureReport, erased_iris, forget, resolve_person
from .personal import (
    personal_filter,
    personal_properties,
    viewer_copy,
    viewer_graph,
    without_personal,
)
from .roles import ACTIONS, ROLES, User, allowed, check_role, require
from .users import LOCAL_USER, UsersFile, is_loopback, sign_in_required

__all__ = [
    "ACTIONS",
    "AUDIT_COLUMNS",
    "LOCAL_USER",
    "ROLES",
    "Activity",
    "ErasureReport",
    "User",
    "UsersFile",
    "allowed",
    "audit_log",
    "check_role",
    "cli_actor",
    "erased_iris",
    "flush_pending",
    "forget",
    "is_loopback",
    "personal_filter",
    "personal_properties",
    "queue_pending",
    "record",
    "require",
    "resolve_person",
    "sign_in_required",
    "viewer_copy",
    "viewer_graph",
    "without_personal",
]
