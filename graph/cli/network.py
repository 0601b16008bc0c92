"""``copkg`` sub-commands of the network area: metrics, path, ego, brokers, gaps, suggest,
communities."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import networkx as nx
import pandas as pd

from ..errors import CopkgError
from ..i18n import Joined, Message, sequence
from . import common
from .common import (
    add_filter_options,
    add_store_options,
    count,
    filters_from_args,
    open_graph,
    say,
    write_table,
)

__all__ = ["filters_from_args", "register"]


def register(commands: argparse._SubParsersAction) -> None:
    """Add this area's sub-commands to ``copkg``."""
    _command(commands, "metrics", _metrics,
             "centrality, community and brokerage measures, one row per node",
             "Degree, betweenness, closeness, PageRank, eigenvector, Leiden community, Burt's "
             "constraint and effective size of every node of a projection.",
             extra=lambda p: (
                 p.add_argument("--top", type=count(1), default=None, metavar="N",
                                help="only the first N nodes of the ranking (N ≥ 1)"),
                 p.add_argument("--sort", default="betweenness",
                                help="column to sort by, descending (default betweenness)"),
             ))
    _command(commands, "path", _path, "how two actors are connected, with the evidence",
             "Shortest chains (fewest hops) between A and B; every step lists the products, "
             "events or communities the two share.",
             extra=lambda p: (
                 p.add_argument("a", help="id, IRI or name"),
                 p.add_argument("b", help="id, IRI or name"),
                 p.add_argument("--max-paths", type=count(1), default=3, metavar="N",
                                help="list up to N equally short paths (default 3, N ≥ 1)"),
             ))
    _command(commands, "ego", _ego, "an actor's neighbourhood",
             "The actors within --radius hops of X, with their distance and ties.",
             extra=lambda p: (
                 p.add_argument("x", help="id, IRI or name"),
                 p.add_argument("--radius", type=count(1), default=1, metavar="N",
                                help="hops from X (default 1, N ≥ 1)"),
             ))
    _command(commands, "brokers", _brokers, "who bridges communities or countries",
             "Actors whose ties reach several communities (or countries), with betweenness "
             "and constraint.",
             extra=lambda p: (
                 p.add_argument("--by", choices=("community", "country"), default="community",
                                help="groups to bridge (default community)"),
                 p.add_argument("--top", type=count(1), default=20, metavar="N",
                                help="show the N best (default 20, N ≥ 1)"),
             ))
    _command(commands, "gaps", _gaps, "member × community cells that are absent or thin",
             "Platform members (and their countries) × communities: people, products and "
             "events per cell; absent and thin cells (or all cells with --all).",
             projection=False,
             extra=_gaps_options)
    _command(commands, "suggest", _suggest, "introductions worth making for X or a team",
             "People (or organisations) not yet tied to X who share collaborators, themes, "
             "communities, an organisation or a country with X, each with the reason; with "
             "--org, introductions for all the people of an organisation as a team.",
             extra=lambda p: (
                 p.add_argument("x", nargs="?", help="id, IRI or name"),
                 p.add_argument("--org", metavar="ORG",
                                help="introduce the people of this organisation as a team "
                                     "(id, IRI or name, e.g. cmi)"),
                 p.add_argument("-k", type=count(1), default=10, metavar="N",
                                help="how many (default 10, N ≥ 1)"),
             ))
    _command(commands, "communities", _communities, "clusters of collaboration",
             "Leiden clusters of a projection with size, best-connected members, dominant "
             "theme and country.",
             extra=lambda p: p.add_argument("--seed", type=int, default=42))


def _gaps_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--thin", type=count(0), default=2, metavar="N",
                   help="a cell with at most N people is thin (default 2, N ≥ 0)")
    p.add_argument("--all", action="store_true", help="show every cell")
    add_filter_options(p, ties=False)  # the same filters as every command, but no ties


def _command(
    commands: argparse._SubParsersAction,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    summary: str,
    description: str,
    *,
    projection: bool = True,
    extra: Callable[[argparse.ArgumentParser], object] | None = None,
) -> None:
    sub = commands.add_parser(name, help=summary, description=description)
    if extra is not None:
        extra(sub)
    if projection:
        _add_projection_options(sub)
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="output format (default table)")
    add_store_options(sub)
    sub.set_defaults(handler=handler)


def _add_projection_options(sub: argparse.ArgumentParser) -> None:
    from ..network import PROJECTIONS

    group = sub.add_argument_group("which network")
    group.add_argument("--projection", choices=PROJECTIONS, default="people",
                       help="network to analyse (default people)")
    add_filter_options(sub)


def _in_view(args: argparse.Namespace, G: nx.Graph, text: str) -> str:
    """The node ``text`` names in ``G``; when it names nothing there, say whether it is in the
    data but left out of this view (by the filters or the projection) or not in the data."""
    from ..analysis import resolve
    from ..errors import NotFoundError
    from ..names import ident, match_name
    from ..network.cache import incidence

    try:
        return resolve(G, text)
    except NotFoundError as in_view:
        kg = open_graph(args)
        try:
            data = incidence(kg)
        finally:
            kg.close()
        everyone = [(a, name) for a in sorted(data.people | data.organizations)
                    for name in dict.fromkeys([data.label(a), *data.labels.get(a, {}).values()])]
        try:
            found = match_name(everyone, text)
        except NotFoundError:
            raise in_view from None  # not in the data at all: the closest names in this view
        f = G.graph.get("filters")
        chosen = [Message(key, values=[str(v) for v in value]) for key, value in (
            ("error.view_community", [ident(c) for c in getattr(f, "communities", ())]),
            ("error.view_country", getattr(f, "countries", ())),
            ("error.view_type", getattr(f, "org_types", ()))) if value]
        if chosen:
            raise CopkgError("error.not_in_view_filters", name=data.label(found),
                             filters=Joined(tuple(chosen), "error.match_sep")) from None
        raise CopkgError("error.not_in_view", name=data.label(found),
                         projection=args.projection) from None


def _lang() -> str:
    """The language of this run's names, reasons and notes (``--lang``)."""
    return common.LANGUAGE


def _define(table: pd.DataFrame, text: str | None = None) -> None:
    # What the answer means, on stderr so CSV and JSON on stdout stay clean.
    text = text or table.attrs.get("definition")
    if text:
        print(common.say("cli.definition", text=text), file=sys.stderr)


def _kind(word: object) -> str:
    """A kind of evidence (product, event, community) in ``--lang``."""
    from ..i18n import has, t

    return t(f"kind.{word}", _lang()) if has(f"kind.{word}") else str(word)


def _measure_note(table: pd.DataFrame) -> str:
    """How betweenness and closeness were computed (exact or sampled), in ``--lang``."""
    from ..i18n import t

    sample = table.attrs.get("sample")
    if sample is None:
        return t("app.betweenness_exact", _lang())
    return t("app.betweenness_sampled", _lang(), n=sample, seed=table.attrs.get("seed", 42),
             error=1 / sample ** 0.5)


def _network(args: argparse.Namespace) -> nx.Graph:
    from ..network import build_projection

    filters = filters_from_args(args)
    kg = open_graph(args)
    try:
        return _checked(build_projection(kg, args.projection, filters))
    finally:
        kg.close()


def _checked(G: nx.Graph) -> nx.Graph:
    """``G``, unless the years asked hold no dated product or event at all: then an error
    (no tie can come from them) naming the data's years, or a note on stderr when ties of
    other kinds (same community) remain."""
    from ..network import no_activity_message

    message = no_activity_message(G)
    if message is not None:
        if not G.number_of_edges():
            raise CopkgError(message.key, **message.values)
        print(message.text(common.LANGUAGE), file=sys.stderr)
    return G


def _why(table: pd.DataFrame, G: nx.Graph | None = None) -> str | None:
    """Why ``table`` has no rows, in the reader's language: the network's reason (no such
    resources, filtered out, no ties), else the one the answer's function gave."""
    from ..network import empty_reason

    if len(table):
        return None
    return (empty_reason(G, common.LANGUAGE) if G is not None else None) \
        or table.attrs.get("empty_reason")


def _metrics(args: argparse.Namespace) -> int:
    from ..analysis import measures
    from ..analysis.names import label_in

    G = _network(args)
    table = measures(G)
    # How each measure was computed (exact or sampled, with k and the error): on stderr, so a
    # CSV or JSON on stdout stays clean.
    if "betweenness" in table.attrs:
        print(_measure_note(table), file=sys.stderr)
    table["label"] = [label_in(G, n, _lang()) for n in table["node"]]
    if args.sort not in table.columns:
        raise CopkgError("error.cannot_sort", column=args.sort, columns=list(table.columns))
    table = table.sort_values([args.sort, "label"], ascending=[False, True], kind="mergesort")
    if args.top:
        table = table.head(args.top)
    write_table(table, args.format, empty=_why(table, G))
    return 0


def _path(args: argparse.Namespace) -> int:
    from ..analysis import connection_paths
    from ..analysis.names import label_in

    G = _network(args)
    a, b = _in_view(args, G, args.a), _in_view(args, G, args.b)
    if a == b:
        from ..analysis.names import label_in

        raise CopkgError("error.same_actor", name=label_in(G, a, common.LANGUAGE))
    paths = connection_paths(G, a, b, max_paths=args.max_paths)
    if not paths:
        raise CopkgError("error.not_connected", a=args.a, b=args.b)
    rows = [
        {
            "path": i + 1, "step": j + 1, "from": label_in(G, s.source, _lang()),
            "to": label_in(G, s.target, _lang()),
            "evidence": "; ".join(
                f"{_kind(e.get('kind'))}: {e.get('label')}"
                + (f" ({e['year']})" if e.get("year") else "")
                for e in s.evidence
            ),
            "from_iri": s.source, "to_iri": s.target,
        }
        for i, path in enumerate(paths)
        for j, s in enumerate(path)
    ]
    if args.format == "table":  # each path as a chain of names, read in the reader's direction
        for i, path in enumerate(paths, start=1):
            names = [label_in(G, path[0].source, _lang())]
            names += [label_in(G, s.target, _lang()) for s in path]
            print(say("cli.path_chain", n=i, chain=sequence(names, _lang())))
        print()
    write_table(pd.DataFrame(rows), args.format)
    return 0


def _ego(args: argparse.Namespace) -> int:
    from ..analysis import ego_network
    from ..analysis.names import label_in

    G = _network(args)
    H = ego_network(G, _in_view(args, G, args.x), radius=args.radius)
    rows = [
        {"node": n, "label": label_in(H, n, _lang()), "kind": d.get("kind", ""),
         "country": d.get("country", ""), "distance": d["distance"], "ties": H.degree(n)}
        for n, d in H.nodes(data=True)
    ]
    table = pd.DataFrame(rows).sort_values(["distance", "ties", "label"],
                                           ascending=[True, False, True], kind="mergesort")
    write_table(table, args.format)
    return 0


def _brokers(args: argparse.Namespace) -> int:
    from ..analysis import brokers

    G = _network(args)
    table = brokers(G, by=args.by, language=_lang())
    write_table(table.head(args.top), args.format, empty=_why(table, G))
    return 0


def _gaps(args: argparse.Namespace) -> int:
    from ..analysis import coverage, gaps
    from ..analysis.coverage import definition

    kg = open_graph(args)
    try:
        table = (coverage if args.all else gaps)(
            kg, thin=args.thin, filters=filters_from_args(args), language=_lang())
    finally:
        kg.close()
    _define(table, definition(_lang(), thin=args.thin))
    write_table(table, args.format, empty=_why(table))
    return 0


def _suggest(args: argparse.Namespace) -> int:
    from ..analysis import suggest_for_team, suggest_introductions

    if bool(args.x) == bool(args.org):
        raise CopkgError("error.suggest_one_or_team")
    if args.org:
        G, members = _team(args)
        table = suggest_for_team(G, members, k=args.k, language=_lang())
    else:
        G = _network(args)
        table = suggest_introductions(G, _in_view(args, G, args.x), k=args.k,
                                      language=_lang())
    _define(table)
    write_table(table, args.format, empty=_why(table))
    return 0


def _team(args: argparse.Namespace) -> tuple[nx.Graph, list[str]]:
    """The network and the people of ``--org`` in it (the organisation resolved in the data)."""
    from ..names import match_name
    from ..network import build_projection
    from ..network.cache import incidence

    filters = filters_from_args(args)
    kg = open_graph(args)
    try:
        data = incidence(kg)
        G = _checked(build_projection(kg, args.projection, filters))
    finally:
        kg.close()
    names = [(o, label) for o in sorted(data.organizations)
             for label in dict.fromkeys([data.label(o), *data.labels.get(o, {}).values()])]
    org = match_name(names, args.org, what="organisation")
    members = sorted(p for p, orgs in data.affiliations.items() if org in orgs)
    if not members:
        raise CopkgError("error.nobody_affiliated", org=data.label(org))
    return G, [m for m in members if m in G]


def _communities(args: argparse.Namespace) -> int:
    from ..analysis import detect_communities, fold_singletons

    G = _network(args)
    # Clusters of one folded into one "not connected" row, as on the app's Groups tab.
    table = fold_singletons(detect_communities(G, seed=args.seed, language=_lang()),
                            language=_lang())
    if args.format == "table":
        table = table.drop(columns="nodes")
    write_table(table, args.format, empty=_why(table, G))
    return 0
