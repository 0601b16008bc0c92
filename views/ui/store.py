"""The one store every session shares, and a key that changes when its data changes."""

from __future__ import annotations

import os

import streamlit as st

from graph import KnowledgeGraph, open_graph
from graph.errors import CopkgError
from views.ui.lang import tr
from views.ui.show import md

_TRUE = {"1", "true", "yes", "on"}


@st.cache_resource(show_spinner=False)
def _open_store(store: str | None, endpoint: str | None, read_only: bool) -> KnowledgeGraph:
    # One KnowledgeGraph per process: a second read-write open of the folder fails on RocksDB's
    # LOCK, and pyoxigraph is safe to share between sessions' threads.
    return open_graph(store, endpoint=endpoint, read_only=read_only)


def store_settings() -> tuple[str | None, str | None, bool]:
    """(store folder, endpoint URL, read-only) from the environment."""
    return (
        os.environ.get("COPKG_STORE") or None,
        os.environ.get("COPKG_ENDPOINT") or None,
        os.environ.get("COPKG_READ_ONLY", "").strip().lower() in _TRUE,
    )


#: Store settings this process has opened once: later calls skip the spinner. A spinner is a
#: timer thread and a message to the browser, and pages ask for the graph many times a run.
_OPENED: set[tuple[str | None, str | None, bool]] = set()


def get_kg() -> KnowledgeGraph:
    """The shared graph; stops the page with a readable message if it cannot be opened."""
    settings = store_settings()
    try:
        if settings in _OPENED:
            return _open_store(*settings)
        with st.spinner(tr("app.opening")):
            kg = _open_store(*settings)
        _OPENED.add(settings)
        return kg
    except CopkgError as exc:
        st.error(f"{tr('app.store_failed')} {md(exc)}")
    st.stop()
    raise AssertionError("unreachable")


@st.cache_resource(show_spinner=False)
def _generation() -> dict[str, int]:
    return {"n": 0}


def data_version(kg: KnowledgeGraph) -> str:
    """A key that changes whenever the data changes: the store's state token (rewritten by
    every import, from this app or any other process) and this app's import counter. Cached
    projections and measures are shared between sessions under it."""
    return f"{kg.location}#{kg.state_token()}#{_generation()['n']}"


def after_import() -> None:
    """Forget every cached result: the data changed. The store itself stays open."""
    st.cache_data.clear()
    _generation()["n"] += 1


def is_read_only(kg: KnowledgeGraph) -> bool:
    return bool(getattr(kg.backend, "read_only", False))
