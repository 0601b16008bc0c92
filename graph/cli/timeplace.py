"""``copkg trends`` and ``copkg integration``: how the network grew, and how far it crosses
borders. Definitions (from the catalogue, the same text as the app) go to stderr, so a CSV or
JSON on stdout stays clean."""

from __future__ import annotations

import argparse
import sys

from .common import (
    add_filter_options,
    add_store_options,
    filters_from_args,
    open_graph,
    write_table,
)

__all__ = ["register"]

_WHAT = ("matrix", "regions", "learning", "years")
_YEAR_COLUMNS = ("year", "actors", "ties", "new_ties", "cross_border_share",
                 "new_cross_border_share", "north_south_share", "south_south_share",
                 "north_north_share")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``copkg trends`` and ``copkg integration``."""
    from ..analysis.trends import WINDOWS

    sub = commands.add_parser(
        "trends", help="per year: activity, new ties, density, components, integration",
        description="One row per year from the first dated activity: active people, "
        "organisations and countries, products, events by videoconference and face to face, "
        "the network's actors, ties, new ties, density, share in the largest component, and "
        "the share of ties crossing a border (north–south, south–south).")
    sub.add_argument("--by", choices=("year",), default="year",
                     help="time step (default year)")
    sub.add_argument("--window", choices=WINDOWS, default="cumulative",
                     help="the network of a year: everything up to it (cumulative, default) "
                     "or that year's activity only (year)")
    _add_common(sub, _trends)

    sub = commands.add_parser(
        "integration", help="country × country collaboration, north–south shares, who "
        "learns from whom",
        description="How far collaboration crosses borders: the country × country matrix of "
        "ties and shared products and events (matrix), the same per kind of pair — domestic, "
        "north–north, north–south, south–south, other (regions), for each country the "
        "countries it learns from most (learning), or the per-year integration figures "
        "(years). Country B teaches country A at each event that A's participants attended "
        "and that was held in B or where B's people or organisations spoke or facilitated; "
        "organising an event is not teaching (the CMI, the platform's secretariat, convenes "
        "every event).")
    sub.add_argument("--what", choices=_WHAT, default="matrix",
                     help="which table (default matrix)")
    sub.add_argument("--top", type=int, default=3, metavar="N",
                     help="learning: the N countries each country learns from most (default 3)")
    _add_common(sub, _integration)


def _add_common(sub: argparse.ArgumentParser, handler: object) -> None:
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="output format (default table)")
    from ..network import ONE_MODE

    sub.add_argument_group("which network").add_argument(
        "--projection", choices=ONE_MODE, default="people",
        help="network whose ties are counted (default people)")
    add_filter_options(sub)
    add_store_options(sub)
    sub.set_defaults(handler=handler)


def _trends(args: argparse.Namespace) -> int:
    from ..analysis import regions, trends
    from ..analysis.evolution import network_and_lists

    filters = filters_from_args(args)
    kg = open_graph(args)
    try:
        # From the projection cache of the store's state where there is one: one build.
        data, G = network_and_lists(kg, args.projection, filters)
        north_south = regions(kg)
        table = trends(data, args.projection, filters, regions=north_south, window=args.window,
                       graph=G)
    finally:
        kg.close()
    write_table(table, args.format)
    _notes("trends", illustrative=bool(table.attrs.get("illustrative_items")),
           extra=_undated(table.attrs.get("undated_ties", 0)), south=sorted(north_south.south))
    return 0


def _integration(args: argparse.Namespace) -> int:
    from ..analysis import evolution

    filters = filters_from_args(args)
    kg = open_graph(args)
    try:
        ev = evolution(kg, args.projection, filters, top=args.top)
    finally:
        kg.close()
    if args.what == "matrix":
        table = ev.matrix
    elif args.what == "regions":
        table = ev.regions_table
    elif args.what == "learning":
        table = ev.learning
    else:
        table = ev.trends[list(_YEAR_COLUMNS)]
    write_table(table, args.format)
    key = "trends" if args.what == "years" else args.what
    _notes(key, illustrative=ev.illustrative, south=sorted(ev.regions.south))
    return 0


def _undated(count: int) -> str:
    from ..i18n import t

    return t("evolution.undated", "en", n=count) if count else ""


def _notes(key: str, *, illustrative: bool, extra: str = "",
           south: list[str] | None = None) -> None:
    """The definitions behind the table (and the illustrative warning) on stderr."""
    from ..analysis.evolution import DEFINITION_KEYS
    from ..i18n import t

    lines = [t(k, "en", south=", ".join(south or []) or "—") for k in DEFINITION_KEYS[key]]
    if extra:
        lines.append(extra)
    if illustrative:
        lines.append(t("evolution.illustrative", "en"))
    for line in lines:
        print(line, file=sys.stderr)
