"""``copkg`` sub-commands of the query area: ``query``, ``queries``, ``serve``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import QUERY_ROW_CAP, QUERY_TIME_LIMIT_S, default_store_path
from ..errors import CopkgError, QueryError
from ..ingest import bootstrap
from ..queries import get_query, list_queries
from ..queries.empty import why_empty
from ..queries.saved import _parse
from ..store import bind
from ..store.limited import run_limited
from . import common
from .common import open_graph, prepare_output, say, write_table

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
        help="serve the store as a read-only SPARQL endpoint whose time limit holds",
        description="Start a read-only SPARQL 1.1 endpoint on the store: "
        "http://HOST:PORT/sparql (also /query; union of all graphs as default graph) and a "
        "query page at http://HOST:PORT/. Each query runs in a worker process that is killed "
        "at the time limit; results are cut at the row cap. Stop with Ctrl-C or SIGTERM; it "
        "also stops when the process that started it ends (see --outlive-parent).",
    )
    s.add_argument("--port", type=int, default=7878, help="port (default 7878; 0: any free one)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument(
        "--time-limit", type=float, metavar="S",
        help=f"stop each query after S seconds (default $COPKG_QUERY_TIME_LIMIT, "
        f"{QUERY_TIME_LIMIT_S:g})",
    )
    s.add_argument(
        "--row-cap", type=int, metavar="N",
        help="send at most N rows or triples per answer (default $COPKG_QUERY_ROW_CAP, "
        f"{QUERY_ROW_CAP})",
    )
    s.add_argument("--workers", type=int, default=2, metavar="N",
                   help="query worker processes, i.e. queries run at once (default 2)")
    s.add_argument("--allow-service", action="append", default=[], metavar="URL",
                   help="let queries use SERVICE <URL> for this endpoint (repeatable); "
                   "SERVICE is refused otherwise")
    s.add_argument("--cors-origin", default="*", metavar="ORIGIN",
                   help="Access-Control-Allow-Origin sent to browsers (default *, so web "
                   "clients such as YASGUI work; 'none' to send none)")
    s.add_argument("--memory-limit", type=int, default=2048, metavar="MB",
                   help="memory a query worker may use (default 2048 MB; 0: no limit)")
    s.add_argument("--outlive-parent", action="store_true",
                   help="keep serving when the process that started it ends (nohup, daemons)")
    s.add_argument("--include-personal", action="store_true",
                   help="also serve personal data (e-mails, ...); by default queries see the "
                   "store without it, like viewers in the app")
    s.add_argument("--log", action="store_true", help="print one line per request on stderr")
    s.set_defaults(handler=_serve)


def _query(args: argparse.Namespace) -> int:
    params = dict(_split(p) for p in args.param)
    if args.output is not None:
        prepare_output(args.output)
    path = Path(args.query)
    saved = None
    if path.suffix == ".rq" or path.exists():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise QueryError("error.query_file_unreadable", path=str(path),
                             detail=str(exc.strerror)) from None
        except UnicodeDecodeError as exc:
            raise QueryError("error.query_file_not_utf8", path=str(path),
                             byte=exc.start + 1) from None
        if params:
            saved = _parse(path.stem, f"# title: {path.stem}\n" + text)
    else:
        saved = get_query(args.query)
        text = saved.text
    if saved is not None and "lang" not in params and any(p.name == "lang" for p in saved.params):
        params["lang"] = common.LANGUAGE  # names in the reader's language (--lang)
    if saved is not None:
        saved.bindings(params)  # bad values are errors before the store is opened
    why = None
    with open_graph(args) as kg:
        bindings = None
        if saved is not None:
            # Every resource named is checked against the data first (unknown → error).
            bindings = saved.resolved_bindings(kg, params)
            text = bind(text, bindings)
        result = run_limited(kg, text, time_limit_s=args.time_limit, row_cap=args.row_cap)
        if result.table is not None and result.table.empty:
            why = why_empty(kg, saved if saved is not None else text, params, bindings,
                            language=common.LANGUAGE)
    if result.table is not None:
        write_table(result.table, args.format, args.output, empty=why)
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
        raise QueryError("error.param_pair", pair=pair)
    return name.strip(), value


def _queries(args: argparse.Namespace) -> int:
    lang = common.LANGUAGE
    for q in list_queries():
        print(f"{q.name} — {q.title_in(lang)}")
        for p in q.params:
            kind = f":{p.kind}" if p.kind and p.type == "iri" else ""
            print(f"    --param {p.name}=… ({p.type}{kind}, "
                  f"{say('cli.default', value=p.default)}) {p.description_in(q.name, lang)}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    if getattr(args, "endpoint", None):
        raise CopkgError("error.serve_endpoint")
    store = Path(getattr(args, "store", None) or default_store_path())
    return serve_command(
        store, host=args.host, port=args.port, time_limit_s=args.time_limit,
        row_cap=args.row_cap, workers=args.workers, allow_service=tuple(args.allow_service),
        cors_origin=None if args.cors_origin.lower() == "none" else args.cors_origin,
        memory_limit_mb=args.memory_limit or None, outlive_parent=args.outlive_parent,
        log=args.log, include_personal=args.include_personal,
    )


def serve_command(
    store: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    time_limit_s: float | None = None,
    row_cap: int | None = None,
    workers: int = 2,
    allow_service: tuple[str, ...] = (),
    cors_origin: str | None = "*",
    memory_limit_mb: int | None = 2048,
    outlive_parent: bool = False,
    log: bool = False,
    include_personal: bool = False,
) -> int:
    """Serve ``store`` as a read-only SPARQL endpoint until stopped; returns the exit code.

    A store that does not exist yet is created (with the bundled data) first.
    """
    from ..access import is_loopback
    from ..endpoint import EndpointConfig, serve

    if not store.exists() or not any(store.iterdir()):
        bootstrap.open_graph(store).close()
    limit = QUERY_TIME_LIMIT_S if time_limit_s is None else float(time_limit_s)
    cap = QUERY_ROW_CAP if row_cap is None else int(row_cap)
    if limit <= 0 or cap < 0 or workers < 1:
        raise QueryError("error.serve_limits")
    config = EndpointConfig(
        store=store, host=host, port=port, time_limit_s=limit, row_cap=cap, workers=workers,
        allow_service=allow_service, cors_origin=cors_origin, memory_limit_mb=memory_limit_mb,
        outlive_parent=outlive_parent, log=log, include_personal=include_personal,
    )
    service = f"; SERVICE allowed to {', '.join(allow_service)}" if allow_service else ""
    service += "; personal data served" if include_personal else "; personal data hidden"
    ready = [
        "SPARQL endpoint: http://{host}:{port}/sparql (read-only, union default graph, "
        f"time limit {limit:g} s, row cap {cap}, {workers} workers{service}); "
        "query page: http://{host}:{port}/ . Stop with Ctrl-C.",
    ]
    if not is_loopback(host):
        ready.append("Note: anyone who can reach {host}:{port} can query this store; the "
                     "endpoint has no sign-in.")
    return serve(config, ready=ready)
