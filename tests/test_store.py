"""The store layer: SPARQL binding safety, readable values, atomic graph writes, locking."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph
from graph.errors import QueryError, StoreError
from graph.store import bind, query_form
from graph.store.embedded import EmbeddedBackend

EX = "http://example.org/"


def _triple(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + p), o)


@pytest.fixture
def kg() -> KnowledgeGraph:
    kg = KnowledgeGraph(EmbeddedBackend(None))
    kg.replace_graphs(
        {
            EX + "g1": [
                _triple("alice", "name", ox.Literal("Alice")),
                _triple("alice", "born", ox.Literal("1980", datatype=ox.NamedNode(
                    "http://www.w3.org/2001/XMLSchema#gYear"))),
                _triple("alice", "knows", ox.NamedNode(EX + "bob")),
            ],
            EX + "g2": [_triple("bob", "name", ox.Literal('Bob "the" <b>'))],
        }
    )
    return kg


def test_queries_read_the_union_of_named_graphs(kg: KnowledgeGraph) -> None:
    df = kg.query("SELECT ?n WHERE { ?s <http://example.org/name> ?n } ORDER BY ?n")
    assert df["n"].tolist() == ["Alice", 'Bob "the" <b>']


def test_readable_values(kg: KnowledgeGraph) -> None:
    df = kg.query("SELECT ?s ?y WHERE { ?s <http://example.org/born> ?y }")
    assert df.loc[0, "s"] == EX + "alice"
    assert df.loc[0, "y"] == 1980


def test_bindings_are_data_not_syntax(kg: KnowledgeGraph) -> None:
    hostile = 'Alice" } } ; DROP ALL ; SELECT * { ?a ?b "'
    df = kg.query("SELECT ?s WHERE { ?s <http://example.org/name> ?n }", {"n": hostile})
    assert df.empty
    df = kg.query(
        "SELECT ?s WHERE { ?s <http://example.org/name> ?n }", {"n": 'Bob "the" <b>'}
    )
    assert df["s"].tolist() == [EX + "bob"]
    assert len(kg.named_graphs()) == 2


def test_binding_an_unused_variable_is_an_error(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="Parameter\\(s\\) nme are not used"):
        kg.query("SELECT ?s WHERE { ?s ?p ?name }", {"nme": "x"})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { VALUES (?o) { (\"x\") } ?s ?p ?o }"),
        ("select * { ?s ?p ?o }", "select * { VALUES (?o) { (\"x\") } ?s ?p ?o }"),
        (
            "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } { VALUES (?o) { (\"x\") } ?s ?p ?o }",
        ),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o) { (\"x\") } ?s ?p ?o }",
        ),
        (
            '# where { in a comment\nASK { ?s ?p "{" . ?s ?p ?o }',
            '# where { in a comment\nASK { VALUES (?o) { (\"x\") } ?s ?p "{" . ?s ?p ?o }',
        ),
    ],
)
def test_values_block_goes_into_the_where_group(query: str, expected: str) -> None:
    assert bind(query, {"o": "x"}) == expected


def test_date_binding_compares_as_a_date(kg: KnowledgeGraph) -> None:
    kg.replace_graphs({EX + "g3": [_triple("ev", "on", ox.Literal(
        "2015-06-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))]})
    df = kg.query(
        "SELECT ?e WHERE { ?e <http://example.org/on> ?d FILTER(?d >= ?since) }",
        {"since": date(2015, 1, 1)},
    )
    assert df["e"].tolist() == [EX + "ev"]


@pytest.mark.parametrize(
    "update",
    ["DROP ALL", "INSERT DATA { <a:b> <a:c> <a:d> }", "DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT"],
)
def test_updates_are_refused(kg: KnowledgeGraph, update: str) -> None:
    assert query_form(update) == "UPDATE"
    with pytest.raises(QueryError, match="read-only"):
        kg.query(update)


def test_syntax_error_is_a_query_error(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        kg.query("SELECT ?s WHERE { ?s ?p }")


def test_replace_graphs_replaces_and_removes(kg: KnowledgeGraph) -> None:
    kg.replace_graphs({EX + "g1": [_triple("carol", "name", ox.Literal("Carol"))]})
    names = kg.query("SELECT ?n WHERE { ?s <http://example.org/name> ?n } ORDER BY ?n")
    assert names["n"].tolist() == ["Bob \"the\" <b>", "Carol"]
    kg.replace_graphs({EX + "g2": []})
    assert kg.named_graphs() == [EX + "g1"]


def test_failed_write_leaves_the_store_as_it_was(kg: KnowledgeGraph) -> None:
    before = kg.dump(ox.RdfFormat.N_QUADS)

    class Boom(Exception):
        pass

    def exploding() -> list[ox.Triple]:
        raise Boom

    class Triples(list[ox.Triple]):
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield _triple("dave", "name", ox.Literal("Dave"))
            raise Boom

    with pytest.raises(Boom):
        kg.replace_graphs({EX + "g1": Triples(), EX + "g9": [_triple("x", "y", ox.Literal("z"))]})
    assert kg.dump(ox.RdfFormat.N_QUADS) == before


def test_in_memory_graph_has_the_ontology() -> None:
    kg = KnowledgeGraph.in_memory()
    assert kg.is_empty()
    assert kg.ask("ASK { cop:CommunityOfPractice rdfs:subClassOf org:OrganizationalCollaboration }")


def test_second_writer_gets_a_clear_message(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg = KnowledgeGraph.open(store, load_bundled=False)
    code = (
        "import sys\nfrom graph import KnowledgeGraph\nfrom graph.errors import StoreError\n"
        "try:\n    KnowledgeGraph.open(sys.argv[1])\nexcept StoreError as e:\n"
        "    print(e); sys.exit(3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(store)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 3, result.stderr
    assert "open in another copkg process" in result.stdout
    # readers share it
    reader = KnowledgeGraph.open(store, read_only=True)
    assert reader.ask("ASK { cop:Event a owl:Class }")
    reader.close()
    kg.close()
    with pytest.raises(StoreError):
        EmbeddedBackend(tmp_path / "not-a-dir-file", read_only=True)
