"""The Arabic pages in a real browser (Debian chromium, 1920×1080): headings right-aligned, the
Present page's steps read right to left, and every chart label (axes, legends) whole and inside
its chart, legend symbols beside their text, not over it; also the French Data page without
Streamlit's English upload words.

Screenshots go to ``tests/screenshots/rtl/`` (look at them: ``ar-overview.png``,
``ar-network_map.png``, ``ar-present.png``, ``fr-data.png``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import ROOT, streamlit_app

pytestmark = pytest.mark.browser

SHOTS = ROOT / "tests" / "screenshots" / "rtl"
SCRIPT_DONE = (
    "() => { const app = document.querySelector('[data-test-script-state]');"
    " return app && app.getAttribute('data-test-script-state') === 'notRunning'"
    " && !!document.querySelector('h1'); }"
)

#: Every heading of the main area: where its text sits in its box, and the box's direction.
HEADINGS = """() => Array.from(document.querySelectorAll('.stMain h1, .stMain h2, .stMain h3'))
  .filter(h => h.textContent.trim() && h.getBoundingClientRect().width > 0).map(h => {
    const range = document.createRange(); range.selectNodeContents(h);
    const text = range.getBoundingClientRect(), box = h.getBoundingClientRect();
    return {text: h.textContent.trim(), left: text.left - box.left,
            right: box.right - text.right, direction: getComputedStyle(h).direction};
  })"""

#: Every text of every Vega chart (SVG): its box, the chart's box, and the legend symbols.
CHART_TEXTS = """() => Array.from(document.querySelectorAll('.stMain .vega-embed svg.marks'))
  .map(svg => {
    const box = svg.getBoundingClientRect();
    const rect = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent, role: (t.closest('[class*="role-"]') || {}).className
                    ? t.closest('[class*="role-"]').getAttribute('class') : '',
                  box: rect(t.getBoundingClientRect())}));
    const symbols = Array.from(svg.querySelectorAll('.role-legend-symbol path'))
      .map(p => rect(p.getBoundingClientRect()));
    return {chart: rect(box), direction: getComputedStyle(svg.parentElement).direction,
            texts, symbols};
  })"""


@pytest.fixture(scope="module")
def server(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_app(bundled_store_dir, tmp_path_factory.mktemp("rtl"),
                       env={"COPKG_READ_ONLY": "1"}) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


def open_page(pg: Any, url: str) -> None:
    pg.goto(url)
    pg.wait_for_function(SCRIPT_DONE, timeout=90_000)
    pg.wait_for_load_state("networkidle", timeout=90_000)
    pg.wait_for_function("() => !document.querySelector('[data-testid^=\"stSkeleton\"]')",
                         timeout=90_000)
    pg.wait_for_timeout(800)  # Vega lays its charts out after the script has run
    assert pg.locator("[data-testid='stException']").count() == 0


def shot(pg: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"))


def headings_right_aligned(pg: Any) -> list[dict[str, Any]]:
    headings = pg.evaluate(HEADINGS)
    assert headings, "no heading on the page"
    for h in headings:
        assert h["direction"] == "rtl", h
        assert h["right"] <= 4 < h["left"], f"heading not right-aligned: {h}"
    return list(headings)


def inside(inner: dict[str, float], outer: dict[str, float], slack: float = 1.0) -> bool:
    return (inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack
            and inner["top"] >= outer["top"] - slack
            and inner["bottom"] <= outer["bottom"] + slack)


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5)


def charts_whole(pg: Any, expected: int) -> list[dict[str, Any]]:
    """Every label inside its chart, none cut short ("…"), no legend symbol on a text."""
    charts = pg.evaluate(CHART_TEXTS)
    assert len(charts) >= expected
    for chart in charts:
        assert chart["direction"] == "ltr"  # charts keep their left-to-right layout
        assert chart["texts"], "a chart without any label"
        for text in chart["texts"]:
            assert inside(text["box"], chart["chart"]), f"label outside its chart: {text}"
            assert not text["text"].endswith("…"), f"label cut: {text}"
            for symbol in chart["symbols"]:
                assert not overlap(symbol, text["box"]), f"legend symbol over {text['text']}"
    return list(charts)


def test_arabic_overview(server: str, page: Any) -> None:
    open_page(page, f"{server}/?lang=ar")
    shot(page, "ar-overview")
    headings_right_aligned(page)
    charts = charts_whole(page, expected=3)
    words = {t["text"] for c in charts for t in c["texts"]}
    assert {"شخص", "فعالية", "مصدر مذكور", "توضيحي", "تونس"} <= words  # categories, legend, country
    assert not {"person", "event", "cited", "illustrative", "TN"} & words


def test_arabic_overview_colours_follow_the_category_not_the_language(
        server: str, page: Any) -> None:
    """The same role or provenance has the same colour in English and Arabic."""
    legend = """() => Array.from(document.querySelectorAll('.stMain .vega-embed'))
      .map(e => Array.from(e.querySelectorAll('.role-legend-symbol path'))
                 .map(p => p.getAttribute('fill')))"""
    open_page(page, f"{server}/?lang=en")
    english = page.evaluate(legend)
    open_page(page, f"{server}/?lang=ar")
    arabic = page.evaluate(legend)
    assert english == arabic and any(english)


def test_arabic_network_map(server: str, page: Any) -> None:
    open_page(page, f"{server}/network_map?lang=ar&node=p0002")
    page.wait_for_selector("iframe", timeout=60_000)
    page.wait_for_timeout(1500)
    shot(page, "ar-network_map")
    headings_right_aligned(page)
    # The person is named in Arabic script (foaf:name "…"@ar, from the sheet's name_ar).
    assert page.get_by_text("أحمد قاسم").count() > 0


def test_arabic_present(server: str, page: Any) -> None:
    open_page(page, f"{server}/present?lang=ar")
    page.wait_for_selector("iframe", timeout=60_000)
    page.wait_for_timeout(1500)
    shot(page, "ar-present")
    headings_right_aligned(page)
    steps = page.evaluate("""() => {
      const h = Array.from(document.querySelectorAll('.stMain h3')).pop();
      const block = h.closest('[data-testid="stElementContainer"]').nextElementSibling;
      const p = block.querySelector('p');
      const range = document.createRange(); range.selectNodeContents(p);
      const text = range.getBoundingClientRect(), box = p.getBoundingClientRect();
      return {direction: getComputedStyle(p).direction, right: box.right - text.right,
              left: text.left - box.left};
    }""")
    assert steps["direction"] == "rtl" and steps["right"] <= 4 < steps["left"], steps


def test_french_data_page_has_no_streamlit_english(server: str, page: Any) -> None:
    open_page(page, f"{server}/data?lang=fr")
    shot(page, "fr-data")
    zone = page.locator("[data-testid='stFileUploaderDropzone']")
    shown = zone.evaluate("""z => Array.from(z.querySelectorAll('*')).map(e => {
        const after = getComputedStyle(e, '::after').content;
        return (e.offsetParent !== null && e.children.length === 0 ? e.textContent : '')
               + (after && after !== 'none' ? after : '');
      }).join(' | ')""")
    assert "Choisir des fichiers" in shown and "Mo par fichier" in shown
    assert "Upload" not in shown and "per file" not in shown


#: Where each of ``names`` is drawn in the first paragraph holding all of them: its box's left
#: and right edges (the text found by a Range over the paragraph's text nodes).
NAME_BOXES = """names => {
  const p = Array.from(document.querySelectorAll('.stMain p'))
    .find(e => names.every(n => e.textContent.includes(n)));
  if (!p) { return null; }
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const nodes = []; let all = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]);
                              all += walker.currentNode.textContent; }
  const at = i => { const [n, start] = nodes.filter(([, s]) => s <= i).pop();
                    return [n, i - start]; };
  return names.map(name => {
    const i = all.indexOf(name), range = document.createRange();
    range.setStart(...at(i)); range.setEnd(...at(i + name.length));
    const r = range.getBoundingClientRect();
    return {name, left: r.left, right: r.right};
  });
}"""


def test_arabic_path_reads_from_right_to_left(server: str, page: Any) -> None:
    """``المسار 1``: Élodie Faure (From, a Latin name) on the right, then مايا ناصر, then
    Mathilde Rousseau (To) on the left: the chain reads in the Arabic reader's direction even
    though its first name is Latin (it used to be isolated as a whole with FSI, whose direction
    came from that Latin name, so it read To → From)."""
    open_page(page, f"{server}/connection?a=p0001&b=p0093&lang=ar")
    page.wait_for_selector("iframe", timeout=60_000)
    page.wait_for_timeout(1000)
    page.get_by_text("المسار", exact=False).first.scroll_into_view_if_needed()
    shot(page, "ar-connection")
    boxes = page.evaluate(NAME_BOXES, ["Élodie Faure", "مايا ناصر", "Mathilde Rousseau"])
    assert boxes, "no paragraph names the three people of path 1"
    first, middle, last = boxes
    assert first["left"] > middle["right"] and middle["left"] > last["right"], boxes


#: Every table grid of the page: how wide its columns are against the room it has.
TABLE_WIDTHS = """() => Array.from(document.querySelectorAll('.stMain .dvn-scroller'))
  .map(s => ({content: s.scrollWidth, room: s.clientWidth}))"""


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_overview_tables_fit_a_1920_screen(server: str, page: Any, lang: str) -> None:
    """QA: the communities table's last columns (Events…) were cut at the right edge at
    1920 px: every table of the Overview shows all its columns without scrolling sideways."""
    open_page(page, f"{server}/?lang={lang}")
    page.evaluate("""() => Array.from(document.querySelectorAll('.stMain h2')).pop()
                            .scrollIntoView({block: 'start'})""")
    page.wait_for_timeout(800)
    shot(page, f"{lang}-overview-communities")
    widths = page.evaluate(TABLE_WIDTHS)
    assert len(widths) >= 4
    assert [w for w in widths if w["content"] > w["room"] + 1] == []
