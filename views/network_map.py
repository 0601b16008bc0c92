"""Network map: a projection of the graph, filtered, coloured and sized, with node evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.analysis import ego_network
from graph.errors import CopkgError
from graph.network import PROJECTIONS, group_labels
from views.ui.access import require_action
from views.ui.cache import measures_table, projection
from views.ui.choice import MEASURE_COLUMNS, filter_params
from views.ui.lang import current_lang, tr
from views.ui.maps import draw_map
from views.ui.nodes import (
    count_illustrative,
    evidence_rows,
    node_label,
    node_options,
    resolve_node,
    short_id,
)
from views.ui.show import illustrative_banner, md, page_header, show_error
from views.ui.store import data_version, get_kg
from views.ui.tables import country, header, show_table, word
from views.ui.url import UrlState, init_widget
from views.ui.widgets import filter_widgets, pick_projection, projection_or_stop

COLOR_BY = ("community", "cluster", "country", "type", "kind", "organization")
# Above the bundled data's 351 people, so the app's first map is the one `copkg map` draws;
# a larger network shows its best-ranked nodes and says so (app.capped, the title block).
DEFAULT_CAP = 500
MAX_MIN_WEIGHT = 100.0

require_action("browse")
page_header(tr("app.map_title"),
            tr("app.map_caption"))
url = UrlState()
kg = get_kg()
name = pick_projection(url, "map_projection", PROJECTIONS)
try:
    choice = filter_widgets(kg, url, "map")
except CopkgError as exc:
    show_error(exc, tr("app.filters_failed"))
    st.stop()

init_widget("map_color", url.choice("color", list(COLOR_BY), "community"))
init_widget("map_size", url.choice("size", list(MEASURE_COLUMNS), "degree"))
init_widget("map_cap", url.integer("cap", DEFAULT_CAP, 20, 2000))
init_widget("map_radius", url.integer("radius", 1, 1, 3))
# Shared events tie almost everyone in a community to everyone (23k links for 351 people): the
# map draws the significant ties (graph.maps.backbone) unless "All links" is ticked.
default_min_weight = 1.0
init_widget("map_min_weight", url.number("min_weight", default_min_weight, 1.0, MAX_MIN_WEIGHT))
init_widget("map_all_links", url.choice("links", ["backbone", "all"], "backbone") == "all")
with st.sidebar:
    st.toggle(tr("app.all_links"), key="map_all_links", help=tr("app.all_links_help"))
    st.number_input(tr("app.min_weight"), 1.0, MAX_MIN_WEIGHT, step=1.0,
                    key="map_min_weight", format="%g",
                    help=tr("app.min_weight_help"))
min_weight = float(st.session_state["map_min_weight"])
links = "all" if st.session_state["map_all_links"] else "backbone"

G = projection_or_stop(kg, url, name, choice)

focus_from_url = resolve_node(G, url.raw("node"), url, "node", tr("app.find_name"))
options = node_options(G)
if st.session_state.get("map_node") not in (None, *G.nodes):
    del st.session_state["map_node"]  # the view changed and the person is not in it
init_widget("map_node", focus_from_url)

c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
with c1:
    focus = st.selectbox(tr("app.find_name"), options,
                         key="map_node",
                         placeholder=tr("app.type_name"),
                         format_func=lambda n: node_label(G, n))
with c2:
    color_by = st.selectbox(tr("app.colour_by"), list(COLOR_BY), key="map_color",
                            format_func=lambda c: tr(f"app.colour_{c}"))
with c3:
    size_by = st.selectbox(tr("app.size_by"), list(MEASURE_COLUMNS), key="map_size",
                           format_func=lambda m: tr(f"measure.{m}"))
with c4:
    if focus:
        st.number_input(tr("app.radius"), 1, 3, key="map_radius")
    else:
        st.number_input(tr("app.cap"), 20, 2000, step=50, key="map_cap")
url.show_warnings()
radius = int(st.session_state["map_radius"])
cap = int(st.session_state["map_cap"])

measures = None
try:
    with st.spinner(tr("app.measuring")):
        measures = measures_table(kg, name, choice)
except CopkgError as exc:
    show_error(exc, tr("app.measures_failed"))

view = ego_network(G, focus, radius=radius) if focus else G

illustrative_banner(count_illustrative(view), view.number_of_nodes())
n_nodes, n_edges = view.number_of_nodes(), view.number_of_edges()
st.caption(tr("app.nodes_edges", nodes=n_nodes, edges=n_edges))
if not focus and n_nodes > cap:
    st.info(tr("app.capped", n=n_nodes, cap=cap, measure=tr(f"measure.{size_by}")))

title = tr(f"projection.{name}")
if focus:
    title = f"{title} — {node_label(G, focus)}"
key = ("map", data_version(kg), name, choice, focus, radius)
draw_map(view, key, file_name=f"copkg-{name}.html", title=title, color_by=color_by,
         size_by=size_by, max_nodes=None if focus else cap, measures=measures,
         focus=focus, min_weight=min_weight if min_weight > 1 else None, links=links)

st.subheader(tr("app.details"))
if not focus:
    st.caption(tr("app.details_hint"))
else:
    data = G.nodes[focus]
    groups = group_labels(G, current_lang())
    organization = data.get("organization") or ""
    orgs = projection(kg, "organizations")
    kind = data.get("kind", "")
    facts = {
        "label": node_label(G, focus),
        "kind": tr(f"kind.{kind}") if kind else "",
        "type": word(data.get("type", "")),
        "country": country(data.get("country", "")),
        "organization_label": (node_label(orgs, organization) if organization in orgs
                               else short_id(organization)),
        "communities": tr("analysis.name_separator").join(
            groups.get(c, short_id(c)) for c in data.get("communities") or ()),
        "illustrative": tr("app.yes") if data.get("illustrative") else tr("app.no"),
        "iri": focus,
    }
    show_table(pd.DataFrame({tr("col.fact"): [header(k) for k in facts],
                             tr("col.value"): ["" if v is None else str(v)
                                               for v in facts.values()]}), headers=False)
    if measures is not None and "node" in measures:
        row = measures[measures["node"] == focus]
        if len(row):
            show_table(row[[c for c in MEASURE_COLUMNS if c in row]])
    edges = evidence_rows(G, focus)
    st.markdown(tr("app.ties_of", n=G.degree(focus), name=md(node_label(G, focus))))
    show_table(edges)

url.write(
    projection=name if name != "people" else None,
    **filter_params(choice),
    color=color_by if color_by != "community" else None,
    size=size_by if size_by != "degree" else None,
    cap=cap if cap != DEFAULT_CAP else None,
    node=focus,
    radius=radius if focus and radius != 1 else None,
    min_weight=f"{min_weight:g}" if min_weight != default_min_weight else None,
    links="all" if links == "all" else None,
)
