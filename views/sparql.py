"""SPARQL: saved, parameterised queries as forms, and a read-only, time-limited console."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from graph import i18n
from graph.access import viewer_graph
from graph.config import QUERY_ROW_CAP, QUERY_TIME_LIMIT_S
from graph.errors import CopkgError, QueryTimeout
from graph.network import pairs_graph
from graph.queries import list_queries, run_saved, run_user_query
from graph.vocab import sparql_prologue
from views.ui.access import can, require_action
from views.ui.downloads import download_csv, download_json
from views.ui.lang import current_lang, tr
from views.ui.maps import draw_map
from views.ui.show import md, page_header, show_error
from views.ui.store import get_kg
from views.ui.tables import show_table
from views.ui.url import UrlState, init_widget

EXAMPLE = """SELECT ?person ?name ?organization WHERE {
  ?person a foaf:Person ;
          foaf:name ?name ;
          org:memberOf ?organization .
}
ORDER BY ?name
LIMIT 20
"""
MODES = ("saved", "console")

require_action("query")
page_header(tr("app.nav_sparql"), tr("app.sparql_caption"))
url = UrlState()
kg = get_kg()

saved = {q.name: q for q in list_queries()}
wanted_query = url.text("query", "", max_len=20000)
default_mode = "console" if wanted_query else "saved"
init_widget("sq_mode", url.choice("mode", MODES, default_mode))
init_widget("sq_name", url.choice("q", list(saved), next(iter(saved), None)))
mode = st.radio(tr("app.sparql_mode"), MODES, key="sq_mode", horizontal=True,
                format_func=lambda m: {"saved": tr("app.saved_queries"),
                                       "console": tr("app.console")}[m])

with st.expander(tr("app.prefixes")):
    st.code(sparql_prologue(), language="sparql")


def _show_table(df: pd.DataFrame, stem: str) -> None:
    show_table(df)
    c1, c2 = st.columns(2)
    with c1:
        download_csv(df, f"{stem}.csv", key=f"{stem}_csv")
    with c2:
        download_json(df, f"{stem}.json", key=f"{stem}_json")
    _graph_view(df, stem)


def _graph_view(df: pd.DataFrame, stem: str) -> None:
    """When a result is a list of pairs of IRIs, also draw it as a network."""
    iri_cols = [c for c in df.columns
                if len(df) and df[c].map(lambda v: isinstance(v, str)
                                         and v.startswith(("http://", "https://"))).all()]
    if len(iri_cols) != 2 or len(df.columns) < 2:
        return
    with st.expander(tr("app.as_network")):
        G = pairs_graph(df, iri_cols[0], iri_cols[1])
        draw_map(G, ("pairs", stem, int(pd.util.hash_pandas_object(df).sum())), title=stem,
                 file_name=f"{stem}.html", height=480, download_key=f"{stem}_map")


# --------------------------------------------------------------------------------- saved
def _widget_for(qname: str, p: Any, from_url: str | None) -> tuple[str, Any]:
    """A typed form field for parameter ``p``; returns (key, kind of value)."""
    key = f"sq_{qname}_{p.name}"
    optional = p.default == "*"
    initial: Any
    text = from_url if from_url is not None else (
        current_lang() if p.name == "lang" and p.type == "string" else p.default)
    if from_url is not None:
        try:
            p.convert(from_url)
        except CopkgError as exc:
            url.warn(f"p.{p.name}", from_url, str(exc).split(". Expected")[0],
                     p.default if p.default != "*" else tr("app.any"))
            text = p.default
    name = tr(f"param.{p.name}") if i18n.has(f"param.{p.name}") else p.name
    label = f"{name} ({tr(f'param_type.{p.type}')})"
    help_text = p.description_in(qname, current_lang()) or None
    if p.type in ("integer", "year"):
        initial = None if text == "*" else int(text)
        init_widget(key, initial)
        st.number_input(label, value=None, step=1, key=key,
                        help=help_text, placeholder=tr("app.any"),
                        min_value=1000 if p.type == "year" else None,
                        max_value=9999 if p.type == "year" else None)
    elif p.type == "decimal":
        initial = None if text == "*" else float(text)
        init_widget(key, initial)
        st.number_input(label, value=None, key=key, help=help_text,
                        placeholder=tr("app.any"))
    elif p.type == "date":
        initial = None if text == "*" else date.fromisoformat(text)
        init_widget(key, initial)
        st.date_input(label, value=None, key=key, help=help_text)
    elif p.type == "boolean":
        choices = ["*", "true", "false"] if optional else ["true", "false"]
        init_widget(key, text.lower() if text.lower() in choices else choices[0])
        st.selectbox(label, choices, key=key, help=help_text,
                     format_func=lambda v: tr({"*": "app.any", "true": "app.yes",
                                               "false": "app.no"}[v]))
    else:
        init_widget(key, text)
        st.text_input(label, key=key, help=help_text)
    return key, p.type


def _as_text(value: Any) -> str:
    if value is None or value == "":
        return "*"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


if mode == "saved":
    if not saved:
        st.info(tr("app.no_saved"))
        url.show_warnings()
        url.write(mode=None)
        st.stop()
    qname = st.selectbox(tr("app.saved_query"), list(saved), key="sq_name",
                         format_func=lambda n: saved[n].title_in(current_lang()))
    query = saved[qname]
    st.caption(md(query.description_in(current_lang())))
    keys: dict[str, str] = {}
    with st.form(f"sq_form_{qname}"):
        for p in query.params:
            keys[p.name], _ = _widget_for(qname, p, url.raw(f"p.{p.name}"))
        st.form_submit_button(tr("app.run"), type="primary")
    url.show_warnings()
    values = {name: _as_text(st.session_state.get(key)) for name, key in keys.items()}
    with st.expander(tr("app.show_sparql")):
        st.code(query.text, language="sparql")
    try:
        with st.spinner(tr("app.running")):
            result = run_saved(kg, qname, values, language=current_lang())
    except CopkgError as exc:
        show_error(exc, tr("app.query_failed"))
    else:
        st.caption(tr("app.rows", n=len(result)))
        if result.empty:  # why: no data yet, nothing for the resource named, values too narrow
            st.info(md(result.attrs.get("empty_reason", "")))
        else:
            _show_table(result, qname)
    defaults = {p.name: (current_lang() if p.name == "lang" and p.type == "string"
                         else p.default) for p in query.params}
    url.write(q=qname, **{f"p.{n}": v for n, v in values.items() if v != defaults.get(n)})
    st.stop()


# --------------------------------------------------------------------------------- console
init_widget("sq_text", wanted_query or EXAMPLE)
text = st.text_area(tr("app.your_query"),
                    key="sq_text", height=260)
st.caption(tr("app.limits",
              s=QUERY_TIME_LIMIT_S, rows=QUERY_ROW_CAP))
if not can("see_personal"):
    st.caption(tr("access.console_view"))
clicked = st.button(tr("app.run"), type="primary", key="sq_run")
url.show_warnings()
# A query that came in a link is shown, never run, until the reader presses Run: a link in an
# e-mail must not make the reader's app run a query they have not read.
if clicked:
    st.session_state["sq_ran"] = text
elif wanted_query and st.session_state.get("sq_ran") != text:
    st.info(tr("app.query_from_link"))

if st.session_state.get("sq_ran") == text and text.strip():
    try:
        with st.spinner(tr("app.running")):
            # Viewers' own queries run on a copy of the graph without personal data: whatever
            # the query says (?p, property paths, GRAPH, FROM), it cannot reach what is not there.
            target = kg if can("see_personal") else viewer_graph(kg)
            answer = run_user_query(target, text, time_limit_s=QUERY_TIME_LIMIT_S,
                                    row_cap=QUERY_ROW_CAP)
    except QueryTimeout as exc:
        show_error(exc)
    except CopkgError as exc:
        st.error(md(exc))
        where = re.search(r"line (\d+)(?:, column (\d+))?", str(exc))
        lines = text.splitlines()
        if where and 1 <= int(where.group(1)) <= len(lines):
            number = int(where.group(1))
            pointer = ""
            if where.group(2):
                pointer = "\n" + " " * (len(str(number)) + 2 + max(int(where.group(2)) - 1, 0))
                pointer += "^"
            st.code(f"{number}: {lines[number - 1]}{pointer}", language=None)
    else:
        st.caption(tr("app.elapsed", form=answer.form, s=answer.elapsed_s))
        if answer.truncated:
            st.warning(md(answer.note) if answer.note else tr(
                "app.truncated", rows=QUERY_ROW_CAP))
        if answer.form == "SELECT" and answer.table is not None:
            st.caption(tr("app.rows", n=len(answer.table)))
            _show_table(answer.table, "copkg-query")
        elif answer.form == "ASK":
            st.metric(tr("app.answer"), str(answer.boolean).lower())
        else:
            st.code(answer.triples_turtle or "", language="turtle")
            st.download_button(tr("app.download_ttl"),
                               (answer.triples_turtle or "").encode("utf-8"),
                               file_name="copkg-query.ttl", mime="text/turtle",
                               on_click="ignore")

url.write(mode="console", query=text if text != EXAMPLE else None)
