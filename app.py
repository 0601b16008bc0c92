"""copkg explorer: the Streamlit router. Pages live in ``views/``; they call ``graph/`` only.

Run with ``streamlit run app.py`` (the store is ``$COPKG_STORE`` or the user data folder,
``$COPKG_ENDPOINT`` replaces it with a SPARQL endpoint, ``COPKG_READ_ONLY=1`` opens it read-only).
"""

from __future__ import annotations

import streamlit as st

from graph.i18n import is_rtl
from views.ui.lang import LANG_NAMES, LANGS, tr
from views.ui.show import md

st.set_page_config(page_title="copkg", page_icon=":material/hub:", layout="wide")

# The language comes from the URL once (?lang=fr), then from the picker; it outlives page changes.
if "lang" not in st.session_state:
    wanted = st.query_params.get("lang") or "en"
    if wanted not in LANGS:
        st.warning(f"The link's `lang` value “{md(wanted[:20])}” is not one of "
                   f"{', '.join(LANGS)}; showing English.")
        wanted = "en"
    st.session_state["lang"] = wanted
if "lang_pick" not in st.session_state:
    st.session_state["lang_pick"] = st.session_state["lang"]


def _set_lang() -> None:
    st.session_state["lang"] = st.session_state["lang_pick"]


RTL_CSS = """<style>
.stMain, [data-testid='stSidebarUserContent'], [data-testid='stSidebarNav']
{direction: rtl; text-align: right;}
.stMain [data-testid='stHeading'], .stMain [data-testid='stHeading'] *,
.stMain [data-testid='stMarkdownContainer'], .stMain [data-testid='stCaptionContainer'],
.stMain [data-testid='stMetric'], .stMain [data-testid='stMetric'] * {text-align: start;}
.stMain ul, .stMain ol {padding-inline-start: 1.5em; padding-inline-end: 0;}
.stMain [data-testid='stDataFrame'], .stMain iframe, .stMain pre,
.stMain [data-testid='stVegaLiteChart'], .stMain .stVegaLiteChart, .stMain .vega-embed
{direction: ltr; text-align: left;}
</style>"""

PAGES = [  # (file in views/, key, title, icon)
    ("overview.py", "overview", tr("app.nav_overview"), ":material/dashboard:"),
    ("network_map.py", "map", tr("app.nav_map"), ":material/hub:"),
    ("collaborators.py", "collaborators", tr("app.nav_collaborators"),
     ":material/groups:"),
    ("connection.py", "connection", tr("app.nav_connection"),
     ":material/route:"),
    ("present.py", "present", tr("app.nav_present"), ":material/slideshow:"),
    ("sparql.py", "sparql", tr("app.nav_sparql"), ":material/terminal:"),
    ("data.py", "data", tr("app.nav_data"), ":material/upload_file:"),
]

pages = [
    # URL paths are the file names (/network_map, /sparql, ...), so links and tests agree.
    st.Page(f"views/{file}", title=title, icon=icon, default=(url == "overview"))
    for file, url, title, icon in PAGES
]
nav = st.navigation(pages)

with st.sidebar:
    st.selectbox(tr("app.language"), LANGS, key="lang_pick", on_change=_set_lang,
                 format_func=LANG_NAMES.__getitem__)

if st.query_params.get("lang", "en") != st.session_state["lang"]:
    if st.session_state["lang"] == "en":
        del st.query_params["lang"]
    else:
        st.query_params["lang"] = st.session_state["lang"]

if is_rtl(st.session_state["lang"]):
    # Constant CSS only: nothing user-supplied goes through unsafe HTML. The page reads right to
    # left (headings, text, lists, widgets); tables, maps, code and charts keep their
    # left-to-right layout (Vega draws its labels from the box's direction: under RTL they are
    # cut and legend symbols land on the text).
    st.markdown(RTL_CSS, unsafe_allow_html=True)

nav.run()
