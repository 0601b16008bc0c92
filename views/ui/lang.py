"""The reader's language: UI strings from the catalogue and labels of resources.

Every string comes from ``graph/i18n/{en,fr,ar}.json``; there is no English default at call
sites. A key missing in English is a bug and raises :class:`KeyError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from graph import i18n

LANGS = i18n.LANGUAGES
LANG_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}


def current_lang() -> str:
    """The language chosen in this session (``en`` until one is picked)."""
    lang = st.session_state.get("lang", "en")
    return lang if lang in LANGS else "en"


def tr(key: str, /, **values: Any) -> str:
    """The catalogue string ``key`` (``"app.map_title"``) in the chosen language, filled."""
    return i18n.t(key, current_lang(), **values)


def chain(names: list[str]) -> str:
    """Names in the reader's direction, arrows pointing from each step to the next: the one
    rule of :func:`graph.i18n.sequence` (``A → B``; ``A ← B`` isolated right to left in
    Arabic, each name isolated on its own)."""
    return i18n.sequence(names, current_lang())


def label_of(labels: Mapping[str, str] | None, fallback: str = "") -> str:
    """The label in the chosen language, else English, else any; ``fallback`` if none."""
    return i18n.label(labels, current_lang(), default=fallback)
