"""When actors were active and when ties started: the one definition of "active in a year"
that trends, the year filters of every projection and the maps' year slider share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import networkx as nx

__all__ = ["active_years", "actor_years", "actors_by_year", "tie_years"]


def actor_years(by_item: Iterable[tuple[Any, Sequence[str]]]) -> dict[str, tuple[int, ...]]:
    """The sorted years each actor was **active**: the years of the dated products and events
    it took part in (``(item, actors)`` pairs, as :func:`graph.network.item_actors` gives
    them). A community list counts only when it ties its members (community ties asked for,
    two members or more), in its launch year; undated items count in no year.

    >>> from graph.network.incidence import Item
    >>> by_item = [(Item("k", "product", 2012), ["p1", "p2"]),
    ...            (Item("e", "event", 2010), ["p1"]),
    ...            (Item("u", "event", None), ["p3"]),
    ...            (Item("c", "community", 2009), ["p4"])]
    >>> actor_years(by_item)
    {'p1': (2010, 2012), 'p2': (2012,)}
    """
    years: dict[str, set[int]] = defaultdict(set)
    for item, actors in by_item:
        if item.year is None or (item.kind == "community" and len(actors) < 2):
            continue
        for actor in actors:
            years[actor].add(item.year)
    return {actor: tuple(sorted(ys)) for actor, ys in sorted(years.items())}


def actors_by_year(years_of: dict[str, tuple[int, ...]]) -> dict[int, set[str]]:
    """:func:`actor_years` turned around: the actors active in each year.

    >>> {y: sorted(a) for y, a in actors_by_year({"p1": (2010, 2012), "p2": (2012,)}).items()}
    {2010: ['p1'], 2012: ['p1', 'p2']}
    """
    out: dict[int, set[str]] = defaultdict(set)
    for actor, ys in years_of.items():
        for year in ys:
            out[year].add(actor)
    return dict(sorted(out.items()))


def active_years(G: nx.Graph) -> dict[Hashable, tuple[int, ...]]:
    """The years each node of a one-mode projection was active (:func:`actor_years`, kept by
    :func:`graph.network.project` in ``G.graph["active_years"]``); for a graph built another
    way, the years of its ties' evidence. Nodes never active in a dated item are left out.

    >>> G = nx.Graph(active_years={"a": (2010, 2014), "b": (2014,), "gone": (2011,)})
    >>> G.add_edge("a", "b", evidence=[{"year": 2014}])
    >>> G.add_node("c")
    >>> active_years(G)
    {'a': (2010, 2014), 'b': (2014,)}
    >>> H = nx.Graph()
    >>> H.add_edge("a", "b", evidence=[{"year": 2014}, {"year": 2012}])
    >>> active_years(H)
    {'a': (2012, 2014), 'b': (2012, 2014)}
    """
    known = G.graph.get("active_years")
    if known is not None:
        return {n: tuple(known[n]) for n in G if n in known and known[n]}
    years: dict[Hashable, set[int]] = defaultdict(set)
    for (u, v), ys in tie_years(G).items():
        years[u].update(ys)
        years[v].update(ys)
    return {n: tuple(sorted(years[n])) for n in G if years.get(n)}


def tie_years(G: nx.Graph) -> dict[tuple[Hashable, Hashable], tuple[int, ...]]:
    """The sorted distinct years of each edge's evidence (undated evidence left out); a tie
    starts in the first of them.

    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", evidence=[{"year": 2014}, {"year": 2012}, {"year": None}])
    >>> G.add_edge("b", "c", evidence=[{"year": None}])
    >>> tie_years(G)
    {('a', 'b'): (2012, 2014), ('b', 'c'): ()}
    """
    out = {}
    for u, v, evidence in G.edges(data="evidence"):
        years = {e.get("year") for e in evidence or ()}
        out[(u, v)] = tuple(sorted(y for y in years if isinstance(y, int)))
    return out
