"""Deterministic node positions, computed in Python so a map looks the same every time it opens.

Each connected component is laid out with igraph's Fruchterman–Reingold (seeded start, seeded
random source, strong ties pulling harder), scaled so neighbouring nodes sit about ``spacing``
pixels apart and nudged so no two nodes overlap. The largest component sits in the middle;
smaller components and isolated nodes are set on rings around it, each with room for its
label, instead of a dense grid. Nodes are sorted before anything else, so the result depends on
the graph, not on the order it was built in.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable

import networkx as nx
import numpy as np

__all__ = ["layout"]

_SPACING = 70.0  # pixels between a node and its nearest neighbour, typically
_RING_GAP = 1.6  # room between neighbours on the outer rings, in units of spacing (labels)


def layout(
    G: nx.Graph, *, seed: int = 42, spacing: float = _SPACING
) -> dict[Hashable, tuple[float, float]]:
    """Pixel positions ``{node: (x, y)}`` for ``G``, identical for identical input and seed.

    ``y`` grows downwards, as on a screen. Coordinates are centred on ``(0, 0)``.

    Parameters
    ----------
    G : networkx.Graph
        Any graph; edge ``weight`` pulls nodes closer.
    seed : int
        Seed of the starting positions and of the layout's random choices.
    spacing : float
        Typical distance in pixels between a node and its nearest neighbour; isolated nodes
        and small components around the main one are at least this far from anything else.

    Returns
    -------
    dict
        Node → ``(x, y)`` floats rounded to 0.1 px.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.florentine_families_graph()
    >>> layout(G) == layout(nx.Graph(list(reversed(list(G.edges)))))
    True
    >>> len(layout(G))
    15
    """
    nodes = sorted(G.nodes, key=_sort_key)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    components = sorted(
        (sorted((index[n] for n in comp)) for comp in nx.connected_components(nx.Graph(G))),
        key=lambda comp: (-len(comp), comp[0]),
    )
    rng = np.random.default_rng(seed)
    shapes = [_component_layout(G, nodes, comp, rng, seed) * spacing for comp in components]
    placed = _arrange(shapes, spacing)
    coords = np.zeros((len(nodes), 2))
    for comp, xy in zip(components, placed, strict=True):
        coords[comp] = xy
    coords -= (coords.min(axis=0) + coords.max(axis=0)) / 2
    return {node: (round(float(coords[i, 0]), 1), round(float(coords[i, 1]), 1))
            for i, node in enumerate(nodes)}


def _sort_key(node: Hashable) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def _component_layout(G: nx.Graph, nodes: list[Hashable], comp: list[int],
                      rng: np.random.Generator, seed: int) -> np.ndarray:
    """Positions of one component, centred on 0, in units of 'typical nearest neighbour'."""
    n = len(comp)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.6, 0.0], [0.6, 0.0]])
    import igraph as ig

    local = {nodes[i]: k for k, i in enumerate(comp)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for u, v, data in G.subgraph(local).edges(data=True):
        if u == v:
            continue
        a, b = sorted((local[u], local[v]))
        edges.append((a, b))
        weights.append(_positive(data.get("weight", 1.0)))
    order = sorted(range(len(edges)), key=edges.__getitem__)
    graph = ig.Graph(n=n, edges=[edges[i] for i in order])
    start = rng.uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n)
    ig.set_random_number_generator(random.Random(seed))
    try:
        result = graph.layout_fruchterman_reingold(
            seed=start.tolist(),
            # sqrt: strong ties pull harder without collapsing a dense group onto one point
            weights=[math.sqrt(min(weights[i], 16.0)) for i in order],
            niter=500 if n <= 1200 else 250,
            grid="auto" if n > 1200 else "nogrid",
        )
    finally:
        ig.set_random_number_generator(random)
    xy = np.asarray(result.coords, dtype=float)
    xy -= xy.mean(axis=0)
    if n >= 20:
        xy = _even_out(xy)
    # Normalise so the median distance to the nearest other node is one unit (a dense group
    # then spreads as much as a sparse one), then push apart nodes that would overlap.
    median = float(np.median(_nearest(xy)))
    if median > 0:
        xy /= median
    return _separate(xy, 0.7)


def _even_out(xy: np.ndarray, amount: float = 0.7) -> np.ndarray:
    """Move nodes towards a disc of even density, each keeping its direction from the centre
    and its rank by distance: a dense core opens up and loose nodes come in, so one far
    outlier no longer shrinks the whole drawing when it is fitted to the screen."""
    radius = np.linalg.norm(xy, axis=1)
    n = len(xy)
    order = np.argsort(radius, kind="stable")
    outer = float(np.quantile(radius, 0.9)) or 1.0
    even = np.empty(n)
    even[order] = np.sqrt((np.arange(n) + 0.5) / n) * outer
    target = amount * even + (1 - amount) * np.minimum(radius, outer * 1.3)
    scale = np.divide(target, radius, out=np.ones(n), where=radius > 1e-12)
    return xy * scale[:, None]


def _nearest(xy: np.ndarray) -> np.ndarray:
    """Distance from each point to its nearest other point."""
    from scipy.spatial import cKDTree

    dist, _ = cKDTree(xy).query(xy, k=2)
    return np.asarray(dist[:, 1], dtype=float)


def _separate(xy: np.ndarray, gap: float, rounds: int = 30) -> np.ndarray:
    """Move points apart until no two are closer than ``gap`` (or ``rounds`` are done)."""
    from scipy.spatial import cKDTree

    xy = xy.copy()
    for _ in range(rounds):
        pairs = cKDTree(xy).query_pairs(gap, output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = xy[b] - xy[a]
        dist = np.linalg.norm(delta, axis=1)
        same = dist < 1e-9
        delta[same] = np.column_stack([np.cos(a[same] * 2.399), np.sin(a[same] * 2.399)])
        dist[same] = 1.0
        push = (gap - dist)[:, None] / 2 * delta / dist[:, None]
        move = np.zeros_like(xy)
        np.add.at(move, a, -push)
        np.add.at(move, b, push)
        xy += move
    return xy


def _positive(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return number if number > 0 and math.isfinite(number) else 1.0


def _arrange(shapes: list[np.ndarray], spacing: float) -> list[np.ndarray]:
    """The first (largest) component in the middle; the others on rings around it.

    Components go round each ring clockwise from the top, largest first, each given an arc as
    wide as itself plus room for labels; a full ring starts the next one further out.
    """
    placed = [shapes[0] - shapes[0].mean(axis=0)]
    if len(shapes) == 1:
        return placed
    radius = float(np.linalg.norm(placed[0], axis=1).max()) + _RING_GAP * spacing
    ring_radius = ring_width = 0.0
    angle = end = 0.0
    for shape in shapes[1:]:
        centred = shape - shape.mean(axis=0)
        r = float(np.linalg.norm(centred, axis=1).max()) + _RING_GAP * spacing / 2
        if ring_radius == 0.0 or angle + 2 * r / (ring_radius + r) > end:
            if ring_radius:
                radius = ring_radius + ring_width + _RING_GAP * spacing * 0.5
            ring_radius, ring_width = radius, r
            angle = -math.pi / 2
            end = angle + 2 * math.pi
        rho = ring_radius + r
        step = 2 * r / rho
        angle += step / 2
        placed.append(centred + rho * np.array([math.cos(angle), math.sin(angle)]))
        angle += step / 2
        ring_width = max(ring_width, r)
    return placed
