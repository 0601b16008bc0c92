"""Many people at once: 20 concurrent browser sessions open Overview, then Network map, on the
bundled data (issue #13 item 9, measured by #9). Reported, never asserted.

    python -m benchmarks.bench_sessions [--sessions 20] [--runs 1]

For each run, a fresh ``streamlit run`` (cold caches) serves first ONE session (the baseline),
then a second fresh server serves ``--sessions`` sessions started together (Debian chromium,
one browser context each, through Playwright's async API). Each session's time runs from opening
the app to vis-network's first draw of the map. Target: p95 of the concurrent sessions ≤ 3× the
single session's time, and no session sees an error. Projections and measures are computed
once per store state and shared by all sessions (``st.cache_resource`` / ``st.cache_data``
keyed by the store's state token), which is what makes the ratio small.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .bench_app import CHROMIUM, ROOT, SCRIPT_DONE, _free_port, _wait_healthy, bundled_store

_ERROR_TEXTS = ("The map cannot be drawn", "Traceback", "Error")


async def _map_drawn(page: Any, timeout_s: float) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await page.get_by_text("The map cannot be drawn").count():
            raise RuntimeError("the page says the map cannot be drawn")
        if await page.locator("[data-testid='stException']").count():
            raise RuntimeError("the page shows an exception")
        for frame in page.frames:
            try:
                n = await frame.evaluate("() => window.copkgFirstDraw && window.copkgNodes"
                                         " ? window.copkgNodes.length : 0")
            except Exception:  # noqa: BLE001 - frames are replaced while the page reruns
                continue
            if n:
                return int(n)
        await asyncio.sleep(0.1)
    raise TimeoutError("the map was not drawn")


async def _session(browser: Any, url: str, timeout_s: float) -> dict[str, Any]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(timeout_s * 1000)
    page = await context.new_page()
    started = time.perf_counter()
    try:
        # "commit": the browser got the page; what counts is the app drawing, measured below
        # (on a loaded machine 20 pages loading Streamlit's scripts at once exceed 30 s).
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        await page.wait_for_selector("[data-testid='stMetric']", timeout=timeout_s * 1000)
        await page.wait_for_function(SCRIPT_DONE, timeout=timeout_s * 1000)
        overview = time.perf_counter() - started
        await page.locator("[data-testid='stSidebarNav'] a[href$='/network_map']").click()
        # The server's part ends when the map's iframe is in the page; the rest is the
        # browser drawing it (20 Chromium renderers share the server's cores here).
        await page.wait_for_selector("iframe", timeout=timeout_s * 1000)
        delivered = time.perf_counter() - started
        nodes = await _map_drawn(page, timeout_s)
        return {"overview_s": overview, "delivered_s": delivered,
                "map_s": time.perf_counter() - started, "nodes": nodes, "error": None}
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        return {"overview_s": float("nan"), "delivered_s": float("nan"),
                "map_s": float("nan"), "nodes": 0,
                "error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"[:200]}
    finally:
        await context.close()


def _server(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "COPKG_STORE": str(store)}
    for key in ("COPKG_READ_ONLY", "COPKG_ENDPOINT"):
        env.pop(key, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, proc)
    return proc, url


def _cpu_s(proc: subprocess.Popen[bytes]) -> float:
    """CPU seconds (user + system) the server process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def _run(store: Path, sessions: int, timeout_s: float) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu",
                  "--disable-background-networking"],
        )
        try:
            proc, url = _server(store)
            try:
                idle = _cpu_s(proc)
                single = await _session(browser, url, timeout_s)
                single["server_cpu_s"] = _cpu_s(proc) - idle
            finally:
                _stop(proc)
            proc, url = _server(store)
            try:
                idle = _cpu_s(proc)
                many = await asyncio.gather(*(_session(browser, url, timeout_s)
                                              for _ in range(sessions)))
                server_cpu = _cpu_s(proc) - idle
            finally:
                _stop(proc)
        finally:
            await browser.close()
    return {"single": single, "many": list(many), "server_cpu_s": server_cpu}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered))) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="copkg-bench-sessions-"))
    try:
        store = bundled_store(folder)
        for run in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            result = asyncio.run(_run(store, args.sessions, args.timeout))
            single = result["single"]
            many = result["many"]
            errors = [s["error"] for s in many if s["error"]] + (
                [single["error"]] if single["error"] else [])
            times = [s["map_s"] for s in many if not s["error"]]
            print(f"run {run} (load average {load:.1f} on {os.cpu_count()} cores; the machine "
                  "is shared, so wall times include other people's work):")
            print(f"  1 session: overview {single['overview_s']:.1f} s, map in the page "
                  f"{single['delivered_s']:.1f} s, map drawn {single['map_s']:.1f} s after "
                  f"opening the app ({single['nodes']} nodes)")
            if times:
                p95 = _p95(times)
                for key, what in (("overview_s", "overview drawn"),
                                  ("delivered_s", "map in the page")):
                    values = [s[key] for s in many if not s["error"]]
                    print(f"  {args.sessions} sessions at once: {what} median "
                          f"{statistics.median(values):.1f} s, p95 {_p95(values):.1f} s "
                          f"(single: {single[key]:.1f} s)")
                print(f"  {args.sessions} sessions at once: map drawn median "
                      f"{statistics.median(times):.1f} s, p95 {p95:.1f} s, max {max(times):.1f} s"
                      f" → p95 / single = {p95 / single['map_s']:.2f}× (target ≤ 3×)")
            print(f"  server CPU: 1 session {single['server_cpu_s']:.1f} s, {args.sessions} "
                  f"sessions {result['server_cpu_s']:.1f} s (projection, measures and map are "
                  "computed once and shared; the rest is per-session page runs)")
            print(f"  errors: {len(errors)}" + "".join(f"\n    - {e}" for e in errors))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
