"""A network from any table of pairs (e.g. a SPARQL result with two IRI columns)."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..vocab import ID, KINDS

__all__ = ["pairs_graph"]

_KIND_OF_SEGMENT = {segment: kind for kind, segment in KINDS.items()}


def pairs_graph(df: pd.DataFrame, source: str, target: str) -> nx.Graph:
    """Link ``source`` to ``target`` for every row of ``df``; weight = rows with that pair.

    Node labels come from a column named ``<column>_label``, ``<column>Label`` or
    ``<column>_name`` when the table has one, else the node keeps its IRI (maps shorten it).
    The node ``kind`` is read from copkg IRIs (``id/person/...`` → ``person``).

    >>> df = pd.DataFrame({"a": ["https://w3id.org/copkg/id/person/p1"] * 2,
    ...                    "a_label": ["Ana", "Ana"],
    ...                    "b": ["https://w3id.org/copkg/id/org/afd"] * 2})
    >>> G = pairs_graph(df, "a", "b")
    >>> G.nodes["https://w3id.org/copkg/id/person/p1"]["label"], G.number_of_edges()
    ('Ana', 1)
    >>> G.edges["https://w3id.org/copkg/id/person/p1", "https://w3id.org/copkg/id/org/afd"]["weight"]
    2.0
    """
    for column in (source, target):
        if column not in df.columns:
            raise KeyError(f"no column {column!r} in the table; columns: {', '.join(df.columns)}")
    labels: dict[str, str] = {}
    for column in (source, target):
        label_column = next(
            (c for c in (f"{column}_label", f"{column}Label", f"{column}_name") if c in df), None
        )
        if label_column is not None:
            for iri, label in zip(df[column], df[label_column], strict=True):
                if isinstance(iri, str) and isinstance(label, str) and label:
                    labels.setdefault(iri, label)
    counts: dict[tuple[str, str], int] = {}
    for a, b in zip(df[source], df[target], strict=True):
        if isinstance(a, str) and isinstance(b, str) and a and b and a != b:
            pair = (a, b) if a <= b else (b, a)
            counts[pair] = counts.get(pair, 0) + 1
    G = nx.Graph()
    for node in sorted({n for pair in counts for n in pair}):
        label = labels.get(node, node)
        G.add_node(node, label=label, labels={"en": label}, kind=_kind(node), type="",
                   country="", organization="", communities=(), illustrative=False)
    for (a, b), n in sorted(counts.items()):
        G.add_edge(a, b, weight=float(n), ties={"result": n}, evidence=[])
    return G


def _kind(iri: str) -> str:
    if iri.startswith(str(ID)):
        return _KIND_OF_SEGMENT.get(iri[len(str(ID)):].split("/", 1)[0], "resource")
    return "resource"
