"""Who connects communities or countries that would otherwise not meet (brokers)."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd

from ..network.empty import empty_reason
from ..network.projections import group_labels
from .names import label_in

__all__ = ["brokers"]


def brokers(
    G: nx.Graph, by: str = "community", *, table: pd.DataFrame | None = None, seed: int = 42,
    language: str = "en",
) -> pd.DataFrame:
    """Actors whose ties reach several communities (or countries), best brokers first.

    For each node with at least one tie, by communities of practice (``by="community"``) or
    by countries (``by="country"``) — columns named after them, so that they are never taken
    for detected clusters: ``own_communities`` / ``own_countries`` (its own),
    ``communities_reached`` / ``countries_reached`` (distinct ones among its neighbours),
    ``outside_communities`` / ``outside_countries`` (those it does not belong to itself),
    ``communities`` / ``countries`` (the ones reached, labels, most ties first),
    ``betweenness`` and ``constraint`` (from :func:`~graph.analysis.measures`; pass ``table``
    to reuse one). Ranked by outside ones, then betweenness, then low constraint (fewer
    redundant ties). Labels are in ``language`` (else English); a table without rows says why
    in ``df.attrs["empty_reason"]``.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": ("x",), "b": ("x",), "c": ("y",)}, "communities")
    >>> top = brokers(G).iloc[0]
    >>> top["node"], int(top["communities_reached"]), int(top["outside_communities"])
    ('b', 2, 1)
    """
    if by not in ("community", "country"):
        raise ValueError(f"by must be 'community' or 'country', not {by!r}")
    if table is None:
        from .centrality import measures

        table = measures(G, seed=seed, columns=("betweenness", "constraint"))
    stats = table.set_index("node")
    plural = "communities" if by == "community" else "countries"
    own_col, reached_col, outside_col = f"own_{plural}", f"{plural}_reached", f"outside_{plural}"
    labels = group_labels(G, language)

    def groups_of(node: object) -> tuple[str, ...]:
        data = G.nodes[node]
        if by == "country":
            return (data["country"],) if data.get("country") else ()
        return tuple(data.get("communities", ()))

    rows = []
    for node in G:
        if G.degree(node) == 0:
            continue
        own = set(groups_of(node))
        reached: Counter[str] = Counter(g for nb in G[node] for g in groups_of(nb))
        outside = [g for g in reached if g not in own]
        rows.append({
            "node": node,
            "label": label_in(G, node, language),
            "kind": G.nodes[node].get("kind", ""),
            "country": G.nodes[node].get("country", ""),
            own_col: "; ".join(labels.get(g, g) for g in sorted(own)),
            reached_col: len(reached),
            outside_col: len(outside),
            plural: "; ".join(
                labels.get(g, g)
                for g, _ in sorted(reached.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
            "degree": int(G.degree(node)),
            "betweenness": float(stats.at[node, "betweenness"]),  # type: ignore[arg-type]
            "constraint": float(stats.at[node, "constraint"]),  # type: ignore[arg-type]
        })
    columns = ["node", "label", "kind", "country", own_col, reached_col, outside_col, plural,
               "degree", "betweenness", "constraint"]
    df = pd.DataFrame(rows, columns=columns)
    if df.empty:  # no node, or no tie at all
        df.attrs["empty_reason"] = empty_reason(G, language)
        return df
    df = df.sort_values(
        [outside_col, "betweenness", "constraint", "label"],
        ascending=[False, False, True, True], kind="mergesort",
    )
    return df.reset_index(drop=True)
