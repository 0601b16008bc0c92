"""Import benchmark: copkg vs pyoxigraph ``bulk_load`` of the same quads (floor), CPU and wall.

    python -m benchmarks.bench_import [--experts 20000] [--triples 1000000] [--skip ...]

Three cases, each method in its own subprocess (so CPU time and peak RSS are its own):

(a) the bundled data into a new store: ``open_graph`` (the pre-checked bundle), and the full
    import of the bundled files for comparison;
(b) CSV sheets of generated experts (``benchmarks.gen_experts``) into a store holding the
    sourced facts (``data/cmi.ttl``), every SHACL rule checked;
(c) a generated FOAF/ORG N-Triples file.

The floor is ``Store.bulk_load`` of exactly the quads copkg wrote (dumped from its store), into a
new store on disk. CPU time counts the whole process; on a shared machine wall time is noisy.
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

CASES = ("bundled", "experts", "rdf")


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


def _child(method: str, args: dict[str, str]) -> dict[str, float]:
    """Run one method in this (child) process; CPU, wall and peak RSS of this process.

    Python modules are imported before the clock starts (the app and the CLI have them loaded
    already); the time to import copkg's modules is reported apart.
    """
    import pyoxigraph as ox

    before = time.process_time()
    import graph.ingest  # noqa: F401  (pandas, rdflib, ... once)

    imports = time.process_time() - before
    cpu, wall = time.process_time(), time.perf_counter()
    store_dir = args["store"]
    if method == "floor":
        store = ox.Store(store_dir)
        store.bulk_load(path=args["quads"], format=ox.RdfFormat.N_QUADS)
        store.flush()
        del store
    else:
        from graph import KnowledgeGraph, open_graph
        from graph.config import bundled_data_paths
        from graph.ingest import import_paths

        if method == "open_graph":
            kg = open_graph(store_dir)
        elif method == "bundled_import":
            kg = KnowledgeGraph.open(store_dir)
            import_paths(kg, bundled_data_paths())
        else:
            kg = KnowledgeGraph.open(store_dir)
            if method == "import_on_cmi":
                import_paths(kg, bundled_data_paths()[:1])
                cpu, wall = time.process_time(), time.perf_counter()  # cmi.ttl is not measured
            import_paths(kg, [args["source"]])
        kg.close()
    result = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
              "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "imports": imports}
    if args.get("dump"):  # what the floor loads: the quads copkg wrote (not measured)
        from graph import KnowledgeGraph

        with KnowledgeGraph.open(store_dir) as kg:
            Path(args["dump"]).write_bytes(_written(kg, args.get("after_cmi") == "1"))
    return result


def _written(kg: object, skip_cmi: bool) -> bytes:
    """The quads the import wrote (not the ontology, the state, nor cmi.ttl's graphs)."""
    import pyoxigraph as ox

    store = kg.backend.store  # type: ignore[attr-defined]
    keep = [g for g in store.named_graphs()
            if not g.value.endswith(("/ontology", "/state"))
            and not (skip_cmi and g.value.endswith("cmi.ttl"))]
    quads = [q for g in keep for q in store.quads_for_pattern(None, None, None, g)]
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None
    return data


def _measure(method: str, work: Path, **args: str) -> dict[str, float]:
    args.setdefault("store", tempfile.mkdtemp(dir=work))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_import", "--child", method, json.dumps(args)],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _report(title: str, rows: dict[str, dict[str, float]], floor: str = "floor") -> None:
    base = rows[floor]
    imports = max(r.get("imports", 0.0) for r in rows.values())
    print(f"\n{title}")
    print(f"{'method':<44}{'CPU s':>8}{'× floor':>9}{'wall s':>8}{'× floor':>9}{'peak MB':>9}")
    for name, r in rows.items():
        print(f"{name:<44}{r['cpu']:>8.2f}{r['cpu'] / base['cpu']:>9.2f}{r['wall']:>8.2f}"
              f"{r['wall'] / base['wall']:>9.2f}{r['peak_mb']:>9.0f}")
    print(f"(importing copkg's Python modules, before the clock: {imports:.2f} s CPU)")


def main(argv: list[str] | None = None) -> None:
    """Run the three cases and print CPU, wall, ratios to the floor and peak memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--experts", type=int, default=20_000)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--skip", nargs="*", default=[], choices=CASES)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], json.loads(args.child[1]))))
        return
    print("CPU time is per process (user + system of the child, all its threads), after Python "
          "imports; the machine may be shared (wall time is then noisy).")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "bundled" not in args.skip:
            from graph import open_graph

            store = work / "bundled-store"
            kg = open_graph(store)
            (work / "bundled.nq").write_bytes(_written(kg, False))
            kg.close()
            rows = {
                "copkg open_graph (pre-checked bundle)": _measure("open_graph", work),
                "copkg import of the bundled files": _measure("bundled_import", work),
                "floor": _measure("floor", work, quads=str(work / "bundled.nq")),
            }
            _report("(a) bundled data into a new store", rows)
        if "experts" not in args.skip:
            from benchmarks.gen_experts import generate, write_csv

            sheets = work / "experts"
            write_csv(generate(args.experts), sheets)
            copkg = _measure("import_on_cmi", work, source=str(sheets),
                             dump=str(work / "experts.nq"), after_cmi="1")
            triples = (work / "experts.nq").read_bytes().count(b"\n")
            rows = {"copkg import (CSV sheets, every SHACL rule)": copkg,
                    "floor": _measure("floor", work, quads=str(work / "experts.nq"))}
            _report(f"(b) CSV sheets of {args.experts:,} generated experts "
                    f"({triples:,} quads written)", rows)
        if "rdf" not in args.skip:
            big = work / "foaf_org_big.nt"
            generate_foaf_org(big, args.triples)
            copkg = _measure("import", work, source=str(big), dump=str(work / "rdf.nq"))
            rows = {"copkg import (RDF, every SHACL rule)": copkg,
                    "floor": _measure("floor", work, quads=str(work / "rdf.nq"))}
            _report(f"(c) generated FOAF/ORG N-Triples ({args.triples:,} triples)", rows)


if __name__ == "__main__":
    main()
