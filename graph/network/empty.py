"""Why a network (and so every answer read from it) is empty: no such resources in the store
yet, the filters leave nothing, or no one has a tie of the kinds drawn.

:func:`~graph.network.project` records the reason as data in ``G.graph["empty"]`` when the
network has no node (the graph is cached and shared, so it holds no text in any language);
:func:`empty_reason` says it in a person's language, for the CLI, the app and the
``df.attrs["empty_reason"]`` of the analysis tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from ..countries import country_label, members_of
from ..i18n import Message, format_list, has, t
from ..names import ident

if TYPE_CHECKING:
    from .filters import Filters
    from .incidence import Incidence

__all__ = ["empty_reason", "filters_text", "no_activity", "no_activity_message",
           "why_no_nodes"]

#: What each network is made of: the kinds of resource it needs (catalogue words
#: ``empty.class.<name>``) and the Incidence sets that hold them.
_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "people": (("Person", "people"),),
    "organizations": (("Organization", "organizations"),),
    "countries": (("Actor", "actors"),),
    "organization-community": (("Organization", "organizations"),
                               ("CommunityOfPractice", "communities")),
    "person-event": (("Person", "people"), ("Event", "events")),
    "person-product": (("Person", "people"), ("KnowledgeProduct", "products")),
}


def why_no_nodes(data: Incidence, name: str, f: Filters) -> dict[str, Any]:
    """The reason, as data, that the network ``name`` of ``data`` under ``f`` has no node.

    >>> from graph.network import Filters, Incidence
    >>> why_no_nodes(Incidence(people={"p"}), "person-event", Filters())
    {'reason': 'no_data', 'classes': ['Event']}
    """
    sets = {"people": data.people, "organizations": data.organizations,
            "actors": data.people | data.organizations, "communities": data.communities,
            "events": data.events, "products": data.products}
    if not any(sets.values()):
        return {"reason": "no_data", "classes": []}
    missing = [word for word, attr in _NEEDS.get(name, ()) if not sets[attr]]
    if missing:
        return {"reason": "no_data", "classes": missing}
    if _filter_parts(f, {}, "en"):
        return {"reason": "filtered"}
    return {"reason": "none"}


def empty_reason(G: nx.Graph, language: str = "en") -> str | None:
    """One line saying why ``G`` gives no answer — no node, or no tie at all — in
    ``language``; ``None`` when it has nodes and ties (an empty answer then has another
    reason, said by the function that found it).

    >>> G = nx.Graph()
    >>> G.add_nodes_from(["a", "b"])
    >>> print(empty_reason(G))  # doctest: +NORMALIZE_WHITESPACE
    No one in this network has a tie of the kinds drawn (Co-authored products and Shared
    events): try other kinds of tie or wider filters.
    """
    from .filters import Filters

    f = G.graph.get("filters") or Filters()
    if G.graph.get("no_activity") and not G.number_of_edges():
        return no_activity(G, language)
    if G.number_of_nodes() == 0:
        why = G.graph.get("empty") or {"reason": "filtered" if _filter_parts(f, {}, "en")
                                       else "none"}
        if why["reason"] == "no_data" and not why["classes"]:
            return t("empty.store", language)
        if why["reason"] == "no_data":
            words = [t(f"empty.class.{c}", language) for c in why["classes"]]
            return t("empty.no_kind", language, what=format_list(words, language))
        network = _network_name(G, language)
        if why["reason"] == "filtered":
            parts = _filter_parts(f, G.graph.get("labels", {}), language)
            return t("empty.filtered", language, network=network,
                     filters=t("empty.separator", language).join(parts))
        return t("empty.network", language, network=network)
    if G.number_of_edges() == 0:
        ties = format_list([t(f"tie.{tie}", language) for tie in f.ties], language)
        return t("empty.no_ties", language, ties=ties)
    return None


def no_activity(G: nx.Graph, language: str = "en") -> str | None:
    """When the years asked hold no dated product or event of the data at all: one line
    saying so, with the years the data's products and events cover; else ``None``.

    >>> from graph.network import Filters
    >>> G = nx.Graph(filters=Filters(year_from=2030), no_activity={"first": 2009, "last": 2026})
    >>> print(no_activity(G))  # doctest: +NORMALIZE_WHITESPACE
    No product or event falls in the years asked (from 2030): the products and events of this
    knowledge graph run from 2009 to 2026.
    """
    message = no_activity_message(G)
    return message.text(language) if message is not None else None


def no_activity_message(G: nx.Graph) -> Message | None:
    """:func:`no_activity` as a catalogue message (to raise as a :class:`CopkgError`)."""
    from .filters import Filters

    span = G.graph.get("no_activity")
    if not span:
        return None
    years = _years(G.graph.get("filters") or Filters())
    if span.get("first") is None:
        return Message("error.no_dated_activity", years=years)
    return Message("error.no_activity", years=years, first=span["first"], last=span["last"])


def _years(f: Filters) -> Message:
    if f.year_from is not None and f.year_to is not None:
        return Message("empty.filter_years", start=f.year_from, end=f.year_to)
    if f.year_from is not None:
        return Message("empty.filter_year_from", year=f.year_from)
    return Message("empty.filter_year_to", year=f.year_to)


def filters_text(f: Filters, labels: dict[str, dict[str, str]], language: str = "en") -> str:
    """The filters that restrict which resources an answer holds, as a person reads them.

    >>> from graph.network import Filters
    >>> filters_text(Filters(countries=("TN",), year_from=2030), {})
    'countries: Tunisia; from 2030'
    """
    return t("empty.separator", language).join(_filter_parts(f, labels, language))


def _network_name(G: nx.Graph, language: str) -> str:
    name = str(G.graph.get("projection", ""))
    return t(f"projection.{name}", language) if has(f"projection.{name}") else name


def _filter_parts(f: Filters, labels: dict[str, dict[str, str]], language: str) -> list[str]:
    """The filters that restrict which resources a network holds, as a person reads them."""
    from ..i18n import label

    parts = []
    if f.communities:
        names = [label(labels.get(c, {}), language, default=ident(c)) for c in f.communities]
        parts.append(t("empty.filter_communities", language, names=format_list(names, language)))
    if f.countries:
        members = members_of(nx.Graph(labels=labels))  # the platform's names of countries
        names = [country_label(c, language, members) for c in f.countries]
        parts.append(t("empty.filter_countries", language, names=format_list(names, language)))
    if f.org_types:
        words = [t(f"type.{w}", language) if has(f"type.{w}") else w for w in f.org_types]
        parts.append(t("empty.filter_types", language, names=format_list(words, language)))
    if f.year_from is not None and f.year_to is not None:
        parts.append(t("empty.filter_years", language, start=f.year_from, end=f.year_to))
    elif f.year_from is not None:
        parts.append(t("empty.filter_year_from", language, year=f.year_from))
    elif f.year_to is not None:
        parts.append(t("empty.filter_year_to", language, year=f.year_to))
    return parts
