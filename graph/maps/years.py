"""What a page with a year slider draws at a year: the one rule of ``assets/geo.js``
(``applyYear``), for the words Python writes about it (the title block's counts, the CLI's
status line, a still picture of a year).

A node's ``view`` holds ``y0`` (its first active year; ``None``: undated, always drawn) and
``idle`` (active in no dated year: never drawn while a year is shown). A link's ``view`` holds
``yc`` (pairs ``[year, ties started up to that year]``) or ``y0`` (its first tie year).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["count_at", "drawn_at", "node_shown", "opening_year"]


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


def drawn_at(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]],
             year: int) -> tuple[int, int]:
    """(nodes, links) a page's view draws at ``year``: nodes active by then, links between
    two of them with a tie by then (undated links always).

    >>> nodes = [{"i": 0, "view": {"y0": 2010}}, {"i": 1, "view": {"y0": 2012}},
    ...          {"i": 2, "view": {"y0": 2010}}]
    >>> edges = [{"f": 0, "t": 2, "view": {"yc": [[2011, 1]]}}, {"f": 0, "t": 1, "view": {}}]
    >>> drawn_at(nodes, edges, 2010), drawn_at(nodes, edges, 2011), drawn_at(nodes, edges, 2012)
    ((2, 0), (2, 1), (3, 2))
    """
    shown = {n["i"] for n in nodes if node_shown(n.get("view"), year)}
    links = 0
    for e in edges:
        if e["f"] not in shown or e["t"] not in shown:
            continue
        v = e.get("view") or {}
        if v.get("yc"):
            links += count_at(v["yc"], year) > 0
        else:
            links += v.get("y0") is None or v["y0"] <= year
    return len(shown), links
