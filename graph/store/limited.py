"""Run a user-written query where it can be stopped: time limit, row cap, no updates.

pyoxigraph cannot interrupt a query (oxigraph #1926), so for the embedded store the query runs
in a worker process that opens the same folder with ``pyoxigraph.Store.read_only`` (this works
while another process holds the store read-write) and is killed when the time limit passes. The
worker is this very file run as a program: it imports only the standard library and pyoxigraph,
so it starts in about 0.1 s. An in-memory store is handed to the worker as N-Quads.

For a remote endpoint the limit is the HTTP read timeout (and the engine's own timeout where
the engine takes one, see :mod:`graph.store.remote`); the row cap is applied to what returns.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

_WORKER_NAME = "__copkg_limited_worker__"

if TYPE_CHECKING or __name__ != _WORKER_NAME:  # the parent side; the worker needs none of it
    import pandas as pd

    from ..config import QUERY_ROW_CAP, QUERY_TIME_LIMIT_S
    from ..errors import QueryError, QueryTimeout
    from ..i18n import Message
    from .embedded import EmbeddedBackend
    from .sparql import check_service, ensure_read_only, prologue_for
    from .terms import readable

    if TYPE_CHECKING:
        from .knowledge_graph import KnowledgeGraph

__all__ = ["QueryResult", "run_limited", "time_limit_message"]


@dataclass
class QueryResult:
    """What a user query returned: a table (SELECT), a boolean (ASK) or Turtle (CONSTRUCT)."""

    form: str
    table: pd.DataFrame | None = None
    boolean: bool | None = None
    triples_turtle: str | None = None
    truncated: bool = False
    elapsed_s: float = 0.0
    row_cap: int | None = None

    @property
    def note(self) -> str:
        """A sentence to show under a truncated result ('' when complete)."""
        if not self.truncated:
            return ""
        what = "rows" if self.form == "SELECT" else "triples"
        return (
            f"Only the first {self.row_cap} {what} are shown: the result was truncated. "
            "The cap is set by COPKG_QUERY_ROW_CAP (or --row-cap)."
        )


def time_limit_message(limit_s: float) -> str:
    """The message of a :class:`QueryTimeout` in English, naming the limit and the setting
    (for the endpoint's HTTP answers; the error itself says it in the reader's language)."""
    from ..i18n import Message

    return Message("error.time_limit", limit=limit_s).text("en")


def run_limited(
    kg: KnowledgeGraph,
    text: str,
    *,
    time_limit_s: float | None = None,
    row_cap: int | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Run the user query ``text`` on ``kg`` and stop it after ``time_limit_s`` seconds.

    Updates are refused; ``SERVICE`` (federated query: the store would fetch other sites) is
    refused unless ``allow_service``. Results longer than ``row_cap`` rows (SELECT) or triples
    (CONSTRUCT/DESCRIBE) are cut and marked ``truncated``.
    """
    limit = QUERY_TIME_LIMIT_S if time_limit_s is None else float(time_limit_s)
    cap = QUERY_ROW_CAP if row_cap is None else int(row_cap)
    if limit <= 0 or cap < 0:
        raise QueryError("error.query_limits")
    form = ensure_read_only(text)
    if not allow_service:
        check_service(text, hint=Message("error.service_hint_notebook"))
    prologue = prologue_for(text)
    full = prologue + text
    started = time.perf_counter()
    backend = kg.backend
    if isinstance(backend, EmbeddedBackend):
        reply = _run_in_worker(backend, full, form, cap, limit)
        if "error" in reply:
            raise _worker_error(reply, prologue.count("\n"))
        result = _from_reply(form, reply)
    else:
        result = _run_remote(kg, full, form, cap, limit)
    result.elapsed_s = time.perf_counter() - started
    result.row_cap = cap
    return result


# ----------------------------------------------------------------------------- parent side
def _run_in_worker(
    backend: EmbeddedBackend, query: str, form: str, cap: int, limit: float
) -> dict[str, Any]:
    request: dict[str, Any] = {"query": query, "form": form, "cap": cap}
    if backend.path is None:
        request["nquads"] = True
        payload = backend.dump(ox.RdfFormat.N_QUADS)
        return _communicate(json.dumps(request).encode() + b"\n" + payload, limit)
    # The worker reads a checkpoint, never the folder the app may be writing (undefined in
    # Oxigraph); the checkpoint stays on disk until the worker has answered.
    with backend.reader_path() as path:
        request["path"] = str(path)
        return _communicate(json.dumps(request).encode() + b"\n", limit)


def _communicate(stdin: bytes, limit: float) -> dict[str, Any]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _BOOT, __file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: killed with everything it started
    )
    try:
        out, err = proc.communicate(stdin, timeout=limit)
    except subprocess.TimeoutExpired:
        raise QueryTimeout("error.time_limit", limit=limit) from None
    finally:
        if proc.poll() is None:
            _kill(proc)
    if proc.returncode != 0 or not out:
        detail = err.decode(errors="replace").strip()[-500:]
        raise QueryError("error.worker_failed", detail=detail) if detail else \
            QueryError("error.worker_exit", code=proc.returncode)
    reply: dict[str, Any] = json.loads(out)
    return reply


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _worker_error(reply: dict[str, Any], offset: int) -> QueryError:
    """The worker's error in the reader's language; a syntax error at the user's line numbers,
    not those after the added prefixes.

    >>> str(_worker_error({"error": "syntax", "detail": "error at 17:11: expected IRI"}, 15))
    'SPARQL syntax error at line 2, column 11: expected IRI'
    """
    detail = str(reply.get("detail", ""))
    if reply["error"] != "syntax":
        return QueryError("error.query_store_failed", detail=detail)
    match = re.search(r"error at (\d+):(\d+):?\s*", detail)
    if not match:
        return QueryError("error.query_syntax", detail=detail)
    return QueryError("error.query_syntax_at", line=max(int(match.group(1)) - offset, 1),
                      column=int(match.group(2)), detail=detail[match.end():])


def _from_reply(form: str, reply: dict[str, Any]) -> QueryResult:
    if form == "ASK":
        return QueryResult(form, boolean=bool(reply["boolean"]))
    if form in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(form, triples_turtle=reply["turtle"], truncated=reply["truncated"])
    rows = [[readable(_term(t)) for t in row] for row in reply["rows"]]
    table = pd.DataFrame(rows, columns=reply["variables"])
    return QueryResult(form, table=table, truncated=reply["truncated"])


def _term(t: list[str] | None) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    if t is None:
        return None
    if t[0] == "I":
        return ox.NamedNode(t[1])
    if t[0] == "B":
        return ox.BlankNode(t[1])
    if t[3]:
        return ox.Literal(t[1], language=t[3])
    return ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


def _run_remote(kg: KnowledgeGraph, query: str, form: str, cap: int, limit: float) -> QueryResult:
    backend = kg.backend
    try:
        if form == "ASK":
            return QueryResult(form, boolean=backend.ask(query, timeout=limit))
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = backend.construct(query, timeout=limit)
            kept = triples[:cap]
            turtle = ox.serialize(kept, format=ox.RdfFormat.TURTLE) or b""
            return QueryResult(
                form, triples_turtle=turtle.decode(), truncated=len(triples) > cap
            )
        result = backend.select(query, timeout=limit)
    except QueryTimeout:
        raise QueryTimeout("error.time_limit", limit=limit) from None
    rows = [[readable(term) for term in row] for row in list(result.rows)[:cap]]
    return QueryResult(
        form,
        table=pd.DataFrame(rows, columns=result.variables),
        truncated=len(result.rows) > cap,
    )


# The worker is started as `python -c _BOOT limited.py`: runs this file without the package.
_BOOT = f"import runpy, sys; runpy.run_path(sys.argv[1], run_name={_WORKER_NAME!r})"


# ----------------------------------------------------------------------------- worker side
def _encode(term: Any) -> list[str] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["I", term.value]
    if isinstance(term, ox.BlankNode):
        return ["B", term.value]
    return ["L", term.value, term.datatype.value, term.language or ""]


def _worker() -> None:
    header = sys.stdin.buffer.readline()
    request = json.loads(header)
    if request.get("nquads"):
        store = ox.Store()
        data = sys.stdin.buffer.read()
        if data:
            store.load(data, format=ox.RdfFormat.N_QUADS)
    else:
        store = ox.Store.read_only(request["path"])
    cap = int(request["cap"])
    try:
        result = store.query(request["query"], use_default_graph_as_union=True)
        reply: dict[str, Any]
        if isinstance(result, ox.QueryBoolean):
            reply = {"boolean": bool(result)}
        elif isinstance(result, ox.QueryTriples):
            triples: list[ox.Triple] = []
            truncated = False
            for triple in result:
                if len(triples) >= cap:
                    truncated = True
                    break
                triples.append(triple)
            turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE) or b""
            reply = {"turtle": turtle.decode(), "truncated": truncated}
        else:
            rows: list[list[list[str] | None]] = []
            truncated = False
            for solution in result:
                if len(rows) >= cap:
                    truncated = True
                    break
                rows.append([_encode(t) for t in solution])
            reply = {
                "variables": [v.value for v in result.variables],
                "rows": rows,
                "truncated": truncated,
            }
    except SyntaxError as exc:
        reply = {"error": "syntax", "detail": str(exc)}
    except (OSError, ValueError, RuntimeError) as exc:
        reply = {"error": "store", "detail": str(exc)}
    sys.stdout.write(json.dumps(reply))
    sys.stdout.flush()


if __name__ == _WORKER_NAME:
    _worker()
