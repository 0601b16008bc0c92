"""Evolution: how the network grew year by year, how far it crosses borders, and where it sits
on the map of the region (with a year slider inside the offline map)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graph import KnowledgeGraph
from graph.analysis import Evolution, evolution
from graph.analysis.evolution import DEFINITION_KEYS
from graph.analysis.trends import WINDOWS
from graph.errors import CopkgError
from graph.maps.geo import country_label, geo_map_html, geo_scripts, with_years
from graph.maps.html import map_view, render_page
from views.ui.access import require_action
from views.ui.charts import category_chart
from views.ui.choice import ONE_MODE, FilterChoice, filter_params
from views.ui.downloads import download_csv, download_json
from views.ui.lang import current_lang, tr
from views.ui.maps import map_data_date, map_source_note, show_map
from views.ui.show import page_header, show_error
from views.ui.store import data_version, get_kg
from views.ui.tables import number, show_table
from views.ui.url import UrlState, init_widget
from views.ui.widgets import filter_widgets, pick_projection

LAYOUTS = ("geo", "network")
MATRIX_CELLS = ("ties", "shared_products", "shared_events")
SERIES = {  # chart → trend columns drawn in it
    "activity": ("people", "organizations", "countries", "products", "events"),
    "modes": ("events_videoconference", "events_face_to_face"),
    "network": ("new_ties", "actors"),
    "structure": ("density", "largest_component_share"),
    "integration": ("cross_border_share", "new_cross_border_share", "north_south_share",
                    "south_south_share", "north_north_share"),
}


@st.cache_resource(show_spinner=False, max_entries=8)
def _evolution(_kg: KnowledgeGraph, version: str, name: str, choice: FilterChoice,
               window: str) -> Evolution:
    return evolution(_kg, name, choice.to_filters(), window=window, top=3)


@st.cache_data(show_spinner=False, max_entries=16)
def _map(_ev: Evolution, key: tuple[object, ...], layout: str, lang: str, title: str,
         source: str | None, data_date: str | None) -> str:
    G = _ev.graph
    if layout == "geo":
        return geo_map_html(G, title=title, language=lang, source_note=source,
                            data_date=data_date)
    view = map_view(with_years(G), title=title, language=lang, color_by="country",
                    source_note=source, data_date=data_date, max_nodes=300, links="backbone")
    return render_page([view.data], title=title, language=lang, extra_js=geo_scripts())


def _headers(df: pd.DataFrame) -> dict[str, str | None]:
    """Column headers in the reader's language (the data keeps its names, as in CSV)."""
    return {str(c): tr(f"evolution.col_{c}") for c in df.columns}


require_action("browse")
page_header(tr("evolution.title"), tr("evolution.caption"))
url = UrlState()
kg = get_kg()
name = pick_projection(url, "ev_projection", ONE_MODE)
try:
    choice = filter_widgets(kg, url, "ev")
except CopkgError as exc:
    show_error(exc, tr("app.filters_failed"))
    st.stop()
init_widget("ev_window", url.choice("window", list(WINDOWS), "cumulative"))
init_widget("ev_layout", url.choice("layout", list(LAYOUTS), "geo"))
with st.sidebar:
    st.radio(tr("evolution.window"), list(WINDOWS), key="ev_window",
             format_func=lambda w: tr(f"evolution.window_{w}"))
window = str(st.session_state["ev_window"])
url.show_warnings()

try:
    with st.spinner(tr("app.building")):
        ev = _evolution(kg, data_version(kg), name, choice, window)
except CopkgError as exc:
    show_error(exc, tr("app.projection_failed"))
    st.stop()
table = ev.trends
if table.empty:
    st.info(tr("evolution.empty"))
    url.write(projection=name, window=window, **filter_params(choice))
    st.stop()

south = ", ".join(sorted(ev.regions.south)) or "—"
if ev.illustrative:
    st.warning(tr("evolution.illustrative"), icon="ℹ️")
if ev.program_start is not None:
    st.caption(tr("evolution.program_start", year=ev.program_start))

# ------------------------------------------------------------------------------- the series
lang = current_lang()
by_year = table.set_index("year")
for chart, columns in SERIES.items():
    st.subheader(tr(f"evolution.chart_{chart}"))
    # Long form, one colour per column id (the same in every language), years as labels.
    data = by_year[list(columns)].reset_index().melt(id_vars="year", var_name="series",
                                                     value_name="value")
    data["year"] = data["year"].map(str)
    data["series_label"] = data["series"].map(lambda c: tr(f"evolution.col_{c}"))
    category_chart(data, category="year", value="value", series_id="series",
                   series_label="series_label", category_title=tr("col.year"),
                   value_title=tr(f"evolution.chart_{chart}"), series_title="",
                   mark="bar" if chart == "network" else "line", stack=False, height=300,
                   key=f"ev_chart_{chart}")
    if ev.illustrative:  # said on every chart, not only once on the page
        st.caption(tr("evolution.chart_illustrative"))

with st.expander(tr("evolution.definitions")):
    for key in DEFINITION_KEYS["trends"]:
        st.markdown(tr(key, south=south))
    undated = int(table.attrs.get("undated_ties") or 0)
    if undated:
        st.markdown(tr("evolution.undated", n=undated))

st.subheader(tr("evolution.table"))
show_table(table, headers=False, column_config=_headers(table))
download_csv(table, f"copkg-trends-{name}.csv", key="ev_trends_csv")
download_json(table, f"copkg-trends-{name}.json", key="ev_trends_json")

# ------------------------------------------------------------------------------- integration
st.header(tr("evolution.integration"))
names = {code: country_label(ev.graph, code, lang)
         for code in sorted(set(ev.matrix["country_a"]) | set(ev.matrix["country_b"]))}
mirror = ev.matrix[ev.matrix["country_a"] != ev.matrix["country_b"]].rename(
    columns={"country_a": "country_b", "country_b": "country_a"})
st.subheader(tr("evolution.matrix"))
st.caption(tr("evolution.def_matrix"))
cell = st.radio(tr("evolution.matrix_cells"), list(MATRIX_CELLS), horizontal=True,
                key="ev_cells", format_func=lambda c: tr(f"evolution.col_{c}"))
heat = pd.concat([ev.matrix, mirror]).pivot_table(
    index="country_a", columns="country_b", values=cell, aggfunc="sum", fill_value=0)
heat = heat.rename(index=names, columns=names).rename_axis(index=None, columns=None)
show_table(heat.style.background_gradient(cmap="Oranges", axis=None).format(number),
           hide_index=False)
if ev.illustrative:
    st.caption(tr("evolution.chart_illustrative"))
download_csv(ev.matrix, f"copkg-country-matrix-{name}.csv", key="ev_matrix_csv")

st.subheader(tr("evolution.regions"))
st.caption(tr("evolution.def_regions", south=south))
regions = ev.regions_table.assign(pair=lambda d: d["pair"].map(
    lambda p: tr(f"evolution.pair_{p.replace('-', '_')}")))
show_table(regions, headers=False, column_config=_headers(regions))

st.subheader(tr("evolution.learning"))
st.caption(tr("evolution.def_learning"))
# Countries by name in the reader's language (the download keeps the ISO codes).
learning = ev.learning.assign(
    country=lambda d: d["country"].map(lambda c: country_label(ev.graph, c, lang)),
    learns_from=lambda d: d["learns_from"].map(lambda c: country_label(ev.graph, c, lang)))
show_table(learning, headers=False, column_config=_headers(learning))
download_csv(ev.learning, f"copkg-learns-from-{name}.csv", key="ev_learning_csv")

# ------------------------------------------------------------------------------- the map
st.header(tr("evolution.map"))
st.radio(tr("evolution.layout"), list(LAYOUTS), key="ev_layout", horizontal=True,
         format_func=lambda lay: tr(f"evolution.layout_{lay}"))
layout = str(st.session_state["ev_layout"])
st.caption(tr("evolution.map_help"))
title = tr(f"projection.{name}")
try:
    with st.spinner(tr("app.drawing")):
        html = _map(ev, (data_version(kg), name, choice, window), layout, lang, title,
                    map_source_note(), map_data_date())
except CopkgError as exc:
    show_error(exc, tr("app.map_failed"))
else:
    show_map(html, height=760, file_name=f"copkg-evolution-{name}-{layout}.html",
             key="ev_map_download")

url.write(projection=name, window=window if window != "cumulative" else None,
          layout=layout if layout != "geo" else None, **filter_params(choice))
