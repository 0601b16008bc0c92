"""Static network pictures (PNG, SVG, PDF) for slides and print, drawn with matplotlib (Agg).

Same reduction, positions, colours and legend as the HTML map (both come from
:func:`graph.maps.html.map_view`). Arabic is shaped with ``arabic_reshaper`` and ``python-bidi``
when matplotlib is older than 3.11 (which shapes text itself) and those packages are installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from .. import i18n
from .html import map_view
from .labels import COVERING, Box, LabelRequest, place_labels

__all__ = ["PAPER_SIZES", "Underlay", "save_image", "save_view", "shape_text"]

Underlay = Callable[[Any, Callable[[float, float], tuple[float, float]], float], None]
"""``underlay(ax, to_px, scale)``: draws under the links of a static image (see ``_draw``)."""

PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": (11.69, 8.27), "a3": (16.54, 11.69)}
"""Landscape paper sizes in inches."""

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_FONTS = ["DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic"]
_FORMATS = ("png", "svg", "pdf")
# The side column's share of the picture's width and its text's scale, tried in turn until
# the title block and legend fit the height: wider first (text stays >= 20 px at 1920×1080).
_COLUMN_STEPS = ((0.23, 1.0), (0.27, 1.0), (0.31, 1.0), (0.31, 0.96), (0.31, 0.85),
                 (0.31, 0.75), (0.31, 0.65))


def save_image(
    G: nx.Graph,
    path: str | Path,
    format: str | None = None,  # noqa: A002 - the documented keyword
    width: int = 1920,
    height: int = 1080,
    *,
    title: str = "",
    language: str = "en",
    color_by: str = "community",
    size_by: str = "degree",
    measures: pd.DataFrame | None = None,
    max_nodes: int | None = None,
    aggregate: str | None = None,
    rank_by: str = "degree",
    paper: str | None = None,
    source_note: str | None = None,
    data_date: str | None = None,
    focus: Hashable | None = None,
    labels: int | None = None,
    seed: int = 42,
    min_weight: float | None = None,
    links: str = "backbone",
    isolates: bool = False,
    layout_method: str = "forceatlas2",
    underlay: Underlay | None = None,
    palette_keys: Sequence[str] | None = None,
) -> Path:
    """Draw ``G`` into a PNG, SVG or PDF file with title block and legend.

    Parameters
    ----------
    G : networkx.Graph
        The network (see :func:`graph.maps.map_html` for the attributes used).
    path : str or Path
        Output file; its suffix gives the format when ``format`` is None.
    format : {"png", "svg", "pdf"}, optional
    width, height : int
        Size in pixels (PNG, SVG) — 1920×1080 suits a projector. Ignored with ``paper``.
    paper : {"a4", "a3"}, optional
        Landscape paper size instead (PNG at 300 dpi; SVG/PDF at the paper size).
    labels : int, optional
        At most this many names; by default as many as fit without overlap, largest node
        first (:func:`graph.maps.labels.place_labels`, the rule the HTML map follows too).
    title, language, color_by, size_by, measures, max_nodes, aggregate, rank_by,
    source_note, data_date, focus, seed, min_weight, links, isolates, layout_method
        As for :func:`graph.maps.map_html`.
    underlay : callable, optional
        ``underlay(ax, to_px, scale)`` draws under the network (e.g. a basemap); what it
        draws is clipped to the map's frame.
    palette_keys : sequence of str, optional
        Fixed colours per group (see :func:`graph.maps.style.style_graph`).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "f.png"
    >>> from PIL import Image
    >>> Image.open(save_image(nx.florentine_families_graph(), out, width=800, height=450)).size
    (800, 450)
    """
    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:  # said before the (slow) layout
        raise ValueError(f"cannot save a {fmt!r} image; choose one of {', '.join(_FORMATS)}")
    if paper is not None and paper.lower() not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}; choose one of {', '.join(PAPER_SIZES)}")
    lang = i18n.normalize_language(language)
    view = map_view(G, title=title, language=lang, color_by=color_by, size_by=size_by,
                    measures=measures, max_nodes=max_nodes, aggregate=aggregate,
                    rank_by=rank_by, source_note=source_note, data_date=data_date,
                    focus=focus, seed=seed, min_weight=min_weight, links=links,
                    isolates=isolates, layout_method=layout_method,
                    palette_keys=palette_keys)
    save_view(view.data, path, fmt, width, height, language=lang, paper=paper, labels=labels,
              underlay=underlay)
    return path


def save_view(
    data: dict[str, Any],
    path: str | Path,
    format: str | None = None,  # noqa: A002 - as save_image
    width: int = 1920,
    height: int = 1080,
    *,
    language: str = "en",
    paper: str | None = None,
    labels: int | None = None,
    underlay: Underlay | None = None,
) -> Path:
    """Draw a prepared view (``map_view(...).data``, or an add-on's view such as
    :func:`graph.maps.geo.geo_view`) into a PNG, SVG or PDF file: the drawing half of
    :func:`save_image`, with the same title block, legend and labels.

    >>> import networkx as nx, tempfile, pathlib
    >>> from PIL import Image
    >>> data = map_view(nx.path_graph(3), title="Path").data
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "p.png"
    >>> Image.open(save_view(data, out, width=640, height=360)).size
    (640, 360)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:
        raise ValueError(f"cannot save a {fmt!r} image; choose one of {', '.join(_FORMATS)}")
    if paper is not None and paper.lower() not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}; choose one of {', '.join(PAPER_SIZES)}")
    lang = i18n.normalize_language(language)
    if paper is not None:
        w_in, h_in = PAPER_SIZES[paper.lower()]
        dpi = 300.0 if fmt == "png" else 72.0
    else:
        dpi = 72.0 if fmt == "svg" else 100.0  # SVG: 1 unit = 1 pt = the requested pixel
        w_in, h_in = width / dpi, height / dpi
    fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    _draw(fig, data, lang=lang, labels=labels, underlay=underlay)
    fig.savefig(path, format=fmt, dpi=dpi, facecolor="white",
                metadata=_metadata(fmt, data["title"]))
    if fmt == "svg" and paper is None:
        _svg_pixels(path, width, height)
    return path


def shape_text(text: str, rtl: bool = False) -> str:
    """``text`` ready for matplotlib: Arabic joined and reordered when the tools are present.

    ``rtl``: a line of a right-to-left page, laid out right to left even when it starts with
    a Latin run ("cmi.ttl, events.csv و5 ملفات أخرى"); matplotlib 3.11+ (libraqm) takes the
    direction from the first strong letter, so the line starts with a right-to-left mark.

    >>> shape_text("Tunis"), shape_text("Tunis", rtl=True) == "\u200fTunis"
    ('Tunis', True)
    """
    if not text:
        return text
    if _matplotlib_shapes():
        return "\u200f" + text if rtl else text
    if not _ARABIC.search(text):
        return text
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:  # pragma: no cover - depends on optional packages
        return text
    return str(get_display(arabic_reshaper.reshape(text), base_dir="R" if rtl else None))


@lru_cache(maxsize=1)
def _matplotlib_shapes() -> bool:
    """Matplotlib 3.11+ shapes and orders complex scripts itself (libraqm); older ones don't."""
    import matplotlib

    return tuple(matplotlib.__version_info__[:2]) >= (3, 11)


def _draw(fig: Any, data: dict[str, Any], *, lang: str, labels: int | None,
          underlay: Underlay | None = None) -> dict[str, Any]:
    """Draw the view into ``fig``, in pixel coordinates (``y`` down); returns what was drawn
    (label boxes, node discs, links, the map's frame) for tests and the benchmark.

    ``underlay(ax, to_px, scale)`` draws first (a basemap, say): ``to_px(x, y)`` turns the
    view's coordinates into the picture's pixels, ``scale`` is pixels per view unit; what it
    draws is clipped to the map's frame. Add-ons style the drawing through the ``view`` dicts
    (:func:`graph.maps.html.map_view` passes them through): the view's ``fit``
    (``[x0, y0, x1, y1]``, a box kept inside the frame with the nodes) and ``clear`` (boxes no
    name may cover: the add-on's own annotations; an underlay may add to it as it draws), and
    a link's ``arc``
    (drawn as a curve bending by ``arc`` times its length), ``color`` (CSS hex, alpha allowed)
    and ``width`` (pixels at 1920×1080)."""
    from matplotlib.collections import LineCollection

    W, H = fig.get_size_inches() * fig.dpi
    dpi = fig.dpi
    k = min(W / 1920, H / 1080)  # 1 at 1920×1080: sizes below are pixels on a projector
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    rtl = i18n.is_rtl(lang)
    renderer = fig.canvas.get_renderer()
    margin = 24 * k
    column = _side_column(fig, ax, renderer, data, lang=lang, k=k, rtl=rtl, margin=margin)
    frame = (Box(margin, margin, column.l - margin, H - margin) if rtl
             else Box(column.r + margin, margin, W - margin, H - margin))
    nodes, edges = data["nodes"], data["edges"]
    label_px = 21.0 * k
    out: dict[str, Any] = {"frame": frame, "column": column, "labels": {}, "discs": [],
                           "label_px": label_px}
    if not nodes:
        return out
    xs = [float(n["x"]) for n in nodes]
    ys = [float(n["y"]) for n in nodes]
    sizes = [float(n["s"]) for n in nodes]
    pad_x, pad_y = 8 * k, 1.4 * label_px + 6 * k
    left = min(x - s for x, s in zip(xs, sizes, strict=True))
    right = max(x + s for x, s in zip(xs, sizes, strict=True))
    top = min(y - s for y, s in zip(ys, sizes, strict=True))
    bottom = max(y + s for y, s in zip(ys, sizes, strict=True))
    fit = (data.get("view") or {}).get("fit")
    if fit and len(fit) == 4:  # an add-on's box that must stay in the frame too
        left, top = min(left, float(fit[0])), min(top, float(fit[1]))
        right, bottom = max(right, float(fit[2])), max(bottom, float(fit[3]))
    span_x, span_y = max(right - left, 1.0), max(bottom - top, 1.0)
    scale = min((frame.r - frame.l - 2 * pad_x) / span_x, (frame.b - frame.t - 2 * pad_y) / span_y,
                3.0)
    cx = (left + right) / 2
    cy = (top + bottom) / 2
    mx, my = (frame.l + frame.r) / 2, (frame.t + frame.b) / 2
    px = [mx + (x - cx) * scale for x in xs]
    py = [my + (y - cy) * scale for y in ys]
    radius = [max(s * scale, 2.0 * k) for s in sizes]

    def to_px(x: float, y: float) -> tuple[float, float]:
        return mx + (x - cx) * scale, my + (y - cy) * scale

    if underlay is not None:
        from matplotlib.patches import Rectangle

        before = set(ax.get_children())
        underlay(ax, to_px, scale)
        clip = Rectangle((frame.l, frame.t), frame.r - frame.l, frame.b - frame.t,
                         transform=ax.transData)
        for artist in ax.get_children():
            if artist not in before:
                artist.set_clip_path(clip)
    if edges:
        faint = min(1.0, (1500 / max(len(edges), 1)) ** 0.5)
        grey = (0.35, 0.35, 0.35, max(0.12, 0.5 * faint))
        ax.add_collection(LineCollection(
            [_link(px, py, e) for e in edges],
            colors=[_link_style(e, "color") or grey for e in edges],
            linewidths=[float(_link_style(e, "width") or max(0.4, min(float(e["w"]) * 0.6, 4.0)))
                        * k for e in edges], zorder=1))
    to_pt = 72.0 / dpi
    ax.scatter(px, py, s=[(2 * r * to_pt) ** 2 for r in radius], c=[n["c"] for n in nodes],
               edgecolors=["#111111" if n.get("ring") else "#333333" for n in nodes],
               linewidths=[(2.2 if n.get("ring") else 0.6) * k for n in nodes], zorder=2)
    focus = data.get("focus")
    if focus is not None:
        for extra, color in ((4 * k, "white"), (8 * k, "black")):
            ax.scatter([px[focus]], [py[focus]], s=[(2 * (radius[focus] + extra) * to_pt) ** 2],
                       facecolors="none", edgecolors=color, linewidths=4 * k * to_pt * 1.4,
                       zorder=3)
    requests = []
    fonts: dict[Hashable, float] = {}
    for n in sorted(nodes, key=lambda n: n["r"]):
        size = label_px * float(n.get("fs") or 1.0)
        text = shape_text(n["l"])
        weight = "bold" if n["i"] == focus else "normal"
        # The box holds the drawn text — shaped and ordered as drawn, measured by the same
        # renderer and fonts (see shape_text) — and its white halo, so halos never touch.
        w, _ = _text_size(renderer, text, size * to_pt, weight)
        fonts[n["i"]] = size
        halo = _halo(size)
        reach = float((n.get("view") or {}).get("reach") or 0.0) * scale  # a group around it
        requests.append(LabelRequest(n["i"], px[n["i"]], py[n["i"]], radius[n["i"]],
                                     w + 2 * halo, size * 1.25 + halo, forced=n["i"] == focus,
                                     cover=int(n["r"]) < COVERING, reach=reach))
    clear = (data.get("view") or {}).get("clear") or ()  # an add-on's annotations
    obstacles = [Box(*to_px(x0, y0), *to_px(x1, y1)) for x0, y0, x1, y1 in clear]
    placed = place_labels(requests, frame, obstacles)
    if labels is not None:
        keep = [q.node for q in requests if q.node in placed][:labels]
        placed = {i: placed[i] for i in keep}
    from matplotlib import patheffects

    for i, box in placed.items():
        size = fonts[i]
        ax.text((box.l + box.r) / 2, (box.t + box.b) / 2, shape_text(nodes[i]["l"]),
                ha="center", va="center_baseline", fontsize=size * to_pt, family=_FONTS,
                weight="bold" if i == focus else "normal", color="#111111", zorder=4,
                path_effects=[patheffects.withStroke(linewidth=2 * _halo(size) * to_pt,
                                                     foreground="white")])
    out["labels"] = placed
    out["links"] = [(int(e["f"]), int(e["t"])) for e in edges]
    out["discs"] = [Box(x - r, y - r, x + r, y + r) for x, y, r in zip(px, py, radius,
                                                                        strict=True)]
    return out


def _halo(size: float) -> float:
    """Width in pixels of the white halo around a label of ``size`` pixels, on each side."""
    return size * 0.2


def _link(px: list[float], py: list[float], edge: dict[str, Any]) -> list[tuple[float, float]]:
    """A link's points: a straight segment, or a quadratic curve when it has ``arc``."""
    (x0, y0), (x1, y1) = (px[edge["f"]], py[edge["f"]]), (px[edge["t"]], py[edge["t"]])
    bend = float(_link_style(edge, "arc") or 0.0)
    if not bend:
        return [(x0, y0), (x1, y1)]
    cx, cy = (x0 + x1) / 2 - bend * (y1 - y0), (y0 + y1) / 2 + bend * (x1 - x0)
    steps = [i / 16 for i in range(17)]
    return [((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1,
             (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1) for t in steps]


def _link_style(edge: dict[str, Any], key: str) -> Any:
    """A link's ``arc``, ``color`` or ``width`` as an add-on set it (its ``view`` dict), else
    the same key at the top of its JSON, else ``None``."""
    view = edge.get("view")
    if isinstance(view, dict) and view.get(key) is not None:
        return view[key]
    return edge.get(key)


def _text_size(renderer: Any, text: str, points: float, weight: str = "normal"
               ) -> tuple[float, float]:
    """Width and height in pixels of ``text`` at ``points``."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family=_FONTS, size=points, weight=weight)
    w, h, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
    return float(w), float(h)


def _side_column(fig: Any, ax: Any, renderer: Any, data: dict[str, Any], *, lang: str,
                 k: float, rtl: bool, margin: float) -> Box:
    """Title block and legend in a column on the inline-start side; returns its box.

    Text is 20 px and more on a 1920×1080 image (the title 34 px); a column too tall for the
    page is first made wider (fewer wrapped lines), then, as a last resort, smaller.
    """
    from matplotlib.patches import Circle

    W, H = fig.get_size_inches() * fig.dpi
    to_pt = 72.0 / fig.dpi
    lines: list[tuple[str, float, str, str, str | None]] = []  # text, px, weight, colour, swatch
    for share, shrink in _COLUMN_STEPS:
        width = share * W
        left = W - margin - width if rtl else margin
        px = 21.0 * k * shrink
        lines = []
        add = lines.append
        for part in _wrap_px(renderer, data["title"], width, 34 * k * shrink * to_pt, "bold",
                             rtl=rtl):
            add((part, 34 * k * shrink, "bold", "#111111", None))
        if data.get("caption"):
            for part in _wrap_px(renderer, data["caption"], width, px * to_pt, rtl=rtl):
                add((part, px, "normal", "#111111", None))
        for note in data["notes"]:
            for part in _wrap_px(renderer, note, width, px * to_pt, rtl=rtl):
                add((part, px, "normal", "#333333", None))
        if data["illustrative"]:
            add((i18n.t("map.illustrative", lang), px, "bold", "#8a3b00", None))
        if data["legend"]:
            add(("", px * 0.5, "normal", "#111111", None))
            heading = f"{i18n.t('map.legend', lang)} — {data['colorBy']}"
            for part in _wrap_px(renderer, heading, width, px * to_pt, "bold", rtl=rtl):
                add((part, px, "bold", "#111111", None))
            for entry in data["legend"]:
                text = f"{entry['label']} ({entry['count']})"
                for j, part in enumerate(_wrap_px(renderer, text, width - 1.6 * px, px * to_pt,
                                                  rtl=rtl)):
                    add((part, px, "normal", "#111111", entry["color"] if j == 0 else ""))
        add((data["sizeBy"], px, "normal", "#333333", None))
        if sum(size * 1.3 for _, size, *_ in lines) <= H - 2 * margin:
            break
    y = margin
    edge = left + width if rtl else left
    for text, size, weight, color, swatch in lines:
        indent = 1.6 * size if swatch is not None else 0.0
        x = edge - indent if rtl else edge + indent
        if swatch:
            r = size * 0.36
            sx = edge - 0.6 * size if rtl else edge + 0.6 * size
            ax.add_patch(Circle((sx, y + size * 0.65), r, facecolor=swatch, edgecolor="#333333",
                                linewidth=0.8 * k))
        if text:
            # on a baseline: "top" would align each line's own highest glyph, so lines of
            # Arabic (tall letters, dots above) would sit unevenly and collide
            ax.text(x, y + size, shape_text(text, rtl), ha="right" if rtl else "left",
                    va="baseline",
                    fontsize=size * to_pt, weight=weight, color=color, family=_FONTS)
        y += size * 1.3
    return Box(left, margin, left + width, y)


def _wrap_px(renderer: Any, text: str, width: float, points: float,
             weight: str = "normal", rtl: bool = False) -> list[str]:
    """``text`` cut into lines no wider than ``width`` pixels (words kept whole)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and _text_size(renderer, shape_text(trial, rtl), points, weight)[0] > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def _metadata(fmt: str, title: str) -> dict[str, Any]:
    if fmt == "png":
        return {"Title": title, "Software": "copkg"}
    if fmt == "svg":
        return {"Title": title, "Date": None}
    return {"Title": title, "Creator": "copkg", "CreationDate": None}


def _svg_pixels(path: Path, width: int, height: int) -> None:
    """Give the SVG root pixel ``width``/``height`` (matplotlib writes points, 1:1 here)."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("<svg ")
    tag, close, body = rest.partition(">")
    tag = re.sub(r'\bwidth="[^"]*"', f'width="{width}"', tag, count=1)
    tag = re.sub(r'\bheight="[^"]*"', f'height="{height}"', tag, count=1)
    path.write_text(head + sep + tag + close + body, encoding="utf-8")
