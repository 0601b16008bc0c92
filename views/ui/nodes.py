"""Nodes of a projection as people read them: names in the chosen language, search, evidence."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from graph.analysis import resolve
from graph.errors import CopkgError
from views.ui.lang import label_of, tr
from views.ui.show import md
from views.ui.url import UrlState


def short_id(iri: str) -> str:
    """The last segment of an IRI (``.../community/urban-transport`` → ``urban-transport``)."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def node_label(G: nx.Graph, node: str) -> str:
    data = G.nodes[node]
    return label_of(data.get("labels"), data.get("label") or short_id(node))


def node_options(G: nx.Graph) -> list[str]:
    """Nodes sorted by their label in the chosen language (for search boxes)."""
    return sorted(G.nodes, key=lambda n: (node_label(G, n).casefold(), n))


def resolve_node(G: nx.Graph, text: str | None, url: UrlState, name: str,
                 field: str | None = None) -> str | None:
    """A node of ``G`` from the URL value ``name`` (IRI, id or label); when it names no one,
    warns — naming the page's ``field`` (the widget's label) the value was meant for, with the
    closest names, or how to choose when none is close — and returns None."""
    if not text:
        return None
    if text in G:
        return text
    try:
        return str(resolve(G, text))
    except CopkgError as exc:
        field = field or name
        error = md(exc)
        if not getattr(exc, "suggestions", None):
            error += " " + tr("app.type_to_choose", field=field)
        url.warnings.append(tr("app.unknown_node", field=field, name=name.replace("`", ""),
                               value=md(text), error=error))
        return None


def with_labels(df: pd.DataFrame, G: nx.Graph) -> pd.DataFrame:
    """``df`` with its ``label`` column in the reader's language (from the ``node`` column)."""
    if "node" not in df or "label" not in df:
        return df
    out = df.copy()
    out["label"] = [node_label(G, n) if n in G else label
                    for n, label in zip(out["node"], out["label"], strict=True)]
    return out


def count_illustrative(G: nx.Graph) -> int:
    return sum(1 for _, d in G.nodes(data=True) if d.get("illustrative"))


def evidence_rows(G: nx.Graph, node: str) -> pd.DataFrame:
    """One row per piece of evidence on each edge of ``node``."""
    rows = []
    for nbr in G.neighbors(node):
        data = G.edges[node, nbr]
        ties = tr("analysis.name_separator").join(
            f"{tr(f'tie.{k}')} ({v})" for k, v in sorted((data.get("ties") or {}).items()))
        evidence = data.get("evidence") or [{}]
        for ev in evidence:
            rows.append({
                "with": node_label(G, nbr),
                "weight": data.get("weight"),
                "ties": ties,
                "evidence": ev.get("label", ""),
                "kind": ev.get("kind", ""),
                "year": ev.get("year"),
                "iri": ev.get("iri", ""),
            })
    df = pd.DataFrame(rows, columns=["with", "weight", "ties", "evidence", "kind", "year", "iri"])
    return df.sort_values(["weight", "with"], ascending=[False, True], kind="stable")
