"""copkg explorer: the Streamlit router. Pages live in ``views/``; they call ``graph/`` only.

Run with ``streamlit run app.py`` (the store is ``$COPKG_STORE`` or the user data folder,
``$COPKG_ENDPOINT`` replaces it with a SPARQL endpoint, ``COPKG_READ_ONLY=1`` opens it read-only).
"""

from __future__ import annotations

import streamlit as st

from views._common import LANG_NAMES, LANGS, is_rtl, md, tr

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


PAGES = [  # (file in views/, key, title, icon)
    ("overview.py", "overview", tr("nav_overview", "Overview"), ":material/dashboard:"),
    ("network_map.py", "map", tr("nav_map", "Network map"), ":material/hub:"),
    ("collaborators.py", "collaborators", tr("nav_collaborators", "Who collaborates"),
     ":material/groups:"),
    ("connection.py", "connection", tr("nav_connection", "How is X connected to Y"),
     ":material/route:"),
    ("present.py", "present", tr("nav_present", "Present"), ":material/slideshow:"),
    ("sparql.py", "sparql", tr("nav_sparql", "SPARQL"), ":material/terminal:"),
    ("data.py", "data", tr("nav_data", "Data"), ":material/upload_file:"),
]

pages = [
    # URL paths are the file names (/network_map, /sparql, ...), so links and tests agree.
    st.Page(f"views/{file}", title=title, icon=icon, default=(url == "overview"))
    for file, url, title, icon in PAGES
]
nav = st.navigation(pages)

with st.sidebar:
    st.selectbox(tr("language", "Language"), LANGS, key="lang_pick", on_change=_set_lang,
                 format_func=LANG_NAMES.__getitem__)

if st.query_params.get("lang", "en") != st.session_state["lang"]:
    if st.session_state["lang"] == "en":
        del st.query_params["lang"]
    else:
        st.query_params["lang"] = st.session_state["lang"]

if is_rtl(st.session_state["lang"]):
    # Constant CSS only: nothing user-supplied goes through unsafe HTML.
    st.markdown(
        "<style>.stMain, [data-testid='stSidebarUserContent'] {direction: rtl; "
        "text-align: right;} .stMain [data-testid='stDataFrame'], .stMain iframe, "
        ".stMain pre {direction: ltr;}</style>",
        unsafe_allow_html=True,
    )

nav.run()
