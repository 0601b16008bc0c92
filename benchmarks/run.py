"""Run every benchmark in turn (``make bench``); each prints ratios measured in the same run.

    python -m benchmarks.run [--quick]

``--quick`` uses smaller generated graphs (for a smoke run, not for the README's numbers).
"""

from __future__ import annotations

import argparse
import subprocess
import sys

FULL = [
    ["benchmarks.bench_import"],
    ["benchmarks.bench_network"],
    ["benchmarks.bench_queries"],
    ["benchmarks.bench_endpoint"],
    ["benchmarks.bench_maps"],
    ["benchmarks.bench_app"],
    ["benchmarks.bench_answers"],
    ["benchmarks.bench_sessions"],
]
QUICK = [
    ["benchmarks.bench_import", "--triples", "100000"],
    ["benchmarks.bench_network", "--people", "2000", "--skip-networkx"],
    ["benchmarks.bench_queries", "--runs", "2"],
    ["benchmarks.bench_endpoint", "--seconds", "2"],
    ["benchmarks.bench_maps", "--sizes", "100", "1000", "--no-pyvis"],
    ["benchmarks.bench_trends", "--people", "2000"],
    ["benchmarks.bench_app", "--runs", "1", "--skip-large"],
    ["benchmarks.bench_answers", "--people", "2000", "--runs", "1"],
    ["benchmarks.bench_sessions", "--sessions", "4"],
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    failed = 0
    for command in QUICK if args.quick else FULL:
        print(f"\n===== python -m {' '.join(command)}", flush=True)
        failed += subprocess.run([sys.executable, "-m", *command]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
