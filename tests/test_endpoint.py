"""`copkg serve` as a SPARQL 1.1 endpoint, against a real server: conformance with clients
nobody here wrote (SPARQLWrapper, curl, pandas, rdflib), and abuse (time limit with an
aggregate over a cross join, row cap, errors as HTTP errors, SERVICE, updates, signals)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import rdflib
import requests
from browser import free_port
from SPARQLWrapper import CSV, JSON, N3, TSV, TURTLE, XML, SPARQLWrapper

PERSON = "<https://w3id.org/copkg/id/person/p0019>"
PREFIXES = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nPREFIX cop: <https://w3id.org/copkg/ontology#>\n"
CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COPKG = [sys.executable, "-c", "import sys; from graph.cli import main; sys.exit(main())"]
ROW_CAP = 100
TIME_LIMIT = 2.0




def wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"server exited: {err}")
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=5)
            return
        except requests.RequestException:  # not listening yet, or slow on a loaded machine
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


def children(pid: int) -> set[int]:
    """Live child processes of ``pid``."""
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found |= {int(p) for p in (task / "children").read_text().split()}
    return {p for p in found if alive(p)}


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def cpu_seconds(pids: set[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        if s.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Served:
    url: str
    proc: subprocess.Popen[bytes]
    port: int


def start_serve(store: Path, *extra: str, new_session: bool = True) -> Served:
    port = free_port()
    proc = subprocess.Popen(
        [*COPKG, "--store", str(store), "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=new_session,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        wait_until_up(url, proc)
    except BaseException:
        stop(proc)
        raise
    return Served(url, proc, port)


class Listener:
    """A socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(1)
            try:
                self.requests.append(conn.recv(4096))
            except OSError:
                self.requests.append(b"")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def allowed() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def served(bundled_store_dir: Path, allowed: Listener) -> Iterator[Served]:
    """`copkg serve` on the bundled store, on 127.0.0.1 and a free port, with a small row cap,
    a short time limit and one SERVICE endpoint allowed."""
    server = start_serve(bundled_store_dir, "--time-limit", str(TIME_LIMIT),
                         "--row-cap", str(ROW_CAP), "--allow-service", allowed.url)
    yield server
    stop(server.proc)
    assert server.proc.poll() is not None


@pytest.fixture(scope="module")
def endpoint(served: Served) -> str:
    return served.url


def _client(url: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setReturnFormat(fmt)
    client.setTimeout(10)
    return client


def _convert(client: SPARQLWrapper) -> Any:
    return client.queryAndConvert()


# ------------------------------------------------------------------------ conformance
def test_select_json(endpoint: str) -> None:
    client = _client(endpoint, JSON)
    client.setQuery(PREFIXES + f"SELECT ?name WHERE {{ {PERSON} foaf:name ?name }}")
    result = _convert(client)
    assert result["results"]["bindings"][0]["name"]["value"] == "Benoît Girard"


def test_select_xml_csv_tsv(endpoint: str) -> None:
    query = PREFIXES + "SELECT ?p ?n WHERE { ?p a foaf:Person ; foaf:name ?n } ORDER BY ?p LIMIT 5"
    xml = _client(endpoint, XML)
    xml.setQuery(query)
    doc = _convert(xml)
    assert len(doc.getElementsByTagName("result")) == 5
    csv = _client(endpoint, CSV)
    csv.setQuery(query)
    lines = _convert(csv).decode().strip().splitlines()
    assert lines[0] == "p,n" and len(lines) == 6
    assert lines[1].startswith("https://w3id.org/copkg/id/person/")
    tsv = _client(endpoint, TSV)
    tsv.setQuery(query)
    rows = _convert(tsv).decode().strip().splitlines()
    assert rows[0] == "?p\t?n" and rows[1].startswith("<https://w3id.org/copkg/id/person/")


def test_select_results_parse_in_rdflib_like_in_pyoxigraph(endpoint: str) -> None:
    query = ("SELECT ?x ?y WHERE { VALUES (?x ?y) { (\"a\\tb\\n\\\"c\"@fr 1) "
             "(<http://x/1> \"2020-01-01\"^^<http://www.w3.org/2001/XMLSchema#date>) } }")
    expected = None
    for accept in ("application/sparql-results+json", "application/sparql-results+xml",
                   "text/tab-separated-values"):
        r = requests.get(endpoint, params={"query": query}, headers={"Accept": accept},
                         timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        fmt = {"application/sparql-results+json": "json",
               "application/sparql-results+xml": "xml",
               "text/tab-separated-values": "tsv"}[accept]
        parsed = rdflib.query.Result.parse(io.BytesIO(r.content), format=fmt)
        rows = [tuple(row) for row in parsed]
        if expected is None:
            expected = rows
        assert rows == expected, accept
    assert expected is not None
    assert expected[0][0] == rdflib.Literal('a\tb\n"c', lang="fr")
    assert expected[0][1] == rdflib.Literal(1)


def test_union_default_graph_and_ask(endpoint: str) -> None:
    client = _client(endpoint, JSON)
    # people and products come from different files (named graphs): joined without GRAPH
    client.setQuery(PREFIXES + "ASK { ?product <http://purl.org/dc/terms/creator> ?p . "
                    "?p foaf:name ?n }")
    assert _convert(client)["boolean"] is True
    xml = _client(endpoint, XML)
    xml.setQuery("ASK { ?s ?p ?o }")
    assert _convert(xml).getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_construct_and_describe(endpoint: str) -> None:
    query = (PREFIXES + "CONSTRUCT { ?c a cop:CommunityOfPractice } "
             "WHERE { ?c a cop:CommunityOfPractice }")
    for fmt in (TURTLE, N3):
        client = _client(endpoint, fmt)
        client.setQuery(query)
        graph = _convert(client)
        text = graph.decode() if isinstance(graph, bytes) else graph.serialize(format="turtle")
        assert "urban-transport" in text
    for accept, fmt in (("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
                        ("application/ld+json", "json-ld")):
        r = requests.post(endpoint, data={"query": query}, headers={"Accept": accept},
                          timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(accept)
        g = rdflib.Graph().parse(data=r.content, format=fmt)
        assert len(g) == 3
    r = requests.get(endpoint, params={"query": f"DESCRIBE {PERSON}"}, timeout=10)
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    assert (rdflib.URIRef(PERSON[1:-1]), rdflib.FOAF.name, rdflib.Literal("Benoît Girard")) in g


def test_curl_get_post_and_sparql_query_body(endpoint: str) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    query = PREFIXES + f"SELECT ?name WHERE {{ {PERSON} foaf:name ?name }}"
    runs = [
        [curl, "-sS", "-G", endpoint, "--data-urlencode", f"query={query}",
         "-H", "Accept: text/csv"],
        [curl, "-sS", endpoint, "--data-urlencode", f"query={query}", "-H", "Accept: text/csv"],
        [curl, "-sS", endpoint, "-H", "Content-Type: application/sparql-query",
         "-H", "Accept: text/csv", "--data-binary", query],
    ]
    for argv in runs:
        out = subprocess.run(argv, capture_output=True, timeout=20, check=True).stdout
        assert out.decode().splitlines() == ["name", "Benoît Girard"]


def test_pandas_reads_csv_from_the_endpoint(endpoint: str) -> None:
    query = ("SELECT ?year (COUNT(?p) AS ?n) (-0.5 AS ?neg) WHERE { ?p "
             "<http://purl.org/dc/terms/issued> ?year } GROUP BY ?year ORDER BY ?year")
    url = endpoint + "?" + urllib.parse.urlencode({"query": query, "format": "csv"})
    df = pd.read_csv(url)
    assert list(df.columns) == ["year", "n", "neg"] and len(df) > 3
    assert df["n"].dtype.kind == "i" and (df["neg"] == -0.5).all()
    by_header = pd.read_csv(endpoint + "?" + urllib.parse.urlencode({"query": query}),
                            storage_options={"Accept": "text/csv"})
    assert by_header.equals(df)


def test_old_path_query_and_the_remote_backend(endpoint: str) -> None:
    from graph import KnowledgeGraph
    from graph.queries import run_saved

    kg = KnowledgeGraph.open(endpoint=endpoint.replace("/sparql", "/query"), read_only=True)
    df = run_saved(kg, "members_by_role_and_country", {"role": "cop:ObserverRole"})
    assert list(df["country"]) == ["BE"]
    kg.close()


def test_prefixes_are_declared_and_dataset_parameters_work(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?c a "
                                       "cop:CommunityOfPractice }", "format": "json"},
                     timeout=10)
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) >= 3
    # an explicit dataset replaces the union: only the ontology graph
    r = requests.get(endpoint, params={
        "query": "ASK { ?c a cop:CommunityOfPractice }",
        "default-graph-uri": "https://w3id.org/copkg/graph/ontology"}, timeout=10)
    assert r.json()["boolean"] is False


# ------------------------------------------------------------------------ errors are errors
def test_syntax_error_is_400_with_the_line(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "SELECT ?x WHERE {\n ?x ?y \n"}, timeout=10)
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/plain")
    assert "syntax" in r.text.lower() and "3:" in r.text
    r = requests.get(endpoint, params={"query": "hello"}, timeout=10)
    assert r.status_code == 400
    r = requests.get(endpoint, timeout=10)
    assert r.status_code == 400 and "?query=" in r.text


def test_not_acceptable_and_bad_requests(endpoint: str) -> None:
    r = requests.get(endpoint, params={"query": "ASK {}"}, headers={"Accept": "image/png"},
                     timeout=10)
    assert r.status_code == 406 and "text/csv" in r.text
    r = requests.post(endpoint, data=b"ASK {}", headers={"Content-Type": "text/html"},
                      timeout=10)
    assert r.status_code == 415
    r = requests.post(endpoint, data=b"x" * (2 << 20),
                      headers={"Content-Type": "application/sparql-query"}, timeout=10)
    assert r.status_code == 413
    r = requests.get(endpoint, params=[("query", "ASK {}"), ("query", "ASK {}")], timeout=10)
    assert r.status_code == 400
    assert requests.get(endpoint.replace("/sparql", "/nope"), timeout=10).status_code == 404


def test_updates_are_refused(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint.replace("/sparql", "/update"))
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    with pytest.raises(Exception):  # noqa: B017 - any refusal; what matters is nothing changed
        client.query()
    base = endpoint.replace("/sparql", "")
    for method, url, kwargs in (
        ("POST", base + "/update", {"data": {"update": "CLEAR ALL"}}),
        ("POST", endpoint, {"data": {"update": "CLEAR ALL"}}),
        ("POST", endpoint, {"data": b"CLEAR ALL",
                            "headers": {"Content-Type": "application/sparql-update"}}),
        ("GET", endpoint, {"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
        ("PUT", base + "/store?default", {"data": b"<urn:x:a> <urn:x:b> <urn:x:c> ."}),
        ("DELETE", base + "/store?default", {}),
    ):
        r = requests.request(method, url, timeout=10, **kwargs)
        assert r.status_code == 403, (method, url, r.status_code)
        assert "read-only" in r.text
    ask = _client(endpoint, JSON)
    ask.setQuery("ASK { <urn:x:a> ?p ?o }")
    assert _convert(ask)["boolean"] is False
    ask.setQuery("ASK { ?s ?p ?o }")
    assert _convert(ask)["boolean"] is True


def test_row_cap_cuts_and_says_so(endpoint: str) -> None:
    query = PREFIXES + "SELECT ?p WHERE { ?p a foaf:Person }"
    for accept, count in (
        ("application/sparql-results+json", lambda r: len(r.json()["results"]["bindings"])),
        ("text/csv", lambda r: len(r.text.strip().splitlines()) - 1),
        ("application/sparql-results+xml", lambda r: r.text.count("<result>")),
    ):
        r = requests.get(endpoint, params={"query": query}, headers={"Accept": accept},
                         timeout=10)
        assert r.status_code == 200 and count(r) == ROW_CAP
        assert r.headers["X-Copkg-Truncated"] == "true"
        assert r.headers["X-Copkg-Row-Cap"] == str(ROW_CAP)
        assert r.headers["X-Copkg-Rows"] == str(ROW_CAP)
    small = requests.get(endpoint, params={"query": query + " LIMIT 3"}, timeout=10)
    assert small.headers["X-Copkg-Truncated"] == "false"
    construct = requests.get(endpoint, params={
        "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "format": "nt"}, timeout=10)
    assert len(construct.text.strip().splitlines()) == ROW_CAP
    assert construct.headers["X-Copkg-Truncated"] == "true"
    # copkg's own remote backend refuses a cut answer instead of using a part of it
    from graph.errors import EndpointError
    from graph.store.remote import RemoteBackend

    with pytest.raises(EndpointError, match="row cap"):
        RemoteBackend(endpoint, read_only=True).select(query)


def test_cors_lets_browser_clients_in(endpoint: str) -> None:
    pre = requests.options(endpoint, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]
    r = requests.get(endpoint, params={"query": "ASK {}"},
                     headers={"Origin": "https://yasgui.example"}, timeout=10)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Copkg-Truncated" in r.headers["Access-Control-Expose-Headers"]


def test_query_page_is_offline_and_translated(endpoint: str) -> None:
    root = endpoint.replace("/sparql", "/")
    page = requests.get(root + "?query=SELECT%20*%20%7B%7D", timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert "http://" not in page.text and "https://" not in page.text
    assert "SPARQL" in page.text and 'dir="ltr"' in page.text
    arabic = requests.get(root, headers={"Accept-Language": "ar,en;q=0.5"}, timeout=10)
    assert 'dir="rtl"' in arabic.text and "تشغيل" in arabic.text
    assert 'lang="fr"' in requests.get(root + "?lang=fr", timeout=10).text


# ------------------------------------------------------------------------ the time limit holds
def test_cross_join_aggregate_stops_at_the_limit_and_the_server_is_idle(served: Served) -> None:
    workers = children(served.proc.pid)
    started = time.monotonic()
    r = requests.post(served.url, data={"query": CROSS_JOIN},
                      headers={"Accept": "text/csv"}, timeout=30)
    elapsed = time.monotonic() - started
    assert r.status_code == 503 and elapsed < TIME_LIMIT + 1, elapsed
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "time limit of 2 s" in r.text and "--time-limit" in r.text
    assert not all(alive(p) for p in workers), "the worker that ran the query still runs"
    _assert_idle(served)
    ok = requests.get(served.url, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_many_slow_queries_at_once_all_stop_in_time(served: Served) -> None:
    results: list[tuple[int, float]] = []

    def one() -> None:
        started = time.monotonic()
        r = requests.get(served.url, params={"query": CROSS_JOIN},
                         headers={"Accept": "text/csv"}, timeout=30)
        results.append((r.status_code, time.monotonic() - started))

    threads = [threading.Thread(target=one) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [503] * 6
    assert max(elapsed for _, elapsed in results) < TIME_LIMIT + 1
    _assert_idle(served)


def test_a_client_that_leaves_does_not_keep_a_core_busy(served: Served) -> None:
    with socket.create_connection(("127.0.0.1", served.port)) as sock:
        body = urllib.parse.urlencode({"query": CROSS_JOIN}).encode()
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     b"application/x-www-form-urlencoded\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body)
        time.sleep(0.3)
    time.sleep(TIME_LIMIT + 0.5)
    _assert_idle(served)


def _assert_idle(served: Served) -> None:
    """Soon after, the server and its workers use (almost) no CPU (a replacement worker takes
    ~0.3 s of CPU to start, longer on a loaded machine: a few one-second windows are tried)."""
    used = 0.0
    for _ in range(4):
        time.sleep(0.5)
        pids = {served.proc.pid, *children(served.proc.pid)}
        before = cpu_seconds(pids)
        time.sleep(1.0)
        used = cpu_seconds(pids) - before
        if used < 0.2:
            return
    raise AssertionError(f"{used:.2f} s of CPU in 1 s: a query is still running")


# ------------------------------------------------------------------------ SERVICE
def test_service_is_refused_and_no_request_leaves(served: Served) -> None:
    listener = Listener()
    try:
        queries = [
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}",
            f"PREFIX x: <http://127.0.0.1:{listener.port}/>\n"
            "SELECT * WHERE { service x:sparql { ?s ?p ?o } }",
            f"SELECT * WHERE {{ BIND(<{listener.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        ]
        for query in queries:
            r = requests.get(served.url, params={"query": query}, timeout=10)
            assert r.status_code == 403, query
            assert "SERVICE" in r.text and "refused" in r.text
        time.sleep(0.5)
        assert listener.requests == []
    finally:
        listener.close()


def test_service_to_an_allowed_endpoint_goes_out(served: Served, allowed: Listener) -> None:
    r = requests.get(served.url, params={
        "query": f"SELECT * WHERE {{ SERVICE SILENT <{allowed.url}> {{ ?s ?p ?o }} }}"},
        timeout=10)
    assert r.status_code == 200
    deadline = time.monotonic() + 3
    while not allowed.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert allowed.requests and allowed.requests[0].startswith(b"POST /sparql")


# ------------------------------------------------------------------------ stopping
def _busy(url: str) -> None:
    with contextlib.suppress(requests.RequestException):
        requests.get(url, params={"query": CROSS_JOIN}, timeout=30)  # the server stops


def _workers_of(server: Served) -> set[int]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = children(server.proc.pid)
        if len(found) >= 2:
            return found
        time.sleep(0.1)
    raise AssertionError("the server has no workers")


def _assert_gone(port: int, pids: set[int], seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_is_free(port) and not any(alive(p) for p in pids):
            return
        time.sleep(0.05)
    raise AssertionError(f"port {port} free: {port_is_free(port)}; "
                         f"left running: {[p for p in pids if alive(p)]}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_serve_stops_with_its_workers(bundled_store_dir: Path, sig: signal.Signals) -> None:
    server = start_serve(bundled_store_dir, "--time-limit", "30")
    try:
        workers = _workers_of(server)
        # a query keeps a worker busy: it must end too
        threading.Thread(target=_busy, args=(server.url,), daemon=True).start()
        time.sleep(0.5)
        server.proc.send_signal(sig)  # the Python process only, not its group
        _assert_gone(server.port, workers | {server.proc.pid})
        if sig != signal.SIGKILL:
            assert server.proc.wait(timeout=1) == 0
    finally:
        stop(server.proc)


def test_serve_stops_when_its_parent_dies(bundled_store_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    pid_file = tmp_path / "serve.pid"
    argv = [*COPKG, "--store", str(bundled_store_dir), "serve", "--port", str(port)]
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time\n"
         f"p = subprocess.Popen({argv!r}, stderr=subprocess.DEVNULL)\n"
         f"open({str(pid_file)!r}, 'w').write(str(p.pid))\n"
         "time.sleep(600)\n"],
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url, params={"query": "ASK {}"}, timeout=5)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "copkg serve did not come up"
                time.sleep(0.1)
        serve_pid = int(pid_file.read_text())
        workers = children(serve_pid)
        assert len(workers) >= 2
        parent.kill()  # SIGKILL: the parent gets no chance to clean up
        parent.wait()
        _assert_gone(port, workers | {serve_pid})
    finally:
        with contextlib.suppress(OSError):
            os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()


def test_urllib_client_gets_http_errors_not_rows(endpoint: str) -> None:
    """What pandas/urllib see for a failure: an HTTPError, never a table holding the error."""
    url = endpoint + "?" + urllib.parse.urlencode({"query": CROSS_JOIN, "format": "csv"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(url, timeout=30)
    assert err.value.code == 503
    with pytest.raises(urllib.error.HTTPError):
        pd.read_csv(url)


# ------------------------------------------------------------------------ personal data
def test_personal_data_is_hidden_unless_asked(tmp_path: Path) -> None:
    from graph import KnowledgeGraph
    from graph.ingest import import_paths

    sheets = tmp_path / "sheets"
    shutil.copytree(Path(__file__).parent / "data" / "network" / "tiny", sheets)
    people = pd.read_csv(sheets / "people.csv", dtype=str, keep_default_na=False)
    people["email"] = ["ana@example.org", "", "", ""]
    people.to_csv(sheets / "people.csv", index=False)
    store = tmp_path / "store"
    kg = KnowledgeGraph.open(store)
    import_paths(kg, [sheets])
    kg.close()
    ask = {"query": "ASK { ?p foaf:mbox ?m }"}
    hidden = start_serve(store)
    try:
        r = requests.get(hidden.url, params=ask, timeout=10)
        assert r.json()["boolean"] is False and r.headers["X-Copkg-Personal-Data"] == "hidden"
        names = requests.get(hidden.url, params={"query": "SELECT ?n { ?p foaf:name ?n }"},
                             timeout=10).json()["results"]["bindings"]
        assert len(names) == 4  # everything else is served
    finally:
        stop(hidden.proc)
    served = start_serve(store, "--include-personal")
    try:
        r = requests.get(served.url, params=ask, timeout=10)
        assert r.json()["boolean"] is True and r.headers["X-Copkg-Personal-Data"] == "served"
    finally:
        stop(served.proc)
    assert not list((tmp_path / "store.views").glob("serve-*"))  # copies removed on exit
