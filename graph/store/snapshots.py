"""Consistent read-only copies of the store for readers in other processes.

Oxigraph documents that opening a store read-only while another process writes it is undefined
behaviour. So the process that writes (the app, ``copkg import``) makes a checkpoint with
``Store.backup()`` after every write — hard links to RocksDB's immutable files, about 2 ms — in
``<store>.snapshots/<name>/`` and then points ``<store>.snapshots/CURRENT`` at it. Readers in
other processes (the console's query worker, ``copkg serve``'s workers, read-only opens) open the
checkpoint named by ``CURRENT``, which nobody writes: every answer comes from one import state.

A checkpoint is named by the store's state token (``KnowledgeGraph.state_token()``, data the
checkpoint itself holds). A reader holds a *lease* on its checkpoint (a shared ``flock`` on
``<name>.lock``) while it may read it; the writer deletes old checkpoints nobody leases.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "Lease",
    "checkpoint",
    "current_name",
    "is_current",
    "lease",
    "leased",
    "name_for",
    "snapshots_dir",
]

_CURRENT = "CURRENT"


def snapshots_dir(store: Path) -> Path:
    """The folder holding the checkpoints of the store in folder ``store``.

    >>> snapshots_dir(Path("/data/copkg/store"))
    PosixPath('/data/copkg/store.snapshots')
    """
    store = Path(store)
    return store.with_name(store.name + ".snapshots")


def current_name(store: Path) -> str | None:
    """The name of the latest checkpoint of ``store``, or None if it has none yet."""
    try:
        name = (snapshots_dir(store) / _CURRENT).read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return name or None


def is_current(store: Path, token: str) -> bool:
    """Whether the latest checkpoint of ``store`` exists and holds the state ``token``."""
    name = current_name(store)
    return name == name_for(token) and (snapshots_dir(store) / name / "CURRENT").exists()


def name_for(token: str) -> str:
    """The folder name of a checkpoint of the state ``token`` (safe on every file system).

    >>> name_for("9f86d081884c"), name_for(""), name_for("../x")[:6]
    ('9f86d081884c', 'initial', 'state-')
    """
    if not token:
        return "initial"
    if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", token):
        return token
    return "state-" + hashlib.sha256(token.encode()).hexdigest()[:32]


def checkpoint(db: ox.Store, store: Path, token: str) -> str:
    """Checkpoint the read-write ``db`` (opened on folder ``store``) holding state ``token``.

    The checkpoint becomes ``CURRENT`` only once it is complete; checkpoints no reader leases
    any more are then removed. Returns the checkpoint's folder name.
    """
    folder = snapshots_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    name = name_for(token)
    if (folder / name).exists():  # same token, changed content (a recovery): a fresh name
        name = f"{name}-{time.time_ns()}"
    db.backup(str(folder / name))
    staged = folder / f".{_CURRENT}.{os.getpid()}"
    staged.write_text(name + "\n", encoding="ascii")
    os.replace(staged, folder / _CURRENT)
    _collect(folder, keep=name)
    return name


@dataclass
class Lease:
    """A checkpoint held open for reading: ``path`` stays on disk until :meth:`release`."""

    name: str
    path: Path
    _fd: int

    def release(self) -> None:
        """Let the writer delete the checkpoint once no one else leases it."""
        if self._fd >= 0:
            os.close(self._fd)  # closing drops the flock
            self._fd = -1


def lease(store: Path) -> Lease | None:
    """Lease the current checkpoint of ``store`` (None if the store has none).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> db = ox.Store(str(folder))
    >>> name = checkpoint(db, folder, "")
    >>> held = lease(folder)
    >>> held.name, len(ox.Store.read_only(str(held.path)))
    ('initial', 0)
    >>> held.release()
    """
    folder = snapshots_dir(store)
    for _ in range(20):
        name = current_name(store)
        if name is None:
            return None
        fd = os.open(folder / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        # The writer deletes a checkpoint (and unlinks its lock file) while holding the lock
        # exclusively: a checkpoint still present once we hold the lock stays until we release.
        if (folder / name / "CURRENT").exists():
            return Lease(name, folder / name, fd)
        os.close(fd)
        time.sleep(0.01)
    return None


@contextlib.contextmanager
def leased(store: Path) -> Iterator[Lease | None]:
    """:func:`lease` as a context manager."""
    held = lease(store)
    try:
        yield held
    finally:
        if held is not None:
            held.release()


def _collect(folder: Path, *, keep: str) -> None:
    """Remove the checkpoints other than ``keep`` that no reader leases."""
    for entry in folder.iterdir():
        name = entry.name
        if name == keep or not entry.is_dir() or name.startswith("."):
            continue
        lock = folder / f"{name}.lock"
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader still uses it; the next checkpoint tries again
            shutil.rmtree(entry, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
        finally:
            os.close(fd)
    for lock in folder.glob("*.lock"):
        if not (folder / lock.stem).exists() and lock.stem != keep:
            fd = os.open(lock, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                lock.unlink()
            except (BlockingIOError, FileNotFoundError):
                pass
            finally:
                os.close(fd)
