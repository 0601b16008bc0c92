"""RDF files: checked on a temporary store, bulk-loaded from disk, never half-written."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph, open_graph
from graph.errors import DataError
from graph.ingest import bundled_graph, import_paths
from graph.vocab import source_graph_iri

DATA = Path(__file__).parent / "data" / "ingest"


def _people(kg: KnowledgeGraph) -> list[str]:
    df = kg.query("SELECT ?name WHERE { ?p a foaf:Person ; foaf:name ?name } ORDER BY ?name")
    return df["name"].tolist()


def test_big_file_is_loaded_into_its_own_graph(tmp_path: Path) -> None:
    kg = open_graph(tmp_path / "store")
    before = len(_people(kg))
    report = import_paths(kg, [DATA / "foaf_org.ttl"])
    (file,) = report.files
    assert (file.status, file.triples) == ("imported", 13)
    assert file.resources == 5
    graph = str(source_graph_iri("foaf_org.ttl"))
    assert graph in kg.named_graphs()
    assert len(_people(kg)) == before + 3
    assert kg.source_hash(graph) is not None  # the completion mark is written
    again = import_paths(kg, [DATA / "foaf_org.ttl"])
    assert [(f.status, f.triples) for f in again.files] == [("unchanged", 13)]
    kg.close()


def test_changed_big_file_replaces_its_graph(tmp_path: Path) -> None:
    kg = bundled_graph()
    source = tmp_path / "partners.ttl"
    text = (DATA / "foaf_org.ttl").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    import_paths(kg, [source])
    source.write_text(text.replace("Sara Haddad", "Sara Haddad-Nasser"), encoding="utf-8")
    report = import_paths(kg, [source])
    assert report.files[0].status == "replaced"
    names = _people(kg)
    assert "Sara Haddad-Nasser" in names and "Sara Haddad" not in names


def test_big_file_problems_leave_the_store_unchanged(tmp_path: Path) -> None:
    kg = KnowledgeGraph.in_memory()
    before = kg.dump(ox.RdfFormat.N_QUADS)
    bad = tmp_path / "bad.nt"
    bad.write_text(
        "<http://example.org/p1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://xmlns.com/foaf/0.1/Person> .\n"
        "<http://example.org/p1> <http://www.w3.org/ns/org#memberOf> "
        "<http://example.org/nowhere> .\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        import_paths(kg, [bad])
    messages = sorted(str(p.message) for p in caught.value.problems)
    assert messages == [
        "<http://example.org/p1>, property foaf:name: A person needs exactly one name.",
        "<http://example.org/p1>, property org:memberOf: A person's organisation must be a "
        'known organisation. (value "http://example.org/nowhere")',
    ]
    assert kg.dump(ox.RdfFormat.N_QUADS) == before


def test_big_file_syntax_error_names_the_file(tmp_path: Path) -> None:
    kg = KnowledgeGraph.in_memory()
    expected = r"broken\.ttl: is not valid Turtle: Parser error at line 3"
    with pytest.raises(DataError, match=expected):
        import_paths(kg, [DATA / "broken.ttl"])
