"""copkg's SPARQL 1.1 Protocol front: HTTP in, a worker process per query, a complete answer out.

Oxigraph's own server cannot stop a running query (its maintainer, oxigraph #1336: the server
runs queries on native threads; the cooperative timeout of #1409 does not reach an aggregate
over a cross join), and a timeout in the middle of a streamed CSV arrives as HTTP 200 with the
error text as a row. So ``copkg serve`` is this front: it checks each request (read-only, no
``SERVICE`` unless allowed, an acceptable format), lends it to a worker of
:class:`~graph.endpoint.pool.WorkerPool` that reads the store's latest checkpoint, and kills the
worker at the time limit. Workers build the whole (capped) answer before replying, so the HTTP
status is known before the body: a failure is an HTTP error, never rows.
"""

from __future__ import annotations

import html
import json
import os
import secrets
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import QueryError, StoreError
from ..i18n import LANGUAGES, Message, direction, normalize_language, t
from ..store import snapshots
from ..store.limited import time_limit_message
from ..store.sparql import check_service, query_form
from ..vocab import PREFIXES
from .pool import WorkerBusy, WorkerFailed, WorkerPool, WorkerTimeout

__all__ = ["EndpointConfig", "negotiate", "serve"]

#: Largest request body (a query or a form) accepted.
MAX_REQUEST_BYTES = 1 << 20
#: Largest response body; a longer result is cut like one over the row cap.
MAX_RESPONSE_BYTES = 64 << 20

_RESULTS = {  # SELECT and ASK
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
_GRAPHS = {  # CONSTRUCT and DESCRIBE
    "text/turtle": "turtle", "application/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
    "application/ld+json": "jsonld", "application/json": "jsonld",
    # Turtle is valid N3: clients asking for N3 read it
    "text/n3": "turtle", "text/rdf+n3": "turtle", "application/n3": "turtle",
}
_NAMES = {  # the `format=` / `output=` parameter some clients send instead of Accept
    "json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle",
    "ttl": "turtle", "n3": "turtle", "nt": "ntriples", "ntriples": "ntriples",
    "n-triples": "ntriples",
    "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "jsonld": "jsonld",
    "json-ld": "jsonld",
}
_EXPOSED = ("X-Copkg-Row-Cap", "X-Copkg-Truncated", "X-Copkg-Rows", "X-Copkg-Store-State",
            "X-Copkg-Time-Limit", "X-Copkg-Personal-Data")


def negotiate(form: str, accept: str | None, name: str | None = None) -> str | None:
    """The result format for a query of ``form`` given an ``Accept`` header (or a format name).

    None when nothing acceptable can be produced (HTTP 406).

    >>> negotiate("SELECT", "text/csv;q=0.9, application/sparql-results+json")
    'json'
    >>> negotiate("CONSTRUCT", "*/*"), negotiate("ASK", None), negotiate("SELECT", "image/png")
    ('turtle', 'json', None)
    >>> negotiate("SELECT", "text/html", name="csv"), negotiate("ASK", None, name="turtle")
    ('csv', 'json')
    """
    table = _GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS
    if name:  # a name this form cannot take (or an unknown one) leaves it to Accept
        value = _NAMES.get(name.strip().lower()) or table.get(name.strip().lower())
        if value in table.values():
            return value
    if not accept or not accept.strip():
        return next(iter(table.values()))
    choices: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and media:
            choices.append((-q, order, media.lower()))
    for _, _, media in sorted(choices):
        if media in table:
            return table[media]
        if media == "*/*":
            return next(iter(table.values()))
        if media.endswith("/*"):
            kind = media[:-1]
            for known, fmt in table.items():
                if known.startswith(kind):
                    return fmt
    return None


@dataclass
class EndpointConfig:
    """What ``copkg serve`` was started with."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    time_limit_s: float = 30.0
    row_cap: int = 10_000
    workers: int = 2
    allow_service: tuple[str, ...] = ()
    cors_origin: str | None = "*"
    outlive_parent: bool = False
    memory_limit_mb: int | None = 2048
    log: bool = False
    #: Serve personal data (e-mails, ...: ``cop:personalData`` in the ontology) too.
    include_personal: bool = False
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))


class _Answer(Exception):
    """An HTTP reply decided before any worker is asked (refusals, bad requests)."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, config: EndpointConfig, pool: WorkerPool) -> None:
        self.config = config
        self.pool = pool
        self.connections = threading.BoundedSemaphore(64)
        self._views_lock = threading.Lock()
        self._views: list[Path] = []
        super().__init__((config.host, config.port), _Handler)

    def folder_for(self, lease: snapshots.Lease) -> Path:
        """What the workers read for this checkpoint: itself, or its copy without personal
        data (made once per store state, the previous one kept for queries still reading it)."""
        if self.config.include_personal:
            return lease.path
        from ..access import viewer_copy

        views = self.config.store.with_name(self.config.store.name + ".views")
        dest = views / f"serve-{lease.name}"
        with self._views_lock:
            if not self._views or self._views[-1] != dest:
                viewer_copy(lease.path, dest)
                self._views.append(dest)
                for old in self._views[:-2]:
                    shutil.rmtree(old, ignore_errors=True)
                self._views = self._views[-2:]
        return dest

    def server_close(self) -> None:
        super().server_close()
        for view in self._views:
            shutil.rmtree(view, ignore_errors=True)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "copkg"
    timeout = 30  # seconds to send a request: a slow client does not hold a thread for ever
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive answer.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return self.server_version

    # ------------------------------------------------------------------- HTTP verbs
    def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802 - Graph Store Protocol writes
        self._refuse_write()

    def do_DELETE(self) -> None:  # noqa: N802
        self._refuse_write()

    def do_PATCH(self) -> None:  # noqa: N802
        self._refuse_write()

    # ------------------------------------------------------------------- handling
    def _handle(self, method: str) -> None:
        if not self.server.connections.acquire(blocking=False):
            self._text(HTTPStatus.SERVICE_UNAVAILABLE, "Too many requests at once; try again.")
            return
        started = time.monotonic()
        try:
            url = urlsplit(self.path)
            if url.path in ("/", "/index.html") and method == "GET":
                self._page(parse_qs(url.query))
            elif url.path in ("/sparql", "/query"):
                self._query(method, parse_qs(url.query, keep_blank_values=True), started)
            elif url.path in ("/update", "/store", "/data"):
                self._refuse_write()
            else:
                self._text(HTTPStatus.NOT_FOUND, "Not found: the SPARQL endpoint is /sparql "
                           "(also /query); a query page is at /.")
        except _Answer as answer:
            self._text(answer.status, str(answer))
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.server.connections.release()

    def _query(self, method: str, params: dict[str, list[str]], started: float) -> None:
        config = self.server.config
        text = self._query_text(method, params)
        try:
            form = query_form(text)
        except QueryError as exc:
            raise _Answer(HTTPStatus.BAD_REQUEST, str(exc)) from None
        if form == "UPDATE":
            raise _Answer(HTTPStatus.FORBIDDEN, "Updates are refused: this endpoint is "
                          "read-only. Change data with `copkg import` or the app's Data page.")
        try:
            check_service(text, config.allow_service, hint=None if config.allow_service else (
                Message("error.service_hint_serve")))
        except QueryError as exc:
            raise _Answer(HTTPStatus.FORBIDDEN, str(exc)) from None
        # Some clients (SPARQLWrapper) repeat these: the first one counts.
        name = next(iter(params.get("format", []) + params.get("output", [])), None)
        fmt = negotiate(form, self.headers.get("Accept"), name)
        if fmt is None:
            kinds = sorted(_GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS)
            raise _Answer(HTTPStatus.NOT_ACCEPTABLE, f"A {form} result can be sent as: "
                          + ", ".join(kinds) + ".")
        deadline = started + config.time_limit_s
        lease = snapshots.lease(config.store)
        if lease is None:
            raise _Answer(HTTPStatus.SERVICE_UNAVAILABLE,
                          f"The store {config.store} has no readable checkpoint yet.")
        try:
            folder = self.server.folder_for(lease)
        except OSError as exc:
            lease.release()
            raise _Answer(HTTPStatus.SERVICE_UNAVAILABLE,
                          f"The store cannot be read just now: {exc}") from None
        request = {
            "path": str(folder), "query": text, "format": fmt, "cap": config.row_cap,
            "max_bytes": MAX_RESPONSE_BYTES, "prefixes": config.prefixes,
            "default_graphs": params.get("default-graph-uri", []),
            "named_graphs": params.get("named-graph-uri", []),
        }
        try:
            reply = self.server.pool.run(request, deadline)
        except WorkerTimeout:
            raise _Answer(HTTPStatus.SERVICE_UNAVAILABLE,
                          time_limit_message(config.time_limit_s).replace(
                              "COPKG_QUERY_TIME_LIMIT (seconds) or --time-limit",
                              "`copkg serve --time-limit S`")) from None
        except WorkerBusy:
            raise _Answer(HTTPStatus.SERVICE_UNAVAILABLE,
                          f"All {config.workers} query workers stayed busy for the time limit "
                          f"of {config.time_limit_s:g} s; try again later.") from None
        except WorkerFailed as exc:
            raise _Answer(HTTPStatus.INTERNAL_SERVER_ERROR,
                          f"The query worker failed ({exc}); a query may need more memory than "
                          f"the {config.memory_limit_mb} MB a worker may use.") from None
        finally:
            lease.release()
        self.send_response(reply.status)
        self._cors()
        self.send_header("Content-Type", reply.media_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Copkg-Store-State", reply.state)
        self.send_header("X-Copkg-Personal-Data",
                         "served" if config.include_personal else "hidden")
        self.send_header("X-Copkg-Time-Limit", f"{config.time_limit_s:g}")
        self.send_header("X-Copkg-Row-Cap", str(config.row_cap))
        if reply.status == 200:
            self.send_header("X-Copkg-Truncated", "true" if reply.truncated else "false")
            self.send_header("X-Copkg-Rows", str(reply.rows))
        self.end_headers()
        self.wfile.write(reply.body)
        if config.log:
            self.log_message('"%s" %s %d rows, %.0f ms', self.requestline, reply.status,
                             reply.rows, (time.monotonic() - started) * 1000)

    def _query_text(self, method: str, params: dict[str, list[str]]) -> str:
        if method == "GET":
            query = _one(params, "query")
            if "update" in params:
                raise _Answer(HTTPStatus.FORBIDDEN, "Updates are refused: read-only endpoint.")
            if query is None:
                raise _Answer(HTTPStatus.BAD_REQUEST, "Give the query as ?query=... (SPARQL 1.1 "
                              "Protocol), or open / for a query page.")
            return query
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._body()
        if kind == "application/sparql-update":
            raise _Answer(HTTPStatus.FORBIDDEN, "Updates are refused: read-only endpoint.")
        if kind == "application/sparql-query":
            return _decode(body)
        if kind == "application/x-www-form-urlencoded":
            form = parse_qs(_decode(body), keep_blank_values=True)
            if "update" in form:
                raise _Answer(HTTPStatus.FORBIDDEN, "Updates are refused: read-only endpoint.")
            for key in ("default-graph-uri", "named-graph-uri", "format", "output"):
                params.setdefault(key, []).extend(form.get(key, []))
            query = _one(form, "query")
            if query is None:
                raise _Answer(HTTPStatus.BAD_REQUEST, "The form has no 'query' field.")
            return query
        raise _Answer(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                      "POST a query as application/sparql-query or as the 'query' field of "
                      "application/x-www-form-urlencoded.")

    def _body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise _Answer(HTTPStatus.LENGTH_REQUIRED, "Send a Content-Length, not chunks.")
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            raise _Answer(HTTPStatus.BAD_REQUEST, "Content-Length is not a number.") from None
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            raise _Answer(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                          f"A query may have at most {MAX_REQUEST_BYTES} bytes.")
        return self.rfile.read(length) if length > 0 else b""

    def _refuse_write(self) -> None:
        self._text(HTTPStatus.FORBIDDEN, "Updates are refused: this endpoint is read-only. "
                   "Change data with `copkg import` or the app's Data page.")

    # ------------------------------------------------------------------- replies
    def _cors(self) -> None:
        origin = self.server.config.cors_origin
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Expose-Headers", ", ".join(_EXPOSED))

    def _text(self, status: HTTPStatus, message: str) -> None:
        body = (message + "\n").encode("utf-8")
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, params: dict[str, list[str]]) -> None:
        lang = _one(params, "lang") or _accepted_language(self.headers.get("Accept-Language"))
        lang = normalize_language(lang)
        if lang not in LANGUAGES:
            lang = "en"
        nonce = secrets.token_urlsafe(16)
        body = render_page(lang, self.server.config, nonce).encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        # The page loads nothing from anywhere else (it works offline) and talks only to us.
        self.send_header("Content-Security-Policy", f"default-src 'none'; script-src "
                         f"'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
                         "form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.config.log:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def _one(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key)
    if not values:
        return None
    if len(values) > 1:
        raise _Answer(HTTPStatus.BAD_REQUEST, f"Give '{key}' once, not {len(values)} times.")
    return values[0]


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Answer(HTTPStatus.BAD_REQUEST, "The request is not UTF-8 text.") from None


def _accepted_language(header: str | None) -> str:
    for part in (header or "").split(","):
        tag = normalize_language(part.split(";")[0].strip())
        if tag in LANGUAGES:
            return tag
    return "en"


_PAGE_KEYS = ("title", "intro", "query", "run", "format", "table", "running", "rows",
              "truncated", "failed", "hint")


def render_page(lang: str, config: EndpointConfig, nonce: str) -> str:
    """The query page at ``/``: plain HTML and a little script, nothing from the internet.

    A query given in the page's own link (``/?query=...``) is put in the box, not run.
    """
    template = resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")
    strings = {
        key: t(f"endpoint.{key}", lang).replace("{time_limit}", f"{config.time_limit_s:g}")
        .replace("{row_cap}", str(config.row_cap))
        for key in _PAGE_KEYS
    }
    page = template.replace("{{lang}}", lang).replace("{{dir}}", direction(lang))
    page = page.replace("{{nonce}}", nonce)
    page = page.replace("{{strings}}", json.dumps(strings, ensure_ascii=False)
                        .replace("<", "\\u003c"))
    for key, value in strings.items():
        page = page.replace("{{" + key + "}}", html.escape(value))
    return page


# ----------------------------------------------------------------------------- running
def serve(config: EndpointConfig, *, ready: Iterable[str] = ()) -> int:
    """Serve ``config.store`` until SIGTERM, SIGINT or SIGHUP (or the parent's death).

    Returns 0. Workers are killed on the way out; the port is free when this returns.
    """
    _ensure_checkpoint(config.store)
    pool = WorkerPool(config.workers, memory_limit_mb=config.memory_limit_mb)
    stop = threading.Event()
    parent = _watch_parent() if not config.outlive_parent else None
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set())
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    }
    try:
        try:
            server = _Server(config, pool)
        except OSError as exc:
            raise StoreError("error.cannot_listen", host=config.host, port=str(config.port),
                             detail=str(exc.strerror)) from None
        try:
            pool.fill()
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      name="copkg-serve-http", daemon=True)
            thread.start()
            host, port = server.server_address[:2]
            for line in ready:
                print(line.format(host=host, port=port), file=sys.stderr, flush=True)
            while not stop.is_set():
                pool.wait(0.2)
                if not stop.is_set():
                    pool.fill()
                if parent is not None and _parent_gone(parent):
                    stop.set()
        finally:
            server.shutdown()
            server.server_close()
    finally:
        pool.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _ensure_checkpoint(store: Path) -> None:
    """Make sure readers have a checkpoint: a store written by an older copkg has none."""
    if snapshots.current_name(store) is not None:
        return
    from ..store import KnowledgeGraph

    try:
        KnowledgeGraph.open(store).close()  # a read-write open makes one (and creates a store)
    except StoreError as exc:
        raise StoreError("error.store_without_checkpoints", detail=exc.message) from None


def _watch_parent() -> int:
    """The pid of our parent: the main loop stops serving once it is gone (we are reparented).

    Polled rather than ``PR_SET_PDEATHSIG``, which fires when the parent *thread* that started
    us ends, e.g. a worker thread of a notebook kernel, while the parent lives on.
    """
    return _parent_pid()


def _parent_pid() -> int:
    return os.getppid()


def _parent_gone(parent: int) -> bool:
    return _parent_pid() != parent
