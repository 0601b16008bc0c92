"""Rankings a person can read: sorted by the chosen measure, human column names with a one-line
explanation each, "group" for detected clusters (singletons folded into "not connected"), names
instead of IRIs. The numbers stay those of :func:`~graph.analysis.measures` (full precision);
only the presentation changes.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from ..countries import Members, country_label
from ..i18n import has, t

__all__ = ["RANKABLE", "measure_help", "rank_order", "readable_groups", "readable_ranking"]

#: Measures a ranking can be sorted by, in the order they are offered.
RANKABLE = ("betweenness", "degree", "weighted_degree", "pagerank", "closeness", "eigenvector",
            "effective_size", "constraint")
_ASCENDING = {"constraint"}  # low constraint = more brokerage opportunities


def measure_help(measure: str, language: str = "en") -> str:
    """The one-line plain explanation of ``measure`` in ``language``.

    >>> measure_help("betweenness").startswith("How often")
    True
    """
    return t(f"measure_help.{measure}", language)


def rank_order(table: pd.DataFrame, sort_by: str = "betweenness") -> pd.DataFrame:
    """``table`` (from :func:`~graph.analysis.measures`) in the order of the ranking by
    ``sort_by``: descending (ascending for ``constraint``, where lower means more brokerage),
    equal values by name, undefined values last. The screen and the CSV use this one order.

    >>> df = pd.DataFrame({"label": ["A", "B", "C"], "degree": [1, 2, 1]})
    >>> rank_order(df, "degree")["label"].tolist()
    ['B', 'A', 'C']
    """
    if sort_by not in table.columns:
        raise ValueError(f"cannot sort by {sort_by!r}")
    return table.sort_values([sort_by, "label"], ascending=[sort_by in _ASCENDING, True],
                             kind="mergesort", na_position="last")


def readable_ranking(table: pd.DataFrame, sort_by: str = "betweenness", *,
                     language: str = "en", names: dict[str, str] | None = None,
                     countries: Members | None = None
                     ) -> tuple[pd.DataFrame, dict[str, str]]:
    """``table`` (from :func:`~graph.analysis.measures`) for people to read, and the help text
    of each shown column (column name → one line).

    Rows are sorted by ``sort_by`` (descending; ascending for ``constraint``, where lower means
    more brokerage), then by name. ``cluster`` becomes a ``group`` column ("Group 1" is the
    largest; clusters of one are "not connected"); ``names`` (node → label in ``language``)
    replace the English labels; countries are named by :func:`graph.countries.country_label`
    (``countries``: the member labels of the projection, :func:`graph.countries.members_of`);
    the ``node`` IRI is dropped.

    >>> df = pd.DataFrame({"node": ["a", "b", "c"], "label": ["A", "B", "C"],
    ...                    "kind": ["person"] * 3, "type": [""] * 3, "country": ["TN"] * 3,
    ...                    "degree": [1, 2, 0], "betweenness": [0.0, 1.0, 0.0],
    ...                    "cluster": [1, 1, 2]})
    >>> shown, helps = readable_ranking(df, "degree")
    >>> shown.iloc[:, 0].tolist(), shown["Group"].tolist()
    (['B', 'A', 'C'], ['Group 1', 'Group 1', 'not connected'])
    """
    df = table.copy()
    if names:
        df["label"] = [names.get(n, label) for n, label in zip(df["node"], df["label"],
                                                                 strict=True)]
    df = rank_order(df, sort_by)
    df["kind"] = [_kind(k, language) for k in df["kind"]]
    df["type"] = [t(f"type.{v}", language) if v and has(f"type.{v}") else v for v in df["type"]]
    df["country"] = [country_label(c, language, countries) if c else c for c in df["country"]]
    columns: dict[str, str] = {
        "label": t("rank.name", language), "kind": t("rank.kind", language),
        "type": t("rank.type", language), "country": t("rank.country", language),
    }
    helps: dict[str, str] = {}
    if "cluster" in df.columns:
        sizes = Counter(df["cluster"])
        df["cluster"] = [
            t("rank.not_connected", language) if sizes[c] == 1
            else t("rank.group_n", language, n=int(c)) for c in df["cluster"]
        ]
        columns["cluster"] = t("rank.group", language)
        helps[columns["cluster"]] = t("measure_help.community", language)
    order = [sort_by] + [m for m in RANKABLE if m != sort_by and m in df.columns]
    for m in order:
        columns[m] = t(f"measure.{m}", language)
        helps[columns[m]] = measure_help(m, language)
    keep = ["label", "kind", "type", "country", *order,
            *(["cluster"] if "cluster" in df.columns else [])]
    shown = df[keep].rename(columns=columns).reset_index(drop=True)
    return shown, helps


def _kind(kind: object, language: str) -> str:
    try:
        return t(f"kind.{kind}", language)
    except KeyError:
        return str(kind)


def readable_groups(groups: pd.DataFrame, *, language: str = "en") -> pd.DataFrame:
    """:func:`~graph.analysis.detect_communities` for people: "Group 1", "Group 2"... for
    clusters of two or more, every cluster of one folded into a single "not connected" row
    (its size = how many), catalogue column names, no IRIs.

    >>> g = pd.DataFrame({"cluster": [1, 2, 3], "size": [3, 1, 1],
    ...                   "members": ["A; B; C", "D", "E"], "dominant_theme": ["T", "", ""],
    ...                   "dominant_country": ["TN", "FR", "MA"], "nodes": [[], [], []]})
    >>> readable_groups(g).iloc[:, :2].values.tolist()
    [['Group 1', 3], ['not connected', 2]]
    """
    from .clusters import fold_singletons

    rows = []
    for _, r in fold_singletons(groups, language=language).iterrows():
        alone = not isinstance(r["cluster"], int | np.integer)
        rows.append({"group": r["cluster"] if alone else t("rank.group_n", language,
                                                            n=int(r["cluster"])),
                     "size": int(r["size"]), "members": r["members"],
                     "theme": r["dominant_theme"], "country": r["dominant_country"]})
    columns = {"group": t("rank.group", language), "size": t("rank.size", language),
               "members": t("rank.members", language), "theme": t("rank.theme", language),
               "country": t("rank.country", language)}
    return pd.DataFrame(rows, columns=list(columns)).rename(columns=columns)
