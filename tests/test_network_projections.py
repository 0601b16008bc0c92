"""Projections on a tiny hand-built dataset (through the import pipeline) with known answers."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph import KnowledgeGraph
from graph.errors import CopkgError
from graph.ingest import import_paths
from graph.network import ALL_TIES, PROJECTIONS, Filters, build_projection

DATA = Path(__file__).parent / "data" / "network"
ID = "https://w3id.org/copkg/id/"


def P(n: int) -> str:
    return f"{ID}person/p{n}"


@pytest.fixture(scope="module")
def tiny() -> KnowledgeGraph:
    """4 people, 2 products, 1 event, 1 community (tests/data/network/tiny)."""
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [DATA / "tiny"])
    return kg


@pytest.fixture(scope="module")
def with_third_party() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [DATA / "tiny", DATA / "third-party.ttl"])
    return kg


def edges(G: nx.Graph) -> dict[tuple[str, str], float]:
    return {tuple(sorted((u, v))): w for u, v, w in G.edges(data="weight")}


def test_people_edges_weights_and_evidence(tiny: KnowledgeGraph) -> None:
    G = build_projection(tiny, "people")
    assert sorted(G) == [P(1), P(2), P(3), P(4)]
    assert edges(G) == {
        (P(1), P(2)): 1.0, (P(2), P(3)): 1.0,
        (P(1), P(3)): 1.0, (P(1), P(4)): 1.0, (P(3), P(4)): 1.0,
    }
    assert G.edges[P(1), P(2)]["ties"] == {"coauthorship": 1}
    assert G.edges[P(1), P(2)]["evidence"] == [
        {"kind": "product", "iri": f"{ID}product/kp1", "label": "Bus rapid transit toolkit",
         "year": 2015}
    ]
    assert G.edges[P(3), P(4)]["evidence"] == [
        {"kind": "event", "iri": f"{ID}event/ev1", "label": "Marseille workshop", "year": 2016}
    ]


def test_community_ties_are_optional_and_weigh_half(tiny: KnowledgeGraph) -> None:
    G = build_projection(tiny, "people", Filters(ties=ALL_TIES))
    assert edges(G)[(P(1), P(2))] == 1.5
    assert G.edges[P(1), P(2)]["ties"] == {"community": 1, "coauthorship": 1}
    assert edges(G)[(P(2), P(4))] == 0.5  # only the community: a new, weak edge
    assert [e["kind"] for e in G.edges[P(2), P(4)]["evidence"]] == ["community"]
    only_community = build_projection(tiny, "people", Filters(ties=("community",)))
    assert sorted(edges(only_community)) == [(P(1), P(2)), (P(1), P(4)), (P(2), P(4))]


def test_node_attributes(tiny: KnowledgeGraph) -> None:
    G = build_projection(tiny, "people")
    assert G.nodes[P(3)] == {
        "label": "Chloé Martin", "labels": {"en": "Chloé Martin"}, "kind": "person",
        "type": "university", "country": "MA", "organization": f"{ID}org/o2",
        "communities": (), "themes": (f"{ID}theme/finance",), "illustrative": False,
    }
    assert G.nodes[P(1)]["communities"] == (f"{ID}community/transport",)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(year_to=2016), {(P(1), P(2)), (P(1), P(3)), (P(1), P(4)), (P(3), P(4))}),
        (Filters(year_from=2017), {(P(2), P(3))}),
        (Filters(countries=("tn",)), {(P(1), P(2))}),
        (Filters(org_types=("university",)), {(P(3), P(4))}),
        (Filters(communities=("transport",)),
         {(P(1), P(2)), (P(1), P(3)), (P(1), P(4)), (P(3), P(4))}),
        (Filters(ties=("event",)), {(P(1), P(3)), (P(1), P(4)), (P(3), P(4))}),
    ],
)
def test_filters(tiny: KnowledgeGraph, filters: Filters, expected: set[tuple[str, str]]) -> None:
    assert set(edges(build_projection(tiny, "people", filters))) == expected


def test_organizations_and_countries(tiny: KnowledgeGraph) -> None:
    G = build_projection(tiny, "organizations")
    assert sorted(G) == [f"{ID}org/cmi", f"{ID}org/o1", f"{ID}org/o2"]
    data = G.edges[f"{ID}org/o1", f"{ID}org/o2"]
    assert data["weight"] == 2.0
    assert data["ties"] == {"coauthorship": 1, "event": 1}
    assert [e["iri"] for e in data["evidence"]] == [f"{ID}product/kp2", f"{ID}event/ev1"]
    C = build_projection(tiny, "countries")
    assert sorted(C) == ["country:FR", "country:MA", "country:TN"]
    assert C.nodes["country:TN"]["label"] == "Tunisia"
    assert C.edges["country:MA", "country:TN"]["weight"] == 2.0


def test_bipartite_views(tiny: KnowledgeGraph) -> None:
    B = build_projection(tiny, "person-event")
    assert nx.is_bipartite(B)
    assert sorted(B.neighbors(f"{ID}event/ev1")) == [P(1), P(3), P(4)]
    assert B.nodes[f"{ID}event/ev1"]["bipartite"] == 1
    assert B.nodes[f"{ID}event/ev1"]["type"] == "workshop"
    B = build_projection(tiny, "person-product")
    assert sorted(B.neighbors(f"{ID}product/kp2")) == [P(2), P(3)]
    assert B.nodes[f"{ID}product/kp2"]["kind"] == "product"
    OC = build_projection(tiny, "organization-community")
    community = f"{ID}community/transport"
    assert OC.edges[f"{ID}org/o1", community]["weight"] == 2.0  # p1 and p2
    assert OC.edges[f"{ID}org/o2", community]["weight"] == 1.0  # p4
    assert OC.nodes[community]["kind"] == "community"


def test_third_party_foaf_org_data_appears(with_third_party: KnowledgeGraph) -> None:
    G = build_projection(with_third_party, "people")
    zoe, yan = "http://example.org/partner/zoe", "http://example.org/partner/yan"
    assert G.nodes[zoe]["label"] == "Zoë Zed"
    assert G.nodes[zoe]["organization"] == f"{ID}org/o2"
    assert G.nodes[yan]["organization"] == f"{ID}org/o1"  # via ^org:hasMember
    assert G.edges[zoe, yan]["evidence"][0]["label"] == "Partner report"
    assert G.has_edge(zoe, P(4))


def test_deterministic_and_sorted(tiny: KnowledgeGraph) -> None:
    one, two = build_projection(tiny, "people"), build_projection(tiny, "people")
    assert list(one) == sorted(one) == list(two)
    assert list(one.edges) == list(two.edges)


def test_every_projection_builds_and_unknown_is_refused(tiny: KnowledgeGraph) -> None:
    for name in PROJECTIONS:
        assert build_projection(tiny, name).graph["projection"] == name
    with pytest.raises(CopkgError, match="Unknown projection"):
        build_projection(tiny, "friends")
    with pytest.raises(CopkgError, match="Unknown kind of tie"):
        Filters(ties=("friendship",))
