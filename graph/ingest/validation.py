"""SHACL validation of what is being imported, with results mapped back to file, row and column.

The data graph given to pyshacl is the new data, the ontology (so ``rdfs:subClassOf`` reaches
``org:Organization``) and the ``rdf:type`` triples of stored resources the new data points to;
never the whole store (pyshacl takes ~13 s per 180k triples). RDF files above
:data:`SHACL_TRIPLE_LIMIT` triples are checked instead with a few SPARQL queries on a temporary
in-memory Oxigraph store (:func:`fast_checks`), which covers the shapes most often broken.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..config import ONTOLOGY_DIR
from ..errors import Problem
from ..store import KnowledgeGraph
from ..store.terms import to_rdflib
from ..vocab import FOAF, PREFIXES, RDF, RDFS, SH, SKOS
from .mapping import BatchIndex
from .references import values_block

__all__ = [
    "SHACL_TRIPLE_LIMIT",
    "RdfSubjects",
    "fast_checks",
    "ontology_graph",
    "shacl_problems",
    "stored_type_triples",
]

#: RDF files with more triples than this are checked with :func:`fast_checks`, not pyshacl.
SHACL_TRIPLE_LIMIT = 200_000
_LABELS = (SKOS.prefLabel, RDFS.label, FOAF.name)


@dataclass
class RdfSubjects:
    """Subjects of one RDF file, so SHACL results on them name that file."""

    file: str
    subjects: set[Node]


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """``ontology/cop.ttl`` parsed once."""
    graph = Graph()
    graph.parse(ONTOLOGY_DIR / "cop.ttl", format="turtle")
    return graph


@lru_cache(maxsize=1)
def _shapes_graph() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    return graph


def stored_type_triples(
    kg: KnowledgeGraph, iris: Collection[str], exclude_graphs: Collection[str],
) -> list[ox.Triple]:
    """``?s a ?type`` for each of ``iris`` kept in the store outside ``exclude_graphs``."""
    triples: list[ox.Triple] = []
    ordered = sorted(iris)
    excluded = ", ".join(str(ox.NamedNode(g)) for g in sorted(exclude_graphs))
    where_not = f" FILTER(?g NOT IN ({excluded}))" if excluded else ""
    for start in range(0, len(ordered), 2000):
        chunk = [ox.NamedNode(i) for i in ordered[start:start + 2000]]
        triples.extend(kg.construct(
            "CONSTRUCT { ?s a ?type } WHERE { " + values_block("s", chunk)
            + " GRAPH ?g { ?s a ?type }" + where_not + " }"
        ))
    return triples


def shacl_problems(
    data: Iterable[Graph],
    context: Iterable[ox.Triple],
    index: BatchIndex,
    rdf_files: list[RdfSubjects],
) -> list[Problem]:
    """Validate ``data`` (+ ontology + ``context``) with pyshacl; one problem per result."""
    from pyshacl import validate

    union = Graph()
    for graph in data:
        union += graph
    focus = set(index.subjects)
    for rdf in rdf_files:
        focus.update(s for s in rdf.subjects if isinstance(s, URIRef))
    union += ontology_graph()
    for t in context:
        union.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    conforms, results, _ = validate(
        union, shacl_graph=_shapes_graph(), inference="none", inplace=True,
        allow_warnings=True, advanced=False,
    )
    if conforms:
        return []
    assert isinstance(results, Graph)
    problems: list[Problem] = []
    seen: set[tuple[object, ...]] = set()
    for result in sorted(results.subjects(RDF.type, SH.ValidationResult), key=str):
        node = results.value(result, SH.focusNode)
        if node not in focus:
            continue  # a stored resource pulled in for its type, or the ontology itself
        path = results.value(result, SH.resultPath)
        message = _message(results, result)
        value = results.value(result, SH.value)
        component = results.value(result, SH.sourceConstraintComponent)
        origin = index.subjects.get(node) if isinstance(node, URIRef) else None
        if origin is not None:
            column = index.columns.get((origin.sheet, str(path))) if path is not None else None
            key: tuple[object, ...] = (origin, column, message)
            if key not in seen:
                seen.add(key)
                shown = f' (value "{value}")' if value is not None else ""
                problems.append(origin.problem(message + shown, column))
            continue
        owner = next((r for r in rdf_files if node in r.subjects), None)
        if owner is None:
            continue
        if (component == SH.MinCountConstraintComponent and path == SKOS.prefLabel
                and any(union.value(node, p) is not None for p in _LABELS)):
            # Third-party data labels organisations with rdfs:label or foaf:name, which the
            # label queries accept (docs/data-model.md, "Labels").
            continue
        shown = f' (value "{value}")' if value is not None else ""
        problems.append(Problem(owner.file, f"<{node}>: {message}{shown}"))
    return problems


def _message(results: Graph, result: Node) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    for m in messages:
        if isinstance(m, Literal) and m.language in (None, "en"):
            return str(m)
    return str(messages[0]) if messages else "does not conform to the data model"


_FAST_CHECKS: tuple[tuple[str, str], ...] = (
    (
        "an organisation has no name (skos:prefLabel, rdfs:label or foaf:name)",
        """SELECT DISTINCT ?s WHERE {
             ?s a/rdfs:subClassOf* org:Organization .
             FILTER NOT EXISTS { ?s skos:prefLabel|rdfs:label|foaf:name ?label }
           } LIMIT 20""",
    ),
    (
        "a person needs exactly one name (foaf:name)",
        """SELECT DISTINCT ?s WHERE {
             ?s a foaf:Person .
             OPTIONAL { ?s foaf:name ?n }
           } GROUP BY ?s HAVING (COUNT(DISTINCT ?n) != 1) LIMIT 20""",
    ),
    (
        "a person's organisation (org:memberOf) is not an organisation of this file or the store",
        """SELECT DISTINCT ?s WHERE {
             ?s org:memberOf ?o .
             FILTER NOT EXISTS { ?o a/rdfs:subClassOf* org:Organization }
           } LIMIT 20""",
    ),
    (
        "a country (cop:country) is not a two-letter ISO code in capitals such as TN",
        """SELECT DISTINCT ?s WHERE {
             ?s cop:country ?c . FILTER(!REGEX(STR(?c), "^[A-Z]{2}$"))
           } LIMIT 20""",
    ),
    (
        "a membership needs exactly one member (org:member)",
        """SELECT DISTINCT ?s WHERE {
             ?s a org:Membership . OPTIONAL { ?s org:member ?m }
           } GROUP BY ?s HAVING (COUNT(DISTINCT ?m) != 1) LIMIT 20""",
    ),
)


def fast_checks(kg: KnowledgeGraph, file: str, store: ox.Store,
                exclude_graphs: Collection[str]) -> list[Problem]:
    """SPARQL checks of a big RDF file loaded in ``store`` (its default graph).

    Adds the ontology and the stored types of the IRIs the file points to, then runs the
    checks of ``_FAST_CHECKS``: a subset of ``shapes.ttl`` (names, affiliations, countries,
    memberships), enough for FOAF/ORG dumps at a fraction of pyshacl's time.
    """
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    store.load(path=str(ONTOLOGY_DIR / "cop.ttl"), format=ox.RdfFormat.TURTLE)
    dangling = store.query(
        prologue + "SELECT DISTINCT ?o WHERE { ?s org:memberOf|org:member|dct:creator ?o "
        "FILTER(isIRI(?o)) FILTER NOT EXISTS { ?o a ?t } }"
    )
    assert isinstance(dangling, ox.QuerySolutions)
    iris = {row[0].value for row in dangling if isinstance(row[0], ox.NamedNode)}
    if iris:
        store.extend(ox.Quad(t.subject, t.predicate, t.object)
                     for t in stored_type_triples(kg, iris, exclude_graphs))
    problems: list[Problem] = []
    for message, query in _FAST_CHECKS:
        found = store.query(prologue + query)
        assert isinstance(found, ox.QuerySolutions)
        for row in found:
            if isinstance(row[0], ox.NamedNode) and row[0].value in iris:
                continue  # a stored resource the file points to: validated when it was imported
            problems.append(Problem(file, f"{row[0]}: {message}"))
    return problems
