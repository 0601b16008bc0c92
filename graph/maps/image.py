"""Static network pictures (PNG, SVG, PDF) for slides and print, drawn with matplotlib (Agg).

Same reduction, positions, colours and legend as the HTML map (both come from
:func:`graph.maps.html.map_view`). Arabic is shaped with ``arabic_reshaper`` and ``python-bidi``
when matplotlib is older than 3.11 (which shapes text itself) and those packages are installed.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from .. import i18n
from .html import map_view

__all__ = ["PAPER_SIZES", "save_image", "shape_text"]

PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": (11.69, 8.27), "a3": (16.54, 11.69)}
"""Landscape paper sizes in inches."""

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_FONTS = ["DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic"]
_FORMATS = ("png", "svg", "pdf")


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
    labels: int = 40,
    seed: int = 42,
    min_weight: float | None = None,
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
    labels : int
        How many of the largest nodes carry their name.
    title, language, color_by, size_by, measures, max_nodes, aggregate, rank_by,
    source_note, data_date, focus, seed, min_weight
        As for :func:`graph.maps.map_html`.

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
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in _FORMATS:
        raise ValueError(f"cannot save a {fmt!r} image; choose one of {', '.join(_FORMATS)}")
    if paper is not None and paper.lower() not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}; choose one of {', '.join(PAPER_SIZES)}")
    lang = i18n.normalize_language(language)
    view = map_view(G, title=title, language=lang, color_by=color_by, size_by=size_by,
                    measures=measures, max_nodes=max_nodes, aggregate=aggregate,
                    rank_by=rank_by, source_note=source_note, data_date=data_date,
                    focus=focus, seed=seed, min_weight=min_weight)
    if paper is not None:
        w_in, h_in = PAPER_SIZES[paper.lower()]
        dpi = 300.0 if fmt == "png" else 72.0
    else:
        dpi = 72.0 if fmt == "svg" else 100.0  # SVG: 1 unit = 1 pt = the requested pixel
        w_in, h_in = width / dpi, height / dpi
    fig = Figure(figsize=(w_in, h_in), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    _draw(fig, view.data, lang=lang, labels=labels)
    fig.savefig(path, format=fmt, dpi=dpi, facecolor="white",
                metadata=_metadata(fmt, view.data["title"]))
    if fmt == "svg" and paper is None:
        _svg_pixels(path, width, height)
    return path


def shape_text(text: str) -> str:
    """``text`` ready for matplotlib: Arabic joined and reordered when the tools are present.

    >>> shape_text("Tunis")
    'Tunis'
    """
    if not text or not _ARABIC.search(text) or _matplotlib_shapes():
        return text
    try:
        import arabic_reshaper
        from bidi import get_display
    except ImportError:  # pragma: no cover - depends on optional packages
        return text
    return str(get_display(arabic_reshaper.reshape(text)))


@lru_cache(maxsize=1)
def _matplotlib_shapes() -> bool:
    """Matplotlib 3.11+ shapes and orders complex scripts itself (libraqm); older ones don't."""
    import matplotlib

    return tuple(matplotlib.__version_info__[:2]) >= (3, 11)


def _draw(fig: Any, data: dict[str, Any], *, lang: str, labels: int) -> None:
    from matplotlib import patheffects
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    rtl = i18n.is_rtl(lang)
    w_in, h_in = fig.get_size_inches()
    base = max(6.0, 0.62 * min(w_in, h_in * 16 / 9))  # font size in pt, scales with the page
    side = 0.27  # share of the width for title block and legend
    map_left = 0.01 if rtl else side
    ax = fig.add_axes((map_left, 0.02, 1 - side - 0.01, 0.96))
    ax.set_axis_off()
    nodes, edges = data["nodes"], data["edges"]
    xs = [n["x"] for n in nodes]
    ys = [-n["y"] for n in nodes]
    if nodes:
        span_x = max(max(xs) - min(xs), 1.0)
        span_y = max(max(ys) - min(ys), 1.0)
        pad = 0.1
        ax.update_datalim([(min(xs), min(ys)), (max(xs), max(ys))])
        ax.margins(pad)
        ax.set_aspect("equal", adjustable="datalim")
        box = ax.get_position()
        pts_per_px = min(box.width * w_in * 72 / (span_x * (1 + 2 * pad)),
                         box.height * h_in * 72 / (span_y * (1 + 2 * pad)))
    else:
        pts_per_px = 1.0
    segments = [((xs[e["f"]], ys[e["f"]]), (xs[e["t"]], ys[e["t"]])) for e in edges]
    if segments:
        ax.add_collection(LineCollection(
            segments, colors=(0.4, 0.4, 0.4, 0.3 if len(edges) > 2000 else 0.45),
            linewidths=[max(0.3, min(e["w"] * 0.5, 4.0)) for e in edges], zorder=1))
    radius = [min(max(n["s"] * pts_per_px, 1.2), base * 1.6) for n in nodes]
    ax.scatter(xs, ys, s=[(2 * r) ** 2 for r in radius], c=[n["c"] for n in nodes],
               edgecolors="#333333", linewidths=max(0.2, base / 30), zorder=2)
    ax.autoscale_view()
    stroke = [patheffects.withStroke(linewidth=base / 4, foreground="white")]
    for n in sorted(nodes, key=lambda n: (-n["s"], n["i"]))[:labels]:
        ax.annotate(shape_text(n["l"]), (n["x"], -n["y"]), xytext=(0, radius[n["i"]] + 2),
                    textcoords="offset points", ha="center", va="bottom",
                    fontsize=base * 0.85, family=_FONTS, path_effects=stroke, zorder=3)
    # Title block and legend, on the inline-start side (right for Arabic).
    x = 0.985 if rtl else 0.015
    ha = "right" if rtl else "left"
    y = 0.975
    lines: list[tuple[str, float, str, str]] = [(data["title"], base * 1.6, "bold", "#111111")]
    if data.get("caption"):
        lines.append((data["caption"], base * 1.05, "normal", "#111111"))
    lines += [(note, base * 0.9, "normal", "#444444") for note in data["notes"]]
    for text, size, weight, color in lines:
        for part in _wrap(text, int(side * w_in * 72 / (size * 0.55))):
            fig.text(x, y, shape_text(part), ha=ha, va="top", fontsize=size, weight=weight,
                     color=color, family=_FONTS)
            y -= size * 1.35 / (h_in * 72)
    if data["illustrative"]:
        y -= base * 0.4 / (h_in * 72)
        fig.text(x, y, shape_text(i18n.t("map.illustrative", lang)), ha=ha, va="top",
                 fontsize=base, weight="bold", color="#8a3b00", family=_FONTS,
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fff1dc",
                       "edgecolor": "#8a3b00"})
        y -= base * 2.0 / (h_in * 72)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=base * 0.9,
                      markerfacecolor=e["color"], markeredgecolor="#333333",
                      label=shape_text(f"{e['label']} ({e['count']})"))
               for e in data["legend"]]
    if handles:
        legend = fig.legend(handles=handles, loc="upper right" if rtl else "upper left",
                            bbox_to_anchor=(x, y - 0.01), frameon=True, alignment=ha,
                            title=shape_text(f"{i18n.t('map.legend', lang)} — {data['colorBy']}"),
                            prop={"family": _FONTS, "size": base * 0.85},
                            title_fontproperties={"family": _FONTS, "size": base,
                                                  "weight": "bold"},
                            markerfirst=not rtl, borderaxespad=0)
        legend.get_frame().set_edgecolor("#bbbbbb")
    fig.text(x, 0.015, shape_text(data["sizeBy"]), ha=ha, va="bottom", fontsize=base * 0.8,
             color="#444444", family=_FONTS)


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > max(width, 10):
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
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
