"""Sidebar widgets every network page shares: the projection picker and the filters."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import streamlit as st

from graph import KnowledgeGraph
from graph.errors import CopkgError
from graph.network import Filters, empty_reason, no_activity, parse_filters, resolve_filters
from graph.network.cache import incidence
from views.ui.cache import filter_options, projection
from views.ui.choice import DEFAULT_TIES, TIES, FilterChoice, filter_params
from views.ui.lang import current_lang, label_of, tr
from views.ui.nodes import short_id
from views.ui.show import md, show_error
from views.ui.tables import country_namer, word
from views.ui.url import UrlState, init_widget


def pick_projection(url: UrlState, key: str, options: Sequence[str]) -> str:
    """The sidebar's projection picker (URL ``projection``), returning the chosen one."""
    init_widget(key, url.choice("projection", list(options), "people"))
    with st.sidebar:
        st.selectbox(tr("app.view"), list(options), key=key,
                     format_func=lambda p: tr(f"projection.{p}"))
    return str(st.session_state[key])


def projection_or_stop(
    kg: KnowledgeGraph, url: UrlState, name: str, choice: FilterChoice
) -> nx.Graph:
    """The projection for the page, or a message and ``st.stop()`` when it fails or is empty."""
    try:
        with st.spinner(tr("app.building")):
            G = projection(kg, name, choice)
    except CopkgError as exc:
        show_error(exc, tr("app.projection_failed"))
        st.stop()
    activity = no_activity(G, current_lang())
    if activity:  # the years chosen hold no dated product or event at all
        st.warning(activity)
    if G.number_of_nodes() == 0:
        url.show_warnings()
        # Why: no data yet, no such resources, or the filters leave no one (graph.network).
        st.info(empty_reason(G, current_lang()) or tr("app.empty_view"))
        url.write(projection=name, **filter_params(choice))
        st.stop()
    return G


def _url_filters(kg: KnowledgeGraph, url: UrlState) -> Filters:
    """The link's filters through the one parser (graph.network.parse_filters), each value
    resolved in the data (ids, IRIs or names; ``all``); a value that names nothing is not
    applied, and the page says so with the closest matches."""
    kept: dict[str, list[str]] = {"communities": [], "countries": [], "org_types": []}
    given = any(url.raw_list(p) for p in ("community", "country", "org_type"))
    data = incidence(kg) if given else None
    for param, key in (("community", "communities"), ("country", "countries"),
                       ("org_type", "org_types")):
        for value in url.raw_list(param):
            try:
                assert data is not None
                resolved = resolve_filters(parse_filters(**{key: value}), data)
            except CopkgError as exc:
                url.warnings.append(tr("app.bad_filter", name=param, error=md(exc)))
                continue
            kept[key] += list(getattr(resolved, key))
    try:
        ties = parse_filters(ties=url.raw_list("tie")).ties
    except CopkgError as exc:
        url.warnings.append(tr("app.bad_filter", name="tie", error=md(exc)))
        ties = DEFAULT_TIES
    return Filters(communities=tuple(kept["communities"]), countries=tuple(kept["countries"]),
                   org_types=tuple(kept["org_types"]), ties=ties)


def filter_widgets(kg: KnowledgeGraph, url: UrlState, prefix: str) -> FilterChoice:
    """Filters (community, country, organisation type, years, kinds of tie), in the sidebar,
    seeded from the URL; returns the choice."""
    opts = filter_options(kg)
    comm = opts["communities"]
    comm_ids = {short_id(iri): iri for iri in comm}
    y0, y1 = opts["years"]
    from_url = _url_filters(kg, url)
    init_widget(f"{prefix}_comm", [short_id(c) for c in from_url.communities
                                   if short_id(c) in comm_ids])
    init_widget(f"{prefix}_country", [c for c in from_url.countries if c in opts["countries"]])
    init_widget(f"{prefix}_otype", [t for t in from_url.org_types if t in opts["org_types"]])
    asked = url.integer("from", y0, 1900, 2100), url.integer("to", y1, 1900, 2100)
    lo, hi = max(min(asked[0], y1), y0), min(max(asked[1], y0), y1)
    if lo > hi:
        lo, hi = y0, y1
    if (lo, hi) != asked and (url.raw("from") or url.raw("to")):
        # The link's years reach outside the data's: shown within them, and said so.
        said = (f"{asked[0]}–{asked[1]}" if url.raw("from") and url.raw("to")
                else tr("empty.filter_year_from", year=asked[0]) if url.raw("from")
                else tr("empty.filter_year_to", year=asked[1]))
        url.warnings.append(tr("app.years_clamped", asked=said, first=y0, last=y1,
                               start=lo, end=hi))
    init_widget(f"{prefix}_years", (lo, hi))
    init_widget(f"{prefix}_ties", list(from_url.ties))

    with st.sidebar:
        st.subheader(tr("app.filters"))
        st.multiselect(tr("app.community"), list(comm_ids), key=f"{prefix}_comm",
                       placeholder=tr("app.choose_options"),
                       format_func=lambda c: label_of(comm.get(comm_ids[c]), c))
        st.multiselect(tr("app.country"), opts["countries"], key=f"{prefix}_country",
                       placeholder=tr("app.choose_options"),
                       format_func=country_namer())
        st.multiselect(tr("app.org_type"), opts["org_types"], key=f"{prefix}_otype",
                       placeholder=tr("app.choose_options"),
                       format_func=lambda w: str(word(w)))
        if y0 < y1:
            st.slider(tr("app.years"), y0, y1, key=f"{prefix}_years")
        st.multiselect(tr("app.ties"), list(TIES), key=f"{prefix}_ties",
                       placeholder=tr("app.choose_options"),
                       format_func=lambda k: tr(f"tie.{k}"))
    years = st.session_state[f"{prefix}_years"]
    chosen_ties = tuple(st.session_state[f"{prefix}_ties"]) or DEFAULT_TIES
    full = (y0, y1)
    return FilterChoice(
        communities=tuple(st.session_state[f"{prefix}_comm"]),
        countries=tuple(st.session_state[f"{prefix}_country"]),
        org_types=tuple(st.session_state[f"{prefix}_otype"]),
        year_from=None if tuple(years) == full else years[0],
        year_to=None if tuple(years) == full else years[1],
        ties=chosen_ties,
    )
