"""The map tests' shared graph (tests/test_maps.py, test_maps_legibility.py, test_map_browser.py):
a projection-like network with hostile, French and Arabic names."""

from __future__ import annotations

import random

import networkx as nx

ID = "https://w3id.org/copkg/id/"
HOSTILE = [
    '<img src=x onerror="window.__xss=1;alert(1)"> href',
    "</script><script>window.__xss=2;alert(2)</script>",
    "Quote \" ' & <b>Co</b>",
    "<!-- Élodie Bénard -->",
]
COMMUNITIES = [f"{ID}community/urban-transport", f"{ID}community/employment"]


def demo_graph(n: int = 40, seed: int = 1) -> nx.Graph:
    """A projection-like graph: hostile, French and Arabic names, evidence, illustrative."""
    rng = random.Random(seed)
    G = nx.Graph()
    G.graph["labels"] = {COMMUNITIES[0]: {"en": "Urban transport", "fr": "Transport urbain",
                                          "ar": "النقل الحضري"},
                         COMMUNITIES[1]: {"en": "Employment", "fr": "Emploi",
                                          "ar": "التشغيل"}}
    for i in range(n):
        iri = f"{ID}person/p{i:04d}"
        name = HOSTILE[i] if i < len(HOSTILE) else f"Expert {i}"
        labels = {"en": name, "fr": name, "ar": name if i < len(HOSTILE) else f"خبير {i}"}
        G.add_node(iri, label=name, labels=labels, kind="person", type="expert",
                   country=["TN", "MA", "FR", "EG"][i % 4],
                   organization=f"{ID}organization/o{i % 3}",
                   communities=tuple(COMMUNITIES[: 1 + (i % 3 == 0)]) if i % 5 else
                   (COMMUNITIES[1],), illustrative=True)
    nodes = sorted(G)
    for i in range(n * 2):
        a, b = rng.sample(nodes, 2) if i >= n - 1 else (nodes[i], nodes[i + 1])
        G.add_edge(a, b, weight=float(1 + i % 3), ties={"event": 1, "coauthorship": i % 2},
                   evidence=[{"kind": "event", "iri": f"{ID}event/e{i}",
                              "label": HOSTILE[i % len(HOSTILE)], "year": 2015 + i % 8}])
    return G
