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


class _FailingUpdates:
    """A pyoxigraph store whose SPARQL updates fail, as a full disk would make them."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def update(self, *args: object, **kwargs: object) -> None:
        raise OSError("simulated write failure")

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


def test_failed_write_leaves_the_store_as_it_was(kg: KnowledgeGraph) -> None:
    before = kg.dump(ox.RdfFormat.N_QUADS)
    backend = kg.backend
    assert isinstance(backend, EmbeddedBackend)
    real = backend.store
    backend.store = _FailingUpdates(real)  # type: ignore[assignment]
    with pytest.raises(OSError, match="simulated"):
        kg.replace_graphs(
            {
                EX + "g1": [_triple("dave", "name", ox.Literal("Dave"))],  # a diff (update)
                EX + "g9": [_triple("x", "y", ox.Literal("z"))],  # a new graph (extend)
            }
        )
    backend.store = real
    assert kg.dump(ox.RdfFormat.N_QUADS) == before


def test_replacing_applies_only_the_difference(kg: KnowledgeGraph) -> None:
    alice = [
        _triple("alice", "name", ox.Literal("Alice")),
        _triple("alice", "born", ox.Literal("1981", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#gYear"))),
    ]
    kg.replace_graphs({EX + "g1": alice})
    df = kg.query("SELECT ?p ?o WHERE { GRAPH <http://example.org/g1> { ?s ?p ?o } } ORDER BY ?p")
    assert df["o"].tolist() == [1981, "Alice"]


def test_incomplete_import_is_removed_on_next_open(tmp_path: Path) -> None:
    from graph.vocab import GRAPH

    store = tmp_path / "store"
    backend = EmbeddedBackend(store)
    done, partial = f"{GRAPH}done.csv", f"{GRAPH}killed.csv"
    mark = ox.Triple(ox.NamedNode(done), ox.NamedNode("https://w3id.org/copkg/ontology#sha256"),
                     ox.Literal("abc"))
    backend.replace_graphs({done: [mark, _triple("a", "b", ox.Literal("c"))]})
    # what a process killed after bulk_extend but before the completing update leaves behind
    backend.store.extend([ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "y"),
                                  ox.Literal("z"), ox.NamedNode(partial))])
    backend.close()
    reopened = EmbeddedBackend(store)
    assert reopened.recovered == [partial]
    assert reopened.named_graphs() == [done]
    reopened.close()


def test_in_memory_graph_has_the_ontology() -> None:
    kg = KnowledgeGraph.in_memory()
    assert kg.is_empty()
    assert kg.ask("ASK { cop:CommunityOfPractice rdfs:subClassOf org:OrganizationalCollaboration }")


def test_second_writer_gets_a_clear_message(tmp_path: Path) -> None:
    store = tmp_path / "store"
    kg = KnowledgeGraph.open(store)
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


def test_rdflib_sees_the_same_graph_through_oxrdflib(kg: KnowledgeGraph) -> None:
    from rdflib import Literal, URIRef

    dataset = kg.rdflib_dataset()
    names = sorted(str(o) for o in dataset.objects(None, URIRef(EX + "name")))
    assert names == ["Alice", 'Bob "the" <b>']
    assert (URIRef(EX + "alice"), URIRef(EX + "born"), Literal(
        "1980", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))) in dataset


def test_rdflib_access_is_refused_for_an_endpoint() -> None:
    from graph.store.remote import RemoteBackend

    remote = KnowledgeGraph(RemoteBackend("http://127.0.0.1:9/sparql", timeout=1))
    with pytest.raises(StoreError, match="rdflib access is for the embedded store"):
        remote.rdflib_dataset()
