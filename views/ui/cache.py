"""Core calls cached per data version: projections, measures, the filters' options.

Projections are cached as resources (big, read-only, shared between sessions, no per-run
copy); tables as data.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from graph import KnowledgeGraph
from graph.analysis import measures
from graph.network import build_projection
from graph.network import country_members as _members_of_data
from graph.network.cache import incidence
from views.ui.choice import FilterChoice
from views.ui.store import data_version


@st.cache_resource(show_spinner=False, max_entries=12)
def _projection(_kg: KnowledgeGraph, version: str, name: str, choice: FilterChoice) -> nx.Graph:
    return build_projection(_kg, name, choice.to_filters())


def projection(kg: KnowledgeGraph, name: str, choice: FilterChoice | None = None) -> nx.Graph:
    """The (cached, shared, read-only) projection ``name`` under ``choice``."""
    return _projection(kg, data_version(kg), name, choice or FilterChoice())


@st.cache_data(show_spinner=False, max_entries=24)
def _measures(_kg: KnowledgeGraph, version: str, name: str, choice: FilterChoice) -> pd.DataFrame:
    # measures() itself switches to sampled betweenness on large graphs and says so in attrs.
    return measures(_projection(_kg, version, name, choice), seed=42)


def measures_table(kg: KnowledgeGraph, name: str, choice: FilterChoice) -> pd.DataFrame:
    """:func:`graph.analysis.measures` of the projection, cached."""
    return _measures(kg, data_version(kg), name, choice)


@st.cache_data(show_spinner=False, max_entries=8)
def _filter_options(_kg: KnowledgeGraph, version: str) -> dict[str, Any]:
    """Communities, countries, organisation types and years present, from the projections."""
    G = _projection(_kg, version, "organization-community", FilterChoice())
    communities: dict[str, dict[str, str]] = {}
    countries: set[str] = set()
    org_types: set[str] = set()
    for _, data in G.nodes(data=True):
        if data.get("kind") == "organization":
            if data.get("country"):
                countries.add(data["country"])
            if data.get("type"):
                org_types.add(data["type"])
    for node, data in G.nodes(data=True):
        if data.get("kind") == "community":
            communities[node] = dict(data.get("labels") or {"en": data.get("label", node)})
    P = _projection(_kg, version, "people", FilterChoice())
    years: set[int] = set()
    for _, data in P.nodes(data=True):
        if data.get("country"):
            countries.add(data["country"])
        for c in data.get("communities") or ():
            communities.setdefault(c, {"en": c.rsplit("/", 1)[-1]})
    for _, _, data in P.edges(data=True):
        for ev in data.get("evidence") or ():
            year = ev.get("year")
            if isinstance(year, int):
                years.add(year)
    return {
        "communities": communities,
        "countries": sorted(countries),
        "org_types": sorted(org_types),
        "years": (min(years), max(years)) if years else (2009, 2026),
    }


def filter_options(kg: KnowledgeGraph) -> dict[str, Any]:
    """Communities (IRI → labels), countries, organisation types and (first, last) year."""
    return _filter_options(kg, data_version(kg))


@st.cache_data(show_spinner=False, max_entries=4)
def _class_labels(_kg: KnowledgeGraph, version: str) -> dict[str, dict[str, str]]:
    result = _kg.select("SELECT ?c ?l WHERE { ?c a owl:Class ; rdfs:label ?l }")
    out: dict[str, dict[str, str]] = {}
    for cls, lit in result.rows:
        if cls is not None and lit is not None:
            out.setdefault(cls.value, {})[getattr(lit, "language", None) or "en"] = lit.value
    return out


def class_labels(kg: KnowledgeGraph) -> dict[str, dict[str, str]]:
    """Class IRI → its ``rdfs:label`` per language (the ontology's classes)."""
    return _class_labels(kg, data_version(kg))


@st.cache_data(show_spinner=False, max_entries=4)
def _country_members(_kg: KnowledgeGraph, version: str) -> dict[str, dict[str, str]]:
    return _members_of_data(incidence(_kg))


def country_members(kg: KnowledgeGraph) -> dict[str, dict[str, str]]:
    """ISO code → labels of the platform member standing for that country
    (:func:`graph.network.country_members`), for :func:`graph.countries.country_label`."""
    return _country_members(kg, data_version(kg))
