"""Overview: what the graph holds, who the members are, how active the communities are."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph.errors import CopkgError
from graph.vocab import COP, FOAF, ORG, SKOS
from views._common import (
    UrlState,
    core,
    current_lang,
    data_version,
    get_kg,
    illustrative_banner,
    md,
    page_header,
    show_error,
    tr,
)

KINDS = [
    (str(ORG.Organization), "organizations", "Organisations"),
    (str(FOAF.Person), "people", "People"),
    (str(COP.CommunityOfPractice), "communities", "Communities of practice"),
    (str(COP.KnowledgeProduct), "products", "Knowledge products"),
    (str(COP.Event), "events", "Events"),
    (str(SKOS.Concept), "themes", "Themes"),
]
page_header(tr("overview_title", "Overview"),
            tr("overview_caption", "What the knowledge graph holds: members and partners, "
               "communities of practice and their activity, and where the data comes from."))
url = UrlState()
kg = get_kg()
url.show_warnings()


@st.cache_data(show_spinner=False, max_entries=4)
def _counts(_kg: object, version: str) -> pd.DataFrame:
    return _kg.count_by_class()  # type: ignore[attr-defined]


@st.cache_data(show_spinner=False, max_entries=16)
def _saved(_kg: object, version: str, name: str, lang: str) -> pd.DataFrame:
    run_saved, get_query = core("queries", "run_saved"), core("queries", "get_query")
    params = {"lang": lang} if any(p.name == "lang" for p in get_query(name).params) else {}
    return run_saved(_kg, name, params)


@st.cache_data(show_spinner=False, max_entries=4)
def _provenance_split(_kg: object, version: str) -> pd.DataFrame:
    split = _kg.count_by_kind()  # type: ignore[attr-defined]
    return split[split["kind"] != "theme"][["kind", "sourced", "illustrative"]]


version = data_version(kg)
lang = current_lang()
try:
    with st.spinner(tr("counting", "Counting…")):
        counts = _counts(kg, version)
except CopkgError as exc:
    show_error(exc)
    st.stop()

if kg.is_empty():
    st.info(tr("store_empty", "The knowledge graph is empty: nothing but the ontology is stored. "
               "Import spreadsheets on the Data page (templates are there too)."))
    st.stop()

by_class = dict(zip(counts["class"], counts["count"], strict=True)) if len(counts) else {}

split = None
try:
    split = _provenance_split(kg, version)
except CopkgError as exc:
    show_error(exc)
if split is not None:
    illustrative_banner(int(split["illustrative"].sum()),
                        int(split["illustrative"].sum() + split["sourced"].sum()))

cols = st.columns(len(KINDS))
for col, (iri, key, default) in zip(cols, KINDS, strict=True):
    col.metric(tr(f"count_{key}", default), f"{int(by_class.get(iri, 0)):,}")

left, right = st.columns(2)
with left:
    st.subheader(tr("sourced_vs_illustrative", "Sourced facts and illustrative examples"))
    if split is None:
        st.info(tr("split_unavailable", "Needs graph.network, not available yet."))
    else:
        st.bar_chart(split.set_index("kind"), stack=True, horizontal=True, height=260)
        st.caption(tr("split_caption", "Sourced: from the CMI interview (data/cmi.ttl). "
                      "Illustrative: fictional examples flagged cop:illustrative."))
with right:
    st.subheader(tr("last_import", "Last imports"))
    last_imports = core("ingest", "last_imports")
    if last_imports is None:
        st.info(tr("imports_unavailable", "Needs graph.ingest.last_imports, not available yet."))
    else:
        try:
            imports = last_imports(kg)
        except CopkgError as exc:
            show_error(exc)
        else:
            if imports.empty:
                st.info(tr("no_imports", "No import recorded."))
            else:
                st.dataframe(imports, hide_index=True, width="stretch", height=260)

st.header(tr("members_partners", "Members and partners"))
if core("queries", "run_saved") is None:
    st.info(tr("queries_unavailable", "Needs graph.queries, not available yet."))
else:
    try:
        members = _saved(kg, version, "members_by_role_and_country", lang)
    except CopkgError as exc:
        show_error(exc)
        members = None
    if members is not None and not members.empty:
        role = members["role_label"].fillna("").astype(str)
        table = pd.crosstab(members["country"].fillna("?"), role)
        st.bar_chart(table, height=320, x_label=tr("country", "Country"),
                     y_label=tr("organisations", "Organisations"))
        by_type = pd.crosstab(members["type"].fillna("?"), role)
        c1, c2 = st.columns(2)
        with c1:
            st.caption(tr("by_country_role", "By country and role"))
            st.dataframe(table, width="stretch")
        with c2:
            st.caption(tr("by_type_role", "By type and role"))
            st.dataframe(by_type, width="stretch")
    elif members is not None:
        st.info(tr("no_members", "No platform membership recorded."))

    st.header(tr("communities_header", "Communities of practice"))
    try:
        communities = _saved(kg, version, "community_overview", lang)
        activity = _saved(kg, version, "products_per_community_year", lang)
    except CopkgError as exc:
        show_error(exc)
    else:
        if communities.empty:
            st.info(tr("no_communities", "No community of practice recorded."))
        else:
            shown = communities.drop(columns=["community"], errors="ignore")
            st.dataframe(shown, hide_index=True, width="stretch")
        if not activity.empty:
            st.subheader(tr("activity", "Knowledge products per year"))
            per_year = activity.pivot_table(index="year", columns="community_label",
                                            values="products", aggfunc="sum", fill_value=0)
            per_year.index = per_year.index.astype(str)
            st.line_chart(per_year, height=320, x_label=tr("year", "Year"),
                          y_label=tr("products", "Products"))

with st.expander(tr("all_classes", "Every class, with its number of resources")):
    st.dataframe(counts, hide_index=True, width="stretch")
st.caption(tr("store_location", "Store: {where}", where=md(kg.location)))
url.write()
