"""The questions a program manager asks, on the tiny dataset: names, paths, brokers, gaps..."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph import KnowledgeGraph
from graph.analysis import (
    brokers,
    connection_paths,
    coverage,
    ego_network,
    gaps,
    resolve,
    suggest_introductions,
)
from graph.errors import AmbiguousNameError, NotFoundError
from graph.ingest import import_paths
from graph.network import build_projection

DATA = Path(__file__).parent / "data" / "network"
ID = "https://w3id.org/copkg/id/"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [DATA / "tiny"])
    return kg


@pytest.fixture(scope="module")
def people(kg: KnowledgeGraph) -> nx.Graph:
    return build_projection(kg, "people")


@pytest.mark.parametrize("text", ["p3", "P3", f"{ID}person/p3", "chloé martin", "CHLOE MARTIN",
                                  "  Chloe   Martin "])
def test_resolve_by_id_iri_or_label(people: nx.Graph, kg: KnowledgeGraph, text: str) -> None:
    assert resolve(people, text) == f"{ID}person/p3"
    assert resolve(kg, text) == f"{ID}person/p3"


def test_resolve_unknown_lists_closest_labels(people: nx.Graph) -> None:
    with pytest.raises(NotFoundError) as info:
        resolve(people, "Chloe Martine")
    assert "Nothing is called 'Chloe Martine'" in str(info.value)
    assert info.value.suggestions[0] == "Chloé Martin (p3)"
    assert not isinstance(info.value, AmbiguousNameError)


def test_resolve_ambiguous_lists_candidates_with_ids() -> None:
    G = nx.Graph()
    G.add_node(f"{ID}person/a1", label="Sami Haddad")
    G.add_node(f"{ID}person/a2", label="Sami Haddâd")
    with pytest.raises(AmbiguousNameError) as info:
        resolve(G, "sami haddad")
    assert info.value.suggestions == ("Sami Haddad (a1)", "Sami Haddâd (a2)")
    assert "use an id" in str(info.value)


def test_path_lists_evidence_for_every_step(people: nx.Graph) -> None:
    paths = connection_paths(people, "Bruno Faure", "Dalia Nasser", max_paths=5)
    assert len(paths) == 2  # via Ana (product + event) and via Chloé (product + event)
    for path in paths:
        assert [len(s.evidence) for s in path] == [1, 1]
        assert path[0].source == f"{ID}person/p2" and path[-1].target == f"{ID}person/p4"
    first = paths[0]
    assert first[0].labels == ("Bruno Faure", "Ana Ben Ali")
    assert first[0].evidence[0]["label"] == "Bus rapid transit toolkit"
    assert first[1].describe() == "Ana Ben Ali — Dalia Nasser: event Marseille workshop (2016)"
    assert connection_paths(people, "p2", "p4", max_paths=1) == paths[:1]


def test_path_when_not_connected_is_empty() -> None:
    G = nx.Graph()
    G.add_nodes_from(["x", "y"])
    assert connection_paths(G, "x", "y") == []


def test_ego_network(people: nx.Graph) -> None:
    H = ego_network(people, "p4")
    assert sorted(H) == [f"{ID}person/p1", f"{ID}person/p3", f"{ID}person/p4"]
    assert H.nodes[f"{ID}person/p1"]["distance"] == 1
    assert sorted(ego_network(people, "p4", radius=2)) == sorted(people)


def test_brokers_by_country(people: nx.Graph) -> None:
    table = brokers(people, by="country")
    top = table.iloc[0]
    # Ana (TN) and Bruno (TN) both reach Morocco; Ana has the highest betweenness.
    assert top["label"] == "Ana Ben Ali"
    assert top["outside_countries"] == 1


def test_coverage_and_gaps(kg: KnowledgeGraph) -> None:
    table = coverage(kg)
    assert len(table) == 2  # two members (o1 Tunis, o2 Rabat) × one community
    tunis = table[table["member"] == f"{ID}org/o1"].iloc[0]
    assert (tunis["people"], tunis["products"], tunis["events"]) == (2, 1, 1)
    rabat = table[table["member"] == f"{ID}org/o2"].iloc[0]
    assert (rabat["people"], rabat["products"], rabat["events"]) == (1, 0, 1)
    assert set(table["status"]) == {"thin"}
    assert len(gaps(kg)) == 2 and gaps(kg, thin=0)["status"].tolist() == []


def test_suggest_introductions_with_reasons(people: nx.Graph) -> None:
    table = suggest_introductions(people, "p4")
    assert table["node"].tolist() == [f"{ID}person/p2"]
    reason = table.iloc[0]["reason"]
    assert "common collaborators (2): Ana Ben Ali, Chloé Martin" in reason
    assert "shared communities (1): Urban transport CoP" in reason
