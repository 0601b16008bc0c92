"""Deterministic node positions, computed in Python so a map looks the same every time it opens.

Each connected component is laid out with igraph's Fruchterman–Reingold (seeded start, seeded
random source), then the components are packed in rows, largest first. Nodes are sorted before
anything else, so the result depends on the graph, not on the order it was built in.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable

import networkx as nx
import numpy as np

__all__ = ["layout"]

_SPACING = 90.0  # pixels between neighbouring nodes, roughly; vis-network zooms to fit anyway


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
        Typical distance in pixels between neighbouring nodes.

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
    boxes: list[np.ndarray] = []
    for comp in components:
        boxes.append(_component_layout(G, nodes, comp, rng, seed))
    packed = _pack(boxes, spacing)
    coords = np.zeros((len(nodes), 2))
    for comp, xy in zip(components, packed, strict=True):
        coords[comp] = xy
    coords -= (coords.min(axis=0) + coords.max(axis=0)) / 2
    return {node: (round(float(coords[i, 0]), 1), round(float(coords[i, 1]), 1))
            for i, node in enumerate(nodes)}


def _sort_key(node: Hashable) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def _component_layout(G: nx.Graph, nodes: list[Hashable], comp: list[int],
                      rng: np.random.Generator, seed: int) -> np.ndarray:
    """Positions of one component in units of 'one typical edge length', centred on 0."""
    n = len(comp)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
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
            weights=[min(weights[i], 10.0) for i in order],
            niter=500 if n <= 2000 else 300,
            grid="auto",
        )
    finally:
        ig.set_random_number_generator(random)
    xy = np.asarray(result.coords, dtype=float)
    xy -= xy.mean(axis=0)
    # Normalise so the median edge is one unit long: spacing then means pixels per edge.
    if edges:
        lengths = np.linalg.norm(xy[[a for a, _ in edges]] - xy[[b for _, b in edges]], axis=1)
        median = float(np.median(lengths))
        if median > 0:
            xy /= median
    return xy


def _positive(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return number if number > 0 and math.isfinite(number) else 1.0


def _pack(boxes: list[np.ndarray], spacing: float) -> list[np.ndarray]:
    """Place component layouts in rows (largest first), about as wide as the whole is tall."""
    scaled = [box * spacing for box in boxes]
    sizes = [(np.ptp(b[:, 0]) + spacing, np.ptp(b[:, 1]) + spacing) for b in scaled]
    total_area = sum(w * h for w, h in sizes)
    row_width = max(max(w for w, _ in sizes), math.sqrt(total_area) * 1.6)
    placed: list[np.ndarray] = []
    x = y = row_height = 0.0
    for box, (w, h) in zip(scaled, sizes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        origin = np.array([x - box[:, 0].min() + spacing / 2, y - box[:, 1].min() + spacing / 2])
        placed.append(box + origin)
        x += w
        row_height = max(row_height, h)
    return placed
