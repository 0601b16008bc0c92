"""A Streamlit session without a browser: the messages a browser exchanges with ``streamlit run``
(Streamlit's own protobuf protocol over its websocket), for measuring what the server does when
many people open the app at once (benchmarks/bench_sessions.py ``--clients protocol``).

A browser session is: the page and its static files (fetched over HTTP, as a browser with an
empty cache does), a websocket, one "rerun" request per page (the Overview first, then the page
picked in the sidebar), and the files the page then points to (the map's HTML in /media). This
client makes exactly those requests and times them; it draws nothing. What a browser adds on top
(running the scripts, drawing the map) happens on each reader's own machine, and is measured
once, alone, by the browser mode.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

#: How many files a browser fetches at once from one server (Chromium: 6 per host over HTTP/1.1).
PARALLEL_FETCHES = 6


@dataclass
class PageRun:
    """What the server sent for one page run."""

    seconds: float
    messages: int = 0
    bytes: int = 0
    iframes: list[str] = field(default_factory=list)
    metrics: int = 0
    errors: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # URL path → page script hash


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate"})
    with urllib.request.urlopen(request, timeout=600) as reply:
        return len(reply.read())


async def fetch_all(base: str, paths: list[str]) -> int:
    """GET every path (at most :data:`PARALLEL_FETCHES` at once), as a browser loads a page;
    returns the bytes received."""
    gate = asyncio.Semaphore(PARALLEL_FETCHES)

    async def one(path: str) -> int:
        async with gate:
            return await asyncio.to_thread(_get, base + path)

    return sum(await asyncio.gather(*(one(p) for p in paths)))


class Session:
    """One reader's websocket session with the app at ``base`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.pages: dict[str, str] = {}
        self._ws: Any = None

    async def __aenter__(self) -> Session:
        url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        self._ws = await websockets.connect(url, subprotocols=["streamlit"],  # type: ignore[list-item]
                                            origin=self.base, max_size=None,  # type: ignore[arg-type]
                                            open_timeout=600, ping_interval=None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._ws.close()

    async def run_page(self, url_path: str = "", query: str = "") -> PageRun:
        """Ask for a run of the page at ``url_path`` ("" = the default page), as clicking it in
        the sidebar does, and read the server's messages until the run has finished."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_script_hash = self.pages.get(url_path, "")
        state.page_name = url_path
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base}/{url_path}"
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        run = PageRun(seconds=0.0)
        while True:
            data = await self._ws.recv()
            run.messages += 1
            run.bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                for page in fwd.navigation.app_pages:
                    self.pages[page.url_pathname] = page.page_script_hash
                run.pages = dict(self.pages)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                what = element.WhichOneof("type")
                if what == "iframe":
                    run.iframes.append(element.iframe.src)
                elif what == "metric":
                    run.metrics += 1
                elif what == "exception":
                    run.errors.append(element.exception.message[:200])
            elif kind == "script_finished":
                status = fwd.script_finished
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                        run.errors.append(f"script finished with status {status}")
                    break
        run.seconds = time.perf_counter() - started
        return run
