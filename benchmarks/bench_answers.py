"""How fast a network question is answered at scale, first and second time (issue #9, item 7).

    python -m benchmarks.bench_answers                 # 20,000 generated experts
    python -m benchmarks.bench_answers --people 5000 --runs 1

Reported, never asserted (the machine may be shared: say so next to the numbers):

1. **Building the projection vs its SPARQL reads**, in one process, cache off: the plain
   pyoxigraph time of the incidence queries (run and iterated, nothing converted), then the
   whole build (``load_incidence`` + ``project``). Target: building ≤ 2× the plain reads.
2. **First and second call of ``copkg path|ego|suggest``** as separate processes on a store on
   disk, the projection cache emptied before each first call. Target: second ≤ 25 % of first.

Times are wall clock and CPU (user + system of the process, or of the child for commands).
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.network import incidence as inc
from graph.network import load_incidence, project
from graph.store import KnowledgeGraph

from .gen_experts import generate, load_tables

_READS = [
    inc._COMMUNITIES, inc._ORGANIZATIONS, inc._PEOPLE, inc._AFFILIATION, inc._UNITS,
    inc._GOVERNMENTS, "SELECT ?s ?c WHERE { ?s cop:country ?c }",
    "SELECT ?s ?t WHERE { ?s cop:organizationType ?t }",
    "SELECT ?s WHERE { ?s cop:illustrative ?b FILTER(str(?b) IN ('true', '1')) }",
    "SELECT ?s ?t WHERE { ?s schema:knowsAbout|dct:subject ?t }", inc._COMMUNITY_THEME,
    "SELECT ?c ?y WHERE { ?c cop:launched ?y }",
    "SELECT ?s ?p ?l WHERE { VALUES ?p { skos:prefLabel foaf:name dct:title schema:name "
    "rdfs:label } ?s ?p ?l }",
    *inc._MEMBERSHIPS, inc._PRODUCTS, inc._EVENTS,
    "SELECT ?s ?c WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), 'https://w3id.org/copkg/ontology#')) }",
]


_MAIN = "import sys; from graph.cli import main; sys.exit(main(sys.argv[1:]))"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), _cpu()
    result = fn()
    return time.perf_counter() - wall, _cpu() - cpu, result


def _plain_reads(kg: KnowledgeGraph) -> int:
    store = kg.backend.store  # type: ignore[attr-defined]
    rows = 0
    for sparql in _READS:
        for _ in store.query(kg.prepare(sparql), use_default_graph_as_union=True):
            rows += 1
    return rows


def _command(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _MAIN, *argv], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"copkg {' '.join(argv)} failed: {err}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=2, help="repetitions of each measurement")
    parser.add_argument("--part", choices=("all", "build", "commands"), default="all")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    print(f"== {args.people:,} generated experts; load average {load:.1f} on "
          f"{os.cpu_count()} cores (a shared machine inflates wall times; CPU is the steadier "
          "number)", flush=True)
    work = Path(tempfile.mkdtemp(prefix="copkg-bench-answers-"))
    try:
        store, cache = work / "store", work / "cache"
        kg = KnowledgeGraph.open(store)
        kg.load_ontology()
        wall, cpu, _ = _timed(lambda: load_tables(kg, generate(args.people)))
        print(f"  store on disk filled in {wall:.1f} s", flush=True)

        if args.part != "commands":
            _build_part(kg, args.runs)
        kg.close()
        if args.part != "build":
            _commands_part(store, cache, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _build_part(kg: KnowledgeGraph, runs: int) -> None:
    print("== 1. building the people projection vs its SPARQL reads (one process)")
    best: dict[str, tuple[float, float]] = {}
    for _ in range(runs):
        w_reads, c_reads, rows = _timed(lambda: _plain_reads(kg))
        w_load, c_load, data = _timed(lambda: load_incidence(kg))
        w_proj, c_proj, G = _timed(functools.partial(project, data, "people"))
        for key, value in (("reads", (w_reads, c_reads)), ("load", (w_load, c_load)),
                           ("project", (w_proj, c_proj))):
            best[key] = min(best.get(key, value), value, key=lambda v: v[1])
    (w_reads, c_reads), (w_load, c_load), (w_proj, c_proj) = (
        best["reads"], best["load"], best["project"])
    print(f"  plain pyoxigraph reads ({len(_READS)} queries, {rows:,} rows): "
          f"{w_reads:.2f} s wall, {c_reads:.2f} s CPU")
    print(f"  load_incidence {w_load:.2f} s wall / {c_load:.2f} s CPU; project "
          f"{w_proj:.2f} s wall / {c_proj:.2f} s CPU ({G.number_of_nodes():,} nodes, "
          f"{G.number_of_edges():,} edges)")
    extra_c = c_load + c_proj - c_reads
    extra_w = w_load + w_proj - w_reads
    print(f"  building beyond the reads: {extra_c:.2f} s CPU = {extra_c / c_reads:.2f}× the "
          f"reads (wall {extra_w:.2f} s = {extra_w / w_reads:.2f}×); target ≤ 2×")


def _commands_part(store: Path, cache: Path, runs: int) -> None:
    print("== 2. copkg path|ego|suggest: first call (empty cache) and second call")
    env = {**os.environ, "COPKG_STORE": str(store), "COPKG_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(sys.path)}
    a, b = "x000001", "x000002"
    for command in (["path", a, b], ["ego", a], ["suggest", a]):
        firsts, seconds = [], []
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            firsts.append(_command(command, env))
            seconds.append(_command(command, env))
        w1, c1 = min(r[0] for r in firsts), min(r[1] for r in firsts)
        w2, c2 = min(r[0] for r in seconds), min(r[1] for r in seconds)
        print(f"  copkg {command[0]:8s} first {w1:6.2f} s wall {c1:5.2f} s CPU | second "
              f"{w2:5.2f} s wall {c2:4.2f} s CPU | second/first {w2 / w1:4.0%} wall, "
              f"{c2 / c1:4.0%} CPU (target ≤ 25 %)", flush=True)
    baseline = _command(["--help"], env)
    print(f"  for scale: `copkg --help` (start-up and imports only) "
          f"{baseline[0]:.2f} s wall, {baseline[1]:.2f} s CPU")


if __name__ == "__main__":
    sys.exit(main())
