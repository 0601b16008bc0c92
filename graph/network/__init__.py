"""Networks projected from the knowledge graph: who works with whom, and on what.

>>> from graph.network import PROJECTIONS
>>> PROJECTIONS[:3]
('people', 'organizations', 'countries')
"""

from __future__ import annotations

from .filters import ALL_TIES, DEFAULT_TIES, Filters
from .incidence import Incidence, load_incidence
from .pairs import pairs_graph
from .projections import (
    ONE_MODE,
    PROJECTIONS,
    TIE_WEIGHTS,
    build_projection,
    group_labels,
    item_actors,
    project,
)

__all__ = [
    "ALL_TIES",
    "DEFAULT_TIES",
    "PROJECTIONS",
    "TIE_WEIGHTS",
    "Filters",
    "Incidence",
    "ONE_MODE",
    "build_projection",
    "group_labels",
    "item_actors",
    "load_incidence",
    "pairs_graph",
    "project",
]
