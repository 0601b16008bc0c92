"""Network maps for people: offline HTML (vis-network), stories, static images and exports.

>>> import networkx as nx
>>> from graph.maps import layout, map_html
>>> page = map_html(nx.karate_club_graph(), title="Karate club", language="ar")
>>> 'dir="rtl"' in page
True
"""

from __future__ import annotations

from .export import edges_csv, to_gexf, to_graphml
from .html import VIS_NETWORK_VERSION, map_html, map_view, render_page
from .image import PAPER_SIZES, save_image
from .layout import layout
from .reduce import AGGREGATES, MAX_NODES, Reduction, aggregate_graph, reduce_graph
from .story import (
    Story,
    StoryFile,
    StoryStep,
    list_stories,
    load_story,
    save_story,
    step_map_html,
    story_from_dict,
    story_graphs,
    story_html,
    story_page,
    story_path,
    story_slug,
    story_to_dict,
    story_views,
)
from .style import COLOR_BY, MEASURES, PALETTE, style_graph

__all__ = [
    "AGGREGATES",
    "COLOR_BY",
    "MAX_NODES",
    "MEASURES",
    "PALETTE",
    "PAPER_SIZES",
    "VIS_NETWORK_VERSION",
    "Reduction",
    "Story",
    "StoryFile",
    "StoryStep",
    "aggregate_graph",
    "edges_csv",
    "layout",
    "list_stories",
    "load_story",
    "map_html",
    "map_view",
    "reduce_graph",
    "render_page",
    "save_image",
    "save_story",
    "step_map_html",
    "story_from_dict",
    "story_graphs",
    "story_html",
    "story_page",
    "story_path",
    "story_slug",
    "story_to_dict",
    "story_views",
    "style_graph",
    "to_gexf",
    "to_graphml",
]
