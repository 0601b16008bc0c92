"""Networks projected from the knowledge graph: who works with whom, and on what.

>>> from graph.network import PROJECTIONS
>>> PROJECTIONS[:3]
('people', 'organizations', 'countries')
"""

from __future__ import annotations

from .filters import ALL_TIES, DEFAULT_TIES, Filters
from .incidence import Incidence, load_incidence
from .pairs import pairs_graph
from .projections import PROJECTIONS, TIE_WEIGHTS, build_projection, group_labels, project

__all__ = [
    "ALL_TIES",
    "DEFAULT_TIES",
    "PROJECTIONS",
    "TIE_WEIGHTS",
    "Filters",
    "Incidence",
    "build_projection",
    "group_labels",
    "load_incidence",
    "pairs_graph",
    "project",
]
