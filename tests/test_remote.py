"""The remote backend against a real oxigraph server (read-write), and endpoints that fail."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Iterator

import pandas as pd
import pyoxigraph as ox
import pytest
import requests
from browser import free_port

from graph import KnowledgeGraph
from graph.errors import EndpointError, QueryError, QueryTimeout
from graph.queries import QueryResult, run_saved, run_user_query
from graph.store.remote import RemoteBackend

SUBSET = [
    "members_by_role_and_country",
    "experts_of_community",
    "coauthors",
    "absent_members",
    "bridging_experts",
    "products_per_community_year",
    "person_profile",
]




def graphs_of(kg: KnowledgeGraph) -> dict[str, list[ox.Triple]]:
    out: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(kg.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS):
        out[quad.graph_name.value].append(quad.triple)
    return dict(out)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` (read-write, union default graph) on 127.0.0.1 and a free port."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen(
        ["oxigraph", "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(base + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("oxigraph server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def remote_kg(oxigraph_server: str, bundled_kg: KnowledgeGraph) -> Iterator[KnowledgeGraph]:
    """The bundled data written through the remote backend (staged chunks + one swap)."""
    kg = KnowledgeGraph.open(endpoint=oxigraph_server + "/query")
    kg.replace_graphs(graphs_of(bundled_kg))
    yield kg
    kg.close()


def _table(result: QueryResult) -> pd.DataFrame:
    assert result.table is not None
    return result.table


def test_writes_through_the_endpoint_keep_every_graph(
    remote_kg: KnowledgeGraph, bundled_kg: KnowledgeGraph
) -> None:
    assert remote_kg.named_graphs() == bundled_kg.named_graphs()
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert remote_kg.query(count).equals(bundled_kg.query(count))
    assert not any("#staging-" in g for g in remote_kg.named_graphs())


@pytest.mark.parametrize("name", SUBSET)
def test_saved_queries_answer_the_same_remotely(
    remote_kg: KnowledgeGraph, bundled_kg: KnowledgeGraph, name: str
) -> None:
    local = run_saved(bundled_kg, name)
    remote = run_saved(remote_kg, name)
    assert len(remote) >= 1
    key = list(local.columns)
    pd.testing.assert_frame_equal(
        local.sort_values(key, ignore_index=True), remote.sort_values(key, ignore_index=True)
    )


def test_replace_graph_is_one_request_and_can_remove(remote_kg: KnowledgeGraph) -> None:
    g = "https://w3id.org/copkg/graph/test-remote"
    t = ox.Triple(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:b"), ox.Literal('"} DROP ALL'))
    remote_kg.replace_graphs({g: [t]})
    assert remote_kg.ask("ASK { ?s ?p ?o }", {"o": ox.Literal('"} DROP ALL')})
    remote_kg.replace_graphs({g: []})
    assert g not in remote_kg.named_graphs()


def test_user_queries_remote_row_cap_and_refusals(remote_kg: KnowledgeGraph) -> None:
    result = run_user_query(remote_kg, "SELECT ?p WHERE { ?p a foaf:Person }", row_cap=5)
    assert len(_table(result)) == 5 and result.truncated
    construct = run_user_query(remote_kg, "CONSTRUCT WHERE { ?c a cop:CommunityOfPractice }")
    assert "urban-transport" in (construct.triples_turtle or "")
    with pytest.raises(QueryError, match="read-only"):
        run_user_query(remote_kg, "DELETE WHERE { ?s ?p ?o }")


def test_a_slow_remote_query_is_stopped(remote_kg: KnowledgeGraph) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="COPKG_QUERY_TIME_LIMIT"):
        run_user_query(
            remote_kg, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            time_limit_s=1,
        )
    assert time.monotonic() - started < 4


def test_read_only_remote_refuses_writes(oxigraph_server: str) -> None:
    kg = KnowledgeGraph.open(endpoint=oxigraph_server + "/query", read_only=True)
    with pytest.raises(QueryError, match="read-only"):
        kg.replace_graphs({"urn:x:g": []})


def test_query_errors_are_reported(remote_kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError):
        remote_kg.query("SELECT ?s WHERE { ?s ?p }")


def test_closed_port_is_an_endpoint_error() -> None:
    backend = RemoteBackend(f"http://127.0.0.1:{free_port()}/query", timeout=1)
    started = time.monotonic()
    with pytest.raises(EndpointError, match="Cannot reach"):
        backend.ask("ASK {}")
    assert time.monotonic() - started < 3


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    sock.close()


def test_a_server_that_never_answers_is_an_endpoint_error_within_the_timeout(
    silent_server: str,
) -> None:
    backend = RemoteBackend(silent_server, timeout=1)
    started = time.monotonic()
    with pytest.raises(EndpointError, match="no complete answer within 1 s"):
        backend.select("SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - started < 3


def test_not_an_url() -> None:
    with pytest.raises(EndpointError, match="not an http"):
        RemoteBackend("localhost:7878")


def test_credentials_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, silent_server: str
) -> None:
    monkeypatch.setenv("COPKG_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("COPKG_ENDPOINT_PASSWORD", "s3cret")
    backend = RemoteBackend(silent_server)
    assert backend._credentials == ("analyst", "s3cret")
    assert backend.update_endpoint == silent_server.replace("/sparql", "/sparql-auth")


def test_update_endpoint_guesses() -> None:
    assert RemoteBackend("http://h:7878/query").update_endpoint == "http://h:7878/update"
    assert RemoteBackend("http://h:3030/ds/sparql").update_endpoint == "http://h:3030/ds/update"
    assert (RemoteBackend("http://h:7200/repositories/cop").update_endpoint
            == "http://h:7200/repositories/cop/statements")



@pytest.mark.parametrize("projection", ["people", "organizations", "organization-community"])
def test_network_analysis_answers_the_same_remotely(
    remote_kg: KnowledgeGraph, bundled_kg: KnowledgeGraph, projection: str
) -> None:
    from graph.analysis import measures
    from graph.network import build_projection

    local = build_projection(bundled_kg, projection)
    remote = build_projection(remote_kg, projection)
    assert sorted(remote.nodes) == sorted(local.nodes)
    assert sorted(remote.edges(data="weight")) == sorted(local.edges(data="weight"))
    columns = ["node", "degree", "weighted_degree", "betweenness", "cluster"]
    pd.testing.assert_frame_equal(measures(remote)[columns], measures(local)[columns])


def test_gaps_answer_the_same_remotely(
    remote_kg: KnowledgeGraph, bundled_kg: KnowledgeGraph
) -> None:
    from graph.analysis import coverage

    pd.testing.assert_frame_equal(coverage(remote_kg), coverage(bundled_kg))
