"""User-facing text in English, French and Arabic: UI strings and multilingual labels.

Catalogues are the JSON files beside this module (``en.json``, ``fr.json``, ``ar.json``), one
flat object of ``key -> text`` each. English is complete by definition; a key missing in another
language falls back to English *visibly* (``"Legend (en)"``) so a gap is seen, not hidden.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from ..text import neutralise_bidi

__all__ = [
    "LANGUAGES",
    "catalogue",
    "direction",
    "is_rtl",
    "label",
    "normalize_language",
    "t",
]

LANGUAGES: tuple[str, ...] = ("en", "fr", "ar")
"""Languages copkg is written in; the first is the fallback."""

_RTL = frozenset({"ar", "fa", "he", "ur"})
_FALLBACK = "en"


def normalize_language(lang: str | None) -> str:
    """The two-letter primary language of a tag (``"fr-FR"`` → ``"fr"``); ``None`` → ``"en"``.

    >>> normalize_language("AR_tn")
    'ar'
    """
    if not lang:
        return _FALLBACK
    return lang.replace("_", "-").split("-", 1)[0].strip().lower() or _FALLBACK


def is_rtl(lang: str | None) -> bool:
    """Whether ``lang`` is written right to left.

    >>> is_rtl("ar"), is_rtl("fr")
    (True, False)
    """
    return normalize_language(lang) in _RTL


def direction(lang: str | None) -> str:
    """The HTML ``dir`` value for ``lang``: ``"rtl"`` or ``"ltr"``.

    >>> direction("ar")
    'rtl'
    """
    return "rtl" if is_rtl(lang) else "ltr"


def catalogue(lang: str) -> dict[str, str]:
    """Every UI string in ``lang``, missing keys filled from English and marked ``(en)``.

    The result is a new dict: callers may change it.

    >>> catalogue("fr")["map.legend"]
    'Légende'
    """
    lang = normalize_language(lang)
    english = _load(_FALLBACK)
    if lang == _FALLBACK:
        return dict(english)
    own = _load(lang) if lang in LANGUAGES else {}
    return {key: own[key] if key in own else _mark(text) for key, text in english.items()}


def t(key: str, lang: str = _FALLBACK, /, **values: Any) -> str:
    """The UI string ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``.

    A key missing in ``lang`` falls back to English marked ``(en)``; a key missing in English
    is a bug and raises :class:`KeyError`.

    >>> t("map.legend", "ar")
    'مفتاح الخريطة'
    >>> t("map.nodes_edges", "fr", nodes=3, edges=2)
    '3 nœuds, 2 liens'
    """
    lang = normalize_language(lang)
    english = _load(_FALLBACK)
    if key not in english:
        raise KeyError(f"no UI string {key!r} in graph/i18n/en.json")
    own = _load(lang) if lang in LANGUAGES else {}
    text = own[key] if key in own else english[key]
    if values:
        text = text.format(**values)
    return text if key in own or lang == _FALLBACK else _mark(text)


def label(labels: Mapping[str, str] | None, lang: str = _FALLBACK, *, default: str = "",
          mark: bool = False) -> str:
    """The best label of a resource in ``lang``: that language, else English, else any.

    ``labels`` maps language tags (``""`` for an untagged literal) to text. With ``mark=True`` a
    fallback to another language says so (``"Tunis (en)"``). Returns ``default`` when there is
    no label at all — callers pass a readable id there, never an IRI.

    >>> label({"en": "Marseille", "ar": "مرسيليا"}, "ar")
    'مرسيليا'
    >>> label({"en": "Urban transport"}, "fr", mark=True)
    'Urban transport (en)'
    >>> label({}, "fr", default="p0001")
    'p0001'
    """
    if not labels:
        return default
    lang = normalize_language(lang)
    by_lang: dict[str, str] = {}
    for tag, text in labels.items():
        if text:  # a label is shown: bidirectional controls made visible (graph.text)
            by_lang.setdefault(normalize_language(tag) if tag else "", neutralise_bidi(str(text)))
    if lang in by_lang:
        return by_lang[lang]
    for tag in (_FALLBACK, "", *sorted(by_lang)):
        if tag in by_lang:
            text = by_lang[tag]
            return f"{text} ({tag})" if mark and tag and tag != lang else text
    return default


def _mark(text: str) -> str:
    return f"{text} (en)"


@cache
def _load(lang: str) -> dict[str, str]:
    source = resources.files(__package__).joinpath(f"{lang}.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"graph/i18n/{lang}.json must be one object of key -> text")
    return data
