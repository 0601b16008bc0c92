"""The offline maps as a person sees them, in Debian's Chromium (no internet, hostile names)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from browser import ROOT
from map_graphs import HOSTILE, ID, demo_graph

from graph.maps import load_story, map_html, story_html

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots" / "maps"


def _open(browser: Any, path: Path) -> tuple[Any, dict[str, list[str]]]:
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.set_default_timeout(15_000)
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "requests": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("window.copkgFirstDraw !== undefined")
    return page, seen


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_hostile_names_stay_text(browser: Any, tmp_path: Path, lang: str) -> None:
    G = demo_graph()
    path = tmp_path / f"map-{lang}.html"
    path.write_text(map_html(G, title=HOSTILE[1], language=lang, source_note=HOSTILE[0]),
                    encoding="utf-8")
    page, seen = _open(browser, path)
    try:
        assert page.evaluate("window.copkgNodes.length") == G.number_of_nodes()
        assert page.evaluate("window.copkgEdges.length") == G.number_of_edges()
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        # Select the hostile node (id 0 = p0000) by clicking it on the canvas.
        point = page.evaluate("""() => {
            const net = window.copkgNetwork; const p = net.getPosition(0);
            return net.canvasToDOM(p); }""")
        box = page.locator("#copkg-map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_selector("#copkg-panel:not([hidden])")
        panel = page.inner_text("#copkg-panel h2")
        if panel != HOSTILE[0]:  # another node under the pointer: select through the API
            page.evaluate("window.copkgShowNode(0)")
        assert page.inner_text("#copkg-panel h2") == HOSTILE[0]
        assert HOSTILE[0] in page.inner_text("#copkg-panel")  # evidence, as text
        assert page.inner_text("#copkg-title h1") == HOSTILE[1]
        assert page.locator("#copkg-panel img, #copkg-title img, #copkg-title script").count() == 0
        # Search finds a name typed with no accents.
        page.fill("#copkg-search", "elodie benard")
        assert page.inner_text("#copkg-results") == HOSTILE[3]
        if lang == "ar":
            page.fill("#copkg-search", "خبير 7")
            page.keyboard.press("Enter")
            assert page.inner_text("#copkg-panel h2") == "خبير 7"
            panel_box = page.locator("#copkg-panel").bounding_box()
            assert panel_box["x"] < 800  # mirrored: details on the left in Arabic
        page.click("#copkg-presentation")
        assert page.evaluate("document.body.classList.contains('copkg-presentation')")
        page.click("#copkg-physics")
        assert page.evaluate("window.copkgNetwork.physics.options.enabled") is True
        page.click("#copkg-physics")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"hostile-{lang}.png"))
        assert seen["dialogs"] == [] and seen["errors"] == []
        assert page.evaluate("window.__xss") is None
        assert all(url.startswith("file:") for url in seen["requests"]), seen["requests"]
    finally:
        page.close()


def test_story_steps_with_buttons_and_keys(browser: Any, tmp_path: Path) -> None:
    story = load_story(ROOT / "stories" / "cmi-overview.json")
    G = demo_graph()
    ego = nx.ego_graph(G, f"{ID}person/p0001")
    small = G.subgraph(sorted(G)[:15]).copy()
    path = tmp_path / "story.html"
    path.write_text(story_html(story, [G, small, G, ego], "ar"), encoding="utf-8")
    page, seen = _open(browser, path)
    try:
        def step() -> tuple[str, int]:
            return page.inner_text("#copkg-step"), page.evaluate("window.copkgNodes.length")

        assert step() == ("الخطوة 1 من 4", G.number_of_nodes())
        page.click("#copkg-next")
        assert step() == ("الخطوة 2 من 4", 15)
        page.keyboard.press("ArrowLeft")  # forward in a right-to-left page
        assert step()[0] == "الخطوة 3 من 4"
        page.keyboard.press("PageDown")
        assert step() == ("الخطوة 4 من 4", ego.number_of_nodes())
        # The focus is named and ringed; its details open on a click only, and then neither
        # cover it nor the controls.
        focus_name = G.nodes[f"{ID}person/p0001"]["labels"]["ar"]
        assert page.is_hidden("#copkg-panel")
        assert focus_name in [b["text"] for b in page.evaluate("window.copkgLabelBoxes()")]
        focus = page.evaluate("window.copkgFocus()")
        page.evaluate(f"window.copkgShowNode({focus})")
        assert page.inner_text("#copkg-panel h2") == focus_name
        panel = page.locator("#copkg-panel").bounding_box()
        for control in ("#copkg-tools", "#copkg-story"):
            other = page.locator(control).bounding_box()
            assert not _boxes_meet(panel, other), control
        spot = page.evaluate(f"""() => {{ const net = window.copkgNetwork;
            return net.canvasToDOM(net.getPosition({focus})); }}""")
        assert not (panel["x"] <= spot["x"] <= panel["x"] + panel["width"]
                    and panel["y"] <= spot["y"] <= panel["y"] + panel["height"])
        assert page.is_disabled("#copkg-next")
        page.keyboard.press("ArrowRight")
        assert step()[0] == "الخطوة 3 من 4"
        caption = json.loads(json.dumps(story.steps[2].caption))["ar"]
        assert page.inner_text("#copkg-title .copkg-caption") == caption
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "story-ar.png"))
        assert seen["dialogs"] == [] and seen["errors"] == []
    finally:
        page.close()


_LABELLED = "window.copkgLabelBoxes().length"
_OVERLAPS = """() => { const b = window.copkgLabelBoxes(); let n = 0;
  for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++)
    if (b[i].l < b[j].r && b[i].r > b[j].l && b[i].t < b[j].b && b[i].b > b[j].t) n++;
  return n; }"""


def _boxes_meet(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_big_map_labels_few_names_and_keeps_panels_off_the_drawing(
        browser: Any, tmp_path: Path, lang: str) -> None:
    G = nx.gnm_random_graph(300, 3000, seed=5)
    for node in G:
        G.nodes[node]["label"] = f"Person {node}"
    G.add_nodes_from(range(300, 330))  # isolates, on a ring
    for node in range(300, 330):
        G.nodes[node]["label"] = f"Alone {node}"
    path = tmp_path / f"big-{lang}.html"
    path.write_text(map_html(G, title="Big", language=lang, min_weight=1), encoding="utf-8")
    page, seen = _open(browser, path)
    try:
        page.wait_for_timeout(300)
        shown = page.evaluate(_LABELLED)
        assert shown >= 10, shown
        assert page.evaluate(_OVERLAPS) == 0  # as many names as fit, none on another
        labels = page.evaluate("window.copkgLabelBoxes()")
        assert min(b["px"] for b in labels) >= 16  # 1.05vw of 1600 px, at least
        frame = page.locator("#copkg-map").bounding_box()
        panels = [page.locator(s).bounding_box()
                  for s in ("#copkg-title", "#copkg-legend", "#copkg-tools")]
        for b in labels:  # inside the map, clear of the panels
            assert b["l"] >= 0 and b["t"] >= 0 and b["r"] <= frame["width"]
            box = {"x": b["l"], "y": b["t"], "width": b["r"] - b["l"], "height": b["b"] - b["t"]}
            assert not any(_boxes_meet(box, p) for p in panels), b["text"]
        # Panels do not cover the drawing: no node centre lies under the title or legend box.
        covered = page.evaluate("""() => {
          const net = window.copkgNetwork, pos = net.getPositions();
          const boxes = ['copkg-title', 'copkg-legend', 'copkg-tools']
            .map(id => document.getElementById(id).getBoundingClientRect());
          return Object.keys(pos).filter(id => {
            const p = net.canvasToDOM(pos[id]);
            return boxes.some(b => p.x > b.left && p.x < b.right && p.y > b.top && p.y < b.bottom);
          }).length;
        }""")
        assert covered == 0
        # Hovering a node shows its name; zooming in shows more names.
        page.mouse.move(800, 500)
        page.mouse.wheel(0, -600)
        page.wait_for_timeout(600)
        assert page.evaluate(_LABELLED) > shown
        assert page.evaluate(_OVERLAPS) == 0
        # The legend folds into a strip and opens again.
        page.click("#copkg-legend-toggle")
        assert page.locator("#copkg-legend .copkg-strip .copkg-swatch").count() >= 1
        assert page.locator("#copkg-legend li").count() == 0
        page.click("#copkg-legend-toggle")
        assert page.locator("#copkg-legend li").count() >= 1
        page.click("#copkg-title-toggle")
        assert page.locator("#copkg-title p").count() == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"big-{lang}.png"))
        assert seen["errors"] == [] and seen["dialogs"] == []
        assert all(url.startswith("file:") for url in seen["requests"])
    finally:
        page.close()


def test_ego_map_draws_the_focus_ties_with_the_focus_in_the_middle(
        browser: Any, tmp_path: Path) -> None:
    G = nx.gnm_random_graph(120, 1500, seed=3)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = float(1 + (u * v) % 5)
    for node in G:
        G.nodes[node]["label"] = f"Person {node}"
    focus = max(G, key=G.degree)
    path = tmp_path / "ego.html"
    path.write_text(map_html(G, title="Ego", focus=focus), encoding="utf-8")
    page, seen = _open(browser, path)
    try:
        shown = page.evaluate("""() => { const v = window.copkgFocus(); const out = [];
          window.copkgEdges.forEach(e => { if (e.from === v || e.to === v) out.push(e.id); });
          return out.length; }""")
        assert shown == min(40, G.degree(focus))  # every kept tie of the focus is drawn
        spread = page.evaluate("""() => { const net = window.copkgNetwork, pos = net.getPositions();
          const xs = [], ys = []; Object.keys(pos).forEach(id => {
            const d = net.canvasToDOM(pos[id]); xs.push(d.x); ys.push(d.y); });
          const f = net.canvasToDOM(pos[window.copkgFocus()]);
          return { dx: f.x - (Math.min(...xs) + Math.max(...xs)) / 2,
                   dy: f.y - (Math.min(...ys) + Math.max(...ys)) / 2,
                   w: Math.max(...xs) - Math.min(...xs),
                   h: Math.max(...ys) - Math.min(...ys) }; }""")
        assert abs(spread["dx"]) < 0.15 * spread["w"] and abs(spread["dy"]) < 0.15 * spread["h"]
        assert seen["errors"] == []
    finally:
        page.close()


_ARABIC_NAMES = ["ليلى خليل", "لينا ناصر", "ليلى صالح", "أحمد سعيد", "إيمان بن صالح", "مي عثمان",
                 "ريم جابر", "رامي خوري", "طارق عوض", "لينا الصباغ", "Layla Jaber", "مي عزت"]

# Each name's drawn extent, measured again in a fresh canvas with the font it was drawn in
# (shaped, in the page's direction), with its white halo: none may touch another, and each
# lies in the box the page placed it in.
_DRAWN = """() => { const c = document.createElement('canvas').getContext('2d');
  c.direction = getComputedStyle(document.documentElement).direction;
  return window.copkgLabelBoxes().map(b => { c.font = b.font; const m = c.measureText(b.text);
    const w = Math.max(m.width, m.actualBoundingBoxLeft + m.actualBoundingBoxRight);
    const halo = Math.max(2.5, b.px * 0.14), x = (b.l + b.r) / 2;
    return { text: b.text, l: x - w / 2 - halo, r: x + w / 2 + halo, t: b.t, b: b.b,
             box: [b.l, b.r] }; }); }"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_arabic_names_are_measured_as_drawn_and_never_overlap(
        browser: Any, tmp_path: Path, lang: str) -> None:
    """QA: in Arabic pages names overlapped ('لبنان' over 'السلطة الفلسطينية') while English
    was clean."""
    G = nx.gnm_random_graph(160, 900, seed=11)
    for node in G:
        G.nodes[node]["label"] = f"{_ARABIC_NAMES[node % len(_ARABIC_NAMES)]} {node}"
    path = tmp_path / f"arabic-{lang}.html"
    path.write_text(map_html(G, title="أسماء", language=lang), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.copkgFirstDraw !== undefined")
        page.wait_for_timeout(300)
        drawn = page.evaluate(_DRAWN)
        assert len(drawn) >= 25
        for d in drawn:
            assert d["box"][0] <= d["l"] + 0.5 and d["r"] <= d["box"][1] + 0.5, d["text"]
        meet = [(a["text"], b["text"]) for i, a in enumerate(drawn) for b in drawn[:i]
                if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]]
        assert meet == []
        covered = page.evaluate("""() => {
          const net = window.copkgNetwork, pos = net.getPositions(), scale = net.getScale();
          const discs = window.copkgNodes.get().map(n => {
            const p = net.canvasToDOM(pos[n.id]), r = n.size * scale;
            return { id: n.id, l: p.x - r, r: p.x + r, t: p.y - r, b: p.y + r }; });
          return window.copkgLabelBoxes().filter(b => b.rank >= 10 && discs.some(d =>
            d.id !== b.id && d.l < b.r && b.l < d.r && d.t < b.b && b.t < d.b))
            .map(b => b.text); }""")
        assert covered == []  # no name hides another node (but the ten largest nodes' may)
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("color_by", ["country", "organization"])
def test_title_block_and_legend_fit_a_projector_frame(
        browser: Any, tmp_path: Path, lang: str, color_by: str) -> None:
    """QA: at 1920×1080 the legend's last entries were hidden below the frame."""
    G = nx.gnm_random_graph(400, 4000, seed=2)
    countries = ["TN", "MA", "FR", "EG", "LB", "JO", "PS", "IT", "GR", "ES", "DZ", "LU", "BE",
                 "DE", "PT", "MT", "CY", "TR"]
    orgs = [f"{ID}organization/o{i}" for i in range(14)]
    G.graph["labels"] = {org: {"en": f"Municipal Urban Mobility Authority of Region {i}",
                               "ar": f"الهيئة البلدية للتنقل الحضري في المنطقة {i}"}
                         for i, org in enumerate(orgs)}
    for node in G:
        G.nodes[node].update(label=f"Person {node}", country=countries[node % len(countries)],
                             organization=orgs[node % len(orgs)],
                             communities=(f"{ID}community/c{node % 3}",) if node % 7 else
                             (f"{ID}community/c0", f"{ID}community/c1"))
    for u, v in G.edges:
        G.edges[u, v]["weight"] = float(1 + (u + v) % 4)
    G.add_nodes_from(range(400, 405))  # isolates, counted in the title block
    path = tmp_path / f"fit-{lang}-{color_by}.html"
    path.write_text(map_html(G, title="A long title for the people of the platform, 2010–2026",
                             language=lang, color_by=color_by, focus=3, min_weight=2,
                             presentation=color_by == "organization",  # larger text
                             caption="Who worked with whom, across the region, by country: "
                             "every expert and practitioner, linked when they wrote a product "
                             "together or met at the same events of the programme",
                             source_note="cmi.ttl, events.csv, memberships.csv and 5 more "
                             "files"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        page.goto(path.as_uri())
        page.wait_for_function("window.copkgFirstDraw !== undefined")
        page.wait_for_timeout(300)
        boxes = page.evaluate("""() => ['copkg-title', 'copkg-legend'].map(id => {
          const b = document.getElementById(id), r = b.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, scroll: b.scrollHeight, client: b.clientHeight,
                   entries: b.querySelectorAll('li').length, two: b.className,
                   font: parseFloat(getComputedStyle(b).fontSize) }; })""")
        title, legend = boxes
        assert legend["entries"] >= 6
        page.screenshot(path=str(tmp_path / "fit.png"))
        for box in boxes:  # everything in view, nothing to scroll to
            assert box["top"] >= 0 and box["bottom"] <= 1080
            assert box["scroll"] <= box["client"] + 1, box
            assert box["font"] >= 20  # still legible at the back of a room
        assert title["bottom"] <= legend["top"]
    finally:
        page.close()
