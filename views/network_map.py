"""Network map: a projection of the graph, filtered, coloured and sized, with node evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.errors import CopkgError
from views._common import (
    MEASURE_COLUMNS,
    PROJECTION_NAMES,
    UrlState,
    core,
    count_illustrative,
    data_version,
    draw_map,
    evidence_rows,
    filter_params,
    filter_widgets,
    get_kg,
    illustrative_banner,
    init_widget,
    md,
    measures_table,
    node_label,
    node_options,
    page_header,
    pick_projection,
    projection_or_stop,
    require,
    resolve_node,
    short_id,
    show_error,
    tr,
)

COLOR_BY = {"community": "Community of practice", "cluster": "Detected group",
            "country": "Country", "type": "Type", "kind": "Kind", "organization": "Organisation"}
DEFAULT_CAP = 300
MAX_MIN_WEIGHT = 100.0

page_header(tr("map_title", "Network map"),
            tr("map_caption", "Who is tied to whom. Pick a view and filters in the sidebar; "
               "search a name to focus on their neighbourhood and see the evidence."))
url = UrlState()
kg = get_kg()
projections = list(core("network", "PROJECTIONS"))

name = pick_projection(url, "map_projection", projections)
try:
    choice = filter_widgets(kg, url, "map")
except CopkgError as exc:
    show_error(exc, tr("filters_failed", "The filters cannot be prepared"))
    st.stop()

init_widget("map_color", url.choice("color", list(COLOR_BY), "community"))
init_widget("map_size", url.choice("size", list(MEASURE_COLUMNS), "degree"))
init_widget("map_cap", url.integer("cap", DEFAULT_CAP, 20, 2000))
init_widget("map_radius", url.integer("radius", 1, 1, 3))
# Shared events tie almost everyone in a community to everyone (21k links for 300 people): a
# tie of strength 1 (one event together) is hidden by default so the map stays readable.
default_min_weight = 2.0 if name == "people" and "event" in choice.ties else 1.0
init_widget("map_min_weight", url.number("min_weight", default_min_weight, 1.0, MAX_MIN_WEIGHT))
with st.sidebar:
    st.number_input(tr("min_weight", "Minimum tie strength"), 1.0, MAX_MIN_WEIGHT, step=1.0,
                    key="map_min_weight", format="%g",
                    help=tr("min_weight_help", "Links weaker than this (fewer shared products "
                            "and events) are hidden so the map stays readable; 1 shows every "
                            "link."))
min_weight = float(st.session_state["map_min_weight"])

G = projection_or_stop(kg, url, name, choice)

focus_from_url = resolve_node(G, url.raw("node"), url, "node")
options = node_options(G)
if st.session_state.get("map_node") not in (None, *G.nodes):
    del st.session_state["map_node"]  # the view changed and the person is not in it
init_widget("map_node", focus_from_url)

c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
with c1:
    focus = st.selectbox(tr("find_name", "Find a name (focus the map on them)"), options,
                         key="map_node",
                         placeholder=tr("type_name", "Type a name…"),
                         format_func=lambda n: node_label(G, n))
with c2:
    color_by = st.selectbox(tr("colour_by", "Colour by"), list(COLOR_BY), key="map_color",
                            format_func=lambda c: tr(f"colour_{c}", COLOR_BY[c]))
with c3:
    size_by = st.selectbox(tr("size_by", "Size by"), list(MEASURE_COLUMNS), key="map_size",
                           format_func=lambda m: tr(f"measure_{m}", m.replace("_", " ")))
with c4:
    if focus:
        st.number_input(tr("radius", "Steps"), 1, 3, key="map_radius")
    else:
        st.number_input(tr("cap", "Max nodes"), 20, 2000, step=50, key="map_cap")
url.show_warnings()
radius = int(st.session_state["map_radius"])
cap = int(st.session_state["map_cap"])

measures = None
if core("analysis", "measures") is not None:
    try:
        with st.spinner(tr("measuring", "Computing measures…")):
            measures = measures_table(kg, name, choice)
    except CopkgError as exc:
        show_error(exc, tr("measures_failed", "Measures are not available"))

view = G
if focus:
    ego_network = core("analysis", "ego_network")
    if ego_network is None:
        st.info(tr("no_ego", "Focusing on a neighbourhood needs graph.analysis.ego_network, "
                   "which is not available yet; the whole map is shown."))
    else:
        view = ego_network(G, focus, radius=radius)

illustrative_banner(count_illustrative(view), view.number_of_nodes())
n_nodes, n_edges = view.number_of_nodes(), view.number_of_edges()
st.caption(tr("nodes_edges", "{nodes} nodes, {edges} links", nodes=n_nodes, edges=n_edges))
if not focus and n_nodes > cap:
    st.info(tr("capped", "This view has {n} nodes; the map shows the {cap} highest by {measure} "
               "so the browser stays responsive. Search a name or narrow the filters to see "
               "the rest.", n=n_nodes, cap=cap, measure=size_by.replace("_", " ")))

if require("maps", "map_html") is not None:
    title = tr(f"projection_{name}", PROJECTION_NAMES.get(name, name))
    if focus:
        title = f"{title} — {node_label(G, focus)}"
    key = ("map", data_version(kg), name, choice, focus, radius)
    draw_map(view, key, file_name=f"copkg-{name}.html", title=title, color_by=color_by,
             size_by=size_by, max_nodes=None if focus else cap, measures=measures,
             focus=focus, min_weight=min_weight if min_weight > 1 else None)

st.subheader(tr("details", "Details and evidence"))
if not focus:
    st.caption(tr("details_hint", "Clicks inside the map stay in the map: to see a node's ties "
                  "and their evidence here, find the name above."))
else:
    data = G.nodes[focus]
    facts = {
        tr("label", "Name"): node_label(G, focus),
        tr("kind", "Kind"): data.get("kind", ""),
        tr("type", "Type"): data.get("type", ""),
        tr("country", "Country"): data.get("country", ""),
        tr("organization", "Organisation"): (
            node_label(G, data["organization"]) if data.get("organization") in G
            else short_id(data.get("organization") or "")
        ),
        tr("communities", "Communities"): ", ".join(short_id(c) for c in data.get("communities")
                                                     or ()),
        tr("illustrative", "Illustrative"): tr("yes", "yes") if data.get("illustrative")
        else tr("no", "no"),
        "IRI": focus,
    }
    st.dataframe(pd.DataFrame({"": list(facts), " ": [str(v) for v in facts.values()]}),
                 hide_index=True, width="stretch")
    if measures is not None and "node" in measures:
        row = measures[measures["node"] == focus]
        if len(row):
            cols = [c for c in MEASURE_COLUMNS if c in row]
            st.dataframe(row[cols], hide_index=True, width="stretch")
    edges = evidence_rows(G, focus)
    st.markdown(tr("ties_of", "**{n}** ties of {name}:", n=G.degree(focus),
                   name=md(node_label(G, focus))))
    st.dataframe(edges, hide_index=True, width="stretch",
                 column_config={"iri": st.column_config.TextColumn("evidence IRI")})

url.write(
    projection=name if name != "people" else None,
    **filter_params(choice),
    color=color_by if color_by != "community" else None,
    size=size_by if size_by != "degree" else None,
    cap=cap if cap != DEFAULT_CAP else None,
    node=focus,
    radius=radius if focus and radius != 1 else None,
    min_weight=f"{min_weight:g}" if min_weight != default_min_weight else None,
)
