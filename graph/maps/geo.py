"""The Mediterranean map: countries on an offline basemap, their actors grouped around them,
and the ties between countries drawn as arcs as thick as the collaboration.

"What to draw" (:func:`geo_graph`): one node per country with actors in the network, and —
when the network's nodes are people or organisations — those actors (the most connected
first, up to ``max_actors``) around their country; one link per pair of countries, weighted
by the ties between their actors (the country projection: by the products and events they
share), carrying the years its ties (or shared items) started, for the year slider. "Where"
(:func:`geo_positions`): each country at an inner point of its outline
(``graph/maps/basemap``, Natural Earth, vendored), actors on a sunflower spiral around it
(where neighbouring countries' groups would overlap, as in the Levant, the groups are pushed
apart and joined to their true place by a leader line); countries outside the mapped region
in a column in the Atlantic, under "Outside the map". "Which names": countries as the
platform names its members (a member government's own label, e.g. "Palestinian
Authority"), else the usual country name in the reader's language.

Drawn by the maps of :mod:`graph.maps.html` with no renderer of its own: :func:`geo_view` is a
:func:`graph.maps.html.map_view` with fixed positions whose add-on data rides on the nodes',
links' and graph's ``view`` attributes; pages add ``assets/geo.js`` (:func:`geo_scripts`:
basemap under the network, arcs, year slider), pictures a basemap underlay
(:mod:`graph.maps.geo_image`). Everything is offline: the outlines are embedded in the page.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import networkx as nx

from .. import i18n
from ..network import active_years, tie_years
from .credits import count_note, year_note
from .html import map_view, render_page
from .style import country_label as platform_country_label
from .style import style_graph
from .years import Drawn, drawn_at, links_at, opening_year
from .years import count_at as _count_at
from .years import node_shown as _shown

__all__ = ["OUTSIDE", "PX_PER_DEGREE", "basemap", "basemap_view", "country_label",
           "drawn_counts", "drawn_note", "geo_graph", "geo_map_html", "geo_positions",
           "geo_scripts", "geo_view", "leader_lines", "with_years"]

PX_PER_DEGREE = 40.0
"""Pixels per projected degree: the mapped region is about 1,900 × 1,300 px before fitting."""

OUTSIDE = "country:"
"""Node of the actors whose country is unknown."""

_GOLDEN = math.pi * (3 - math.sqrt(5))  # sunflower angle
_GAP = 2.5  # px between two actors' discs
_GROUP_GAP = 28.0  # px between two countries' groups of actors
_NAME_GAP = 110.0  # px between two countries drawn alone: room for a name between them
_EVIDENCE_KEPT = 20
_OUTSIDE_COLUMN = (-12.5, 44.0, 2.4)  # longitude, first latitude, step (degrees) in the Atlantic
_ARC = 0.18  # curvature of the arcs between countries
_ORANGE, _GREY = (213, 94, 0), (120, 120, 120)  # new ties / older ties (as geo.js)


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
    (:func:`graph.maps.style.country_label`); "Unknown" in ``lang`` for no code.

    >>> G = nx.Graph(labels={"country:PS": {"en": "Palestinian Authority",
    ...                                     "fr": "Autorité palestinienne"}})
    >>> country_label(G, "PS", "fr"), country_label(G, "TN", "fr")
    ('Autorité palestinienne', 'Tunisie')
    """
    if not code:
        return i18n.t("legend.unknown", lang)
    return platform_country_label(G, code, lang)


def geo_graph(G: nx.Graph, *, max_actors: int | None = 300) -> nx.Graph:
    """What the geographic map draws (see the module text), from a one-mode projection.

    Country nodes are ``"country:XX"`` (``kind`` ``country``, ``members`` = its actors in
    ``G``); actor nodes keep their attributes. Every node and link has a ``view`` dict for the
    page: ``y0`` (first year the node was active, :func:`graph.network.active_years`; ``None``
    and ``idle`` when never active in a dated year) and, on links, ``yc`` — pairs
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
    # First year each actor was active (graph.network.active_years: as trends counts them).
    first_year = {n: ys[0] for n, ys in active_years(G).items()}
    dated = bool(first_year)

    def code_of(node: Hashable) -> str:
        return str(G.nodes[node].get("country") or "").upper()

    D = nx.Graph()
    D.graph.update({k: v for k, v in G.graph.items() if k not in ("geo", "view")})
    members = Counter(code_of(n) for n in G)
    illustrative: dict[str, bool] = defaultdict(bool)
    for n, d in G.nodes(data=True):
        illustrative[code_of(n)] |= bool(d.get("illustrative"))
    for code in sorted(members):
        node = f"country:{code}"
        since = min((first_year[n] for n in G if code_of(n) == code and n in first_year),
                    default=None)
        base = dict(G.nodes[node]) if countries_only and node in G else {}
        view = _since(since, dated)
        if not countries_only:  # a place on the map, not an actor: never counted as one
            view["marker"] = code
        D.add_node(node, **{**base, "kind": "country", "type": "country", "country": code,
                            "label": base.get("label") or code or "?",
                            "members": members[code], "communities": base.get("communities", ()),
                            "illustrative": illustrative[code], "view": view})
    kept: list[Hashable] = []
    if not countries_only:
        degree = dict(G.degree(weight="weight"))
        ranked = sorted(G.nodes, key=lambda n: (-degree.get(n, 0.0), str(n)))
        kept = ranked if max_actors is None else ranked[:max(0, max_actors)]
        for n in sorted(kept, key=str):
            D.add_node(n, **{**G.nodes[n], "members": 1,
                             "view": {**_since(first_year.get(n), dated),
                                      "home": f"country:{code_of(n)}"}})
    kinds = {str(G.nodes[n].get("kind") or "") for n in kept}
    D.graph["geo"] = {"actors": len(kept), "actors_total": 0 if countries_only else len(G),
                      "kind": "country" if countries_only
                      else kinds.pop() if len(kinds) == 1 else ""}

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
                         "arc": _ARC})
    return D


def geo_positions(D: nx.Graph, sizes: Mapping[Hashable, float] | None = None,
                  ) -> dict[Hashable, tuple[float, float]]:
    """Map-pixel positions of :func:`geo_graph`'s nodes (``y`` down; north up).

    Each country's actors lie on a sunflower spiral around it, most connected nearest, no two
    discs overlapping (``sizes``: disc radii, by default the map's own — sized by members,
    :func:`graph.maps.style.style_graph`). Where two countries' groups would overlap (the
    Levant: Lebanon, the Palestinian Authority, Jordan), the groups are pushed apart, each
    kept as near its country as the others let it; :func:`leader_lines` then joins them to
    their true place.

    >>> D = nx.Graph()
    >>> D.add_node("country:TN", kind="country", country="TN")
    >>> D.add_node("country:US", kind="country", country="US")
    >>> pos = geo_positions(D)
    >>> pos["country:TN"]
    (305.2, -1364.8)
    >>> pos["country:US"][0] < pos["country:TN"][0]
    True
    """
    clouds = _clouds(D, dict(sizes) if sizes is not None else _sizes(D))
    anchors = _anchors(D)
    alone = all(len(offsets) == 1 for offsets, _ in clouds.values())
    centres = _spread(anchors, {home: cloud[1] for home, cloud in clouds.items()},
                      _NAME_GAP if alone else _GROUP_GAP)
    pos: dict[Hashable, tuple[float, float]] = {}
    for home, (offsets, _) in clouds.items():
        cx, cy = centres[home]
        for node, (dx, dy) in offsets.items():
            pos[node] = (round(cx + dx, 1), round(cy + dy, 1))
    return pos


def leader_lines(D: nx.Graph, positions: Mapping[Hashable, tuple[float, float]],
                 ) -> list[list[float]]:
    """``[x0, y0, x1, y1]`` from a country's true place to its group, for each group moved so
    far off that place that it no longer covers it.

    >>> D = nx.Graph()
    >>> D.add_node("country:TN", kind="country", country="TN")
    >>> leader_lines(D, {"country:TN": (305.2, -1364.8)}), leader_lines(D, {"country:TN": (0, 0)})
    ([], [[305.2, -1364.8, 0.0, 0.0]])
    """
    clouds = _clouds(D, _sizes(D))
    lines = []
    for node, (ax, ay) in _anchors(D).items():
        x, y = positions[node]
        if math.hypot(x - ax, y - ay) > clouds[node][1]:
            lines.append([ax, ay, round(float(x), 1), round(float(y), 1)])
    return lines


def _clouds(D: nx.Graph, radius: Mapping[Hashable, float],
            ) -> dict[Hashable, tuple[dict[Hashable, tuple[float, float]], float]]:
    """Each country's group: offsets of the country and its actors, and the group's reach."""
    around: dict[Hashable, list[Hashable]] = defaultdict(list)
    for node, data in D.nodes(data=True):
        if data.get("kind") != "country":
            around[(data.get("view") or {}).get("home", OUTSIDE)].append(node)
    degree = dict(D.degree(weight="weight"))
    return {home: _cloud(home, sorted(around.get(home, ()),
                                      key=lambda n: (-degree.get(n, 0.0), str(n))), radius)
            for home in sorted((n for n, d in D.nodes(data=True) if d.get("kind") == "country"),
                               key=str)}


def _anchors(D: nx.Graph) -> dict[Hashable, tuple[float, float]]:
    """Where each country node belongs: its inner point, or a slot of the outside column."""
    places = basemap()["countries"]
    lon, lat, step = _OUTSIDE_COLUMN
    scale_x = math.cos(math.radians(basemap()["projection"]["standard_parallel"]))
    out: dict[Hashable, tuple[float, float]] = {}
    outside = 0
    for node in sorted((n for n, d in D.nodes(data=True) if d.get("kind") == "country"), key=str):
        code = str(D.nodes[node].get("country") or "").upper()
        if code in places:
            x, y = places[code]["anchor"]
        else:
            x, y = lon * scale_x, -(lat - step * outside)
            outside += 1
        out[node] = (round(x * PX_PER_DEGREE, 1), round(y * PX_PER_DEGREE, 1))
    return out


def _sizes(D: nx.Graph) -> dict[Hashable, float]:
    """Disc radii as the map draws them (sized by members)."""
    if not len(D):
        return {}
    return dict(style_graph(D, color_by="country", size_by="members").sizes)


def _cloud(home: Hashable, actors: list[Hashable], radius: Mapping[Hashable, float],
           ) -> tuple[dict[Hashable, tuple[float, float]], float]:
    """Offsets of a country (at 0, 0) and its ``actors`` (most connected first, nearest) on a
    sunflower spiral, no two discs closer than ``_GAP``; and the group's radius."""
    centre = radius.get(home, 5.0)
    offsets: dict[Hashable, tuple[float, float]] = {home: (0.0, 0.0)}
    placed: list[tuple[float, float, float]] = []
    reach = centre
    k = 0
    for node in actors:
        r = radius.get(node, 5.0)
        step = r + _GAP / 2  # spiral spacing: about one disc between neighbouring turns
        while True:
            rho = centre + _GAP + r + step * (math.sqrt(k + 0.5) - math.sqrt(0.5))
            x, y = rho * math.cos(k * _GOLDEN), rho * math.sin(k * _GOLDEN)
            k += 1
            if all(math.hypot(x - px, y - py) >= r + pr + _GAP for px, py, pr in placed):
                break
        placed.append((x, y, r))
        offsets[node] = (x, y)
        reach = max(reach, math.hypot(x, y) + r)
    return offsets, reach


def _spread(anchors: Mapping[Hashable, tuple[float, float]], reach: Mapping[Hashable, float],
            gap: float,
            rounds: int = 400) -> dict[Hashable, tuple[float, float]]:
    """Group centres near their ``anchors`` with no two groups (discs of radius ``reach``)
    overlapping: overlapping pairs are pushed apart (the larger group moving less), then each
    group is drawn back a little towards its country, until nothing overlaps. Deterministic."""
    nodes = sorted(anchors, key=str)
    at = {n: list(anchors[n]) for n in nodes}
    for _ in range(rounds):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                dx, dy = at[b][0] - at[a][0], at[b][1] - at[a][1]
                dist = math.hypot(dx, dy)
                need = reach[a] + reach[b] + gap
                if dist >= need:
                    continue
                if dist < 1e-6:  # the same place: apart along x, in a fixed order
                    dx, dy, dist = 1.0, 0.0, 1.0
                push = (need - dist) * 1.02
                share = reach[a] / (reach[a] + reach[b])  # the larger group moves less
                at[a][0] -= dx / dist * push * (1 - share)
                at[a][1] -= dy / dist * push * (1 - share)
                at[b][0] += dx / dist * push * share
                at[b][1] += dy / dist * push * share
                moved = True
        if not moved:
            break
        for n in nodes:  # back towards the country, a little each round
            at[n][0] += (anchors[n][0] - at[n][0]) * 0.05
            at[n][1] += (anchors[n][1] - at[n][1]) * 0.05
    return {n: (at[n][0], at[n][1]) for n in nodes}


# ----------------------------------------------------------------------------- views
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
    year: int | None = None,
    still: bool = False,
    palette_keys: Sequence[str] | None = None,
) -> dict[str, Any]:
    """One drawable view of ``G`` on the map of the region (the JSON the page reads), with
    the basemap, arcs and every year's links for the slider, opening on ``year`` (default:
    the last).

    The add-on data is in the view's ``view`` dict (``basemap``, ``leaders``: leader lines,
    ``years``, ``start_year``, ``fit``: a box kept in the frame) and in each node's and
    link's ``view`` (``y0``, ``home``; ``yc``, ``arc``). ``still=True`` gives the network as
    it was up to ``year`` only, each arc as thick as its ties then and as orange as its share
    of ties new that year (the link's ``view.width`` and ``view.color``): what a picture
    shows. ``palette_keys``: fixed colours (:func:`graph.maps.style.style_graph`).

    >>> G = nx.Graph(projection="countries")
    >>> G.add_node("country:TN", kind="country", country="TN")
    >>> G.add_node("country:FR", kind="country", country="FR")
    >>> G.add_edge("country:TN", "country:FR", weight=3.0, ties={"event": 3},
    ...            evidence=[{"kind": "event", "iri": "e1", "label": "E1", "year": 2015}])
    >>> v = geo_view(G, title="Map", language="ar")
    >>> [n["l"] for n in v["nodes"]], v["view"]["years"], v["edges"][0]["view"]["yc"]
    (['فرنسا', 'تونس'], [2015], [[2015, 1]])
    """
    lang = i18n.normalize_language(language)
    D = geo_graph(G, max_actors=max_actors)
    for _node, data in D.nodes(data=True):
        if data.get("kind") == "country":
            code = str(data.get("country") or "")
            data["labels"] = {lg: country_label(G, code, lg) for lg in i18n.LANGUAGES}
            data["label"] = data["labels"]["en"]
    sizes = _sizes(D)
    positions = geo_positions(D, sizes)
    _mark_reach(D, positions, sizes)
    leaders = leader_lines(D, positions)
    outside = _outside_box(D, positions)
    years = sorted({y for _, _, v in D.edges(data="view") for y, _ in (v or {}).get("yc", ())}
                   | {v["y0"] for _, v in D.nodes(data="view") if v and v.get("y0") is not None})
    span = list(range(years[0], years[-1] + 1)) if years else []
    status = None
    when = None
    if still and span:
        when = span[-1] if year is None else min(max(int(year), span[0]), span[-1])
        if palette_keys is None:  # the colours of the whole map (the page's), whatever the year
            palette_keys = [e.key for e in style_graph(D, color_by=color_by,
                                                       size_by="members").legend
                            if not e.key.startswith("~")]
        D, status = _as_of(D, when)
    D.graph["view"] = {
        "actors": D.graph["geo"]["kind"],  # what the counts line calls the actors
        "basemap": {**basemap_view(), "outside": outside},
        "leaders": leaders,
        "years": [] if still else span,
        "start_year": None if still else year,
        "fit": _fit_box(outside, leaders),
    }
    view = map_view(D, title=title, language=lang, color_by=color_by, size_by="members",
                    max_nodes=max(len(D), 1), source_note=source_note, data_date=data_date,
                    caption=caption, links="all", isolates=True, positions=positions,
                    palette_keys=palette_keys)
    data = view.data
    # Actors are drawn around their country, not linked one by one: "N without any link"
    # would mislead here.
    selection = view.selection
    if selection.isolates:
        unlinked = i18n.t("map.isolates_shown", lang, n=selection.isolates)
        data["notes"] = [note for note in data["notes"] if note != unlinked]
    if status is not None and when is not None:
        if year is not None:
            data["title"] = f"{title} · {i18n.t('story.up_to', lang, year=when)}"
        data["notes"].insert(0, year_note(when, status["links"], status["fresh"], lang))
    geo = D.graph["geo"]
    if geo["actors"] < geo["actors_total"]:  # said only when some are left out
        data["notes"].append(i18n.t("map.geo_actors", lang, shown=geo["actors"],
                                    total=geo["actors_total"]))
    data["notes"].append(i18n.t("map.geo_note", lang))
    return data


def with_years(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` ready to be stepped through time by the page's year slider: each node's
    and link's ``view`` holds its first year (``y0``: a node's first active year, a link's
    first tie year), the graph's ``view`` the years.
    Draw it with :func:`graph.maps.html.map_view` (the same positions every year) in a page
    with :func:`geo_scripts`.

    >>> H = nx.Graph()
    >>> H.add_edge("a", "b", evidence=[{"year": 2012}])
    >>> H.add_edge("b", "c", evidence=[{"year": 2014}])
    >>> Y = with_years(H)
    >>> Y.graph["view"]["years"], Y.edges["b", "c"]["view"], Y.nodes["b"]["view"]
    ([2012, 2013, 2014], {'y0': 2014}, {'y0': 2012})
    """
    years = tie_years(G)
    first = {n: ys[0] for n, ys in active_years(G).items()}
    Y = G.copy()  # projections are shared (cached): the caller's graph stays as it was
    for node, data in Y.nodes(data=True):
        data["view"] = _since(first.get(node), bool(first))
    for u, v, data in Y.edges(data=True):
        ys = years.get((u, v)) or years.get((v, u)) or ()
        data["view"] = {"y0": ys[0] if ys else None}
    starts = sorted({ys[0] for ys in years.values() if ys} | set(first.values()))
    Y.graph["view"] = {"years": list(range(starts[0], starts[-1] + 1)) if starts else []}
    return Y


def geo_scripts() -> list[str]:
    """The add-on for :func:`graph.maps.html.render_page` / ``map_html``'s ``extra_js``:
    basemap and leader lines under the network, arcs, year slider and Play
    (``assets/geo.js``, its style included), for views from :func:`geo_view` or drawn from
    :func:`with_years`; views without them are left as they are.

    >>> page = render_page([], title="T", extra_js=geo_scripts())
    >>> "copkgYear" in page and "https://" not in page
    True
    """
    return [resources.files(__package__).joinpath("assets", "geo.js").read_text(
        encoding="utf-8")]


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
    view = geo_view(G, title=title, language=language, year=year, **options)
    return render_page([view], title=title, language=language, presentation=presentation,
                       extra_js=geo_scripts())


def drawn_counts(view: Mapping[str, Any]) -> Drawn:
    """The actors, links and country markers a :func:`geo_view` draws when it opens: a
    picture's all; a page's at the year its slider opens on (as geo.js shows them) — what a
    command says it drew (:func:`drawn_note`).

    >>> G = nx.Graph(projection="countries")
    >>> for code in ("TN", "FR", "MA"):
    ...     G.add_node(f"country:{code}", kind="country", country=code)
    >>> G.add_edge("country:TN", "country:FR", evidence=[{"year": 2012}])
    >>> G.add_edge("country:TN", "country:MA", evidence=[{"year": 2015}])
    >>> G.graph["active_years"] = {"country:TN": (2012, 2015), "country:FR": (2012,),
    ...                            "country:MA": (2015,)}
    >>> drawn_counts(geo_view(G, title="T", year=2013)), drawn_counts(geo_view(G, title="T"))
    (Drawn(nodes=2, links=1, countries=0), Drawn(nodes=3, links=2, countries=0))
    >>> drawn_counts(geo_view(G, title="T", year=2013, still=True))
    Drawn(nodes=2, links=1, countries=0)
    """
    return drawn_at(view["nodes"], view["edges"], opening_year(view.get("view") or {}))


def drawn_note(view: Mapping[str, Any], language: str = "en") -> str:
    """What a :func:`geo_view` draws when it opens, in words: the counts line of its title
    block ("60 organisations in 13 countries, 78 links"), said by the CLI too.

    >>> G = nx.Graph()
    >>> G.add_node("a", kind="organization", country="TN")
    >>> G.add_node("b", kind="organization", country="FR")
    >>> G.add_edge("a", "b", evidence=[{"year": 2012}])
    >>> drawn_note(geo_view(G, title="T")), drawn_note(geo_view(G, title="T", still=True), "fr")
    ('2 organisations in 2 countries, 1 link', '2 organisations dans 2 pays, 1 lien')
    """
    drawn = drawn_counts(view)
    kind = str((view.get("view") or {}).get("actors") or "")
    return count_note(drawn.nodes, drawn.links, language, countries=drawn.countries, kind=kind)


def _mark_reach(D: nx.Graph, positions: Mapping[Hashable, tuple[float, float]],
                sizes: Mapping[Hashable, float]) -> None:
    """Each country's ``view.reach``: the radius of its group of actors, at least its own
    disc (view units), so that its name may sit just outside the group rather than over its
    actors, or at a corner of the group (:class:`graph.maps.labels.LabelRequest`,
    ``map.js``)."""
    reach = {n: float(sizes.get(n, 5.0)) for n, kind in D.nodes(data="kind")
             if kind == "country" and n in positions}
    for node, view in D.nodes(data="view"):
        home = (view or {}).get("home")
        if home in D and node in positions and home in positions:
            (x, y), (hx, hy) = positions[node], positions[home]
            reach[home] = max(reach.get(home, 0.0),
                              math.hypot(x - hx, y - hy) + sizes.get(node, 5.0))
    for home, r in reach.items():
        D.nodes[home]["view"]["reach"] = round(r, 1)


def _since(year: int | None, dated: bool) -> dict[str, Any]:
    """A node's ``view`` for the year slider: ``y0``, its first active year; ``idle`` when
    the network has dated activity but this node none (never drawn while a year is shown:
    it was not active in any year)."""
    return {"y0": year, "idle": True} if year is None and dated else {"y0": year}


def _as_of(D: nx.Graph, year: int) -> tuple[nx.Graph, dict[str, int]]:
    """``D`` as the page shows it at ``year`` of its slider: actors and countries whose first
    tie came later left out, each arc as thick as its ties then and as orange as its share of
    ties new that year; and the counts for the year's note (``links``, ``fresh``: the page's
    own rule, :func:`graph.maps.years.links_at`)."""
    links, fresh = links_at([data for _, _, data in D.edges(data=True)], year)
    keep = [n for n, v in D.nodes(data="view") if _shown(v, year)]
    S = D.subgraph(keep).copy()
    counts: dict[tuple[Hashable, Hashable], tuple[int, int] | None] = {}
    for u, v, data in S.edges(data=True):
        yc = (data.get("view") or {}).get("yc") or []
        counts[(u, v)] = (_count_at(yc, year), _count_at(yc, year - 1)) if yc else None
    top = max((c[0] for c in counts.values() if c), default=1) or 1
    for (u, v), count in counts.items():
        if count is None:  # undated ties: drawn as they are
            continue
        now, before = count
        if now <= 0:
            S.remove_edge(u, v)
            continue
        share = 1.0 if before == 0 else min(1.0, 3 * (now - before) / now)
        share = round(share * 10) / 10
        rgb = "".join(f"{round(g + (o - g) * share):02x}"
                      for g, o in zip(_GREY, _ORANGE, strict=True))
        data = S.edges[u, v]
        data["weight"] = float(now)
        data["view"] = {**data["view"], "color": f"#{rgb}{round(255 * (0.45 + 0.5 * share)):02x}",
                        "width": round(0.8 * (1 + 11 * math.sqrt(now / top)), 2)}
    return S, {"links": links, "fresh": fresh}


def _outside_box(D: nx.Graph, positions: Mapping[Hashable, tuple[float, float]],
                 ) -> list[float] | None:
    """The dashed box around the countries outside the mapped region and their actors."""
    places = basemap()["countries"]
    homes = {n for n, d in D.nodes(data=True)
             if d.get("kind") == "country" and str(d.get("country") or "") not in places}
    if not homes:
        return None
    members = [n for n, d in D.nodes(data=True)
               if n in homes or (d.get("view") or {}).get("home") in homes]
    radius = _sizes(D)
    pad = 4 * _GAP
    return [round(min(positions[n][0] - radius[n] for n in members) - pad, 1),
            round(min(positions[n][1] - radius[n] for n in members) - pad, 1),
            round(max(positions[n][0] + radius[n] for n in members) + pad, 1),
            round(max(positions[n][1] + radius[n] for n in members) + pad, 1)]


def _fit_box(outside: list[float] | None, leaders: list[list[float]]) -> list[float] | None:
    """What must stay in the frame besides the nodes: the outside box with its caption above
    it, and the true places the leader lines start from."""
    boxes = [[x, y, x, y] for x, y, *_ in leaders]
    if outside:
        boxes.append([outside[0], outside[1] - 40.0, outside[2], outside[3]])
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes)]
