"""Erasure (``copkg forget``): remove a person from every graph, keep only a salted hash.

A person is removed with everything that exists because of them: their own statements (names,
affiliation, e-mail...), statements pointing at them (authorship, attendance, ``org:hasMember``),
the membership and participation records that link them, and the row provenance records of all
these. Each source-file graph they were in is marked changed, so re-importing the unchanged file
is checked again and refused while it still names them (:func:`erased_iris`). The erasure record
(an audit activity) keeps the date, the counts and ``sha256(salt + IRI)``, not who it was.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import NotFoundError
from ..i18n import Message
from ..store import KnowledgeGraph
from ..vocab import AUDIT_GRAPH, COP, FOAF, GRAPH, ONTOLOGY_GRAPH
from .audit import Activity, audit_graph_update

__all__ = ["ErasureReport", "any_erasure", "erased_iris", "forget", "resolve_person", "salted_hash"]

#: What each removed statement was, by its predicate (the rest is "other facts").
_WHAT = {
    "http://xmlns.com/foaf/0.1/name": "names",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "names",
    "http://www.w3.org/2000/01/rdf-schema#label": "names",
    "http://www.w3.org/ns/org#memberOf": "affiliations",
    "http://www.w3.org/ns/org#hasMember": "affiliations",
    "http://www.w3.org/ns/org#member": "memberships",
    "http://purl.org/dc/terms/creator": "authorship",
    "https://schema.org/attendee": "participation",
    "https://schema.org/organizer": "participation",
    "https://w3id.org/copkg/ontology#participant": "participation",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "provenance records",
}


@dataclass
class ErasureReport:
    """What :func:`forget` removed: statements per graph and per kind of fact."""

    person: str
    label: str
    by_graph: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    #: Literals elsewhere that contain the name without being only the name: left for a person
    #: to review (a product title such as "Interview with ...").
    left_mentions: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def removed(self) -> int:
        """Statements removed in all graphs."""
        return sum(self.by_graph.values())

    def lines(self, lang: str = "en", *, dry_run: bool = False) -> list[str]:
        """The report as lines of text for the CLI and the app, in ``lang``; ``dry_run``: what
        an erasure would remove."""
        from ..i18n import has, isolate, t

        ident = isolate(_local(self.person), lang)
        if dry_run:
            out = [t("erased.report_would_remove", lang, n=self.removed,
                     name=isolate(self.label, lang), id=ident)]
        elif not self.removed:
            out = [t("erased.report_nothing", lang, name=isolate(self.label, lang))]
        else:
            out = [t("erased.report_removed", lang, n=self.removed,
                     name=isolate(self.label, lang), id=ident)]
        for kind, n in sorted(self.by_kind.items()):
            key = f"audit.kind_{kind.replace(' ', '_')}"
            out.append("  " + t("audit.kind_count", lang, kind=t(key, lang) if has(key) else kind,
                                n=n))
        out += [t("erased.report_graph", lang, graph=isolate(g, lang), n=n)
                for g, n in sorted(self.by_graph.items())]
        for s, p, text in self.left_mentions:
            out.append(t("erased.report_left", lang, subject=isolate(_local(s), lang),
                         property=isolate(_local(p), lang), text=isolate(text, lang)))
        return out


def salted_hash(salt: str, iri: str) -> str:
    """``sha256(salt + iri)`` in hexadecimal: an erasure record's way to recognise an IRI.

    >>> salted_hash("00", "https://w3id.org/copkg/id/person/p1")[:12]
    '03432fb43745'
    """
    return hashlib.sha256(bytes.fromhex(salt) + iri.encode("utf-8")).hexdigest()


_RECORDS = """
SELECT ?when ?salt ?hash WHERE { GRAPH ?audit {
  ?a a cop:ErasureActivity ; prov:startedAtTime ?when ; cop:salt ?salt ; cop:saltedHash ?hash } }"""


def any_erasure(kg: KnowledgeGraph) -> bool:
    """Whether anyone was ever erased from ``kg`` (imports check names only then)."""
    return kg.ask("ASK { GRAPH ?audit { ?a a cop:ErasureActivity } }",
                  {"audit": ox.NamedNode(str(AUDIT_GRAPH))})


def erased_iris(kg: KnowledgeGraph, iris: Iterable[str]) -> dict[str, str]:
    """Which of ``iris`` were erased, with the date of the erasure (``YYYY-MM-DD``).

    >>> kg = KnowledgeGraph.in_memory()
    >>> erased_iris(kg, ["https://w3id.org/copkg/id/person/p1"])
    {}
    """
    records = [(r[0].value[:10], r[1].value, r[2].value)
               for r in kg.select(_RECORDS, {"audit": ox.NamedNode(str(AUDIT_GRAPH))}).rows
               if r[0] is not None and r[1] is not None and r[2] is not None]
    if not records:
        return {}
    found: dict[str, str] = {}
    for iri in set(iris):
        for when, salt, hashed in records:
            if salted_hash(salt, iri) == hashed:
                found[iri] = when
                break
    return found


_NAME_PREDICATES = frozenset(k for k, v in _WHAT.items() if v == "names")
_PEOPLE = """
SELECT ?s ?l WHERE { ?s a foaf:Person . OPTIONAL { ?s foaf:name|skos:prefLabel|rdfs:label ?l } }"""


def resolve_person(kg: KnowledgeGraph, text: str) -> tuple[str, str]:
    """``(IRI, name)`` of the person ``text`` names (id, IRI or name; case and accents
    ignored); :class:`NotFoundError` with the closest people otherwise."""
    import networkx as nx

    from ..analysis.names import resolve

    people = nx.Graph()
    for s, label in kg.select(_PEOPLE).rows:
        if isinstance(s, ox.NamedNode):
            name = label.value if label is not None else _local(s.value)
            if s.value not in people or people.nodes[s.value]["label"] == _local(s.value):
                people.add_node(s.value, label=name)
    if not len(people):
        raise NotFoundError("error.erase_no_people", name=text.strip())
    try:
        iri = resolve(people, text)
    except NotFoundError as exc:
        for kind_iri in _candidate_iris(text):
            when = erased_iris(kg, [kind_iri]).get(kind_iri)
            if when:
                raise NotFoundError("error.erased_on", name=text.strip(), when=when) from None
        if type(exc) is NotFoundError:  # say "no person", not "nothing"
            raise NotFoundError("error.not_called_person", exc.suggestions,
                                name=text.strip()) from None
        raise
    return iri, str(people.nodes[iri]["label"])


# Everything that exists because of the person: themselves, the membership / participation
# records linking them, and the row records those were derived from (unless shared).
_LINKS = """
SELECT DISTINCT ?t ?person WHERE { ?t org:member|cop:participant ?person }"""
# Targets go in as terms pyoxigraph serialised (never user text).
_RECORDS_OF = """
SELECT DISTINCT ?r WHERE {
  VALUES ?t { %s }
  ?t prov:wasDerivedFrom ?r .
  FILTER NOT EXISTS { ?other prov:wasDerivedFrom ?r FILTER(?other NOT IN (%s)) }
}"""
# ``%s`` is a VALUES list of terms pyoxigraph serialised (never user text).
_AS_SUBJECT = "SELECT ?g ?x ?p ?o WHERE { VALUES ?x { %s } GRAPH ?g { ?x ?p ?o } }"
_AS_OBJECT = "SELECT ?g ?s ?p ?x WHERE { VALUES ?x { %s } GRAPH ?g { ?s ?p ?x } }"
_NAMES = """
SELECT DISTINCT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLITERAL(?o)
  && CONTAINS(LCASE(STR(?o)), LCASE(?name))) }"""
_GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_MARK = "SELECT ?h WHERE { GRAPH ?g { ?g cop:sha256 ?h } }"


def forget(kg: KnowledgeGraph, text: str, *, who: str, dry_run: bool = False) -> ErasureReport:
    """Remove the person ``text`` names from every graph of ``kg`` and record the erasure.

    Returns what was removed; with ``dry_run`` nothing is written. The erasure and its audit
    record are one transaction.
    """
    person, label = resolve_person(kg, text)
    report = ErasureReport(person, label)
    p = ox.NamedNode(person)
    targets = [p, *(row[0] for row in kg.select(_LINKS, {"person": p}).rows
                    if isinstance(row[0], ox.NamedNode))]
    values = " ".join(str(t) for t in targets)
    records = [row[0] for row in kg.select(_RECORDS_OF % (values, ", ".join(
        str(t) for t in targets))).rows if isinstance(row[0], ox.NamedNode)]
    # The person's own personal values (e.g. a mailto: IRI) go wherever else they appear too.
    own_objects = [row[0] for row in kg.select(
        "SELECT DISTINCT ?o WHERE { ?person ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), "
        '"mailto:")) }', {"person": p}).rows if isinstance(row[0], ox.NamedNode)]
    names = {row[0].value for row in kg.select(
        "SELECT DISTINCT ?l WHERE { ?person foaf:name|skos:prefLabel|rdfs:label ?l }",
        {"person": p}).rows if row[0] is not None and len(row[0].value.strip()) >= 3}

    removed: dict[str, set[ox.Triple]] = {}
    mentioned = " ".join(str(x) for x in [*targets, *records, *own_objects])
    for query in (_AS_SUBJECT, _AS_OBJECT):
        for g, s, pred, o in kg.select(query % mentioned).rows:
            if g is None or s is None or pred is None or o is None:
                continue
            removed.setdefault(g.value, set()).add(ox.Triple(s, pred, o))  # type: ignore[arg-type]
    for name in sorted(names):
        for g, s, pred, o in kg.select(_NAMES, {"name": name}).rows:
            if g is None or s is None or pred is None or o is None:
                continue
            triple = ox.Triple(s, pred, o)  # type: ignore[arg-type]
            if triple in removed.get(g.value, set()) or g.value == str(ONTOLOGY_GRAPH):
                continue
            exact = o.value.strip().casefold() == name.strip().casefold()
            if exact and pred.value not in _NAME_PREDICATES:  # never another person's name
                removed.setdefault(g.value, set()).add(triple)
            else:
                report.left_mentions.append((s.value, pred.value, o.value))
    removed.pop(str(AUDIT_GRAPH), None)
    for graph_iri, triples in removed.items():
        report.by_graph[graph_iri] = len(triples)
        for t in triples:
            kind = _WHAT.get(t.predicate.value, "other facts")
            if t.subject in records:
                kind = "provenance records"
            elif t.subject in targets and t.subject != p:
                kind = ("memberships" if "/membership/" in str(t.subject) else "participation")
            report.by_kind[kind] += 1
    if dry_run or not removed:
        return report

    graphs: dict[str, list[ox.Triple]] = {}
    mark = ox.NamedNode(str(COP.sha256))
    for graph_iri, triples in removed.items():
        graph = ox.NamedNode(graph_iri)
        kept = [t for t in kg.construct(_GRAPH_TRIPLES, {"g": graph}) if t not in triples]
        if graph_iri.startswith(str(GRAPH)):
            # The graph no longer matches its file: a re-import of that file is checked again
            # (and refused while the file still names the person) instead of skipped as unchanged.
            old = [r[0].value for r in kg.select(_MARK, {"g": graph}).rows if r[0] is not None]
            kept = [t for t in kept if not (t.subject == graph and t.predicate == mark)]
            kept += [ox.Triple(graph, mark, ox.Literal(
                h if h.startswith("erased:") else f"erased:{h}")) for h in old]
        graphs[graph_iri] = kept
    salt = secrets.token_hex(16)
    kinds = ", ".join(f"{k}: {n}" for k, n in sorted(report.by_kind.items()))
    # Counted through the catalogue's plural forms (CLDR): "in 1 graph", "in 2 graphs".
    what = Message("audit.erased", statements=Message("audit.statements", n=report.removed),
                   graphs=Message("audit.graphs", n=len(removed)), kinds=kinds).text("en")
    activity = Activity(
        "erasure", who, what,
        extra={
            str(COP.salt): ox.Literal(salt),
            str(COP.saltedHash): ox.Literal(salted_hash(salt, person)),
            str(COP.removedTriples): ox.Literal(
                str(report.removed),
                datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        },
    )
    graphs.update(audit_graph_update(kg, activity))
    kg.replace_graphs(graphs)
    return report


def _candidate_iris(text: str) -> list[str]:
    from ..vocab import resource_iri, slug

    value = text.strip()
    out = [value] if value.startswith(("http://", "https://")) else []
    if slug(value):
        out.append(str(resource_iri("person", value)))
    return out


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


assert str(FOAF.Person) == "http://xmlns.com/foaf/0.1/Person"
