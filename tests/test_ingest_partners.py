"""Partners' RDF in W3C ORG, FOAF and schema.org terms: understood through ontology/alignments.ttl,
recorded as inferred, found by the projections and saved queries; messages name resource and
property."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph
from graph.errors import DataError
from graph.ingest import bundled_graph, import_paths
from graph.network import build_projection
from graph.queries import run_saved
from graph.vocab import inferred_graph_iri, source_graph_iri

PARTNERS = Path(__file__).parent / "data" / "ingest" / "partners" / "partners.ttl"
EX = "http://example.org/partner/"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    graph = bundled_graph()
    report = import_paths(graph, [PARTNERS])
    assert [e.summary() for e in report.effects] == [
        "partners.ttl: Organisation: +4 added; Person: +3 added; Knowledge product: +2 added"]
    return graph


def test_canonical_types_are_inferred_into_their_own_graph(kg: KnowledgeGraph) -> None:
    inferred = str(inferred_graph_iri("partners.ttl"))
    rows = kg.query("SELECT ?s ?t WHERE { GRAPH ?g { ?s a ?t } FILTER(?s != ?g) } ORDER BY ?s",
                    {"g": ox.NamedNode(inferred)})
    assert [(s.removeprefix(EX), t.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
            for s, t in zip(rows["s"], rows["t"], strict=True)] == [
        ("guide", "KnowledgeProduct"), ("ines", "Person"), ("lab", "Organization"),
        ("metro", "Organization"), ("ngo", "Organization"), ("planning", "Organization"),
        ("study", "KnowledgeProduct"),
    ]
    # recorded as inferred from the partner's own graph, which holds only what they wrote
    assert kg.ask("ASK { GRAPH ?i { ?i a cop:InferredTriples ; prov:wasDerivedFrom ?g } }",
                  {"i": ox.NamedNode(inferred), "g": ox.NamedNode(str(source_graph_iri(
                      "partners.ttl")))})
    assert not kg.ask("ASK { GRAPH ?g { ?s a org:Organization } }",
                      {"g": ox.NamedNode(str(source_graph_iri("partners.ttl")))})
    # schema:author became dct:creator; a document without a creator is no knowledge product
    assert kg.ask("ASK { ?guide dct:creator ?ines }",
                  {"guide": ox.NamedNode(EX + "guide"), "ines": ox.NamedNode(EX + "ines")})
    assert not kg.ask("ASK { ?memo a cop:KnowledgeProduct }", {"memo": ox.NamedNode(EX + "memo")})


def test_projections_and_queries_find_partners_resources(kg: KnowledgeGraph) -> None:
    people = build_projection(kg, "people")
    assert people.has_edge(EX + "nadia", EX + "yusuf")  # co-authors of a foaf:Document
    assert people.has_edge(EX + "nadia", EX + "ines")  # co-authors of a schema:CreativeWork
    orgs = build_projection(kg, "organizations")
    assert {EX + n for n in ("metro", "planning", "ngo", "lab")} <= set(orgs)
    authors = run_saved(kg, "most_prolific_authors")
    assert {EX + "nadia", EX + "yusuf"} <= set(authors["author"])


def test_rdf_messages_name_resource_and_property(tmp_path: Path) -> None:
    kg = bundled_graph()
    bad = tmp_path / "partner.ttl"
    bad.write_text(
        "@prefix org: <http://www.w3.org/ns/org#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
        "@prefix ex: <http://example.org/partner/> .\n"
        "ex:unit a org:OrganizationalUnit .\n"
        'ex:sami a foaf:Person ; foaf:name "Sami" ; org:memberOf ex:nowhere .\n',
        encoding="utf-8")
    with pytest.raises(DataError) as info:
        import_paths(kg, [bad])
    assert sorted(str(p) for p in info.value.problems) == [
        "partner.ttl: <http://example.org/partner/sami>, property org:memberOf: A person's "
        'organisation must be a known organisation. (value "http://example.org/partner/nowhere")',
        "partner.ttl: <http://example.org/partner/unit>, property skos:prefLabel: An "
        "organisation needs a name.",
    ]
    assert all("column" not in str(p) for p in info.value.problems)
