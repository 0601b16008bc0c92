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
from .clusters import detect_communities, fold_singletons, leiden_membership
from .coverage import coverage, gaps
from .evolution import Evolution, evolution
from .integration import EventRoles, country_matrix, event_roles, learns_from, region_summary
from .names import fold, resolve
from .paths import Step, connection_paths, ego_network
from .rankings import RANKABLE, measure_help, rank_order, readable_groups, readable_ranking
from .regions import EU_MEMBER_STATES, Regions, platform_members, program_start, regions
from .suggestions import suggest_for_team, suggest_introductions
from .trends import EVENT_MODES, event_mode, trends

__all__ = [
    "EVENT_MODES",
    "EU_MEMBER_STATES",
    "RANKABLE",
    "EXACT_LIMIT",
    "EventRoles",
    "Evolution",
    "Regions",
    "SAMPLE_SIZE",
    "Step",
    "brokers",
    "burt_constraint",
    "connection_paths",
    "country_matrix",
    "coverage",
    "detect_communities",
    "effective_size",
    "ego_network",
    "evolution",
    "event_mode",
    "event_roles",
    "fold",
    "fold_singletons",
    "gaps",
    "learns_from",
    "leiden_membership",
    "measure_help",
    "measures",
    "platform_members",
    "program_start",
    "rank_order",
    "readable_groups",
    "readable_ranking",
    "region_summary",
    "regions",
    "resolve",
    "suggest_for_team",
    "suggest_introductions",
    "to_igraph",
    "trends",
]
