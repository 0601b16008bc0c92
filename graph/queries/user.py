"""User-written queries (SPARQL console, ``copkg query FILE.rq``): read-only, time-limited,
row-capped, run where they can be stopped (:mod:`graph.store.limited`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..store.limited import QueryResult, run_limited

if TYPE_CHECKING:
    from ..store import KnowledgeGraph

__all__ = ["run_user_query"]


def run_user_query(
    kg: KnowledgeGraph,
    text: str,
    *,
    time_limit_s: float | None = None,
    row_cap: int | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Run a query a person wrote; stop it after ``time_limit_s`` (default
    ``COPKG_QUERY_TIME_LIMIT``, 30 s) and keep at most ``row_cap`` rows (default
    ``COPKG_QUERY_ROW_CAP``, 10,000).

    Raises :class:`~graph.errors.QueryTimeout` naming the limit and the setting,
    :class:`~graph.errors.QueryError` for updates, ``SERVICE`` (unless ``allow_service``) and
    syntax errors (with the line, counted in the text as written).

    >>> from graph import KnowledgeGraph
    >>> kg = KnowledgeGraph.in_memory()
    >>> r = run_user_query(kg, "SELECT ?c WHERE { ?c rdfs:subClassOf org:Organization }", row_cap=2)
    >>> r.form, len(r.table), r.truncated
    ('SELECT', 2, True)
    """
    return run_limited(
        kg, text, time_limit_s=time_limit_s, row_cap=row_cap, allow_service=allow_service
    )
