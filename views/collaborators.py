"""Who collaborates: rankings, brokers, detected groups, coverage gaps, suggested introductions."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from graph import KnowledgeGraph
from graph.analysis import (
    RANKABLE,
    brokers,
    coverage,
    detect_communities,
    gaps,
    rank_order,
    readable_groups,
    readable_ranking,
    suggest_for_team,
    suggest_introductions,
)
from graph.analysis.coverage import definition as coverage_definition
from graph.countries import members_of
from graph.errors import CopkgError
from graph.network.cache import incidence
from views.ui.access import require_action
from views.ui.cache import measures_table
from views.ui.choice import ONE_MODE, filter_params
from views.ui.downloads import download_csv
from views.ui.lang import current_lang, label_of, tr
from views.ui.nodes import count_illustrative, node_label, node_options, resolve_node
from views.ui.show import illustrative_banner, page_header, show_error
from views.ui.store import data_version, get_kg
from views.ui.tables import number, show_table
from views.ui.url import UrlState, init_widget
from views.ui.widgets import filter_widgets, pick_projection, projection_or_stop

GAP_STYLE = {"absent": "background-color: #d7301f; color: white",
             "thin": "background-color: #fdae61; color: black"}

require_action("browse")
page_header(tr("app.collab_title"),
            tr("app.collab_caption"))
url = UrlState()
kg = get_kg()

name = pick_projection(url, "co_projection", ONE_MODE)
try:
    choice = filter_widgets(kg, url, "co")
except CopkgError as exc:
    show_error(exc, tr("app.projection_failed"))
    st.stop()
G = projection_or_stop(kg, url, name, choice)

person_from_url = resolve_node(G, url.raw("person"), url, "person",
                                 tr("app.intro_for"))
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
        lang = current_lang()
        init_widget("co_sort", url.choice("sort", list(RANKABLE), "betweenness"))
        left, right = st.columns([1, 2])
        sort_by = left.selectbox(tr("rank.sort_by"), list(RANKABLE), key="co_sort",
                                 format_func=lambda m: tr(f"measure.{m}"))
        query = right.text_input(tr("app.filter_rows"), key="co_filter")
        shown = table
        if query:
            text = table[["label", "country", "type"]].astype(str).agg(" ".join, axis=1)
            shown = table[text.str.contains(query, case=False, regex=False)]
        names = {n: node_label(G, n) for n in shown["node"]}
        readable, helps = readable_ranking(shown, str(sort_by), language=lang, names=names,
                                           countries=members_of(G))
        st.caption(tr("app.rank_caption", shown=len(shown), n=len(table)))
        st.caption(f"**{tr(f'measure.{sort_by}')}**: {helps[tr(f'measure.{sort_by}')]}")
        sample = table.attrs.get("sample")
        if sample:
            st.caption(tr("app.betweenness_sampled", n=sample, seed=table.attrs.get("seed", 42),
                          error=1 / math.sqrt(sample)))
        elif "betweenness" in table.attrs:
            st.caption(tr("app.betweenness_exact"))
        config = {column: st.column_config.Column(column, help=text)
                  for column, text in helps.items()}
        show_table(readable, headers=False, height=420, column_config=config)
        # The file keeps machine names and full precision (rounding is for the screen only).
        download_csv(rank_order(shown, str(sort_by)), f"copkg-measures-{name}.csv",
                     key="co_measures_csv")

with tab_brokers:
    by = st.radio(tr("app.bridge_by"), ["community", "country"],
                  horizontal=True, key="co_broker_by",
                  format_func=lambda b: tr(f"app.by_{b}"))
    try:
        with st.spinner(tr("app.measuring")):
            df = brokers(G, by=by, language=current_lang())
    except CopkgError as exc:
        show_error(exc)
    else:
        show_table(df.head(25).drop(columns=["node"], errors="ignore"))
        download_csv(df, f"copkg-brokers-{by}.csv", key="co_brokers_csv")

with tab_groups:
    try:
        with st.spinner(tr("app.grouping")):
            groups = detect_communities(G, seed=42, language=current_lang())
    except CopkgError as exc:
        show_error(exc)
    else:
        real = int((groups["size"] > 1).sum())
        st.caption(tr("app.groups_caption", n=real))
        st.caption(tr("measure_help.community"))
        show_table(readable_groups(groups, language=current_lang()), headers=False)


@st.cache_data(show_spinner=False, max_entries=4)
def _coverage(_kg: KnowledgeGraph, version: str, lang: str
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    return coverage(_kg, language=lang), gaps(_kg, language=lang)


with tab_gaps:
    try:
        with st.spinner(tr("app.coverage_wait")):
            cov, gap = _coverage(kg, data_version(kg), current_lang())
    except CopkgError as exc:
        show_error(exc)
    else:
        st.caption(coverage_definition(current_lang()))
        if cov.empty:
            st.info(tr("app.no_coverage"))
        else:
            people = cov.pivot_table(index="member_label", columns="community_label",
                                     values="people", aggfunc="sum", fill_value=0)
            status = cov.pivot_table(index="member_label", columns="community_label",
                                     values="status", aggfunc="first", fill_value="absent")
            itself = cov.pivot_table(index="member_label", columns="community_label",
                                     values="member_itself", aggfunc="max", fill_value=False)
            people.index.name = itself.index.name = tr("app.coverage_member")
            people.columns.name = itself.columns.name = None
            st.markdown(tr("app.coverage_people"))
            styled = people.style.background_gradient(cmap="Blues", axis=None).apply(
                lambda _: status.map(lambda s: GAP_STYLE.get(s, "")), axis=None).format(number)
            show_table(styled, hide_index=False)
            st.markdown(tr("app.coverage_itself"))
            show_table(itself.map(lambda v: "✓" if v else "—"), hide_index=False, headers=False)
        st.markdown(tr("app.gaps_head"))
        show_table(gap.drop(columns=["member", "community"], errors="ignore"))
        download_csv(gap, "copkg-gaps.csv", key="co_gaps_csv")

with tab_intro:
    lang = current_lang()
    if st.session_state.get("co_person") not in (None, *G.nodes):
        del st.session_state["co_person"]
    init_widget("co_person", person_from_url)
    person = st.selectbox(tr("app.intro_for"), node_options(G),
                          key="co_person", placeholder=tr("app.type_name"),
                          format_func=lambda n: node_label(G, n))
    data = incidence(kg)
    orgs = sorted((o for o in data.organizations if any(
        o in a for a in data.affiliations.values())), key=lambda o: data.label(o).casefold())
    team_org = st.selectbox(tr("app.intro_team"), orgs, index=None, key="co_team",
                            placeholder=tr("app.type_name"),
                            format_func=lambda o: label_of(data.labels.get(o), data.label(o)))
    intro = None
    try:
        if team_org:
            team = [p for p, a in data.affiliations.items() if team_org in a and p in G]
            intro = suggest_for_team(G, team, k=10, language=lang)
        elif person:
            intro = suggest_introductions(G, person, k=10, language=lang)
    except CopkgError as exc:
        show_error(exc)
    if intro is not None:
        st.caption(str(intro.attrs.get("definition", "")))
        if intro.empty:
            st.info(str(intro.attrs.get("empty_reason") or tr("app.no_intro")))
        else:
            names = {"label": tr("rank.name"), "reason": tr("app.intro_reason"),
                     "introduce_to": tr("app.intro_to"), "score": tr("app.intro_score"),
                     "ties": tr("app.intro_ties"), "country": tr("rank.country")}
            shown_intro = intro[[c for c in names if c in intro.columns]].rename(columns=names)
            show_table(shown_intro, headers=False)

url.write(
    projection=name if name != "people" else None,
    **filter_params(choice),
    q=st.session_state.get("co_filter") or None,
    sort=st.session_state.get("co_sort") if st.session_state.get("co_sort") != "betweenness"
    else None,
    person=st.session_state.get("co_person"),
)
