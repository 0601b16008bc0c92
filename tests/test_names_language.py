"""People's names in the reader's language: the sheet's ``name_ar`` / ``name_fr`` become
``foaf:name "…"@ar`` / ``@fr``, and every surface (saved queries, projections, maps, exports)
picks the asked language, else the name as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph
from graph.config import bundled_data_paths
from graph.ingest import export_graph, import_paths
from graph.maps import edges_csv, map_html
from graph.network import Filters, build_projection
from graph.queries import run_saved

P0002 = "https://w3id.org/copkg/id/person/p0002"  # Ahmad Qasem, name_ar أحمد قاسم in people.csv


def test_arabic_name_is_a_language_tagged_foaf_name(bundled_kg: KnowledgeGraph) -> None:
    names = bundled_kg.query("SELECT ?n (LANG(?n) AS ?lang) WHERE { ?p foaf:name ?n }",
                             {"p": ox.NamedNode(P0002)})
    assert sorted(zip(names["n"], names["lang"], strict=True)) == [
        ("Ahmad Qasem", ""), ("أحمد قاسم", "ar")]
    assert not bundled_kg.query("SELECT ?p ?v WHERE { ?p ?x ?v FILTER(CONTAINS(STR(?x), "
                                "'name-ar')) }").shape[0]  # no longer an extra column


@pytest.mark.parametrize(("lang", "name"), [("ar", "أحمد قاسم"), ("fr", "Ahmad Qasem"),
                                            ("en", "Ahmad Qasem")])
def test_saved_queries_pick_the_asked_language(bundled_kg: KnowledgeGraph, lang: str,
                                               name: str) -> None:
    profile = run_saved(bundled_kg, "person_profile", {"person": "p0002", "lang": lang})
    assert profile["name"].tolist() == [name]
    bridging = run_saved(bundled_kg, "bridging_experts", {"lang": lang, "min_communities": "1"})
    row = bridging[bridging["person"] == P0002]
    assert row["person_label"].tolist() == [name]
    # A list of names keeps each one's name as written, once (no Latin + Arabic pair).
    speakers = run_saved(bundled_kg, "events_and_participants", {"lang": lang})["speakers"]
    assert not speakers.fillna("").str.contains("أحمد قاسم").any()


def test_projection_map_and_edge_list_in_arabic(bundled_kg: KnowledgeGraph) -> None:
    G = build_projection(bundled_kg, "people", Filters())
    assert G.nodes[P0002]["labels"] == {"en": "Ahmad Qasem", "ar": "أحمد قاسم"}
    assert "أحمد قاسم" in map_html(G, title="t", language="ar")
    assert "أحمد قاسم" not in map_html(G, title="t", language="fr")
    edges = edges_csv(G, language="ar")
    assert "أحمد قاسم" in set(pd.DataFrame(edges).astype(str).stack())


def test_export_and_reimport_keep_the_arabic_name(bundled_kg: KnowledgeGraph,
                                                   tmp_path: Path) -> None:
    out = export_graph(bundled_kg, "csv", tmp_path / "sheets")
    people = pd.read_csv(Path(out) / "people.csv", dtype=str, keep_default_na=False)
    row = people[people["id"] == "p0002"].iloc[0]
    assert (row["name"], row["name_ar"]) == ("Ahmad Qasem", "أحمد قاسم")
    fresh = KnowledgeGraph.in_memory()
    import_paths(fresh, [bundled_data_paths()[0], *sorted(Path(out).glob("*.csv"))])
    again = fresh.query("SELECT ?n WHERE { ?p foaf:name ?n FILTER(LANG(?n) = 'ar') }",
                        {"p": ox.NamedNode(P0002)})
    assert again["n"].tolist() == ["أحمد قاسم"]
