"""How fast the network layer is: projection build and the full measures table.

    python -m benchmarks.bench_network            # 20,000 experts (about 6–8 minutes on 2 cores)
    python -m benchmarks.bench_network --people 5000 --budget 20

Compares, on the same people projection:
- copkg (``graph.analysis.measures``: igraph + leidenalg + scipy, sampled betweenness and
  closeness above 5,000 nodes),
- igraph alone (the same igraph calls, no conversion: the floor),
- plain networkx as a user of the stack would write it; each networkx measure runs in a child
  process stopped after ``--budget`` seconds and reported as "> N s".
Then the bundled data (target: the full table in < 2 s). Peak memory is the resident-set peak.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from graph.analysis import measures
from graph.analysis.centrality import SAMPLE_SIZE, to_igraph
from graph.analysis.clusters import leiden_membership
from graph.ingest import bundled_graph
from graph.network import build_projection
from graph.store import KnowledgeGraph

from .gen_experts import generate, load_tables


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_CHILD_GRAPH: nx.Graph | None = None


def _child(name: str, queue: mp.Queue) -> None:  # runs in a forked process
    G = _CHILD_GRAPH
    assert G is not None
    start = time.perf_counter()
    _NX[name](G)
    queue.put(time.perf_counter() - start)


def _nx_effective_size_sample(G: nx.Graph) -> object:
    # networkx's default effective_size builds a dense n×n matrix (3.2 GB at 20k): use the
    # per-node path on 1,000 nodes (timed) and extrapolate in the report.
    return nx.effective_size(G, nodes=sorted(G)[:1000], weight="weight")


_NX: dict[str, Callable[[nx.Graph], object]] = {
    "degree_centrality": nx.degree_centrality,
    f"betweenness_centrality(k={SAMPLE_SIZE})": lambda G: nx.betweenness_centrality(
        G, k=min(SAMPLE_SIZE, len(G)), seed=42),
    "closeness_centrality": nx.closeness_centrality,
    "pagerank": lambda G: nx.pagerank(G, weight="weight"),
    "eigenvector_centrality": lambda G: nx.eigenvector_centrality(G, max_iter=1000),
    "louvain_communities": lambda G: nx.community.louvain_communities(G, weight="weight", seed=42),
    "constraint": lambda G: nx.constraint(G, weight="weight"),
    "effective_size (1,000 nodes)": _nx_effective_size_sample,
}


def _run_networkx(G: nx.Graph, budget: float) -> dict[str, str]:
    global _CHILD_GRAPH
    _CHILD_GRAPH = G
    ctx = mp.get_context("fork")
    results = {}
    for name in _NX:
        queue: mp.Queue = ctx.Queue()
        proc = ctx.Process(target=_child, args=(name, queue))
        proc.start()
        proc.join(budget)
        if proc.is_alive():
            proc.terminate()
            proc.join()
            results[name] = f"> {budget:.0f} s"
        elif proc.exitcode != 0:
            results[name] = f"failed (exit {proc.exitcode})"
        else:
            seconds = queue.get()
            text = f"{seconds:.2f} s"
            if name.startswith("effective_size"):
                text += f" (≈ {seconds * len(G) / 1000:.0f} s for all {len(G):,} nodes)"
            results[name] = text
        print(f"  networkx {name:36s} {results[name]}", flush=True)
    return results


def _igraph_floor(G: nx.Graph) -> dict[str, float]:
    import numpy as np

    g, _ = to_igraph(G)
    n = g.vcount()
    w = g.es["weight"]
    pivots = sorted(np.random.default_rng(42).choice(n, size=min(SAMPLE_SIZE, n),
                                                     replace=False).tolist())
    sampled = n > 5000
    calls: dict[str, Callable[[], object]] = {
        "degree+strength": lambda: (g.degree(), g.strength(weights=w)),
        "betweenness" + (" (500 sources)" if sampled else ""): (
            lambda: g.betweenness(directed=False, sources=pivots) if sampled
            else g.betweenness(directed=False)),
        "closeness" + (" (500 sources)" if sampled else ""): (
            lambda: g.distances(source=pivots) if sampled else g.closeness()),
        "pagerank": lambda: g.pagerank(weights=w),
        "eigenvector": lambda: g.eigenvector_centrality(),  # giant component dominates
        "leiden": lambda: leiden_membership(g, seed=42),
        "constraint (igraph)": lambda: g.constraint(weights=w),
    }
    out = {}
    for name, fn in calls.items():
        out[name], _ = _timed(fn)
        print(f"  igraph   {name:36s} {out[name]:.2f} s", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--budget", type=float, default=45.0,
                        help="seconds allowed to each networkx measure (default 45)")
    parser.add_argument("--skip-networkx", action="store_true")
    args = parser.parse_args(argv)

    print(f"== generated platform: {args.people:,} experts", flush=True)
    t_gen, tables = _timed(lambda: generate(args.people))
    kg = KnowledgeGraph.in_memory()
    t_load, _ = _timed(lambda: load_tables(kg, tables))
    print(f"  generate {t_gen:.2f} s, load into Oxigraph (replace_graphs) {t_load:.2f} s")
    t_proj, G = _timed(lambda: build_projection(kg, "people"))
    print(f"  people projection: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
          f"in {t_proj:.2f} s", flush=True)
    t_copkg, table = _timed(lambda: measures(G))
    print(f"  copkg measures (full table)                   {t_copkg:.2f} s")
    print(f"    betweenness: {table.attrs['betweenness']}")
    print(f"    closeness: {table.attrs['closeness']}", flush=True)
    floor = _igraph_floor(G)
    t_floor = sum(floor.values()) - floor["constraint (igraph)"]
    print(f"  igraph floor (sum, without igraph constraint) {t_floor:.2f} s "
          f"→ copkg / igraph = {t_copkg / t_floor:.2f}×")
    if not args.skip_networkx:
        results = _run_networkx(G, args.budget)
        finished = [float(v.split()[0]) for v in results.values() if v[0].isdigit()]
        over = sum(1 for v in results.values() if v.startswith(">"))
        total = sum(finished) + over * args.budget
        print(f"  networkx total ≥ {total:.0f} s ({over} measure(s) over budget) "
              f"→ networkx / copkg ≥ {total / t_copkg:.0f}×")

    print("== bundled data", flush=True)
    t_bundled, bundled = _timed(lambda: bundled_graph())
    t_bproj, B = _timed(lambda: build_projection(bundled, "people"))
    t_bmeas, _ = _timed(lambda: measures(B))
    print(f"  import {t_bundled:.2f} s; people projection {B.number_of_nodes():,} nodes, "
          f"{B.number_of_edges():,} edges in {t_bproj:.2f} s; measures {t_bmeas:.2f} s; "
          f"projection + table {t_bproj + t_bmeas:.2f} s (target < 2 s)")
    print(f"== peak memory (this process) {_peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
