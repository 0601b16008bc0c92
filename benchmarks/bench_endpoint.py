"""``copkg serve`` (own front + worker pool) against ``oxigraph serve-read-only`` (the baseline,
what ``copkg serve`` ran before) on the same store, in the same run: throughput and latency of
the 19 saved queries with 1, 4 and 16 concurrent clients, server CPU per query, and what a
cross-join aggregate does to each (time to an answer, CPU still burnt afterwards).

    python -m benchmarks.bench_endpoint [--store DIR] [--seconds 5] [--workers 2] [--json OUT]

Nothing is asserted; numbers depend on the machine (and on whoever else uses it).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from graph import open_graph
from graph.queries import list_queries
from graph.store.sparql import bind, prologue_for

CROSS_JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
_TICK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu(pid: int) -> float:
    """CPU seconds of ``pid``, its reaped children and its live children (workers)."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15]) / _TICK  # utime stime cutime cstime
    except OSError:
        return total
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for kid in kids:
            try:
                f = Path(f"/proc/{kid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(f[11]) + int(f[12])) / _TICK
            except OSError:
                pass
    return total


class _Server:
    def __init__(self, name: str, argv: list[str], url: str) -> None:
        self.name = name
        self.url = url
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        for _ in range(300):
            try:
                requests.get(url, params={"query": "ASK {}"}, timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"{name} did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def _servers(store: Path, workers: int, time_limit: float) -> list[_Server]:
    copkg_port, ox_port = _free_port(), _free_port()
    copkg = _Server("copkg serve", [
        sys.executable, "-c", "import sys; from graph.cli import main; sys.exit(main())",
        "--store", str(store), "serve", "--port", str(copkg_port), "--workers", str(workers),
        "--time-limit", str(time_limit), "--row-cap", "1000000"],
        f"http://127.0.0.1:{copkg_port}/sparql")
    oxigraph = _Server("oxigraph serve-read-only", [
        str(Path(sys.executable).with_name("oxigraph")), "serve-read-only", "--location",
        str(store), "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph",
        "--timeout-s", str(max(1, round(time_limit)))],
        f"http://127.0.0.1:{ox_port}/query")
    return [copkg, oxigraph]


def load(server: _Server, texts: list[str], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        nonlocal errors
        session = requests.Session()
        k = i
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                r = session.post(server.url, data={"query": texts[k % len(texts)]},
                                 headers={"Accept": "application/sparql-results+json"},
                                 timeout=300)
                ok = r.status_code == 200
            except requests.RequestException:
                ok = False
            errors += not ok
            latencies.append(time.perf_counter() - started)
            k += 1

    cpu_before = _cpu(server.proc.pid)
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    wall = time.perf_counter() - started
    cpu = _cpu(server.proc.pid) - cpu_before
    latencies.sort()
    row = {
        "server": server.name, "clients": clients, "queries": len(latencies), "errors": errors,
        "qps": len(latencies) / wall, "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "wall_s": wall, "server_cpu_s": cpu, "cpu_ms_per_query": cpu / len(latencies) * 1000,
    }
    print(f"{server.name:26s} {clients:2d} clients: {row['qps']:6.1f} q/s  p50 "
          f"{row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  server CPU "
          f"{row['cpu_ms_per_query']:6.1f} ms/query  ({row['queries']} queries, "
          f"{errors} errors, {wall:.1f} s wall)", flush=True)
    return row


def abuse(server: _Server, time_limit: float, give_up_s: float) -> dict[str, Any]:
    """One cross-join aggregate: how long until an answer, and CPU burnt in the 3 s after."""
    started = time.perf_counter()
    try:
        r = requests.post(server.url, data={"query": CROSS_JOIN},
                          headers={"Accept": "text/csv"}, timeout=give_up_s)
        answer = f"HTTP {r.status_code}: {r.text.strip()[:60]!r}"
    except requests.RequestException as exc:
        answer = f"no answer ({type(exc).__name__})"
    elapsed = time.perf_counter() - started
    time.sleep(1.0)
    before = _cpu(server.proc.pid)
    time.sleep(3.0)
    after_cpu = _cpu(server.proc.pid) - before
    row = {"server": server.name, "time_limit_s": time_limit, "seconds_to_answer": elapsed,
           "answer": answer, "cpu_s_in_3s_after": after_cpu}
    print(f"{server.name:26s} cross join, limit {time_limit:g} s: {answer} after "
          f"{elapsed:.1f} s; then {after_cpu:.2f} CPU s in 3 s (idle = 0)", flush=True)
    return row


def _quick_queries(store: Path, max_ms: float) -> list[str]:
    """The saved queries (bound, prefixed) that pyoxigraph itself answers within ``max_ms``."""
    import pyoxigraph as ox

    from graph.store import snapshots

    held = snapshots.lease(store)
    assert held is not None
    db = ox.Store.read_only(str(held.path))
    kept: list[tuple[str, str, float]] = []
    left: list[tuple[str, str, float]] = []
    for q in list_queries():
        text = prologue_for(q.text) + bind(q.text, q.bindings())
        started = time.perf_counter()
        list(db.query(text, use_default_graph_as_union=True))  # type: ignore[arg-type]
        ms = (time.perf_counter() - started) * 1000
        (kept if ms <= max_ms else left).append((q.name, text, ms))
    del db
    held.release()
    print(f"{len(kept)} saved queries in the mix; left out (> {max_ms:g} ms in-process): "
          + (", ".join(f"{name} {ms:.0f} ms" for name, _, ms in left) or "none"))
    return [text for _, text, _ in kept]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store with the bundled data")
    parser.add_argument("--seconds", type=float, default=5.0, help="per concurrency level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=2.0)
    parser.add_argument("--max-query-ms", type=float, default=1000.0,
                        help="leave out saved queries slower than this in-process (they measure "
                        "the engine, not the endpoint; the cross-join case covers slow ones)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    store = args.store or Path(tempfile.mkdtemp()) / "store"
    open_graph(store).close()
    texts = _quick_queries(store, args.max_query_ms)
    results: dict[str, list[dict[str, Any]]] = {"load": [], "abuse": []}
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
          "(shared with other work: compare the two servers, not the absolute numbers)")
    # The saved queries run with a generous limit (some take seconds on a loaded machine)...
    servers = _servers(store, args.workers, 120.0)
    try:
        for clients in (1, 4, 16):
            for server in servers:
                results["load"].append(load(server, texts, clients, args.seconds))
    finally:
        for server in servers:
            server.stop()
    # ... the cross join with a short one, which only copkg serve enforces.
    servers = _servers(store, args.workers, args.time_limit)
    try:
        for server in servers:
            results["abuse"].append(abuse(server, args.time_limit, give_up_s=30))
    finally:
        for server in servers:
            server.stop()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
