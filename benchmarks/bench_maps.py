"""Offline HTML maps vs pyvis: build time, file size, and time to first frame in Chromium.

Run: ``python benchmarks/bench_maps.py [--sizes 100 1000 5000] [--no-browser]``.
pyvis (``from_nx`` + ``generate_html``) is the baseline, stopped after 60 s.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from graph.maps import map_html

CHROMIUM = "/usr/bin/chromium"
COMMUNITIES = [f"https://w3id.org/copkg/id/community/c{i}" for i in range(6)]


def projection_like(n: int, seed: int = 7) -> nx.Graph:
    """A random geometric graph (about 3 links per node) with projection attributes."""
    rng = random.Random(seed)
    radius = (3.0 / (3.14159 * n)) ** 0.5
    base = nx.random_geometric_graph(n, radius, seed=seed)
    G = nx.Graph()
    for i in base.nodes:
        name = f"Expert {i} Bénard"
        G.add_node(f"https://w3id.org/copkg/id/person/p{i:05d}", label=name,
                   labels={"en": name, "ar": f"خبير {i}"}, kind="person", type="expert",
                   country=rng.choice(["TN", "MA", "EG", "FR", "JO", "LB"]),
                   organization=f"https://w3id.org/copkg/id/organization/o{i % 50}",
                   communities=(rng.choice(COMMUNITIES),), illustrative=True)
    nodes = sorted(G)
    for u, v in base.edges:
        G.add_edge(nodes[u], nodes[v], weight=1.0 + (u + v) % 3, ties={"event": 1},
                   evidence=[{"kind": "event", "iri": f"https://w3id.org/copkg/id/event/e{u}",
                              "label": f"Workshop {u}", "year": 2015 + u % 9}])
    return G


def _pyvis(G: nx.Graph, out: Any) -> None:
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(cdn_resources="in_line")
    plain = nx.Graph()
    plain.add_nodes_from((n, {"label": d["label"], "title": d["label"]})
                         for n, d in G.nodes(data=True))
    plain.add_edges_from((u, v, {"weight": d["weight"]}) for u, v, d in G.edges(data=True))
    net.from_nx(plain)
    text = net.generate_html()
    out.put((time.perf_counter() - start, len(text.encode("utf-8"))))


def pyvis_baseline(G: nx.Graph, limit: float = 60.0) -> tuple[float | None, int | None]:
    """Seconds and bytes for pyvis, or ``(None, None)`` if it takes more than ``limit``."""
    queue: Any = mp.Queue()
    proc = mp.Process(target=_pyvis, args=(G, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    return queue.get()


def first_frame(paths: list[Path]) -> list[float]:
    """Milliseconds from navigation start to vis-network's first ``afterDrawing``."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"])
        try:
            for path in paths:
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(path.as_uri())
                page.wait_for_function("window.copkgFirstDraw !== undefined", timeout=120_000)
                times.append(float(page.evaluate("window.copkgFirstDraw")))
                page.close()
        finally:
            browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-pyvis", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="copkg-bench-"))
    rows, paths = [], []
    for n in args.sizes:
        G = projection_like(n)
        start = time.perf_counter()
        page = map_html(G, title=f"{n} nodes", max_nodes=max(n, 1500))
        seconds = time.perf_counter() - start
        path = folder / f"map-{n}.html"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
        base = (None, None) if args.no_pyvis else pyvis_baseline(G)
        rows.append((n, G.number_of_edges(), seconds, path.stat().st_size, *base))
    frames = [None] * len(paths) if args.no_browser else first_frame(paths)
    print("| nodes | edges | copkg s | copkg MB | pyvis s | pyvis MB | first frame ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (n, m, sec, size, psec, psize), frame in zip(rows, frames, strict=True):
        pyvis_s = f"{psec:.2f}" if psec is not None else "> 60 (stopped)"
        pyvis_mb = f"{psize / 1e6:.2f}" if psize is not None else "–"
        frame_ms = f"{frame:.0f}" if frame is not None else "–"
        print(f"| {n:,} | {m:,} | {sec:.2f} | {size / 1e6:.2f} | {pyvis_s} | {pyvis_mb} "
              f"| {frame_ms} |")


if __name__ == "__main__":
    main()
