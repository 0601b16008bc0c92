"""Partners' vocabularies understood through the ontology: canonical types materialised at import.

copkg's queries, projections and shapes use a few *canonical* classes and properties (the
``sh:targetClass`` classes and ``sh:path`` properties of ``shapes.ttl``: ``org:Organization``,
``foaf:Person``, ``cop:KnowledgeProduct``, ``dct:creator``...). A partner's file may say
``org:FormalOrganization``, ``schema:Organization`` or ``foaf:Document`` with ``foaf:maker``
instead. The declarations of ``ontology/*.ttl`` (``rdfs:subClassOf``, ``owl:equivalentClass``,
``rdfs:subPropertyOf``, ``owl:equivalentProperty``, and subclass axioms on "a class with at least
one P") say how they relate; :func:`materialise` adds the canonical triples a file implies to a
separate graph, so what was inferred stays told apart from what the partner wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from ..config import ontology_files
from .shacl import shapes

__all__ = ["Rules", "materialise", "rules"]

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_TYPE = f"<{_RDF}type>"


@dataclass(frozen=True)
class Rules:
    """What to infer: canonical class → classes implying it; the same for properties; and
    ``(class implied, classes of the base, properties each needing a value)`` restrictions."""

    classes: dict[str, frozenset[str]]
    properties: dict[str, frozenset[str]]
    restrictions: tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The inference rules of the ontology files (read once).

    >>> r = rules()
    >>> "http://www.w3.org/ns/org#FormalOrganization" in r.classes[
    ...     "http://www.w3.org/ns/org#Organization"]
    True
    """
    store = ox.Store()
    for path in ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    canonical_classes = {c.target_class for c in shapes()}
    canonical_props = {c.path for c in shapes()}
    sub_classes = _edges(store, f"{_RDFS}subClassOf", f"{_OWL}equivalentClass")
    sub_props = _edges(store, f"{_RDFS}subPropertyOf", f"{_OWL}equivalentProperty")
    classes = {c: frozenset(_below(sub_classes, c)) for c in canonical_classes}
    properties = {p: frozenset(_below(sub_props, p)) for p in canonical_props}
    restrictions = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(f"{_RDFS}subClassOf"), None):
        parts = _intersection(store, quad.subject)
        implied = quad.object
        if parts is None or not isinstance(implied, ox.NamedNode):
            continue
        bases = [p for p in parts if isinstance(p, str)]
        needs = tuple(p[1] for p in parts if isinstance(p, tuple))
        if len(bases) == 1 and needs:
            base = bases[0]
            restrictions.append((implied.value, frozenset({base, *_below(sub_classes, base)}),
                                 needs))
    return Rules(
        {c: s for c, s in classes.items() if s},
        {p: s for p, s in properties.items() if s},
        tuple(sorted(restrictions)),
    )


def materialise(store: ox.Store, source: ox.NamedNode, into: ox.NamedNode) -> int:
    """Add to graph ``into`` of ``store`` the canonical triples that graph ``source`` implies.

    Runs the rules of :func:`rules` until nothing new is inferred; returns how many triples
    ``into`` holds.

    >>> store, g, inf = ox.Store(), ox.NamedNode("http://g"), ox.NamedNode("http://g/inferred")
    >>> unit = ox.NamedNode("http://example.org/unit")
    >>> store.add(ox.Quad(unit, ox.NamedNode(_RDF + "type"),
    ...                   ox.NamedNode("http://www.w3.org/ns/org#OrganizationalUnit"), g))
    >>> materialise(store, g, inf)
    1
    >>> [str(q.object) for q in store.quads_for_pattern(None, None, None, inf)]
    ['<http://www.w3.org/ns/org#Organization>']
    """
    r = rules()
    scope = f"FILTER(?g = {source} || ?g = {into})"
    absent = "FILTER NOT EXISTS {{ GRAPH ?h {{ {triple} }} FILTER(?h = {source} || ?h = {into}) }}"
    statements = []
    for prop, subs in sorted(r.properties.items()):
        statements.append(
            f"INSERT {{ GRAPH {into} {{ ?s <{prop}> ?o }} }} WHERE {{ "
            f"GRAPH ?g {{ ?s ?q ?o }} VALUES ?q {{ {_terms(subs)} }} {scope} "
            + absent.format(triple=f"?s <{prop}> ?o", source=source, into=into) + " }"
        )
    for cls, subs in sorted(r.classes.items()):
        statements.append(
            f"INSERT {{ GRAPH {into} {{ ?s {_TYPE} <{cls}> }} }} WHERE {{ "
            f"GRAPH ?g {{ ?s {_TYPE} ?x }} VALUES ?x {{ {_terms(subs)} }} {scope} "
            + absent.format(triple=f"?s {_TYPE} <{cls}>", source=source, into=into) + " }"
        )
    for implied, bases, needs in r.restrictions:
        has = " ".join(
            f"GRAPH ?g{i} {{ ?s <{p}> ?v{i} }} FILTER(?g{i} = {source} || ?g{i} = {into})"
            for i, p in enumerate(needs)
        )
        statements.append(
            f"INSERT {{ GRAPH {into} {{ ?s {_TYPE} <{implied}> }} }} WHERE {{ "
            f"GRAPH ?g {{ ?s {_TYPE} ?x }} VALUES ?x {{ {_terms(bases)} }} {scope} {has} "
            + absent.format(triple=f"?s {_TYPE} <{implied}>", source=source, into=into) + " }"
        )
    count = -1
    for _ in range(6):  # each round may enable another rule (a maker → a creator → a product)
        for statement in statements:
            store.update(statement)
        now = sum(1 for _ in store.quads_for_pattern(None, None, None, into))
        if now == count:
            break
        count = now
    return count


def _terms(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in sorted(iris))


def _edges(store: ox.Store, sub: str, equivalent: str) -> dict[str, set[str]]:
    """``super → {direct subs}`` from subclass (or subproperty) and equivalence declarations."""
    below: dict[str, set[str]] = defaultdict(set)
    for q in store.quads_for_pattern(None, ox.NamedNode(sub), None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            below[q.object.value].add(q.subject.value)
    for q in store.quads_for_pattern(None, ox.NamedNode(equivalent), None):
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
            below[q.object.value].add(q.subject.value)
            below[q.subject.value].add(q.object.value)
    return below


def _below(edges: dict[str, set[str]], top: str) -> set[str]:
    seen: set[str] = set()
    todo = [top]
    while todo:
        for sub in edges.get(todo.pop(), ()):
            if sub not in seen and sub != top:
                seen.add(sub)
                todo.append(sub)
    return seen


def _intersection(
    store: ox.Store, node: ox.NamedNode | ox.BlankNode | ox.Triple,
) -> list[str | tuple[str, str]] | None:
    """The members of ``node owl:intersectionOf (...)``: class IRIs, and ``("min1", P)`` for a
    restriction "at least one value of P" (``owl:minCardinality 1`` or ``owl:someValuesFrom
    owl:Thing``); None if ``node`` is not such an intersection."""
    if not isinstance(node, ox.BlankNode):
        return None
    heads = [q.object for q in store.quads_for_pattern(node, ox.NamedNode(f"{_OWL}intersectionOf"),
                                                       None)]
    if len(heads) != 1:
        return None
    parts: list[str | tuple[str, str]] = []
    item: object = heads[0]
    while isinstance(item, ox.BlankNode):
        first = next(iter(store.quads_for_pattern(item, ox.NamedNode(f"{_RDF}first"), None)))
        member = first.object
        if isinstance(member, ox.NamedNode):
            parts.append(member.value)
        elif isinstance(member, ox.BlankNode):
            facts = {q.predicate.value: q.object
                     for q in store.quads_for_pattern(member, None, None)}
            prop = facts.get(f"{_OWL}onProperty")
            at_least_one = (
                getattr(facts.get(f"{_OWL}minCardinality"), "value", None) == "1"
                or getattr(facts.get(f"{_OWL}someValuesFrom"), "value", None) == f"{_OWL}Thing"
            )
            if not isinstance(prop, ox.NamedNode) or not at_least_one:
                return None
            parts.append(("min1", prop.value))
        else:
            return None
        item = next(iter(store.quads_for_pattern(item, ox.NamedNode(f"{_RDF}rest"), None))).object
    return parts
