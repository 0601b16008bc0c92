"""One query worker of ``copkg serve``: runs queries on a read-only checkpoint, answers in bytes.

Run by :mod:`graph.endpoint.pool` as a program (``python -c BOOT worker.py PARENT_PID``): it
imports only the standard library and pyoxigraph, so it starts in a fraction of a second. It
reads one request per line on stdin (JSON) and writes one reply per request on stdout: a JSON
header line (status, media type, whether the result was cut, body length) then the body. The
whole body is built before the header is written, so the front knows the HTTP status before it
sends a byte: a query that fails half-way is an HTTP error, never rows.

The worker is killed (never asked) when a query runs past the time limit: pyoxigraph cannot
interrupt a query (oxigraph #1926; the server cannot either, oxigraph #1336). It dies with its
parent (``PR_SET_PDEATHSIG``), so a killed ``copkg serve`` leaves no worker behind.
"""

from __future__ import annotations

import csv
import ctypes
import io
import json
import os
import resource
import signal
import sys
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: Media type of each result format name the front may ask for.
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


# Characters XML 1.0 cannot carry at all (C0 controls but tab, newline, carriage return).
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF],
                         "\ufffd")


def _x(text: str) -> str:
    return escape(text.translate(_NOT_XML))


class _Cut(Exception):
    """The body reached its byte limit."""


# ----------------------------------------------------------------------------- serialisers
def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
            "object": _json_term(term.object)}}
    return {"type": "literal", "value": str(term)}


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_x(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_x(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_x(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                    f"{_x(term.value)}</literal>")
        return f"<literal>{_x(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
                f"<predicate>{_xml_term(term.predicate)}</predicate>"
                f"<object>{_xml_term(term.object)}</object></triple>")
    return f"<literal>{_x(str(term))}</literal>"


def _csv_value(term: Any) -> str:
    # SPARQL 1.1 Query Results CSV: plain values, no syntax (W3C; not neutralised — this is a
    # machine format, and a client expects the exact value).
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _tsv_value(term: Any) -> str:
    # SPARQL 1.1 Query Results TSV: terms in Turtle syntax; N-Triples escapes tabs and newlines.
    return "" if term is None else str(term)


class _Body:
    """A bytes buffer that refuses to grow past ``limit`` (then the result is cut)."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def add(self, data: str | bytes) -> None:
        chunk = data.encode("utf-8") if isinstance(data, str) else data
        if self.size + len(chunk) > self.limit:
            raise _Cut
        self.parts.append(chunk)
        self.size += len(chunk)

    def bytes(self) -> bytes:
        return b"".join(self.parts)


def _select(result: ox.QuerySolutions, fmt: str, cap: int, max_bytes: int) -> tuple[bytes, bool,
                                                                                     int]:
    names = [v.value for v in result.variables]
    # The closing text of each format is kept aside so that a cut result stays well formed.
    body = _Body(max_bytes - 256)
    rows, truncated = 0, False
    if fmt == "json":
        body.add('{"head":{"vars":' + json.dumps(names) + '},"results":{"bindings":[')
        tail = "]}}"
    elif fmt == "xml":
        body.add('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
                 + "".join(f"<variable name={quoteattr(n)}/>" for n in names)
                 + "</head><results>")
        tail = "</results></sparql>\n"
    elif fmt == "tsv":
        body.add("\t".join("?" + n for n in names) + "\n")
        tail = ""
    else:
        body.add(_csv_line(names))
        tail = ""
    try:
        for solution in result:
            if rows >= cap:
                truncated = True
                break
            terms = list(solution)
            if fmt == "json":
                binding = {n: _json_term(t) for n, t in zip(names, terms, strict=True)
                           if t is not None}
                body.add(("," if rows else "") + json.dumps(binding, ensure_ascii=False))
            elif fmt == "xml":
                body.add("<result>" + "".join(
                    f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                    for n, t in zip(names, terms, strict=True) if t is not None) + "</result>")
            elif fmt == "tsv":
                body.add("\t".join(_tsv_value(t) for t in terms) + "\n")
            else:
                body.add(_csv_line([_csv_value(t) for t in terms]))
            rows += 1
    except _Cut:
        truncated = True
    body.limit += 256
    body.add(tail)
    return body.bytes(), truncated, rows


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def _ask(value: bool, fmt: str) -> bytes:
    word = "true" if value else "false"
    if fmt == "json":
        return ('{"head":{},"boolean":' + word + "}").encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
                f'sparql-results#"><head/><boolean>{word}</boolean></sparql>\n').encode()
    return f"_askResult\r\n{word}\r\n".encode()


def _graph(result: ox.QueryTriples, fmt: str, cap: int, max_bytes: int) -> tuple[bytes, bool,
                                                                                  int]:
    triples: list[ox.Triple] = []
    size, truncated = 0, False
    for triple in result:
        if len(triples) >= cap:
            truncated = True
            break
        size += len(str(triple))
        if size > max_bytes:
            truncated = True
            break
        triples.append(triple)
    data = ox.serialize(triples, format=_RDF_FORMATS[fmt]) or b""
    return data, truncated, len(triples)


# ----------------------------------------------------------------------------- the loop
def answer(store: ox.Store, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Run one request on ``store``; the reply header and body."""
    fmt = request["format"]
    cap = int(request["cap"])
    max_bytes = int(request["max_bytes"])
    kwargs: dict[str, Any] = {"prefixes": request.get("prefixes") or None}
    if request.get("default_graphs") or request.get("named_graphs"):
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.get("default_graphs") or []]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.get("named_graphs") or []]
    else:
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(request["query"], **kwargs)
        if isinstance(result, ox.QueryBoolean):
            body, truncated, rows = _ask(bool(result), fmt), False, 1
        elif isinstance(result, ox.QueryTriples):
            body, truncated, rows = _graph(result, fmt, cap, max_bytes)
        else:
            body, truncated, rows = _select(result, fmt, cap, max_bytes)
    except SyntaxError as exc:
        return _error(400, f"SPARQL syntax error: {exc}")
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        return _error(500, f"The store failed while running the query: {exc}")
    header = {"status": 200, "type": MEDIA_TYPES[fmt], "truncated": truncated, "rows": rows}
    return header, body


def _error(status: int, message: str) -> tuple[dict[str, Any], bytes]:
    return {"status": status, "type": "text/plain; charset=utf-8", "truncated": False,
            "rows": 0}, (message + "\n").encode("utf-8")


def _state_token(store: ox.Store) -> str:
    """The state token the checkpoint holds (written by every copkg import)."""
    result = store.query("SELECT ?t WHERE { GRAPH <https://w3id.org/copkg/state> "
                         "{ ?s <https://w3id.org/copkg/ontology#generation> ?t } }")
    for solution in result:  # type: ignore[union-attr]
        if solution[0] is not None:
            return str(solution[0].value)
    return ""


def _die_with_parent(parent: int) -> None:
    """Be killed when the process that started us dies (Linux), even by SIGKILL."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: stdin closes when the parent dies
        pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(0)


def main(parent: int, memory_limit_mb: int = 0) -> None:
    """Serve requests from stdin until it closes."""
    _die_with_parent(parent)
    if memory_limit_mb > 0:  # a query that needs more fails (the worker dies), not the machine
        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the front decides when workers stop
    store: ox.Store | None = None
    opened = state = ""
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        request = json.loads(line)
        if request["path"] != opened:
            store = None  # close the previous checkpoint before opening the next
            try:
                store = ox.Store.read_only(request["path"])
                opened = request["path"]
                state = _state_token(store)
            except OSError as exc:
                opened = ""
                header, body = _error(503, f"The store cannot be read just now: {exc}")
        if store is not None and opened:
            header, body = answer(store, request)
            header["state"] = state
        header["length"] = len(body)
        out.write(json.dumps(header).encode() + b"\n" + body)
        out.flush()


if __name__ == "__copkg_endpoint_worker__":
    # sys.argv is ["-c", this file, parent pid, memory limit] under runpy
    main(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
