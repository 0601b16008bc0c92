"""App benchmark: from ``streamlit run`` to the Overview rendered in a browser, and from choosing
the Network map page to the map drawn (vis-network's first draw), on the bundled data and on the
20k-expert generated graph.

    python -m benchmarks.bench_app [--people 20000] [--runs 3] [--skip-large]

Each run starts a fresh server (cold caches) on a free port with Debian chromium via Playwright.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
#: The page's script has run to the end (Streamlit marks its state on the app's root).
SCRIPT_DONE = (
    "() => { const app = document.querySelector('[data-test-script-state]');"
    " return app && app.getAttribute('data-test-script-state') === 'notRunning'; }"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("streamlit did not start")


def _map_drawn(page: Any, timeout_s: float) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.get_by_text("The map cannot be drawn").count():
            raise TimeoutError("the page says the map cannot be drawn")
        for frame in page.frames:
            try:
                n = frame.evaluate("() => window.copkgFirstDraw && window.copkgNodes"
                                   " ? window.copkgNodes.length : 0")
            except Exception:  # noqa: BLE001 - frames are replaced while the page reruns
                continue
            if n:
                return int(n)
        time.sleep(0.05)
    raise TimeoutError("the map was not drawn")


def one_run(store: Path, browser: Any, timeout_s: float = 180) -> dict[str, float]:
    """Seconds to: server healthy, overview rendered, map drawn after clicking its page."""
    port = _free_port()
    env = {**os.environ, "COPKG_STORE": str(store)}
    for key in ("COPKG_READ_ONLY", "COPKG_ENDPOINT"):
        env.pop(key, None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc)
        healthy = time.perf_counter() - started
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector("[data-testid='stMetric']", timeout=timeout_s * 1000)
        page.wait_for_function(SCRIPT_DONE, timeout=timeout_s * 1000)
        overview = time.perf_counter() - started
        clicked = time.perf_counter()
        page.locator("[data-testid='stSidebarNav'] a[href$='/network_map']").click()
        try:
            nodes = _map_drawn(page, timeout_s)
            map_s = time.perf_counter() - clicked
        except TimeoutError:  # reported as NaN: the page says why (e.g. the map engine failed)
            nodes, map_s = 0, float("nan")
        page.close()
        return {"server_s": healthy, "overview_s": overview, "map_s": map_s, "map_nodes": nodes}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bundled_store(folder: Path) -> Path:
    from graph import open_graph

    path = folder / "bundled"
    open_graph(path).close()
    return path


def experts_store(folder: Path, people: int) -> Path:
    # Through the importer (not gen_experts.load_tables): graphs written without the importer's
    # completion mark are removed as half-written when the app opens the store read-write.
    from benchmarks.gen_experts import generate, write_csv
    from graph import KnowledgeGraph
    from graph.config import bundled_data_paths
    from graph.ingest import import_paths

    path = folder / f"experts-{people}"
    sheets = folder / f"experts-{people}-csv"
    write_csv(generate(people), sheets)
    kg = KnowledgeGraph.open(path)
    try:
        # The sourced facts too: the generated organisations are members of the platform (cmi).
        import_paths(kg, [bundled_data_paths()[0], sheets])
    finally:
        kg.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    folder = Path(tempfile.mkdtemp(prefix="copkg-bench-app-"))
    try:
        stores = {"bundled": bundled_store(folder)}
        if not args.skip_large and (ROOT / "benchmarks" / "gen_experts.py").exists():
            t = time.perf_counter()
            stores[f"experts-{args.people}"] = experts_store(folder, args.people)
            print(f"generated {args.people} experts in {time.perf_counter() - t:.1f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--headless", "--disable-gpu",
                      "--disable-background-networking"],
            )
            for name, store in stores.items():
                runs = [one_run(store, browser) for _ in range(args.runs)]
                summary = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                results[name] = {"median": summary, "runs": runs}
                print(f"{name}: server {summary['server_s']:.1f} s, overview rendered "
                      f"{summary['overview_s']:.1f} s after start, map drawn "
                      f"{summary['map_s']:.1f} s after the click "
                      f"({summary['map_nodes']:.0f} nodes drawn), median of {args.runs}")
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
