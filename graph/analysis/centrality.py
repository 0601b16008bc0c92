"""Who is central: one table of centrality, cluster and structural-hole measures per node.

igraph computes the graph measures (it is 50–100× faster than networkx here); every value is
converted to networkx's own definition and normalisation, and ``tests/test_analysis_measures.py``
checks each against networkx on classic graphs. Burt's constraint and effective size are
computed with scipy sparse matrices restricted to existing edges (networkx's own sparse version
of effective size builds a dense n×n matrix: 3 GB at 20k nodes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from .._lazy import lazy_module

if TYPE_CHECKING:
    import igraph as ig
    import scipy.sparse as sp
else:  # imported on first use (igraph pulls in matplotlib: ~1 s)
    ig = lazy_module("igraph")
    sp = lazy_module("scipy.sparse")

__all__ = [
    "EXACT_LIMIT",
    "SAMPLE_SIZE",
    "burt_constraint",
    "effective_size",
    "measures",
    "to_igraph",
]

#: Above this many nodes betweenness and closeness are estimated from sampled sources
#: (exact igraph betweenness took 158 s on 20k experts / 235k ties; 500 sources: 2.4 s).
EXACT_LIMIT = 5_000
#: Number of sampled sources (pivots) used above :data:`EXACT_LIMIT`.
SAMPLE_SIZE = 500

_COLUMNS = [
    "node", "label", "kind", "type", "country", "degree", "weighted_degree", "betweenness",
    "closeness", "pagerank", "eigenvector", "cluster", "constraint", "effective_size",
]


def measures(
    G: nx.Graph, *, seed: int = 42, betweenness_sample: int | None = None,
    columns: Iterable[str] | None = None, language: str = "en",
) -> pd.DataFrame:
    """One row per node of ``G`` with its centrality, cluster and brokerage measures.

    Columns: ``node, label, kind, type, country`` (node attributes), ``degree`` (number of
    neighbours), ``weighted_degree`` (sum of edge weights), ``betweenness`` (unweighted,
    normalised: networkx's ``betweenness_centrality``), ``closeness`` (unweighted,
    Wasserman–Faust for disconnected graphs: networkx's ``closeness_centrality``),
    ``pagerank`` (weighted, α = 0.85), ``eigenvector`` (unweighted, unit norm; on a
    disconnected graph the component with the largest eigenvalue, 0 elsewhere, as networkx's
    power iteration converges to), ``cluster`` (detected by Leiden modularity, weighted,
    numbered by size from 1, the largest: the app's "Group 1"; named so it is never taken
    for a community of practice), ``constraint`` and ``effective_size`` (Burt, weighted
    as networkx's ``constraint`` / ``effective_size`` with ``weight="weight"``; NaN for
    isolated nodes).

    With ``betweenness_sample=k`` (or automatically with k = :data:`SAMPLE_SIZE` above
    :data:`EXACT_LIMIT` nodes) betweenness and closeness are estimated from k sources drawn
    with ``seed``; ``df.attrs["betweenness"]`` and ``df.attrs["closeness"]`` say which.
    ``columns`` names the measures wanted (default: all); the others are not computed, so a
    command computes only what it shows. A table without rows says why in
    ``df.attrs["empty_reason"]`` (in ``language``; see :func:`graph.network.empty_reason`).

    >>> df = measures(nx.florentine_families_graph())
    >>> medici = df.set_index("node").loc["Medici"]
    >>> int(medici["degree"]), round(float(medici["betweenness"]), 4)
    (6, 0.522)
    >>> df.attrs["betweenness"]
    'exact (igraph, unweighted, normalised as networkx)'
    """
    if G.is_directed() or G.is_multigraph():
        raise TypeError("measures expects an undirected nx.Graph (not directed, not multi)")
    want = set(_COLUMNS[5:] if columns is None else columns)
    unknown = want - set(_COLUMNS[5:])
    if unknown:
        raise ValueError(f"unknown measure(s) {', '.join(sorted(unknown))}; "
                         f"measures are {', '.join(_COLUMNS[5:])}")
    # degree and weighted degree cost nothing and are always there.
    out_columns = _COLUMNS[:7] + [c for c in _COLUMNS[7:] if c in want]
    g, nodes = to_igraph(G)
    n = len(nodes)
    if n == 0:
        from ..network.empty import empty_reason

        empty = pd.DataFrame(columns=out_columns)
        empty.attrs["empty_reason"] = empty_reason(G, language)
        return empty
    df = pd.DataFrame({"node": nodes})
    for column in ("label", "kind", "type", "country"):
        df[column] = [_text(G.nodes[v].get(column, v if column == "label" else "")) for v in nodes]
    weights = g.es["weight"] if g.ecount() else []
    df["degree"] = g.degree()
    df["weighted_degree"] = g.strength(weights=weights) if g.ecount() else [0.0] * n
    if not want & {"betweenness", "closeness"}:
        return _rest(df, g, want, weights, seed)[out_columns]

    sample = betweenness_sample
    if sample is None and n > EXACT_LIMIT:
        sample = SAMPLE_SIZE
    if sample is not None and sample >= n:
        sample = None
    if sample is None:
        if "betweenness" in want:
            df["betweenness"] = _betweenness_exact(g)
        if "closeness" in want:
            df["closeness"] = _closeness_exact(g)
        df.attrs["betweenness"] = "exact (igraph, unweighted, normalised as networkx)"
        df.attrs["sample"] = None  # for a translated note: None = exact, else k sources
        df.attrs["closeness"] = "exact (igraph, unweighted, Wasserman-Faust as networkx)"
    else:
        rng = np.random.default_rng(seed)
        pivots = sorted(rng.choice(n, size=sample, replace=False).tolist())
        if "betweenness" in want:
            df["betweenness"] = _betweenness_sampled(g, pivots)
        if "closeness" in want:
            df["closeness"] = _closeness_sampled(g, pivots)
        error = 1 / math.sqrt(sample)
        df.attrs["sample"], df.attrs["seed"] = sample, seed
        df.attrs["betweenness"] = (
            f"sampled (igraph, k={sample} sources drawn with seed={seed}, scaled by n/k as "
            f"networkx's k=; relative error of order 1/sqrt(k) ≈ {error:.0%} for central nodes)"
        )
        df.attrs["closeness"] = (
            f"estimated from the same k={sample} sources (Eppstein-Wang) in large components, "
            "exact in components holding fewer than 20 of them"
        )
    return _rest(df, g, want, weights, seed)[out_columns]


def _rest(df: pd.DataFrame, g: ig.Graph, want: set[str], weights: Any, seed: int
          ) -> pd.DataFrame:
    if "pagerank" in want:
        df["pagerank"] = g.pagerank(weights=weights or None, damping=0.85, directed=False)
    if "eigenvector" in want:
        df["eigenvector"] = _eigenvector(g)
    if "cluster" in want:
        from .clusters import leiden_membership

        df["cluster"] = leiden_membership(g, seed=seed)
    if want & {"constraint", "effective_size"}:
        adjacency = _adjacency(g)
        if "constraint" in want:
            df["constraint"] = burt_constraint(adjacency)
        if "effective_size" in want:
            df["effective_size"] = effective_size(adjacency)
    df.attrs["engine"] = (
        "igraph (degree, strength, betweenness, closeness, pagerank, eigenvector), igraph Leiden "
        "(cluster), scipy sparse (constraint, effective_size)"
    )
    return df


def to_igraph(G: nx.Graph, weight: str = "weight") -> tuple[ig.Graph, list[Any]]:
    """An igraph copy of ``G`` built from its sorted nodes and edges, and that node order.

    Self-loops are dropped; a missing weight counts as 1.

    >>> g, nodes = to_igraph(nx.Graph([("b", "a", {"weight": 2.0})]))
    >>> nodes, g.es["weight"]
    (['a', 'b'], [2.0])
    """
    nodes = _sorted_nodes(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = []
    for u, v, data in G.edges(data=True):
        if u == v:
            continue
        i, j = index[u], index[v]
        edges.append((min(i, j), max(i, j), float(data.get(weight, 1.0) or 0.0)))
    edges.sort()
    g = ig.Graph(n=len(nodes), edges=[(i, j) for i, j, _ in edges], directed=False)
    g.es["weight"] = [w for _, _, w in edges]
    return g, nodes


def _sorted_nodes(G: nx.Graph) -> list[Any]:
    try:
        return sorted(G)
    except TypeError:
        return sorted(G, key=repr)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# ----------------------------------------------------------------------------- path measures
def _betweenness_exact(g: ig.Graph) -> list[float]:
    n = g.vcount()
    if n <= 2:
        return [0.0] * n
    raw = np.asarray(g.betweenness(directed=False), dtype=float)
    # igraph counts each unordered pair once; networkx normalises by (n-1)(n-2)/2 pairs.
    return (raw * 2.0 / ((n - 1) * (n - 2))).tolist()


def _betweenness_sampled(g: ig.Graph, pivots: list[int]) -> list[float]:
    n = g.vcount()
    raw = np.asarray(g.betweenness(directed=False, sources=pivots), dtype=float)
    # igraph halves undirected subset sums; networkx scales the ordered sum by n/k.
    return (raw * 2.0 * n / len(pivots) / ((n - 1) * (n - 2))).tolist()


def _closeness_exact(g: ig.Graph) -> list[float]:
    n = g.vcount()
    if n <= 1:
        return [0.0] * n
    values = np.asarray(g.closeness(normalized=True), dtype=float)
    reach = np.asarray(g.connected_components().sizes())[g.connected_components().membership]
    # igraph: (r-1)/Σd over the r reachable nodes; networkx (wf_improved) also × (r-1)/(n-1).
    values = np.nan_to_num(values) * (reach - 1) / (n - 1)
    return values.tolist()


def _closeness_sampled(g: ig.Graph, pivots: list[int]) -> list[float]:
    n = g.vcount()
    components = g.connected_components()
    membership = np.asarray(components.membership)
    sizes = np.asarray(components.sizes())
    reach = sizes[membership]
    distances = np.asarray(g.distances(source=pivots, mode="all"), dtype=float)
    finite = np.isfinite(distances)
    # Pivots in the node's component, not counting the node itself.
    k_u = finite.sum(axis=0) - np.isin(np.arange(n), pivots)
    total = np.where(finite, distances, 0.0).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimated_sum = total * (reach - 1) / k_u
        values = (reach - 1) / estimated_sum * (reach - 1) / (n - 1)
    values = np.nan_to_num(values, posinf=0.0)
    exact = np.flatnonzero(k_u < 20)
    if len(exact):
        part = np.nan_to_num(np.asarray(g.closeness(vertices=exact.tolist(), normalized=True)))
        values[exact] = part * (reach[exact] - 1) / (n - 1)
    values[reach <= 1] = 0.0
    return values.tolist()


def _eigenvector(g: ig.Graph) -> list[float]:
    n = g.vcount()
    if n == 0:
        return []
    if g.ecount() == 0:
        return [1.0 / math.sqrt(n)] * n  # networkx's iteration stays at the uniform vector
    values = np.zeros(n)
    components = sorted(g.connected_components(), key=len, reverse=True)
    degrees = np.asarray(g.degree())
    best, best_members, best_vector = -1.0, None, None
    for members in components:
        if len(members) < 2 or degrees[members].max() <= best:
            continue  # the largest eigenvalue of a component is at most its max degree
        sub = g.induced_subgraph(members)
        vector, value = sub.eigenvector_centrality(return_eigenvalue=True)
        if value > best + 1e-9:
            best, best_members, best_vector = value, members, np.asarray(vector)
    assert best_members is not None and best_vector is not None
    values[best_members] = np.abs(best_vector) / np.linalg.norm(best_vector)
    return values.tolist()


# ----------------------------------------------------------------------------- structural holes
def _adjacency(g: ig.Graph) -> sp.csr_matrix:
    n = g.vcount()
    if g.ecount() == 0:
        return sp.csr_matrix((n, n))
    edges = np.asarray(g.get_edgelist())
    w = np.asarray(g.es["weight"], dtype=float)
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    return sp.csr_matrix((np.concatenate([w, w]), (rows, cols)), shape=(n, n))


def burt_constraint(adjacency: sp.spmatrix | nx.Graph, weight: str = "weight") -> np.ndarray:
    """Burt's constraint of every node, as ``nx.constraint(G, weight=weight)`` (NaN if isolated).

    ``c(i) = Σ_j (p_ij + Σ_q p_iq p_qj)²`` over neighbours ``j``, where ``p_ij`` is the share
    of ``i``'s tie weight that goes to ``j``. Works on a symmetric sparse weight matrix (or a
    graph, in sorted node order) and evaluates ``P @ P`` only on existing edges, in row blocks.

    >>> burt_constraint(nx.path_graph(3)).round(3).tolist()
    [1.0, 0.5, 1.0]
    """
    A = _as_matrix(adjacency, weight)
    P, isolated = _row_normalised(A)
    values = np.zeros(A.shape[0])
    for start, stop, block in _row_blocks(P):
        two_step = _on_pattern(block @ P, block)
        local = (block + two_step).power(2)
        values[start:stop] = np.asarray(local.sum(axis=1)).ravel()
    values[isolated] = np.nan
    return values


def effective_size(adjacency: sp.spmatrix | nx.Graph, weight: str = "weight") -> np.ndarray:
    """Burt's effective size of every node, as ``nx.effective_size(G, weight=weight)``.

    ``e(i) = Σ_j (1 − Σ_q p_iq m_jq)`` over neighbours ``j``, with ``m_jq`` the weight of
    ``j``–``q`` divided by ``j``'s strongest tie. NaN for isolated nodes.

    >>> effective_size(nx.complete_graph(4)).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    A = _as_matrix(adjacency, weight)
    P, isolated = _row_normalised(A)
    row_max = np.asarray(A.max(axis=1).toarray()).ravel()
    with np.errstate(divide="ignore"):
        M = sp.diags(np.where(row_max > 0, 1.0 / row_max, 0.0)) @ A
    MT = M.T.tocsr()
    degree = np.diff(A.indptr).astype(float)
    values = np.zeros(A.shape[0])
    for start, stop, block in _row_blocks(P):
        redundancy = _on_pattern(block @ MT, block)
        values[start:stop] = degree[start:stop] - np.asarray(redundancy.sum(axis=1)).ravel()
    values[isolated] = np.nan
    return values


def _as_matrix(adjacency: sp.spmatrix | nx.Graph, weight: str) -> sp.csr_matrix:
    if isinstance(adjacency, nx.Graph):
        g, _ = to_igraph(adjacency, weight=weight)
        return _adjacency(g)
    return sp.csr_matrix(adjacency, dtype=float)


def _row_normalised(A: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    strength = np.asarray(A.sum(axis=1)).ravel()
    isolated = strength == 0
    with np.errstate(divide="ignore"):
        inverse = np.where(isolated, 0.0, 1.0 / strength)
    return sp.csr_matrix(sp.diags(inverse) @ A), isolated


def _row_blocks(P: sp.csr_matrix, size: int = 2_000) -> Any:
    # Blocks of rows keep the two-step products small (P @ P fills in at n × degree²).
    for start in range(0, P.shape[0], size):
        stop = min(start + size, P.shape[0])
        yield start, stop, P[start:stop]


def _on_pattern(product: sp.spmatrix, pattern: sp.csr_matrix) -> sp.csr_matrix:
    """``product`` kept only where ``pattern`` has an entry (the neighbours)."""
    mask = pattern.copy()
    mask.data = np.ones_like(mask.data)
    return sp.csr_matrix(sp.csr_matrix(product).multiply(mask))
