"""Who took part in what: the incidence lists every projection is built from.

A handful of simple SPARQL SELECTs (one per fact), read as pyoxigraph terms and turned into
plain strings. Pairs are never generated in SPARQL: a co-attendance self-join grows with the
square of the attendance; Python builds them from these lists instead (see ``projections``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..store import KnowledgeGraph
from ..text import neutralise_bidi

__all__ = ["Incidence", "Item", "load_incidence"]

_LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://xmlns.com/foaf/0.1/name",
    "http://purl.org/dc/terms/title",
    "https://schema.org/name",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
_COP = "https://w3id.org/copkg/ontology#"
_TYPE_WORDS = {
    "Report": "report",
    "Toolkit": "toolkit",
    "CaseStudy": "case-study",
    "PolicyNote": "policy-note",
    "Dataset": "dataset",
    "Training": "training",
    "Session": "session",
    "DialogueEvent": "dialogue",
    "Workshop": "workshop",
    "Conference": "conference",
    "StudyTour": "study-tour",
}


@dataclass
class Item:
    """A product or an event (or a community, for community ties) and who took part in it."""

    iri: str
    kind: str  # "product" | "event" | "community"
    year: int | None = None
    type: str = ""
    country: str = ""
    communities: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)


@dataclass
class Incidence:
    """Everything the projections need, as Python strings (IRIs) and ints."""

    people: set[str] = field(default_factory=set)
    organizations: set[str] = field(default_factory=set)
    communities: set[str] = field(default_factory=set)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    country: dict[str, str] = field(default_factory=dict)
    org_type: dict[str, str] = field(default_factory=dict)
    affiliation: dict[str, str] = field(default_factory=dict)
    #: person IRI -> every organisation they are affiliated with (``affiliation`` keeps one)
    affiliations: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: organisation IRI -> the organisations it is a unit of (org:unitOf, org:subOrganizationOf,
    #: inverse org:hasUnit / org:hasSubOrganization)
    parents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: organisations that are governments (member states): cop:Government or type "government"
    governments: set[str] = field(default_factory=set)
    #: ISO code -> the government that is a member of the platform for that country (its
    #: labels name the country everywhere: :func:`graph.countries.country_label`)
    country_member: dict[str, str] = field(default_factory=dict)
    illustrative: set[str] = field(default_factory=set)
    themes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    community_theme: dict[str, str] = field(default_factory=dict)
    community_year: dict[str, int] = field(default_factory=dict)
    #: community IRI -> {member IRI: since year or None}
    members: dict[str, dict[str, int | None]] = field(default_factory=lambda: defaultdict(dict))
    products: dict[str, Item] = field(default_factory=dict)
    events: dict[str, Item] = field(default_factory=dict)
    _community_index: dict[str, set[str]] | None = field(default=None, repr=False)

    def label(self, iri: str, language: str = "en") -> str:
        """The best label of ``iri`` (asked language, then en, then any), else its last segment."""
        labels = self.labels.get(iri)
        if labels:
            return labels.get(language) or labels.get("en") or labels.get("") or next(
                iter(labels.values())
            )
        return iri.rstrip("/").rsplit("/", 1)[-1]

    def actor_country(self, actor: str) -> str:
        """An actor's country; a person without one takes their organisation's."""
        code = self.country.get(actor, "")
        if not code and actor in self.people:
            code = self.country.get(self.affiliation.get(actor, ""), "")
        return code

    def member_communities(self, actor: str) -> tuple[str, ...]:
        """Communities ``actor`` belongs to (an organisation: also those of its people)."""
        if self._community_index is None:
            index: dict[str, set[str]] = defaultdict(set)
            for community, members in self.members.items():
                for member in members:
                    index[member].add(community)
                    org = self.affiliation.get(member)
                    if org:
                        index[org].add(community)
            self._community_index = index
        return tuple(sorted(self._community_index.get(actor, ())))


def load_incidence(kg: KnowledgeGraph) -> Incidence:
    """Read people, organisations, communities, products, events and their links from ``kg``."""
    data = Incidence()
    people: set[str] = set()
    orgs: set[str] = set()
    for (s,) in _rows(kg, _COMMUNITIES):
        data.communities.add(s)
    for (s,) in _rows(kg, _ORGANIZATIONS):
        orgs.add(s)
    for (s,) in _rows(kg, _PEOPLE):
        people.add(s)
    orgs -= data.communities
    data.organizations = orgs
    data.people = people - orgs - data.communities

    for s, o in sorted(_rows(kg, _AFFILIATION)):
        if s in data.people and o in orgs:
            data.affiliations[s].add(o)
            if s not in data.affiliation:
                data.affiliation[s] = o
    for child, parent in _rows(kg, _UNITS):
        if child in orgs and parent in orgs and child != parent:
            data.parents[child].add(parent)
    for (s,) in _rows(kg, _GOVERNMENTS):
        if s in orgs:
            data.governments.add(s)
    for s, code in _rows(kg, "SELECT ?s ?c WHERE { ?s cop:country ?c }"):
        data.country.setdefault(s, code.strip().upper())
    # A government that is itself a unit of another (a ministry) does not stand for its
    # country when the government is a member too; otherwise the first by IRI.
    for s, code in sorted(_rows(kg, _COUNTRY_MEMBERS),
                          key=lambda r: (bool(data.parents.get(r[0])), r[0])):
        if s in data.governments and code:
            data.country_member.setdefault(code.strip().upper(), s)
    for s, word in _rows(kg, "SELECT ?s ?t WHERE { ?s cop:organizationType ?t }"):
        data.org_type.setdefault(s, word.strip().lower())
    for (s,) in _rows(
        kg, "SELECT ?s WHERE { ?s cop:illustrative ?b FILTER(str(?b) IN ('true', '1')) }"
    ):
        data.illustrative.add(s)
    for s, theme in _rows(kg, "SELECT ?s ?t WHERE { ?s schema:knowsAbout|dct:subject ?t }"):
        data.themes[s].add(theme)
    for c, theme in sorted(_rows(kg, _COMMUNITY_THEME)):
        data.community_theme.setdefault(c, theme)
    for c, launched in _rows(kg, "SELECT ?c ?y WHERE { ?c cop:launched ?y }"):
        year = _year(launched)
        if year is not None:
            data.community_year[c] = year
    _load_labels(kg, data)

    actors = data.people | orgs
    for query in _MEMBERSHIPS:
        for member, community, since in _rows(kg, query):
            if community in data.communities and member in actors:
                data.members[community].setdefault(member, _year(since))

    for item, actor, issued, community in _rows(kg, _PRODUCTS):
        product = data.products.get(item)
        if product is None:
            product = data.products[item] = Item(item, "product", _year(issued))
        product.actors.add(actor)
        if community:
            product.communities.add(community)
    for item, actor, start, community, country in _rows(kg, _EVENTS):
        event = data.events.get(item)
        if event is None:
            event = data.events[item] = Item(item, "event", _year(start), country=country or "")
        event.actors.add(actor)
        if community:
            event.communities.add(community)
    for item, cls in _rows(kg, "SELECT ?s ?c WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), ?ns)) }",
                           {"ns": _COP}):
        word = _TYPE_WORDS.get(cls[len(_COP):])
        thing = data.products.get(item) or data.events.get(item)
        if word and thing is not None and not thing.type:
            thing.type = word
    return data


# People: typed, or third-party FOAF/ORG data (a name, an affiliation, listed as a member).
_PEOPLE = """
SELECT DISTINCT ?s WHERE {
  { ?s a foaf:Person } UNION { ?s foaf:name ?n } UNION { ?s org:memberOf ?o }
  UNION { ?o org:hasMember ?s } UNION { ?x dct:creator ?s } UNION { ?x schema:attendee ?s }
}"""
_ORGANIZATIONS = """
SELECT DISTINCT ?s WHERE {
  { ?s a/rdfs:subClassOf* org:Organization } UNION { ?s a foaf:Organization }
  UNION { ?x org:memberOf ?s } UNION { ?s org:hasMember ?x }
}"""
_COMMUNITIES = "SELECT DISTINCT ?s WHERE { ?s a cop:CommunityOfPractice }"
_COMMUNITY_THEME = "SELECT ?c ?t WHERE { ?c a cop:CommunityOfPractice ; dct:subject ?t }"
_AFFILIATION = """
SELECT ?s ?o WHERE { ?s org:memberOf|^org:hasMember ?o FILTER NOT EXISTS {
  ?o a cop:CommunityOfPractice } }"""
_UNITS = """
SELECT ?child ?parent WHERE {
  { ?child org:unitOf|org:subOrganizationOf ?parent }
  UNION { ?parent org:hasUnit|org:hasSubOrganization ?child } }"""
_GOVERNMENTS = """
SELECT DISTINCT ?s WHERE {
  { ?s a cop:Government } UNION { ?s cop:organizationType "government" } }"""
_COUNTRY_MEMBERS = """
SELECT DISTINCT ?s ?c WHERE {
  ?ms org:organization ?platform ; org:member ?s ; org:role cop:MemberRole .
  ?platform a cop:Platform .
  ?s cop:country ?c }"""
_MEMBERSHIPS = (
    "SELECT ?m ?c ?since WHERE { ?ms org:organization ?c ; org:member ?m "
    "OPTIONAL { ?ms cop:since ?since } }",
    "SELECT ?m ?c ?since WHERE { { ?m org:memberOf ?c } UNION { ?c org:hasMember ?m } "
    "?c a cop:CommunityOfPractice }",
)
_PRODUCTS = """
SELECT ?item ?actor ?issued ?community WHERE {
  ?item dct:creator ?actor
  OPTIONAL { ?item dct:issued ?issued }
  OPTIONAL { ?item cop:community ?community }
}"""
_EVENTS = """
SELECT ?item ?actor ?start ?community ?country WHERE {
  ?item schema:attendee ?actor
  OPTIONAL { ?item schema:startDate ?start }
  OPTIONAL { ?item cop:community ?community }
  OPTIONAL { ?item cop:country ?country }
}"""


def _rows(
    kg: KnowledgeGraph, sparql: str, bindings: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Rows as tuples of strings (IRIs and literal values); unbound stays ``None``."""
    result = kg.select(sparql, bindings)
    return [tuple(None if t is None else t.value for t in row) for row in result.rows]


def _load_labels(kg: KnowledgeGraph, data: Incidence) -> None:
    result = kg.select(
        "SELECT ?s ?p ?l WHERE { VALUES ?p { skos:prefLabel foaf:name dct:title schema:name "
        "rdfs:label } ?s ?p ?l }"
    )
    rank = {p: i for i, p in enumerate(_LABEL_PROPERTIES)}
    best: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    for s, p, lit in result.rows:
        if s is None or p is None or not isinstance(lit, ox.Literal):
            continue
        order = rank.get(p.value, 9)
        lang = lit.language or ""
        slot = best[s.value]
        current = slot.get(lang)
        if current is None or (order, lit.value) < current:
            slot[lang] = (order, lit.value)
    for iri, langs in best.items():
        top = min(order for order, _ in langs.values())
        # Only the best property counts (skos:prefLabel beats foaf:name beats rdfs:label).
        data.labels[iri] = {  # names are shown: bidirectional controls made visible
            lang: neutralise_bidi(value)
            for lang, (order, value) in sorted(langs.items()) if order == top
        }


def _year(text: str | None) -> int | None:
    if not text:
        return None
    head = text.strip()[:4]
    return int(head) if head.isdigit() else None
