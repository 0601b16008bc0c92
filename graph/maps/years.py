"""What a page with a year slider draws at a year: the one rule of ``assets/geo.js``
(``applyYear``), for the words Python writes about it (the title block's counts, the CLI's
status line, a still picture of a year).

A node's ``view`` holds ``y0`` (its first active year; ``None``: undated, always drawn),
``idle`` (active in no dated year: never drawn while a year is shown) and ``marker`` (a
country's place on the map of people or organisations, its ISO code, ``""`` for the actors of
no known country: drawn, but not an actor — counted as a country, never among the actors nor
in the legend). A link's ``view`` holds ``yc`` (pairs
``[year, ties started up to that year]``) or ``y0`` (its first tie year).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

__all__ = ["Drawn", "count_at", "drawn_at", "legend_at", "links_at", "node_shown",
           "opening_year"]


class Drawn(NamedTuple):
    """What a view draws: ``nodes`` (the actors — never a country's marker), ``links``, and
    ``countries`` (the country markers drawn, 0 on a map without them)."""

    nodes: int
    links: int
    countries: int = 0


def count_at(yc: Sequence[Sequence[int]], year: int) -> int:
    """Ties started up to ``year`` by a link's ``yc`` pairs.

    >>> count_at([[2011, 1], [2013, 4]], 2012), count_at([[2011, 1]], 2010)
    (1, 0)
    """
    n = 0
    for y, c in yc:
        if y <= year:
            n = c
    return n


def node_shown(view: Mapping[str, Any] | None, year: int) -> bool:
    """Whether a node is drawn at ``year`` of the slider (as geo.js decides).

    >>> node_shown({"y0": 2012}, 2011), node_shown({"y0": None}, 2011), node_shown(None, 2011)
    (False, True, True)
    >>> node_shown({"y0": None, "idle": True}, 2020)
    False
    """
    if not view:
        return True
    if view.get("idle"):
        return False
    return view.get("y0") is None or view["y0"] <= year


def opening_year(extra: Mapping[str, Any]) -> int | None:
    """The year a page opens on: its ``start_year`` within its ``years``, else the last one;
    None for a page without a slider.

    >>> opening_year({"years": [2010, 2011, 2012], "start_year": 2030}), opening_year({})
    (2012, None)
    """
    years = extra.get("years") or []
    if not years:
        return None
    start = extra.get("start_year")
    return years[-1] if start is None else min(max(int(start), years[0]), years[-1])


def _shown(nodes: Sequence[Mapping[str, Any]], year: int | None) -> set[int]:
    return {n["i"] for n in nodes if year is None or node_shown(n.get("view"), year)}


def _marker(node: Mapping[str, Any]) -> bool:
    return "marker" in (node.get("view") or {})


def drawn_at(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]],
             year: int | None) -> Drawn:
    """What a page's view draws at ``year`` (``None``: a view without a slider, all of it):
    the actors active by then, the country markers among the drawn nodes counted apart, and
    the links between two drawn nodes with a tie by then (undated links always).

    >>> nodes = [{"i": 0, "view": {"y0": 2010}}, {"i": 1, "view": {"y0": 2012}},
    ...          {"i": 2, "view": {"y0": 2010}}, {"i": 3, "view": {"y0": 2010, "marker": "FR"}}]
    >>> edges = [{"f": 0, "t": 2, "view": {"yc": [[2011, 1]]}}, {"f": 0, "t": 1, "view": {}}]
    >>> drawn_at(nodes, edges, 2010), drawn_at(nodes, edges, 2011)
    (Drawn(nodes=2, links=0, countries=1), Drawn(nodes=2, links=1, countries=1))
    >>> tuple(drawn_at(nodes, edges, 2012)), tuple(drawn_at(nodes, edges, None))
    ((3, 2, 1), (3, 2, 1))
    """
    shown = _shown(nodes, year)
    links = 0
    for e in edges:
        if e["f"] not in shown or e["t"] not in shown:
            continue
        v = e.get("view") or {}
        if year is None:
            links += 1
        elif v.get("yc"):
            links += count_at(v["yc"], year) > 0
        else:
            links += v.get("y0") is None or v["y0"] <= year
    markers = [n for n in nodes if n["i"] in shown and _marker(n)]
    countries = sum(1 for n in markers if n["view"]["marker"])  # "": actors of no country
    return Drawn(len(shown) - len(markers), links, countries)


def legend_at(nodes: Sequence[Mapping[str, Any]], entries: Sequence[int | None],
              size: int, year: int | None) -> list[int]:
    """How many actors each of ``size`` legend entries holds among those drawn at ``year``
    (``None``: all): ``entries[k]`` is the entry of ``nodes[k]``; markers are not counted.

    >>> nodes = [{"i": 0, "view": {"y0": 2010}}, {"i": 1, "view": {"y0": 2012}},
    ...          {"i": 2, "view": {"y0": 2010, "marker": "FR"}}]
    >>> legend_at(nodes, [0, 1, 0], 2, 2011), legend_at(nodes, [0, 1, 0], 2, None)
    ([1, 0], [1, 1])
    """
    shown = _shown(nodes, year)
    counts = [0] * size
    for node, entry in zip(nodes, entries, strict=True):
        if entry is not None and node["i"] in shown and not _marker(node):
            counts[entry] += 1
    return counts


def links_at(edges: Sequence[Mapping[str, Any]], year: int) -> tuple[int, int]:
    """(links drawn, links that gained ties that year) at ``year`` of the slider, as geo.js
    colours them: a link with ``yc`` is drawn once it has a tie and gains when its count
    grows; one with ``y0`` is drawn from that year and gains in it; undated links are drawn.

    >>> edges = [{"view": {"yc": [[2011, 1], [2013, 4]]}}, {"view": {"y0": 2013}}, {}]
    >>> links_at(edges, 2011), links_at(edges, 2012), links_at(edges, 2013)
    ((2, 1), (2, 0), (3, 2))
    """
    shown = fresh = 0
    for e in edges:
        v = e.get("view") or {}
        if v.get("yc"):
            now, before = count_at(v["yc"], year), count_at(v["yc"], year - 1)
            shown += now > 0
            fresh += now > before
        elif v.get("y0") is None:
            shown += 1
        else:
            shown += v["y0"] <= year
            fresh += v["y0"] == year
    return shown, fresh
