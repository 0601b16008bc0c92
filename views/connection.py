"""How is X connected to Y: the shortest paths between two actors, each step with its evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.errors import CopkgError
from views._common import (
    ONE_MODE,
    UrlState,
    data_version,
    draw_map,
    filter_params,
    filter_widgets,
    get_kg,
    illustrative_banner,
    init_widget,
    md,
    node_label,
    node_options,
    page_header,
    pick_projection,
    projection_or_stop,
    require,
    resolve_node,
    show_error,
    tr,
)

page_header(tr("conn_title", "How is X connected to Y"),
            tr("conn_caption", "The shortest chains of collaboration between two actors, and "
               "the products, events or communities behind every step."))
url = UrlState()
kg = get_kg()

name = pick_projection(url, "cx_projection", ONE_MODE)
try:
    choice = filter_widgets(kg, url, "cx")
except CopkgError as exc:
    show_error(exc, tr("projection_failed", "This view cannot be built"))
    st.stop()
G = projection_or_stop(kg, url, name, choice)

for key in ("cx_a", "cx_b"):
    if st.session_state.get(key) not in (None, *G.nodes):
        del st.session_state[key]
init_widget("cx_a", resolve_node(G, url.raw("a"), url, "a"))
init_widget("cx_b", resolve_node(G, url.raw("b"), url, "b"))
init_widget("cx_paths", url.integer("paths", 3, 1, 10))
options = node_options(G)
c1, c2, c3 = st.columns([3, 3, 1])
with c1:
    a = st.selectbox(tr("from", "From"), options, key="cx_a",
                     placeholder=tr("type_name", "Type a name…"),
                     format_func=lambda n: node_label(G, n))
with c2:
    b = st.selectbox(tr("to", "To"), options, key="cx_b",
                     placeholder=tr("type_name", "Type a name…"),
                     format_func=lambda n: node_label(G, n))
with c3:
    max_paths = st.number_input(tr("max_paths", "Paths"), 1, 10, key="cx_paths")
url.show_warnings()


def _steps_table(path: list) -> pd.DataFrame:
    rows = []
    for number, step in enumerate(path, start=1):
        evidence = list(getattr(step, "evidence", None) or []) or [{}]
        for ev in evidence:
            rows.append({
                "step": number,
                "from": node_label(G, step.source),
                "to": node_label(G, step.target),
                "evidence": ev.get("label", ""),
                "kind": ev.get("kind", ""),
                "year": ev.get("year"),
                "iri": ev.get("iri", ""),
            })
    return pd.DataFrame(rows, columns=["step", "from", "to", "evidence", "kind", "year", "iri"])


if not a or not b:
    st.info(tr("pick_two", "Choose two names to see how they are connected."))
elif a == b:
    st.info(tr("same_node", "That is the same actor twice: choose two different names."))
elif (fns := require("analysis", "connection_paths")) is not None:
    try:
        with st.spinner(tr("finding_paths", "Looking for connections…")):
            paths = fns[0](G, a, b, max_paths=int(max_paths))
    except CopkgError as exc:
        show_error(exc)
        paths = None
    if paths is not None and not paths:
        st.info(tr("no_path", "{a} and {b} are not connected in this view. Try other kinds of tie "
                   "or wider filters in the sidebar.", a=md(node_label(G, a)),
                   b=md(node_label(G, b))))
    elif paths:
        hops = len(paths[0])
        st.success(tr("path_found", "{a} and {b} are {n} step(s) apart; {k} shortest path(s) "
                      "shown.", a=md(node_label(G, a)), b=md(node_label(G, b)), n=hops,
                      k=len(paths)))
        edges = {(s.source, s.target) for path in paths for s in path}
        # A view of G restricted to the path edges (no new graph is built).
        sub = G.edge_subgraph(edges)
        illustrative_banner(sum(1 for _, d in sub.nodes(data=True) if d.get("illustrative")),
                            sub.number_of_nodes())
        if require("maps", "map_html") is not None:
            draw_map(sub, ("path", data_version(kg), name, choice, a, b, int(max_paths)),
                     file_name="copkg-path.html", height=460, download_key="cx_map_dl",
                     title=f"{node_label(G, a)} → {node_label(G, b)}", color_by="community",
                     size_by="degree")
        for i, path in enumerate(paths, start=1):
            chain = " → ".join([node_label(G, path[0].source)]
                               + [node_label(G, s.target) for s in path])
            st.markdown(f"**{tr('path', 'Path')} {i}:** {md(chain)}")
            st.dataframe(_steps_table(path), hide_index=True, width="stretch")

url.write(
    projection=name if name != "people" else None,
    **filter_params(choice),
    a=a, b=b,
    paths=int(max_paths) if int(max_paths) != 3 else None,
)
