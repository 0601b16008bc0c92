"""Networks projected from the knowledge graph: who works with whom, and on what.

>>> from graph.network import PROJECTIONS
>>> PROJECTIONS[:3]
('people', 'organizations', 'countries')
"""

from __future__ import annotations

from .empty import empty_reason, no_activity, no_activity_message
from .filters import (
    ALL,
    ALL_TIES,
    DEFAULT_TIES,
    FILTER_KEYS,
    Filters,
    filters_from_mapping,
    parse_filters,
    resolve_country,
    resolve_filters,
)
from .incidence import Incidence, load_incidence
from .pairs import pairs_graph
from .projections import (
    ONE_MODE,
    PROJECTIONS,
    TIE_WEIGHTS,
    build_projection,
    country_members,
    group_labels,
    item_actors,
    project,
)
from .years import active_years, actor_years, actors_by_year, tie_years

__all__ = [
    "ALL",
    "ALL_TIES",
    "FILTER_KEYS",
    "DEFAULT_TIES",
    "PROJECTIONS",
    "TIE_WEIGHTS",
    "Filters",
    "Incidence",
    "ONE_MODE",
    "country_members",
    "empty_reason",
    "no_activity",
    "no_activity_message",
    "filters_from_mapping",
    "parse_filters",
    "resolve_country",
    "resolve_filters",
    "tie_years",
    "active_years",
    "actor_years",
    "actors_by_year",
    "build_projection",
    "group_labels",
    "item_actors",
    "load_incidence",
    "pairs_graph",
    "project",
]
