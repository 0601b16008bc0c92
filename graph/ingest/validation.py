"""The store's side of validation: stored resources the batch needs, and SHACL results as
problems naming the file, row and column (spreadsheets) or the resource and property (RDF).

The rules are checked by :mod:`.shacl` on an in-memory store holding the new data, the ontology
and, from the real store, only what the batch needs: the types of the resources it points to,
and everything other sources say of the resources it redefines (so the merged resource must
still follow the rules: a person keeps exactly one name).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import pyoxigraph as ox

from ..errors import Problem
from ..i18n import Message
from ..store import KnowledgeGraph
from ..vocab import GRAPH, ONTOLOGY_GRAPH, STATE_GRAPH
from .effects import short_iri
from .mapping import BatchIndex
from .references import values_block
from .shacl import Violation

__all__ = ["shape_problems", "source_graph", "stored_definitions", "stored_type_triples"]

_CHUNK = 2000
#: Above this many typed resources, the store's typed resources are read once instead of
#: looked up in chunks.
_SCAN_ABOVE = 20_000


def stored_type_triples(
    kg: KnowledgeGraph, iris: Collection[str], exclude_graphs: Collection[str],
) -> list[ox.Triple]:
    """``?s a ?type`` for each of ``iris`` kept in the store outside ``exclude_graphs``."""
    triples: list[ox.Triple] = []
    ordered = sorted(iris)
    excluded = ", ".join(str(ox.NamedNode(g)) for g in sorted(exclude_graphs))
    where_not = f" FILTER(?g NOT IN ({excluded}))" if excluded else ""
    for start in range(0, len(ordered), _CHUNK):
        chunk = [ox.NamedNode(i) for i in ordered[start:start + _CHUNK]]
        triples.extend(kg.construct(
            "CONSTRUCT { ?s a ?type } WHERE { " + values_block("s", chunk)
            + " GRAPH ?g { ?s a ?type }" + where_not + " }"
        ))
    return triples


def stored_definitions(
    kg: KnowledgeGraph, iris: Collection[str], exclude_graphs: Collection[str],
) -> tuple[dict[str, list[str]], list[ox.Triple]]:
    """Which of ``iris`` other imported sources define, and what every other source says of
    them.

    A source defines a resource when its graph, or the graph of what its RDF implies
    (``graph/inferred/<file>``, counted as the file's own graph), gives it a type. Returns
    ``iri → the defining sources' graphs`` and the statements (the resource as subject) of
    every imported source outside ``exclude_graphs`` about the defined resources.
    """
    found: dict[str, set[str]] = {}

    def keep(s: object, g: object) -> None:
        if isinstance(s, ox.NamedNode) and isinstance(g, ox.NamedNode) and s.value in iris:
            source = source_graph(g.value, exclude_graphs)
            if source is not None:
                found.setdefault(s.value, set()).add(source)

    if len(iris) > _SCAN_ABOVE:
        for s, g in kg.select("SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s a ?t } }").rows:
            keep(s, g)
    else:
        ordered = sorted(iris)
        for start in range(0, len(ordered), _CHUNK):
            chunk = [ox.NamedNode(i) for i in ordered[start:start + _CHUNK]]
            for s, g in kg.select("SELECT DISTINCT ?s ?g WHERE { " + values_block("s", chunk)
                                  + " GRAPH ?g { ?s a ?t } }").rows:
                keep(s, g)
    described: list[ox.Triple] = []
    ordered = sorted(found)
    for start in range(0, len(ordered), _CHUNK):
        chunk = [ox.NamedNode(i) for i in ordered[start:start + _CHUNK]]
        for s, p, o, g in kg.select("SELECT ?s ?p ?o ?g WHERE { " + values_block("s", chunk)
                                    + " GRAPH ?g { ?s ?p ?o } }").rows:
            if (isinstance(s, ox.NamedNode) and p is not None and o is not None
                    and g is not None and source_graph(g.value, exclude_graphs) is not None):
                described.append(ox.Triple(s, p, o))  # type: ignore[arg-type]
    return {iri: sorted(graphs) for iri, graphs in found.items()}, described


_IMPORTED = str(GRAPH)
_INFERRED = f"{GRAPH}inferred/"
_NOT_SOURCES = {str(STATE_GRAPH), str(ONTOLOGY_GRAPH)}


def source_graph(graph: str, exclude_graphs: Collection[str]) -> str | None:
    """The imported source a graph belongs to (an inferred graph: its file's graph), or None
    for the ontology, the state, the audit and ``exclude_graphs``.

    >>> source_graph("https://w3id.org/copkg/graph/inferred/p.ttl", ())
    'https://w3id.org/copkg/graph/p.ttl'
    >>> source_graph("https://w3id.org/copkg/graph/ontology", ()) is None
    True
    """
    if not graph.startswith(_IMPORTED) or graph in _NOT_SOURCES or graph in exclude_graphs:
        return None
    if graph.startswith(_INFERRED):
        return _IMPORTED + graph[len(_INFERRED):]
    return graph


def shape_problems(
    violations: Sequence[Violation],
    index: BatchIndex,
    check: ox.Store,
    file_of: Mapping[str, str],
    redefined: Mapping[str, Sequence[str]],
    names: Mapping[str, str],
) -> list[Problem]:
    """One problem per violation of a resource of the batch (stored ones are left out).

    A sheet row's problem names its row and column; an RDF file's names the resource and the
    property. ``file_of`` maps the batch's graphs to their files; ``redefined`` resources (with
    their other sources' graphs, ``names`` their file names) get a hint.
    """
    problems: list[Problem] = []
    seen: set[tuple[object, ...]] = set()
    for v in violations:
        message = v.constraint.message
        value = None if v.value is None else _value(v.value)
        fix = None
        if isinstance(v.focus, ox.NamedNode) and v.focus.value in redefined:
            others = [names.get(g, g) for g in redefined[v.focus.value]]
            fix = Message("shape.redefined_fix", others=others, resource=_short(v.focus.value))
        origin = index.subjects.get(v.focus) if isinstance(v.focus, ox.NamedNode) else None
        if origin is not None:
            column = index.columns.get((origin.sheet, v.constraint.path))
            key: tuple[object, ...] = (origin, column, message)
            if key not in seen:
                seen.add(key)
                problems.append(origin.problem(
                    message if value is None
                    else Message("shape.rule_value", rule=message, value=value), column, fix))
            continue
        for file in _files_describing(check, v.focus, file_of):
            key = (file, v.focus, v.constraint.path, message)
            if key not in seen:
                seen.add(key)
                where = {"node": _node(v.focus), "property": _short(v.constraint.path)}
                problems.append(Problem(
                    file, Message("shape.rdf_rule", rule=message, **where) if value is None
                    else Message("shape.rdf_rule_value", rule=message, value=value, **where),
                    fix=fix))
    return problems


def _files_describing(check: ox.Store, focus: ox.NamedNode | ox.BlankNode,
                      file_of: Mapping[str, str]) -> list[str]:
    result = check.query("SELECT DISTINCT ?focus ?g WHERE { GRAPH ?g { ?focus ?p ?o } }",
                         substitutions={ox.Variable("focus"): focus})
    assert isinstance(result, ox.QuerySolutions)
    return sorted({file_of[row[1].value] for row in result
                   if isinstance(row[1], ox.NamedNode) and row[1].value in file_of})


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else str(term)


def _node(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"<{term.value}>" if isinstance(term, ox.NamedNode) else str(term)


def _short(iri: str) -> str:
    short = short_iri(iri)
    return short if short != iri else f"<{iri}>"
