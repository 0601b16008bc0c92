"""`copkg serve` as a SPARQL endpoint, checked with SPARQLWrapper (a client nobody here wrote)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

PERSON = "<https://w3id.org/copkg/id/person/p0019>"
PREFIXES = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nPREFIX cop: <https://w3id.org/copkg/ontology#>\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"server exited: {err}")
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started in its own process group, and everything it started."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def endpoint(bundled_store_dir: Path) -> Iterator[str]:
    """`copkg serve` on the bundled store, on 127.0.0.1 and a free port."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from graph.cli import main; sys.exit(main())",
         "--store", str(bundled_store_dir), "serve", "--port", str(port), "--time-limit", "10"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url, proc)
        yield url
    finally:
        stop(proc)
    assert proc.poll() is not None


def _convert(client: SPARQLWrapper) -> Any:
    return client.queryAndConvert()


def _client(url: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setReturnFormat(fmt)
    client.setTimeout(10)
    return client


def test_select_json(endpoint: str) -> None:
    client = _client(endpoint, JSON)
    client.setQuery(PREFIXES + f"SELECT ?name WHERE {{ {PERSON} foaf:name ?name }}")
    result = _convert(client)
    assert result["results"]["bindings"][0]["name"]["value"] == "Benoît Girard"


def test_select_xml_and_csv(endpoint: str) -> None:
    query = PREFIXES + "SELECT ?p WHERE { ?p a foaf:Person } ORDER BY ?p LIMIT 5"
    xml = _client(endpoint, XML)
    xml.setQuery(query)
    doc = _convert(xml)
    assert len(doc.getElementsByTagName("result")) == 5
    csv = _client(endpoint, CSV)
    csv.setQuery(query)
    lines = _convert(csv).decode().strip().splitlines()
    assert lines[0] == "p" and len(lines) == 6


def test_union_default_graph_and_ask(endpoint: str) -> None:
    client = _client(endpoint, JSON)
    # people and products come from different files (named graphs): joined without GRAPH
    client.setQuery(PREFIXES + "ASK { ?product <http://purl.org/dc/terms/creator> ?p . "
                    "?p foaf:name ?n }")
    assert _convert(client)["boolean"] is True


def test_construct_turtle(endpoint: str) -> None:
    client = _client(endpoint, TURTLE)
    client.setQuery(PREFIXES + "CONSTRUCT { ?c a cop:CommunityOfPractice } "
                    "WHERE { ?c a cop:CommunityOfPractice }")
    graph = _convert(client)
    text = graph.decode() if isinstance(graph, bytes) else graph.serialize(format="turtle")
    assert "urban-transport" in text


def test_updates_are_refused(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint.replace("/query", "/update"))
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    with pytest.raises(Exception):  # noqa: B017 - any refusal; what matters is nothing changed
        client.query()
    ask = _client(endpoint, JSON)
    ask.setQuery("ASK { <urn:x:a> ?p ?o }")
    assert _convert(ask)["boolean"] is False
    direct = requests.post(endpoint.replace("/query", "/update"),
                           data={"update": "CLEAR ALL"}, timeout=5)
    assert direct.status_code >= 400


def test_remote_knowledge_graph_reads_the_endpoint(endpoint: str) -> None:
    from graph import KnowledgeGraph
    from graph.queries import run_saved

    kg = KnowledgeGraph.open(endpoint=endpoint, read_only=True)
    df = run_saved(kg, "members_by_role_and_country", {"role": "cop:ObserverRole"})
    assert list(df["country"]) == ["BE"]
    kg.close()
