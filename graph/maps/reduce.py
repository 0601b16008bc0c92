"""Make a large network drawable: keep its top nodes by a measure, or group its nodes.

Browsers stall above ~1,500 nodes (pyvis #204), and a projector shows no more anyway. The
reduction is always said on the map (:class:`Reduction` feeds its title block).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from .style import node_measures

__all__ = ["AGGREGATES", "MAX_NODES", "Reduction", "reduce_graph"]

MAX_NODES = 1500
"""Default largest number of nodes drawn on one map."""

AGGREGATES = ("organization", "country", "community")
"""Node properties a large map can be grouped by."""

_EVIDENCE_KEPT = 20


@dataclass(frozen=True)
class Reduction:
    """How a map's graph was reduced: ``mode`` is ``"none"``, ``"top"`` or ``"aggregate"``."""

    mode: str
    total: int
    kept: int
    measure: str | None = None
    by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON."""
        return {"mode": self.mode, "total": self.total, "kept": self.kept,
                "measure": self.measure, "by": self.by}


def reduce_graph(G: nx.Graph, *, max_nodes: int | None = None, aggregate: str | None = None,
                 rank_by: str = "degree", measures: pd.DataFrame | None = None,
                 ) -> tuple[nx.Graph, Reduction]:
    """``G`` itself if small enough, else its ``max_nodes`` top nodes or its groups.

    Parameters
    ----------
    G : networkx.Graph
        A projection (nodes with ``kind``, ``country``, ``organization``, ``communities``).
    max_nodes : int, optional
        Largest number of nodes kept (default :data:`MAX_NODES`).
    aggregate : {"organization", "country", "community"}, optional
        Group nodes by this property instead of dropping them (always applied when given).
    rank_by : str
        Measure that ranks nodes when keeping the top ones; ties broken by node id.
    measures : pandas.DataFrame, optional
        Precomputed measures (``node`` column); missing ones are computed.

    Examples
    --------
    >>> import networkx as nx
    >>> H, how = reduce_graph(nx.star_graph(5), max_nodes=3)
    >>> sorted(H.nodes), how.mode, how.total
    ([0, 1, 2], 'top', 6)
    """
    limit = MAX_NODES if max_nodes is None else int(max_nodes)
    if limit < 1:
        raise ValueError("max_nodes must be at least 1")
    total = G.number_of_nodes()
    if aggregate is not None:
        if aggregate not in AGGREGATES:
            raise ValueError(
                f"cannot group by {aggregate!r}; choose one of {', '.join(AGGREGATES)}")
        H = aggregate_graph(G, aggregate)
        if H.number_of_nodes() > limit:
            H, _ = reduce_graph(H, max_nodes=limit, rank_by="members")
        return H, Reduction("aggregate", total, H.number_of_nodes(), by=aggregate)
    if total <= limit:
        return G, Reduction("none", total, total)
    table = node_measures(G, measures, need=(rank_by,))
    scores: dict[Hashable, Any] = table[rank_by].to_dict()
    ranked = sorted(G.nodes, key=lambda n: (-float(scores[n]), str(n)))
    H = G.subgraph(ranked[:limit]).copy()
    return H, Reduction("top", total, limit, measure=rank_by)


def aggregate_graph(G: nx.Graph, by: str) -> nx.Graph:
    """One node per group of ``G``'s nodes sharing ``by``; edges sum weights and ties.

    A node in several communities goes to a "several" group; one with no value to "none".
    Group nodes get ``kind="group"``, ``members`` (count), ``illustrative`` (any member's),
    and the label of the organisation/community node when ``G`` has it.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})])
    >>> nx.set_node_attributes(G, {"a": "TN", "b": "TN", "c": "FR"}, "country")
    >>> H = aggregate_graph(G, "country")
    >>> sorted(H.nodes), H.nodes["country:TN"]["members"], H["country:FR"]["country:TN"]["weight"]
    (['country:FR', 'country:TN'], 2, 1.0)
    """
    group_of: dict[Hashable, str] = {n: _group(G, n, by) for n in G}
    members = Counter(group_of.values())
    H = nx.Graph(aggregated_by=by)
    for key in sorted(members):
        H.add_node(key, **_group_attrs(G, key, by, members[key], group_of))
    weights: dict[tuple[str, str], float] = defaultdict(float)
    ties: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u, v, data in G.edges(data=True):
        a, b = sorted((group_of[u], group_of[v]))
        if a == b:
            H.nodes[a]["internal_weight"] = H.nodes[a].get("internal_weight", 0.0) + float(
                data.get("weight", 1.0) or 1.0)
            continue
        weights[(a, b)] += float(data.get("weight", 1.0) or 1.0)
        ties[(a, b)].update({str(k): int(c) for k, c in dict(data.get("ties") or {}).items()})
        for item in data.get("evidence") or ():
            ident = json.dumps(item, sort_keys=True, default=str)
            if ident not in seen[(a, b)]:
                seen[(a, b)].add(ident)
                if len(evidence[(a, b)]) < _EVIDENCE_KEPT:
                    evidence[(a, b)].append(dict(item))
    for (a, b), weight in sorted(weights.items()):
        H.add_edge(a, b, weight=weight, ties=dict(ties[(a, b)]), evidence=evidence[(a, b)],
                   evidence_total=len(seen[(a, b)]))
    return H


def _group(G: nx.Graph, node: Hashable, by: str) -> str:
    data = G.nodes[node]
    if by == "community":
        if data.get("kind") == "community":
            return str(node)
        comms = sorted({str(c) for c in (data.get("communities") or ()) if c})
        return comms[0] if len(comms) == 1 else ("group:several" if comms else "group:none")
    if by == "organization" and data.get("kind") == "organization":
        return str(node)
    value = str(data.get(by) or "")
    if not value:
        return "group:none"
    return f"country:{value.upper()}" if by == "country" else value


def _group_attrs(G: nx.Graph, key: str, by: str, count: int,
                 group_of: dict[Hashable, str]) -> dict[str, Any]:
    attrs: dict[str, Any] = {"kind": "group", "type": by, "members": count,
                             "communities": (), "organization": "", "country": ""}
    member_nodes = [n for n, g in group_of.items() if g == key]
    attrs["illustrative"] = any(bool(G.nodes[n].get("illustrative")) for n in member_nodes)
    if key in G:  # the organisation / community itself is a node of G
        data = G.nodes[key]
        attrs["label"] = data.get("label") or key
        attrs["labels"] = dict(data.get("labels") or {})
    elif key.startswith("group:"):
        attrs["label"] = key
        attrs["labels"] = {}
        attrs["special"] = key.split(":", 1)[1]
    else:
        names = G.graph.get("labels", {}).get(key)
        attrs["label"] = key
        attrs["labels"] = dict(names or {})
    if by == "country" and key.startswith("country:"):
        attrs["country"] = key.split(":", 1)[1]
    elif by == "community" and not key.startswith("group:"):
        attrs["communities"] = (key,)
    elif by == "organization" and not key.startswith("group:"):
        attrs["organization"] = key
    return attrs
