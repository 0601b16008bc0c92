"""When each tie of a projection started: the years of its evidence."""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

__all__ = ["tie_years"]


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
