"""Why a query answered with no rows: the one place that says it, for the CLI (``copkg query``),
the app's saved-query form and the Python API (:func:`~graph.queries.run_saved` puts it in
``df.attrs["empty_reason"]``).

The reasons copkg can know, checked in this order:

1. the knowledge graph holds no data yet (nothing but the ontology);
2. the query needs a kind of resource the store has none of yet (``?x a foaf:Person`` in a
   pattern every row needs — not one inside ``OPTIONAL``, ``MINUS`` or one branch of a
   ``UNION``);
3. a parameter left at its default names a resource this store does not have;
4. the resources named are in the data, but nothing matches them (with the other values given);
5. the values given leave nothing.

Otherwise: the query finds nothing in this store (said as such).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..i18n import format_list, has, label, t
from ..names import ident
from ..vocab import sparql_prologue
from .saved import SavedQuery, _compact

if TYPE_CHECKING:
    from ..store import KnowledgeGraph
    from ..store.sparql import BindingValue

__all__ = ["class_words", "required_classes", "why_empty"]

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_EXISTS = "ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }"
_HAS_CLASS = "ASK { ?s a/rdfs:subClassOf* ?c }"
_LABELS = """
SELECT ?l WHERE { ?x skos:prefLabel|foaf:name|dct:title|schema:name|rdfs:label ?l }"""
#: Classes a reason names with a catalogue word (``empty.class.<local name>``); any other
#: class is named by its ontology label.
_WORDS = {
    "http://xmlns.com/foaf/0.1/Person": "Person",
    "http://www.w3.org/ns/org#Organization": "Organization",
    "https://w3id.org/copkg/ontology#CommunityOfPractice": "CommunityOfPractice",
    "https://w3id.org/copkg/ontology#Event": "Event",
    "https://w3id.org/copkg/ontology#KnowledgeProduct": "KnowledgeProduct",
    "https://w3id.org/copkg/ontology#Platform": "Platform",
}
# rdflib's SPARQL parser is not thread-safe (rdflib #1282): one parse at a time.
_PARSE_LOCK = threading.Lock()


def why_empty(kg: KnowledgeGraph, query: SavedQuery | str,
              values: Mapping[str, str] | None = None,
              bindings: Mapping[str, BindingValue] | None = None, *,
              language: str = "en") -> str:
    """One line, in ``language``, saying why ``query`` (a saved query, or SPARQL text) with
    ``values`` (as typed by a person) and their checked ``bindings`` found no rows in ``kg``.

    >>> from graph import KnowledgeGraph
    >>> from graph.queries import get_query
    >>> print(why_empty(KnowledgeGraph.in_memory(), get_query("coauthors")))
    ... # doctest: +NORMALIZE_WHITESPACE
    The knowledge graph holds no data yet: import spreadsheets or RDF files first (copkg
    import, or the Data page).
    """
    if kg.is_empty():
        return t("empty.store", language)
    text = query.text if isinstance(query, SavedQuery) else query
    saved = query if isinstance(query, SavedQuery) else None
    given = {k: v for k, v in (values or {}).items() if str(v).strip() not in ("", "*")}
    bound = dict(bindings) if bindings is not None else (
        saved.bindings(values) if saved is not None else {})
    missing = [c for c in required_classes(text)
               if not kg.ask(_HAS_CLASS, {"c": ox.NamedNode(c)})]
    if missing:
        return t("empty.no_kind", language,
                 what=format_list(class_words(kg, missing, language), language))
    if saved is not None:
        for p in saved.params:
            value = bound.get(p.name)
            if p.type == "iri" and p.name not in given and isinstance(value, ox.NamedNode) \
                    and not kg.ask(_EXISTS, {"x": value}):
                return t("empty.default_missing", language, param=_param_word(p.name, language),
                         value=_compact(value.value))
    if saved is None:
        return t("empty.nothing", language)
    names: list[str] = []
    chosen: list[str] = []
    for p in saved.params:
        value = bound.get(p.name)
        if p.name == "lang" or value is None:
            continue
        if p.type == "iri" and p.kind and isinstance(value, ox.NamedNode):
            names.append(_resource_label(kg, value.value, language))
        elif p.name in given and str(given[p.name]).strip() != p.default:
            shown = _resource_label(kg, value.value, language) \
                if isinstance(value, ox.NamedNode) else _plain(value)
            if p.type == "country" and isinstance(value, str):  # the code read, named
                shown = _country_label(kg, value, language)
            word = _param_word(p.name, language)
            chosen.append(f"{word[:1].lower()}{word[1:]} {shown}")
    if names and chosen:
        return t("empty.resource_values", language, n=len(names),
                 names=format_list(names, language),
                 values=t("empty.separator", language).join(chosen))
    if names:
        return t("empty.resource", language, n=len(names), names=format_list(names, language))
    if chosen:
        return t("empty.values", language, values=t("empty.separator", language).join(chosen))
    return t("empty.nothing", language)


def required_classes(text: str) -> tuple[str, ...]:
    """Class IRIs of ``?x a C`` patterns that every row of ``text`` needs (outside OPTIONAL,
    MINUS, EXISTS; in a UNION only when both branches need it), in order of appearance.

    >>> required_classes("SELECT ?p WHERE { ?p a foaf:Person OPTIONAL { ?p a cop:Event } }")
    ('http://xmlns.com/foaf/0.1/Person',)
    """
    return _required(sparql_prologue() + "\n" + text)


@lru_cache(maxsize=256)
def _required(text: str) -> tuple[str, ...]:
    from rdflib.plugins.sparql import prepareQuery

    try:
        with _PARSE_LOCK:
            algebra = prepareQuery(text).algebra
    except Exception:  # noqa: BLE001 - rdflib raises many kinds; an unparsable query names none
        return ()
    found: list[str] = []
    _walk(algebra, found)
    return tuple(dict.fromkeys(found))


def _walk(node: Any, out: list[str]) -> None:
    from rdflib import URIRef
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return
    if node.name == "BGP":
        out.extend(str(o) for _s, p, o in node.triples
                   if str(p) == _RDF_TYPE and isinstance(o, URIRef))
        return
    if node.name in ("LeftJoin", "Minus"):
        _walk(node.p1, out)
        return
    if node.name == "Union":
        left: list[str] = []
        right: list[str] = []
        _walk(node.p1, left)
        _walk(node.p2, right)
        out.extend(c for c in left if c in right)
        return
    for key in ("p", "p1", "p2"):
        if key in node:
            _walk(node[key], out)


def class_words(kg: KnowledgeGraph, classes: list[str], language: str) -> list[str]:
    """How a person names each class: a catalogue word (``people``), else its ontology label.

    >>> from graph import KnowledgeGraph
    >>> class_words(KnowledgeGraph.in_memory(), ["http://xmlns.com/foaf/0.1/Person"], "fr")
    ['personnes']
    """
    out = []
    for c in classes:
        word = _WORDS.get(c)
        if word and has(f"empty.class.{word}"):
            out.append(t(f"empty.class.{word}", language))
        else:
            out.append(_resource_label(kg, c, language))
    return out


def _resource_label(kg: KnowledgeGraph, iri: str, language: str) -> str:
    labels: dict[str, str] = {}
    for (lit,) in kg.select(_LABELS, {"x": ox.NamedNode(iri)}).rows:
        if isinstance(lit, ox.Literal):
            labels.setdefault(lit.language or "", lit.value)
    return label(labels, language, default=ident(iri) if iri.startswith("https://w3id.org/copkg/id/")
                 else _compact(iri))


def _country_label(kg: KnowledgeGraph, code: str, language: str) -> str:
    """Country ``code`` as the reader calls it (:func:`graph.countries.country_label`)."""
    from ..countries import country_label
    from ..network.cache import incidence
    from ..network.projections import country_members

    return country_label(code, language, country_members(incidence(kg)))


def _param_word(name: str, language: str) -> str:
    return t(f"param.{name}", language) if has(f"param.{name}") else name


def _plain(value: object) -> str:
    if isinstance(value, ox.Literal):
        return value.value
    return str(value)
