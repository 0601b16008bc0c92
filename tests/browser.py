"""What the tests that start servers share: a free loopback port, the app served by Streamlit
on one, and Debian's Chromium driven by Playwright (never a downloaded browser, nothing from
the network).

Both are context managers that stop what they start, for the tests' module fixtures.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]


def require_chromium() -> None:
    """Skip the test when Debian's chromium is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (make setup-apt)")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on {url} within {timeout} s")


@contextmanager
def streamlit_app(store: Path, log_dir: Path, *, env: Mapping[str, str] | None = None,
                  project_config_only: bool = False) -> Iterator[str]:
    """``streamlit run app.py`` on ``store`` (writable unless ``env`` says COPKG_READ_ONLY),
    yielding its URL once healthy; stopped (and its log closed) on exit.

    ``project_config_only``: no command-line server options, so the project's
    ``.streamlit/config.toml`` alone decides the address; the server runs in its own process
    group, stopped as a whole.
    """
    require_chromium()
    port = free_port()
    environ = {**os.environ, "COPKG_STORE": str(store)}
    environ.pop("COPKG_READ_ONLY", None)
    environ.pop("COPKG_ENDPOINT", None)
    environ.update(env or {})
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    if not project_config_only:
        command += ["--server.address", "127.0.0.1", "--server.headless", "true",
                    "--browser.gatherUsageStats", "false"]
    log = (log_dir / "streamlit.log").open("wb")
    proc = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=project_config_only)

    def stop(sig: signal.Signals) -> None:
        if project_config_only:
            os.killpg(proc.pid, sig)
        elif sig == signal.SIGTERM:
            proc.terminate()
        else:
            proc.kill()

    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        stop(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            stop(signal.SIGKILL)
            proc.wait()
        log.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's, offline flags), closed on exit."""
    require_chromium()
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     timeout=30_000)
        try:
            yield browser
        finally:
            browser.close()
