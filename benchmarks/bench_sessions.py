"""Many people at once: 20 concurrent sessions open Overview, then Network map, on the bundled
data (issue #13 item 9). Reported, never asserted.

    python -m benchmarks.bench_sessions [--sessions 20] [--runs 1] [--clients both|browser|protocol]

Each phase starts a fresh ``streamlit run`` (cold caches) and serves first ONE session (the
baseline), then a second fresh server serves ``--sessions`` sessions started together. Target:
p95 of the concurrent sessions ≤ 3× the single session's time, and no session sees an error.
Projections, measures and maps are computed once per store state and shared by all sessions
(``st.cache_resource`` / ``st.cache_data`` keyed by the store's state token).

Two kinds of client, because this machine has 2 cores and at an event every reader has their own:

- ``browser``: Debian chromium, one browser context each (Playwright). Each session's time runs
  from opening the app to vis-network's first draw of the map. All twenty renderers run on the
  same 2 cores as the server, so this mostly measures Chromium (about 3 s of CPU per session to
  boot Streamlit's page, draw the Overview's charts and the map).
- ``protocol`` (benchmarks/streamlit_client.py): the same requests a browser makes (the page's
  static files, recorded from the single browser session, the websocket runs of Overview then
  Network map, the files the map page points to) without drawing anything: the server's part.
  "A reader's time" adds the single browser's own drawing time (measured alone) to each session:
  what a reader sees when every reader draws on their own machine.
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
from .streamlit_client import Session, fetch_all

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


async def _session(browser: Any, url: str, timeout_s: float,
                   requests: list[str] | None = None) -> dict[str, Any]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(timeout_s * 1000)
    page = await context.new_page()
    if requests is not None:  # what a browser with an empty cache fetches (--clients protocol)
        page.on("request", lambda r: requests.append(r.url) if r.method == "GET"
                and r.resource_type != "websocket" and r.url.startswith(url) else None)
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


async def _protocol_session(url: str, files: list[str], timeout_s: float) -> dict[str, Any]:
    """One reader's requests without a browser: page files, Overview run, Network map run, the
    map page's files. Times to the Overview's and the map's last message."""
    before = [f for f in files if not f.startswith("/media/")]
    after = [f for f in files if f.startswith("/media/")]
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout_s):
            await fetch_all(url, before)
            async with Session(url) as session:
                overview = await session.run_page("")
                overview_s = time.perf_counter() - started
                shown = await session.run_page("network_map")
                await fetch_all(url, after)
        errors = overview.errors + shown.errors
        if not overview.metrics:
            errors.append("the Overview shows no counts")
        if not shown.iframes:
            errors.append("the Network map page shows no map")
        return {"overview_s": overview_s, "map_s": time.perf_counter() - started,
                "error": "; ".join(errors) or None}
    except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
        return {"overview_s": float("nan"), "map_s": float("nan"),
                "error": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}


async def _run_protocol(store: Path, sessions: int, files: list[str],
                        timeout_s: float) -> dict[str, Any]:
    proc, url = _server(store)
    try:
        idle = _cpu_s(proc)
        single = await _protocol_session(url, files, timeout_s)
        single["server_cpu_s"] = _cpu_s(proc) - idle
    finally:
        _stop(proc)
    proc, url = _server(store)
    try:
        idle = _cpu_s(proc)
        many = await asyncio.gather(*(_protocol_session(url, files, timeout_s)
                                      for _ in range(sessions)))
        server_cpu = _cpu_s(proc) - idle
    finally:
        _stop(proc)
    return {"single": single, "many": list(many), "server_cpu_s": server_cpu}


def _paths(urls: list[str], base: str) -> list[str]:
    """The recorded request URLs as paths on any server (ports differ between servers)."""
    seen: dict[str, None] = {}
    for u in urls:
        path = u[len(base):] or "/"
        if not path.startswith("/_stcore/stream"):
            seen.setdefault(path, None)
    return list(seen)


async def _run(store: Path, sessions: int, timeout_s: float, clients: str) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu",
                  "--disable-background-networking"],
        )
        try:
            proc, url = _server(store)
            single_url = url
            requests: list[str] = []
            try:
                idle = _cpu_s(proc)
                single = await _session(browser, url, timeout_s, requests)
                single["server_cpu_s"] = _cpu_s(proc) - idle
            finally:
                _stop(proc)
            result: dict[str, Any] = {"single": single, "many": [], "server_cpu_s": float("nan")}
            if clients in ("both", "browser"):
                proc, url = _server(store)
                try:
                    idle = _cpu_s(proc)
                    many = await asyncio.gather(*(_session(browser, url, timeout_s)
                                                  for _ in range(sessions)))
                    result.update(many=list(many), server_cpu_s=_cpu_s(proc) - idle)
                finally:
                    _stop(proc)
        finally:
            await browser.close()
    if clients in ("both", "protocol"):
        files = _paths(requests, single_url)
        result["files"] = len(files)
        result["protocol"] = await _run_protocol(store, sessions, files, timeout_s)
    return result


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered))) - 1))]


def _report(label: str, single: dict[str, Any], many: list[dict[str, Any]], sessions: int,
            extra_s: float = 0.0) -> list[str]:
    """Lines for one kind of client; ``extra_s`` is added to every time (a reader's own
    drawing, for the protocol clients)."""
    errors = [s["error"] for s in many if s["error"]] + (
        [single["error"]] if single["error"] else [])
    times = [s["map_s"] + extra_s for s in many if not s["error"]]
    lines = []
    if times and not single["error"]:
        base = single["map_s"] + extra_s
        p95 = _p95(times)
        overview = [s["overview_s"] for s in many if not s["error"]]
        lines.append(f"  {label}: 1 session {base:.1f} s; {sessions} at once median "
                     f"{statistics.median(times):.1f} s, p95 {p95:.1f} s, max {max(times):.1f} s"
                     f" → p95 / single = {p95 / base:.2f}× (target ≤ 3×); Overview p95 "
                     f"{_p95(overview):.1f} s (single {single['overview_s']:.1f} s)")
    lines.append(f"  {label}: errors {len(errors)}" + "".join(f"\n    - {e}" for e in errors))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--clients", choices=("both", "browser", "protocol"), default="both")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="copkg-bench-sessions-"))
    try:
        store = bundled_store(folder)
        for run in range(1, args.runs + 1):
            load = os.getloadavg()[0]
            result = asyncio.run(_run(store, args.sessions, args.timeout, args.clients))
            single = result["single"]
            print(f"run {run} (load average {load:.1f} on {os.cpu_count()} cores; the machine "
                  "is shared, so wall times include other people's work):")
            print(f"  1 browser session alone: Overview {single['overview_s']:.1f} s, map in the "
                  f"page {single['delivered_s']:.1f} s, map drawn {single['map_s']:.1f} s after "
                  f"opening the app ({single['nodes']} nodes); server CPU "
                  f"{single['server_cpu_s']:.1f} s")
            if args.clients in ("both", "browser"):
                for line in _report("browsers, all on this machine", single, result["many"],
                                    args.sessions):
                    print(line)
                print(f"  browsers: server CPU for {args.sessions} sessions "
                      f"{result['server_cpu_s']:.1f} s")
            if "protocol" in result:
                proto = result["protocol"]
                # What the lone browser spent beyond the server's answers: booting Streamlit's
                # page and drawing (each reader's own machine at an event).
                own = max(0.0, single["map_s"] - proto["single"]["map_s"])
                print(f"  protocol clients ({result['files']} files each, as the browser "
                      f"fetched): 1 session {proto['single']['map_s']:.2f} s to the map's last "
                      f"message, server CPU {proto['single']['server_cpu_s']:.1f} s; "
                      f"{args.sessions} sessions server CPU {proto['server_cpu_s']:.1f} s")
                for line in _report("server's answers", proto["single"], proto["many"],
                                    args.sessions):
                    print(line)
                for line in _report(f"a reader's time (+ {own:.1f} s of a lone browser's own "
                                    "drawing)", proto["single"], proto["many"], args.sessions,
                                    extra_s=own)[:1]:
                    print(line)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
