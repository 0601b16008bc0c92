"""What a map's title block says about its data: where it comes from and how recent it is
(read from the store), which filters chose it, and how many nodes and links are drawn."""

from __future__ import annotations

from typing import Any

import networkx as nx

from .. import i18n

__all__ = ["count_note", "filters_note", "map_credits", "year_note"]

_QUERY = """
PREFIX cop: <https://w3id.org/copkg/ontology#>
SELECT ?file ?at WHERE {
  GRAPH ?g { ?g a cop:ImportedSource ; cop:sourceFile ?file . OPTIONAL { ?g cop:importedAt ?at } }
} ORDER BY ?file
"""
_NAMED = 3


def map_credits(kg: Any, language: str = "en") -> dict[str, str | None]:
    """``{"source_note": ..., "data_date": ...}`` for :func:`graph.maps.map_html` from ``kg``.

    The source names the imported files (the first three, then how many more); the date is
    the day of the latest import (``YYYY-MM-DD``). Either is ``None`` when the store does not
    say (the map then says "copkg knowledge graph" and the day it was drawn).

    >>> from graph.store import KnowledgeGraph
    >>> map_credits(KnowledgeGraph.in_memory())
    {'source_note': None, 'data_date': None}
    """
    table = kg.query(_QUERY)
    files = sorted({str(f) for f in table["file"]}) if len(table) else []
    dates = sorted(str(a)[:10] for a in table["at"].dropna()) if len(table) else []
    if not files:
        return {"source_note": None, "data_date": dates[-1] if dates else None}
    named = ", ".join(files[:_NAMED])
    lang = i18n.normalize_language(language)
    note = named if len(files) <= _NAMED else i18n.t("map.more_files", lang, files=named,
                                                     n=len(files) - _NAMED)
    return {"source_note": note, "data_date": dates[-1] if dates else None}


#: The word a counts line gives a map's actors, by their kind (other kinds: "nodes").
_ACTOR_WORDS = {"person": "map.n_people", "organization": "map.n_organizations",
                "country": "map.n_countries"}


def count_note(nodes: int, links: int, language: str = "en", *, countries: int = 0,
               kind: str = "") -> str:
    """"41 nodes, 1 link": the counts line of a title block (and of the CLI's status line),
    each word in its plural form for the number (CLDR rules of the catalogue).

    ``kind`` names the actors (``person``, ``organization``, ``country``; a map of mixed or
    other nodes says "nodes"); ``countries`` > 0 adds the countries they are drawn in (the
    map of the region's country markers, never counted among the actors).

    >>> count_note(1, 2), count_note(2, 1, "ar")
    ('1 node, 2 links', 'عقدتان، رابط واحد')
    >>> count_note(60, 78, countries=13, kind="organization")
    '60 organisations in 13 countries, 78 links'
    >>> count_note(13, 78, "fr", kind="country"), count_note(1, 0, "fr", countries=1,
    ...                                                      kind="person")
    ('13 pays, 78 liens', '1 personne dans 1 pays, 0 lien')
    """
    lang = i18n.normalize_language(language)
    actors = i18n.t(_ACTOR_WORDS.get(kind, "map.n_nodes"), lang, n=nodes)
    if countries:
        actors = i18n.t("map.actors_in_countries", lang, actors=actors,
                        countries=i18n.t("map.n_countries", lang, n=countries))
    return i18n.t("map.nodes_links", lang, nodes=actors,
                  links=i18n.t("map.n_links", lang, n=links))


def year_note(year: int, links: int, fresh: int, language: str = "en") -> str:
    """The year slider's status (and a still picture's first line): the links drawn up to
    ``year`` and how many gained ties that year, in the language's plural forms.

    >>> year_note(2012, 1, 1)
    'Up to 2012: 1 link; 1 gained ties this year (orange: the share of new ties)'
    >>> year_note(2012, 2, 0, "ar")
    'حتى 2012: رابطان؛ لم يكتسب أيٌّ منها صلات جديدة هذه السنة (البرتقالي: حصة الصلات الجديدة)'
    """
    lang = i18n.normalize_language(language)
    return i18n.t("map.year_status", lang, year=str(year),
                  links=i18n.t("map.n_links", lang, n=links),
                  fresh=i18n.t("map.n_fresh", lang, n=fresh))


def filters_note(G: nx.Graph, language: str = "en") -> str | None:
    """The filters that chose ``G`` (``G.graph["filters"]``, set by
    :func:`graph.network.build_projection`), named for the title block; None without any.

    Communities and countries by the names the platform gives them, organisation types and
    kinds of tie translated, years as a range.

    >>> from graph.network import Filters
    >>> G = nx.Graph(filters=Filters(countries=("tn", "ma"), year_from=2015, year_to=2020))
    >>> filters_note(G)
    'Filters — countries: Tunisia, Morocco; years 2015–2020'
    >>> filters_note(nx.Graph()) is None
    True
    """
    from ..network.filters import DEFAULT_TIES
    from .style import _group_label, _translated, country_label

    f = G.graph.get("filters")
    if f is None:
        return None
    lang = i18n.normalize_language(language)
    sep = i18n.t("analysis.name_separator", lang)
    parts = []
    if f.communities:
        names = [_group_label(G, iri, "community", lang) for iri in sorted(f.community_iris)]
        parts.append(i18n.t("map.filter_communities", lang, n=len(names),
                            names=sep.join(names)))
    if f.countries:
        names = [country_label(G, code, lang) for code in f.countries]
        parts.append(i18n.t("map.filter_countries", lang, n=len(names), names=sep.join(names)))
    if f.org_types:
        names = [_translated(f"type.{word}", lang, word) for word in f.org_types]
        parts.append(i18n.t("map.filter_types", lang, n=len(names), names=sep.join(names)))
    if f.year_from is not None and f.year_to is not None:
        parts.append(i18n.t("map.filter_years", lang, start=f.year_from, end=f.year_to))
    elif f.year_from is not None:
        parts.append(i18n.t("map.filter_from", lang, year=f.year_from))
    elif f.year_to is not None:
        parts.append(i18n.t("map.filter_to", lang, year=f.year_to))
    if set(f.ties) != set(DEFAULT_TIES):
        names = [_translated(f"tie.{kind}", lang, kind) for kind in f.ties]
        parts.append(i18n.t("map.filter_ties", lang, names=sep.join(names)))
    if not parts:
        return None
    return i18n.t("map.filtered", lang, filters=i18n.t("map.filter_sep", lang).join(parts))
