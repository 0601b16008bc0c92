"""Turn the vendored Natural Earth outlines into the compact basemap copkg draws.

    python -m graph.maps.basemap.prepare          # rewrites mediterranean.json beside this file

Input: ``countries-50m.json`` (Natural Earth 1:50m Admin 0 countries as TopoJSON, from the npm
package ``world-atlas`` 2.0.2; see ``SOURCE.md``). Output: ``mediterranean.json``, only the
region copkg maps (:data:`REGION`, longitude/latitude), each country's rings clipped to it,
projected, simplified, rounded — small enough to embed in every offline map. Deterministic:
the same input gives the same bytes (a test checks that the committed file is up to date).

Projection: equirectangular with standard parallel :data:`STANDARD_PARALLEL` (x = longitude ×
cos 37°, y = −latitude, in degrees; y grows downwards as on a screen). At these latitudes it
keeps shapes recognisable; copkg draws a schematic map, not a survey.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["REGION", "STANDARD_PARALLEL", "build", "main"]

HERE = Path(__file__).parent
SOURCE = HERE / "countries-50m.json"
TARGET = HERE / "mediterranean.json"

#: (west, south, east, north) in degrees: Morocco's Atlantic coast to Jordan, southern Egypt
#: to Belgium and Luxembourg (seats of platform members and partners).
REGION = (-14.0, 21.0, 46.0, 53.0)
STANDARD_PARALLEL = 37.0
_TOLERANCE = 0.04  # degrees: Douglas–Peucker simplification (about 4 km)
_MIN_AREA = 0.004  # square degrees: smaller islands are dropped
_DIGITS = 2


Ring = list[tuple[float, float]]


def build(source: Path = SOURCE) -> dict[str, Any]:
    """The compact basemap as a JSON-ready dict (see the module text).

    ``countries``: ISO 3166-1 alpha-2 → ``{"name": Natural Earth name, "anchor": [x, y],
    "rings": [[x0, y0, x1, y1, ...], ...]}``; ``anchor`` is an inner point of the country's
    largest ring (where its node is drawn). ``bounds``: the projected region.
    """
    import pycountry

    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    countries: dict[str, Any] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        country = pycountry.countries.get(numeric=str(numeric)) if numeric else None
        if country is None:  # disputed areas without an ISO code (N. Cyprus, Kosovo...)
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [
            geometry["arcs"]] if geometry["type"] == "Polygon" else []
        rings: list[Ring] = []
        for polygon in polygons:
            for ring_arcs in polygon:
                ring = _clip(_ring(arcs, ring_arcs), REGION)
                if len(ring) >= 3 and abs(_area(ring)) >= _MIN_AREA:
                    rings.append(_simplify(ring, _TOLERANCE))
        rings = [r for r in rings if len(r) >= 3]
        if not rings:
            continue
        projected = [[_project(lon, lat) for lon, lat in ring] for ring in rings]
        largest = max(projected, key=lambda r: abs(_area(r)))
        countries[country.alpha_2] = {
            "name": geometry.get("properties", {}).get("name", country.name),
            "anchor": [round(v, _DIGITS) for v in _inner_point(largest)],
            "rings": [[round(v, _DIGITS) for xy in ring for v in xy] for ring in projected],
        }
    west, south, east, north = REGION
    x0, y0 = _project(west, north)
    x1, y1 = _project(east, south)
    return {
        "source": "Natural Earth 1:50m Admin 0 countries (public domain), via world-atlas "
                  "2.0.2 (ISC); see graph/maps/basemap/SOURCE.md",
        "projection": {"kind": "equirectangular", "standard_parallel": STANDARD_PARALLEL,
                       "region": list(REGION)},
        "bounds": [round(v, _DIGITS) for v in (x0, y0, x1, y1)],
        "countries": dict(sorted(countries.items())),
    }


def main() -> None:
    """Rewrite ``mediterranean.json`` from ``countries-50m.json``."""
    text = json.dumps(build(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    TARGET.write_text(text + "\n", encoding="utf-8")
    print(f"{TARGET} ({len(text):,} bytes)")


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(STANDARD_PARALLEL)), -lat


def _decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Quantised, delta-encoded TopoJSON arcs as absolute (longitude, latitude) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(arcs: Sequence[Sequence[tuple[float, float]]], indexes: Iterable[int]) -> Ring:
    ring: Ring = []
    for index in indexes:
        points = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)  # arcs share their end points
    return ring


def _clip(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland–Hodgman clipping of a ring to a rectangle."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cut_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cut_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cut_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cut_y(a, b, north)),
    )
    points = ring
    for inside, cut in edges:
        if not points:
            break
        result: Ring = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cut(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cut(previous, point))
            previous = point
        points = result
    return points


def _cut_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cut_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _area(ring: Sequence[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(
        ring, [*ring[1:], ring[0]], strict=True)) / 2


def _simplify(ring: Ring, tolerance: float) -> Ring:
    """Douglas–Peucker on a closed ring (the two farthest-apart ends of the ring kept)."""
    if len(ring) < 5:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[len(ring) // 2] = True
    stack = [(0, len(ring) // 2), (len(ring) // 2, len(ring) - 1)]
    keep[-1] = True
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        (ax, ay), (bx, by) = ring[first], ring[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, index = -1.0, first
        for i in range(first + 1, last):
            px, py = ring[i]
            d = (abs(dy * px - dx * py + bx * ay - by * ax) / norm if norm
                 else math.hypot(px - ax, py - ay))
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(ring, keep, strict=True) if k]


def _inner_point(ring: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The ring's centroid if it lies inside, else the middle of the widest inside stretch
    of the horizontal line through it (a concave or crescent-shaped country)."""
    a = _area(ring)
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(
        ring, [*ring[1:], ring[0]], strict=True)) / (6 * a)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in zip(
        ring, [*ring[1:], ring[0]], strict=True)) / (6 * a)
    if _inside(ring, cx, cy):
        return cx, cy
    crossings = sorted(
        x0 + (cy - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)
        if (y0 > cy) != (y1 > cy))
    spans = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not spans:
        return cx, cy
    left, right = max(spans, key=lambda s: s[1] - s[0])
    return (left + right) / 2, cy


def _inside(ring: Sequence[tuple[float, float]], x: float, y: float) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


if __name__ == "__main__":  # pragma: no cover
    main()
