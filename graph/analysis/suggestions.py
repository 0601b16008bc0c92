"""Introductions worth making: people not yet linked who share themes, contacts or communities."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import pandas as pd

from ..i18n import t
from ..network.projections import group_labels
from .names import label_in, resolve

__all__ = ["suggest_introductions"]

#: Score of one shared contact, theme and community (a common collaborator weighs most).
SCORES = {"neighbours": 1.0, "themes": 0.75, "communities": 0.5}


def suggest_introductions(G: nx.Graph, x: str, k: int = 10, *,
                          language: str = "en") -> pd.DataFrame:
    """Up to ``k`` actors of the same kind as ``x``, not yet tied to it, ranked by what they share.

    ``score`` = 1 × common collaborators + 0.75 × shared themes (``schema:knowsAbout``) +
    0.5 × shared communities; ``reason`` spells out what is shared, in ``language``.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, "person", "kind")
    >>> suggest_introductions(G, "a")[["node", "reason"]].values.tolist()
    [['c', '1 common collaborator (b)']]
    """
    center = resolve(G, x)
    attrs = G.nodes[center]
    kind = attrs.get("kind")
    mine_nb = set(G[center])
    mine_th = set(attrs.get("themes", ()))
    mine_co = set(attrs.get("communities", ()))
    labels = group_labels(G, language)

    def name(node: object) -> str:
        if node in G:
            return label_in(G, node, language)
        return labels.get(str(node), str(node))

    rows = []
    for other, data in G.nodes(data=True):
        if other == center or other in mine_nb or data.get("kind") != kind:
            continue
        common = sorted(mine_nb & set(G[other]), key=name)
        themes = sorted(mine_th & set(data.get("themes", ())), key=name)
        comms = sorted(mine_co & set(data.get("communities", ())), key=name)
        score = (
            SCORES["neighbours"] * len(common) + SCORES["themes"] * len(themes)
            + SCORES["communities"] * len(comms)
        )
        if score == 0:
            continue
        reasons = []
        if common:
            reasons.append(_count("analysis.common_collaborators", common, name, language))
        if themes:
            reasons.append(_count("analysis.shared_themes", themes, name, language))
        if comms:
            reasons.append(_count("analysis.shared_communities", comms, name, language))
        rows.append({
            "node": other, "label": name(other), "country": data.get("country", ""),
            "score": score, "common_collaborators": len(common), "shared_themes": len(themes),
            "shared_communities": len(comms), "reason": t("analysis.list_separator", language)
            .join(reasons),
        })
    columns = ["node", "label", "country", "score", "common_collaborators", "shared_themes",
               "shared_communities", "reason"]
    df = pd.DataFrame(rows, columns=columns)
    if df.empty:
        return df
    df = df.sort_values(["score", "label", "node"], ascending=[False, True, True],
                        kind="mergesort")
    return df.head(k).reset_index(drop=True)


def _count(key: str, items: list[object], name: Callable[[object], str], language: str) -> str:
    n = len(items)
    shown = t("analysis.name_separator", language).join(name(i) for i in items[:3])
    if n > 3:
        shown = t("analysis.and_more", language, names=shown, n=n - 3)
    return t(key, language, n=n, names=shown)
