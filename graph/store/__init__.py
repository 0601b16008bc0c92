"""The store layer: one :class:`KnowledgeGraph` API over embedded Oxigraph or a SPARQL endpoint."""

from __future__ import annotations

from .backend import Backend, SelectResult
from .knowledge_graph import KnowledgeGraph
from .sparql import bind, ensure_read_only, query_form, to_term
from .terms import readable

__all__ = [
    "Backend",
    "KnowledgeGraph",
    "SelectResult",
    "bind",
    "ensure_read_only",
    "query_form",
    "readable",
    "to_term",
]
