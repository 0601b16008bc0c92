"""How is X connected to Y: the shortest paths between two actors, each step with its evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.analysis import Step, connection_paths
from graph.errors import CopkgError
from views.ui.access import require_action
from views.ui.choice import ONE_MODE, filter_params
from views.ui.lang import chain, tr
from views.ui.maps import draw_map
from views.ui.nodes import node_label, node_options, resolve_node
from views.ui.show import escape, illustrative_banner, md, page_header, show_error
from views.ui.store import data_version, get_kg
from views.ui.tables import show_table
from views.ui.url import UrlState, init_widget
from views.ui.widgets import filter_widgets, pick_projection, projection_or_stop

require_action("browse")
page_header(tr("app.conn_title"),
            tr("app.conn_caption"))
url = UrlState()
kg = get_kg()

name = pick_projection(url, "cx_projection", ONE_MODE)
try:
    choice = filter_widgets(kg, url, "cx")
except CopkgError as exc:
    show_error(exc, tr("app.projection_failed"))
    st.stop()
G = projection_or_stop(kg, url, name, choice)

for key in ("cx_a", "cx_b"):
    if st.session_state.get(key) not in (None, *G.nodes):
        del st.session_state[key]
init_widget("cx_a", resolve_node(G, url.raw("a"), url, "a", tr("app.from")))
init_widget("cx_b", resolve_node(G, url.raw("b"), url, "b", tr("app.to")))
init_widget("cx_paths", url.integer("paths", 3, 1, 10))
options = node_options(G)
c1, c2, c3 = st.columns([3, 3, 1])
with c1:
    a = st.selectbox(tr("app.from"), options, key="cx_a",
                     placeholder=tr("app.type_name"),
                     format_func=lambda n: node_label(G, n))
with c2:
    b = st.selectbox(tr("app.to"), options, key="cx_b",
                     placeholder=tr("app.type_name"),
                     format_func=lambda n: node_label(G, n))
with c3:
    max_paths = st.number_input(tr("app.max_paths"), 1, 10, key="cx_paths")
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
    st.info(tr("app.pick_two"))
elif a == b:
    st.info(tr("error.same_actor", name=md(node_label(G, a))))  # as `copkg path` says it
else:
    paths: list[list[Step]] | None = None
    try:
        with st.spinner(tr("app.finding_paths")):
            paths = connection_paths(G, a, b, max_paths=int(max_paths))
    except CopkgError as exc:
        show_error(exc)
    if paths is not None and not paths:
        st.info(tr("app.no_path", a=md(node_label(G, a)), b=md(node_label(G, b))))
    elif paths:
        hops = len(paths[0])
        st.success(tr("app.path_found", a=md(node_label(G, a)), b=md(node_label(G, b)), n=hops)
                   + " " + tr("app.paths_shown", n=len(paths)))
        edges = {(s.source, s.target) for path in paths for s in path}
        # A view of G restricted to the path edges (no new graph is built).
        sub = G.edge_subgraph(edges)
        illustrative_banner(sum(1 for _, d in sub.nodes(data=True) if d.get("illustrative")),
                            sub.number_of_nodes())
        draw_map(sub, ("path", data_version(kg), name, choice, a, b, int(max_paths)),
                 file_name="copkg-path.html", height=460, download_key="cx_map_dl",
                 title=chain([node_label(G, a), node_label(G, b)]), color_by="community",
                 size_by="degree")
        for i, path in enumerate(paths, start=1):
            steps = chain([escape(node_label(G, path[0].source))]
                          + [escape(node_label(G, s.target)) for s in path])
            st.markdown(f"**{tr('app.path')} {i}:** {steps}")
            show_table(_steps_table(path))

url.write(
    projection=name if name != "people" else None,
    **filter_params(choice),
    a=a, b=b,
    paths=int(max_paths) if int(max_paths) != 3 else None,
)
