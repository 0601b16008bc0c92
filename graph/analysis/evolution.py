"""Everything the Evolution page, ``copkg trends`` and ``copkg integration`` show, from one
read of the store and one projection build.

>>> from graph import KnowledgeGraph
>>> ev = evolution(KnowledgeGraph.in_memory())
>>> ev.trends.empty, ev.program_start
(True, None)
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from ..network import Filters, Incidence, build_projection, project, resolve_filters
from ..network.cache import cache_enabled, incidence, store_key
from ..store import KnowledgeGraph
from .integration import country_matrix, event_roles, learns_from, region_summary
from .regions import Regions, program_start, regions
from .trends import trends

__all__ = ["DEFINITION_KEYS", "Evolution", "evolution", "network_and_lists"]

#: Catalogue keys (graph/i18n) of the definitions printed next to each table.
DEFINITION_KEYS = {
    "trends": ("evolution.def_activity", "evolution.def_modes", "evolution.def_network",
               "evolution.def_integration", "evolution.def_regions"),
    "matrix": ("evolution.def_matrix", "evolution.def_regions"),
    "regions": ("evolution.def_matrix", "evolution.def_regions"),
    "learning": ("evolution.def_learning",),
}


@dataclass
class Evolution:
    """How a network grew and how far it integrates the region (see :func:`evolution`)."""

    graph: nx.Graph
    trends: pd.DataFrame
    matrix: pd.DataFrame
    regions_table: pd.DataFrame
    learning: pd.DataFrame
    regions: Regions
    program_start: int | None
    filters: Filters

    @property
    def illustrative(self) -> bool:
        """Whether illustrative (fictional) products or events are counted."""
        return bool(self.trends.attrs.get("illustrative_items"))


def evolution(
    kg: KnowledgeGraph,
    projection: str = "people",
    filters: Filters | None = None,
    *,
    window: str = "cumulative",
    top: int | None = 3,
    data: Incidence | None = None,
) -> Evolution:
    """Trends, country × country matrix, region summary and learning sources of ``kg``.

    ``data`` (the store's incidence lists) and the projection come from the projection cache
    of the store's state (:mod:`graph.network.cache`): built once, shared by every table and
    by the other pages. ``top`` limits the sources listed per country.
    """
    data, G = network_and_lists(kg, projection, filters, data=data)
    f = resolve_filters(filters or Filters(), data)
    north_south = regions(kg)
    table = trends(data, projection, f, regions=north_south, window=window, graph=G)
    matrix = country_matrix(data, projection, f, regions=north_south, graph=G)
    learning = learns_from(data, event_roles(kg), f, top=top)
    return Evolution(graph=G, trends=table, matrix=matrix, regions_table=region_summary(matrix),
                     learning=learning, regions=north_south, program_start=program_start(kg),
                     filters=f)


def network_and_lists(
    kg: KnowledgeGraph, projection: str, filters: Filters | None = None, *,
    data: Incidence | None = None,
) -> tuple[Incidence, nx.Graph]:
    """The store's incidence lists and the projection, each read or built once: from the
    projection cache of the store's state when the store has one (:mod:`graph.network.cache`),
    else the projection is made from the lists just read (not read a second time).

    >>> data, G = network_and_lists(KnowledgeGraph.in_memory(), "people")
    >>> G.number_of_nodes(), len(data.people)
    (0, 0)
    """
    data = data if data is not None else incidence(kg)
    if cache_enabled() and store_key(kg) is not None:
        return data, build_projection(kg, projection, filters)
    return data, project(data, projection, filters)
