"""Opening a store the way copkg's users get it: a new store starts with the bundled data.

The store layer (:mod:`graph.store`) knows nothing of importing; this module opens it and, when
it was just created, loads the bundled data (``data/cmi.ttl`` and ``data/illustrative/``).
"""

from __future__ import annotations

from pathlib import Path

from ..config import bundled_data_paths
from ..store import KnowledgeGraph
from .importer import import_paths

__all__ = ["bundled_graph", "load_bundled", "open_graph"]


def open_graph(
    store: str | Path | None = None, *, endpoint: str | None = None, read_only: bool = False,
) -> KnowledgeGraph:
    """:meth:`KnowledgeGraph.open`, and the bundled data loaded into a store it created.

    >>> import tempfile
    >>> kg = open_graph(Path(tempfile.mkdtemp()) / "store")
    >>> int(kg.count_by_kind().set_index("kind").loc["person", "total"]) > 300
    True
    >>> kg.close()
    """
    kg = KnowledgeGraph.open(store, endpoint=endpoint, read_only=read_only)
    if kg.created:
        load_bundled(kg)
    return kg


def bundled_graph() -> KnowledgeGraph:
    """A throw-away in-memory graph with the ontology and the bundled data."""
    kg = KnowledgeGraph.in_memory()
    load_bundled(kg)
    return kg


def load_bundled(kg: KnowledgeGraph) -> None:
    """Import the bundled data (sourced facts, then the illustrative sheets) into ``kg``."""
    import_paths(kg, bundled_data_paths())
