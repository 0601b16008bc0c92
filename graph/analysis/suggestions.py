"""Introductions worth making: who shares collaborators, themes, communities, an organisation
or a country with someone — also with a person who has no ties yet, and for a whole team.

One score, said next to every answer (``answer.suggest`` in the catalogue)::

    score = 1 × common collaborators + 0.75 × shared themes + 0.5 × shared communities
            + 0.5 × same organisation + 0.25 × same country

Ties within the same score go to the better-connected candidate (more ties): for someone new,
a well-connected colleague opens more doors. People already tied to the person (or, for a
team, to any of its members) are never suggested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import networkx as nx
import pandas as pd

from ..countries import country_label, members_of
from ..errors import CopkgError
from ..i18n import t
from ..network.projections import group_labels
from .names import resolve

__all__ = ["SCORES", "suggest_for_team", "suggest_introductions"]

#: Score of one shared contact, theme, community, organisation and country.
SCORES = {"neighbours": 1.0, "themes": 0.75, "communities": 0.5, "organization": 0.5,
          "country": 0.25}
_COLUMNS = ["node", "label", "country", "score", "common_collaborators", "shared_themes",
            "shared_communities", "same_organization", "same_country", "ties", "reason"]


def suggest_introductions(G: nx.Graph, x: str, k: int = 10, *,
                          language: str = "en") -> pd.DataFrame:
    """Up to ``k`` actors of the same kind as ``x``, not yet tied to it, ranked by what they share.

    Columns: ``node, label, country, score`` (see the module docstring), the counts behind it,
    ``ties`` (the candidate's number of ties) and ``reason`` (what is shared, in ``language``).
    ``df.attrs["definition"]`` says how the score is made; an empty table's
    ``df.attrs["empty_reason"]`` says why it is empty.

    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, "person", "kind")
    >>> suggest_introductions(G, "a")[["node", "reason"]].values.tolist()
    [['c', 'common collaborators (1): b']]
    """
    _check_k(k)
    center = resolve(G, x)
    rows = _rank(G, [center], set(G[center]) | {center}, language)
    df = _table(rows, k, language)
    if df.empty:
        df.attrs["empty_reason"] = _why_empty(G, [center], language)
    return df


def suggest_for_team(G: nx.Graph, members: Iterable[str], k: int = 10, *,
                     language: str = "en") -> pd.DataFrame:
    """Introductions for a team (e.g. the people of one organisation): up to ``k`` people tied
    to none of ``members``, ranked by what they share with the team as a whole.

    ``members`` are ids, IRIs or labels of nodes of ``G`` (unknown → NotFoundError).
    ``score`` adds up the scores with each member; ``introduce_to`` names the members who share
    the most; ``reason`` says what is shared, member by member (the best three).

    >>> G = nx.Graph([("a", "x"), ("b", "y")])
    >>> G.add_node("c")
    >>> nx.set_node_attributes(G, "person", "kind")
    >>> nx.set_node_attributes(G, {"a": "o", "b": "o", "c": "o"}, "organization")
    >>> suggest_for_team(G, ["a", "b"])["node"].tolist()
    ['c']
    """
    _check_k(k)
    # Every member named is resolved (id, IRI or label): an unknown one is an error.
    team = list(dict.fromkeys(resolve(G, m) for m in members))
    if not team:
        df = _table([], k, language)
        df.attrs["empty_reason"] = t("answer.suggest_no_team", language)
        return df
    tied = set(team).union(*(set(G[m]) for m in team))
    rows = _rank(G, team, tied, language)
    df = _table(rows, k, language, team=True)
    if df.empty:
        df.attrs["empty_reason"] = _why_empty(G, team, language)
    return df


def _check_k(k: int) -> None:
    # k = 0 would answer "no one shares anything", which is false: asking for none is misuse.
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise CopkgError("error.at_least", name="k", least=1, value=k)


def _rank(G: nx.Graph, centers: list[str], exclude: set[str], language: str
          ) -> list[dict[str, Any]]:
    labels = group_labels(G, language)

    def name(node: object) -> str:
        if node in G:
            data = G.nodes[node]
            names = data.get("labels")
            if isinstance(names, dict) and names.get(language):
                return str(names[language])
            return str(data.get("label", node))
        return labels.get(str(node), str(node).rstrip("/").rsplit("/", 1)[-1])

    members = members_of(G)

    def country(code: str) -> str:
        return country_label(code, language, members)

    kinds = {G.nodes[c].get("kind") for c in centers}
    rows = []
    for other, data in G.nodes(data=True):
        if other in exclude or data.get("kind") not in kinds:
            continue
        total = 0.0
        per_member: list[tuple[float, str, dict[str, Any]]] = []
        counts = {"common_collaborators": 0, "shared_themes": 0, "shared_communities": 0,
                  "same_organization": 0, "same_country": 0}
        for center in centers:
            score, shared = _shared(G, center, other)
            if score == 0:
                continue
            total += score
            per_member.append((score, center, shared))
            counts["common_collaborators"] += len(shared["neighbours"])
            counts["shared_themes"] += len(shared["themes"])
            counts["shared_communities"] += len(shared["communities"])
            counts["same_organization"] += int(bool(shared["organization"]))
            counts["same_country"] += int(bool(shared["country"]))
        if total == 0:
            continue
        per_member.sort(key=lambda p: (-p[0], name(p[1])))
        if len(centers) == 1:
            reason = _reason(per_member[0][2], name, country, language)
        else:
            reason = " | ".join(f"{name(c)}: {_reason(shared, name, country, language)}"
                                for _, c, shared in per_member[:3])
        rows.append({
            "node": other, "label": name(other), "country": data.get("country", ""),
            "score": total, **counts, "ties": G.degree(other),
            "introduce_to": "; ".join(name(c) for _, c, _ in per_member[:3]),
            "reason": reason,
        })
    return rows


def _shared(G: nx.Graph, a: str, b: str) -> tuple[float, dict[str, Any]]:
    da, db = G.nodes[a], G.nodes[b]
    shared: dict[str, Any] = {
        "neighbours": sorted(set(G[a]) & set(G[b]), key=str),
        "themes": sorted(set(da.get("themes", ())) & set(db.get("themes", ()))),
        "communities": sorted(set(da.get("communities", ())) & set(db.get("communities", ()))),
        "organization": da.get("organization") if da.get("organization")
        and da.get("organization") == db.get("organization") else "",
        "country": da.get("country") if da.get("country")
        and da.get("country") == db.get("country") else "",
    }
    score = (SCORES["neighbours"] * len(shared["neighbours"])
             + SCORES["themes"] * len(shared["themes"])
             + SCORES["communities"] * len(shared["communities"])
             + SCORES["organization"] * bool(shared["organization"])
             + SCORES["country"] * bool(shared["country"]))
    return score, shared


def _reason(shared: dict[str, Any], name: Callable[[object], str],
            country: Callable[[str], str], language: str) -> str:
    parts = []
    for key, catalogue in (("neighbours", "answer.reason_collaborators"),
                           ("themes", "answer.reason_themes"),
                           ("communities", "answer.reason_communities")):
        items = shared[key]
        if items:
            shown = ", ".join(sorted((name(i) for i in items), key=str.casefold)[:3])
            more = t("answer.reason_more", language, n=len(items) - 3) if len(items) > 3 else ""
            parts.append(t(catalogue, language, n=len(items), names=shown + more))
    if shared["organization"]:
        parts.append(t("answer.reason_organization", language,
                       name=name(shared["organization"])))
    if shared["country"]:
        parts.append(t("answer.reason_country", language, name=country(shared["country"])))
    return t("answer.reason_sep", language).join(parts)


def _table(rows: list[dict[str, Any]], k: int, language: str, *, team: bool = False
           ) -> pd.DataFrame:
    columns = _COLUMNS[:-1] + (["introduce_to"] if team else []) + ["reason"]
    df = pd.DataFrame(rows, columns=[*columns, *(["introduce_to"] if not team else [])])
    df = df[columns]
    if not df.empty:
        df = df.sort_values(["score", "ties", "label", "node"],
                            ascending=[False, False, True, True], kind="mergesort")
        df = df.head(k).reset_index(drop=True)
    df.attrs["definition"] = t("answer.suggest", language)
    return df


def _why_empty(G: nx.Graph, centers: list[str], language: str) -> str:
    kinds = {G.nodes[c].get("kind") for c in centers}
    others = [n for n, d in G.nodes(data=True) if d.get("kind") in kinds and n not in centers]
    if not others:
        return t("answer.suggest_alone", language)
    tied = set().union(*(set(G[c]) for c in centers))
    if all(o in tied for o in others):
        return t("answer.suggest_all_tied", language)
    return t("answer.suggest_nothing_shared", language)
