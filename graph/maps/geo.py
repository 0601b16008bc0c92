"""The Mediterranean map: countries on an offline basemap, their actors grouped around them,
and the ties between countries drawn as arcs as thick as the collaboration.

"What to draw" (:func:`geo_graph`): one node per country with actors in the network, and —
when the network's nodes are people or organisations — those actors (the most connected
first, up to ``max_actors``) around their country; one link per pair of countries, weighted
by the ties between their actors (the country projection: by the products and events they
share), carrying the years its ties (or shared items) started, for the year slider. "Where"
(:func:`geo_positions`): each country at an inner point of its outline
(``graph/maps/basemap``, Natural Earth, vendored), actors on a sunflower spiral around it;
countries outside the mapped region in a column in the Atlantic, under "Outside the map".
"Which names": countries as the platform names its members (a member government's own label,
e.g. "Palestinian Authority"), else the usual country name in the reader's language.

Everything is offline: the outlines are embedded in the page, drawn under the network.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx

from .. import i18n
from ..network import tie_years
from .html import MapView
from .style import country_label as style_country_label

__all__ = ["OUTSIDE", "PX_PER_DEGREE", "basemap", "basemap_view", "country_label",
           "geo_graph", "geo_map_html", "geo_page", "geo_positions", "geo_view", "with_addons",
           "with_years"]

PX_PER_DEGREE = 40.0
"""Pixels per projected degree: the mapped region is about 1,900 × 1,300 px before fitting."""

OUTSIDE = "country:"
"""Node of the actors whose country is unknown."""

_GOLDEN = math.pi * (3 - math.sqrt(5))  # sunflower angle
_SPIRAL = 9.0  # px: spacing of actors around their country
_EVIDENCE_KEPT = 20
_OUTSIDE_COLUMN = (-12.5, 44.0, 2.4)  # longitude, first latitude, step (degrees) in the Atlantic


@lru_cache(maxsize=1)
def basemap() -> dict[str, Any]:
    """The compact outlines (``graph/maps/basemap/mediterranean.json``) as a dict.

    >>> sorted(basemap()["countries"])[:3]
    ['AD', 'AL', 'AM']
    >>> basemap()["countries"]["PS"]["anchor"]
    [28.15, -31.95]
    """
    source = resources.files(__package__).joinpath("basemap", "mediterranean.json")
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return data


def basemap_view() -> dict[str, Any]:
    """The outlines in map pixels, as the page draws them under the network.

    >>> view = basemap_view()
    >>> len(view["rings"]) > 100, view["bounds"][0] < 0 < view["bounds"][2]
    (True, True)
    """
    data = basemap()
    rings = [[round(v * PX_PER_DEGREE, 1) for v in ring]
             for country in data["countries"].values() for ring in country["rings"]]
    return {"rings": rings, "bounds": [round(v * PX_PER_DEGREE, 1) for v in data["bounds"]]}


def country_label(G: nx.Graph, code: str, lang: str) -> str:
    """The name of country ``code`` as the platform names its member
    (:func:`graph.maps.style.country_label`); "unknown" in ``lang`` for no code.

    >>> G = nx.Graph(labels={"country:PS": {"en": "Palestinian Authority",
    ...                                     "fr": "Autorité palestinienne"}})
    >>> country_label(G, "PS", "fr"), country_label(G, "TN", "fr")
    ('Autorité palestinienne', 'Tunisie')
    """
    if not code:
        return i18n.t("legend.unknown", lang)
    return style_country_label(G, code, lang)


def geo_graph(G: nx.Graph, *, max_actors: int | None = 300) -> nx.Graph:
    """What the geographic map draws (see the module text), from a one-mode projection.

    Country nodes are ``"country:XX"`` (``kind`` ``country``, ``members`` = its actors in
    ``G``); actor nodes keep their attributes. Every node and link has a ``view`` dict for the
    page: ``y0`` (first year of a tie; ``None`` when undated) and, on links, ``yc`` — pairs
    ``[year, ties started up to that year]`` — and ``arc`` (the curvature). ``G.graph["geo"]``
    says how many actors were left out.

    >>> G = nx.Graph()
    >>> G.add_node("a", kind="person", country="TN")
    >>> G.add_node("b", kind="person", country="FR")
    >>> G.add_node("c", kind="person", country="FR")
    >>> G.add_edge("a", "b", weight=2.0, ties={"event": 2}, evidence=[
    ...     {"kind": "event", "iri": "e1", "label": "E1", "year": 2012},
    ...     {"kind": "event", "iri": "e2", "label": "E2", "year": 2014}])
    >>> G.add_edge("a", "c", weight=1.0, ties={"event": 1}, evidence=[
    ...     {"kind": "event", "iri": "e2", "label": "E2", "year": 2014}])
    >>> D = geo_graph(G)
    >>> sorted(D.nodes)
    ['a', 'b', 'c', 'country:FR', 'country:TN']
    >>> D.edges["country:FR", "country:TN"]["weight"], D.edges["country:FR", "country:TN"]["view"]
    (2.0, {'y0': 2012, 'yc': [[2012, 1], [2014, 2]], 'arc': 0.18})
    """
    countries_only = G.graph.get("projection") == "countries" or all(
        d.get("kind") == "country" for _, d in G.nodes(data=True)) and len(G) > 0
    years = tie_years(G)
    first_year: dict[Hashable, int] = {}
    for (u, v), ys in years.items():
        if ys:
            for n in (u, v):
                first_year[n] = min(first_year.get(n, ys[0]), ys[0])

    def code_of(node: Hashable) -> str:
        return str(G.nodes[node].get("country") or "").upper()

    D = nx.Graph()
    D.graph.update({k: v for k, v in G.graph.items() if k != "geo"})
    members = Counter(code_of(n) for n in G)
    illustrative: dict[str, bool] = defaultdict(bool)
    for n, d in G.nodes(data=True):
        illustrative[code_of(n)] |= bool(d.get("illustrative"))
    for code in sorted(members):
        node = f"country:{code}"
        since = min((first_year[n] for n in G if code_of(n) == code and n in first_year),
                    default=None)
        base = dict(G.nodes[node]) if countries_only and node in G else {}
        D.add_node(node, **{**base, "kind": "country", "type": "country", "country": code,
                            "label": base.get("label") or code or "?",
                            "members": members[code], "communities": base.get("communities", ()),
                            "illustrative": illustrative[code], "view": {"y0": since}})
    kept: list[Hashable] = []
    if not countries_only:
        degree = dict(G.degree(weight="weight"))
        ranked = sorted(G.nodes, key=lambda n: (-degree.get(n, 0.0), str(n)))
        kept = ranked if max_actors is None else ranked[:max(0, max_actors)]
        for n in sorted(kept, key=str):
            D.add_node(n, **{**G.nodes[n], "members": 1,
                             "view": {"y0": first_year.get(n), "home": f"country:{code_of(n)}"}})
    D.graph["geo"] = {"actors": len(kept), "actors_total": 0 if countries_only else len(G)}

    # Links between countries: their actors' ties (the country projection: its own edges).
    started: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    ties: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    weight: dict[tuple[str, str], float] = defaultdict(float)
    evidence: dict[tuple[str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    for u, v, data in G.edges(data=True):
        a, b = sorted((code_of(u), code_of(v)))
        if a == b or not a or not b:
            continue
        pair = (a, b)
        weight[pair] += float(data.get("weight", 1.0)) if countries_only else 1.0
        for kind, count in dict(data.get("ties") or {}).items():
            ties[pair][kind] += int(count) if countries_only else 1
        if countries_only:  # the arc grows with every shared product and event, by year
            for item in data.get("evidence") or ():
                if isinstance(item.get("year"), int):
                    started[pair][item["year"]] += 1
        else:  # the arc grows with every tie between the two countries' actors
            ys = years.get((u, v)) or years.get((v, u)) or ()
            if ys:
                started[pair][ys[0]] += 1
        for item in data.get("evidence") or ():
            evidence[pair].setdefault(str(item.get("iri")), dict(item))
    for pair in sorted(weight):
        cumulative, total = [], 0
        for year in sorted(started[pair]):
            total += started[pair][year]
            cumulative.append([year, total])
        items = sorted(evidence[pair].values(),
                       key=lambda e: (-(e.get("year") or 0), str(e.get("iri"))))
        D.add_edge(f"country:{pair[0]}", f"country:{pair[1]}", weight=weight[pair],
                   ties=dict(sorted(ties[pair].items())), evidence=items[:_EVIDENCE_KEPT],
                   evidence_total=len(items),
                   view={"y0": cumulative[0][0] if cumulative else None, "yc": cumulative,
                         "arc": 0.18})
    return D


def geo_positions(D: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Map-pixel positions of :func:`geo_graph`'s nodes (``y`` down; north up).

    >>> D = nx.Graph()
    >>> D.add_node("country:TN", kind="country", country="TN")
    >>> D.add_node("country:US", kind="country", country="US")
    >>> pos = geo_positions(D)
    >>> pos["country:TN"]
    (305.2, -1364.8)
    >>> pos["country:US"][0] < pos["country:TN"][0]
    True
    """
    anchors = basemap()["countries"]
    lon, lat, step = _OUTSIDE_COLUMN
    scale_x = math.cos(math.radians(basemap()["projection"]["standard_parallel"]))
    pos: dict[Hashable, tuple[float, float]] = {}
    outside = 0
    for node in sorted((n for n, d in D.nodes(data=True) if d.get("kind") == "country"), key=str):
        code = str(D.nodes[node].get("country") or "").upper()
        if code in anchors:
            x, y = anchors[code]["anchor"]
        else:
            x, y = lon * scale_x, -(lat - step * outside)
            outside += 1
        pos[node] = (round(x * PX_PER_DEGREE, 1), round(y * PX_PER_DEGREE, 1))
    around: dict[Hashable, list[Hashable]] = defaultdict(list)
    degree = dict(D.degree(weight="weight"))
    for node, data in D.nodes(data=True):
        if data.get("kind") != "country":
            around[(data.get("view") or {}).get("home", OUTSIDE)].append(node)
    # Each country's actors on a sunflower spiral around it, largest groups first; a spot too
    # close to a dot already placed or to another country is skipped, so neighbouring
    # countries (Lebanon, the Palestinian Authority, Jordan) keep their actors apart.
    centres = list(pos.values())
    taken: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for home in sorted(around, key=lambda h: (-len(around[h]), str(h))):
        cx, cy = pos.get(home, pos.get(OUTSIDE, (0.0, 0.0)))
        others = [c for c in centres if c != (cx, cy)]
        k = 0
        for node in sorted(around[home], key=lambda n: (-degree.get(n, 0.0), str(n))):
            while True:
                r = _SPIRAL * (2.2 + math.sqrt(k + 0.5))
                x, y = cx + r * math.cos(k * _GOLDEN), cy + r * math.sin(k * _GOLDEN)
                k += 1
                if _free(taken, x, y) and all(
                        math.hypot(x - ox, y - oy) > 2.2 * _SPIRAL for ox, oy in others):
                    break
            cell = (int(x // _SPIRAL), int(y // _SPIRAL))
            taken[cell].append((x, y))
            pos[node] = (round(x, 1), round(y, 1))
    return pos


# ----------------------------------------------------------------------------- pages
def geo_view(
    G: nx.Graph,
    *,
    title: str,
    language: str = "en",
    max_actors: int | None = 300,
    color_by: str = "country",
    source_note: str | None = None,
    data_date: str | None = None,
    caption: str | None = None,
) -> dict[str, Any]:
    """One drawable view of ``G`` on the map of the region (the JSON the page reads), with
    the basemap, arcs and every year's links for the slider.

    >>> G = nx.Graph(projection="countries")
    >>> G.add_node("country:TN", kind="country", country="TN")
    >>> G.add_node("country:FR", kind="country", country="FR")
    >>> G.add_edge("country:TN", "country:FR", weight=3.0, ties={"event": 3},
    ...            evidence=[{"kind": "event", "iri": "e1", "label": "E1", "year": 2015}])
    >>> v = geo_view(G, title="Map", language="ar")
    >>> [n["l"] for n in v["nodes"]], v["years"], v["edges"][0]["v"]["yc"]
    (['فرنسا', 'تونس'], [2015], [[2015, 1]])
    """
    from .html import map_view

    lang = i18n.normalize_language(language)
    D = geo_graph(G, max_actors=max_actors)
    for _node, data in D.nodes(data=True):
        if data.get("kind") == "country":
            code = str(data.get("country") or "")
            data["labels"] = {lg: country_label(G, code, lg) for lg in i18n.LANGUAGES}
            data["label"] = data["labels"]["en"]
    positions = geo_positions(D)
    view = map_view(D, title=title, language=lang, color_by=color_by, size_by="members",
                    max_nodes=max(len(D), 1), source_note=source_note, data_date=data_date,
                    caption=caption, links="all", isolates=True, positions=positions)
    data = view.data
    _place(data, view.graph, D)
    # Actors are drawn around their country, not linked one by one: "N without any link"
    # would mislead here.
    selection = view.selection
    if selection.isolates:
        unlinked = i18n.t("map.isolates_shown", lang, n=selection.isolates)
        data["notes"] = [note for note in data["notes"] if note != unlinked]
    years = sorted({y for _, _, v in D.edges(data="view") for y, _ in (v or {}).get("yc", ())}
                   | {n["v"]["y0"] for n in data["nodes"] if n["v"].get("y0") is not None})
    data["years"] = list(range(years[0], years[-1] + 1)) if years else []
    data["basemap"] = {**basemap_view(), "outside": _outside_box(D, positions)}
    geo = D.graph["geo"]
    if geo["actors_total"]:
        data["notes"].append(i18n.t("map.geo_actors", lang, shown=geo["actors"],
                                    total=geo["actors_total"]))
    data["notes"].append(i18n.t("map.geo_note", lang))
    return data


def with_years(view: MapView) -> dict[str, Any]:
    """A drawn view (:func:`graph.maps.html.map_view`) with each link's first year, each
    node's first tie year and the years for the slider: the same network (same positions),
    stepped through time. Returns the view's JSON-ready dict.

    >>> from graph.maps.html import map_view
    >>> H = nx.Graph()
    >>> H.add_edge("a", "b", evidence=[{"year": 2012}])
    >>> H.add_edge("b", "c", evidence=[{"year": 2014}])
    >>> v = with_years(map_view(H, title="T"))
    >>> v["years"], [e["v"]["y0"] for e in v["edges"]]
    ([2012, 2013, 2014], [2012, 2014])
    """
    data, H = view.data, view.graph
    years = tie_years(H)
    first: dict[Hashable, int] = {}
    for (u, v), ys in years.items():
        for n in (u, v):
            if ys:
                first[n] = min(first.get(n, ys[0]), ys[0])
    order = _order(data, H)
    for i, node in enumerate(order):
        data["nodes"][i]["v"] = {"y0": first.get(node)}
    index = {node: i for i, node in enumerate(order)}
    for edge, (u, v) in zip(data["edges"], _edge_order(H, index), strict=True):
        ys = years.get((u, v)) or years.get((v, u)) or ()
        edge["v"] = {"y0": ys[0] if ys else None}
    all_years = sorted({y for ys in years.values() for y in ys[:1]})
    data["years"] = list(range(all_years[0], all_years[-1] + 1)) if all_years else []
    return data


def geo_page(views: list[dict[str, Any]], *, title: str, language: str = "en",
             presentation: bool = False) -> str:
    """The offline HTML page of ``views`` (from :func:`geo_view` or :func:`with_years`) with
    the basemap, arcs and year slider of ``assets/geo.js``.

    >>> page = geo_page([], title="Empty")
    >>> "copkg-years" in page and "http://" not in page and "https://" not in page
    True
    """
    from .html import render_page

    return with_addons(render_page(views, title=title, language=language,
                                   presentation=presentation))


def with_addons(page: str) -> str:
    """``page`` (from :func:`graph.maps.html.render_page`) with the basemap, arcs and year
    slider add-on (``assets/geo.js``, ``assets/geo.css``) after map.js.

    >>> from graph.maps.html import render_page
    >>> "copkgYear" in with_addons(render_page([], title="T"))
    True
    """
    assets = resources.files(__package__).joinpath("assets")
    css = assets.joinpath("geo.css").read_text(encoding="utf-8")
    js = assets.joinpath("geo.js").read_text(encoding="utf-8")
    head, _, rest = page.partition("</head>")
    body, _, tail = rest.rpartition("</body>")
    return f"{head}<style>{css}</style>\n</head>{body}<script>{js}</script>\n</body>{tail}"


def geo_map_html(G: nx.Graph, *, title: str, language: str = "en",
                 presentation: bool = False, year: int | None = None, **options: Any) -> str:
    """One offline HTML page: ``G`` on the map of the region, with the year slider (opening
    on ``year``, else on the last year).

    ``options`` go to :func:`geo_view` (``max_actors``, ``color_by``, ``source_note``, ...).

    >>> G = nx.Graph(projection="countries")
    >>> G.add_node("country:TN", kind="country", country="TN")
    >>> page = geo_map_html(G, title="<Map>")
    >>> "&lt;Map&gt;" in page and "https://" not in page
    True
    """
    view = geo_view(G, title=title, language=language, **options)
    if year is not None:
        view["start_year"] = int(year)
    return geo_page([view], title=title, language=language, presentation=presentation)


def _free(taken: Mapping[tuple[int, int], list[tuple[float, float]]], x: float, y: float,
          ) -> bool:
    """No dot already placed within one spiral step of ``(x, y)``."""
    i, j = int(x // _SPIRAL), int(y // _SPIRAL)
    return all(math.hypot(x - px, y - py) >= _SPIRAL * 0.95
               for di in (-1, 0, 1) for dj in (-1, 0, 1)
               for px, py in taken.get((i + di, j + dj), ()))


def _order(data: dict[str, Any], H: nx.Graph) -> list[Hashable]:
    """The nodes of ``H`` in the order of the view's node list (as ``map_view`` writes it)."""
    from .style import short_id

    # Until map_view passes node/link attributes through (asked of #11 on BOARD), the add-on
    # data is matched by the order _view_data writes, checked here id by id.
    order = sorted(H.nodes, key=lambda n: (type(n).__name__, str(n)))
    if len(order) != len(data["nodes"]) or any(
            data["nodes"][i]["id"] != short_id(node) for i, node in enumerate(order)):
        raise ValueError("the view's nodes are not the graph's, in the drawing's order")
    return order


def _edge_order(H: nx.Graph, index: Mapping[Hashable, int]) -> list[tuple[Hashable, Hashable]]:
    return [(u, v) for u, v in sorted(H.edges(), key=lambda e: (index[e[0]], index[e[1]]))]


def _place(data: dict[str, Any], H: nx.Graph, D: nx.Graph) -> None:
    order = _order(data, H)
    for i, node in enumerate(order):
        data["nodes"][i]["v"] = dict(D.nodes[node].get("view") or {})
    index = {node: i for i, node in enumerate(order)}
    for edge, (u, v) in zip(data["edges"], _edge_order(H, index), strict=True):
        edge["v"] = dict(D.edges[u, v].get("view") or {})


def _outside_box(D: nx.Graph, positions: Mapping[Hashable, tuple[float, float]],
                 ) -> list[float] | None:
    anchors = basemap()["countries"]
    outside = [positions[n] for n, d in D.nodes(data=True)
               if d.get("kind") == "country" and str(d.get("country") or "") not in anchors]
    if not outside:
        return None
    pad = 2.2 * _SPIRAL * 3
    xs = [p[0] for p in outside]
    ys = [p[1] for p in outside]
    return [min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad]
