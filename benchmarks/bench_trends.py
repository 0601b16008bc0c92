"""Time and place at scale: ``copkg trends`` against one projection build, and the year slider
redrawing in Chromium.

    python -m benchmarks.bench_trends                 # 20,000 experts (gen_experts, 16 years)
    python -m benchmarks.bench_trends --people 2000 --no-browser

Baseline (same run): one projection build = reading the store's incidence lists + projecting
the people network (what every network command pays). Target: trends for all the years cost
at most 3× that. Then the offline maps with the year slider (the geographic map and the
network map of the top 1,500 people): file size, and for each year step the time from moving
the slider to the network drawn again (target < 1 s). CPU and wall times; the machine may be
shared with other work, so compare the ratios, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.analysis import evolution, regions, trends
from graph.maps.geo import geo_map_html, geo_scripts, with_years
from graph.maps.html import map_view, render_page
from graph.network import load_incidence, project
from graph.store import KnowledgeGraph

from .gen_experts import generate, load_tables

CHROMIUM = "/usr/bin/chromium"


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


_BASE: dict[str, float] = {}


def _row(what: str, wall: float, cpu: float, base: float | None = None) -> None:
    """One line: wall and CPU seconds, and both as a ratio of the baseline (one build)."""
    if base is not None and not _BASE:
        _BASE.update(wall=base, cpu=_BASE_CPU[0])
    ratio = (f"wall {wall / _BASE['wall']:5.2f}×  cpu {cpu / _BASE['cpu']:5.2f}×"
             if base is not None else "")
    print(f"  {what:<62} wall {wall:7.2f} s  cpu {cpu:6.2f} s  {ratio}", flush=True)


_BASE_CPU = [1.0]


def slider_steps(path: Path, years: int) -> list[float]:
    """Milliseconds from moving the slider to the next drawn frame, for each year."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(path.as_uri())
            page.wait_for_selector("#copkg-year-status", timeout=120_000)
            first, last = page.evaluate(
                "() => [Number(document.getElementById('copkg-year').min),"
                " Number(document.getElementById('copkg-year').max)]")
            times = []
            for year in range(first, last + 1):
                times.append(page.evaluate("""(year) => new Promise((done) => {
                    const start = performance.now();
                    window.copkgNetwork.once('afterDrawing', () => done(performance.now() - start));
                    window.copkgYear(year);
                    window.copkgNetwork.redraw();
                })""", year))
            return times
        finally:
            browser.close()


def main() -> int:  # pragma: no cover - a benchmark
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(f"Generating {args.people:,} experts ...", flush=True)
    kg = KnowledgeGraph.in_memory()
    load_tables(kg, generate(args.people))

    print("\ncopkg trends (people projection, cumulative) vs one projection build:")
    w_load, c_load, data = _timed(lambda: load_incidence(kg))
    w_proj, c_proj, G = _timed(lambda: project(data, "people"))
    build = w_load + w_proj
    _BASE_CPU[0] = c_load + c_proj
    _row("one projection build (incidence + project)", build, c_load + c_proj)
    _row("  of which project()", w_proj, c_proj)
    north_south = regions(kg)
    w_tr, c_tr, table = _timed(lambda: trends(data, "people", regions=north_south))
    _row(f"trends, {len(table)} years, from the incidence (projects once)", w_tr, c_tr, build)
    w_all, c_all, table = _timed(lambda: trends(load_incidence(kg), "people",
                                                regions=regions(kg)))
    _row("trends from the store (what copkg trends does)", w_all, c_all, build)
    w_yr, c_yr, _ = _timed(lambda: trends(data, "people", regions=north_south, window="year"))
    _row("trends, window=year, from the incidence", w_yr, c_yr, build)
    naive = [_timed(lambda y=y: project(data, "people", _filters(y))) for y in table["year"]]
    _row(f"naive: one projection per year, {len(naive)} projections (no trends computed)",
         sum(n[0] for n in naive), sum(n[1] for n in naive), build)
    w_ev, c_ev, ev = _timed(lambda: evolution(kg, "people"))
    _row("evolution (trends + matrix + learning, the app's page)", w_ev, c_ev, build)

    print("\nOffline maps with the year slider:")
    out = Path(tempfile.mkdtemp())
    w_geo, c_geo, page = _timed(lambda: geo_map_html(G, title="Geo", language="en"))
    (out / "geo.html").write_text(page, encoding="utf-8")
    _row(f"geographic map HTML ({len(page) / 1e6:.2f} MB)", w_geo, c_geo)
    for links in ("backbone", "all"):
        w_net, c_net, view = _timed(lambda links=links: map_view(
            with_years(G), title="Network", max_nodes=1500, links=links,
            color_by="country").data)
        page = render_page([view], title="Network", extra_js=geo_scripts())
        (out / f"network-{links}.html").write_text(page, encoding="utf-8")
        _row(f"network map HTML ({links}), {len(view['nodes'])} nodes, "
             f"{len(view['edges'])} links ({len(page) / 1e6:.2f} MB)", w_net, c_net)
    if not args.no_browser:
        for name in ("geo", "network-backbone", "network-all"):
            steps = slider_steps(out / f"{name}.html", len(table))
            print(f"  year step redraw, {name} map: median {statistics.median(steps):.0f} ms, "
                  f"max {max(steps):.0f} ms over {len(steps)} years (target < 1000 ms)")
    print("\nThe machine is shared (2 cores): compare ratios measured in this run.")
    return 0


def _filters(year: int) -> Any:
    from graph.network import Filters

    return Filters(year_to=int(year))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
