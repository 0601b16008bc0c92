"""Network files for Gephi and spreadsheets: GEXF, GraphML and an edge table.

GEXF and GraphML hold only scalar attributes, so dicts, lists and tuples (``labels``, ``ties``,
``evidence``, ``communities``) are written as JSON text; an undefined value (``None``, NaN, e.g.
the constraint of an isolated node) is left out of that node or edge, never written as ``""``
(which ``networkx.read_gexf`` and Gephi cannot read as a number).
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from .layout import layout as compute_layout
from .style import node_label, style_graph

__all__ = ["edges_csv", "flat_graph", "to_gexf", "to_graphml"]


def flat_graph(G: nx.Graph, measures: pd.DataFrame | None = None) -> nx.Graph:
    """A copy of ``G`` whose attributes are all str/int/float/bool, with ``measures`` added.

    Lists, tuples and dicts become JSON text (non-ASCII kept), numpy scalars → Python ones;
    undefined values (``None``, NaN, ±inf) are left out; every node keeps a ``label``. Measure
    columns (except ``node`` and those already attributes) are added as node attributes.

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", ties={"event": 2}, evidence=[{"kind": "event", "label": "Été"}])
    >>> H = flat_graph(G)
    >>> H.edges["a", "b"]["ties"], H.nodes["a"]["label"]
    ('{"event": 2}', 'a')
    """
    H = G.__class__()
    H.graph.update(_defined({k: _scalar(v) for k, v in G.graph.items()}))
    extra: dict[Hashable, dict[str, Any]] = {}
    if measures is not None and len(measures) and "node" in measures.columns:
        columns = [c for c in measures.columns if c not in ("node", "label", "kind", "type",
                                                             "country")]
        records: list[dict[Hashable, Any]] = measures.drop_duplicates("node").to_dict("records")
        for values in records:
            extra[values["node"]] = _defined({str(c): _scalar(values[c]) for c in columns})
    for node, data in G.nodes(data=True):
        attrs = _defined({str(k): _scalar(v) for k, v in data.items()})
        attrs.update(extra.get(node, {}))
        attrs["label"] = str(data.get("label") or node_label(G, node, "en"))
        H.add_node(node, **attrs)
    for u, v, data in G.edges(data=True):
        H.add_edge(u, v, **_defined({str(k): _scalar(val) for k, val in data.items()}))
    return H


def to_gexf(G: nx.Graph, path: str | Path, *, measures: pd.DataFrame | None = None,
            color_by: str = "community", seed: int = 42) -> Path:
    """Write ``G`` as GEXF 1.2 with flattened attributes, measures, positions and colours.

    Positions and colours (``viz``) are those of the HTML map, so Gephi opens the same picture.

    >>> import networkx as nx, tempfile, pathlib
    >>> out = to_gexf(nx.path_graph(3), pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
    >>> sorted(nx.read_gexf(out).nodes)
    ['0', '1', '2']
    """
    path = Path(path)
    H = flat_graph(G, measures)
    positions = compute_layout(G, seed=seed)
    styled = style_graph(G, color_by=color_by, measures=measures)
    for node in H:
        x, y = positions[node]
        r, g, b = (int(styled.colors[node][i:i + 2], 16) for i in (1, 3, 5))
        H.nodes[node]["viz"] = {"position": {"x": x, "y": -y, "z": 0.0},
                                "color": {"r": r, "g": g, "b": b, "a": 1.0},
                                "size": styled.sizes[node]}
    nx.write_gexf(H, path, encoding="utf-8", prettyprint=True, version="1.2draft")
    return path


def to_graphml(G: nx.Graph, path: str | Path, *, measures: pd.DataFrame | None = None) -> Path:
    """Write ``G`` as GraphML with flattened attributes and ``measures``.

    >>> import networkx as nx, tempfile, pathlib
    >>> out = to_graphml(nx.path_graph(2), pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
    >>> nx.read_graphml(out).number_of_edges()
    1
    """
    path = Path(path)
    nx.write_graphml(flat_graph(G, measures), path, encoding="utf-8", prettyprint=True)
    return path


def edges_csv(G: nx.Graph, *, language: str = "en") -> pd.DataFrame:
    """One row per edge: ends (id and label), weight, ties, and evidence as JSON.

    Write it with ``graph.csv_writer.write_csv(df, path, bom=True)``: the byte-order mark lets
    spreadsheet programs read accents and Arabic, and formula-like names are neutralised.

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=2.0, ties={"event": 2, "coauthorship": 1})
    >>> row = edges_csv(G).iloc[0]
    >>> row["source"], row["target"], float(row["weight"]), row["ties"]
    ('a', 'b', 2.0, 'coauthorship=1; event=2')
    """
    rows = []
    for u, v, data in G.edges(data=True):
        a, b = sorted((u, v), key=str) if not G.is_directed() else (u, v)
        evidence = list(data.get("evidence") or ())
        rows.append({
            "source": str(a),
            "source_label": node_label(G, a, language),
            "target": str(b),
            "target_label": node_label(G, b, language),
            "weight": float(data.get("weight", 1.0) or 0.0),
            "ties": "; ".join(f"{k}={c}" for k, c in sorted(dict(data.get("ties") or {})
                                                             .items())),
            "evidence_count": len(evidence),
            "evidence": json.dumps(evidence, ensure_ascii=False, default=str) if evidence else "",
        })
    columns = ["source", "source_label", "target", "target_label", "weight", "ties",
               "evidence_count", "evidence"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["source", "target"], kind="stable").reset_index(drop=True)


_UNDEFINED = object()


def _defined(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if v is not _UNDEFINED}


def _scalar(value: Any) -> Any:
    if value is None:
        return _UNDEFINED
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _UNDEFINED
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return json.dumps(_plain(value), ensure_ascii=False, default=str)
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
