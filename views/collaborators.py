"""Who collaborates: rankings, brokers, detected groups, coverage gaps, suggested introductions."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.errors import CopkgError
from views._common import (
    ONE_MODE,
    UrlState,
    core,
    count_illustrative,
    data_version,
    download_csv,
    filter_params,
    filter_widgets,
    get_kg,
    illustrative_banner,
    init_widget,
    measures_table,
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

GAP_STYLE = {"absent": "background-color: #d7301f; color: white",
             "thin": "background-color: #fdae61; color: black"}
BY_NAMES = {"community": "communities", "country": "countries"}

page_header(tr("collab_title", "Who collaborates"),
            tr("collab_caption", "Rankings of actors in the collaboration network, who bridges "
               "communities or countries, groups found in the network, who is missing where, "
               "and whom to introduce to whom."))
url = UrlState()
kg = get_kg()

name = pick_projection(url, "co_projection", ONE_MODE)
try:
    choice = filter_widgets(kg, url, "co")
except CopkgError as exc:
    show_error(exc, tr("projection_failed", "This view cannot be built"))
    st.stop()
G = projection_or_stop(kg, url, name, choice)

person_from_url = resolve_node(G, url.raw("person"), url, "person")
init_widget("co_filter", url.text("q", "", max_len=200))
url.show_warnings()
illustrative_banner(count_illustrative(G), G.number_of_nodes())

tab_rank, tab_brokers, tab_groups, tab_gaps, tab_intro = st.tabs([
    tr("tab_rank", "Rankings"), tr("tab_brokers", "Brokers"), tr("tab_groups", "Groups"),
    tr("tab_gaps", "Coverage and gaps"), tr("tab_intro", "Introductions"),
])

with tab_rank:
    if require("analysis", "measures") is not None:
        try:
            with st.spinner(tr("measuring", "Computing measures…")):
                table = measures_table(kg, name, choice)
        except CopkgError as exc:
            show_error(exc, tr("measures_failed", "Measures are not available"))
        else:
            query = st.text_input(tr("filter_rows", "Filter by name, country or type"),
                                  key="co_filter")
            shown = table
            if query:
                text = table[["label", "country", "type"]].astype(str).agg(" ".join, axis=1)
                shown = table[text.str.contains(query, case=False, regex=False)]
            st.caption(tr("rank_caption", "{n} of {total} rows; click a column header to sort.",
                          n=len(shown), total=len(table)))
            note = table.attrs.get("betweenness")
            if note:
                st.caption(tr("betweenness_note", "Betweenness: {note}", note=str(note)))
            st.dataframe(shown.drop(columns=["node"], errors="ignore"), hide_index=True,
                         width="stretch", height=420)
            download_csv(shown, f"copkg-measures-{name}.csv", key="co_measures_csv")

with tab_brokers:
    fns = require("analysis", "brokers")
    if fns is not None:
        by = st.radio(tr("bridge_by", "Bridging between"), ["community", "country"],
                      horizontal=True, key="co_broker_by",
                      format_func=lambda b: tr(f"by_{b}", BY_NAMES[b]))
        try:
            with st.spinner(tr("measuring", "Computing measures…")):
                df = fns[0](G, by=by)
        except CopkgError as exc:
            show_error(exc)
        else:
            st.dataframe(df.head(25).drop(columns=["node"], errors="ignore"),
                         hide_index=True, width="stretch")
            download_csv(df, f"copkg-brokers-{by}.csv", key="co_brokers_csv")

with tab_groups:
    fns = require("analysis", "detect_communities")
    if fns is not None:
        try:
            with st.spinner(tr("grouping", "Finding groups…")):
                groups = fns[0](G, seed=42)
        except CopkgError as exc:
            show_error(exc)
        else:
            st.caption(tr("groups_caption", "Groups of actors more tied to each other than to "
                          "the rest (community detection with a fixed seed): {n} groups.",
                          n=len(groups)))
            shown_groups = groups.copy()
            if "members" in shown_groups:
                shown_groups["members"] = shown_groups["members"].map(
                    lambda m: ", ".join(map(str, m)) if isinstance(m, list | tuple) else m)
            st.dataframe(shown_groups, hide_index=True, width="stretch")


@st.cache_data(show_spinner=False, max_entries=4)
def _coverage(_kg: object, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    coverage, gaps = core("analysis", "coverage"), core("analysis", "gaps")
    return coverage(_kg), gaps(_kg)


with tab_gaps:
    if require("analysis", "coverage", "gaps") is not None:
        try:
            with st.spinner(tr("coverage_wait", "Counting who takes part where…")):
                cov, gap = _coverage(kg, data_version(kg))
        except CopkgError as exc:
            show_error(exc)
        else:
            st.caption(tr("coverage_caption", "Platform members (rows) × communities "
                          "(columns): how many of their people take part. Red: absent; "
                          "orange: thin (few people, or no product and no event)."))
            if cov.empty:
                st.info(tr("no_coverage", "No memberships recorded yet."))
            else:
                people = cov.pivot_table(index="member_label", columns="community_label",
                                         values="people", aggfunc="sum", fill_value=0)
                status = cov.pivot_table(index="member_label", columns="community_label",
                                         values="status", aggfunc="first", fill_value="absent")
                styled = people.style.background_gradient(cmap="Blues", axis=None).apply(
                    lambda _: status.map(lambda s: GAP_STYLE.get(s, "")), axis=None)
                st.dataframe(styled, width="stretch")
            st.markdown(tr("gaps_head", "**Gaps**"))
            st.dataframe(gap, hide_index=True, width="stretch")
            download_csv(gap, "copkg-gaps.csv", key="co_gaps_csv")

with tab_intro:
    fns = require("analysis", "suggest_introductions")
    if fns is not None:
        if st.session_state.get("co_person") not in (None, *G.nodes):
            del st.session_state["co_person"]
        init_widget("co_person", person_from_url)
        person = st.selectbox(tr("intro_for", "Suggest introductions for"), node_options(G),
                              key="co_person", placeholder=tr("type_name", "Type a name…"),
                              format_func=lambda n: node_label(G, n))
        if person:
            try:
                intro = fns[0](G, person, k=10)
            except CopkgError as exc:
                show_error(exc)
            else:
                if intro.empty:
                    st.info(tr("no_intro", "No suggestion: they are already tied to everyone "
                               "close to them in this view."))
                else:
                    st.dataframe(intro.drop(columns=["node"], errors="ignore"),
                                 hide_index=True, width="stretch")

url.write(
    projection=name if name != "people" else None,
    **filter_params(choice),
    q=st.session_state.get("co_filter") or None,
    person=st.session_state.get("co_person"),
)
