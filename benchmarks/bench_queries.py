"""Saved-query latency on the bundled data: copkg (``run_saved``) vs plain pyoxigraph
``Store.query`` (the floor) vs an rdflib in-memory Graph (the baseline, capped). The endpoint
(``copkg serve``) is measured by :mod:`benchmarks.bench_endpoint`.

    python -m benchmarks.bench_queries [--store DIR] [--runs 5] [--rdflib-cap 20] [--json OUT]

Target: copkg within 1.5x of the floor (copkg adds prefixes, VALUES bindings and the conversion
to a DataFrame of readable values).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from graph import KnowledgeGraph, open_graph
from graph.queries import list_queries, run_saved
from graph.store.sparql import bind, prologue_for


def _median(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _rdflib_time(graph: rdflib.Dataset, text: str, cap_s: float) -> float | None:
    """One rdflib run in a thread; None if it did not finish within ``cap_s``."""
    done: list[float] = []

    def run() -> None:
        started = time.perf_counter()
        try:
            list(graph.query(text))
        except Exception:  # rdflib fails on some queries (e.g. MIN over unbound values)
            done.append(float("nan"))
            return
        done.append(time.perf_counter() - started)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(cap_s)
    return done[0] if done else None


def latency(kg: KnowledgeGraph, store: ox.Store, runs: int, rdflib_cap: float) -> list[dict]:
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=kg.dump(ox.RdfFormat.N_QUADS), format="nquads")
    rows = []
    for q in list_queries():
        text = prologue_for(q.text) + bind(q.text, q.bindings())
        copkg = _median(lambda q=q: run_saved(kg, q.name), runs)
        floor = _median(lambda t=text: list(store.query(t, use_default_graph_as_union=True)), runs)
        base = _rdflib_time(dataset, text, rdflib_cap)
        rows.append({
            "query": q.name, "copkg_ms": copkg * 1000, "pyoxigraph_ms": floor * 1000,
            "ratio": copkg / floor if floor else float("nan"),
            "rdflib_ms": None if base is None else base * 1000,
        })
        print(f"{q.name:40s} copkg {copkg*1000:8.1f} ms  floor {floor*1000:8.1f} ms  "
              f"x{copkg/floor:4.2f}  rdflib "
              + (f"{base*1000:9.1f} ms" if base is not None else f"> {rdflib_cap:g} s"),
              flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store with the bundled data "
                        "(default: a fresh one in a temporary folder)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib-cap", type=float, default=20.0, help="seconds per rdflib query")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--generated", type=int, default=20_000, metavar="PEOPLE",
                        help="also time the queries on the bundled data plus a generated "
                        "platform of this many experts (about 1M triples at 20,000; 0 = skip)")
    args = parser.parse_args()
    store_dir = args.store or Path(tempfile.mkdtemp()) / "store"
    open_graph(store_dir).close()
    kg = KnowledgeGraph.open(store_dir, read_only=True)
    store = kg.backend.store  # type: ignore[attr-defined]
    results = {"latency": latency(kg, store, args.runs, args.rdflib_cap)}
    ratios = [r["ratio"] for r in results["latency"]]
    print(f"copkg / pyoxigraph: median x{statistics.median(ratios):.2f}, max x{max(ratios):.2f}")
    kg.close()
    if args.generated:
        from benchmarks.gen_experts import generate, load_tables

        big_dir = Path(tempfile.mkdtemp()) / "store"
        big = open_graph(big_dir)
        load_tables(big, generate(args.generated))
        big.close()
        big = KnowledgeGraph.open(big_dir, read_only=True)
        size = len(big.backend.store)  # type: ignore[attr-defined]
        print(f"\n== bundled data + {args.generated:,} generated experts ({size:,} quads)")
        results["latency_generated"] = latency(
            big, big.backend.store, args.runs, args.rdflib_cap  # type: ignore[attr-defined]
        )
        ratios = [r["ratio"] for r in results["latency_generated"]]
        print(f"copkg / pyoxigraph: median x{statistics.median(ratios):.2f}, "
              f"max x{max(ratios):.2f}")
        big.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
