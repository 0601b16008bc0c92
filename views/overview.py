"""Overview: what the graph holds, who the members are, how active the communities are."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import KnowledgeGraph
from graph.access import audit_log
from graph.access.audit import readable_log
from graph.cli.common import compact_iri
from graph.errors import CopkgError
from graph.ingest import last_imports
from graph.queries import get_query, run_saved
from graph.store.knowledge_graph import PROVENANCES
from graph.vocab import COP, FOAF, ORG, SKOS
from views.ui.access import audit_columns, can, require_action, users_file
from views.ui.cache import class_labels
from views.ui.charts import category_chart
from views.ui.lang import current_lang, label_of, tr
from views.ui.show import illustrative_banner, md, page_header, show_error
from views.ui.store import data_version, get_kg
from views.ui.tables import country_namer, number, show_table, sort_key, word
from views.ui.url import UrlState

KINDS = [
    (str(ORG.Organization), "organizations"),
    (str(FOAF.Person), "people"),
    (str(COP.CommunityOfPractice), "communities"),
    (str(COP.KnowledgeProduct), "products"),
    (str(COP.Event), "events"),
    (str(SKOS.Concept), "themes"),
]
require_action("browse")
page_header(tr("app.overview_title"), tr("app.overview_caption"))
url = UrlState()
kg = get_kg()
url.show_warnings()


@st.cache_data(show_spinner=False, max_entries=4)
def _counts(_kg: KnowledgeGraph, version: str) -> pd.DataFrame:
    return _kg.count_by_class()


@st.cache_data(show_spinner=False, max_entries=16)
def _saved(_kg: KnowledgeGraph, version: str, name: str, lang: str) -> pd.DataFrame:
    params = {"lang": lang} if any(p.name == "lang" for p in get_query(name).params) else {}
    return run_saved(_kg, name, params)


@st.cache_data(show_spinner=False, max_entries=4)
def _provenance_split(_kg: KnowledgeGraph, version: str) -> pd.DataFrame:
    split = _kg.count_by_kind()
    return split[split["kind"] != "theme"][["kind", *PROVENANCES]]


version = data_version(kg)
lang = current_lang()
try:
    with st.spinner(tr("app.counting")):
        counts = _counts(kg, version)
except CopkgError as exc:
    show_error(exc)
    st.stop()

if kg.is_empty():
    st.info(tr("app.store_empty"))
    st.stop()

by_class = dict(zip(counts["class"], counts["count"], strict=True)) if len(counts) else {}

split = None
try:
    split = _provenance_split(kg, version)
except CopkgError as exc:
    show_error(exc)
if split is not None:
    illustrative_banner(int(split["illustrative"].sum()),
                        int(split[list(PROVENANCES)].to_numpy().sum()))

cols = st.columns(len(KINDS))
for col, (iri, key) in zip(cols, KINDS, strict=True):
    col.metric(tr(f"app.count_{key}"), number(int(by_class.get(iri, 0))))

left, right = st.columns(2)
with left:
    st.subheader(tr("app.sourced_vs_illustrative"))
    if split is not None:
        long = split.melt(id_vars="kind", value_vars=list(PROVENANCES),
                          var_name="provenance", value_name="resources")
        long["kind_label"] = long["kind"].map(lambda k: tr(f"kind.{k}"))
        long["provenance_label"] = long["provenance"].map(lambda p: tr(f"col.{p}"))
        category_chart(long, category="kind_label", value="resources", series_id="provenance",
                       series_label="provenance_label", category_title=tr("col.kind"),
                       value_title=tr("col.resources"), series_title=tr("app.provenance"),
                       horizontal=True, height=260, legend_columns=1,
                       category_order=[tr(f"kind.{k}") for k in split["kind"]])
        st.caption(tr("app.split_caption"))
with right:
    st.subheader(tr("app.last_import"))
    try:
        imports = last_imports(kg)
    except CopkgError as exc:
        show_error(exc)
    else:
        if imports.empty:
            st.info(tr("app.no_imports"))
        else:
            show_table(imports, height=260)

if can("see_audit"):
    # Who imported, erased or changed users, and when (the audit names people: editors only).
    st.subheader(tr("access.audit_header"))
    try:
        audit = audit_log(kg, 8, users_file().path)
    except CopkgError as exc:
        show_error(exc)
    else:
        if audit.empty:
            st.info(tr("access.audit_empty"))
        else:
            audit = readable_log(audit, lang)
            show_table(audit.rename(columns=audit_columns()), headers=False)

st.header(tr("app.members_partners"))
members: pd.DataFrame | None = None
try:
    members = _saved(kg, version, "members_by_role_and_country", lang)
except CopkgError as exc:
    show_error(exc)
if members is not None and not members.empty:
    role = members["role_label"].fillna("").astype(str)
    # Countries by name in the reader's language, in the reader's order (chart and table).
    country_names = members["country"].fillna("?").map(country_namer())
    counted = (members.assign(country_name=country_names)
               .groupby(["country_name", "role", "role_label"], as_index=False)
               .size().rename(columns={"size": "organisations"}))
    category_chart(counted, category="country_name", value="organisations", series_id="role",
                   series_label="role_label", category_title=tr("col.country"),
                   value_title=tr("app.organisations"), series_title=tr("col.role_label"),
                   horizontal=True, height=40 + 26 * counted["country_name"].nunique(),
                   category_order=sorted(counted["country_name"].unique(), key=sort_key))
    table = pd.crosstab(country_names.rename("country"), role)
    table = table.loc[sorted(table.index, key=sort_key)]
    types = members["type"].fillna("?").map(word)
    by_type = pd.crosstab(types.rename("type"), role)
    c1, c2 = st.columns(2)
    with c1:
        st.caption(tr("app.by_country_role"))
        show_table(table, hide_index=False, headers=False)  # columns: role labels
    with c2:
        st.caption(tr("app.by_type_role"))
        show_table(by_type, hide_index=False, headers=False)
elif members is not None:
    st.info(tr("app.no_members"))

st.header(tr("app.communities_header"))
try:
    communities = _saved(kg, version, "community_overview", lang)
    activity = _saved(kg, version, "products_per_community_year", lang)
except CopkgError as exc:
    show_error(exc)
else:
    if communities.empty:
        st.info(tr("app.no_communities"))
    else:
        shown = communities.drop(columns=["community", "program"], errors="ignore")
        # The long names on two lines: every column fits a 1920 px screen (Events was cut).
        show_table(shown, wrap={"community_label": "large", "program_label": "medium"})
    if not activity.empty:
        st.subheader(tr("app.activity"))
        per_year = pd.DataFrame(
            activity.assign(community=activity["community"].fillna("").astype(str),
                            year=activity["year"].astype(int).astype(str))
            .groupby(["year", "community", "community_label"], as_index=False)["products"]
            .sum())
        category_chart(per_year, category="year", value="products", series_id="community",
                       series_label="community_label", category_title=tr("col.year"),
                       value_title=tr("col.products"), series_title=tr("col.community_label"),
                       mark="line", height=340)

with st.expander(tr("app.all_classes")):
    names = class_labels(kg)
    show_table(counts.assign(label=[label_of(names.get(c), str(compact_iri(c))) for c in
                                    counts["class"]],
                             **{"class": counts["class"].map(compact_iri)})
               [["label", "class", "count"]])
st.caption(tr("app.store_location", where=md(kg.location)))
url.write()
