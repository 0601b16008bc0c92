"""Projections built once per store state and reused, in this process and across processes.

The key is the store's state token (``kg.state_token()``): data in the store itself, rewritten
in the same transaction as every write (import, ontology reload), so equal tokens mean equal
data and a cache entry can never outlive the state it was built from. On top of it, the
projection name, the filters as given and a fingerprint of the code that builds projections
(:data:`FORMAT` and a hash of ``graph/network``, ``graph/countries.py`` and ``graph/text.py``)
make the file name, so a cache written by another version of copkg is never read.

- Disk: ``$COPKG_CACHE_DIR`` (default the user cache folder, ``~/.cache/copkg``), one folder
  per store (a hash of its path), created private (0700). Files are written to a temporary
  name and renamed (readers never see half a file); entries of other states are deleted when
  a new one is written. Only embedded stores on disk are cached: a remote endpoint may be
  written by others without changing the token, and an in-memory store lives in one process.
- Memory: the last few projections of each process (the app shares them between sessions
  through ``st.cache_resource``; this layer serves the CLI and notebooks).

``COPKG_CACHE=0`` turns both off. The cache never changes an answer: a hit returns the graph
that :func:`~graph.network.project` built for the same data and filters.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from .filters import Filters

if TYPE_CHECKING:
    import networkx as nx

    from ..store import KnowledgeGraph
    from .incidence import Incidence

__all__ = ["cache_dir", "cache_enabled", "cached", "clear_memory", "store_key"]

#: Bumped whenever what a projection holds changes: old files are then never read.
FORMAT = 6


def _code_fingerprint() -> str:
    """A hash of the sources that decide what a cached projection holds (so forgetting to bump
    :data:`FORMAT` after a change cannot make a new copkg read an old file)."""
    here = Path(__file__).resolve().parent
    sources = sorted(here.glob("*.py")) + [here.parent / "countries.py", here.parent / "text.py"]
    digest = hashlib.sha256(str(FORMAT).encode())
    for source in sources:
        with contextlib.suppress(OSError):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:12]


_CODE = _code_fingerprint()
_MEMORY_ENTRIES = 8
_memory: OrderedDict[tuple[str, ...], Any] = OrderedDict()
_lock = threading.Lock()


def cache_enabled() -> bool:
    """False when ``$COPKG_CACHE`` is ``0``/``off``/``no``/``false``."""
    return os.environ.get("COPKG_CACHE", "1").strip().lower() not in ("0", "off", "no", "false")


def cache_dir() -> Path:
    """``$COPKG_CACHE_DIR`` or the user cache folder (``~/.cache/copkg`` on Linux)."""
    env = os.environ.get("COPKG_CACHE_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir("copkg"))


def store_key(kg: KnowledgeGraph) -> tuple[str, str] | None:
    """``(store id, state token)`` when ``kg`` can be cached on disk, else ``None``.

    >>> from graph.store import KnowledgeGraph
    >>> store_key(KnowledgeGraph.in_memory()) is None
    True
    """
    from ..store.embedded import EmbeddedBackend

    backend = kg.backend
    if not isinstance(backend, EmbeddedBackend) or backend.path is None:
        return None
    token = kg.state_token()
    if not token:
        return None  # no copkg write recorded a state: nothing safe to key on
    where = str(Path(backend.path).resolve())
    return hashlib.sha256(where.encode()).hexdigest()[:16], token


def cached(kg: KnowledgeGraph, what: str, filters: Filters | None, build: Any) -> Any:
    """``build()`` for ``what`` (a projection name or ``"incidence"``) under ``filters``,
    from the cache when the store is in the same state; stored after a build."""
    key = store_key(kg) if cache_enabled() else None
    if key is None:
        return build()
    store, token = key
    name = f"{token}-{what}-{_digest(filters)}-v{FORMAT}-{_CODE}"
    memo = (store, name)
    with _lock:
        if memo in _memory:
            _memory.move_to_end(memo)
            return _memory[memo]
    folder = cache_dir() / store
    path = folder / (name + ".pickle")
    value = _read(path)
    if value is None:
        value = build()
        # Only if the store did not change while building (else the data may be mixed).
        if kg.state_token() == token:
            _write(folder, path, value, token)
    with _lock:
        _memory[memo] = value
        while len(_memory) > _MEMORY_ENTRIES:
            _memory.popitem(last=False)
    # Hundreds of thousands of new long-lived objects, without cycles: left to the cyclic GC,
    # the next allocations trigger a full collection that walks all of them (0.4 s on 20,000
    # experts: 60 % of a cached CLI call's work). Frozen (once per entry loaded or built), the
    # GC skips them; reference counting still frees them when the entry is dropped.
    gc.freeze()
    return value


def clear_memory() -> None:
    """Forget the projections kept in this process (the disk cache stays)."""
    with _lock:
        _memory.clear()


def incidence(kg: KnowledgeGraph) -> Incidence:
    """:func:`~graph.network.load_incidence`, cached per store state."""
    from .incidence import load_incidence

    data: Incidence = cached(kg, "incidence", None, lambda: load_incidence(kg))
    return data


def _digest(filters: Filters | None) -> str:
    f = filters or Filters()
    text = repr((f.communities, f.countries, f.org_types, f.year_from, f.year_to, f.ties))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _read(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            enabled = gc.isenabled()
            gc.disable()  # hundreds of thousands of small dicts, no cycles
            try:
                return pickle.load(handle)
            finally:
                if enabled:
                    gc.enable()
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            IndexError, TypeError, ValueError):
        # A damaged or foreign file is ignored (and replaced), never trusted.
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _write(folder: Path, path: Path, value: nx.Graph | Incidence, token: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        for old in folder.glob("*.pickle"):
            if not old.name.startswith(token + "-"):
                with contextlib.suppress(OSError):
                    old.unlink()
    except OSError:
        pass  # a cache that cannot be written only costs time
