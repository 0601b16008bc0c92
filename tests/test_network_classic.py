"""Known answers on classic networks loaded through the import pipeline (tests/data/network)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph import KnowledgeGraph
from graph.analysis import measures
from graph.ingest import import_paths
from graph.network import build_projection
from graph.vocab import slug

DATA = Path(__file__).parent / "data" / "network"
ID = "https://w3id.org/copkg/id/"


def _load(folder: str) -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [DATA / folder])
    return kg


@pytest.fixture(scope="module")
def davis() -> KnowledgeGraph:
    return _load("davis")


@pytest.fixture(scope="module")
def florentine() -> KnowledgeGraph:
    return _load("florentine")


def _davis_reference() -> nx.Graph:
    D = nx.davis_southern_women_graph()
    women = [n for n, b in D.nodes(data="bipartite") if b == 0]
    return nx.bipartite.weighted_projected_graph(D, women)


def test_davis_person_event_is_the_bipartite_graph(davis: KnowledgeGraph) -> None:
    B = build_projection(davis, "person-event")
    D = nx.davis_southern_women_graph()
    label = nx.get_node_attributes(B, "label")
    got = {(label[u], label[v].removeprefix("Social event ")) for u, v in B.edges()}
    want = {(w, e) for w, e in D.edges() if D.nodes[w]["bipartite"] == 0}
    want |= {(e, w) for w, e in D.edges() if D.nodes[w]["bipartite"] == 1}
    assert {tuple(sorted(pair)) for pair in got} == {tuple(sorted(pair)) for pair in want}


def test_davis_people_projection_equals_networkx(davis: KnowledgeGraph) -> None:
    G = build_projection(davis, "people")
    ref = _davis_reference()
    by_name = {G.nodes[n]["label"]: n for n in G}
    mapped = nx.relabel_nodes(ref, by_name)
    assert set(map(frozenset, G.edges())) == set(map(frozenset, mapped.edges()))
    for u, v, w in mapped.edges(data="weight"):
        assert G.edges[u, v]["weight"] == w
        assert G.edges[u, v]["ties"] == {"event": w}
        assert len(G.edges[u, v]["evidence"]) == w
    assert dict(G.degree()) == dict(mapped.degree())
    table = measures(G).set_index("node")
    ref_betweenness = nx.betweenness_centrality(mapped)
    for node, value in ref_betweenness.items():
        assert table.at[node, "betweenness"] == pytest.approx(value, abs=1e-12)


def test_florentine_organizations_projection(florentine: KnowledgeGraph) -> None:
    G = build_projection(florentine, "organizations")
    F = nx.florentine_families_graph()
    iri = {family: f"{ID}org/{slug(family)}" for family in F}
    assert set(map(frozenset, G.edges())) == {frozenset((iri[u], iri[v])) for u, v in F.edges()}
    table = measures(G).set_index("label")
    assert table.at["Medici", "betweenness"] == pytest.approx(0.521978, abs=1e-6)
    ref = nx.betweenness_centrality(F)
    for family, value in ref.items():
        assert table.at[family, "betweenness"] == pytest.approx(value)
    assert G.edges[iri["Medici"], iri["Albizzi"]]["evidence"][0]["label"] == (
        "Marriage Albizzi–Medici"
    )
