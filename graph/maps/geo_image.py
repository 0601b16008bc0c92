"""The Mediterranean map as a picture (PNG, SVG, PDF): basemap, arcs, countries and their
actors, title block and legend — the same view as the offline page (:func:`geo_view`).

Arabic is shaped by :func:`graph.maps.image.shape_text` and the title block sits on the right.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx

from .. import i18n
from .geo import geo_view
from .image import PAPER_SIZES, shape_text

__all__ = ["save_geo_image"]

_FONTS = ["DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic"]
_LAND, _SEA, _COAST = "#f6f3ec", "#dcebf5", "#a39e93"
_ORANGE, _GREY = (213 / 255, 94 / 255, 0.0), (0.47, 0.47, 0.47)


def save_geo_image(
    G: nx.Graph,
    path: str | Path,
    format: str | None = None,  # noqa: A002 - as save_image
    width: int = 1920,
    height: int = 1080,
    *,
    title: str = "",
    language: str = "en",
    year: int | None = None,
    paper: str | None = None,
    **options: Any,
) -> Path:
    """Draw ``G`` on the map of the region into a PNG, SVG or PDF file.

    ``year`` draws the network as it was up to that year, its new ties in orange (default:
    the last year, everything). ``options`` go to :func:`graph.maps.geo.geo_view`.

    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> G = nx.Graph(projection="countries")
    >>> G.add_edge("country:TN", "country:FR", weight=2.0, evidence=[{"year": 2015}])
    >>> nx.set_node_attributes(G, {"country:TN": "TN", "country:FR": "FR"}, "country")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "m.png"
    >>> Image.open(save_geo_image(G, out, width=800, height=450, title="T")).size
    (800, 450)
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"cannot save a {fmt!r} image; choose one of png, svg, pdf")
    lang = i18n.normalize_language(language)
    view = geo_view(G, title=title, language=lang, **options)
    if paper is not None:
        if paper.lower() not in PAPER_SIZES:
            raise ValueError(f"unknown paper {paper!r}; choose one of {', '.join(PAPER_SIZES)}")
        w_in, h_in = PAPER_SIZES[paper.lower()]
        dpi = 300.0 if fmt == "png" else 72.0
    else:
        dpi = 72.0 if fmt == "svg" else 100.0
        w_in, h_in = width / dpi, height / dpi
    fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    _draw(fig, view, lang=lang, year=year)
    metadata: dict[str, Any] = ({"Title": title, "Software": "copkg"} if fmt == "png" else
                                {"Title": title, "Date": None} if fmt == "svg" else
                                {"Title": title, "Creator": "copkg", "CreationDate": None})
    fig.savefig(path, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return path


def _count_at(yc: list[list[int]], year: int) -> int:
    n = 0
    for y, c in yc:
        if y <= year:
            n = c
    return n


def _draw(fig: Any, view: dict[str, Any], *, lang: str, year: int | None) -> None:
    from matplotlib import patheffects
    from matplotlib.collections import PatchCollection, PolyCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    rtl = i18n.is_rtl(lang)
    w_in, h_in = fig.get_size_inches()
    base = max(6.0, 0.62 * min(w_in, h_in * 16 / 9))  # font size in points
    side = 0.25
    ax = fig.add_axes((0.005 if rtl else side, 0.01, 1 - side - 0.005, 0.98))
    ax.set_axis_off()
    nodes, edges = view["nodes"], view["edges"]
    years = view.get("years") or []
    when = year if year is not None else (years[-1] if years else None)
    shown = [n for n in nodes if when is None or n["v"].get("y0") is None or n["v"]["y0"] <= when]
    xs = [n["x"] for n in shown] or [0.0]
    ys = [n["y"] for n in shown] or [0.0]
    pad = 60.0
    x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
    # Keep the frame's shape so the map is not stretched.
    box_w, box_h = (1 - side) * w_in, 0.98 * h_in
    if (x1 - x0) / (y1 - y0) < box_w / box_h:
        grow = (y1 - y0) * box_w / box_h - (x1 - x0)
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    else:
        grow = (x1 - x0) * box_h / box_w - (y1 - y0)
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1, y0)  # y down, as in the page
    ax.set_aspect("equal")
    ax.add_patch(_rect(ax, x0, y0, x1, y1, _SEA))
    rings = [list(zip(r[::2], r[1::2], strict=True)) for r in view["basemap"]["rings"]]
    ax.add_collection(PolyCollection(rings, facecolors=_LAND, edgecolors=_COAST,
                                     linewidths=0.5, zorder=1))
    pt_per_px = box_w * 72 / (x1 - x0)
    top = max((_count_at(e["v"].get("yc", []), when) if when is not None else e["wt"]
               for e in edges), default=1) or 1
    patches, colors, widths = [], [], []
    for e in edges:
        a, b = nodes[e["f"]], nodes[e["t"]]
        yc = e["v"].get("yc") or []
        n = _count_at(yc, when) if when is not None and yc else e["wt"]
        if n <= 0:
            continue
        before = _count_at(yc, when - 1) if when is not None and yc else n
        f = 1.0 if before == 0 else min(1.0, 3 * (n - before) / n)
        (ax_, ay), (bx, by) = (a["x"], a["y"]), (b["x"], b["y"])
        # vis-network's curvedCW: the control point off the middle, to the right of a→b.
        mx, my = (ax_ + bx) / 2, (ay + by) / 2
        rho = float(e["v"].get("arc") or 0.18)
        cx, cy = mx + rho * (by - ay), my - rho * (bx - ax_)
        patches.append(PathPatch(MplPath([(ax_, ay), (cx, cy), (bx, by)],
                                         [MplPath.MOVETO, MplPath.CURVE3, MplPath.CURVE3])))
        colors.append(tuple(g + (o - g) * f for g, o in zip(_GREY, _ORANGE, strict=True))
                      + (0.45 + 0.5 * f,))
        widths.append((1 + 11 * math.sqrt(n / top)) * pt_per_px * 0.9)
    ax.add_collection(PatchCollection(patches, facecolor="none", edgecolors=colors,
                                      linewidths=widths, zorder=2, match_original=False))
    ax.scatter([n["x"] for n in shown], [n["y"] for n in shown],
               s=[(2 * n["s"] * pt_per_px) ** 2 for n in shown], c=[n["c"] for n in shown],
               edgecolors="#333333", linewidths=max(0.2, base / 30), zorder=3)
    stroke = [patheffects.withStroke(linewidth=base / 3, foreground="white")]
    boxes: list[tuple[float, float, float, float]] = []
    for n in sorted(shown, key=lambda n: -n["s"]):
        if n["v"].get("home") is not None:
            continue  # actors stay unnamed; their country is named
        # Below the node, else above, right or left: the first place no other name covers
        # (in points, y up, from the node's centre; a character is about 0.6 em wide).
        w, h, gap = 0.62 * base * len(n["l"]) + 6, 1.6 * base, n["s"] * pt_per_px + 3
        px, py = n["x"] * pt_per_px, -n["y"] * pt_per_px
        options = (((0, -gap, "center", "top"), (px - w / 2, py - gap - h, px + w / 2, py - gap)),
                   ((0, gap, "center", "bottom"), (px - w / 2, py + gap, px + w / 2, py + gap + h)),
                   ((gap, 0, "left", "center"), (px + gap, py - h / 2, px + gap + w, py + h / 2)),
                   ((-gap, 0, "right", "center"), (px - gap - w, py - h / 2, px - gap, py + h / 2)))
        frame = (x0 * pt_per_px, -y1 * pt_per_px, x1 * pt_per_px, -y0 * pt_per_px)
        free = [o for o in options if frame[0] <= o[1][0] and o[1][2] <= frame[2]
                and frame[1] <= o[1][1] and o[1][3] <= frame[3] and not any(
                    o[1][0] < b[2] and o[1][2] > b[0] and o[1][1] < b[3] and o[1][3] > b[1]
                    for b in boxes)]
        (dx, dy, ha, va), box = (free or options)[0]
        boxes.append(box)
        ax.annotate(shape_text(n["l"]), (n["x"], n["y"]), xytext=(dx, dy),
                    textcoords="offset points", ha=ha, va=va, fontsize=base * 1.0,
                    weight="bold", family=_FONTS, path_effects=stroke, zorder=4)
    out = view["basemap"].get("outside")
    if out:
        ax.add_patch(_rect(ax, out[0], out[1], out[2], out[3], "none"))
        ax.patches[-1].set(edgecolor="#6d6a63", linestyle="--", linewidth=1.0, zorder=1.5)
        ax.annotate(shape_text(i18n.t("map.outside", lang)), ((out[0] + out[2]) / 2, out[1]),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=base * 0.8, color="#4a4740", family=_FONTS)
    _title_block(fig, view, lang=lang, base=base, side=side, when=when, rtl=rtl)


def _rect(ax: Any, x0: float, y0: float, x1: float, y1: float, color: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=color, edgecolor="none", zorder=0)


def _title_block(fig: Any, view: dict[str, Any], *, lang: str, base: float, side: float,
                 when: int | None, rtl: bool) -> None:
    from matplotlib.lines import Line2D

    w_in, h_in = fig.get_size_inches()
    x = 0.985 if rtl else 0.012
    ha = "right" if rtl else "left"
    y = 0.975
    lines: list[tuple[str, float, str, str]] = [(view["title"], base * 1.6, "bold", "#111111")]
    if view.get("caption"):
        lines.append((view["caption"], base * 1.05, "normal", "#111111"))
    if when is not None:
        lines.append((f"{i18n.t('map.year', lang)}: {when}", base * 1.3, "bold", "#8a3b00"))
    lines += [(note, base * 0.85, "normal", "#444444") for note in view["notes"]]
    for text, size, weight, color in lines:
        for part in _wrap(text, int((side - 0.03) * w_in * 72 / (size * 0.62))):
            fig.text(x, y, shape_text(part), ha=ha, va="top", fontsize=size, weight=weight,
                     color=color, family=_FONTS)
            y -= size * 1.35 / (h_in * 72)
    if view.get("illustrative"):
        y -= base * 0.4 / (h_in * 72)
        fig.text(x, y, shape_text(i18n.t("map.illustrative", lang)), ha=ha, va="top",
                 fontsize=base, weight="bold", color="#8a3b00", family=_FONTS,
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fff1dc",
                       "edgecolor": "#8a3b00"})
        y -= base * 2.0 / (h_in * 72)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=base * 0.9,
                      markerfacecolor=e["color"], markeredgecolor="#333333",
                      label=shape_text(f"{e['label']} ({e['count']})"))
               for e in view["legend"]]
    handles.append(Line2D([], [], color=_ORANGE, linewidth=3,
                          label=shape_text(i18n.t("map.geo_new_ties", lang))))
    legend = fig.legend(handles=handles, loc="upper right" if rtl else "upper left",
                        bbox_to_anchor=(x, y - 0.01), frameon=True, alignment=ha,
                        title=shape_text(f"{i18n.t('map.legend', lang)} — {view['colorBy']}"),
                        prop={"family": _FONTS, "size": base * 0.8},
                        title_fontproperties={"family": _FONTS, "size": base * 0.9,
                                              "weight": "bold"},
                        markerfirst=not rtl, borderaxespad=0)
    legend.get_frame().set_edgecolor("#bbbbbb")


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > max(width, 10):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines
