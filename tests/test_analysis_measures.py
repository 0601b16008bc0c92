"""Every measure computed by igraph/scipy equals networkx's own definition on small graphs."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graph.analysis import burt_constraint, detect_communities, effective_size, measures
from graph.analysis.centrality import _betweenness_sampled, to_igraph


def _weighted_random(n: int, m: int, seed: int, isolated: int = 0) -> nx.Graph:
    G = nx.gnm_random_graph(n, m, seed=seed)
    rng = random.Random(seed)
    for u, v in G.edges():
        G.edges[u, v]["weight"] = rng.choice([0.5, 1.0, 2.0, 3.0])
    G.add_nodes_from(range(n, n + isolated))
    return G


def _davis() -> nx.Graph:
    D = nx.davis_southern_women_graph()
    return nx.bipartite.weighted_projected_graph(D, [n for n, b in D.nodes(data="bipartite")
                                                     if b == 0])


GRAPHS = {
    "florentine": nx.florentine_families_graph,
    "karate": nx.karate_club_graph,
    "davis": _davis,
    "random-weighted": lambda: _weighted_random(60, 150, seed=3),
    "disconnected": lambda: nx.disjoint_union(
        _weighted_random(30, 70, seed=5, isolated=2), nx.path_graph(4)
    ),
}


@pytest.fixture(params=sorted(GRAPHS), scope="module")
def graph_and_table(request: pytest.FixtureRequest) -> tuple[nx.Graph, object]:
    G = GRAPHS[request.param]()
    return G, measures(G).set_index("node")


def _compare(table: object, column: str, reference: dict, **approx: float) -> None:
    for node, value in reference.items():
        got = table.at[node, column]  # type: ignore[attr-defined]
        if isinstance(value, float) and math.isnan(value):
            assert math.isnan(got), (node, column)
        else:
            assert got == pytest.approx(value, **approx), (node, column)


def test_degree_and_strength(graph_and_table: tuple[nx.Graph, object]) -> None:
    G, table = graph_and_table
    _compare(table, "degree", dict(G.degree()))
    _compare(table, "weighted_degree", dict(G.degree(weight="weight")))


def test_betweenness_equals_networkx(graph_and_table: tuple[nx.Graph, object]) -> None:
    G, table = graph_and_table
    _compare(table, "betweenness", nx.betweenness_centrality(G), abs=1e-12)


def test_closeness_equals_networkx_wf(graph_and_table: tuple[nx.Graph, object]) -> None:
    G, table = graph_and_table
    _compare(table, "closeness", nx.closeness_centrality(G), abs=1e-12)


def test_pagerank_equals_networkx(graph_and_table: tuple[nx.Graph, object]) -> None:
    G, table = graph_and_table
    # networkx stops its power iteration at tol=1e-6 (sum of errors); PRPACK solves exactly.
    _compare(table, "pagerank", nx.pagerank(G, weight="weight", tol=1e-12), abs=1e-9)


def test_eigenvector_equals_networkx(graph_and_table: tuple[nx.Graph, object]) -> None:
    G, table = graph_and_table
    reference = nx.eigenvector_centrality(G, max_iter=20_000, tol=1e-12)
    _compare(table, "eigenvector", reference, abs=1e-5)


def test_constraint_equals_networkx(graph_and_table: tuple[nx.Graph, object]) -> None:
    G, table = graph_and_table
    _compare(table, "constraint", nx.constraint(G, weight="weight"), abs=1e-12)


def test_effective_size_equals_networkx_formula(graph_and_table: tuple[nx.Graph, object]) -> None:
    G, table = graph_and_table
    # nodes=... selects networkx's per-node implementation of Burt's formula. Its default
    # sparse path (nodes=None) divides m_vw by w's strongest tie instead of v's when weights
    # differ (networkx 3.6.1), so the two networkx paths disagree on weighted graphs.
    reference = nx.effective_size(G, nodes=list(G), weight="weight")
    _compare(table, "effective_size", reference, abs=1e-12)


def test_unweighted_effective_size_is_borgatti() -> None:
    G = nx.karate_club_graph()
    for u, v in G.edges():
        G.edges[u, v]["weight"] = 1.0
    got = effective_size(G)
    want = nx.effective_size(G)
    assert got.tolist() == pytest.approx([want[n] for n in sorted(G)])
    assert burt_constraint(nx.Graph([(0, 1)])).tolist() == [1.0, 1.0]


def test_sampled_betweenness_scales_like_networkx() -> None:
    G = nx.karate_club_graph()
    g, nodes = to_igraph(G)
    sources = [0, 5, 9, 20, 33]
    got = _betweenness_sampled(g, sources)
    # networkx's k-sample estimate for these sources: subset sums × n/k, normalised.
    subset = nx.betweenness_centrality_subset(G, sources, list(G), normalized=False)
    n, k = len(G), len(sources)
    want = [2 * subset[v] * n / k / ((n - 1) * (n - 2)) for v in nodes]
    assert got == pytest.approx(want)
    all_sources = _betweenness_sampled(g, list(range(n)))
    exact = nx.betweenness_centrality(G)
    assert all_sources == pytest.approx([exact[v] for v in nodes])


def test_sampling_is_used_and_reported_on_request() -> None:
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=1)
    table = measures(G, betweenness_sample=100).set_index("node")
    assert table.attrs["betweenness"].startswith("sampled (igraph, k=100")
    exact_b = nx.betweenness_centrality(G)
    exact_c = nx.closeness_centrality(G)
    top = sorted(exact_b, key=exact_b.get, reverse=True)[:10]
    rel_b = np.mean([abs(table.at[v, "betweenness"] - exact_b[v]) / exact_b[v] for v in top])
    rel_c = np.mean([abs(table.at[v, "closeness"] - exact_c[v]) / exact_c[v] for v in G])
    assert rel_b < 0.3 and rel_c < 0.05


def test_communities_are_deterministic_whatever_the_insertion_order() -> None:
    G = nx.karate_club_graph()
    edges = list(G.edges())
    random.Random(4).shuffle(edges)
    H = nx.Graph()
    H.add_nodes_from(sorted(G, reverse=True))
    H.add_edges_from(edges)
    one = measures(G).set_index("node")["cluster"]
    two = measures(H).set_index("node")["cluster"]
    assert one.sort_index().tolist() == two.sort_index().tolist()
    parts = [set(one.index[one == c]) for c in sorted(set(one))]
    louvain = nx.community.louvain_communities(G, seed=1)
    assert nx.community.modularity(G, parts) >= nx.community.modularity(G, louvain) - 0.01
    assert [len(p) for p in parts] == sorted((len(p) for p in parts), reverse=True)


def test_detect_communities_table() -> None:
    G = nx.karate_club_graph()
    table = detect_communities(G)
    assert table["size"].sum() == 34
    # Numbered from 1, largest first: the numbers the app says as "Group 1", "Group 2"...
    assert list(table["cluster"]) == list(range(1, len(table) + 1))
    assert table["size"].is_monotonic_decreasing


def test_empty_and_edgeless_graphs() -> None:
    assert measures(nx.Graph()).empty
    table = measures(nx.empty_graph(3))
    assert table["degree"].tolist() == [0, 0, 0]
    assert table["closeness"].tolist() == [0.0, 0.0, 0.0]
    assert table["constraint"].isna().all()
    with pytest.raises(TypeError):
        measures(nx.DiGraph([(0, 1)]))


def test_only_the_measures_asked_are_computed_and_equal_the_full_table() -> None:
    from graph.analysis import measures as _measures

    G = nx.florentine_families_graph()
    full = _measures(G)
    part = _measures(G, columns=("betweenness", "constraint"))
    assert list(part.columns) == ["node", "label", "kind", "type", "country", "degree",
                                  "weighted_degree", "betweenness", "constraint"]
    pd.testing.assert_frame_equal(part, full[part.columns], check_like=False)
