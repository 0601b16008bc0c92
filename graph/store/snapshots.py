"""Consistent read-only copies of the store for readers in other processes.

Oxigraph documents that opening a store read-only while another process writes it is undefined
behaviour. So the process that writes (the app, ``copkg import``) makes a checkpoint with
``Store.backup()`` after every write — hard links to RocksDB's immutable files, about 2 ms — in
``<store>.snapshots/<token>/`` and then points ``<store>.snapshots/CURRENT`` at it. Readers in
other processes (the console's query worker, ``copkg serve``'s workers, read-only opens) open the
checkpoint named by ``CURRENT``, which nobody writes: every answer comes from one import state.

The token names a store state: it changes on every write, so caches can be keyed on it
(:meth:`graph.store.KnowledgeGraph.state_token`). A reader holds a *lease* on its checkpoint (a
shared ``flock`` on ``<token>.lock``) while it may read it; the writer deletes old checkpoints
that nobody leases.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

__all__ = ["Lease", "checkpoint", "current_token", "lease", "snapshots_dir"]

_CURRENT = "CURRENT"


def snapshots_dir(store: Path) -> Path:
    """The folder holding the checkpoints of the store in folder ``store``.

    >>> snapshots_dir(Path("/data/copkg/store"))
    PosixPath('/data/copkg/store.snapshots')
    """
    store = Path(store)
    return store.with_name(store.name + ".snapshots")


def current_token(store: Path) -> str | None:
    """The token of the latest checkpoint of ``store``, or None if it has none yet."""
    try:
        token = (snapshots_dir(store) / _CURRENT).read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return token or None


def checkpoint(db: ox.Store, store: Path) -> str:
    """Checkpoint the read-write ``db`` (opened on folder ``store``); returns the new token.

    The checkpoint becomes ``CURRENT`` only once it is complete; checkpoints no reader leases
    any more are then removed.
    """
    folder = snapshots_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    token = f"s{time.time_ns():020d}-{os.getpid()}"
    target = folder / token
    db.backup(str(target))
    staged = folder / f".{_CURRENT}.{os.getpid()}"
    staged.write_text(token + "\n", encoding="ascii")
    os.replace(staged, folder / _CURRENT)
    _collect(folder, keep=token)
    return token


@dataclass
class Lease:
    """A checkpoint held open for reading: ``path`` stays on disk until :meth:`release`."""

    token: str
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
    >>> token = checkpoint(db, folder)
    >>> held = lease(folder)
    >>> held.token == token, len(ox.Store.read_only(str(held.path)))
    (True, 0)
    >>> held.release()
    """
    folder = snapshots_dir(store)
    for _ in range(20):
        token = current_token(store)
        if token is None:
            return None
        fd = os.open(folder / f"{token}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        # The writer deletes a checkpoint (and unlinks its lock file) while holding the lock
        # exclusively: a checkpoint still present once we hold the lock stays until we release.
        if (folder / token / "CURRENT").exists():
            return Lease(token, folder / token, fd)
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
        token = entry.name
        if token == keep or not entry.is_dir() or not token.startswith("s"):
            continue
        lock = folder / f"{token}.lock"
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
    for lock in folder.glob("s*.lock"):
        if not (folder / lock.stem).exists() and lock.stem != keep:
            fd = os.open(lock, os.O_RDWR)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                lock.unlink()
            except (BlockingIOError, FileNotFoundError):
                pass
            finally:
                os.close(fd)
