"""ForceAtlas2 (Jacomy et al. 2014, PLoS ONE 9(6): e98679), vectorised with NumPy.

Written here from the paper and Gephi's description rather than taken from the PyPI packages
``fa2`` / ``fa2-modified`` because those are GPL-3.0 and copkg is MIT; the benchmark compares
this implementation with them. Repulsion is exact below :data:`EXACT_LIMIT` nodes and, above
it, approximated on a hierarchy of grids (a Barnes–Hut-like multipole split: each node feels
far cells through their centre of mass and its neighbouring cells node by node).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["EXACT_LIMIT", "forceatlas2"]

EXACT_LIMIT = 100
"""Above this many nodes, repulsion uses the grid approximation."""

_BLOCK = np.arange(6)
_DU = np.repeat(_BLOCK, 6)
_DV = np.tile(_BLOCK, 6)
_NEAR = np.array([(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1)])


def forceatlas2(
    start: np.ndarray,
    edges: np.ndarray,
    weights: np.ndarray,
    *,
    iterations: int = 300,
    lin_log: bool = True,
    scaling: float = 2.0,
    gravity: float = 1.0,
    strong_gravity: bool = False,
    edge_weight_influence: float = 1.0,
    jitter_tolerance: float = 1.0,
) -> np.ndarray:
    """Positions after ``iterations`` steps of ForceAtlas2 from ``start`` (deterministic).

    Parameters
    ----------
    start : ndarray, shape (n, 2)
        Starting positions (no two equal).
    edges : ndarray of int, shape (m, 2)
        Node indices of each link (no self-loops).
    weights : ndarray, shape (m,)
        Link weights; attraction grows with ``weight ** edge_weight_influence``.
    lin_log : bool
        LinLog mode (attraction ``log(1 + d)``): groups stand apart more clearly.
    scaling, gravity, strong_gravity, jitter_tolerance
        As in Gephi (repulsion coefficient ``kr``, gravity ``kg``, ...).

    Returns
    -------
    ndarray, shape (n, 2)

    Examples
    --------
    >>> import numpy as np
    >>> xy = forceatlas2(np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]]),
    ...                  np.array([[0, 1]]), np.array([1.0]), iterations=50)
    >>> bool(np.linalg.norm(xy[0] - xy[1]) < np.linalg.norm(xy[0] - xy[2]))
    True
    """
    X = np.array(start, dtype=float)
    n = len(X)
    if n < 2:
        return X
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    w = np.asarray(weights, dtype=float).reshape(-1) ** edge_weight_influence
    u, v = edges[:, 0], edges[:, 1]
    mass = 1.0 + np.bincount(edges.ravel(), minlength=n).astype(float)
    old = np.zeros_like(X)
    speed, efficiency = 1.0, 1.0
    far = np.zeros_like(X)
    finest = 0
    for step in range(iterations):
        if n <= EXACT_LIMIT:
            F = scaling * _repulsion_exact(X, mass)
        else:
            # The far field (cells lumped) moves slowly: it is refreshed every other step,
            # and the grid's depth every tenth; the near field is computed every step.
            if step % 10 == 0:
                finest = _finest_level(X, n)
            if step % 2 == 0:
                far = _far_field(X, mass, finest)
            F = scaling * (far + _near_field(X, mass, finest))
        # gravity towards the origin
        dist = np.linalg.norm(X, axis=1)
        if strong_gravity:
            F -= (scaling * gravity * mass)[:, None] * X
        else:
            F -= (gravity * mass / np.maximum(dist, 1e-9))[:, None] * X
        if len(edges):
            delta = X[u] - X[v]
            length = np.linalg.norm(delta, axis=1)
            factor = w * np.log1p(length) / np.maximum(length, 1e-9) if lin_log else w
            pull = delta * factor[:, None]
            F[:, 0] -= np.bincount(u, pull[:, 0], n) - np.bincount(v, pull[:, 0], n)
            F[:, 1] -= np.bincount(u, pull[:, 1], n) - np.bincount(v, pull[:, 1], n)
        swinging = mass * np.linalg.norm(F - old, axis=1)
        traction = mass * np.linalg.norm(F + old, axis=1) / 2
        speed, efficiency = _adapt_speed(float(swinging.sum()), float(traction.sum()), n,
                                         speed, efficiency, jitter_tolerance)
        X += F * (speed / (1.0 + np.sqrt(speed * swinging)))[:, None]
        old = F
    return X


def _adapt_speed(swinging: float, traction: float, n: int, speed: float, efficiency: float,
                 jitter_tolerance: float) -> tuple[float, float]:
    """Gephi's global speed: faster while nodes move steadily, slower when they oscillate."""
    if swinging <= 0 or traction <= 0:
        return speed, efficiency
    estimated = 0.05 * math.sqrt(n)
    jitter = jitter_tolerance * max(math.sqrt(estimated),
                                    min(10.0, estimated * traction / (n * n)))
    if swinging / traction > 2.0:
        if efficiency > 0.05:
            efficiency *= 0.5
        jitter = max(jitter, jitter_tolerance)
    target = jitter * efficiency * traction / swinging
    if swinging > jitter * traction:
        if efficiency > 0.05:
            efficiency *= 0.7
    elif speed < 1000:
        efficiency *= 1.3
    speed = speed + min(target - speed, 0.5 * speed)
    return speed, efficiency


def _repulsion_exact(X: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Sum over all other nodes j of ``m_i m_j (x_i - x_j) / d²`` (chunked, O(n²))."""
    n = len(X)
    F = np.empty_like(X)
    chunk = max(1, 400_000 // n)
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        d = X[a:b, None, :] - X[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", d, d)
        d2[np.arange(b - a), np.arange(a, b)] = np.inf
        f = mass[None, :] / np.maximum(d2, 1e-18)
        F[a:b] = np.einsum("ijk,ij->ik", d, f)
    return F * mass[:, None]


def _repulsion_grid(X: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Repulsion with far cells lumped: O(n log n) work in a few NumPy passes per level.

    Level ``L`` divides the bounding square in ``2^L × 2^L`` cells. A node feels, at each
    level, the cells that are children of its parent cell's neighbours but not neighbours of
    its own cell (through their mass and centre); at the finest level it feels the nodes of
    its own and neighbouring cells one by one. Every other node is counted exactly once.
    """
    finest = _finest_level(X, len(X))
    return _far_field(X, mass, finest) + _near_field(X, mass, finest)


def _cells(X: np.ndarray, level: int) -> tuple[np.ndarray, np.ndarray]:
    lo = X.min(axis=0)
    span = float((X.max(axis=0) - lo).max()) * (1 + 1e-9) or 1.0
    k = 1 << level
    U = (X - lo) * (k / span)
    return (np.minimum(U[:, 0].astype(np.int64), k - 1),
            np.minimum(U[:, 1].astype(np.int64), k - 1))


def _far_field(X: np.ndarray, mass: np.ndarray, finest: int) -> np.ndarray:
    """The repulsion of every cell that is not a neighbour, level by level (see above)."""
    F = np.zeros_like(X)
    for level in range(2, finest + 1):
        k = 1 << level
        cx, cy = _cells(X, level)
        flat = cx * k + cy
        M = np.bincount(flat, mass, k * k)
        safe = np.maximum(M, 1e-300)
        CX = np.bincount(flat, mass * X[:, 0], k * k) / safe
        CY = np.bincount(flat, mass * X[:, 1], k * k) / safe
        ox = ((cx >> 1) * 2 - 2)[:, None] + _DU[None, :]
        oy = ((cy >> 1) * 2 - 2)[:, None] + _DV[None, :]
        valid = ((ox >= 0) & (ox < k) & (oy >= 0) & (oy < k)
                 & ((np.abs(ox - cx[:, None]) > 1) | (np.abs(oy - cy[:, None]) > 1)))
        idx = np.where(valid, ox * k + oy, 0)
        m = np.where(valid, M[idx], 0.0)
        dx = X[:, 0, None] - CX[idx]
        dy = X[:, 1, None] - CY[idx]
        f = m / np.where(valid, np.maximum(dx * dx + dy * dy, 1e-18), 1.0)
        F[:, 0] += (dx * f).sum(axis=1)
        F[:, 1] += (dy * f).sum(axis=1)
    return F * mass[:, None]


def _near_field(X: np.ndarray, mass: np.ndarray, finest: int) -> np.ndarray:
    """The repulsion of the nodes in a node's own and neighbouring finest cells, one by one."""
    n = len(X)
    k = 1 << finest
    cx, cy = _cells(X, finest)
    flat = cx * k + cy
    order = np.argsort(flat, kind="stable")
    counts = np.bincount(flat, minlength=k * k)
    starts = np.cumsum(counts) - counts
    nx_ = cx[:, None] + _NEAR[None, :, 0]
    ny_ = cy[:, None] + _NEAR[None, :, 1]
    ok = (nx_ >= 0) & (nx_ < k) & (ny_ >= 0) & (ny_ < k)
    cell = np.where(ok, nx_ * k + ny_, 0)
    rep = np.where(ok, counts[cell], 0).ravel()
    total = int(rep.sum())
    src = np.repeat(np.repeat(np.arange(n), 9), rep)
    within = np.arange(total) - np.repeat(np.cumsum(rep) - rep, rep)
    dst = order[np.repeat(starts[cell].ravel(), rep) + within]
    keep = src != dst
    src, dst = src[keep], dst[keep]
    d = X[src] - X[dst]
    f = mass[dst] / np.maximum((d * d).sum(axis=1), 1e-18)
    F = np.zeros_like(X)
    F[:, 0] = np.bincount(src, d[:, 0] * f, n)
    F[:, 1] = np.bincount(src, d[:, 1] * f, n)
    return F * mass[:, None]


def _finest_level(X: np.ndarray, n: int) -> int:
    """The coarsest grid whose neighbour blocks hold at most ~48 nodes per node on average."""
    level = max(2, math.ceil(math.log(max(n / 2, 1), 4)))
    while level < 10:
        k = 1 << level
        cx, cy = _cells(X, level)
        counts = np.bincount(cx * k + cy, minlength=k * k).reshape(k, k)
        padded = np.pad(counts, 1)
        block = sum(padded[1 + a:1 + a + k, 1 + b:1 + b + k] for a, b in _NEAR)
        if float((counts * block).sum()) <= 48.0 * n:
            break
        level += 1
    return level
