"""Maps on a page: drawn by ``graph.maps.map_html`` (cached), shown in an iframe, downloadable."""

from __future__ import annotations

import logging
import os
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from graph.errors import CopkgError
from graph.maps import map_html
from graph.maps.credits import map_credits
from views.ui.lang import current_lang, tr
from views.ui.show import md, show_error
from views.ui.store import data_version, get_kg

_LOG = logging.getLogger("copkg.app")


@st.cache_data(show_spinner=False, max_entries=32)
def _map_html(
    _G: nx.Graph,
    key: tuple[Any, ...],
    title: str,
    lang: str,
    color_by: str,
    size_by: str,
    max_nodes: int | None,
    _measures: pd.DataFrame | None,
    source_note: str | None,
    focus: str | None,
    min_weight: float | None = None,
    links: str = "backbone",
    data_date: str | None = None,
) -> str:
    return str(map_html(
        _G, title=title, language=lang, color_by=color_by, size_by=size_by, physics=False,
        measures=_measures, source_note=source_note, max_nodes=max_nodes, rank_by=size_by,
        focus=focus, min_weight=min_weight, links=links, data_date=data_date,
    ))


@st.cache_data(show_spinner=False, max_entries=8)
def _credits(version: str, lang: str) -> dict[str, str | None]:
    return map_credits(get_kg(), lang)


def draw_map(G: nx.Graph, key: tuple[Any, ...], *, file_name: str, height: int = 680,
             download_key: str = "map_download", **options: Any) -> bool:
    """Draw ``G`` with :func:`map_html_cached` and show it; True when a map was shown.

    A user-caused problem shows its message. Any other failure is a bug in the map engine: it is
    logged with its traceback and reported in one line, so the rest of the page (tables,
    evidence) stays usable.
    """
    try:
        with st.spinner(tr("app.drawing")):
            html = map_html_cached(G, key, **options)
    except CopkgError as exc:
        show_error(exc, tr("app.map_failed"))
        return False
    except Exception as exc:  # noqa: BLE001 - see docstring; the traceback goes to the log
        _LOG.exception("graph.maps.map_html failed")
        st.error(tr("app.map_bug", error=md(f"{type(exc).__name__}: {exc}")))
        return False
    show_map(html, height=height, file_name=file_name, key=download_key)
    return True


def map_html_cached(
    G: nx.Graph,
    key: tuple[Any, ...],
    *,
    title: str,
    color_by: str = "community",
    size_by: str = "degree",
    max_nodes: int | None = None,
    measures: pd.DataFrame | None = None,
    source_note: str | None = None,
    focus: str | None = None,
    min_weight: float | None = None,
    links: str = "backbone",
) -> str:
    """``graph.maps.map_html`` of ``G``, cached under ``key`` (which must identify ``G``).

    ``source_note`` defaults to :func:`map_source_note` (the imported files, as the CLI
    says them), the date to the store's latest import; ``min_weight`` drops weaker links;
    ``links="all"`` draws every link instead of the significant ones.
    """
    if source_note is None:
        source_note = map_source_note()
    data_date = map_data_date()
    return _map_html(G, key, title, current_lang(), color_by, size_by, max_nodes, measures,
                     source_note, focus, min_weight, links, data_date)


def map_credits_in(lang: str) -> tuple[str | None, str | None]:
    """``(source_note, data_date)`` of every map and story the app draws in ``lang``: the
    imported files and the day of the latest import, as ``copkg map`` and ``copkg story`` say
    them (:func:`graph.maps.credits.map_credits`, one rule for all); ``$COPKG_SOURCE_NOTE``
    replaces the source. None: the map says "copkg knowledge graph" and the day it was drawn."""
    credits = _credits(data_version(get_kg()), lang)
    return os.environ.get("COPKG_SOURCE_NOTE") or credits["source_note"], credits["data_date"]


def map_data_date() -> str | None:
    """The day of the store's latest import, for a map's title block (cached per data)."""
    return map_credits_in(current_lang())[1]


def map_source_note() -> str | None:
    """The map's source line in the page's language (:func:`map_credits_in`)."""
    return map_credits_in(current_lang())[0]


def show_map(html: str, height: int = 680, file_name: str = "copkg-map.html",
             key: str = "map_download") -> None:
    """The map in an iframe, and the same offline HTML file to download."""
    st.iframe(html, height=height, alt=tr("app.map_alt"))
    st.download_button(tr("app.download_map"), html.encode("utf-8"), file_name=file_name,
                       mime="text/html", key=key, on_click="ignore")
