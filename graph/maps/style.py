"""What a map shows for each node: its label, colour group, size and details, in one language.

Shared by the HTML maps and the static images so both use the same colours and legend.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from .. import countries, i18n

__all__ = [
    "COLOR_BY",
    "MEASURES",
    "PALETTE",
    "LegendEntry",
    "Styled",
    "country_label",
    "describe_node",
    "group_counts",
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

# Okabe–Ito first (safe for colour-blind viewers), then tones chosen so that no two colours of
# the palette (nor the greys) are closer than ΔE*76 = 25 in CIELAB (tested): a colour is never
# repeated nor nearly repeated in one map. Greys are reserved for "other" and "none".
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#882255",
    "#6A3D9A", "#8C564B", "#B2DF8A", "#1B3A6B",
)
GREY = "#9E9E9E"
NONE_GREY = "#CFCFCF"
_MAX_GROUPS = 10  # a legend lists at most this many colours; smaller groups fold into "Other"
_LEGEND_LINES = 12  # ... and no more lines than fit a projector's legend box (~32 characters each)


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
            return country_label(G, str(data["country"]), lang)
    labels = data.get("labels")
    text = i18n.label(labels if isinstance(labels, Mapping) else None, lang)
    if data.get("kind") == "country" and data.get("country"):
        return country_label(G, str(data["country"]), lang)
    return text or str(data.get("label") or "") or short_id(node)


def describe_node(G: nx.Graph, node: Hashable, lang: str) -> dict[str, Any]:
    """What a details panel says of ``node`` in ``lang``: names and translated values, never ids.

    Keys ``kind``, ``type``, ``country``, ``organization`` (text) and ``communities`` (list).

    >>> import networkx as nx
    >>> G = nx.Graph(labels={"x:o1": {"en": "University of Tunis", "ar": "جامعة تونس"}})
    >>> G.add_node("p", kind="person", type="university", country="TN", organization="x:o1")
    >>> d = describe_node(G, "p", "ar")
    >>> d["type"], d["country"], d["organization"]
    ('جامعة', 'تونس', 'جامعة تونس')
    """
    data = G.nodes[node]
    kind = str(data.get("kind") or "")
    kind_of = str(data.get("type") or "")
    return {
        "kind": _translated(f"kind.{kind}", lang, kind) if kind else "",
        "type": _translated(f"type.{kind_of}", lang, kind_of) if kind_of else "",
        "country": country_label(G, str(data["country"]), lang) if data.get("country") else "",
        "organization": _ref_name(G, data.get("organization"), lang),
        "communities": [_ref_name(G, c, lang) for c in data.get("communities") or ()],
    }


def _ref_name(G: nx.Graph, ref: object, lang: str) -> str:
    if not ref:
        return ""
    if ref in G:
        return node_label(G, ref, lang)
    return _graph_label(G, str(ref), lang) or short_id(ref)


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
                min_size: float = 5.0, max_size: float = 22.0,
                palette_keys: Sequence[str] | None = None) -> Styled:
    """Labels, colours, sizes and legend of every node of ``G`` in ``lang``.

    The ten largest groups get a colour each, distinct from every other (see :data:`PALETTE`);
    smaller ones fold into "Other" (grey), so the legend fits. Groups are ordered by size,
    then by key, so colours are stable. Coloured by community, a node in several communities
    takes its **main** one (where most of its tie strength goes) and is ringed
    (``Styled.extra["ringed"]``), so the largest colour is never an uninformative
    "several communities" grey. Legend entries are names, never ids.

    ``palette_keys`` fixes each group's colour whatever its size in ``G``: the group with key
    ``palette_keys[i]`` (:func:`group_counts` gives the keys) is drawn in ``PALETTE[i]``, so
    the maps of one story keep a country's or a community's colour from step to step. Groups
    past the palette or not listed fold into "Other"; a colour is still never repeated.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "TN", "b": "FR"}, "country")
    >>> s = style_graph(G, color_by="country", lang="fr")
    >>> [e.label for e in s.legend]
    ['France', 'Tunisie']
    >>> fixed = style_graph(G, color_by="country", palette_keys=["MA", "TN", "FR"])
    >>> [(e.key, e.color) for e in fixed.legend] == [("FR", PALETTE[2]), ("TN", PALETTE[1])]
    True
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"cannot colour by {color_by!r}; choose one of {', '.join(COLOR_BY)}")
    if size_by not in MEASURES:
        raise ValueError(f"cannot size by {size_by!r}; choose one of {', '.join(MEASURES)}")
    lang = i18n.normalize_language(lang)
    need = tuple(dict.fromkeys(("degree", "weighted_degree", size_by)))
    table = node_measures(G, measures, need=need)
    ringed: set[Hashable] = set()
    keys = _group_keys(G, color_by, table, ringed)
    counts = Counter(keys.values())
    ordered = sorted((k for k in counts if k), key=lambda k: (-counts[k], k))
    names = {k: _group_label(G, k, color_by, lang) for k in ordered}
    if palette_keys is None:
        colored = _fitting(ordered, names)
        color_of = {k: PALETTE[i] for i, k in enumerate(colored)}
    else:
        slot: dict[str, int] = {}
        for key in palette_keys:
            slot.setdefault(str(key), len(slot))
        colored = _fitting([k for k in ordered if slot.get(k, len(PALETTE)) < len(PALETTE)],
                           names)
        color_of = {k: PALETTE[slot[k]] for k in colored}
    legend = [LegendEntry(k, names[k], color_of[k], counts[k]) for k in colored]
    others = sum(counts[k] for k in ordered if k not in color_of)
    if others:
        legend.append(LegendEntry("~other", i18n.t("legend.other", lang), GREY, others))
    if counts.get(""):
        legend.append(LegendEntry("~none", i18n.t(_none_key(color_by), lang), NONE_GREY,
                                  counts[""]))
    colors = {n: color_of.get(k, GREY if k else NONE_GREY) for n, k in keys.items()}
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
        extra={"ringed": ringed},
    )


def group_counts(G: nx.Graph, color_by: str = "community",
                 measures: pd.DataFrame | None = None) -> Counter[str]:
    """How many nodes of ``G`` each colour group holds, by the key :func:`style_graph` gives
    it (a community's node id, a country code, a type...; ``""`` for none).

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "TN", "b": "TN", "c": "FR"}, "country")
    >>> sorted(group_counts(G, "country").items())
    [('FR', 1), ('TN', 2)]
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"cannot colour by {color_by!r}; choose one of {', '.join(COLOR_BY)}")
    table = node_measures(G, measures, need=("degree",))
    return Counter(_group_keys(G, color_by, table, set()).values())


def _group_keys(G: nx.Graph, color_by: str, table: pd.DataFrame,
                ringed: set[Hashable]) -> dict[Hashable, str]:
    if color_by == "community":
        return _main_communities(G, ringed)
    return {n: _group_key(G, n, color_by, table) for n in G}


def _fitting(ordered: list[str], names: Mapping[str, str]) -> list[str]:
    """The largest groups whose legend entries fit: at most ``_MAX_GROUPS`` (all of them if
    only one more would be left) and ``_LEGEND_LINES`` lines, at least three."""
    if len(ordered) <= _MAX_GROUPS + 1 and _lines(ordered, names) <= _LEGEND_LINES + 1:
        return ordered
    kept: list[str] = []
    for key in ordered[:_MAX_GROUPS]:
        if len(kept) >= 3 and _lines([*kept, key], names) > _LEGEND_LINES - 1:
            break
        kept.append(key)
    return kept


def _lines(keys: list[str], names: Mapping[str, str]) -> int:
    return sum(max(1, math.ceil((len(names[k]) + 6) / 32)) for k in keys)


def _main_communities(G: nx.Graph, ringed: set[Hashable]) -> dict[Hashable, str]:
    """Each node's community; for a node in several, the one most of its tie strength goes to
    (ties by the community's size, then its key); such nodes are added to ``ringed``."""
    own: dict[Hashable, list[str]] = {}
    for n, data in G.nodes(data=True):
        if data.get("kind") == "community":
            own[n] = [str(n)]
        else:
            own[n] = sorted({str(c) for c in (data.get("communities") or ()) if c})
    size = Counter(c for comms in own.values() for c in comms)
    keys: dict[Hashable, str] = {}
    for n, comms in own.items():
        if len(comms) <= 1:
            keys[n] = comms[0] if comms else ""
            continue
        ringed.add(n)
        pull = dict.fromkeys(comms, 0.0)
        for other, data in G[n].items():
            weight = _tie_weight(data)
            for c in own.get(other, ()):
                if c in pull:
                    pull[c] += weight
        keys[n] = min(comms, key=lambda c: (-pull[c], -size[c], c))
    return keys


def _tie_weight(data: Mapping[str, Any]) -> float:
    try:
        value = float(data.get("weight", 1.0))
    except (TypeError, ValueError):
        return 1.0
    return value if math.isfinite(value) and value > 0 else 1.0


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
        value: Any = table.at[node, "cluster"] if "cluster" in table.columns else None
        return "" if value is None or pd.isna(value) else str(value)
    return str(data.get(color_by) or "")


def _group_label(G: nx.Graph, key: str, color_by: str, lang: str) -> str:
    if color_by == "country":
        return country_label(G, key, lang)
    if color_by in ("community", "organization"):
        if key in G:
            return node_label(G, key, lang)
        return _graph_label(G, key, lang) or short_id(key)
    if color_by == "kind":
        return _translated(f"kind.{key}", lang, key)
    if color_by == "cluster":
        # The name the rankings and the Groups tab give it (graph.analysis.readable_groups).
        return i18n.t("rank.group_n", lang, n=int(key)) if key.isdigit() else key
    return _translated(f"type.{key}", lang, key)


def _translated(key: str, lang: str, default: str) -> str:
    try:
        return i18n.t(key, lang)
    except KeyError:
        return default


def country_label(G: nx.Graph | None, code: str, lang: str) -> str:
    """How the platform names country ``code`` in ``lang`` on a map of ``G``: the rule of
    :func:`graph.countries.country_label`, with the member labels the projection carries
    (``G.graph["labels"]["country:XX"]``, e.g. "Palestinian Authority").

    >>> import networkx as nx
    >>> G = nx.Graph(labels={"country:PS": {"en": "Palestinian Authority"}})
    >>> country_label(G, "PS", "fr"), country_label(None, "TN", "fr")
    ('Palestinian Authority', 'Tunisie')
    """
    return countries.country_label(code, lang, countries.members_of(G))


def _graph_label(G: nx.Graph, key: str, lang: str) -> str:
    names = G.graph.get("labels", {}).get(key)
    if isinstance(names, str):
        return names
    return i18n.label(names, lang) if names else ""

