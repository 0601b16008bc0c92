"""The bundled data ships pre-checked (data/bundled.nq.gz, hash-checked), equal to an import."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph.ingest.bootstrap as bootstrap
from graph import KnowledgeGraph
from graph.config import bundled_data_paths
from graph.ingest import import_paths
from graph.vocab import AUDIT_GRAPH, ONTOLOGY_GRAPH, STATE_GRAPH

# Import times differ between the bundle and a new import; nothing else may.
_TIME = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\+00:00|Z)?"\^\^<http://www\.w3\.org/2001/'
                   r"XMLSchema#dateTime>")


def _quads(kg: KnowledgeGraph) -> set[str]:
    skip = {str(ONTOLOGY_GRAPH), str(STATE_GRAPH), str(AUDIT_GRAPH)}
    rows = kg.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    quads = [ox.Quad(s, p, o, g) for s, p, o, g in rows  # type: ignore[arg-type]
             if g is not None and g.value not in skip]
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert text is not None
    return {_TIME.sub('"TIME"', line) for line in text.decode().splitlines()}


def test_bundle_is_current() -> None:
    """Edited data, ontology or shapes without `make bundle` fails here (CI), not for users."""
    assert bootstrap.bundle_is_current(), "run: python -m graph.ingest.bootstrap"


def test_bundle_equals_a_fresh_import() -> None:
    imported = KnowledgeGraph.in_memory()
    import_paths(imported, bundled_data_paths())
    loaded = KnowledgeGraph.in_memory()
    assert bootstrap.load_bundled(loaded) == "bundle"
    assert _quads(loaded) == _quads(imported)
    assert gzip.decompress(bootstrap.BUNDLE.read_bytes()).count(b"\n") == len(_quads(loaded))


def test_a_changed_source_is_imported_instead(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    manifest = tmp_path / "bundled.sha256"
    manifest.write_text(bootstrap.MANIFEST.read_text(encoding="utf-8").replace(
        "data/cmi.ttl", "data/other.ttl"), encoding="utf-8")
    monkeypatch.setattr(bootstrap, "MANIFEST", manifest)
    assert not bootstrap.bundle_is_current()
    kg = KnowledgeGraph.in_memory()
    assert bootstrap.load_bundled(kg) == "import"
    assert int(kg.count_by_kind().set_index("kind").loc["person", "total"]) == 351


def test_a_new_store_opens_with_the_bundle(tmp_path: Path) -> None:
    kg = bootstrap.open_graph(tmp_path / "store")
    assert kg.created and kg.state_token()
    assert int(kg.count_by_kind().set_index("kind").loc["person", "total"]) == 351
    assert kg.source_hash("https://w3id.org/copkg/graph/people.csv") is not None
    kg.close()
