"""Questions asked of the collaboration networks: centrality, brokers, paths, gaps, suggestions.

>>> import networkx as nx
>>> from graph.analysis import measures
>>> measures(nx.path_graph(3))["betweenness"].tolist()
[0.0, 1.0, 0.0]
"""

from __future__ import annotations

from .brokerage import brokers
from .centrality import (
    EXACT_LIMIT,
    SAMPLE_SIZE,
    burt_constraint,
    effective_size,
    measures,
    to_igraph,
)
from .clusters import detect_communities, leiden_membership
from .coverage import coverage, gaps
from .names import fold, resolve
from .paths import Step, connection_paths, ego_network
from .rankings import RANKABLE, measure_help, readable_ranking
from .suggestions import suggest_for_team, suggest_introductions

__all__ = [
    "RANKABLE",
    "EXACT_LIMIT",
    "SAMPLE_SIZE",
    "Step",
    "brokers",
    "burt_constraint",
    "connection_paths",
    "coverage",
    "detect_communities",
    "effective_size",
    "ego_network",
    "fold",
    "gaps",
    "leiden_membership",
    "measure_help",
    "measures",
    "readable_ranking",
    "resolve",
    "suggest_for_team",
    "suggest_introductions",
    "to_igraph",
]
