"""Collaboration networks projected from the knowledge graph, every edge with its evidence.

Edge weight (how much two actors share) is a plain count a program manager can check::

    weight = 1 × products co-authored + 1 × events attended together
             + 0.5 × communities shared (only when "community" ties are asked for)

Counting each shared product and event once (not Newman's 1/(n-1)) keeps the number readable
("2 reports and 3 workshops together") and equals ``nx.bipartite.weighted_projected_graph``.
Community ties are off by default (see :data:`~graph.network.filters.DEFAULT_TIES`) and weigh
half: being listed in the same community is weaker evidence than working on the same report.
In ``organizations`` and ``countries`` a product or event counts once per pair, however many
people of each side took part. Nodes and edges are added in sorted order, so every result
(and every seeded algorithm run on it) is deterministic.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import combinations
from typing import Any

import networkx as nx

from ..countries import country_label
from ..errors import CopkgError
from ..i18n import LANGUAGES
from ..store import KnowledgeGraph
from .empty import why_no_nodes
from .filters import Filters, resolve_filters
from .incidence import Incidence, Item
from .years import actor_years

__all__ = [
    "ONE_MODE", "PROJECTIONS", "TIE_WEIGHTS", "build_projection", "country_members",
    "group_labels", "item_actors", "project",
]

PROJECTIONS = (
    "people",
    "organizations",
    "countries",
    "organization-community",
    "person-event",
    "person-product",
)

#: Weight one shared item adds to an edge, by kind of tie.
TIE_WEIGHTS = {"coauthorship": 1.0, "event": 1.0, "community": 0.5}
_TIE_OF_KIND = {"product": "coauthorship", "event": "event", "community": "community"}


def build_projection(
    kg: KnowledgeGraph, name: str, filters: Filters | None = None
) -> nx.Graph:
    """The network ``name`` (one of :data:`PROJECTIONS`) of ``kg``, restricted by ``filters``.

    The result is shared (cached per store state): treat it as read-only, copy it to change
    it. Nodes are keyed by IRI (``"country:TN"`` in the country projection) and carry ``label``,
    ``labels``, ``kind``, ``type``, ``country``, ``organization``, ``communities``, ``themes``,
    ``illustrative`` (and ``bipartite`` on two-mode views). Edges carry ``weight``, ``ties``
    (kind of tie → count) and ``evidence`` (``{"kind", "iri", "label", "year"}`` dicts).

    >>> from graph import KnowledgeGraph
    >>> G = build_projection(KnowledgeGraph.in_memory(), "people")
    >>> G.number_of_nodes(), G.graph["projection"]
    (0, 'people')
    """
    from . import cache

    def build() -> nx.Graph:
        with _no_gc():
            data = cache.incidence(kg)
        return project(data, name, filters)

    if name not in PROJECTIONS:
        raise CopkgError("error.unknown_projection", name=name, choices=list(PROJECTIONS))
    # Built once per store state and reused across calls and processes (graph.network.cache).
    return cache.cached(kg, name, filters, build)


def project(data: Incidence, name: str, filters: Filters | None = None) -> nx.Graph:
    """:func:`build_projection` from already loaded incidence lists."""
    f = resolve_filters(filters or Filters(), data)
    with _no_gc():
        return _project(data, name, f)


@contextmanager
def _no_gc() -> Iterator[None]:
    # Hundreds of thousands of small dicts trigger the cyclic GC again and again (~40% of the
    # build time on 20k experts); they hold no cycles, so pause it while building.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _project(data: Incidence, name: str, f: Filters) -> nx.Graph:
    builders: dict[str, Callable[[Incidence, Filters], nx.Graph]] = {
        "people": _people,
        "organizations": _organizations,
        "countries": _countries,
        "organization-community": _organization_community,
        "person-event": lambda d, ff: _person_items(d, ff, "event"),
        "person-product": lambda d, ff: _person_items(d, ff, "product"),
    }
    if name not in builders:
        raise CopkgError("error.unknown_projection", name=name, choices=list(PROJECTIONS))
    G = builders[name](data, f)
    G.graph["projection"] = name
    G.graph["filters"] = f
    # Labels (language → text) of the themes, communities and organisations nodes refer to,
    # and of countries under "country:XX" where a government organisation stands for the
    # country (the platform's own name for it, e.g. "Palestinian Authority"), for legends.
    G.graph["labels"] = {
        iri: _labels(data, iri)
        for iri in sorted({t for ts in data.themes.values() for t in ts} | data.communities
                          | {data.affiliation[n] for n in G if data.affiliation.get(n)})
    }
    G.graph["labels"].update(_country_labels(data))
    if G.number_of_nodes() == 0:  # why, as data (graph.network.empty says it in a language)
        G.graph["empty"] = why_no_nodes(data, name, f)
    if f.year_from is not None or f.year_to is not None:
        # A year range with no dated product or event at all: say so, with the data's range.
        dated = [i.year for pool in (data.products, data.events) for i in pool.values()
                 if i.year is not None]
        if not any(f.year_ok(y) for y in dated):
            G.graph["no_activity"] = {"first": min(dated, default=None),
                                      "last": max(dated, default=None)}
    return G


def _country_labels(data: Incidence) -> dict[str, dict[str, str]]:
    """``country:XX`` → labels of the platform member standing for country XX, when it has one
    (:func:`country_members`)."""
    return {f"country:{code}": labels for code, labels in country_members(data).items()}


def country_members(data: Incidence) -> dict[str, dict[str, str]]:
    """ISO code → labels of the government that is the platform's member for that country:
    what :func:`graph.countries.country_label` names the country by.

    >>> from graph.network import Incidence
    >>> data = Incidence(labels={"id:ps": {"en": "Palestinian Authority"}},
    ...                  country_member={"PS": "id:ps"})
    >>> country_members(data)
    {'PS': {'en': 'Palestinian Authority'}}
    """
    return {code: _labels(data, org) for code, org in sorted(data.country_member.items())}


def group_labels(G: nx.Graph, language: str = "en") -> dict[str, str]:
    """Labels of the communities and themes ``G``'s nodes refer to, in ``language`` (else en).

    >>> G = nx.Graph(labels={"id:c": {"en": "Transport", "fr": "Transports"}})
    >>> group_labels(G, "fr")
    {'id:c': 'Transports'}
    """
    out = {}
    for iri, names in G.graph.get("labels", {}).items():
        if isinstance(names, str):
            out[iri] = names
        else:
            out[iri] = names.get(language) or names.get("en") or next(iter(names.values()), iri)
    return out


# ----------------------------------------------------------------------------- one-mode views
ONE_MODE = ("people", "organizations", "countries")
"""Projections whose nodes are actors (or their countries) tied through shared items."""


def item_actors(
    data: Incidence, name: str, filters: Filters | None = None
) -> tuple[list[str], list[tuple[Item, list[str]]]]:
    """The nodes of the one-mode projection ``name`` and, for every product, event (and
    community, with community ties) the filters keep, the nodes that took part in it.

    This is what :func:`project` turns into ties; trends and integration read activity from
    the same lists, so "active" and "tied" use one definition. With a year range, the nodes
    are the actors **active** in it (:func:`graph.network.years.actor_years`: they took part
    in a product or event of those years), as trends counts them — a community's members
    with nothing in the range are not part of its network then. ``filters`` are taken as
    given (:func:`project` resolves names first: do the same with ``resolve_filters``).

    >>> from graph.network.incidence import Item
    >>> d = Incidence(people={"p1", "p2"}, country={"p1": "TN", "p2": "FR"})
    >>> d.products["k"] = Item("k", "product", 2015, actors={"p1", "p2"})
    >>> nodes, by_item = item_actors(d, "countries")
    >>> nodes, [(item.iri, actors) for item, actors in by_item]
    (['country:FR', 'country:TN'], [('k', ['country:FR', 'country:TN'])])
    """
    f = filters or Filters()
    if name not in ONE_MODE:
        raise CopkgError("error.not_actors", name=name, choices=list(ONE_MODE))
    items = _items(data, f, f.ties)
    if name == "people":
        nodes = {p for p in data.people if _person_ok(data, f, p)}
        if f.community_iris:
            involved = {a for item in items for a in item.actors}
            involved |= {m for c in f.community_iris for m in data.members.get(c, {})}
            nodes &= involved
        return _active(f, sorted(nodes), [(item, sorted(item.actors & nodes)) for item in items])
    if name == "organizations":
        orgs = {o for o in data.organizations if _org_ok(data, f, o)}

        def orgs_of(actors: Iterable[str]) -> list[str]:
            out = set()
            for a in actors:
                org = a if a in data.organizations else data.affiliation.get(a)
                if org in orgs and (org == a or _person_ok(data, f, a)):
                    out.add(org)
            return sorted(out)

        by_item = [(item, orgs_of(item.actors)) for item in items]
        if f.community_iris:
            involved = {o for _, os in by_item for o in os}
            involved |= set(orgs_of(m for c in f.community_iris
                                    for m in data.members.get(c, {})))
            orgs &= involved
        return _active(f, sorted(orgs), by_item)

    def countries_of(actors: Iterable[str]) -> list[str]:
        out = set()
        for a in actors:
            ok = _org_ok(data, f, a) if a in data.organizations else _person_ok(data, f, a)
            code = data.actor_country(a)
            if ok and code:
                out.add("country:" + code)
        return sorted(out)

    by_item = [(item, countries_of(item.actors)) for item in items]
    if f.community_iris:
        countries = {c for _, cs in by_item for c in cs}
        countries |= set(countries_of(m for c in f.community_iris
                                      for m in data.members.get(c, {})))
    else:
        countries = set(countries_of(data.people | data.organizations))
    return _active(f, sorted(countries), by_item)


def _active(f: Filters, nodes: list[str], by_item: list[tuple[Item, list[str]]],
            ) -> tuple[list[str], list[tuple[Item, list[str]]]]:
    """With a year range, only the actors active in it (the items are already those of the
    range); without one, every actor the other filters keep."""
    if f.year_from is None and f.year_to is None:
        return nodes, by_item
    active = actor_years(by_item)
    return ([n for n in nodes if n in active],
            [(item, [a for a in actors if a in active]) for item, actors in by_item])


def _people(data: Incidence, f: Filters) -> nx.Graph:
    return _one_mode(data, f, "people", _actor_attrs)


def _organizations(data: Incidence, f: Filters) -> nx.Graph:
    return _one_mode(data, f, "organizations", _actor_attrs)


def _countries(data: Incidence, f: Filters) -> nx.Graph:
    return _one_mode(data, f, "countries", _country_attrs)


def _one_mode(data: Incidence, f: Filters, name: str,
              attrs: Callable[[Incidence, str], dict[str, Any]]) -> nx.Graph:
    nodes, by_item = item_actors(data, name, f)
    G = _graph(data, nodes, _pairs(by_item), attrs)
    # When each actor was active (graph.network.years.active_years): the year slider and
    # the year steps of maps read it, as trends does.
    G.graph["active_years"] = actor_years(by_item)
    return G


def _items(data: Incidence, f: Filters, ties: Iterable[str]) -> list[Item]:
    """Products, events and communities kept by the filters, in a fixed order."""
    items: list[Item] = []
    ties = set(ties)
    for tie, pool in (("coauthorship", data.products), ("event", data.events)):
        if tie in ties:
            items.extend(
                pool[iri]
                for iri in sorted(pool)
                if f.year_ok(pool[iri].year)
                and (not f.community_iris or pool[iri].communities & f.community_iris)
            )
    if "community" in ties:
        for c in sorted(data.members):
            if not f.community_iris or c in f.community_iris:
                items.append(
                    Item(c, "community", data.community_year.get(c), actors=set(data.members[c]))
                )
    return items


def _pairs(
    incidences: Iterable[tuple[Item, list[str]]],
) -> dict[tuple[str, str], tuple[dict[str, int], list[dict[str, Any]]]]:
    """Every pair of actors sharing an item, with tie counts and evidence (insertion-ordered)."""
    pairs: dict[tuple[str, str], tuple[dict[str, int], list[dict[str, Any]]]] = {}
    for item, actors in incidences:
        if len(actors) < 2:
            continue
        tie = _TIE_OF_KIND[item.kind]
        evidence = {"kind": item.kind, "iri": item.iri, "label": "", "year": item.year}
        for pair in combinations(actors, 2):
            record = pairs.get(pair)
            if record is None:
                record = pairs[pair] = ({}, [])
            record[0][tie] = record[0].get(tie, 0) + 1
            record[1].append(evidence)
    return pairs


def _graph(
    data: Incidence,
    nodes: list[str],
    pairs: dict[tuple[str, str], tuple[dict[str, int], list[dict[str, Any]]]],
    attrs: Callable[[Incidence, str], dict[str, Any]],
) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from((n, attrs(data, n)) for n in nodes)
    label_cache: dict[str, str] = {}
    edges = []
    for (a, b) in sorted(pairs):
        ties, evidence = pairs[(a, b)]
        for ev in evidence:
            if not ev["label"]:
                iri = ev["iri"]
                ev["label"] = label_cache.get(iri) or label_cache.setdefault(iri, data.label(iri))
        if len(ties) == 1:
            ((tie, count),) = ties.items()
            weight = TIE_WEIGHTS[tie] * count
        else:
            ties = dict(sorted(ties.items()))
            weight = sum(TIE_WEIGHTS[t] * n for t, n in ties.items())
        edges.append((a, b, {"weight": weight, "ties": ties, "evidence": evidence}))
    G.add_edges_from(edges)
    return G


# ----------------------------------------------------------------------------- two-mode views
def _person_items(data: Incidence, f: Filters, kind: str) -> nx.Graph:
    pool = data.events if kind == "event" else data.products
    tie = _TIE_OF_KIND[kind]
    items = _items(data, f, [tie])
    people = {p for p in data.people if _person_ok(data, f, p)}
    edges = []
    for item in items:
        for p in sorted(item.actors & people):
            ev = {"kind": kind, "iri": item.iri, "label": data.label(item.iri), "year": item.year}
            edges.append((p, item.iri, {"weight": 1.0, "ties": {tie: 1}, "evidence": [ev]}))
    used_people = sorted({e[0] for e in edges})
    used_items = sorted({e[1] for e in edges})
    G = nx.Graph()
    G.add_nodes_from((p, {**_actor_attrs(data, p), "bipartite": 0}) for p in used_people)
    G.add_nodes_from((i, {**_item_attrs(data, pool[i]), "bipartite": 1}) for i in used_items)
    G.add_edges_from(sorted(edges, key=lambda e: (e[0], e[1])))
    return G


def _organization_community(data: Incidence, f: Filters) -> nx.Graph:
    orgs = {o for o in data.organizations if _org_ok(data, f, o)}
    edges = []
    for c in sorted(data.members):
        if f.community_iris and c not in f.community_iris:
            continue
        per_org: dict[str, list[dict[str, Any]]] = {}
        for member, since in sorted(data.members[c].items()):
            if member in data.organizations:
                org, kind = member, "organization"
            else:
                org, kind = data.affiliation.get(member, ""), "person"
                if not _person_ok(data, f, member):
                    continue
            if org in orgs:
                per_org.setdefault(org, []).append(
                    {"kind": kind, "iri": member, "label": data.label(member), "year": since}
                )
        for org, evidence in sorted(per_org.items()):
            edges.append((org, c, {"weight": float(len(evidence)),
                                   "ties": {"community": len(evidence)}, "evidence": evidence}))
    G = nx.Graph()
    G.add_nodes_from(
        (o, {**_actor_attrs(data, o), "bipartite": 0}) for o in sorted({e[0] for e in edges})
    )
    G.add_nodes_from(
        (c, {**_community_attrs(data, c), "bipartite": 1}) for c in sorted({e[1] for e in edges})
    )
    G.add_edges_from(edges)
    return G


# ----------------------------------------------------------------------------- filters, attrs
def _person_ok(data: Incidence, f: Filters, person: str) -> bool:
    if person not in data.people:
        return False
    if f.country_codes and data.actor_country(person) not in f.country_codes:
        return False
    org = data.affiliation.get(person, "")
    return not f.type_words or data.org_type.get(org, "") in f.type_words


def _org_ok(data: Incidence, f: Filters, org: str) -> bool:
    if org not in data.organizations:
        return False
    if f.country_codes and data.country.get(org, "") not in f.country_codes:
        return False
    return not f.type_words or data.org_type.get(org, "") in f.type_words


def _labels(data: Incidence, iri: str) -> dict[str, str]:
    """Labels by language; a plain literal (e.g. ``foaf:name``) stands for English."""
    labels = dict(data.labels.get(iri, {}))
    plain = labels.pop("", None)
    if plain and "en" not in labels:
        labels["en"] = plain
    return labels or {"en": data.label(iri)}


def _actor_attrs(data: Incidence, iri: str) -> dict[str, Any]:
    is_org = iri in data.organizations
    org = "" if is_org else data.affiliation.get(iri, "")
    communities = data.member_communities(iri)
    return {
        "label": data.label(iri),
        "labels": _labels(data, iri),
        "kind": "organization" if is_org else "person",
        "type": data.org_type.get(iri if is_org else org, ""),
        "country": data.actor_country(iri),
        "organization": org,
        "communities": communities,
        "themes": tuple(sorted(data.themes.get(iri, ()))),
        "illustrative": iri in data.illustrative,
    }


def _item_attrs(data: Incidence, item: Item) -> dict[str, Any]:
    return {
        "label": data.label(item.iri),
        "labels": _labels(data, item.iri),
        "kind": item.kind,
        "type": item.type,
        "country": item.country,
        "organization": "",
        "communities": tuple(sorted(item.communities)),
        "themes": tuple(sorted(data.themes.get(item.iri, ()))),
        "illustrative": item.iri in data.illustrative,
        "year": item.year,
    }


def _community_attrs(data: Incidence, iri: str) -> dict[str, Any]:
    theme = data.community_theme.get(iri, "")
    return {
        "label": data.label(iri),
        "labels": _labels(data, iri),
        "kind": "community",
        "type": "community",
        "country": "",
        "organization": "",
        "communities": (iri,),
        "themes": (theme,) if theme else (),
        "illustrative": iri in data.illustrative,
    }


def _country_attrs(data: Incidence, node: str) -> dict[str, Any]:
    code = node.split(":", 1)[1]
    members = country_members(data)
    labels = {lang: country_label(code, lang, members) for lang in LANGUAGES}
    return {
        "label": labels["en"],
        "labels": labels,
        "kind": "country",
        "type": "country",
        "country": code,
        "organization": "",
        "communities": (),
        "themes": (),
        "illustrative": False,
    }
