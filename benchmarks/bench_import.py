"""Import benchmark: copkg import vs pyoxigraph bulk_load (floor) vs rdflib parse (baseline).

Run with ``python -m benchmarks.bench_import [--triples 1000000]``. Each method runs in its own
subprocess, so the peak RSS reported is that method's own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

METHODS = ("copkg", "floor", "baseline")


def generate_foaf_org(path: Path, triples: int, seed: int = 7) -> None:
    """A deterministic FOAF/ORG N-Triples file of about ``triples`` triples."""
    rng = random.Random(seed)
    ex = "http://example.org/bench/"
    foaf = "http://xmlns.com/foaf/0.1/"
    org = "http://www.w3.org/ns/org#"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    orgs = max(1, triples // 200)
    with path.open("w", encoding="utf-8") as out:
        written = 0
        for i in range(orgs):
            out.write(f"<{ex}org{i}> {rdf_type} <{org}Organization> .\n")
            out.write(f'<{ex}org{i}> {label} "Organisation {i}" .\n')
            written += 2
        person = 0
        while written < triples:
            s = f"<{ex}p{person}>"
            out.write(f"{s} {rdf_type} <{foaf}Person> .\n")
            out.write(f'{s} <{foaf}name> "Person {person}" .\n')
            out.write(f"{s} <{org}memberOf> <{ex}org{rng.randrange(orgs)}> .\n")
            out.write(f"{s} <{foaf}knows> <{ex}p{rng.randrange(person + 1)}> .\n")
            written += 4
            person += 1


def _run_method(method: str, source: str, store_dir: str) -> dict[str, float]:
    start = time.perf_counter()
    if method == "copkg":
        from graph import KnowledgeGraph
        from graph.ingest import import_paths

        kg = KnowledgeGraph.open(store_dir)
        paths = json.loads(source)
        import_paths(kg, paths)
        kg.close()
    elif method == "floor":
        import pyoxigraph as ox

        store = ox.Store(store_dir)
        store.bulk_load(path=json.loads(source)[0], format=ox.RdfFormat.N_TRIPLES)
        store.flush()
    else:
        import rdflib

        graph = rdflib.Graph()
        graph.parse(json.loads(source)[0], format="nt")
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": elapsed, "peak_mb": peak_mb}


def _measure(method: str, copkg_paths: list[str], nt_path: str, work: Path) -> dict[str, float]:
    store = tempfile.mkdtemp(dir=work)
    source = json.dumps(copkg_paths if method == "copkg" else [nt_path])
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_import", "--child", method, source, store],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _report(title: str, results: dict[str, dict[str, float]]) -> None:
    floor = results["floor"]["seconds"]
    base = results["baseline"]["seconds"]
    print(f"\n{title}")
    print(f"{'method':<30}{'seconds':>9}{'× floor':>9}{'× rdflib':>10}{'peak MB':>9}")
    names = {"copkg": "copkg import", "floor": "pyoxigraph bulk_load (floor)",
             "baseline": "rdflib parse (baseline)"}
    for method in METHODS:
        r = results[method]
        print(f"{names[method]:<30}{r['seconds']:>9.2f}{r['seconds'] / floor:>9.2f}"
              f"{r['seconds'] / base:>10.2f}{r['peak_mb']:>9.0f}")


def main(argv: list[str] | None = None) -> None:
    """Run both benchmarks and print seconds, ratios and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_run_method(*args.child)))
        return
    import pyoxigraph as ox

    from graph import KnowledgeGraph
    from graph.config import bundled_data_paths
    from graph.ingest import import_paths

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # (a) the bundled data, and the same triples as N-Triples for the floor and baseline
        kg = KnowledgeGraph.in_memory()
        import_paths(kg, bundled_data_paths())
        nt = work / "bundled.nt"
        nt.write_bytes(kg.dump(ox.RdfFormat.N_TRIPLES))
        paths = [str(p) for p in bundled_data_paths()]
        results = {m: _measure(m, paths, str(nt), work) for m in METHODS}
        triples = sum(1 for _ in nt.open(encoding="utf-8"))
        _report(f"(a) bundled data ({triples:,} triples)", results)
        # (b) a generated FOAF/ORG file
        big = work / "foaf_org_big.nt"
        generate_foaf_org(big, args.triples)
        results = {m: _measure(m, [str(big)], str(big), work) for m in METHODS}
        _report(f"(b) generated FOAF/ORG N-Triples ({args.triples:,} triples)", results)


if __name__ == "__main__":
    main()
