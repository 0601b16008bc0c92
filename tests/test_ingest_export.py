"""Export (RDF and CSV), templates and round trips through a fresh store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph import KnowledgeGraph
from graph.config import bundled_data_paths
from graph.errors import DataError
from graph.ingest import export_graph, import_paths, validate_paths, write_templates
from graph.ingest.contract import SHEETS
from graph.store.terms import to_rdflib
from graph.vocab import AUDIT_GRAPH, ONTOLOGY_GRAPH, STATE_GRAPH, source_graph_iri


@pytest.fixture(scope="module")
def bundled() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, bundled_data_paths())
    return kg


def union(kg: KnowledgeGraph, skip: set[str]) -> rdflib.Graph:
    graph = rdflib.Graph()
    rows = kg.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    for s, p, o, g in rows:
        if g is not None and g.value not in skip:
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


@pytest.mark.parametrize("fmt", ["trig", "ttl"])
def test_round_trip_is_isomorphic(bundled: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    out = export_graph(bundled, fmt, tmp_path / f"export.{fmt}")
    fresh = KnowledgeGraph.in_memory()
    report = import_paths(fresh, [out])
    assert report.files[0].status == "imported"
    own = str(source_graph_iri(out.name))
    # The audit trail (who imported what, when) is not data: it is never exported; the state
    # token differs by store.
    skip = {str(ONTOLOGY_GRAPH), str(AUDIT_GRAPH), str(STATE_GRAPH)}
    mine = union(fresh, skip)
    mine.remove((rdflib.URIRef(own), None, None))
    assert isomorphic(mine, union(bundled, skip))


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "nq"])
def test_rdf_exports_parse(bundled: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    out = export_graph(bundled, fmt, tmp_path / f"export.{fmt}")
    parsed = list(ox.parse(path=str(out)))
    assert len(parsed) > 30_000


@pytest.mark.parametrize("name", ["sheets", "sheets.zip"])
def test_csv_export_is_reimportable(bundled: KnowledgeGraph, tmp_path: Path, name: str) -> None:
    out = export_graph(bundled, "csv", tmp_path / name)
    if out.suffix == ".zip":
        import zipfile

        folder = tmp_path / "unzipped"
        zipfile.ZipFile(out).extractall(folder)
        out = folder
    names = sorted(p.name for p in out.iterdir())
    assert "people.csv" in names and "participation.csv" in names
    fresh = KnowledgeGraph.in_memory()
    import_paths(fresh, [bundled_data_paths()[0]])
    plan = validate_paths(fresh, [out])
    assert plan.resources > 4000


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_templates_hold_only_refused_example_rows(tmp_path: Path, fmt: str) -> None:
    """The example rows use no real id and are refused if sent back; the columns are right."""
    paths = write_templates(tmp_path, fmt)
    assert paths
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [bundled_data_paths()[0]])
    with pytest.raises(DataError) as info:
        validate_paths(kg, paths)
    problems = info.value.problems
    assert len(problems) == 8  # one per sheet, nothing else wrong with them
    assert all("is the template's example row" in str(p.message) for p in problems)
    assert {p.sheet for p in problems} == set(SHEETS)
