"""Who may do what: three roles, each allowed everything the one before it may do.

``viewer`` browses, draws maps and runs saved queries and the console (without personal data);
``editor`` also imports, builds stories and sees personal data; ``admin`` also manages users and
erases people. Every action checks the role where it runs (:func:`require`), not only in menus.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import AccessDenied, CopkgError
from ..i18n import Message

__all__ = ["ACTIONS", "ROLES", "User", "allowed", "check_role", "require"]

#: The roles, weakest first.
ROLES: tuple[str, ...] = ("viewer", "editor", "admin")

#: Each action and the weakest role allowed to do it.
ACTIONS: dict[str, str] = {
    "browse": "viewer",           # pages, maps, rankings, paths
    "query": "viewer",            # saved queries and the console (personal data left out)
    "export": "viewer",           # downloads and exports (personal data left out)
    "import": "editor",
    "save_story": "editor",
    "see_personal": "editor",     # personal columns on pages, in the console and in exports
    "see_audit": "editor",
    "manage_users": "admin",
    "forget": "admin",
}

#: How an error names each role and action (catalogue keys; English: the role's id).
_ROLE_WORDS = {"viewer": "error.role_viewer", "editor": "error.role_editor",
               "admin": "error.role_admin"}
_ACTION_WORDS = {
    "browse": "error.action_browse", "query": "error.action_query",
    "export": "error.action_export", "import": "error.action_import",
    "save_story": "error.action_save_story", "see_personal": "error.action_see_personal",
    "see_audit": "error.action_see_audit", "manage_users": "error.action_manage_users",
    "forget": "error.action_forget",
}


@dataclass(frozen=True)
class User:
    """A signed-in person (or the one local user when sign-in is off)."""

    name: str
    role: str

    def can(self, action: str) -> bool:
        """Whether this user's role allows ``action`` (see :data:`ACTIONS`).

        >>> User("ana", "editor").can("import"), User("ana", "editor").can("forget")
        (True, False)
        """
        return allowed(self.role, action)


def check_role(role: str) -> str:
    """``role`` if it is one of :data:`ROLES`, else a :class:`CopkgError` naming them.

    >>> check_role("Editor")
    'editor'
    """
    value = role.strip().lower()
    if value not in ROLES:
        raise CopkgError("error.unknown_role", role=role, roles=list(ROLES))
    return value


def allowed(role: str | None, action: str) -> bool:
    """Whether ``role`` may do ``action``; no role (not signed in) may do nothing.

    >>> allowed("viewer", "query"), allowed("viewer", "import"), allowed(None, "browse")
    (True, False, False)
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}; declare it in graph.access.roles.ACTIONS")
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(ACTIONS[action])


def require(user: User | None, action: str) -> User:
    """``user`` if their role allows ``action``; raise :class:`AccessDenied` otherwise.

    >>> require(User("ana", "viewer"), "import")
    Traceback (most recent call last):
    ...
    graph.errors.AccessDenied: ana (viewer) may not import: this needs the editor role.
    """
    if user is not None and allowed(user.role, action):
        return user
    needed = Message(_ROLE_WORDS[ACTIONS[action]])
    if user is None:
        raise AccessDenied("error.denied_nobody", action=Message(_ACTION_WORDS[action]),
                           needed=needed)
    raise AccessDenied("error.denied_user", name=user.name,
                       role=Message(_ROLE_WORDS[user.role]) if user.role in _ROLE_WORDS
                       else user.role,
                       action=Message(_ACTION_WORDS[action]), needed=needed)
