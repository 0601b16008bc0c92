"""Where a map's data comes from and how recent it is, read from the store for the title block."""

from __future__ import annotations

from typing import Any

from .. import i18n

__all__ = ["map_credits"]

_QUERY = """
PREFIX cop: <https://w3id.org/copkg/ontology#>
SELECT ?file ?at WHERE {
  GRAPH ?g { ?g a cop:ImportedSource ; cop:sourceFile ?file . OPTIONAL { ?g cop:importedAt ?at } }
} ORDER BY ?file
"""
_NAMED = 3


def map_credits(kg: Any, language: str = "en") -> dict[str, str | None]:
    """``{"source_note": ..., "data_date": ...}`` for :func:`graph.maps.map_html` from ``kg``.

    The source names the imported files (the first three, then how many more); the date is
    the day of the latest import (``YYYY-MM-DD``). Either is ``None`` when the store does not
    say (the map then says "copkg knowledge graph" and the day it was drawn).

    >>> from graph.store import KnowledgeGraph
    >>> map_credits(KnowledgeGraph.in_memory())
    {'source_note': None, 'data_date': None}
    """
    table = kg.query(_QUERY)
    files = sorted({str(f) for f in table["file"]}) if len(table) else []
    dates = sorted(str(a)[:10] for a in table["at"].dropna()) if len(table) else []
    if not files:
        return {"source_note": None, "data_date": dates[-1] if dates else None}
    named = ", ".join(files[:_NAMED])
    lang = i18n.normalize_language(language)
    note = named if len(files) <= _NAMED else i18n.t("map.more_files", lang, files=named,
                                                     n=len(files) - _NAMED)
    return {"source_note": note, "data_date": dates[-1] if dates else None}
