"""The Mediterranean map as a picture (PNG, SVG, PDF): the view of :func:`geo_view` drawn by
the maps' own renderer (:func:`graph.maps.image.save_view`: title block, legend, labels), with
the basemap, leader lines and the "Outside the map" box as its underlay.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from .. import i18n
from .geo import geo_view
from .image import Underlay, save_view, shape_text

__all__ = ["basemap_underlay", "save_geo_image", "save_geo_view"]

_SEA, _LAND, _COAST, _INK = "#dcebf5", "#f6f3ec", "#a39e93", "#4a4740"  # as geo.js
_FONTS = ["DejaVu Sans", "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic"]


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

    ``year`` draws the network as it was up to that year, the arcs that gained ties that
    year in orange (default: the last year, everything). ``options`` go to
    :func:`graph.maps.geo.geo_view` (``max_actors``, ``color_by``, ``source_note``, ...).

    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> G = nx.Graph(projection="countries")
    >>> G.add_edge("country:TN", "country:FR", weight=2.0, evidence=[{"year": 2015}])
    >>> nx.set_node_attributes(G, {"country:TN": "TN", "country:FR": "FR"}, "country")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "m.png"
    >>> Image.open(save_geo_image(G, out, width=800, height=450, title="T")).size
    (800, 450)
    """
    lang = i18n.normalize_language(language)
    view = geo_view(G, title=title, language=lang, year=year, still=True, **options)
    return save_geo_view(view, path, format, width, height, language=lang, paper=paper)


def save_geo_view(view: dict[str, Any], path: str | Path, format: str | None = None,  # noqa: A002
                  width: int = 1920, height: int = 1080, *, language: str = "en",
                  paper: str | None = None) -> Path:
    """Draw a still :func:`graph.maps.geo.geo_view` (``still=True``) into a picture: what
    :func:`save_geo_image` does once it has the view (so a caller can say what it drew,
    :func:`graph.maps.geo.drawn_counts`)."""
    lang = i18n.normalize_language(language)
    return save_view(view, path, format, width, height, language=lang, paper=paper,
                     underlay=basemap_underlay(view, lang))


def basemap_underlay(view: dict[str, Any], language: str = "en") -> Underlay:
    """The ``underlay`` of :func:`graph.maps.image.save_view` for a :func:`geo_view`: sea,
    land and coasts, the leader lines of the groups moved off a crowded place, and the dashed
    "Outside the map" box — as the page's ``geo.js`` draws them."""
    extra = view.get("view") or {}
    base = extra.get("basemap") or {}

    def underlay(ax: Any, to_px: Callable[[float, float], tuple[float, float]],
                 scale: float) -> None:
        from matplotlib.collections import LineCollection, PolyCollection
        from matplotlib.patches import Rectangle

        k = min(ax.figure.get_size_inches() * ax.figure.dpi / (1920, 1080))
        to_pt = 72.0 / ax.figure.dpi
        x0, y0, x1, y1 = ax.get_xlim()[0], ax.get_ylim()[1], ax.get_xlim()[1], ax.get_ylim()[0]
        # Beyond the outlines: land north, east and south of the region, the Atlantic west
        # of it (as geo.js), so no part of the frame is blank whatever the fit.
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=_LAND, edgecolor="none",
                               zorder=0))
        bounds = base.get("bounds")
        if bounds:
            (bl, bt), (br, bb) = to_px(bounds[0], bounds[1]), to_px(bounds[2], bounds[3])
            ax.add_patch(Rectangle((x0, y0), bl - x0, y1 - y0, facecolor=_SEA,
                                   edgecolor="none", zorder=0))
            ax.add_patch(Rectangle((bl, bt), br - bl, bb - bt, facecolor=_SEA,
                                   edgecolor="none", zorder=0))
        else:
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=_SEA,
                                   edgecolor="none", zorder=0))
        rings = [[to_px(x, y) for x, y in zip(r[::2], r[1::2], strict=True)]
                 for r in base.get("rings") or ()]
        ax.add_collection(PolyCollection(rings, facecolors=_LAND, edgecolors=_COAST,
                                         linewidths=0.8 * k * to_pt * 1.4, zorder=0.2))
        leaders = [[to_px(a, b), to_px(c, d)] for a, b, c, d in extra.get("leaders") or ()]
        if leaders:
            ax.add_collection(LineCollection(leaders, colors=_INK, linewidths=1.5 * k,
                                             zorder=0.4))
            ax.scatter([p[0][0] for p in leaders], [p[0][1] for p in leaders],
                       s=(2 * 3.5 * k * to_pt) ** 2, c=_INK, linewidths=0, zorder=0.4)
        out = base.get("outside")
        if out:
            (left, top), (right, bottom) = to_px(out[0], out[1]), to_px(out[2], out[3])
            ax.add_patch(Rectangle((left, top), right - left, bottom - top, facecolor="none",
                                   edgecolor="#6d6a63", linestyle="--", linewidth=1.2 * k,
                                   zorder=0.4))
            caption = ax.text(left, top - 6 * k, shape_text(i18n.t("map.outside", language)),
                              ha="left", va="bottom", fontsize=18 * k * to_pt, color=_INK,
                              family=_FONTS, zorder=0.4)
            # No name is placed over the caption: its box, in the view's coordinates.
            box = caption.get_window_extent(ax.figure.canvas.get_renderer())
            height = ax.figure.get_size_inches()[1] * ax.figure.dpi
            ox, oy = to_px(0.0, 0.0)
            extra["clear"] = [[(box.x0 - ox) / scale, (height - box.y1 - oy) / scale,
                               (box.x1 - ox) / scale, (height - box.y0 - oy) / scale]]

    return underlay
