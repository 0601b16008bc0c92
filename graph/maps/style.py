"""What a map shows for each node: its label, colour group, size and details, in one language.

Shared by the HTML maps and the static images so both use the same colours and legend.
"""

from __future__ import annotations

import gettext
import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx
import pandas as pd

from .. import i18n

__all__ = [
    "COLOR_BY",
    "MEASURES",
    "PALETTE",
    "LegendEntry",
    "Styled",
    "country_name",
    "node_label",
    "node_measures",
    "short_id",
    "style_graph",
]

COLOR_BY = ("community", "country", "type", "kind", "organization", "cluster")
"""Node properties a map can be coloured by (``cluster`` = detected community in measures)."""

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank", "eigenvector",
            "constraint", "effective_size", "members")
"""Measures a map can size or rank nodes by."""

# Okabe–Ito first (safe for colour-blind viewers), then Tableau-like tones; grey is reserved.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#8C564B", "#7F3C8D", "#11A579", "#3969AC", "#F2B701", "#E73F74", "#80BA5A", "#E68310",
    "#008695", "#CF1C90", "#4B4B8F", "#A5AA99",
)
GREY = "#9E9E9E"
_MAX_GROUPS = len(PALETTE)


@dataclass(frozen=True)
class LegendEntry:
    """One colour of the legend: its ``color``, translated ``label`` and node ``count``."""

    key: str
    label: str
    color: str
    count: int


@dataclass
class Styled:
    """A graph prepared for drawing: per node label, colour, size, group; and the legend."""

    labels: dict[Hashable, str]
    colors: dict[Hashable, str]
    groups: dict[Hashable, str]
    sizes: dict[Hashable, float]
    measures: dict[Hashable, dict[str, float]]
    legend: list[LegendEntry]
    color_by: str
    size_by: str
    illustrative: bool
    extra: dict[str, Any] = field(default_factory=dict)


def node_label(G: nx.Graph, node: Hashable, lang: str) -> str:
    """The node's name in ``lang`` (fallback English, then any), else its short id — never an IRI.

    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("https://x.org/id/p1", labels={"en": "Ana", "ar": "آنا"})
    >>> node_label(G, "https://x.org/id/p1", "ar"), node_label(G, "https://x.org/id/p1", "fr")
    ('آنا', 'Ana')
    >>> G.add_node("https://x.org/id/p2")
    >>> node_label(G, "https://x.org/id/p2", "fr")
    'p2'
    """
    data = G.nodes[node]
    if data.get("kind") == "group":
        special = data.get("special")
        if special:
            key = "legend.several" if special == "several" else (
                "legend.none" if data.get("type") == "community" else "legend.unknown")
            return i18n.t(key, lang)
        if data.get("type") == "country" and data.get("country"):
            return country_name(str(data["country"]), lang)
    labels = data.get("labels")
    text = i18n.label(labels if isinstance(labels, Mapping) else None, lang)
    if not text and data.get("kind") == "country" and data.get("country"):
        return country_name(str(data["country"]), lang)
    return text or str(data.get("label") or "") or short_id(node)


def short_id(node: Hashable) -> str:
    """The last segment of an IRI (``…/id/p0001`` → ``p0001``), or the node itself as text.

    >>> short_id("https://example.org/id/person/p0001"), short_id("country:TN")
    ('p0001', 'TN')
    """
    text = str(node)
    for sep in ("#", "/", ":"):
        if sep in text.rstrip(sep):
            text = text.rstrip(sep).rsplit(sep, 1)[1]
    return text


def node_measures(G: nx.Graph, measures: pd.DataFrame | None = None, *,
                  need: tuple[str, ...] = ("degree",), seed: int = 42) -> pd.DataFrame:
    """One row per node (index = node) with the measures in ``need``.

    Takes them from ``measures`` (as made by ``graph.analysis.measures``) where it has them,
    and computes the missing ones here: degree and weighted degree exactly, PageRank with
    networkx, betweenness sampled above 500 nodes.

    >>> import networkx as nx
    >>> df = node_measures(nx.path_graph(3), need=("degree", "pagerank"))
    >>> float(df.loc[1, "degree"])
    2.0
    """
    nodes = list(G.nodes)
    out = pd.DataFrame(index=pd.Index(nodes, dtype=object))
    if measures is not None and len(measures) and "node" in measures.columns:
        given = measures.drop_duplicates("node").set_index("node")
        for column in given.columns:
            if column in ("label", "kind", "type", "country"):
                continue
            out[column] = given[column].reindex(out.index)
    for name in need:
        if name in out.columns and out[name].notna().all():
            continue
        out[name] = pd.Series(_compute(G, name, seed), dtype=float).reindex(out.index)
    for name in need:
        out[name] = pd.to_numeric(out[name], errors="coerce").fillna(0.0).astype(float)
    return out


def _compute(G: nx.Graph, name: str, seed: int) -> dict[Hashable, float]:
    if name == "degree":
        return {n: float(d) for n, d in G.degree()}
    if name == "weighted_degree":
        return {n: float(d) for n, d in G.degree(weight="weight")}
    if name == "members":
        return {n: float(G.nodes[n].get("members", 1)) for n in G}
    if name == "pagerank":
        return dict(nx.pagerank(G, weight="weight")) if len(G) else {}
    if name == "betweenness":
        k = 500 if len(G) > 500 else None
        return dict(nx.betweenness_centrality(G, k=k, seed=seed))
    if name == "closeness":
        return dict(nx.closeness_centrality(G))
    if name == "eigenvector":
        try:
            return dict(nx.eigenvector_centrality_numpy(G, weight="weight"))
        except (nx.NetworkXException, ValueError, TypeError):
            return {n: 0.0 for n in G}
    raise ValueError(f"unknown measure {name!r}; choose one of {', '.join(MEASURES)}")


def style_graph(G: nx.Graph, *, lang: str = "en", color_by: str = "community",
                size_by: str = "degree", measures: pd.DataFrame | None = None,
                min_size: float = 5.0, max_size: float = 22.0) -> Styled:
    """Labels, colours, sizes and legend of every node of ``G`` in ``lang``.

    At most ``len(PALETTE)`` colours: the largest groups keep theirs, the rest share grey
    ("Other"). Groups are ordered by size, then by key, so colours are stable.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "TN", "b": "FR"}, "country")
    >>> s = style_graph(G, color_by="country", lang="fr")
    >>> [e.label for e in s.legend]
    ['France', 'Tunisie']
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"cannot colour by {color_by!r}; choose one of {', '.join(COLOR_BY)}")
    if size_by not in MEASURES:
        raise ValueError(f"cannot size by {size_by!r}; choose one of {', '.join(MEASURES)}")
    lang = i18n.normalize_language(lang)
    need = tuple(dict.fromkeys(("degree", "weighted_degree", size_by)))
    table = node_measures(G, measures, need=need)
    keys = {n: _group_key(G, n, color_by, table) for n in G}
    counts = Counter(keys.values())
    ordered = sorted(counts, key=lambda k: (k in ("", "~several"), -counts[k], k))
    colored = [k for k in ordered if k not in ("", "~several")][: _MAX_GROUPS]
    color_of = {k: PALETTE[i] for i, k in enumerate(colored)}
    legend = [LegendEntry(k, _group_label(G, k, color_by, lang), color_of[k], counts[k])
              for k in colored]
    others = sum(c for k, c in counts.items() if k not in color_of and k not in ("", "~several"))
    if others:
        legend.append(LegendEntry("~other", i18n.t("legend.other", lang), GREY, others))
    for special, key in (("~several", "legend.several"), ("", _none_key(color_by))):
        if counts.get(special):
            legend.append(LegendEntry(special or "~none", i18n.t(key, lang),
                                      "#5D5D5D" if special else "#CFCFCF", counts[special]))
    special_colors = {"~several": "#5D5D5D", "": "#CFCFCF"}
    colors = {n: color_of.get(k, special_colors.get(k, GREY)) for n, k in keys.items()}
    values = table[size_by]
    top = float(values.max()) if len(values) else 0.0
    sizes = {}
    for n in G:
        v = float(values.get(n, 0.0))
        frac = math.sqrt(v / top) if top > 0 and v > 0 else 0.0
        sizes[n] = round(min_size + (max_size - min_size) * frac, 2)
    rows: dict[Hashable, dict[Hashable, Any]] = table.to_dict("index")
    per_node = {n: {str(m): float(v) for m, v in rows[n].items() if _is_number(v)} for n in G}
    return Styled(
        labels={n: node_label(G, n, lang) for n in G},
        colors=colors,
        groups=keys,
        sizes=sizes,
        measures=per_node,
        legend=legend,
        color_by=color_by,
        size_by=size_by,
        illustrative=any(bool(d.get("illustrative")) for _, d in G.nodes(data=True)),
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(
        float(value))


def _none_key(color_by: str) -> str:
    return "legend.none" if color_by == "community" else "legend.unknown"


def _group_key(G: nx.Graph, node: Hashable, color_by: str, table: pd.DataFrame) -> str:
    data = G.nodes[node]
    if color_by == "community":
        if data.get("kind") == "community":
            return str(node)
        comms = sorted({str(c) for c in (data.get("communities") or ()) if c})
        if len(comms) > 1:
            return "~several"
        return comms[0] if comms else ""
    if color_by == "cluster":
        value: Any = table.at[node, "community"] if "community" in table.columns else None
        return "" if value is None or pd.isna(value) else str(value)
    return str(data.get(color_by) or "")


def _group_label(G: nx.Graph, key: str, color_by: str, lang: str) -> str:
    if color_by == "country":
        return country_name(key, lang)
    if color_by in ("community", "organization"):
        if key in G:
            return node_label(G, key, lang)
        names = G.graph.get("labels", {}).get(key)
        return i18n.label(names, lang) if names else short_id(key)
    if color_by == "kind":
        return _translated(f"kind.{key}", lang, key)
    if color_by == "cluster":
        return f"{i18n.t('measure.community', lang)} {key}"
    return _translated(f"type.{key}", lang, key)


def _translated(key: str, lang: str, default: str) -> str:
    try:
        return i18n.t(key, lang)
    except KeyError:
        return default


def country_name(code: str, lang: str) -> str:
    """The name of an ISO 3166-1 alpha-2 country in ``lang`` (pycountry's translations).

    >>> country_name("TN", "ar"), country_name("MA", "fr"), country_name("XX", "en")
    ('تونس', 'Maroc', 'XX')
    """
    return _country_name(code.upper(), i18n.normalize_language(lang))


@lru_cache(maxsize=4096)
def _country_name(code: str, lang: str) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return code
    name = str(getattr(country, "common_name", None) or country.name)
    if lang == "en":
        return name
    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return name
    return tr.gettext(str(country.name)) if tr.gettext(str(country.name)) else name
