"""copkg explorer: the Streamlit router. Pages live in ``views/``; they call ``graph/`` only.

Run with ``streamlit run app.py`` (the store is ``$COPKG_STORE`` or the user data folder,
``$COPKG_ENDPOINT`` replaces it with a SPARQL endpoint, ``COPKG_READ_ONLY=1`` opens it read-only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from graph.i18n import is_rtl
from views.ui.access import gate
from views.ui.lang import LANG_NAMES, LANGS, tr
from views.ui.show import md

st.set_page_config(page_title="copkg", page_icon="🕸️", layout="wide")

# The language comes from the URL once (?lang=fr), then from the picker; it outlives page changes.
if "lang" not in st.session_state:
    wanted = st.query_params.get("lang") or "en"
    if wanted not in LANGS:
        st.warning(tr("app.bad_lang", value=md(wanted[:20]), choices=", ".join(LANGS)))
        wanted = "en"
    st.session_state["lang"] = wanted
if "lang_pick" not in st.session_state:
    st.session_state["lang_pick"] = st.session_state["lang"]


def _set_lang() -> None:
    st.session_state["lang"] = st.session_state["lang_pick"]


with st.sidebar:
    st.selectbox(tr("app.language"), LANGS, key="lang_pick", on_change=_set_lang,
                 format_func=LANG_NAMES.__getitem__)

RTL_CSS = """<style>
.stMain, [data-testid='stSidebarUserContent'], [data-testid='stSidebarNav']
{direction: rtl; text-align: right;}
.stMain [data-testid='stHeading'], .stMain [data-testid='stHeading'] *,
.stMain [data-testid='stMarkdownContainer'], .stMain [data-testid='stCaptionContainer'],
.stMain [data-testid='stMetric'], .stMain [data-testid='stMetric'] * {text-align: start;}
.stMain ul, .stMain ol {padding-inline-start: 1.5em; padding-inline-end: 0;}
[data-baseweb='popover'], [data-baseweb='tooltip'], [data-testid='stTooltipContent'],
[role='tooltip'] {direction: rtl; text-align: right;}
.stMain [data-testid='stDataFrame'], .stMain iframe, .stMain pre,
.stMain [data-testid='stVegaLiteChart'], .stMain .stVegaLiteChart, .stMain .vega-embed
{direction: ltr; text-align: left;}
</style>"""

if is_rtl(st.session_state["lang"]):
    # Constant CSS only: nothing user-supplied goes through unsafe HTML. The page reads right to
    # left (headings, text, lists, widgets); tables, maps, code and charts keep their
    # left-to-right layout (Vega draws its labels from the box's direction: under RTL they are
    # cut and legend symbols land on the text).
    st.markdown(RTL_CSS, unsafe_allow_html=True)

# Icons are emoji found in the fonts `make setup` installs (Noto Sans Symbols 2): `:material/…:`
# icons would be fetched from a font server on the internet.
PAGES = [  # (file in views/, key, title, icon, action the page needs)
    ("overview.py", "overview", tr("app.nav_overview"), "📊", "browse"),
    ("network_map.py", "map", tr("app.nav_map"), "🕸️", "browse"),
    ("collaborators.py", "collaborators", tr("app.nav_collaborators"),
     "🏆", "browse"),
    ("connection.py", "connection", tr("app.nav_connection"),
     "⛓️", "browse"),
    ("evolution.py", "evolution", tr("app.nav_evolution"), "📈", "browse"),
    ("present.py", "present", tr("app.nav_present"), "📽️", "browse"),
    ("sparql.py", "sparql", tr("app.nav_sparql"), "💻", "query"),
    ("data.py", "data", tr("app.nav_data"), "📥", "browse"),
    ("users.py", "users", tr("app.nav_users"), "🛡️", "manage_users"),
]


def _pages(allowed: Callable[[str], bool]) -> list[Any]:
    # URL paths are the file names (/network_map, /sparql, ...), so links and tests agree.
    return [st.Page(f"views/{file}", title=title, icon=icon, default=(url == "overview"))
            for file, url, title, icon, action in PAGES if allowed(action)]


# Shared on a network, nothing below runs until someone signs in (views/ui/access.py). The
# sign-in screen registers the pages without running them, so a shared link survives sign-in.
user = gate(lambda: st.navigation(_pages(lambda _: True), position="hidden"))

# A page the role may not use is not registered at all: its URL opens the Overview. Each page
# also checks the role itself, and each action inside it.
pages = _pages(user.can)
nav = st.navigation(pages)

if st.query_params.get("lang", "en") != st.session_state["lang"]:
    if st.session_state["lang"] == "en":
        del st.query_params["lang"]
    else:
        st.query_params["lang"] = st.session_state["lang"]

nav.run()
