"""copkg: a knowledge-graph explorer for communities of practice.

>>> from graph import open_graph
>>> kg = open_graph()  # doctest: +SKIP
>>> kg.query("SELECT (COUNT(*) AS ?people) WHERE { ?p a foaf:Person }")  # doctest: +SKIP
"""

from __future__ import annotations

from .errors import CopkgError, DataError, NotFoundError, Problem, QueryError
from .ingest.bootstrap import open_graph
from .store import KnowledgeGraph

__all__ = [
    "CopkgError",
    "DataError",
    "KnowledgeGraph",
    "NotFoundError",
    "Problem",
    "QueryError",
    "open_graph",
]
__version__ = "0.1.0"
