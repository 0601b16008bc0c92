"""``copkg`` sub-commands of the query area: ``query``, ``queries``, ``serve``."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from ..config import QUERY_TIME_LIMIT_S, default_store_path
from ..errors import CopkgError, QueryError, StoreError
from ..ingest import bootstrap
from ..queries import get_query, list_queries
from ..queries.saved import _parse
from ..store import bind
from ..store.limited import run_limited
from .common import open_graph, write_table

__all__ = ["register", "serve_command"]


def register(commands: argparse._SubParsersAction) -> None:
    """Add this area's sub-commands to ``copkg``."""
    q = commands.add_parser(
        "query",
        help="run a saved query (by name) or a SPARQL file; prints a table, CSV or JSON",
        description="Run a saved query by NAME (see `copkg queries`) or the SPARQL in FILE.rq. "
        "Queries are read-only, stopped after the time limit and cut at the row cap.",
    )
    q.add_argument("query", metavar="FILE.rq|NAME")
    q.add_argument(
        "--param", "-p", action="append", default=[], metavar="NAME=VALUE",
        help="a parameter value, e.g. --param community=urban-transport (repeatable)",
    )
    q.add_argument("--format", "-f", choices=("table", "csv", "json"), default="table")
    q.add_argument("--output", "-o", type=Path, help="write the result to this file")
    q.add_argument(
        "--time-limit", type=float, metavar="S",
        help=f"stop the query after S seconds (default $COPKG_QUERY_TIME_LIMIT, "
        f"{QUERY_TIME_LIMIT_S:g})",
    )
    q.add_argument(
        "--row-cap", type=int, metavar="N",
        help="keep at most N rows (default $COPKG_QUERY_ROW_CAP, 10000)",
    )
    q.set_defaults(handler=_query)

    ls = commands.add_parser("queries", help="list the saved queries with their parameters")
    ls.set_defaults(handler=_queries)

    s = commands.add_parser(
        "serve",
        help="serve the store as a read-only SPARQL endpoint (oxigraph serve-read-only)",
        description="Start a read-only SPARQL 1.1 endpoint on the store: "
        "http://HOST:PORT/query (union of all graphs as default graph). Stop with Ctrl-C.",
    )
    s.add_argument("--port", type=int, default=7878)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument(
        "--time-limit", type=float, metavar="S",
        help="the server stops queries after S seconds (default $COPKG_QUERY_TIME_LIMIT)",
    )
    s.set_defaults(handler=_serve)


def _query(args: argparse.Namespace) -> int:
    params = dict(_split(p) for p in args.param)
    path = Path(args.query)
    if path.suffix == ".rq" or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"Cannot read {path}: {exc.strerror}.") from None
        if params:
            saved = _parse(path.stem, f"# title: {path.stem}\n" + text)
            text = bind(text, saved.bindings(params))
    else:
        saved = get_query(args.query)
        text = bind(saved.text, saved.bindings(params))
    with open_graph(args) as kg:
        result = run_limited(kg, text, time_limit_s=args.time_limit, row_cap=args.row_cap)
    if result.table is not None:
        write_table(result.table, args.format, args.output)
    elif result.boolean is not None:
        answer = "true" if result.boolean else "false"
        if args.output:
            args.output.write_text(answer + "\n", encoding="utf-8")
        else:
            print(answer)
    else:
        turtle = result.triples_turtle or ""
        if args.output:
            args.output.write_text(turtle, encoding="utf-8")
        else:
            sys.stdout.write(turtle)
    if result.truncated:
        print(result.note, file=sys.stderr)
    return 0


def _split(pair: str) -> tuple[str, str]:
    name, sep, value = pair.partition("=")
    if not sep or not name.strip():
        raise QueryError(f"--param {pair!r}: expected NAME=VALUE, e.g. community=employment.")
    return name.strip(), value


def _queries(args: argparse.Namespace) -> int:
    for q in list_queries():
        print(f"{q.name} — {q.title}")
        for p in q.params:
            kind = f":{p.kind}" if p.kind and p.type == "iri" else ""
            print(f"    --param {p.name}=… ({p.type}{kind}, default {p.default}) {p.description}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    if getattr(args, "endpoint", None):
        raise CopkgError("`copkg serve` serves the embedded store; --endpoint is one already.")
    store = Path(getattr(args, "store", None) or default_store_path())
    return serve_command(store, host=args.host, port=args.port, time_limit_s=args.time_limit)


def serve_command(
    store: Path, *, host: str = "127.0.0.1", port: int = 7878, time_limit_s: float | None = None
) -> int:
    """Run ``oxigraph serve-read-only`` on ``store`` until interrupted; returns its exit code.

    A store that does not exist yet is created (with the bundled data) first.
    """
    if not store.exists() or not any(store.iterdir()):
        bootstrap.open_graph(store).close()
    limit = QUERY_TIME_LIMIT_S if time_limit_s is None else time_limit_s
    cmd = [
        _oxigraph(), "serve-read-only", "--location", str(store), "--bind", f"{host}:{port}",
        "--union-default-graph", "--timeout-s", str(max(1, round(limit))),
    ]
    print(
        f"SPARQL endpoint: http://{host}:{port}/query (read-only, union default graph, "
        f"time limit {limit:g} s). Stop with Ctrl-C.",
        file=sys.stderr,
    )
    proc = subprocess.Popen(cmd)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            return proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()


def _oxigraph() -> str:
    """The ``oxigraph`` server program (PyPI ``oxigraph``), next to this Python or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise StoreError("The `oxigraph` server is not installed: pip install oxigraph.")
    return found
