"""The projection cache (graph.network.cache): a hit is the graph a build gives for the same
data, never a file of another state, of another copkg version, or a damaged one."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from graph.access.erasure import forget
from graph.ingest.bootstrap import open_graph
from graph.network import cache
from graph.network.filters import Filters
from graph.network.projections import build_projection, project
from graph.store import KnowledgeGraph


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KnowledgeGraph]:
    monkeypatch.setenv("COPKG_CACHE_DIR", str(tmp_path / "cache"))
    cache.clear_memory()
    kg = open_graph(tmp_path / "store")
    yield kg
    kg.close()
    cache.clear_memory()


def _files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("*.pickle"))


def _same(a: nx.Graph, b: nx.Graph) -> bool:
    return (sorted(a.nodes) == sorted(b.nodes)
            and sorted(map(sorted, a.edges)) == sorted(map(sorted, b.edges))
            and all(a.edges[e].get("weight") == b.edges[e].get("weight") for e in a.edges))


def test_a_hit_from_disk_equals_a_build(store: KnowledgeGraph, tmp_path: Path) -> None:
    filters = Filters(countries=("TN",))
    first = build_projection(store, "people", filters)
    names = [p.name for p in _files(tmp_path)]
    assert any("-people-" in n for n in names) and any("-incidence-" in n for n in names)
    cache.clear_memory()  # as a new process would
    second = build_projection(store, "people", filters)
    assert second is not first
    assert _same(second, first)
    fresh = project(cache.incidence(store), "people", filters)
    assert _same(second, fresh)
    assert first.number_of_nodes() > 10


def test_files_of_another_copkg_version_are_never_read(
        store: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_CODE", "000000000000")
    build_projection(store, "people")
    old = [p for p in _files(tmp_path) if "-people-" in p.name]
    assert len(old) == 1 and old[0].name.endswith("-000000000000.pickle")
    # What an older copkg left there: a graph that is not this data's.
    with old[0].open("wb") as handle:
        pickle.dump(nx.Graph([("x", "y")]), handle)
    monkeypatch.undo()
    cache.clear_memory()
    G = build_projection(store, "people")
    assert "x" not in G and G.number_of_nodes() > 300
    assert cache._CODE != "000000000000" and len(cache._CODE) == 12


def test_a_damaged_file_is_ignored_and_replaced(store: KnowledgeGraph, tmp_path: Path) -> None:
    first = build_projection(store, "organizations")
    path = next(p for p in _files(tmp_path) if "-organizations-" in p.name)
    path.write_bytes(b"\x80\x05 not a pickle")
    cache.clear_memory()
    again = build_projection(store, "organizations")
    assert _same(again, first)
    with path.open("rb") as handle:
        assert _same(pickle.load(handle), first)


def test_a_new_state_is_never_answered_from_the_old_one(store: KnowledgeGraph,
                                                        tmp_path: Path) -> None:
    before = build_projection(store, "people")
    person = "https://w3id.org/copkg/id/person/p0001"
    assert person in before
    forget(store, "p0001", who="test")  # a real write: erasure, one transaction
    after = build_projection(store, "people")
    assert person not in after
    assert before.number_of_nodes() - after.number_of_nodes() == 1
