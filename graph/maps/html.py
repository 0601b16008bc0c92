"""Offline, self-contained HTML network maps: vis-network inlined, data as escaped JSON.

The file references nothing outside itself (no ``http(s)://`` at all, and a Content Security
Policy that forbids fetching), so it opens from a USB stick on a projector with no network.
Every name reaches the page through ``textContent``; see DESIGN.md on pyvis's XSS holes.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx
import pandas as pd

from .. import i18n
from .backbone import Selection, node_key, select
from .credits import count_note, filters_note, year_note
from .layout import layout
from .reduce import Reduction, reduce_graph
from .style import Styled, describe_node, short_id, style_graph
from .years import drawn_at, legend_at, links_at, opening_year

__all__ = ["VIS_NETWORK_VERSION", "MapView", "map_html", "map_view", "render_page",
           "sanitize_js", "script_json", "vis_network_js"]

VIS_NETWORK_VERSION = "9.1.2"
"""Version of vis-network inlined in every map (the copy bundled in pyvis 0.3.2)."""

_FONT_EM = (1.0, 1.3)  # label size relative to the page's text, smallest to largest node
_EVIDENCE_PER_EDGE = 12
_PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


@dataclass
class MapView:
    """One drawable view: the JSON-ready dict the page script reads, plus what it came from."""

    data: dict[str, Any]
    graph: nx.Graph
    styled: Styled
    positions: dict[Hashable, tuple[float, float]]
    reduction: Reduction
    selection: Selection


def map_html(
    G: nx.Graph,
    *,
    title: str,
    language: str = "en",
    color_by: str = "community",
    size_by: str = "degree",
    physics: bool = False,
    measures: pd.DataFrame | None = None,
    source_note: str | None = None,
    data_date: str | None = None,
    max_nodes: int | None = None,
    aggregate: str | None = None,
    rank_by: str = "degree",
    presentation: bool = False,
    focus: Hashable | None = None,
    caption: str | None = None,
    seed: int = 42,
    min_weight: float | None = None,
    links: str = "backbone",
    isolates: bool = False,
    layout_method: str = "forceatlas2",
    extra_js: Sequence[str] = (),
    palette_keys: Sequence[str] | None = None,
) -> str:
    """One self-contained HTML page drawing ``G`` as an interactive network map.

    Parameters
    ----------
    G : networkx.Graph
        A projection from ``graph.network.build_projection`` (or any graph; missing
        attributes are shown as unknown).
    title : str
        Heading of the map (shown as text; any markup in it stays visible as typed).
    language : {"en", "fr", "ar"}
        Language of the interface and of the labels; ``"ar"`` gives ``dir="rtl"``.
    color_by : str
        ``community`` (of practice), ``country``, ``type``, ``kind``, ``organization`` or
        ``cluster`` (the ``cluster`` column of ``measures``).
    size_by : str
        A measure: ``degree``, ``weighted_degree``, ``betweenness``, ``pagerank``, ...
    physics : bool
        Start with the physics simulation running (nodes move); off = fixed positions.
    measures : pandas.DataFrame, optional
        ``graph.analysis.measures(G)``; measures it lacks are computed here.
    source_note, data_date : str, optional
        Where the data comes from and how recent it is, printed in the title block.
    max_nodes : int, optional
        Largest number of nodes drawn (default 1,500); above it the top nodes by ``rank_by``
        are kept, or, with ``aggregate``, nodes are grouped. The title block says which.
    aggregate : {"organization", "country", "community"}, optional
        Draw one node per group instead of one per actor.
    presentation : bool
        Start in the large-label, high-contrast style (a button toggles it).
    focus : node, optional
        Node selected (and its details shown) when the map opens.
    caption : str, optional
        A sentence under the title (stories use it).
    seed : int
        Seed of the layout.
    min_weight : float, optional
        Links weaker than this are dropped before layout and drawing (nodes stay); the title
        block says how many links are left. ``None`` or ``<= 0`` keeps every link.
    links : {"backbone", "all"}
        Draw the significant ties of a dense network (default) or every link
        (:func:`graph.maps.backbone.select`); the title block says which.
    isolates : bool
        Draw the nodes without any link too (they are counted in the title block either way).
    layout_method : str
        ``forceatlas2`` (default), ``fr`` or a name registered with
        :func:`graph.maps.layout.register_layout`.
    extra_js : sequence of str
        Add-on scripts run after the page's own (see :func:`render_page`).
    palette_keys : sequence of str, optional
        Fixed colour per group, e.g. the same for every step of a story
        (:func:`graph.maps.style.style_graph`).

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> import networkx as nx
    >>> page = map_html(nx.florentine_families_graph(), title="Florence <1430>")
    >>> "Florence &lt;1430&gt;" in page and "https://" not in page and "http://" not in page
    True
    """
    view = map_view(G, title=title, language=language, color_by=color_by, size_by=size_by,
                    measures=measures, source_note=source_note, data_date=data_date,
                    max_nodes=max_nodes, aggregate=aggregate, rank_by=rank_by, focus=focus,
                    caption=caption, seed=seed, min_weight=min_weight, links=links,
                    isolates=isolates, layout_method=layout_method,
                    palette_keys=palette_keys)
    return render_page([view.data], title=title, language=language, physics=physics,
                       presentation=presentation, extra_js=extra_js)


def map_view(
    G: nx.Graph,
    *,
    title: str,
    language: str = "en",
    color_by: str = "community",
    size_by: str = "degree",
    measures: pd.DataFrame | None = None,
    source_note: str | None = None,
    data_date: str | None = None,
    max_nodes: int | None = None,
    aggregate: str | None = None,
    rank_by: str = "degree",
    focus: Hashable | None = None,
    caption: str | None = None,
    seed: int = 42,
    min_weight: float | None = None,
    links: str = "backbone",
    isolates: bool = False,
    layout_method: str = "forceatlas2",
    positions: Mapping[Hashable, tuple[float, float]] | None = None,
    palette_keys: Sequence[str] | None = None,
) -> MapView:
    """Choose what to draw, where, and style ``G`` into one view of a page (see :func:`map_html`).

    The three steps: **what** (:func:`reduce_graph` for size, then
    :func:`graph.maps.backbone.select`: backbone, isolates, a focus's strongest ties),
    **where** (``positions`` if given — a geographic layout, say — else
    :func:`graph.maps.layout.layout` with ``layout_method``), **which names** (in the page,
    largest first as they fit; :mod:`graph.maps.labels` for images).

    >>> import networkx as nx
    >>> v = map_view(nx.path_graph(3), title="Path", language="fr")
    >>> len(v.data["nodes"]), v.data["notes"][0]
    (3, '3 nœuds, 2 liens')
    """
    lang = i18n.normalize_language(language)
    H, reduction = reduce_graph(G, max_nodes=max_nodes, aggregate=aggregate, rank_by=rank_by,
                                measures=measures)
    if reduction.mode == "aggregate":
        measures = None
        if size_by not in ("degree", "weighted_degree", "members"):
            size_by = "members"
    H, weight_note = _drop_weak(H, min_weight, lang)
    H, selection = select(H, links=links, isolates=isolates,
                          focus=focus if focus is not None and focus in H else None)
    styled = style_graph(H, lang=lang, color_by=color_by, size_by=size_by, measures=measures,
                         palette_keys=palette_keys)
    if positions is None:  # an ego map is laid out around its focus, in the middle
        where = layout(H, seed=seed, method=layout_method, sizes=styled.sizes,
                       centre=focus if focus is not None and focus in H else None)
    else:
        where = {n: (float(positions[n][0]), float(positions[n][1])) for n in H}
    data = _view_data(H, styled, where, reduction, lang=lang, title=title,
                      source_note=source_note, data_date=data_date, focus=focus,
                      caption=caption, rank_by=rank_by, weight_note=weight_note,
                      selection=selection, filtered=filters_note(G, lang))
    return MapView(data, H, styled, where, reduction, selection)


def render_page(views: Sequence[Mapping[str, Any]], *, title: str, language: str = "en",
                physics: bool = False, presentation: bool = False,
                story: Mapping[str, Any] | None = None,
                extra_js: Sequence[str] = ()) -> str:
    """The HTML document drawing ``views`` (one map, or the steps of a story).

    ``extra_js``: scripts (text, made safe with :func:`sanitize_js`) run after the map's own;
    the page sends a ``copkg:view`` event (``detail``: view, network, nodes, edges) each time
    a view is drawn, so an add-on can draw under the network or add controls.

    >>> page = render_page([], title="Empty")
    >>> page.startswith("<!DOCTYPE html>") and 'lang="en"' in page
    True
    """
    lang = i18n.normalize_language(language)
    payload = {
        "lang": lang,
        # Only the texts the page's scripts say (map.js, geo.js: map.*, present.*, story.*).
        "ui": {key: text for key, text in i18n.catalogue(lang).items()
               if key.startswith(("map.", "present.", "story."))},
        "options": {"physics": bool(physics), "presentation": bool(presentation)},
        "story": dict(story) if story else None,
        "views": list(views),
    }
    values = {
        "LANG": html.escape(lang),
        "DIR": i18n.direction(lang),
        "TITLE": html.escape(title),
        "BODY_CLASS": "copkg-presentation" if presentation else "",
        "CSS": _asset("map.css"),
        "DATA": script_json(payload),
        "VIS_JS": vis_network_js(),
        "APP_JS": _asset("map.js") + "".join(
            "\n;" + sanitize_js(script) for script in extra_js),
    }
    # One pass over the template only: text inside the values is never read as a placeholder.
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("map.html"))


def script_json(value: Any) -> str:
    """JSON safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators escaped.

    >>> script_json({"name": "</script><!--"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone build, made safe to inline in an offline page.

    Read from the copy pyvis bundles (``pyvis/templates/lib/vis-9.1.2``). Its licence header
    (Apache-2.0 / MIT, Almende B.V. and visjs contributors) is kept; the scheme of every URL
    in it is dropped, and inside the code the SVG namespace string is written
    ``http:\\/\\/…`` (the same string to JavaScript) so the file contains no ``http(s)://``.
    The source-map comment is removed. Raises :class:`FileNotFoundError` if pyvis lacks it.
    """
    source = resources.files("pyvis").joinpath(
        "templates", "lib", f"vis-{VIS_NETWORK_VERSION}", "vis-network.min.js")
    return sanitize_js(source.read_text(encoding="utf-8"))


def sanitize_js(text: str) -> str:
    r"""Remove ``http(s)://`` and ``</script``/``<!--`` from JavaScript without changing it.

    ``://`` is rewritten ``:\/\/`` (identical inside strings, regular expressions and
    comments); the source-map line is dropped.

    >>> sanitize_js('a="https://x.org/";/* http://y */\n//# sourceMappingURL=a.map')
    'a="https:\\/\\/x.org/";/* http:\\/\\/y */\n'
    """
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    text = re.sub(r"(?i)\b(https?):(/)(/)", r"\1:\\/\\/", text)
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def _drop_weak(H: nx.Graph, min_weight: float | None, lang: str) -> tuple[nx.Graph, str | None]:
    """``H`` without its links weaker than ``min_weight`` (all nodes kept), and the note saying
    so; ``H`` itself and no note when there is no threshold."""
    if min_weight is None:
        return H, None
    threshold = _float(min_weight, 0.0)
    if threshold <= 0:
        return H, None
    kept = H.__class__()
    kept.graph.update(H.graph)
    kept.add_nodes_from(H.nodes(data=True))
    kept.add_edges_from((u, v, d) for u, v, d in H.edges(data=True)
                        if _float(d.get("weight"), 1.0) >= threshold)
    note = i18n.t("map.min_weight", lang, weight=threshold, kept=kept.number_of_edges(),
                  total=H.number_of_edges())
    return kept, note


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _view_data(H: nx.Graph, styled: Styled, positions: Mapping[Hashable, tuple[float, float]],
               reduction: Reduction, *, lang: str, title: str, source_note: str | None,
               data_date: str | None, focus: Hashable | None, caption: str | None,
               rank_by: str, weight_note: str | None = None,
               selection: Selection | None = None,
               filtered: str | None = None) -> dict[str, Any]:
    t = i18n.t
    order = sorted(H.nodes, key=node_key)
    index = {node: i for i, node in enumerate(order)}
    ranked = sorted(order, key=lambda n: (n != focus, -styled.sizes[n], str(n)))
    rank = {node: r for r, node in enumerate(ranked)}
    ringed = styled.extra.get("ringed", set())
    sizes = [styled.sizes[n] for n in order]
    small, large = (min(sizes), max(sizes)) if sizes else (0.0, 0.0)
    shown_measures = tuple(dict.fromkeys(
        ("degree", "weighted_degree", styled.size_by, "betweenness", "pagerank", "members")))
    nodes = []
    for node in order:
        data = H.nodes[node]
        x, y = positions[node]
        about = describe_node(H, node, lang)
        nodes.append({
            "i": index[node],
            "l": styled.labels[node] or t("map.unnamed", lang),
            "x": x,
            "y": y,
            "s": styled.sizes[node],
            "c": styled.colors[node],
            "r": rank[node],
            "fs": _font_em(styled.sizes[node], small, large),
            "ring": node in ringed,
            "kind": about["kind"],
            "type": about["type"],
            "country": about["country"],
            "o": about["organization"],
            "cm": about["communities"],
            "il": bool(data.get("illustrative")),
            "id": short_id(node),
            "m": [[_try_t(f"measure.{m}", lang, m),
                   _number(styled.measures[node][m], lang)]
                  for m in shown_measures if m in styled.measures[node]],
            **({"view": dict(data["view"])} if isinstance(data.get("view"), Mapping) else {}),
        })
    edges = []
    # each link from its end first in ``order`` (undirected), whatever order H was built in
    ends = ((u, v, d) if H.is_directed() or index[u] <= index[v] else (v, u, d)
            for u, v, d in H.edges(data=True))
    for u, v, data in sorted(ends, key=lambda e: (index[e[0]], index[e[1]])):
        weight = _float(data.get("weight"), 1.0)
        evidence = list(data.get("evidence") or ())
        total = int(data.get("evidence_total") or len(evidence))
        edges.append({
            "f": index[u],
            "t": index[v],
            "wt": weight,
            "wl": _number(weight, lang),
            "w": round(1.0 + 2.0 * math.log1p(max(weight, 0.0)), 2),
            "ti": [[_try_t(f"tie.{k}", lang, str(k)), _number(c, lang)]
                   for k, c in sorted(dict(data.get("ties") or {}).items())],
            "ev": [_evidence(item, lang) for item in evidence[:_EVIDENCE_PER_EDGE]],
            "more": max(0, total - min(len(evidence), _EVIDENCE_PER_EDGE)),
            **({"view": dict(data["view"])} if isinstance(data.get("view"), Mapping) else {}),
        })
    extra = dict(H.graph["view"]) if isinstance(H.graph.get("view"), Mapping) else None
    opening = opening_year(extra) if extra else None
    kind = str((extra or {}).get("actors") or "")

    def counts(year: int | None) -> str:
        drawn = drawn_at(nodes, edges, year)
        return count_note(drawn.nodes, drawn.links, lang, countries=drawn.countries, kind=kind)

    # The legend counts the actors drawn (never a country's marker), as the counts line does.
    slot = {e.key: k for k, e in enumerate(styled.legend)}
    entries = [slot.get(key, slot.get("~other" if key else "~none"))
               for key in (styled.groups.get(node, "") for node in order)]
    legend = [{"label": e.label, "color": e.color, "count": e.count} for e in styled.legend]
    if extra is None or opening is None:
        notes = [counts(None)]
        for entry, n in zip(legend, legend_at(nodes, entries, len(legend), None), strict=True):
            entry["count"] = n
        legend = [entry for entry in legend if entry["count"]]
    else:
        # A page with a year slider: its counts line, legend and slider status say what the
        # year shown draws (the one rule of graph.maps.years); geo.js swaps them as it moves.
        extra["count_notes"] = {str(y): counts(y) for y in extra["years"]}
        extra["year_notes"] = {str(y): year_note(y, *links_at(edges, y), lang)
                               for y in extra["years"]}
        extra["legend_counts"] = {str(y): legend_at(nodes, entries, len(legend), y)
                                  for y in extra["years"]}
        notes = [extra["count_notes"][str(opening)]]
        for entry, n in zip(legend, extra["legend_counts"][str(opening)], strict=True):
            entry["count"] = n
    if filtered:
        notes.append(filtered)
    if selection is not None and selection.links == "backbone":
        notes.append(t("map.links_backbone", lang, kept=selection.edges_kept,
                       total=selection.edges_total))
    if selection is not None and selection.isolates:
        notes.append(t("map.isolates_shown" if selection.isolates_drawn
                       else "map.isolates_hidden", lang, n=selection.isolates))
    if reduction.mode == "top":
        notes.append(t("map.reduced_top", lang, kept=reduction.kept,
                       total=reduction.total,
                       measure=_try_t(f"measure.{reduction.measure}", lang, rank_by)))
    elif reduction.mode == "aggregate":
        notes.append(t("map.reduced_aggregate", lang, total=reduction.total,
                       by=t(f"by.{reduction.by}", lang), groups=reduction.kept))
    if weight_note:
        notes.append(weight_note)
    if focus is not None and focus in H:
        focused = i18n.isolate(styled.labels[focus], lang)  # a Latin name in an Arabic note
        if selection is not None and selection.focus_shown < selection.focus_ties:
            notes.append(t("map.focus_capped", lang, name=focused, shown=selection.focus_shown,
                           total=selection.focus_ties))
        else:
            notes.append(t("map.focus", lang, name=focused))
    if ringed:
        notes.append(t("map.ringed", lang, n=len(ringed)))
    # Every map says when and from what it was drawn.
    notes.append(t("map.data_date", lang, date=_date(data_date, lang)) if data_date
                 else t("map.drawn_on", lang, date=_date(_today(), lang)))
    notes.append(t("map.source", lang, source=source_note or t("map.source_default", lang)))
    return {
        "title": title,
        "caption": caption,
        "illustrative": styled.illustrative,
        "notes": notes,
        "colorBy": t("map.colour_by", lang, by=t(f"by.{styled.color_by}", lang)),
        "sizeBy": t("map.size_by", lang, by=_try_t(f"measure.{styled.size_by}", lang,
                                                    styled.size_by)),
        "legend": legend,
        "focus": index.get(focus) if focus is not None else None,
        "reduction": reduction.as_dict(),
        "selection": selection.as_dict() if selection is not None else None,
        # add-ons (a basemap, a year slider) read their own data here, and "view" on each
        # node and edge: JSON values given as the graph's / node's / edge's "view" attribute
        "view": extra,
        "nodes": nodes,
        "edges": edges,
    }


def _font_em(size: float, small: float, large: float) -> float:
    """Label size relative to the page's text size, growing with the node's size."""
    lo, hi = _FONT_EM
    frac = (size - small) / (large - small) if large > small else 1.0
    return round(lo + (hi - lo) * frac, 2)


def _today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def _date(text: str, lang: str) -> str:
    """An ISO date written the reader's way (``30 nov. 2026``); other text as given."""
    try:
        return i18n.format_date(text, lang)
    except ValueError:
        return text


def _try_t(key: str, lang: str, default: str) -> str:
    try:
        return i18n.t(key, lang)
    except KeyError:
        return default


def _evidence(item: Mapping[str, Any], lang: str) -> list[str]:
    """One piece of evidence of a link for the panel: its kind (a product, an event, a
    community, a member: the catalogue's ``kind.*``, as ``copkg path`` and the app say it),
    label and year."""
    kind = str(item.get("kind") or "")
    label = str(item.get("label") or short_id(str(item.get("iri") or "")) or "")
    year = item.get("year")
    return [_try_t(f"kind.{kind}", lang, kind) if kind else "", label,
            "" if year is None or year == "" else str(year)]


def _float(value: object, default: float) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def _number(value: object, lang: str) -> str:
    """A number as the reader writes it (Babel: ``5,354`` / ``5 354``; three significant
    digits for fractions), the same way as every other number on the page."""
    number = _float(value, 0.0)
    if number == int(number) and abs(number) < 1e15:
        return i18n.format_number(int(number), lang)
    return i18n.format_number(number, lang, significant=3)
