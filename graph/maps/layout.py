"""Where each node goes: deterministic positions, computed in Python, the same every time.

The default method is ForceAtlas2 in LinLog mode (:mod:`graph.maps.forceatlas2`) on the links
chosen to be drawn: groups that work together stand apart. Then the drawing is turned so its
long side is horizontal, stretched towards the frame's shape, scaled so the nodes have room,
and nudged until no two node discs overlap (a Noverlap pass). ``method="fr"`` keeps the
earlier igraph Fruchterman–Reingold layout (components on rings) for comparison.

Other layouts plug in with :func:`register_layout` (e.g. a geographic one): they give raw
positions, and the same finishing steps (scale, overlap removal) apply. Nodes are sorted
before anything else, so the result depends on the graph, not on the order it was built in;
every random draw comes from :func:`graph._random.seeded`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

from .._random import seeded
from .backbone import node_key
from .forceatlas2 import forceatlas2

__all__ = ["LAYOUTS", "LayoutMethod", "layout", "register_layout"]

_SPACING = 70.0  # pixels between a node and its nearest neighbour, typically (method "fr")
_RING_GAP = 1.6  # room between neighbours on the outer rings, in units of spacing (labels)
_DENSITY = 0.07  # share of the drawing's area covered by node discs (method "forceatlas2")
_GAP = 3.0  # pixels kept free between two node discs
_ASPECT = 1.5  # width / height the drawing is stretched towards (a 16:9 frame minus a side column)
_MAX_STRETCH = 1.6

RawLayout = Callable[[nx.Graph, list[Hashable], int], np.ndarray]


@dataclass(frozen=True)
class LayoutMethod:
    """A named way to place nodes: ``positions(G, nodes, seed)`` gives raw ``(n, 2)`` positions
    in ``nodes`` order (any unit, ``y`` down); ``turn`` allows rotating and stretching them to
    the frame (a geographic layout says False: north stays up)."""

    positions: RawLayout
    turn: bool = True


LAYOUTS: dict[str, LayoutMethod] = {}
"""Registered layout methods by name (``forceatlas2``, ``fr``, and any added later)."""


def register_layout(name: str, positions: RawLayout, *, turn: bool = True) -> None:
    """Make ``layout(G, method=name)`` use ``positions`` (see :class:`LayoutMethod`).

    >>> import numpy as np
    >>> def line(G, nodes, seed):
    ...     return np.array([[10.0 * i, 0.0] for i in range(len(nodes))])
    >>> register_layout("line", line, turn=False)
    >>> sorted(layout(nx.path_graph(3), method="line").values())[0][1]
    0.0
    """
    LAYOUTS[name] = LayoutMethod(positions, turn)


def layout(
    G: nx.Graph,
    *,
    seed: int = 42,
    spacing: float = _SPACING,
    method: str = "forceatlas2",
    sizes: Mapping[Hashable, float] | None = None,
    aspect: float = _ASPECT,
    centre: Hashable | None = None,
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
        Method ``fr`` only: typical distance in pixels between neighbouring nodes.
    method : str
        ``"forceatlas2"`` (LinLog, default), ``"fr"`` (igraph Fruchterman–Reingold, the
        earlier default) or a name given to :func:`register_layout`.
    sizes : mapping, optional
        Radius in pixels of each node's disc (default 8): no two discs overlap.
    aspect : float
        Width / height the drawing is stretched towards (at most 1.6 times), to fill a frame.
    centre : node, optional
        The focus of an ego map (tied to at least half of the other nodes), drawn in the
        middle of the others, at ``(0, 0)``: they are laid out without it. Otherwise (or
        without it) the drawing's bounding box is centred.

    Returns
    -------
    dict
        Node → ``(x, y)`` floats rounded to 0.1 px.

    Examples
    --------
    >>> G = nx.florentine_families_graph()
    >>> layout(G) == layout(nx.Graph(list(reversed(list(G.edges)))))
    True
    >>> len(layout(G))
    15
    >>> layout(nx.ego_graph(G, "Medici"), centre="Medici")["Medici"]  # an ego map's middle
    (0.0, 0.0)
    """
    if method == "fr":
        return _fr_layout(G, seed=seed, spacing=spacing)
    if method not in LAYOUTS:
        raise ValueError(f"unknown layout {method!r}; choose one of {', '.join(sorted(LAYOUTS))}")
    nodes = sorted(G.nodes, key=node_key)
    if not nodes:
        return {}
    chosen = LAYOUTS[method]
    # Only the centre of an ego map (tied to at least half of the others) is held in the
    # middle; in a whole network a focus stays where its ties pull it.
    ego = centre is not None and centre in G and 2 * G.degree(centre) >= len(nodes) - 1
    middle = nodes.index(centre) if ego else None
    if middle is not None and chosen.positions is _fa2_positions:
        xy = _fa2_positions(G, nodes, seed, centre=middle)
    else:
        xy = np.asarray(chosen.positions(G, nodes, seed), dtype=float).reshape(len(nodes), 2)
    radius = np.array([_positive((sizes or {}).get(n, 8.0), 8.0) for n in nodes])
    if chosen.turn:
        xy = _turn(xy, aspect, None if middle is None else xy[middle])
    xy = _scale_for(xy, radius)
    xy = _no_overlap(xy, radius)
    xy -= xy[middle] if middle is not None else (xy.min(axis=0) + xy.max(axis=0)) / 2
    return {node: (round(float(xy[i, 0]), 1), round(float(xy[i, 1]), 1))
            for i, node in enumerate(nodes)}


def _fa2_positions(G: nx.Graph, nodes: list[Hashable], seed: int,
                   centre: int | None = None) -> np.ndarray:
    """ForceAtlas2/LinLog; strong ties pull harder. Node number ``centre``, if given (the
    focus of an ego map), is placed in the middle of the others, laid out without it: held
    anywhere else, its ties to everyone push the rest of the drawing to one side.

    Above a couple of hundred nodes it starts from its groups (multilevel, as OpenOrd and
    sfdp do): the Leiden groups of the drawn links are laid out first, each node starts near
    its group, and a short run refines. That reaches a better layout in a third of the time
    of a random start at 5,000 nodes.
    """
    n = len(nodes)
    if centre is not None and n > 2:
        others = nodes[:centre] + nodes[centre + 1:]
        rest = _fa2_positions(G.subgraph(others), others, seed)
        middle = (rest.min(axis=0) + rest.max(axis=0)) / 2
        return np.insert(rest, centre, middle, axis=0)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted((min(index[u], index[v]), max(index[u], index[v]),
                    _positive(d.get("weight", 1.0), 1.0))
                   for u, v, d in G.edges(data=True) if u != v)
    edges = np.array([(a, b) for a, b, _ in pairs], dtype=np.int64).reshape(-1, 2)
    weights = np.minimum([w for *_, w in pairs], 64.0) if pairs else np.zeros(0)
    with seeded(seed) as rng:
        if n < 200 or not len(edges):
            start = rng.uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n) * 10
            return forceatlas2(start, edges, weights, iterations=250, scaling=1.0)
        start = _group_start(n, edges, weights, rng)
    iterations = 80 if n <= 1000 else (60 if n <= 3000 else 50)
    return forceatlas2(start, edges, weights, iterations=iterations, scaling=1.0)


def _group_start(n: int, edges: np.ndarray, weights: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    """Starting positions: Leiden groups laid out by ForceAtlas2, each node near its group.

    Called inside :func:`graph._random.seeded` (Leiden draws from igraph's generator)."""
    import igraph as ig

    g = ig.Graph(n=n, edges=edges.tolist())
    g.es["weight"] = weights.tolist()
    group = np.asarray(g.community_leiden(objective_function="modularity", weights="weight",
                                          n_iterations=2).membership)
    k = int(group.max()) + 1
    size = np.bincount(group, minlength=k)
    gu, gv = group[edges[:, 0]], group[edges[:, 1]]
    between = gu != gv
    lo, hi = np.minimum(gu[between], gv[between]), np.maximum(gu[between], gv[between])
    keys, inverse = np.unique(lo * k + hi, return_inverse=True)
    strength = np.bincount(inverse, weights[between]) if len(keys) else np.zeros(0)
    centres = forceatlas2(rng.uniform(-1.0, 1.0, size=(k, 2)) * math.sqrt(k) * 10,
                          np.column_stack([keys // k, keys % k]), strength, iterations=200,
                          scaling=1.0)
    return centres[group] + rng.normal(size=(n, 2)) * np.sqrt(size[group])[:, None] * 0.3


LAYOUTS["forceatlas2"] = LayoutMethod(_fa2_positions)


def _turn(xy: np.ndarray, aspect: float, pivot: np.ndarray | None = None) -> np.ndarray:
    """Rotate so the long axis is horizontal, then stretch towards ``aspect`` (width/height),
    wider or taller (at most ``_MAX_STRETCH`` times); about ``pivot`` (which ends at the
    origin) or the mean."""
    xy = xy - (xy.mean(axis=0) if pivot is None else pivot)
    if len(xy) < 3:
        return xy
    _, vectors = np.linalg.eigh(np.cov(xy.T))
    xy = xy @ vectors[:, ::-1]  # principal axis first
    # a sign convention, so mirror images of one layout are drawn the same way
    for k in (0, 1):
        if float(np.sum(xy[:, k] ** 3)) < 0:
            xy[:, k] = -xy[:, k]
    w, h = np.ptp(xy[:, 0]), np.ptp(xy[:, 1])
    if h > 0 and w / h < aspect:
        xy[:, 0] *= min(aspect * h / w if w > 0 else 1.0, _MAX_STRETCH)
    elif h > 0 and w / h > aspect:  # a band (two groups side by side): taller, to fill a frame
        xy[:, 1] *= min(w / (aspect * h), _MAX_STRETCH)
    return xy


def _scale_for(xy: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Scale so the discs cover about ``_DENSITY`` of the drawing and most neighbours have room."""
    n = len(xy)
    if n == 1:
        return xy * 0.0
    area = float(np.ptp(xy[:, 0]) * np.ptp(xy[:, 1])) or float(np.ptp(xy) ** 2) or 1.0
    # a small network still spreads over most of a projector frame at the page's largest
    # opening zoom (1.5): at least 900 × 600 px
    wanted = max(float(np.sum(np.pi * radius ** 2)) / _DENSITY, 900.0 * 600.0)
    factor = math.sqrt(wanted / area)
    from scipy.spatial import cKDTree

    dist, idx = cKDTree(xy).query(xy, k=2)
    need = (radius + radius[idx[:, 1]] + _GAP) / np.maximum(dist[:, 1], 1e-9)
    factor = max(factor, float(np.quantile(need, 0.5)))
    return xy * factor


def _no_overlap(xy: np.ndarray, radius: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Push apart every pair of discs closer than their radii plus ``_GAP`` (Noverlap)."""
    from scipy.spatial import cKDTree

    xy = xy.copy()
    reach = 2 * float(radius.max()) + _GAP
    for step in range(rounds):
        pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = xy[b] - xy[a]
        dist = np.linalg.norm(delta, axis=1)
        need = radius[a] + radius[b] + _GAP
        close = dist < need
        if not close.any():
            break
        a, b, delta, dist, need = a[close], b[close], delta[close], dist[close], need[close]
        same = dist < 1e-9
        delta[same] = np.column_stack([np.cos(a[same] * 2.399), np.sin(a[same] * 2.399)])
        dist[same] = 1.0
        # a little more than half the overlap each, so pairs settle in few rounds
        share = 0.55 if step < rounds - 20 else 0.75
        push = ((need - dist) * share)[:, None] * delta / dist[:, None]
        move = np.zeros_like(xy)
        np.add.at(move, a, -push)
        np.add.at(move, b, push)
        xy += move
    return xy


def _fr_layout(G: nx.Graph, *, seed: int, spacing: float) -> dict[Hashable, tuple[float, float]]:
    """The earlier layout: igraph Fruchterman–Reingold per component, components on rings."""
    nodes = sorted(G.nodes, key=node_key)
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
    with seeded(seed):
        result = graph.layout_fruchterman_reingold(
            seed=start.tolist(),
            # sqrt: strong ties pull harder without collapsing a dense group onto one point
            weights=[math.sqrt(min(weights[i], 16.0)) for i in order],
            niter=500 if n <= 1200 else 250,
            grid="auto" if n > 1200 else "nogrid",
        )
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


def _positive(value: object, default: float = 1.0) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return number if number > 0 and math.isfinite(number) else default


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
