"""Saved, parameterised SPARQL queries (``*.rq`` files here) and user-written queries.

>>> from graph.queries import list_queries
>>> len(list_queries()) >= 15
True
"""

from __future__ import annotations

from ..store.limited import QueryResult
from .saved import PARAM_TYPES, Param, SavedQuery, get_query, list_queries, run_saved
from .user import run_user_query

__all__ = [
    "PARAM_TYPES",
    "Param",
    "QueryResult",
    "SavedQuery",
    "get_query",
    "list_queries",
    "run_saved",
    "run_user_query",
]
