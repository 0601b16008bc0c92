"""How the network grew: one row per year of activity, on the same projections and filters
as every other question.

Definitions (printed with the answer by the CLI and the app):

- A product counts in the year it was issued (``dct:issued``), an event in the year it
  started (``schema:startDate``); undated ones count in no year.
- **Active** people, organisations and countries of a year: those that took part in a product
  or event of that year kept by the filters (an organisation also through its people, a
  country through its people and organisations) — the lists ties are made of
  (:func:`graph.network.item_actors`, :func:`graph.network.actor_years`). A map of a year
  or a year range draws exactly these actors.
- **Events by mode**: a ``session`` is held by videoconference (``docs/data-model.md``); a
  workshop, dialogue event, conference or study tour face to face (:data:`EVENT_MODES`).
- A **tie** is an edge of the projection; it **starts** in the earliest year of its evidence
  (shared products, events, or communities by ``cop:launched``). ``new_ties`` of a year are
  the ties starting that year.
- The **network of a year** is, with ``window="cumulative"`` (default), every tie started up
  to that year and every actor active up to then; with ``window="year"``, the ties with
  evidence in that year and the actors active in it. ``density`` is ties ÷ (n·(n−1)/2) over
  the actors of that network; ``largest_component_share`` the share of them in its largest
  connected component.
- **Integration**: ``cross_border_share`` is the share of the network's ties (between two
  actors whose countries are known) linking two countries; ``new_cross_border_share`` the
  same over the ties started that year; ``north_south_share``, ``south_south_share`` and
  ``north_north_share`` split the cross-border ties by the regions of
  :mod:`graph.analysis.regions` (a copkg convention); ties involving another country make up
  the rest.

All of it comes from one projection build: the ties carry their years, and each year is a
slice of them (union–find for the components), not a new projection.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx
import pandas as pd

from ..errors import CopkgError
from ..network import (
    Filters,
    Incidence,
    actor_years,
    actors_by_year,
    item_actors,
    project,
    resolve_filters,
    tie_years,
)
from .regions import Regions, region_pair

__all__ = ["EVENT_MODES", "TREND_COLUMNS", "WINDOWS", "event_mode", "trends"]

#: How each kind of event is held (see the module text).
EVENT_MODES: dict[str, str] = {
    "session": "videoconference",
    "workshop": "face-to-face",
    "dialogue": "face-to-face",
    "conference": "face-to-face",
    "study-tour": "face-to-face",
}

WINDOWS = ("cumulative", "year")
"""What the network of a year holds: everything up to it, or that year's activity only."""

TREND_COLUMNS = (
    "year", "people", "organizations", "countries", "products", "events",
    "events_videoconference", "events_face_to_face", "actors", "ties", "new_ties", "density",
    "largest_component_share", "cross_border_share", "new_cross_border_share",
    "north_south_share", "south_south_share", "north_north_share",
)
"""Columns of :func:`trends`, in order."""


def event_mode(kind: str) -> str:
    """``"videoconference"``, ``"face-to-face"`` or ``""`` (unknown) for an event type word.

    >>> event_mode("session"), event_mode("study-tour"), event_mode("")
    ('videoconference', 'face-to-face', '')
    """
    return EVENT_MODES.get(kind, "")


def trends(
    data: Incidence,
    projection: str = "people",
    filters: Filters | None = None,
    *,
    regions: Regions | None = None,
    window: str = "cumulative",
    graph: nx.Graph | None = None,
) -> pd.DataFrame:
    """One row per year from the first to the last dated activity (see the module text).

    Parameters
    ----------
    data : Incidence
        ``graph.network.load_incidence(kg)``.
    projection : {"people", "organizations", "countries"}
        The network whose ties, density and components are counted.
    filters : Filters, optional
        Communities, countries, organisation types, years and kinds of tie, as everywhere.
    regions : Regions, optional
        North and south (``graph.analysis.regions.regions(kg)``); without it no country is
        south, so the south shares are 0.
    window : {"cumulative", "year"}
        The network of a year: all up to it (default), or that year's activity only.
    graph : networkx.Graph, optional
        ``project(data, projection, filters)`` when the caller already has it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TREND_COLUMNS`; shares are ``NaN`` where they have no denominator.
        ``attrs``: ``projection``, ``window``, ``undated_ties`` (ties without a dated
        evidence, in no year), ``illustrative_items`` (products and events counted that are
        flagged ``cop:illustrative``), ``first_year``, ``last_year``.

    Examples
    --------
    >>> from graph.network.incidence import Item
    >>> d = Incidence(people={"p1", "p2", "p3"},
    ...               country={"p1": "TN", "p2": "FR", "p3": "TN"})
    >>> d.products["k1"] = Item("k1", "product", 2011, "report", actors={"p1", "p2"})
    >>> d.events["e1"] = Item("e1", "event", 2012, "session", actors={"p1", "p3"})
    >>> df = trends(d)
    >>> df[["year", "people", "actors", "ties", "new_ties", "density", "cross_border_share"]]
       year  people  actors  ties  new_ties   density  cross_border_share
    0  2011       2       2     1         1  1.000000                 1.0
    1  2012       2       3     2         1  0.666667                 0.5
    """
    f = resolve_filters(filters or Filters(), data)
    if window not in WINDOWS:
        raise CopkgError("error.unknown_window", window=window, choices=list(WINDOWS))
    regions = regions or Regions(south=frozenset())
    if projection not in ("people", "organizations"):
        _, net_items = item_actors(data, projection, f)  # raises for a two-mode projection
    G = graph if graph is not None else project(data, projection, f)
    _, people_items = item_actors(data, "people", f)
    org_nodes, org_items = item_actors(data, "organizations", f)
    if projection == "people":
        net_items = people_items
    elif projection == "organizations":
        net_items = org_items

    activity = _activity(data, people_items, org_items, set(org_nodes))
    # Who is active when: the one definition the projections' year filters and the maps'
    # year steps use too (graph.network.years).
    by_year = actors_by_year(actor_years(net_items))
    years_of = tie_years(G)
    undated = sum(1 for ys in years_of.values() if not ys)
    dated_years = set(activity) | set(by_year) | {
        y for ys in years_of.values() for y in ys}
    columns = list(TREND_COLUMNS)
    if not dated_years:
        df = pd.DataFrame(columns=columns)
    else:
        first, last = min(dated_years), max(dated_years)
        country = {n: str(c or "") for n, c in G.nodes(data="country")}
        memo: dict[tuple[str, str], tuple[str, ...]] = {}
        kinds = {}
        for u, v in years_of:
            pair = (country[u], country[v])
            kind = memo.get(pair)
            if kind is None:
                kind = memo[pair] = _tie_kind(*pair, regions)
            kinds[(u, v)] = kind
        network = (_cumulative if window == "cumulative" else _per_year)(
            range(first, last + 1), years_of, kinds, by_year)
        rows = []
        for year in range(first, last + 1):
            counts = activity.get(year, {})
            rows.append({"year": year, **{k: counts.get(k, 0) for k in (
                "people", "organizations", "countries", "products", "events",
                "events_videoconference", "events_face_to_face")}, **network[year]})
        df = pd.DataFrame(rows, columns=columns)
    illustrative = sorted({item.iri for item, actors in people_items + org_items
                           if actors and item.iri in data.illustrative})
    df.attrs.update({"projection": projection, "window": window, "undated_ties": undated,
                     "illustrative_items": len(illustrative),
                     "first_year": None if df.empty else int(df["year"].iloc[0]),
                     "last_year": None if df.empty else int(df["year"].iloc[-1])})
    return df


# ----------------------------------------------------------------------------- activity
def _activity(data: Incidence, people_items: list[Any], org_items: list[Any],
              org_nodes: set[str]) -> dict[int, dict[str, int]]:
    """Per year: active people, organisations, countries; products and events by mode.

    ``people_items`` and ``org_items`` list the same items in the same order
    (:func:`graph.network.item_actors`). A country is active through its active people and
    the organisations that took part themselves (as the country projection counts them)."""
    sets: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (item, people), (_, orgs) in zip(people_items, org_items, strict=True):
        if item.year is None or item.kind == "community" or not (people or orgs):
            continue
        year = sets[item.year]
        year["people"].update(people)
        year["organizations"].update(orgs)
        codes = {data.actor_country(a) for a in people}
        codes |= {data.actor_country(o) for o in item.actors & org_nodes}
        year["countries"].update(c for c in codes if c)
        # An item counts when someone the filters keep took part in it.
        year[item.kind + "s"].add(item.iri)
        if item.kind == "event":
            mode = event_mode(item.type)
            if mode:
                year["events_" + mode.replace("-", "_")].add(item.iri)
    return {year: {key: len(values) for key, values in by_key.items()}
            for year, by_key in sets.items()}


# ----------------------------------------------------------------------------- the network
_KINDS = ("known", "cross", "north-south", "south-south", "north-north")


def _tie_kind(a: str, b: str, regions: Regions) -> tuple[str, ...]:
    """Which of the counted classes a tie between countries ``a`` and ``b`` belongs to:
    ``known`` (both countries known), ``cross`` (two countries), and its region pair when
    cross-border."""
    if not a or not b:
        return ()
    if a == b:
        return ("known",)
    pair = region_pair(a, b, regions)
    return ("known", "cross", pair) if pair in _KINDS else ("known", "cross")


class _Components:
    """Union–find with component sizes and the largest size so far."""

    def __init__(self) -> None:
        self.parent: dict[Hashable, Hashable] = {}
        self.size: dict[Hashable, int] = {}
        self.largest = 0

    def add(self, node: Hashable) -> None:
        if node not in self.parent:
            self.parent[node] = node
            self.size[node] = 1
            self.largest = max(self.largest, 1)

    def find(self, node: Hashable) -> Hashable:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: Hashable, b: Hashable) -> None:
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        self.largest = max(self.largest, self.size[ra])


def _figures(n: int, ties: int, largest: int, counts: dict[str, int],
             new: dict[str, int], new_ties: int) -> dict[str, Any]:
    cross = counts.get("cross", 0)
    return {
        "actors": n,
        "ties": ties,
        "new_ties": new_ties,
        "density": 2 * ties / (n * (n - 1)) if n > 1 else math.nan,
        "largest_component_share": largest / n if n else math.nan,
        "cross_border_share": _share(cross, counts.get("known", 0)),
        "new_cross_border_share": _share(new.get("cross", 0), new.get("known", 0)),
        "north_south_share": _share(counts.get("north-south", 0), cross),
        "south_south_share": _share(counts.get("south-south", 0), cross),
        "north_north_share": _share(counts.get("north-north", 0), cross),
    }


def _share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


def _cumulative(years: Iterable[int], years_of: dict[tuple[Hashable, Hashable], tuple[int, ...]],
                kinds: dict[tuple[Hashable, Hashable], tuple[str, ...]],
                actors_by_year: dict[int, set[str]]) -> dict[int, dict[str, Any]]:
    starting: dict[int, list[tuple[Hashable, Hashable]]] = defaultdict(list)
    for edge, ys in years_of.items():
        if ys:
            starting[ys[0]].append(edge)
    comp = _Components()
    counts: dict[str, int] = defaultdict(int)
    ties = 0
    out = {}
    for year in years:
        for actor in sorted(actors_by_year.get(year, ())):
            comp.add(actor)
        new: dict[str, int] = defaultdict(int)
        for u, v in starting.get(year, ()):
            comp.union(u, v)
            for kind in kinds[(u, v)]:
                new[kind] += 1
                counts[kind] += 1
        ties += len(starting.get(year, ()))
        out[year] = _figures(len(comp.parent), ties, comp.largest, counts, new,
                             len(starting.get(year, ())))
    return out


def _per_year(years: Iterable[int], years_of: dict[tuple[Hashable, Hashable], tuple[int, ...]],
              kinds: dict[tuple[Hashable, Hashable], tuple[str, ...]],
              actors_by_year: dict[int, set[str]]) -> dict[int, dict[str, Any]]:
    present: dict[int, list[tuple[Hashable, Hashable]]] = defaultdict(list)
    new_count: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    new_ties: dict[int, int] = defaultdict(int)
    for edge, ys in years_of.items():
        for y in ys:
            present[y].append(edge)
        if ys:
            new_ties[ys[0]] += 1
            for kind in kinds[edge]:
                new_count[ys[0]][kind] += 1
    out = {}
    for year in years:
        comp = _Components()
        for actor in actors_by_year.get(year, ()):
            comp.add(actor)
        counts: dict[str, int] = defaultdict(int)
        for u, v in present.get(year, ()):
            comp.union(u, v)
            for kind in kinds[(u, v)]:
                counts[kind] += 1
        out[year] = _figures(len(comp.parent), len(present.get(year, ())), comp.largest,
                             counts, new_count[year], new_ties[year])
    return out
