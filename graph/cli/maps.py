"""``copkg`` sub-commands of the maps area: ``map`` (HTML, images, network files) and ``story``."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import Any

from . import common
from .common import (
    add_filter_options,
    add_store_options,
    filters_from_args,
    open_graph,
    prepare_output,
    say,
)

__all__ = ["register"]

_IMAGE_FORMATS = ("png", "svg", "pdf")
_FORMATS = ("html", *_IMAGE_FORMATS, "gexf", "graphml", "csv")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``copkg map`` and ``copkg story``."""
    from ..maps import AGGREGATES, COLOR_BY, MEASURES
    from ..maps.story import PROJECTIONS

    sub = commands.add_parser(
        "map", help="draw a network as an offline HTML map, an image or a network file",
        description="Draw a network as one offline HTML file (no internet needed), a PNG/SVG/"
        "PDF picture, or a GEXF/GraphML/CSV file for Gephi and spreadsheets.")
    add_store_options(sub)
    sub.add_argument("--projection", required=True, choices=PROJECTIONS,
                     help="which network: who is linked to whom")
    add_filter_options(sub)
    sub.add_argument("--focus", metavar="ID_OR_NAME", help="draw only this node's neighbourhood")
    sub.add_argument("--radius", type=int, default=1, help="steps from --focus (default 1)")
    look = sub.add_argument_group("appearance")
    look.add_argument("--title", help="heading of the map (default: the projection's name)")
    look.add_argument("--color-by", default=None, choices=COLOR_BY,
                      help="default: community (country with --layout geo)")
    look.add_argument("--size-by", default="degree", choices=MEASURES)
    look.add_argument("--language", default="en", choices=("en", "fr", "ar"))
    look.add_argument("--max-nodes", type=int, metavar="N",
                      help="most nodes drawn (default 1500); the top ones by --rank-by are kept")
    look.add_argument("--rank-by", default="degree", choices=MEASURES)
    look.add_argument("--aggregate", choices=AGGREGATES, help="one node per group instead")
    look.add_argument("--min-weight", type=float, metavar="W",
                      help="hide links weaker than W (e.g. 2: drop ties of one shared event); "
                      "the title block says how many links are left")
    look.add_argument("--all-links", dest="links", action="store_const", const="all",
                      default="backbone",
                      help="draw every link (default: the significant ties of a dense network, "
                      "its backbone; the title block says how many were kept)")
    look.add_argument("--isolates", action="store_true",
                      help="also draw the nodes without any link (default: counted, not drawn)")
    look.add_argument("--layout", dest="layout_method", default="forceatlas2",
                      choices=("forceatlas2", "fr", "geo"),
                      help="forceatlas2 (LinLog, groups apart; default), fr (the earlier "
                      "Fruchterman–Reingold) or geo (countries on an offline map of the "
                      "Mediterranean, their actors around them, arcs between countries; "
                      "people, organizations or countries)")
    look.add_argument("--year", type=int, metavar="YEAR",
                      help="with --layout geo: draw the network as it was up to YEAR, its new "
                      "ties highlighted (the HTML map opens there; its slider moves on)")
    look.add_argument("--presentation", action="store_true",
                      help="start with large labels and high contrast")
    look.add_argument("--physics", action="store_true", help="start with moving nodes")
    look.add_argument("--source", dest="source_note", help="source line in the title block")
    look.add_argument("--date", dest="data_date", help="data date in the title block")
    out = sub.add_argument_group("output")
    out.add_argument("--format", choices=_FORMATS, help="default: from the --out suffix")
    out.add_argument("--out", type=Path, required=True, metavar="PATH")
    out.add_argument("--width", type=int, default=1920, help="image width in pixels")
    out.add_argument("--height", type=int, default=1080, help="image height in pixels")
    out.add_argument("--paper", choices=("a4", "a3"), help="landscape paper size for images")
    sub.set_defaults(handler=_map)

    story = commands.add_parser(
        "story", help="play a saved story (stories/*.json) as one offline HTML file",
        description="Turn a story file into one offline HTML page that steps through its views "
        "with Next/Previous buttons or the arrow keys.")
    add_store_options(story)
    story.add_argument("file", type=Path, metavar="FILE")
    story.add_argument("--language", choices=("en", "fr", "ar"),
                       help="default: the story's own language")
    story.add_argument("--out", type=Path, required=True, metavar="PATH")
    story.add_argument("--source", dest="source_note")
    story.add_argument("--date", dest="data_date")
    story.set_defaults(handler=_story)


# Ranges of the numeric options of ``copkg map``: beyond them a map cannot be drawn (0 nodes),
# runs out of memory (a 100,000-pixel picture) or is unreadable (a 50-pixel one).
_RANGES = {"max_nodes": ("--max-nodes", 1, 20000), "radius": ("--radius", 1, 5),
           "width": ("--width", 320, 7680), "height": ("--height", 240, 4320)}


def _check_map_options(args: argparse.Namespace) -> None:
    """One clear message (CopkgError, exit 1) for an option out of its range or without the
    option it needs, before any work."""
    from ..errors import CopkgError

    for name, (option, low, high) in _RANGES.items():
        value = getattr(args, name)
        if value is not None and not low <= value <= high:
            raise CopkgError("error.option_range", option=option, low=low, high=high,
                             value=value)
    if args.year is not None and args.layout_method != "geo":
        raise CopkgError("error.option_needs", option="--year", needed="--layout geo")


def _say_why_empty(G: Any) -> None:
    """Years with no dated product or event at all: an error naming the data's years (as
    every network command); any other empty map: why, one line on stderr (graph.network)."""
    from ..errors import CopkgError
    from ..network import empty_reason, no_activity_message

    message = no_activity_message(G)
    if message is not None and not G.number_of_edges():
        raise CopkgError(message.key, **message.values)
    if not G.number_of_nodes():
        print(empty_reason(G, common.LANGUAGE), file=sys.stderr)


def _map(args: argparse.Namespace) -> int:
    from ..csv_writer import write_csv
    from ..i18n import t
    from ..maps import edges_csv, map_view, render_page, to_gexf, to_graphml
    from ..maps.credits import count_note
    from ..maps.image import save_view
    from ..network import build_projection

    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in _FORMATS:
        print(f"copkg map: cannot tell the format from {args.out.name!r}; use --format "
              f"({', '.join(_FORMATS)})", file=sys.stderr)
        return 2
    _check_map_options(args)
    prepare_output(args.out)  # before any work: a path that cannot be written is said at once
    filters = filters_from_args(args)
    analysis: Any = importlib.import_module("graph.analysis")  # written in parallel
    from ..maps.credits import map_credits

    kg = open_graph(args)
    try:
        G = build_projection(kg, args.projection, filters)
        credits = map_credits(kg, args.language)
    finally:
        kg.close()
    _say_why_empty(G)
    geo = args.layout_method == "geo"
    if geo and fmt in ("html", *_IMAGE_FORMATS):
        return _geo_map(args, G, fmt, credits)
    focus = None
    if args.focus:
        focus = analysis.resolve(G, args.focus)
        G = analysis.ego_network(G, focus, radius=args.radius)
    table = analysis.measures(G)
    title = args.title or t(f"projection.{args.projection}", args.language)
    color_by = args.color_by or "community"
    nodes, links = G.number_of_nodes(), G.number_of_edges()
    if fmt in ("html", *_IMAGE_FORMATS):
        view = map_view(G, title=title, language=args.language, color_by=color_by,
                        size_by=args.size_by, measures=table, max_nodes=args.max_nodes,
                        aggregate=args.aggregate, rank_by=args.rank_by,
                        source_note=args.source_note or credits["source_note"],
                        data_date=args.data_date or credits["data_date"], focus=focus,
                        min_weight=args.min_weight, links=args.links, isolates=args.isolates,
                        layout_method="forceatlas2" if geo else args.layout_method)
        if fmt == "html":
            args.out.write_text(render_page([view.data], title=title, language=args.language,
                                            physics=args.physics,
                                            presentation=args.presentation), encoding="utf-8")
        else:
            save_view(view.data, args.out, fmt, args.width, args.height,
                      language=args.language, paper=args.paper)
        # what the picture says it draws, not the network it was drawn from
        nodes, links = len(view.data["nodes"]), len(view.data["edges"])
    elif fmt == "gexf":
        to_gexf(G, args.out, measures=table, color_by=color_by)
    elif fmt == "graphml":
        to_graphml(G, args.out, measures=table)
    else:
        write_csv(edges_csv(G, language=args.language), args.out, bom=True)
    print(f"{args.out} ({count_note(nodes, links, common.LANGUAGE)})")
    return 0


def _geo_map(args: argparse.Namespace, G: Any, fmt: str, credits: dict[str, Any]) -> int:
    """``copkg map --layout geo``: the network on the map of the region (graph.maps.geo)."""
    from ..errors import CopkgError
    from ..i18n import t
    from ..maps.geo import drawn_note, geo_scripts, geo_view
    from ..maps.geo_image import save_geo_view
    from ..maps.html import render_page
    from ..network import ONE_MODE

    if args.projection not in ONE_MODE:
        raise CopkgError("error.geo_needs_actors", choices=list(ONE_MODE))
    if args.focus:
        analysis: Any = importlib.import_module("graph.analysis")
        G = analysis.ego_network(G, analysis.resolve(G, args.focus), radius=args.radius)
    title = args.title or t(f"projection.{args.projection}", args.language)
    options = {"color_by": args.color_by or "country",
               "source_note": args.source_note or credits["source_note"],
               "data_date": args.data_date or credits["data_date"]}
    if args.max_nodes:
        options["max_actors"] = args.max_nodes
    view = geo_view(G, title=title, language=args.language, year=args.year,
                    still=fmt != "html", **options)
    if fmt == "html":
        page = render_page([view], title=title, language=args.language,
                           presentation=args.presentation, extra_js=geo_scripts())
        args.out.write_text(page, encoding="utf-8")
    else:
        save_geo_view(view, args.out, fmt, args.width, args.height, language=args.language,
                      paper=args.paper)
    # What the picture (or the page, at the year it opens on) draws: the title block's line.
    print(f"{args.out} ({drawn_note(view, common.LANGUAGE)})")
    return 0


def _story(args: argparse.Namespace) -> int:
    from ..maps import load_story, story_graphs, story_html
    from ..maps.credits import map_credits

    story = load_story(args.file)
    prepare_output(args.out)
    kg = open_graph(args)
    try:
        graphs = story_graphs(story, kg)
        credits = map_credits(kg, args.language or story.language)
    finally:
        kg.close()
    page = story_html(story, graphs, args.language,
                      source_note=args.source_note or credits["source_note"],
                      data_date=args.data_date or credits["data_date"])
    args.out.write_text(page, encoding="utf-8")
    print(f"{args.out} ({say('cli.steps', n=len(graphs))})")
    return 0
