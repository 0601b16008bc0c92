"""Who collaborates: rankings, brokers, detected groups, coverage gaps, suggested introductions."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from graph import KnowledgeGraph
from graph.analysis import (
    brokers,
    coverage,
    detect_communities,
    gaps,
    suggest_introductions,
)
from graph.errors import CopkgError
from views.ui.cache import measures_table
from views.ui.choice import ONE_MODE, filter_params
from views.ui.downloads import download_csv
from views.ui.lang import current_lang, tr
from views.ui.nodes import (
    count_illustrative,
    node_label,
    node_options,
    resolve_node,
    with_labels,
)
from views.ui.show import illustrative_banner, page_header, show_error
from views.ui.store import data_version, get_kg
from views.ui.tables import header, number, show_table
from views.ui.url import UrlState, init_widget
from views.ui.widgets import filter_widgets, pick_projection, projection_or_stop

GAP_STYLE = {"absent": "background-color: #d7301f; color: white",
             "thin": "background-color: #fdae61; color: black"}

page_header(tr("app.collab_title"), tr("app.collab_caption"))
url = UrlState()
kg = get_kg()
lang = current_lang()

name = pick_projection(url, "co_projection", ONE_MODE)
try:
    choice = filter_widgets(kg, url, "co")
except CopkgError as exc:
    show_error(exc, tr("app.projection_failed"))
    st.stop()
G = projection_or_stop(kg, url, name, choice)

person_from_url = resolve_node(G, url.raw("person"), url, "person")
init_widget("co_filter", url.text("q", "", max_len=200))
url.show_warnings()
illustrative_banner(count_illustrative(G), G.number_of_nodes())

tab_rank, tab_brokers, tab_groups, tab_gaps, tab_intro = st.tabs([
    tr("app.tab_rank"), tr("app.tab_brokers"), tr("app.tab_groups"),
    tr("app.tab_gaps"), tr("app.tab_intro"),
])

with tab_rank:
    try:
        with st.spinner(tr("app.measuring")):
            table = measures_table(kg, name, choice)
    except CopkgError as exc:
        show_error(exc, tr("app.measures_failed"))
    else:
        query = st.text_input(tr("app.filter_rows"), key="co_filter")
        shown = table
        if query:
            text = table[["label", "country", "type"]].astype(str).agg(" ".join, axis=1)
            shown = table[text.str.contains(query, case=False, regex=False)]
        st.caption(tr("app.rank_caption", shown=len(shown), n=len(table)))
        sample = table.attrs.get("sample")
        if sample:
            st.caption(tr("app.betweenness_sampled", n=sample, seed=table.attrs.get("seed", 42),
                          error=1 / math.sqrt(sample)))
        elif "betweenness" in table.attrs:
            st.caption(tr("app.betweenness_exact"))
        show_table(with_labels(shown, G).drop(columns=["node"], errors="ignore"), height=420)
        download_csv(shown, f"copkg-measures-{name}.csv", key="co_measures_csv")

with tab_brokers:
    by = st.radio(tr("app.bridge_by"), ["community", "country"],
                  horizontal=True, key="co_broker_by",
                  format_func=lambda b: tr(f"app.by_{b}"))
    try:
        with st.spinner(tr("app.measuring")):
            df = brokers(G, by=by, language=lang)
    except CopkgError as exc:
        show_error(exc)
    else:
        show_table(df.head(25).drop(columns=["node"], errors="ignore"))
        download_csv(df, f"copkg-brokers-{by}.csv", key="co_brokers_csv")

with tab_groups:
    try:
        with st.spinner(tr("app.grouping")):
            groups = detect_communities(G, seed=42, language=lang)
    except CopkgError as exc:
        show_error(exc)
    else:
        st.caption(tr("app.groups_caption", n=len(groups)))
        show_table(groups.drop(columns=["nodes"], errors="ignore"))


@st.cache_data(show_spinner=False, max_entries=4)
def _coverage(_kg: KnowledgeGraph, version: str, lang: str
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    return coverage(_kg, language=lang), gaps(_kg, language=lang)


with tab_gaps:
    try:
        with st.spinner(tr("app.coverage_wait")):
            cov, gap = _coverage(kg, data_version(kg), lang)
    except CopkgError as exc:
        show_error(exc)
    else:
        st.caption(tr("app.coverage_caption"))
        if cov.empty:
            st.info(tr("app.no_coverage"))
        else:
            people = cov.pivot_table(index="member_label", columns="community_label",
                                     values="people", aggfunc="sum", fill_value=0)
            status = cov.pivot_table(index="member_label", columns="community_label",
                                     values="status", aggfunc="first", fill_value="absent")
            people.index.name = header("member_label")
            people.columns.name = None
            styled = people.style.background_gradient(cmap="Blues", axis=None).apply(
                lambda _: status.map(lambda s: GAP_STYLE.get(s, "")), axis=None).format(
                lambda v: number(float(v)) if isinstance(v, int | float) else str(v))
            st.dataframe(styled, width="stretch")
        st.markdown(tr("app.gaps_head"))
        show_table(gap.drop(columns=["member", "community"], errors="ignore"))
        download_csv(gap, "copkg-gaps.csv", key="co_gaps_csv")

with tab_intro:
    if st.session_state.get("co_person") not in (None, *G.nodes):
        del st.session_state["co_person"]
    init_widget("co_person", person_from_url)
    person = st.selectbox(tr("app.intro_for"), node_options(G),
                          key="co_person", placeholder=tr("app.type_name"),
                          format_func=lambda n: node_label(G, n))
    if person:
        try:
            intro = suggest_introductions(G, person, k=10, language=lang)
        except CopkgError as exc:
            show_error(exc)
        else:
            if intro.empty:
                st.info(tr("app.no_intro"))
            else:
                show_table(intro.drop(columns=["node"], errors="ignore"))

url.write(
    projection=name if name != "people" else None,
    **filter_params(choice),
    q=st.session_state.get("co_filter") or None,
    person=st.session_state.get("co_person"),
)
