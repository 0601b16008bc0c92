"""The app's users file: names, roles and bcrypt password hashes, and when sign-in is needed.

The file is JSON (``$COPKG_USERS``, else ``users.json`` beside the store folder), written
atomically with owner-only permissions, and managed with ``copkg users add|remove|list`` or the
app's Users page. Passwords are never stored, only their bcrypt hashes.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import bcrypt

from ..errors import CopkgError
from .roles import User, check_role

__all__ = [
    "LOCAL_USER",
    "MAX_PASSWORD_BYTES",
    "MIN_PASSWORD_LENGTH",
    "UserRecord",
    "UsersFile",
    "is_loopback",
    "sign_in_required",
]

#: The one user of an app bound to this machine only, when sign-in is off.
LOCAL_USER = User("local", "admin")
MIN_PASSWORD_LENGTH = 8
#: bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
MAX_PASSWORD_BYTES = 72
_FORMAT = "copkg-users/1"
_NAME = re.compile(r"^[\w.@+-]{1,64}$")
_ROUNDS = int(os.environ.get("COPKG_BCRYPT_ROUNDS", "12"))


@dataclass(frozen=True)
class UserRecord:
    """One line of the users file (the hash is bcrypt's, never the password)."""

    name: str
    role: str
    password_hash: str
    created: str

    @property
    def user(self) -> User:
        """The :class:`User` this record signs in as."""
        return User(self.name, self.role)


class UsersFile:
    """The users file at ``path`` (it need not exist yet: then there are no users).

    >>> import tempfile, pathlib
    >>> users = UsersFile(pathlib.Path(tempfile.mkdtemp()) / "users.json")
    >>> users.add("ana", "editor", "correct horse battery")
    UserRecord(name='ana', role='editor', ...)
    >>> users.verify("ana", "correct horse battery")
    User(name='ana', role='editor')
    >>> users.verify("ana", "wrong password") is None
    True
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # ------------------------------------------------------------------------------ reading
    def records(self) -> list[UserRecord]:
        """Every user, sorted by name."""
        return sorted(self._read().values(), key=lambda r: r.name.casefold())

    def get(self, name: str) -> UserRecord | None:
        """The user called ``name`` (case ignored), or ``None``."""
        return self._read().get(name.strip().casefold())

    def __len__(self) -> int:
        return len(self._read())

    def __iter__(self) -> Iterator[UserRecord]:
        return iter(self.records())

    def verify(self, name: str, password: str) -> User | None:
        """The user if ``password`` is theirs, else ``None`` (same time for unknown names)."""
        record = self.get(name)
        secret = password.encode("utf-8")
        if record is None or len(secret) > MAX_PASSWORD_BYTES:
            # Spend the same time as a real check, so timing does not tell which names exist.
            bcrypt.checkpw(b"not the password", _dummy_hash())
            return None
        if bcrypt.checkpw(secret, record.password_hash.encode("ascii")):
            return record.user
        return None

    def current(self, user: User) -> User | None:
        """``user`` as the file says now (role changed, or ``None`` if removed)."""
        record = self.get(user.name)
        return record.user if record is not None else None

    # ------------------------------------------------------------------------------ writing
    def add(self, name: str, role: str, password: str, *, replace: bool = False) -> UserRecord:
        """Add user ``name`` with ``role``; ``replace=True`` changes an existing user's role
        and password. Raises :class:`CopkgError` for a bad name, role or password."""
        name = name.strip()
        if not _NAME.match(name):
            raise CopkgError("error.bad_user_name", name=name)
        role = check_role(role)
        check_password(password)
        users = self._read()
        key = name.casefold()
        if key in users and not replace:
            raise CopkgError("error.user_exists", name=users[key].name)
        hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(_ROUNDS)).decode("ascii")
        record = UserRecord(name, role, hashed,
                            datetime.now(UTC).replace(microsecond=0).isoformat())
        users[key] = record
        self._write(users)
        return record

    def remove(self, name: str) -> UserRecord:
        """Remove user ``name``; raises :class:`CopkgError` naming the users if unknown."""
        users = self._read()
        record = users.pop(name.strip().casefold(), None)
        if record is None:
            known = [r.name for r in sorted(users.values(), key=lambda r: r.name)]
            raise CopkgError("error.no_such_user" if known else "error.no_such_user_none",
                             name=name, path=str(self.path), users=known)
        self._write(users)
        return record

    # ------------------------------------------------------------------------------ file
    def _read(self) -> dict[str, UserRecord]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise CopkgError("error.users_unreadable", path=str(self.path),
                             detail=str(exc)) from exc
        try:
            data = json.loads(text)
            if data.get("format") != _FORMAT:
                raise ValueError(f'"format" is not "{_FORMAT}"')
            records = [UserRecord(u["name"], check_role(u["role"]), u["password_hash"],
                                  u.get("created", "")) for u in data["users"]]
        except (ValueError, KeyError, TypeError, AttributeError, CopkgError) as exc:
            raise CopkgError("error.users_damaged", path=str(self.path), detail=str(exc)) from exc
        return {r.name.casefold(): r for r in records}

    def _write(self, users: dict[str, UserRecord]) -> None:
        data = {"format": _FORMAT, "users": [
            {"name": r.name, "role": r.role, "password_hash": r.password_hash,
             "created": r.created}
            for r in sorted(users.values(), key=lambda r: r.name.casefold())
        ]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".users-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, ensure_ascii=False)
                handle.write("\n")
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise


def check_password(password: str) -> None:
    """Refuse passwords bcrypt would weaken or cut (too short, longer than 72 bytes).

    >>> check_password("short")
    Traceback (most recent call last):
    ...
    graph.errors.CopkgError: the password is too short: use at least 8 characters
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CopkgError("error.password_short", n=MIN_PASSWORD_LENGTH)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise CopkgError("error.password_long", n=MAX_PASSWORD_BYTES)


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to ``address`` is reachable from this machine only.

    No address means every interface (Streamlit's default), so it is not loopback.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1")
    (True, True, True)
    >>> is_loopback("0.0.0.0"), is_loopback(None), is_loopback("192.168.1.20")
    (False, False, False)
    """
    if not address:
        return False
    host = address.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def sign_in_required(address: str | None, setting: str | None = None) -> bool:
    """Whether the app asks people to sign in: when it is bound to anything but this machine,
    or when ``setting`` (``$COPKG_AUTH``) is ``on`` (e.g. behind a reverse proxy).

    >>> sign_in_required("127.0.0.1"), sign_in_required("0.0.0.0")
    (False, True)
    >>> sign_in_required("127.0.0.1", "on")
    True
    """
    value = (setting if setting is not None else os.environ.get("COPKG_AUTH", "auto"))
    value = value.strip().lower() or "auto"
    if value not in ("auto", "on"):
        raise CopkgError("error.bad_auth_setting", value=value)
    return value == "on" or not is_loopback(address)


@cache
def _dummy_hash() -> bytes:
    return bcrypt.hashpw(b"copkg dummy password", bcrypt.gensalt(_ROUNDS))
