"""The Mediterranean map: vendored basemap, geographic layout, arcs with years, offline pages
and pictures; in Chromium, the year slider changes the drawn ties and nothing is fetched."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from PIL import Image

from graph import KnowledgeGraph
from graph.ingest import import_paths
from graph.maps.basemap import prepare
from graph.maps.credits import count_note, year_note
from graph.maps.geo import (
    basemap,
    country_label,
    drawn_counts,
    drawn_note,
    geo_graph,
    geo_map_html,
    geo_positions,
    geo_scripts,
    geo_view,
    with_years,
)
from graph.maps.geo_image import save_geo_image
from graph.maps.html import map_view, render_page
from graph.maps.years import drawn_at, links_at
from graph.network import Filters, build_projection

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "evolution"
BASEMAP = ROOT / "graph" / "maps" / "basemap"
SHOTS = Path(__file__).parent / "screenshots" / "geo"
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
    # A country's place on a map of people is a marker, not an actor (never counted as one).
    assert D.nodes["country:FR"]["view"] == {"y0": 2011, "marker": "FR"}
    assert D.graph["geo"] == {"actors": 7, "actors_total": 7, "kind": "person"}
    assert geo_graph(people, max_actors=2).graph["geo"] == {"actors": 2, "actors_total": 7,
                                                            "kind": "person"}


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


@pytest.fixture(scope="module")
def bundled_people() -> nx.Graph:
    from graph.ingest import bundled_graph

    return build_projection(bundled_graph(), "people")


def test_crowded_neighbours_are_spread_apart(bundled_people: nx.Graph) -> None:
    view = geo_view(bundled_people, title="T")
    nodes = view["nodes"]
    # No two discs drawn overlap: actors of one country, nor groups of neighbours.
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            gap = ((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5 - a["s"] - b["s"]
            assert gap >= 2.0, (a["l"], b["l"], gap)
    # The Levant's groups (Lebanon, Palestinian Authority, Jordan) stay apart from each other,
    # and each near its country (within three degrees), joined to it by a line when moved off.
    home = {n["i"]: n["view"].get("home") for n in nodes}
    where = {n["id"]: (n["x"], n["y"]) for n in nodes if n["view"].get("home") is None}
    levant = ("country:LB", "country:PS", "country:JO")
    groups = {c: [n for n in nodes if home[n["i"]] == c] for c in levant}
    assert all(len(g) >= 20 for g in groups.values())
    for c in levant:
        for d in levant:
            if c < d:
                closest = min(((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5
                              - a["s"] - b["s"] for a in groups[c] for b in groups[d])
                assert closest >= 12, (c, d, closest)
    anchors = basemap()["countries"]
    for c in levant:
        ax, ay = (v * 40 for v in anchors[c[-2:]]["anchor"])
        x, y = where[c[-2:]]
        assert ((x - ax) ** 2 + (y - ay) ** 2) ** 0.5 < 3 * 40, c
    leaders = view["view"]["leaders"]
    for x0, y0, x1, y1 in leaders:  # from a true place to a country moved off it
        assert (x1, y1) in where.values() and (x0, y0) != (x1, y1)
    moved = {c for c in levant
             if ((where[c[-2:]][0] - anchors[c[-2:]]["anchor"][0] * 40) ** 2
                 + (where[c[-2:]][1] - anchors[c[-2:]]["anchor"][1] * 40) ** 2) ** 0.5 > 1}
    assert moved  # the Levant was crowded: something had to move


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
    assert view["view"]["years"] == [2011, 2012, 2013]
    assert len(view["view"]["basemap"]["rings"]) > 100
    names = {n["l"] for n in view["nodes"] if "home" not in n["view"]}
    assert names == {"en": {"France", "Tunisia"}, "fr": {"France", "Tunisie"},
                     "ar": {"فرنسا", "تونس"}}[lang]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_page_opened_on_a_year_counts_that_year_in_its_title_block(
        people: nx.Graph, lang: str) -> None:
    """`copkg map --layout geo --year Y` said "68 nodes, 77 links" for Y while the page's title
    block said every year's "73 nodes, 78 links"."""
    for year in (2011, 2012, None):
        view = geo_view(people, title="T", language=lang, year=year)
        said = drawn_note(view, lang)
        assert view["notes"][0] == said
        assert view["view"]["count_notes"][str(year or view["view"]["years"][-1])] == said
    early, late = (geo_view(people, title="T", year=y) for y in (2011, 2013))
    assert drawn_counts(early) != drawn_counts(late)
    assert early["notes"][0] != late["notes"][0]


def _page_view(path: Path) -> dict[str, Any]:
    page = path.read_text(encoding="utf-8")
    data = re.search(r'<script[^>]*id="copkg-data"[^>]*>(.*?)</script>', page, re.S)
    assert data is not None
    return json.loads(data.group(1))["views"][0]


def _legend(view: dict[str, Any]) -> dict[str, int]:
    return {e["label"]: e["count"] for e in view["legend"]}


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "60 organisations in 13 countries, 78 links"),
    ("fr", "60 organisations dans 13 pays, 78 liens"),
    ("ar", "60 منظمة في 13 بلدًا، 78 رابطًا")])
def test_geo_map_counts_its_actors_not_the_country_markers(
        bundled_store_dir: Path, tmp_path: Path, capsys: Any, lang: str, said: str) -> None:
    """QA: `copkg map --projection organizations --layout geo --year 2015` said "73 nodes"
    for 60 organisations (the 13 country markers counted) and its legend "Belgium (2)" for
    the EEAS alone (the marker counted as a member of its country)."""
    from graph.cli import main
    from graph.network import active_years

    kg = KnowledgeGraph.open(bundled_store_dir, read_only=True)
    try:
        G = build_projection(kg, "organizations")
    finally:
        kg.close()
    by_2015 = [n for n, years in active_years(G).items() if years[0] <= 2015]
    countries = {G.nodes[n]["country"] for n in by_2015}
    assert (len(by_2015), len(countries)) == (60, 13)
    belgian = [n for n in by_2015 if G.nodes[n]["country"] == "BE"]
    assert len(belgian) == 1 and belgian[0].endswith("/eeas")
    out = tmp_path / "med.html"
    code = main(["--lang", lang, "map", "--store", str(bundled_store_dir), "--projection",
                 "organizations", "--layout", "geo", "--year", "2015", "--language", lang,
                 "--out", str(out)])
    assert code == 0
    assert capsys.readouterr().out.strip() == f"{out} ({said})"
    view = _page_view(out)
    assert view["notes"][0] == said  # the title block's counts line, as the command says
    legend = _legend(view)
    assert sum(legend.values()) == 60
    assert legend[country_label(G, "BE", lang)] == 1


def test_people_geo_map_counts_the_people_it_draws(bundled_kg: KnowledgeGraph) -> None:
    """QA: "313 nodes" next to "300 of 351 actors"; and the urban transport map's legend
    added up to more than its title said (it counted people active in no dated year, never
    drawn while a year is shown)."""
    view = geo_view(build_projection(bundled_kg, "people"), title="T")
    assert view["notes"][0] == "300 people in 13 countries, 78 links"
    assert "300 of 351 actors drawn around their country (the most connected first)" in \
        view["notes"]
    assert sum(_legend(view).values()) == 300
    transport = build_projection(bundled_kg, "people",
                                 Filters(communities=("urban-transport",)))
    view = geo_view(transport, title="T", language="fr")
    idle = [n for n in view["nodes"] if n["view"].get("idle")]
    drawn = drawn_counts(view)
    assert idle and drawn.nodes == len(view["nodes"]) - len(idle) - 13 and drawn.countries == 13
    assert view["notes"][0].startswith(f"{drawn.nodes} personnes dans 13 pays, ")
    assert sum(_legend(view).values()) == drawn.nodes


def test_every_year_of_the_slider_counts_its_actors_in_the_legend(people: nx.Graph) -> None:
    """The legend follows the slider as the counts line does: at each year it counts the
    actors drawn then (an entry with none drawn is hidden), never a country's marker."""
    view = geo_view(people, title="T")
    extra = view["view"]
    for year in extra["years"]:
        drawn = drawn_at(view["nodes"], view["edges"], year)
        assert sum(extra["legend_counts"][str(year)]) == drawn.nodes
        assert extra["count_notes"][str(year)] == count_note(
            drawn.nodes, drawn.links, countries=drawn.countries, kind="person")
    # 2011: ta, tb (Tunisia), fc, ff (France); 2013: all 7 but the CMI's manager (idle).
    assert extra["count_notes"]["2011"] == "4 people in 2 countries, 1 link"
    assert extra["count_notes"]["2013"] == "6 people in 2 countries, 1 link"
    labels = [e["label"] for e in view["legend"]]
    assert dict(zip(labels, extra["legend_counts"]["2011"], strict=True)) == {
        "France": 2, "Tunisia": 2}
    # The slider's status, in the plural forms too ("1 links" before).
    assert extra["year_notes"]["2011"] == (
        "Up to 2011: 1 link; 1 gained ties this year (orange: the share of new ties)")
    still = geo_view(people, title="T", year=2012, still=True)  # a picture: no slider
    assert still["notes"][1] == drawn_note(still) == "5 people in 2 countries, 1 link"
    assert still["notes"][0] == extra["year_notes"]["2012"] == year_note(2012, 1, 1)
    assert sum(_legend(still).values()) == 5


def test_with_years_marks_each_link_with_its_first_year(people: nx.Graph) -> None:
    view = map_view(with_years(people), title="T", links="all").data
    assert view["view"]["years"] == [2011, 2012, 2013]
    assert sorted(e["view"]["y0"] for e in view["edges"]) == [2011, 2011, 2012, 2012, 2013,
                                                             2013, 2013]
    assert "view" not in people.graph  # the shared projection is left as it was


@pytest.mark.parametrize(("fmt", "lang"), [("png", "en"), ("png", "ar"), ("pdf", "fr")])
def test_geo_pictures(people: nx.Graph, tmp_path: Path, fmt: str, lang: str,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.maps import image
    from graph.maps.labels import overlapping_pairs

    drawn: list[dict[str, Any]] = []
    draw = image._draw

    def spy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        drawn.append(draw(*args, **kwargs))
        return drawn[-1]

    monkeypatch.setattr(image, "_draw", spy)
    out = save_geo_image(people, tmp_path / f"geo.{fmt}", title="Map", language=lang,
                         year=2012)
    # Drawn by the maps' one renderer (title block, legend, label rule), with no overlap.
    (what,) = drawn
    assert what["labels"] and overlapping_pairs(list(what["labels"].values())) == 0
    if fmt != "png":
        assert out.read_bytes().startswith(b"%PDF")
        return
    picture = Image.open(out).convert("RGB")
    assert picture.size == (1920, 1080)
    frame, column = what["frame"], what["column"]
    assert (column.l > frame.r) if lang == "ar" else (column.r < frame.l)
    colours = {picture.getpixel((x, y)) for x in range(int(frame.l) + 2, int(frame.r) - 2, 7)
               for y in range(int(frame.t) + 2, int(frame.b) - 2, 7)}
    assert (220, 235, 245) in colours and (246, 243, 236) in colours  # sea and land
    # 2012 gave France–Tunisia new ties: its arc is orange.
    assert any(r > 190 and 70 < g < 130 and b < 60 for r, g, b in colours)
    # The basemap stays inside the map's frame: none of it under the title block.
    side = {picture.getpixel((x, y)) for x in range(int(column.l), int(column.r), 5)
            for y in range(int(column.b) + 10, 1070, 5)}
    assert side == {(255, 255, 255)}


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_country_is_named_on_the_countries_map(tmp_path: Path, lang: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.ingest import bundled_graph
    from graph.maps import image

    G = build_projection(bundled_graph(), "countries")
    drawn: list[dict[str, Any]] = []
    draw = image._draw
    monkeypatch.setattr(image, "_draw", lambda *a, **k: drawn.append(draw(*a, **k)) or drawn[-1])
    save_geo_image(G, tmp_path / "countries.png", title="T", language=lang)
    # The Levant's three members (Lebanon, Palestinian Authority, Jordan) stand close: their
    # discs are moved apart enough for every country's name to fit.
    assert len(drawn[0]["labels"]) == G.number_of_nodes() == 13


@pytest.fixture(scope="module")
def bundled_networks(bundled_kg: KnowledgeGraph) -> dict[str, nx.Graph]:
    return {name: build_projection(bundled_kg, name) for name in ("organizations", "people")}


def _markers(view: dict[str, Any]) -> list[int]:
    return [n["i"] for n in view["nodes"] if "marker" in (n.get("view") or {})]


@pytest.mark.parametrize(("name", "lang"), [("organizations", "en"), ("organizations", "ar"),
                                            ("people", "en"), ("people", "ar")])
def test_country_names_sit_outside_their_actors_in_pictures(
        bundled_networks: dict[str, nx.Graph], tmp_path: Path, name: str, lang: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """QA (med-en.png, med-fr.png): "Tunisia", "Egypt", "Morocco" were written under their
    own organisations' discs and "Palestinian Authority" across the Palestinian and
    Jordanian ones. Every country is named, and no country's name covers a node."""
    from graph.maps import image
    from graph.maps.geo_image import save_geo_view

    drawn: list[dict[str, Any]] = []
    draw = image._draw
    monkeypatch.setattr(image, "_draw", lambda *a, **k: drawn.append(draw(*a, **k)) or drawn[-1])
    view = geo_view(bundled_networks[name], title="T", language=lang, still=True)
    save_geo_view(view, tmp_path / "map.png", language=lang)
    labels, discs = drawn[0]["labels"], drawn[0]["discs"]
    markers = _markers(view)
    assert len(markers) == 13 and all(i in labels for i in markers)
    covering = {view["nodes"][i]["l"]: [view["nodes"][j]["l"] for j, disc in enumerate(discs)
                                        if j != i and disc.overlaps(labels[i])]
                for i in markers}
    assert {country: nodes for country, nodes in covering.items() if nodes} == {}


# ----------------------------------------------------------------------------- in Chromium
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
    view = map_view(with_years(people), title="Years", language=lang, links="all").data
    path.write_text(render_page([view], title="Years", language=lang, extra_js=geo_scripts()),
                    encoding="utf-8")
    page, seen = _open(browser, path)
    try:
        last = _drawn(page)
        assert len(last["edges"]) == 7 and last["status"]["year"] == "2013"
        assert page.text_content("#copkg-counts") == count_note(last["nodes"], 7, lang)
        page.fill("#copkg-year", "2011")  # the slider, as a person drags it
        page.dispatch_event("#copkg-year", "input")
        first = _drawn(page)
        # ta, tb, fc, tied in 2011 (ff and the CMI's manager have no tie: not drawn)
        assert len(first["edges"]) == 2 and first["nodes"] == 3
        assert first["status"]["fresh"] == "2"
        # The title block's counts line follows the slider (it said every year's counts).
        assert page.text_content("#copkg-counts") == count_note(3, 2, lang)
        # The slider's status is the catalogue's, plural forms included, on the page's count.
        assert page.text_content("#copkg-year-status") == year_note(
            2011, *links_at(view["edges"], 2011), lang) == year_note(2011, 2, 2, lang)
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
        # No blank frame beyond the outlines, wherever the fit puts them (QA: white space).
        assert "255,255,255" not in _frame_colours(page)
        placed = page.evaluate("""() => {
            const net = window.copkgNetwork, frame = document.getElementById('copkg-map')
                .getBoundingClientRect();
            const view = JSON.parse(document.getElementById('copkg-data').textContent).views[0];
            const [x0, y0, x1, y1] = view.view.basemap.outside;
            const a = net.canvasToDOM({x: x0, y: y0}), b = net.canvasToDOM({x: x1, y: y1});
            const pos = net.getPositions(), s = net.getScale();
            const discs = view.nodes.map(n => { const d = net.canvasToDOM(pos[n.i]);
                return {l: d.x - n.s * s, t: d.y - n.s * s, r: d.x + n.s * s, b: d.y + n.s * s}; });
            const panels = ['copkg-title', 'copkg-legend', 'copkg-tools'].map(id => {
                const r = document.getElementById(id).getBoundingClientRect();
                return {id, l: r.left, t: r.top, r: r.right, b: r.bottom}; });
            const legend = document.getElementById('copkg-legend');
            const c = window.copkgView().view.clear[0];
            const ca = net.canvasToDOM({x: c[0], y: c[1]});
            const cb = net.canvasToDOM({x: c[2], y: c[3]});
            return {W: frame.width, H: frame.height, outside: {l: a.x, t: a.y, r: b.x, b: b.y},
                    caption: {l: ca.x, t: ca.y, r: cb.x, b: cb.y},
                    discs, panels, labels: window.copkgLabelBoxes(),
                    legend: [legend.scrollHeight, legend.clientHeight,
                             legend.getBoundingClientRect().bottom]}; }""")

        def clear(box: dict[str, float], pad: float = 0) -> bool:
            return all(box["r"] <= q["l"] - pad or box["l"] >= q["r"] + pad
                       or box["b"] <= q["t"] - pad or box["t"] >= q["b"] + pad
                       for q in placed["panels"])

        # Fitted to the frame in both directions, leaving the panels' space: the "Outside the
        # map" box (the United States) and every node inside the frame, under no panel.
        out = placed["outside"]
        assert out["l"] >= 0 and out["r"] <= placed["W"] and out["t"] >= 0, out
        assert clear(out)
        for disc in placed["discs"]:
            assert disc["l"] >= 0 and disc["r"] <= placed["W"] and disc["b"] <= placed["H"]
            assert clear(disc), disc
        boxes = placed["labels"]
        assert len(boxes) >= 20
        caption = placed["caption"]  # "Outside the map": no name over it
        assert clear(caption) and caption["r"] - caption["l"] > 50
        assert not [b["text"] for b in boxes if b["l"] < caption["r"] and b["r"] > caption["l"]
                    and b["t"] < caption["b"] and b["b"] > caption["t"]]
        assert not [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                    if a["l"] < b["r"] and a["r"] > b["l"] and a["t"] < b["b"] and a["b"] > b["t"]]
        scroll, height, bottom = placed["legend"]
        assert scroll <= height + 1 and bottom <= 1080  # the legend fits, nothing cut
        # Every country is named, and no country's name covers a node (QA: "Palestinian
        # Authority" across the Palestinian and Jordanian discs, names under their own
        # people's discs).
        view = json.loads(page.text_content("#copkg-data"))["views"][0]
        markers = _markers(view)
        named = {b["id"]: b for b in boxes}
        assert len(markers) == 13 and all(i in named for i in markers)
        assert not [(named[i]["text"], j) for i in markers for j, disc in
                    enumerate(placed["discs"]) if j != i and disc["l"] < named[i]["r"]
                    and disc["r"] > named[i]["l"] and disc["t"] < named[i]["b"]
                    and disc["b"] > named[i]["t"]]
        page.fill("#copkg-year", "2010")
        page.dispatch_event("#copkg-year", "input")
        early = _drawn(page)
        # The legend follows the slider: its visible entries count the actors drawn in 2010
        # (never the country markers), as the title block's counts line does.
        counted = page.evaluate("""() => {
            const view = window.copkgView();
            const hidden = new Set(window.copkgNodes.get().filter(n => n.hidden).map(n => n.id));
            const actors = view.nodes.filter(n => !hidden.has(n.i)
                && !(n.view && 'marker' in n.view)).length;
            const legend = [...document.querySelectorAll('#copkg-legend li')]
                .filter(li => !li.hidden && getComputedStyle(li).display !== 'none')
                .map(li => Number(li.querySelector('.copkg-count').textContent
                    .replace(/[()]/g, '')));
            return {actors, legend, all: document.querySelectorAll('#copkg-legend li').length,
                    line: document.getElementById('copkg-counts').textContent,
                    want: view.view.count_notes['2010']}; }""")
        assert 0 < counted["actors"] == sum(counted["legend"])
        assert counted["line"] == counted["want"]
        page.fill("#copkg-year", "2026")
        page.dispatch_event("#copkg-year", "input")
        assert len(_drawn(page)["edges"]) > len(early["edges"])
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"geo-{lang}.png"))
        assert seen["errors"] == []
        assert [u for u in seen["requests"] if not u.startswith("file:")] == []
    finally:
        page.close()


def _frame_colours(page: Any) -> set[str]:
    """Colours along the edges of the map's canvas (corners and midpoints)."""
    return set(page.evaluate("""() => {
        const c = document.querySelector('#copkg-map canvas'), g = c.getContext('2d');
        const out = [];
        for (const fx of [0.01, 0.5, 0.99]) for (const fy of [0.01, 0.5, 0.99]) {
            const d = g.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1)
                .data;
            out.push(d[0] + ',' + d[1] + ',' + d[2]); }
        return out; }"""))


@pytest.mark.browser
def test_a_story_step_in_the_present_frame_keeps_the_map_clear(
    browser: Any, bundled_kg: KnowledgeGraph, tmp_path: Path
) -> None:
    """The Present page's frame (1435×800, presentation mode, French): step 5 of the growth
    story draws every node inside the frame and under no panel (title, legend, tools with the
    year slider, step buttons), and no blank space around the map."""
    from graph.maps import load_story, story_graphs, story_html

    story = load_story(ROOT / "stories" / "urban-transport-growth.json")
    path = tmp_path / "present-fr-5.html"
    path.write_text(story_html(story, story_graphs(story, bundled_kg), "fr", start=4),
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": 1435, "height": 800})
    page.set_default_timeout(15_000)
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.copkgFirstDraw !== undefined")
        page.wait_for_selector("#copkg-year-status")
        placed = page.evaluate("""() => {
            const net = window.copkgNetwork, view = window.copkgView();
            const frame = document.getElementById('copkg-map').getBoundingClientRect();
            const pos = net.getPositions(), s = net.getScale();
            const shown = new Set(window.copkgNodes.get().filter(n => !n.hidden).map(n => n.id));
            const discs = view.nodes.filter(n => shown.has(n.i)).map(n => {
                const d = net.canvasToDOM(pos[n.i]);
                return {l: d.x - n.s * s, t: d.y - n.s * s, r: d.x + n.s * s,
                        b: d.y + n.s * s}; });
            const panels = ['copkg-title', 'copkg-legend', 'copkg-tools', 'copkg-story']
                .map(id => document.getElementById(id)).filter(b => b && b.offsetWidth)
                .map(b => { const r = b.getBoundingClientRect();
                    return {id: b.id, l: r.left, t: r.top, r: r.right, b: r.bottom}; });
            return {W: frame.width, H: frame.height, discs, panels,
                    title: view.title}; }""")
        assert placed["title"] == "Personnes · 2024–2026"
        assert len(placed["discs"]) > 100 and {p["id"] for p in placed["panels"]} >= {
            "copkg-tools", "copkg-story"}
        under = [(d, q["id"]) for d in placed["discs"] for q in placed["panels"]
                 if d["l"] < q["r"] and d["r"] > q["l"] and d["t"] < q["b"] and d["b"] > q["t"]]
        assert under == []
        assert all(d["l"] >= 0 and d["t"] >= 0 and d["r"] <= placed["W"]
                   and d["b"] <= placed["H"] for d in placed["discs"])
        assert "255,255,255" not in _frame_colours(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "present-fr-5.png"))
    finally:
        page.close()
