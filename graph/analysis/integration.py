"""How far collaboration integrates the region: country × country, north and south, and who
learns from whom — on the same projections and filters as every other question.

Definitions (printed with the answer by the CLI and the app):

- **Country × country** (:func:`country_matrix`), one row per pair of countries ``a ≤ b``:
  ``ties`` are the projection's edges between an actor of ``a`` and an actor of ``b``;
  ``shared_products`` / ``shared_events`` count the products / events in which actors of both
  took part. On the diagonal (``a == b``, domestic) they count the ties inside the country and
  the items with at least two of its actors. Actors are the projection's nodes (people,
  organisations or countries; in the country projection there is no diagonal).
- **Regions** (:func:`region_summary`): the same counts per kind of pair — domestic,
  north–north, north–south, south–south, other — with each cross-border kind's share of all
  cross-border ties. North and south: :mod:`graph.analysis.regions` (a copkg convention).
- **Learns from** (:func:`learns_from`): country B teaches country A at each event that A's
  participants attended and that was held in B or where B's people or organisations spoke or
  facilitated; organising an event is not teaching (the CMI, the platform's secretariat in
  France, convenes every event). In detail: a learner is an actor of ``a`` who attended an
  event kept by the filters (``schema:attendee``) without being its ``schema:organizer``;
  ``hosted`` counts the events held in ``b`` (``cop:country``, e.g. a study tour), ``presented``
  those where an actor of ``b`` had a role in :data:`PRESENTING_ROLES`, and ``events`` both,
  each event once. Counting organisers as presenters made France every country's first source
  (the CMI) and made ``presented`` equal ``events`` (every face-to-face event is co-organised
  by a host of its own country). Sources are ranked by ``events`` (ties: more events attended
  together, then the country code). Products are left out: co-authors make a product together,
  and the graph records no reader of a product.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from ..network import Filters, Incidence, item_actors, project, resolve_filters
from ..store import KnowledgeGraph
from .regions import REGION_PAIRS, Regions, region_pair

__all__ = ["EventRoles", "MATRIX_COLUMNS", "PRESENTING_ROLES", "country_matrix",
           "event_roles", "learns_from", "region_summary"]

MATRIX_COLUMNS = ("country_a", "country_b", "pair", "ties", "shared_products",
                  "shared_events")

#: Participation roles through which an actor shares its experience at an event (organising
#: is not one: see the module text).
PRESENTING_ROLES = ("speaker", "facilitator")


def country_matrix(
    data: Incidence,
    projection: str = "people",
    filters: Filters | None = None,
    *,
    regions: Regions | None = None,
    graph: nx.Graph | None = None,
) -> pd.DataFrame:
    """Ties and shared products/events for every pair of countries (see the module text).

    Only pairs with at least one tie or shared item are listed, sorted by country codes.

    >>> from graph.network.incidence import Item
    >>> d = Incidence(people={"p1", "p2", "p3"},
    ...               country={"p1": "TN", "p2": "FR", "p3": "TN"})
    >>> d.products["k1"] = Item("k1", "product", 2011, "report", actors={"p1", "p2", "p3"})
    >>> country_matrix(d)[["country_a", "country_b", "ties", "shared_products"]]
      country_a country_b  ties  shared_products
    0        FR        TN     2                1
    1        TN        TN     1                1
    """
    f = resolve_filters(filters or Filters(), data)
    regions = regions or Regions(south=frozenset())
    nodes, by_item = item_actors(data, projection, f)
    G = graph if graph is not None else project(data, projection, f)
    country = {n: str(c or "") for n, c in G.nodes(data="country")}
    ties: Counter[tuple[str, str]] = Counter()
    for u, v in G.edges():
        pair = _pair(country[u], country[v])
        if pair:
            ties[pair] += 1
    shared: dict[str, Counter[tuple[str, str]]] = {"product": Counter(), "event": Counter()}
    for item, actors in by_item:
        if item.kind not in shared or not actors:
            continue
        per_country = Counter(c for c in (country.get(a, "") for a in actors) if c)
        codes = sorted(per_country)
        for i, a in enumerate(codes):
            if per_country[a] >= 2:
                shared[item.kind][(a, a)] += 1
            for b in codes[i + 1:]:
                shared[item.kind][(a, b)] += 1
    pairs = sorted(set(ties) | set(shared["product"]) | set(shared["event"]))
    rows = [{"country_a": a, "country_b": b, "pair": region_pair(a, b, regions),
             "ties": ties[(a, b)], "shared_products": shared["product"][(a, b)],
             "shared_events": shared["event"][(a, b)]} for a, b in pairs]
    df = pd.DataFrame(rows, columns=list(MATRIX_COLUMNS))
    df.attrs["projection"] = projection
    return df


def region_summary(matrix: pd.DataFrame) -> pd.DataFrame:
    """Ties and shared items per kind of pair (domestic, north–north, north–south,
    south–south, other), each cross-border kind with its share of the cross-border ties.

    >>> m = pd.DataFrame({"pair": ["domestic", "north-south", "south-south"], "ties": [4, 3, 1],
    ...                   "shared_products": [1, 2, 0], "shared_events": [0, 1, 1]})
    >>> region_summary(m)[["pair", "ties", "share_of_cross_border_ties"]]
              pair  ties  share_of_cross_border_ties
    0     domestic     4                         NaN
    1  north-north     0                        0.00
    2  north-south     3                        0.75
    3  south-south     1                        0.25
    4        other     0                        0.00
    """
    sums = matrix.groupby("pair")[["ties", "shared_products", "shared_events"]].sum()
    sums = sums.reindex(list(REGION_PAIRS), fill_value=0)
    cross = int(sums.loc[[p for p in REGION_PAIRS if p != "domestic"], "ties"].sum())
    out = sums.reset_index()
    out["share_of_cross_border_ties"] = [
        float("nan") if pair == "domestic" or not cross else int(n) / cross
        for pair, n in zip(out["pair"], out["ties"], strict=True)]
    for column in ("ties", "shared_products", "shared_events"):
        out[column] = out[column].astype(int)
    return out


_EVENT_ROLES = """
SELECT ?event ?actor ?organised WHERE {
  { ?p cop:event ?event ; cop:participant ?actor ; org:role ?role
    VALUES ?role { cop:SpeakerRole cop:FacilitatorRole } BIND(false AS ?organised) }
  UNION { ?event schema:organizer ?actor BIND(true AS ?organised) }
}"""


@dataclass(frozen=True)
class EventRoles:
    """Who presented and who organised each event (event IRI → actor IRIs).

    ``presenting``: the actors who spoke or facilitated (:data:`PRESENTING_ROLES`);
    ``organising``: the event's ``schema:organizer`` (they do not learn there, nor teach).
    """

    presenting: dict[str, set[str]] = field(default_factory=dict)
    organising: dict[str, set[str]] = field(default_factory=dict)


def event_roles(kg: KnowledgeGraph) -> EventRoles:
    """The presenters and organisers of every event of ``kg`` (see :class:`EventRoles`).

    >>> event_roles(KnowledgeGraph.in_memory())
    EventRoles(presenting={}, organising={})
    """
    presenting: dict[str, set[str]] = defaultdict(set)
    organising: dict[str, set[str]] = defaultdict(set)
    for event, actor, organised in kg.select(_EVENT_ROLES).rows:
        if event is None or actor is None:
            continue
        target = organising if organised is not None and organised.value == "true" \
            else presenting
        target[event.value].add(actor.value)
    return EventRoles(presenting=dict(presenting), organising=dict(organising))


def learns_from(
    data: Incidence,
    roles: EventRoles,
    filters: Filters | None = None,
    *,
    top: int | None = 3,
) -> pd.DataFrame:
    """For each country, the countries it learns from most (see the module text).

    Parameters
    ----------
    data : Incidence
        ``graph.network.load_incidence(kg)``.
    roles : EventRoles
        :func:`event_roles` of the same graph.
    filters : Filters, optional
        As everywhere; only events count, so ``ties`` must include ``event``.
    top : int, optional
        Sources kept per country (``None``: all).

    Returns
    -------
    pandas.DataFrame
        ``country, rank, learns_from, events, hosted, presented`` (``hosted``: events held in
        the source country; ``presented``: events where its actors spoke or facilitated; an
        event can be both, ``events`` counts it once).

    Examples
    --------
    >>> from graph.network.incidence import Item
    >>> d = Incidence(people={"p1", "p2"}, country={"p1": "TN", "p2": "FR"})
    >>> d.events["e1"] = Item("e1", "event", 2012, "study-tour", country="FR", actors={"p1"})
    >>> d.events["e2"] = Item("e2", "event", 2013, "session", actors={"p1", "p2"})
    >>> learns_from(d, EventRoles(presenting={"e2": {"p2"}}))
      country  rank learns_from  events  hosted  presented
    0      TN     1          FR       2       1          1
    >>> learns_from(d, EventRoles(organising={"e2": {"p2"}}))  # organising is not teaching
      country  rank learns_from  events  hosted  presented
    0      TN     1          FR       1       1          0
    """
    f = resolve_filters(filters or Filters(), data)
    _, people_items = item_actors(data, "people", f)
    _, org_items = item_actors(data, "organizations", f)
    kept: set[str] = {a for _, actors in people_items for a in actors}
    kept |= {a for _, actors in org_items for a in actors}
    events: dict[tuple[str, str], set[str]] = defaultdict(set)
    hosted: dict[tuple[str, str], set[str]] = defaultdict(set)
    presented: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item, _ in people_items:
        if item.kind != "event":
            continue
        present = item.actors & kept
        learners = _countries_of(data, present - roles.organising.get(item.iri, set()))
        host = (item.country or "").upper()
        speakers = _countries_of(data, roles.presenting.get(item.iri, set()) & present)
        for a in learners:
            if host and host != a:
                hosted[(a, host)].add(item.iri)
                events[(a, host)].add(item.iri)
            for b in speakers - {a}:
                presented[(a, b)].add(item.iri)
                events[(a, b)].add(item.iri)
    shared: Counter[tuple[str, str]] = Counter()
    for item, _ in people_items:
        if item.kind == "event":
            taking_part = item.actors & kept - roles.organising.get(item.iri, set())
            codes = sorted(_countries_of(data, taking_part))
            for i, a in enumerate(codes):
                for b in codes[i + 1:]:
                    shared[(a, b)] += 1
                    shared[(b, a)] += 1
    rows = [{"country": a, "learns_from": b, "events": len(evs),
             "hosted": len(hosted[(a, b)]), "presented": len(presented[(a, b)]),
             "_shared": shared[(a, b)]} for (a, b), evs in events.items()]
    columns = ["country", "rank", "learns_from", "events", "hosted", "presented"]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(rows).sort_values(["country", "events", "_shared", "learns_from"],
                                        ascending=[True, False, False, True])
    df["rank"] = df.groupby("country").cumcount() + 1
    if top is not None:
        df = df[df["rank"] <= top]
    return df[columns].reset_index(drop=True)


def _countries_of(data: Incidence, actors: Iterable[str]) -> set[str]:
    return {c for c in (data.actor_country(a) for a in actors) if c}


def _country(G: nx.Graph, node: Hashable) -> str:
    return str(G.nodes[node].get("country") or "") if node in G else ""


def _pair(a: str, b: str) -> tuple[str, str] | None:
    if not a or not b:
        return None
    return (a, b) if a <= b else (b, a)
