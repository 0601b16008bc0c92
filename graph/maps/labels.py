"""Which names a map shows: as many labels as fit without overlap, largest node first.

The rule (the page's script ``assets/map.js`` follows the same one at every zoom level):
nodes are taken in order — the forced ones first (the focus), then by rank (largest first);
each label tries four places around its node (below, above, right, left) — a node with a
group drawn around it (``reach``: a country's actors on the map of the region) then ten
just outside its group (below and above sliding sideways into the frame, right, left, the
four corners, then below and above one line further) — and takes the first that stays
inside the frame, clear of every obstacle (title block, legend), of every label already
placed and of every other node's disc (a name over a node hides it and reads as
clutter) — only the forced ones and the ten largest nodes (``cover``) may cover nodes when
nothing else is free, so the hubs in a dense centre keep their names; a label that fits
nowhere is not drawn, except a forced one, which takes its first place inside the frame.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["COVERING", "Box", "LabelRequest", "overlapping_pairs", "place_labels"]

COVERING = 10
"""The largest nodes (by rank) whose names may cover other nodes when nothing else is free
(the page's script uses the same number)."""


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in pixels (``y`` down): left, top, right, bottom."""

    l: float  # noqa: E741 - the usual name of a rectangle's left edge
    t: float
    r: float
    b: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two rectangles share any area (touching edges do not count)."""
        return self.l < other.r and self.r > other.l and self.t < other.b and self.b > other.t

    def inside(self, frame: Box) -> bool:
        """Whether this rectangle lies within ``frame``."""
        return (self.l >= frame.l and self.t >= frame.t and self.r <= frame.r
                and self.b <= frame.b)


@dataclass(frozen=True)
class LabelRequest:
    """A node wanting a label: centre ``x, y`` and radius ``r`` of its disc, label ``w × h``;
    ``forced`` (always drawn), ``cover`` (may cover other nodes when nothing else is free),
    ``reach`` (radius of a group drawn around the node, at least its disc: its name may also
    sit at the group's edge or corners)."""

    node: Hashable
    x: float
    y: float
    r: float
    w: float
    h: float
    forced: bool = False
    cover: bool = False
    reach: float = 0.0


def place_labels(requests: Sequence[LabelRequest], frame: Box,
                 obstacles: Sequence[Box] = (), gap: float = 2.0) -> dict[Hashable, Box]:
    """The box of each label drawn, for ``requests`` given in priority order (see module).

    >>> frame = Box(0, 0, 200, 100)
    >>> reqs = [LabelRequest("a", 50, 50, 5, 60, 14), LabelRequest("b", 60, 50, 5, 60, 14),
    ...         LabelRequest("c", 55, 52, 5, 60, 14)]
    >>> placed = place_labels(reqs, frame)
    >>> sorted(placed), overlapping_pairs(list(placed.values()))  # no room left for "c"
    (['a', 'b'], 0)
    >>> sorted(place_labels([LabelRequest("c", 55, 52, 5, 60, 14, forced=True), *reqs], frame))
    ['a', 'b', 'c']
    >>> group = [LabelRequest("m", 100, 50, 6, 50, 14, cover=True, reach=20)] + [
    ...     LabelRequest(i, 100 + dx, 50 + dy, 4, 40, 14) for i, (dx, dy) in enumerate(
    ...         [(0, 12), (0, -12), (12, 0), (-12, 0)])]
    >>> place_labels(group, frame)["m"]  # below the group, over none of its members
    Box(l=75.0, t=72.0, r=125.0, b=86.0)
    """
    discs = [(q.node, Box(q.x - q.r, q.y - q.r, q.x + q.r, q.y + q.r)) for q in requests]
    disc_grid = _Grid(48.0)
    for node, box in discs:
        disc_grid.add(box, node)
    placed: dict[Hashable, Box] = {}
    grid = _Grid(64.0)
    for q in requests:
        if q.node in placed:
            continue
        spots = _around(q, q.r, gap)
        if q.reach > 0:  # just outside the group around the node (its name, not its members')
            spots += _outside(q, max(q.reach, q.r), gap, frame)
        best = fallback = None
        for left, top in spots:
            box = Box(left, top, left + q.w, top + q.h)
            if not box.inside(frame) or any(box.overlaps(o) for o in obstacles):
                continue
            if grid.hits(box):
                continue
            if not disc_grid.hits(box, skip=q.node):
                best = box
                break
            fallback = fallback or box
        best = best or (fallback if q.forced or q.cover else None)
        if best is None and q.forced:
            best = next((Box(left, top, left + q.w, top + q.h) for left, top in spots
                         if Box(left, top, left + q.w, top + q.h).inside(frame)),
                        Box(spots[0][0], spots[0][1], spots[0][0] + q.w, spots[0][1] + q.h))
        if best is not None:
            placed[q.node] = best
            grid.add(best, q.node)
    return placed


def _around(q: LabelRequest, r: float, gap: float) -> list[tuple[float, float]]:
    """Top-left corners of the label below, above, right and left of a circle of radius ``r``
    around the node."""
    return [(q.x - q.w / 2, q.y + r + gap), (q.x - q.w / 2, q.y - r - gap - q.h),
            (q.x + r + gap, q.y - q.h / 2), (q.x - r - gap - q.w, q.y - q.h / 2)]


def _outside(q: LabelRequest, reach: float, gap: float, frame: Box,
             ) -> list[tuple[float, float]]:
    """Top-left corners of the label just outside the group around the node: below, above,
    right, left, at the four corners, then below and above one line further; a place below or
    above slides sideways to stay inside the frame (a group at the frame's edge keeps its name
    under it)."""
    d = (reach + gap) / 2 ** 0.5  # to a corner of the group's circle
    spots = [(q.x - q.w / 2, q.y + reach + gap), (q.x - q.w / 2, q.y - reach - gap - q.h),
             (q.x + reach + gap, q.y - q.h / 2), (q.x - reach - gap - q.w, q.y - q.h / 2),
             (q.x + d, q.y + d), (q.x - d - q.w, q.y + d), (q.x + d, q.y - d - q.h),
             (q.x - d - q.w, q.y - d - q.h), (q.x - q.w / 2, q.y + reach + gap + q.h),
             (q.x - q.w / 2, q.y - reach - gap - 2 * q.h)]
    low, high = frame.l, max(frame.l, frame.r - q.w)
    return [(min(max(left, low), high), top) if i in (0, 1, 8, 9) else (left, top)
            for i, (left, top) in enumerate(spots)]


def overlapping_pairs(boxes: Sequence[Box]) -> int:
    """How many pairs of ``boxes`` overlap (the benchmark's and the tests' measure).

    >>> overlapping_pairs([Box(0, 0, 10, 10), Box(5, 5, 15, 15), Box(20, 0, 30, 10)])
    1
    """
    grid = _Grid(64.0)
    count = 0
    for i, box in enumerate(boxes):
        count += sum(1 for j in grid.hit_keys(box)
                     if isinstance(j, int) and boxes[j].overlaps(box))
        grid.add(box, i)
    return count


class _Grid:
    """Boxes bucketed by cell, to find overlaps without comparing every pair."""

    def __init__(self, size: float) -> None:
        self.size = size
        self.cells: dict[tuple[int, int], list[tuple[Box, Hashable]]] = {}

    def _keys(self, box: Box) -> list[tuple[int, int]]:
        s = self.size
        return [(x, y) for x in range(int(box.l // s), int(box.r // s) + 1)
                for y in range(int(box.t // s), int(box.b // s) + 1)]

    def add(self, box: Box, key: Hashable) -> None:
        for cell in self._keys(box):
            self.cells.setdefault(cell, []).append((box, key))

    def hits(self, box: Box, skip: Hashable = None) -> bool:
        return any(key != skip and other.overlaps(box)
                   for cell in self._keys(box) for other, key in self.cells.get(cell, ()))

    def hit_keys(self, box: Box) -> set[Hashable]:
        return {key for cell in self._keys(box) for _, key in self.cells.get(cell, ())}
