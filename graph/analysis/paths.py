"""How two actors are connected: shortest chains of collaboration, each step with its evidence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import networkx as nx

from ..errors import CopkgError, NotFoundError
from .names import resolve

__all__ = ["Step", "connection_paths", "ego_network"]

#: Shortest paths enumerated before sorting (hubs can make millions of equal-length paths).
_PATH_SCAN = 2_000


@dataclass(frozen=True)
class Step:
    """One hop of a path: who, to whom, and what they share."""

    source: str
    target: str
    labels: tuple[str, str]
    evidence: list[dict[str, Any]] = field(default_factory=list)
    weight: float = 1.0

    def describe(self) -> str:
        """``A — B: kind label (year); …``, for people to read."""
        shared = "; ".join(
            f"{e.get('kind', '')} {e.get('label', '')}"
            + (f" ({e['year']})" if e.get("year") else "")
            for e in self.evidence
        )
        return f"{self.labels[0]} — {self.labels[1]}: {shared or 'linked'}"


def connection_paths(G: nx.Graph, a: str, b: str, *, max_paths: int = 3) -> list[list[Step]]:
    """Up to ``max_paths`` shortest paths (fewest hops) from ``a`` to ``b``, with evidence.

    ``a`` and ``b`` are ids, IRIs or labels (see :func:`~graph.analysis.resolve`). Paths count
    hops, not weights: "through how many people" is what a program manager asks. Among equally
    short paths the strongest (largest smallest edge weight, then total weight) come first.
    Returns ``[]`` when they are not connected.

    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", evidence=[{"kind": "product", "label": "R1", "year": 2015}])
    >>> G.add_edge("b", "c", evidence=[{"kind": "event", "label": "W1", "year": 2016}])
    >>> [s.describe() for s in connection_paths(G, "a", "c")[0]]
    ['a — b: product R1 (2015)', 'b — c: event W1 (2016)']
    """
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 1:
        raise CopkgError("error.at_least", name="max_paths", least=1, value=max_paths)
    source, target = resolve(G, a), resolve(G, b)
    if source == target:
        return []
    found = list(islice(_all_shortest_paths(G, source, target), _PATH_SCAN))
    if not found:
        return []

    def strength(path: list[str]) -> tuple[float, float, list[str]]:
        weights = [G.edges[u, v].get("weight", 1.0) for u, v in zip(path, path[1:], strict=False)]
        return (-min(weights), -sum(weights), [str(n) for n in path])

    found.sort(key=strength)
    return [_steps(G, path) for path in found[:max_paths]]


def _all_shortest_paths(G: nx.Graph, source: Any, target: Any) -> Iterator[list[Any]]:
    """Every shortest path from ``source`` to ``target`` (as ``nx.all_shortest_paths``), found
    by a breadth-first search that stops at the target's depth instead of visiting the whole
    network (0.05 s instead of 0.5 s on 20,000 experts)."""
    preds: dict[Any, list[Any]] = {source: []}
    frontier = [source]
    while frontier and target not in preds:
        level: dict[Any, list[Any]] = {}
        for u in frontier:
            for v in G[u]:
                if v not in preds:
                    level.setdefault(v, []).append(u)
        preds.update(level)
        frontier = list(level)
    if target not in preds:
        return
    stack: list[tuple[Any, int]] = [(target, 0)]
    path = [target]
    while stack:
        node, i = stack[-1]
        if node == source:
            yield path[::-1]
        if node != source and i < len(preds[node]):
            stack[-1] = (node, i + 1)
            nxt = preds[node][i]
            stack.append((nxt, 0))
            path.append(nxt)
        else:
            stack.pop()
            path.pop()


def _steps(G: nx.Graph, path: list[str]) -> list[Step]:
    out = []
    for u, v in zip(path, path[1:], strict=False):
        data = G.edges[u, v]
        out.append(Step(
            source=u,
            target=v,
            labels=(str(G.nodes[u].get("label", u)), str(G.nodes[v].get("label", v))),
            evidence=list(data.get("evidence", [])),
            weight=float(data.get("weight", 1.0)),
        ))
    return out


def ego_network(G: nx.Graph, x: str, radius: int = 1) -> nx.Graph:
    """The actors within ``radius`` hops of ``x`` and the ties among them (a copy).

    Each node gets a ``distance`` attribute (hops from ``x``). Nodes, and the ties among them,
    come in the order of the nodes' text, the same in every run (what is drawn of a tie
    between equal ones may depend on it).

    >>> list(ego_network(nx.path_graph(["d", "c", "b", "a"]), "b"))
    ['a', 'b', 'c']
    """
    if radius < 0:
        raise NotFoundError("error.radius", radius=radius)
    center = resolve(G, x)
    distances = nx.single_source_shortest_path_length(G, center, cutoff=radius)
    order = sorted(distances, key=str)
    # Not G.subgraph(order).copy(): a subgraph iterates the set it keeps, in an order that
    # changes with Python's string hashing from one run to the next.
    at = {node: i for i, node in enumerate(order)}
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((node, G.nodes[node]) for node in order)
    ties = G.subgraph(order).edges(data=True, **({"keys": True} if G.is_multigraph() else {}))
    H.add_edges_from(sorted(ties, key=lambda e: sorted((at[e[0]], at[e[1]]))
                            if not G.is_directed() else (at[e[0]], at[e[1]])))
    nx.set_node_attributes(H, distances, "distance")
    H.graph["center"] = center
    return H
