"""A SPARQL 1.1 endpoint as a copkg store (oxigraph server, Virtuoso, GraphDB, Fuseki, Neptune).

Reads use the SPARQL protocol (``POST`` form ``query=``) and expect the endpoint to query the
union of its graphs when no graph is named (oxigraph: ``--union-default-graph``; Virtuoso and
GraphDB do by default; Fuseki: ``tdb:unionDefaultGraph true``). Writes use SPARQL 1.1 Update:
``DROP SILENT GRAPH`` + ``INSERT DATA`` for every graph in **one request**, which Oxigraph runs
as one transaction. Past :data:`CHUNK_TRIPLES` triples the data is sent in chunks into staging
graphs, then swapped in by one final request (``DROP`` + ``MOVE``): readers never see a half
graph, but a failure while staging leaves the old graphs untouched and the staging graphs
removed. Virtuoso applies each update request in its own transaction as well (log mode 2 is
row-autocommit, see the README), so the same reasoning holds there.

Every request has a real connect timeout and a total deadline (``requests`` only bounds the
time *between* bytes, so the body is read in chunks against the clock). Credentials come only
from ``$COPKG_ENDPOINT_USER`` / ``$COPKG_ENDPOINT_PASSWORD``; basic or digest authentication
is chosen from the server's challenge (Virtuoso's ``/sparql-auth`` wants digest).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from ..errors import EndpointError, QueryError, QueryTimeout, StoreError
from .backend import SelectResult

__all__ = ["CHUNK_TRIPLES", "EndpointTimeout", "RemoteBackend"]

#: Triples per update request; more than this and writes are staged (see the module docstring).
CHUNK_TRIPLES = 20_000
_CONNECT_TIMEOUT_S = 5.0
_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
_GRAPHS = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/ntriples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}


class EndpointTimeout(EndpointError, QueryTimeout):
    """The endpoint sent no (complete) answer in time: it is down, hung, or the query is slow."""


class RemoteBackend:
    """A :class:`~graph.store.backend.Backend` over HTTP.

    Parameters
    ----------
    endpoint
        The SPARQL query endpoint, e.g. ``http://127.0.0.1:7878/query`` (oxigraph) or
        ``http://host:8890/sparql`` (Virtuoso).
    read_only
        Refuse writes.
    update_endpoint
        Where updates go; default ``$COPKG_UPDATE_ENDPOINT``, else guessed: ``.../query`` →
        ``.../update`` (oxigraph, Fuseki), Virtuoso ``.../sparql`` → ``.../sparql-auth``, GraphDB
        ``.../repositories/x`` → ``.../repositories/x/statements``, else the query endpoint.
    timeout
        Seconds a request may take in total when the caller gives none.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        read_only: bool = False,
        update_endpoint: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise EndpointError("error.not_endpoint_url", url=endpoint)
        self.endpoint = endpoint
        self.location = endpoint
        self.read_only = read_only
        self.update_endpoint = (
            update_endpoint or os.environ.get("COPKG_UPDATE_ENDPOINT") or _guess_update(endpoint)
        )
        self.timeout = timeout
        self.engine = ""  # from the Server header, once seen (e.g. "virtuoso")
        self._session = requests.Session()
        self._session.headers["User-Agent"] = "copkg"
        user = os.environ.get("COPKG_ENDPOINT_USER")
        password = os.environ.get("COPKG_ENDPOINT_PASSWORD", "")
        self._credentials = (user, password) if user else None
        self._auth: AuthBase | None = None

    # ----------------------------------------------------------------------------- reading
    def select(self, query: str, timeout: float | None = None) -> SelectResult:
        result = self._results(query, timeout)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("error.expected_select")
        variables = [v.value for v in result.variables]
        return SelectResult(variables, [tuple(solution) for solution in result])

    def ask(self, query: str, timeout: float | None = None) -> bool:
        result = self._results(query, timeout)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("error.expected_ask")
        return bool(result)

    def construct(self, query: str, timeout: float | None = None) -> list[ox.Triple]:
        body, content_type = self._post(self.endpoint, {"query": query}, _GRAPHS, timeout)
        fmt = _RDF_FORMATS.get(content_type)
        if fmt is None:
            raise EndpointError("error.construct_type", url=self.endpoint, type=content_type)
        try:
            return [q.triple for q in ox.parse(body, format=fmt)]
        except SyntaxError as exc:
            raise EndpointError("error.unreadable_rdf", url=self.endpoint, detail=str(exc)) \
                from exc

    def _results(
        self, query: str, timeout: float | None
    ) -> ox.QuerySolutions | ox.QueryBoolean:
        body, content_type = self._post(self.endpoint, {"query": query}, _RESULTS, timeout)
        try:
            fmt = ox.QueryResultsFormat.from_media_type(content_type)
        except ValueError:
            fmt = None
        if fmt is None:
            raise EndpointError("error.not_results", url=self.endpoint, type=content_type)
        try:
            return ox.parse_query_results(body, format=fmt)
        except SyntaxError as exc:
            raise EndpointError("error.unreadable_results", url=self.endpoint,
                                detail=str(exc)) from exc

    # ----------------------------------------------------------------------------- writing
    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """One update request when small; staged chunks then one swap request when large."""
        if self.read_only:
            raise StoreError("error.endpoint_read_only", location=self.location)
        if not self.engine:
            self.ask("ASK {}")  # learn the engine from the Server header
        total = sum(len(t) for t in graphs.values())
        if self.engine == "virtuoso":
            self._replace_with_graph_store(graphs)
            return
        if total <= CHUNK_TRIPLES:
            ops = []
            for iri, triples in graphs.items():
                ops.append(f"DROP SILENT GRAPH <{_iri(iri)}>")
                if triples:
                    ops.append(_insert_data(iri, triples))
            self.update(" ;\n".join(ops))
            return
        self._stage_and_swap(graphs, self._upload_by_update)

    def _upload_by_update(self, target: str, triples: Sequence[ox.Triple]) -> None:
        for chunk in _chunks(triples, CHUNK_TRIPLES):
            self.update(_insert_data(target, chunk))

    def _replace_with_graph_store(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """Virtuoso: its INSERT DATA fails past a few thousand triples ("generated SQL text has
        exceeded 10000 lines"), so each graph is staged with one Graph Store Protocol PUT
        (``/sparql-graph-crud-auth``), then all are swapped in by one update request."""
        store = self.graph_store_endpoint()

        def upload(target: str, triples: Sequence[ox.Triple]) -> None:
            body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
            self._request(
                "PUT", store, None, "*/*", None, params={"graph-uri": target},
                body=body.encode("utf-8"), content_type="application/n-triples",
            )

        self._stage_and_swap(graphs, upload)

    def _stage_and_swap(
        self,
        graphs: Mapping[str, Sequence[ox.Triple]],
        upload: Callable[[str, Sequence[ox.Triple]], None],
    ) -> None:
        """Upload each graph under a staging name, then DROP + MOVE them all in one update.

        Readers never see a half-written graph; on failure the staging graphs are dropped.
        """
        staged = {iri: f"{iri}#staging-{uuid.uuid4().hex}" for iri, t in graphs.items() if t}
        try:
            for iri, target in staged.items():
                upload(target, graphs[iri])
            swap = []
            for iri in graphs:
                swap.append(f"DROP SILENT GRAPH <{_iri(iri)}>")
                if iri in staged:
                    swap.append(f"MOVE SILENT GRAPH <{_iri(staged[iri])}> TO GRAPH <{_iri(iri)}>")
            self.update(" ;\n".join(swap))
        except Exception:
            for target in staged.values():
                with contextlib.suppress(EndpointError):
                    self.update(f"DROP SILENT GRAPH <{_iri(target)}>")
            raise

    def graph_store_endpoint(self) -> str:
        """The SPARQL 1.1 Graph Store endpoint (Virtuoso: ``/sparql-graph-crud-auth``)."""
        env = os.environ.get("COPKG_GRAPH_STORE_ENDPOINT")
        if env:
            return env
        parts = urlsplit(self.update_endpoint)
        return urlunsplit(parts._replace(path="/sparql-graph-crud-auth"))

    def update(self, update: str, timeout: float | None = None) -> None:
        """Send one SPARQL 1.1 Update request to :attr:`update_endpoint`."""
        self._post(self.update_endpoint, {"update": update}, "*/*", timeout, is_update=True)

    def named_graphs(self) -> list[str]:
        result = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row[0].value for row in result.rows if isinstance(row[0], ox.NamedNode))

    def dump(self, format: ox.RdfFormat) -> bytes:
        if format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            result = self.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            quads = [
                ox.Quad(s, p, o, g)  # type: ignore[arg-type]
                for s, p, o, g in result.rows
            ]
            data = ox.serialize(quads, format=format)
        else:
            triples = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            data = ox.serialize(triples, format=format)
        return data or b""

    def close(self) -> None:
        self._session.close()

    # ----------------------------------------------------------------------------- HTTP
    def _post(
        self,
        url: str,
        form: dict[str, str],
        accept: str,
        timeout: float | None,
        *,
        is_update: bool = False,
    ) -> tuple[bytes, str]:
        if self.engine == "virtuoso" and not is_update:
            limit = self.timeout if timeout is None else timeout
            form = {**form, "timeout": str(int(limit * 1000))}  # Virtuoso's own limit, in ms
        return self._request("POST", url, form, accept, timeout, is_update=is_update)

    def _request(
        self,
        method: str,
        url: str,
        form: dict[str, str] | None,
        accept: str,
        timeout: float | None,
        *,
        is_update: bool = False,
        params: dict[str, str] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[bytes, str]:
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
            is_update = True

        def send() -> requests.Response:
            return self._session.request(
                method, url, data=form if body is None else body, params=params,
                headers=headers, auth=self._auth,
                timeout=(min(limit, _CONNECT_TIMEOUT_S), limit), stream=True,
            )

        try:
            response = send()
            if response.status_code == 401 and self._credentials:
                self._auth = _auth_for(response, self._credentials)
                response.close()
                response = send()
            server = response.headers.get("Server", "").lower()
            if "virtuoso" in server:
                self.engine = "virtuoso"
            chunks = []
            for chunk in response.iter_content(64 * 1024):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    response.close()
                    raise requests.ReadTimeout()
            body = b"".join(chunks)
        except requests.ConnectTimeout as exc:
            raise EndpointError("error.no_connection", url=url,
                                limit=min(limit, _CONNECT_TIMEOUT_S)) from exc
        except (requests.ReadTimeout, requests.exceptions.ChunkedEncodingError) as exc:
            raise EndpointTimeout("error.endpoint_timeout", url=url, limit=limit) from exc
        except requests.ConnectionError as exc:
            raise EndpointError("error.unreachable", url=url, detail=_reason(exc)) from exc
        if response.status_code == 403 and body.strip() and "copkg" in response.headers.get(
                "Server", ""):
            # `copkg serve` says why (an update on a read-only endpoint, SERVICE refused).
            raise QueryError("error.endpoint_refused", url=url,
                             detail=body.decode("utf-8", errors="replace").strip()[:800])
        if response.status_code in (401, 403):
            raise EndpointError(
                "error.endpoint_credentials" if self._credentials
                else "error.endpoint_needs_credentials", url=url, status=response.status_code)
        if response.status_code >= 400:
            text = body.decode("utf-8", errors="replace").strip()[:800]
            key = "error.endpoint_rejected_update" if is_update \
                else "error.endpoint_rejected_query"
            if response.status_code >= 500 and "syntax" not in text.lower():
                raise EndpointError(key, url=url, status=response.status_code, detail=text)
            raise QueryError(key, url=url, status=response.status_code, detail=text)
        if response.headers.get("X-SQL-State"):
            # Virtuoso's "anytime query": stopped at its timeout, it sends *partial* results.
            raise EndpointTimeout("error.partial_results", url=url, limit=limit)
        if response.headers.get("X-Copkg-Truncated") == "true":
            # `copkg serve` cut the answer at its row cap: a part is not the answer.
            raise EndpointError("error.row_cap_cut", url=url,
                                cap=str(response.headers.get("X-Copkg-Row-Cap")))
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return body, content_type


def _guess_update(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        path = path[: -len("/query")] + "/update"
    elif path == "/sparql":
        path += "-auth"  # Virtuoso: anonymous /sparql may not write; /sparql-auth (digest) may
    elif path.endswith("/sparql"):
        path = path[: -len("/sparql")] + "/update"  # Fuseki: /ds/sparql → /ds/update
    elif "/repositories/" in path and not path.endswith("/statements"):
        path += "/statements"
    else:
        return endpoint
    return urlunsplit(parts._replace(path=path))


def _auth_for(response: requests.Response, credentials: tuple[str, str]) -> AuthBase:
    challenge = response.headers.get("WWW-Authenticate", "").lower()
    if challenge.startswith("digest"):
        return HTTPDigestAuth(*credentials)
    return HTTPBasicAuth(*credentials)


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "Connection refused" in text:
        return "connection refused (nothing listens there)"
    if "Name or service not known" in text or "NameResolution" in text:
        return "unknown host name"
    return text[:200]


def _iri(iri: str) -> str:
    return ox.NamedNode(iri).value  # validates: no '>' or spaces can end the IRI early


def _insert_data(graph: str, triples: Sequence[ox.Triple]) -> str:
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    return f"INSERT DATA {{ GRAPH <{_iri(graph)}> {{\n{body}\n}} }}"


def _chunks(triples: Sequence[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Chunks of ``size``; triples with blank nodes all go in the first chunk, since a blank node
    label means one node only within one request."""
    with_bnodes = [
        t for t in triples
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
    ]
    rest = [
        t for t in triples
        if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))
    ]
    first = with_bnodes + rest[: max(size - len(with_bnodes), 0)]
    rest = rest[len(first) - len(with_bnodes):]
    return [first] + [rest[i : i + size] for i in range(0, len(rest), size)]
