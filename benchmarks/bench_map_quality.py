"""Map quality at 1920×1080: what a person sees, measured, for the default view of each projection.

Run: ``python -m benchmarks.bench_map_quality [--people 1000 5000] [--no-browser]``.

For the bundled data and for generated experts (``benchmarks/gen_experts.py``), the default
view of each one-mode projection (what ``copkg map`` draws: backbone, isolates counted) is laid
out three ways on the SAME drawn graph:

- ``forceatlas2`` — copkg's default (ForceAtlas2/LinLog, multilevel start, overlap removal);
- ``fr`` — today's igraph Fruchterman–Reingold layout (``layout(method="fr")``);
- ``fa2 defaults`` — the reference implementation ``fa2_modified`` (PyPI, GPL-3.0, benchmark
  only; ``pip install fa2-modified``) with its default settings (linear attraction, gravity 1,
  scaling 2, Barnes–Hut), 100 iterations, the same seeded start, scaled like copkg's.

Measured: **labels** drawn and **overlapping label pairs** (the PNG renderer's own placement
at 1920×1080; with ``--browser`` also the HTML page's, read from the page), **node overlaps**
(pairs of discs that intersect on the picture), **width used** (share of the picture's width
between the leftmost and rightmost disc), **group separation** (mean length of ties inside a
Leiden group of the whole projection ÷ mean length of ties between groups; lower = groups
stand apart), **layout time** (CPU and wall, seconds). Times are for the layout only.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from graph.analysis import leiden_membership, to_igraph
from graph.maps.html import map_view, render_page
from graph.maps.labels import overlapping_pairs

CHROMIUM = "/usr/bin/chromium"
PROJECTIONS = ("people", "organizations", "countries")
METHODS = ("forceatlas2", "fr", "fa2 defaults")


def _fa2_defaults(G: nx.Graph, seed: int = 42) -> dict[Hashable, tuple[float, float]] | None:
    try:
        from fa2_modified import ForceAtlas2
    except ImportError:
        return None
    import scipy.sparse as sp

    nodes = sorted(G, key=str)
    index = {n: i for i, n in enumerate(nodes)}
    rows = [index[u] for u, v in G.edges] + [index[v] for u, v in G.edges]
    cols = [index[v] for u, v in G.edges] + [index[u] for u, v in G.edges]
    w = [float(d.get("weight", 1.0)) for *_, d in G.edges(data=True)] * 2
    A = sp.csr_matrix((w, (rows, cols)), shape=(len(nodes), len(nodes)))
    rng = np.random.default_rng(seed)
    start = rng.uniform(-1, 1, (len(nodes), 2)) * math.sqrt(len(nodes)) * 10
    xy = ForceAtlas2(verbose=False).forceatlas2(A, pos=start, iterations=100)
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def measure(G: nx.Graph, method: str, groups: dict[Hashable, int]) -> dict[str, Any] | None:
    """Lay out the default view of ``G`` with ``method`` and measure its 1920×1080 picture."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from graph.maps.image import _draw
    from graph.maps.layout import _no_overlap, _scale_for, _turn, layout

    base = map_view(G, title="Benchmark", layout_method="forceatlas2")
    H = base.graph  # what the default view draws (top 1,500 nodes, backbone, no isolates)
    sizes = base.styled.sizes
    if method == "fa2 defaults":
        raw, cpu, wall = _timed(lambda: _fa2_defaults(H))
        if raw is None:
            return None
        nodes = list(raw)
        xy = np.array([raw[n] for n in nodes])
        radius = np.array([sizes[n] for n in nodes])
        xy = _no_overlap(_scale_for(_turn(xy, 1.5), radius), radius)
        positions = {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}
    else:
        positions, cpu, wall = _timed(lambda: layout(H, method=method, sizes=sizes))
    view = map_view(G, title="Benchmark", positions=positions)
    fig = Figure(figsize=(19.2, 10.8), dpi=100)
    FigureCanvasAgg(fig)
    drawn = _draw(fig, view.data, lang="en", labels=None)
    boxes = list(drawn["labels"].values())
    discs = drawn["discs"]
    centres = np.array([((d.l + d.r) / 2, (d.t + d.b) / 2) for d in discs])
    radii = np.array([(d.r - d.l) / 2 for d in discs])
    node_overlaps = 0
    if len(centres) > 1:
        from scipy.spatial import cKDTree

        for a, b in cKDTree(centres).query_pairs(2 * float(radii.max())):
            if np.linalg.norm(centres[a] - centres[b]) < radii[a] + radii[b] - 0.5:
                node_overlaps += 1
    width = (max(d.r for d in discs) - min(d.l for d in discs)) / (19.2 * 100) if discs else 0
    inside, between = [], []
    for u, v in view.graph.edges:
        length = math.dist(positions[u], positions[v])
        (inside if groups.get(u) == groups.get(v) else between).append(length)
    separation = (np.mean(inside) / np.mean(between)) if inside and between else float("nan")
    return {"nodes": view.graph.number_of_nodes(), "links": view.graph.number_of_edges(),
            "labels": len(boxes), "label overlaps": overlapping_pairs(boxes),
            "node overlaps": node_overlaps, "width": width, "separation": separation,
            "cpu": cpu, "wall": wall, "view": view}


def browser_labels(pages: list[tuple[str, str]]) -> dict[str, tuple[int, int, float]]:
    """Labels drawn, overlapping pairs and share of the width used by the nodes in the HTML
    page at 1920×1080, read from the page."""
    from playwright.sync_api import sync_playwright

    out = {}
    script = """() => { const b = window.copkgLabelBoxes(); let n = 0;
      for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
        if (b[i].l < b[j].r && b[i].r > b[j].l && b[i].t < b[j].b && b[i].b > b[j].t) n++;
      const net = window.copkgNetwork, pos = net.getPositions(), s = net.getScale();
      let lo = Infinity, hi = -Infinity;
      window.copkgNodes.get().forEach(function (node) {
        const p = net.canvasToDOM(pos[node.id]);
        lo = Math.min(lo, p.x - node.size * s); hi = Math.max(hi, p.x + node.size * s); });
      return [b.length, n, (hi - lo) / window.innerWidth]; }"""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"])
        try:
            for name, path in pages:
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.goto(Path(path).as_uri())
                page.wait_for_function("window.copkgFirstDraw !== undefined", timeout=120_000)
                page.wait_for_timeout(300)
                shown, overlaps, width = page.evaluate(script)
                out[name] = (int(shown), int(overlaps), float(width))
                page.close()
        finally:
            browser.close()
    return out


def datasets(people: list[int]) -> list[tuple[str, str, nx.Graph]]:
    from graph.ingest import bundled_graph
    from graph.network import build_projection
    from graph.store import KnowledgeGraph

    from .gen_experts import generate, load_tables

    out = []
    kg = bundled_graph()
    for p in PROJECTIONS:
        out.append(("bundled", p, build_projection(kg, p)))
    kg.close()
    for n in people:
        kg = KnowledgeGraph.in_memory()
        load_tables(kg, generate(n))
        for p in PROJECTIONS:
            out.append((f"{n:,} experts", p, build_projection(kg, p)))
        kg.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores (shared: wall time includes waiting for them)")
    rows = []
    pages = []
    folder = Path(tempfile.mkdtemp(prefix="copkg-quality-"))
    data = datasets(args.people)
    for source, projection, G in data:
        g, nodes = to_igraph(G)
        groups = dict(zip(nodes, leiden_membership(g), strict=True))
        for method in METHODS:
            result = measure(G, method, groups)
            if result is None:
                continue
            rows.append((source, projection, method, result))
            if method == "forceatlas2" and not args.no_browser:
                path = folder / f"{source.split()[0]}-{projection}.html"
                path.write_text(render_page([result["view"].data], title="Benchmark"),
                                encoding="utf-8")
                pages.append((f"{source}/{projection}", str(path)))
            print(f"  {source} {projection} {method}: done", flush=True)
    seen = browser_labels(pages) if pages else {}
    print("\n| data | projection | layout | nodes | links | labels PNG | overlapping label "
          "pairs PNG | labels / overlaps / width HTML | node overlaps | width used PNG "
          "| group separation | layout CPU s | layout wall s |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
          "| ---: |")
    for source, projection, method, r in rows:
        html = seen.get(f"{source}/{projection}") if method == "forceatlas2" else None
        html_text = f"{html[0]} / {html[1]} / {html[2]:.0%}" if html else "–"
        print(f"| {source} | {projection} | {method} | {r['nodes']:,} | {r['links']:,} "
              f"| {r['labels']} | {r['label overlaps']} | {html_text} | {r['node overlaps']} "
              f"| {r['width']:.0%} | {r['separation']:.3f} | {r['cpu']:.2f} | {r['wall']:.2f} |")
    print("\nLayout time on the largest people projection (every link, no backbone):")
    from graph.maps.layout import layout

    big = [G for source, projection, G in data if projection == "people"][-1:]
    for G in big:
        for method in ("fr", "forceatlas2"):
            _, cpu, wall = _timed(lambda m=method, g=G: layout(g, method=m))
            print(f"  {method}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} links: "
                  f"CPU {cpu:.2f} s, wall {wall:.2f} s")


if __name__ == "__main__":
    main()
