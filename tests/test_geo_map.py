"""The Mediterranean map: vendored basemap, geographic layout, arcs with years, offline pages
and pictures; in Chromium, the year slider changes the drawn ties and nothing is fetched."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from PIL import Image

from graph import KnowledgeGraph
from graph.ingest import import_paths
from graph.maps.basemap import prepare
from graph.maps.geo import (
    basemap,
    country_label,
    geo_graph,
    geo_map_html,
    geo_positions,
    geo_view,
    with_years,
)
from graph.maps.geo_image import save_geo_image
from graph.maps.html import map_view
from graph.network import build_projection

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "evolution"
BASEMAP = ROOT / "graph" / "maps" / "basemap"
SHOTS = Path(__file__).parent / "screenshots" / "geo"
CHROMIUM = Path("/usr/bin/chromium")
URL = re.compile(r"https?://", re.I)


@pytest.fixture(scope="module")
def people() -> nx.Graph:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [DATA, ROOT / "data" / "cmi.ttl"])
    return build_projection(kg, "people")


def test_vendored_outlines_keep_their_source_and_licence() -> None:
    assert (BASEMAP / "LICENSE-world-atlas").read_text().startswith(
        "Copyright 2013-2019 Michael Bostock")
    source = (BASEMAP / "SOURCE.md").read_text(encoding="utf-8")
    assert "public domain" in source and "world-atlas" in source and "ISC" in source
    topo = json.loads((BASEMAP / "countries-50m.json").read_text(encoding="utf-8"))
    assert topo["type"] == "Topology" and "countries" in topo["objects"]


@pytest.mark.slow
def test_compact_basemap_is_what_the_script_makes() -> None:
    made = json.dumps(prepare.build(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    assert (BASEMAP / "mediterranean.json").read_text(encoding="utf-8") == made + "\n"


def test_every_member_country_has_a_place_inside_its_outline() -> None:
    countries = basemap()["countries"]
    for code in ("EG", "FR", "GR", "IT", "JO", "LB", "MA", "PS", "TN", "LU", "BE", "DE"):
        x, y = countries[code]["anchor"]
        rings = [list(zip(r[::2], r[1::2], strict=True)) for r in countries[code]["rings"]]
        assert any(prepare._inside(ring, x, y) for ring in rings), code
    assert "US" not in countries  # the World Bank's seat is outside the region
    assert not URL.search((BASEMAP / "mediterranean.json").read_text(encoding="utf-8"))


def test_geo_graph_counts_ties_between_countries_with_their_years(people: nx.Graph) -> None:
    D = geo_graph(people)
    arcs = {(u, v): d for u, v, d in D.edges(data=True)}
    assert list(arcs) == [("country:FR", "country:TN")]
    arc = arcs[("country:FR", "country:TN")]
    # ta–fc (2011), ta–fd (2012), fc–te and fd–te (2013): see tests/test_evolution.py
    assert arc["weight"] == 4.0
    assert arc["view"]["yc"] == [[2011, 1], [2012, 2], [2013, 4]]
    # France: fc, fd, ff and the CMI's manager (data/cmi.ttl), who has no tie.
    assert D.nodes["country:TN"]["members"] == 3 and D.nodes["country:FR"]["members"] == 4
    assert D.nodes["country:FR"]["view"] == {"y0": 2011}
    assert D.graph["geo"] == {"actors": 7, "actors_total": 7}
    assert geo_graph(people, max_actors=2).graph["geo"] == {"actors": 2, "actors_total": 7}


def test_positions_place_countries_on_the_map_and_actors_around_them(people: nx.Graph) -> None:
    D = geo_graph(people)
    pos = geo_positions(D)
    tunis, paris = pos["country:TN"], pos["country:FR"]
    assert tunis[1] > paris[1]  # Tunisia is south of France (y grows downwards)
    for node, data in D.nodes(data=True):
        if data["kind"] == "person":
            home = pos[f"country:{data['country']}"]
            distance = ((pos[node][0] - home[0]) ** 2 + (pos[node][1] - home[1]) ** 2) ** 0.5
            assert 15 < distance < 60, node
    assert geo_positions(D) == pos  # deterministic


def test_country_names_follow_the_platform() -> None:
    G = nx.Graph(labels={"country:PS": {"en": "Palestinian Authority",
                                        "fr": "Autorité palestinienne",
                                        "ar": "السلطة الفلسطينية"}})
    assert country_label(G, "PS", "en") == "Palestinian Authority"
    assert country_label(G, "PS", "ar") == "السلطة الفلسطينية"
    assert country_label(G, "MA", "fr") == "Maroc"


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_geo_page_is_offline_and_in_the_language(people: nx.Graph, lang: str) -> None:
    page = geo_map_html(people, title="Carte <b>", language=lang)
    assert not URL.search(page)
    direction = "rtl" if lang == "ar" else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert "Carte &lt;b&gt;" in page
    view = geo_view(people, title="T", language=lang)
    assert view["years"] == [2011, 2012, 2013]
    assert len(view["basemap"]["rings"]) > 100
    names = {n["l"] for n in view["nodes"] if "home" not in n["v"]}
    assert names == {"en": {"France", "Tunisia"}, "fr": {"France", "Tunisie"},
                     "ar": {"فرنسا", "تونس"}}[lang]


def test_with_years_marks_each_link_with_its_first_year(people: nx.Graph) -> None:
    view = with_years(map_view(people, title="T", links="all"))
    assert view["years"] == [2011, 2012, 2013]
    assert sorted(e["v"]["y0"] for e in view["edges"]) == [2011, 2011, 2012, 2012, 2013, 2013,
                                                          2013]


@pytest.mark.parametrize(("fmt", "lang"), [("png", "en"), ("png", "ar"), ("pdf", "fr")])
def test_geo_pictures(people: nx.Graph, tmp_path: Path, fmt: str, lang: str) -> None:
    out = save_geo_image(people, tmp_path / f"geo.{fmt}", title="Map", language=lang,
                         year=2012)
    if fmt == "png":
        assert Image.open(out).size == (1920, 1080)
    else:
        assert out.read_bytes().startswith(b"%PDF")


# ----------------------------------------------------------------------------- in Chromium
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), timeout=30_000,
            args=["--no-sandbox", "--headless", "--disable-gpu",
                  "--disable-background-networking"])
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser: Any, path: Path) -> tuple[Any, dict[str, list[str]]]:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(15_000)
    seen: dict[str, list[str]] = {"errors": [], "requests": []}
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("window.copkgFirstDraw !== undefined")
    page.wait_for_selector("#copkg-year-status")
    return page, seen


def _wait_for_year(page: Any, year: str, seconds: float = 10.0) -> None:
    # The page's CSP forbids eval, so poll from Python rather than with wait_for_function.
    import time

    end = time.monotonic() + seconds
    while _drawn(page)["status"]["year"] != year:
        assert time.monotonic() < end, f"the slider never reached {year}"
        page.wait_for_timeout(100)


def _drawn(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => ({
        edges: window.copkgEdges.get().filter(e => !e.hidden).map(e => e.id).sort(),
        nodes: window.copkgNodes.get().filter(n => !n.hidden).length,
        status: document.getElementById('copkg-year-status').dataset })""")


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_slider_changes_the_drawn_ties_and_nothing_is_fetched(
    browser: Any, people: nx.Graph, tmp_path: Path, lang: str
) -> None:
    path = tmp_path / f"years-{lang}.html"
    view = with_years(map_view(people, title="Years", links="all"))
    from graph.maps.geo import geo_page

    path.write_text(geo_page([view], title="Years", language=lang), encoding="utf-8")
    page, seen = _open(browser, path)
    try:
        last = _drawn(page)
        assert len(last["edges"]) == 7 and last["status"]["year"] == "2013"
        page.fill("#copkg-year", "2011")  # the slider, as a person drags it
        page.dispatch_event("#copkg-year", "input")
        first = _drawn(page)
        # ta, tb, fc, tied in 2011 (ff and the CMI's manager have no tie: not drawn)
        assert len(first["edges"]) == 2 and first["nodes"] == 3
        assert first["status"]["fresh"] == "2"
        page.fill("#copkg-year", "2012")
        page.dispatch_event("#copkg-year", "input")
        assert len(_drawn(page)["edges"]) == 4
        page.click("#copkg-play")  # from 2012 on to the last year
        _wait_for_year(page, "2013")
        assert len(_drawn(page)["edges"]) == 7
        assert seen["errors"] == []
        assert [u for u in seen["requests"] if not u.startswith("file:")] == []
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_geographic_map_draws_offline(browser: Any, lang: str, tmp_path: Path) -> None:
    from graph.ingest import bundled_graph

    kg = bundled_graph()
    G = build_projection(kg, "people")
    path = tmp_path / f"geo-{lang}.html"
    title = {"en": "Who works with whom, and where", "ar": "من يعمل مع من، وأين"}[lang]
    path.write_text(geo_map_html(G, title=title, language=lang), encoding="utf-8")
    page, seen = _open(browser, path)
    try:
        # The basemap is drawn under the network: the canvas is not blank sea and land only.
        assert page.evaluate("window.copkgNetwork.getScale()") > 0
        colours = page.evaluate("""() => {
            const c = document.querySelector('#copkg-map canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length; i += 4 * 997)
                seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
            return [...seen]; }""")
        assert "220,235,245" in colours and "246,243,236" in colours  # sea and land
        page.fill("#copkg-year", "2010")
        page.dispatch_event("#copkg-year", "input")
        early = _drawn(page)
        page.fill("#copkg-year", "2026")
        page.dispatch_event("#copkg-year", "input")
        assert len(_drawn(page)["edges"]) > len(early["edges"])
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"geo-{lang}.png"))
        assert seen["errors"] == []
        assert [u for u in seen["requests"] if not u.startswith("file:")] == []
    finally:
        page.close()
