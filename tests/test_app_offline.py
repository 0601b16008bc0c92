"""The app and the endpoint's query page in Chromium, as a careful reader would check them:
bound to 127.0.0.1 by the project's own config, no request leaving this computer on any page,
a query from a link shown but not run, and a name with a right-to-left override shown
neutralised. Screenshots go to ``tests/screenshots/app/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pandas as pd
import pytest
from browser import streamlit_app
from test_app_browser import map_frame, no_exception, shot, wait_rendered
from test_endpoint import start_serve, stop

from graph import KnowledgeGraph

pytestmark = pytest.mark.browser

SPOOF = "Evil\u202etxt.exe"
SHOWN = "Evil[U+202E]txt.exe"
PAGES = ["", "network_map", "collaborators", "connection", "present", "sparql", "data"]
LOCAL = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def spoof_store(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data plus a person whose name carries U+202E, with ties to draw."""
    from graph.ingest import import_paths

    folder = tmp_path_factory.mktemp("offline")
    store = folder / "store"
    shutil.copytree(bundled_store_dir, store)
    book = folder / "spoof.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"id": ["s0001"], "name": [SPOOF], "organization": ["afd"],
                      "country": ["TN"]}).to_excel(writer, sheet_name="people", index=False)
        pd.DataFrame({"event": ["ev0001"], "participant": ["s0001"],
                      "role": ["speaker"]}).to_excel(writer, sheet_name="participation",
                                                     index=False)
    kg = KnowledgeGraph.open(store)
    try:
        import_paths(kg, [book])
    finally:
        kg.close()
    return store


@pytest.fixture(scope="module")
def app(spoof_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` with the project's config only: no --server.address given."""
    with streamlit_app(spoof_store, tmp_path_factory.mktemp("offline-server"),
                       project_config_only=True) as url:
        yield url


@pytest.fixture
def recorded(browser: object) -> Iterator[tuple[object, list[str]]]:
    """A page and the URL of every request it (or its frames and workers) made."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))
    pg = context.new_page()
    pg.on("websocket", lambda ws: urls.append(ws.url))
    yield pg, urls
    context.close()


def _outside(urls: list[str]) -> list[str]:
    """Requests that left this computer (data:, blob: and about: stay inside the browser)."""
    return [u for u in urls if urlsplit(u).scheme not in ("data", "blob", "about")
            and urlsplit(u).hostname not in LOCAL]


def _listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_app_listens_on_loopback_only(app: str) -> None:
    port = urlsplit(app).port
    assert port is not None
    # 0100007F is 127.0.0.1; a wildcard bind would show 00000000 (or :: in tcp6)
    assert _listening_addresses(port) == {"0100007F"}


@pytest.mark.parametrize("path", PAGES)
def test_no_page_loads_anything_from_the_internet(
    app: str, recorded: tuple[object, list[str]], path: str
) -> None:
    page, urls = recorded
    page.goto(f"{app}/{path}")  # type: ignore[attr-defined]
    wait_rendered(page)
    no_exception(page)
    if path == "network_map":
        map_frame(page)
    page.wait_for_timeout(1000)  # type: ignore[attr-defined]  # late requests (fonts, icons)
    assert len(urls) > 5  # the recorder saw the page's own requests
    assert _outside(urls) == []
    shot(page, f"offline-{path or 'overview'}")


def test_console_query_from_a_link_waits_for_run(
    app: str, recorded: tuple[object, list[str]]
) -> None:
    page, _ = recorded
    query = "SELECT ?c WHERE { ?c a cop:CommunityOfPractice } ORDER BY ?c"
    page.goto(f"{app}/sparql?mode=console&query={quote(query)}")  # type: ignore[attr-defined]
    wait_rendered(page)
    assert page.get_by_text("has not been run").count() == 1  # type: ignore[attr-defined]
    assert page.locator("[data-testid='stDataFrame']").count() == 0  # type: ignore[attr-defined]
    assert page.locator("textarea").first.input_value() == query  # type: ignore[attr-defined]
    shot(page, "console-from-link")
    page.get_by_role("button", name="Run").click()  # type: ignore[attr-defined]
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    assert page.get_by_text("has not been run").count() == 0  # type: ignore[attr-defined]


def test_bidi_override_is_shown_neutralised(
    app: str, recorded: tuple[object, list[str]]
) -> None:
    page, _ = recorded
    page.goto(f"{app}/network_map?node=s0001")  # type: ignore[attr-defined]
    wait_rendered(page)
    frame = map_frame(page)
    no_exception(page)
    html = frame.content()  # type: ignore[attr-defined]  # the map's data and its labels
    assert SHOWN in html and "\u202e" not in html and "\\u202e" not in html.lower()
    assert page.get_by_text(SHOWN, exact=False).count() > 0  # type: ignore[attr-defined]
    for f in page.frames:  # type: ignore[attr-defined]
        assert "\u202e" not in f.evaluate("() => document.body.innerText")
    shot(page, "bidi-name")


def test_endpoint_page_is_offline_and_runs_only_on_click(
    spoof_store: Path, recorded: tuple[object, list[str]]
) -> None:
    page, urls = recorded
    served = start_serve(spoof_store, "--time-limit", "10")
    try:
        query = "SELECT ?name WHERE { ?p foaf:name ?name } ORDER BY ?name LIMIT 3"
        page.goto(served.url.replace("/sparql", "/") + "?query=" + quote(query))  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        assert page.locator("textarea").input_value() == query  # type: ignore[attr-defined]
        assert page.locator("table").count() == 0  # type: ignore[attr-defined]
        page.get_by_role("button", name="Run").click()  # type: ignore[attr-defined]
        page.locator("table tr").nth(3).wait_for(timeout=30_000)  # type: ignore[attr-defined]
        assert page.locator("table tr").count() == 4  # type: ignore[attr-defined]
        assert "3 rows" in page.locator("#status").inner_text()  # type: ignore[attr-defined]
        shot(page, "endpoint-page")
        assert _outside(urls) == []
    finally:
        stop(served.proc)
