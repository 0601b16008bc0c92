"""A small pool of query worker processes that are killed and replaced at the time limit.

Only the main thread of ``copkg serve`` starts workers (:meth:`WorkerPool.fill`): a worker asks
the kernel to kill it when the *thread* that started it ends (``PR_SET_PDEATHSIG``), and the
main thread lives exactly as long as the server.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Reply", "WorkerBusy", "WorkerFailed", "WorkerPool", "WorkerTimeout"]

_WORKER_FILE = Path(__file__).with_name("worker.py")
_WORKER_NAME = "__copkg_endpoint_worker__"
# Runs worker.py without importing the graph package (pandas, rdflib...): a fast start.
_BOOT = f"import runpy, sys; runpy.run_path(sys.argv[1], run_name={_WORKER_NAME!r})"


@dataclass
class Reply:
    """A worker's answer: an HTTP status, a media type and the complete body."""

    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    rows: int = 0
    #: The store state the answer comes from (``KnowledgeGraph.state_token()``).
    state: str = ""


class WorkerTimeout(Exception):
    """The query ran past its deadline; its worker was killed."""


class WorkerBusy(Exception):
    """No worker became free before the deadline."""


class WorkerFailed(Exception):
    """The worker died while answering (e.g. out of memory)."""


class _Worker:
    def __init__(self, memory_limit_mb: int | None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _BOOT, str(_WORKER_FILE), str(os.getpid()),
             str(memory_limit_mb or 0)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C in the terminal is for the front, not for us
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin
        self._out = self.proc.stdout.fileno()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def ask(self, request: dict[str, Any], deadline: float) -> tuple[dict[str, Any], bytes]:
        self._in.write(json.dumps(request).encode() + b"\n")
        self._in.flush()
        buffer = bytearray()
        while b"\n" not in buffer:
            buffer += self._read(deadline)
        line, _, rest = bytes(buffer).partition(b"\n")
        header: dict[str, Any] = json.loads(line)
        body = bytearray(rest)
        while len(body) < header["length"]:
            body += self._read(deadline)
        return header, bytes(body)

    def _read(self, deadline: float) -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise WorkerTimeout
        ready, _, _ = select.select([self._out], [], [], remaining)
        if not ready:
            raise WorkerTimeout
        chunk = os.read(self._out, 1 << 20)
        if not chunk:
            raise WorkerFailed("the query worker stopped while answering")
        return chunk

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


class WorkerPool:
    """``size`` workers; :meth:`run` lends one to a request and replaces it if it overruns."""

    def __init__(self, size: int, *, memory_limit_mb: int | None = None) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self.memory_limit_mb = memory_limit_mb
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._closed = False
        self._crashed = -1.0
        #: Workers killed at the time limit since the start (for tests and the log).
        self.killed = 0

    # ------------------------------------------------------------------- main thread only
    def fill(self) -> None:
        """Start workers until ``size`` are alive (call from the main thread only)."""
        self._wanted.clear()
        while not self._closed:
            with self._lock:
                dead = [w for w in self._live if not w.alive()]
                for worker in dead:
                    self._live.discard(worker)
                    worker.kill()
                if len(self._live) >= self.size:
                    return
            if dead:
                self._crashed = time.monotonic()
            if time.monotonic() - self._crashed < 1.0:
                # Workers that died on their own (not killed at the limit) are restarted at
                # most once a second, so a broken setup does not spin a core.
                return
            worker = _Worker(self.memory_limit_mb)
            with self._lock:
                if self._closed:
                    worker.kill()
                    return
                self._live.add(worker)
            self._idle.put(worker)

    def wait(self, timeout: float) -> None:
        """Sleep until a worker must be replaced, or ``timeout`` seconds."""
        self._wanted.wait(timeout)

    def close(self) -> None:
        """Kill every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
        for worker in workers:
            worker.kill()

    # ------------------------------------------------------------------- any thread
    def run(self, request: dict[str, Any], deadline: float) -> Reply:
        """Answer ``request`` before ``deadline`` (``time.monotonic()``), or raise."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closed:
                raise WorkerBusy
            try:
                worker = self._idle.get(timeout=remaining)
            except queue.Empty:
                raise WorkerBusy from None
            if worker.alive():
                break
            self._retire(worker)
        try:
            header, body = worker.ask(request, deadline)
        except WorkerTimeout:
            self.killed += 1
            self._retire(worker)
            raise
        except (WorkerFailed, OSError, ValueError) as exc:
            self._retire(worker)
            raise WorkerFailed(str(exc)) from None
        self._idle.put(worker)
        return Reply(header["status"], header["type"], body, bool(header.get("truncated")),
                     int(header.get("rows", 0)), str(header.get("state", "")))

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._live.discard(worker)
        self._wanted.set()
