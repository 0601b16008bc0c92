"""What a map draws: the significant ties of a dense network, its isolates, a focus's top ties.

A co-attendance network links almost everyone (351 people, 23,236 links in the bundled data):
drawn whole, it is a hairball. The default map draws its **backbone**: the links that are
significant for at least one of their two ends under the disparity filter (Serrano, Boguñá &
Vespignani 2009, PNAS 106(16): 6483), plus each node's two strongest links, so nobody
is cut off. A sparse or small network, or one whose links all weigh the same, is drawn
whole. Nodes without any link are counted, not drawn, unless asked. The choice is recorded
in :class:`Selection` for the title block.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["ALPHA", "LINKS", "Selection", "backbone_edges", "node_key", "select"]

ALPHA = 0.05
"""Significance level of the disparity filter."""

LINKS = ("backbone", "all")
"""What a map draws of the links: the backbone (default) or every link."""

_SPARSE_DEGREE = 6.0  # mean links per node up to which a network is drawn whole
_STRONGEST = 2  # each node keeps at least this many of its strongest links
_SMALL = 200  # a network with at most this many links is drawn whole
_FOCUS_TIES = 40  # a focus keeps at most this many of its strongest ties


@dataclass(frozen=True)
class Selection:
    """What was kept of a network for drawing, said in the title block.

    ``links`` is ``"all"`` or ``"backbone"``; ``edges_total``/``edges_kept`` count links;
    ``isolates`` counts nodes with no link (``isolates_drawn`` whether they are drawn);
    ``focus_ties``/``focus_shown``: a focus's ties in the network and those drawn.
    """

    links: str
    edges_total: int
    edges_kept: int
    alpha: float | None = None
    isolates: int = 0
    isolates_drawn: bool = False
    focus_ties: int = 0
    focus_shown: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return dict(self.__dict__)


def node_key(node: Hashable) -> tuple[str, str]:
    """The order the layout and the page's list take nodes in: by type name, then text,
    whatever order the graph was built in (the backbone breaks ties its own way, see
    :func:`backbone_edges`).

    >>> sorted(["b", 10, "a", 9], key=node_key)
    [10, 9, 'a', 'b']
    """
    return (type(node).__name__, str(node))


def _tie_order(node: Hashable) -> tuple[str, Any, str]:
    """The order ties between equally strong links are broken in: numbers by value (``9``
    before ``10``), anything else by its text, each type apart. It is the order the graphs
    copkg builds come in (projections are sorted), so their backbone is what it always was.

    >>> sorted(["b", 10, "a", 9], key=_tie_order)
    [9, 10, 'a', 'b']
    """
    return (type(node).__name__, node if isinstance(node, numbers.Real) else 0, str(node))


def select(G: nx.Graph, *, links: str = "backbone", isolates: bool = False,
           focus: Hashable | None = None, focus_ties: int = _FOCUS_TIES,
           alpha: float = ALPHA) -> tuple[nx.Graph, Selection]:
    """The part of ``G`` a map draws, and what was kept.

    Parameters
    ----------
    G : networkx.Graph
        The network (edge ``weight`` = tie strength).
    links : {"backbone", "all"}
        ``"backbone"`` keeps the significant links (see the module docstring) when ``G`` is
        dense; ``"all"`` keeps every link.
    isolates : bool
        Draw the nodes that have no link (counted either way).
    focus : node, optional
        With a focus of many ties, only its ``focus_ties`` strongest neighbours (and the
        nodes further out reached through them) are drawn; the rest are counted. Every tie
        of the focus to a drawn neighbour is drawn: the backbone thins the other links only.
    alpha : float
        Significance level of the disparity filter.

    Examples
    --------
    >>> G = nx.complete_graph(30)
    >>> nx.set_edge_attributes(G, 1.0, "weight")
    >>> G.add_edge(0, 1, weight=30.0); G.add_edge(2, 3, weight=30.0); G.add_node(99)
    >>> H, kept = select(G)
    >>> kept.links, kept.edges_kept < kept.edges_total, kept.isolates, 99 in H
    ('backbone', True, 1, False)
    >>> H.has_edge(0, 1) and H.has_edge(2, 3)
    True
    >>> H, kept = select(G, focus=5)  # an ego view: all of the focus's ties, the rest thinned
    >>> sorted(H[5]) == sorted(set(G[5]) - {99}), kept.edges_kept < kept.edges_total
    (True, True)
    """
    if links not in LINKS:
        raise ValueError(f"cannot draw {links!r} links; choose one of {', '.join(LINKS)}")
    total = G.number_of_edges()
    focus_total = focus_shown = 0
    if focus is not None and focus in G:
        G, focus_total, focus_shown = _focus_cap(G, focus, focus_ties)
    lonely = [n for n in G if G.degree(n) == 0 or (G.degree(n) == 1 and G.has_edge(n, n))]
    H = G
    used_alpha = None
    if links == "backbone" and _dense(G):
        keep = backbone_edges(G, alpha=alpha)
        if focus is not None and focus in G:  # the focus's own ties are what an ego map shows
            keep = [*keep, *((focus, other) for other in G[focus] if other != focus)]
        H = _induced(G, G, set(map(frozenset, keep)))
        used_alpha = alpha
    if not isolates and lonely:
        H = H.copy() if H is G else H
        H.remove_nodes_from(n for n in lonely if n != focus)
    return H, Selection("backbone" if used_alpha is not None else "all", total,
                        H.number_of_edges(), used_alpha, len(lonely), bool(isolates),
                        focus_total, focus_shown)


def backbone_edges(G: nx.Graph, *, alpha: float = ALPHA,
                   strongest: int = _STRONGEST) -> list[tuple[Hashable, Hashable]]:
    """Links of ``G`` significant at ``alpha`` for either end, plus each node's strongest.

    The disparity filter asks, for each end ``i`` of a link of weight ``w``, how likely a
    share ``p = w / s_i`` of ``i``'s strength ``s_i`` is if ``i``'s ``k_i`` links shared it
    at random: ``(1 - p) ** (k_i - 1)``. Links below ``alpha`` at either end are kept.

    >>> G = nx.star_graph(4)
    >>> nx.set_edge_attributes(G, 1.0, "weight")
    >>> G[0][1]["weight"] = 10.0
    >>> sorted(backbone_edges(G))
    [(0, 1), (0, 2), (0, 3), (0, 4)]
    """
    # Nodes in a fixed order (numbers by value, the rest by text) and each link once, low end
    # first, in that order: which of two equally strong links a node keeps then depends on the
    # network, never on the order it was built in (a subgraph copy follows a set's, i.e.
    # string hashing's, order, which changes from one run to the next).
    nodes = sorted(G, key=_tie_order)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(u, v) if G.is_directed() or index[u] < index[v] else (v, u)
             for u, v in G.edges if u != v]
    edges.sort(key=lambda e: (index[e[0]], index[e[1]]))
    if not edges:
        return []
    u = np.array([index[a] for a, _ in edges])
    v = np.array([index[b] for _, b in edges])
    w = np.array([_weight(G[a][b]) for a, b in edges])
    n = len(nodes)
    strength = np.bincount(u, w, n) + np.bincount(v, w, n)
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    keep = np.zeros(len(edges), dtype=bool)
    for end in (u, v):
        k = degree[end]
        p = w / np.maximum(strength[end], 1e-300)
        with np.errstate(divide="ignore"):
            significance = np.where(k > 1, np.power(np.clip(1 - p, 0, 1), k - 1), 0.0)
        keep |= significance < alpha
    # each node's strongest links (ties in weight broken by the ends' order, see above)
    order = sorted(range(len(edges)), key=lambda e: (-w[e], u[e], v[e]))
    taken = np.zeros(n, dtype=int)
    for e in order:
        if taken[u[e]] < strongest or taken[v[e]] < strongest:
            keep[e] = True
        taken[u[e]] += 1
        taken[v[e]] += 1
    return [edges[e] for e in np.flatnonzero(keep)]


def _dense(G: nx.Graph) -> bool:
    """Whether ``G`` has too many links to draw whole, and weights that say which matter
    (all weights equal, as in a two-mode network, leave nothing to filter on)."""
    n, m = G.number_of_nodes(), G.number_of_edges()
    if n == 0 or m <= _SMALL or 2 * m / n <= _SPARSE_DEGREE:
        return False
    weights = {_weight(d) for _, _, d in G.edges(data=True)}
    return len(weights) > 1


def _focus_cap(G: nx.Graph, focus: Hashable, limit: int) -> tuple[nx.Graph, int, int]:
    """``G`` with the focus's weaker ties (beyond ``limit``) and what hangs only on them removed.

    Returns the graph, the focus's number of ties and how many are kept. Nodes further away
    than one step are kept when a kept neighbour reaches them.
    """
    ties = sorted(((other, _weight(data)) for other, data in G[focus].items() if other != focus),
                  key=lambda item: (-item[1], str(item[0])))
    if len(ties) <= limit:
        return G, len(ties), len(ties)
    kept_first = {focus, *(other for other, _ in ties[:limit])}
    dropped = {other for other, _ in ties[limit:]}
    reach = set(kept_first)
    frontier = list(kept_first - {focus})
    while frontier:
        nxt = []
        for node in frontier:
            for other in G[node]:
                if other not in reach and other not in dropped:
                    reach.add(other)
                    nxt.append(other)
        frontier = nxt
    return _induced(G, reach), len(ties), limit


def _induced(G: nx.Graph, nodes: Any, edges: set[frozenset[Any]] | None = None) -> nx.Graph:
    """``G``'s ``nodes`` with their data, and the links among them (only ``edges``, as sets of
    two ends, when given), in ``G``'s own order: networkx's subgraph views iterate the set they
    are given, whose order changes with Python's string hashing from one run to the next, and
    with it which of two equally strong links the backbone keeps."""
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in nodes)
    H.add_edges_from((u, v, d) for u, v, d in G.edges(data=True)
                     if u in nodes and v in nodes
                     and (edges is None or frozenset((u, v)) in edges))
    return H


def _weight(data: dict[str, Any]) -> float:
    try:
        value = float(data.get("weight", 1.0))
    except (TypeError, ValueError):
        return 1.0
    return value if value > 0 and math.isfinite(value) else 1.0
