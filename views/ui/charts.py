"""Charts in the reader's language, the same in every language but for the words.

Categories are coloured by their id (``cited``, a role, a community IRI), never by their
translated label, so a colour means the same thing in English, French and Arabic. Charts keep
left-to-right axes in an Arabic page (the convention for charts; ``app.py`` keeps their box
left-to-right so labels and legends are not cut or drawn over).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd
import streamlit as st

from graph.maps.style import GREY, PALETTE

#: Fixed colours of categories every chart shares.
# Where facts come from (graph.store.knowledge_graph.PROVENANCES): Okabe–Ito blue, green, orange.
FIXED_COLOURS = {"cited": "#0072B2", "own": "#009E73", "illustrative": "#E69F00"}


def colours(ids: Sequence[str], fixed: Mapping[str, str] | None = None) -> dict[str, str]:
    """A colour per category id: ``fixed`` ones first, the others from the palette in id order
    (so the same ids get the same colours whatever the language)."""
    fixed = {**FIXED_COLOURS, **(fixed or {})}
    out: dict[str, str] = {}
    free = [c for c in PALETTE if c not in fixed.values()]
    for i, key in enumerate(sorted(k for k in set(ids) if k not in fixed)):
        out[key] = free[i] if i < len(free) else GREY
    out.update({k: v for k, v in fixed.items() if k in set(ids)})
    return out


def category_chart(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    series_id: str,
    series_label: str,
    category_title: str,
    value_title: str,
    series_title: str,
    mark: str = "bar",
    horizontal: bool = False,
    height: int = 300,
    category_order: Sequence[str] | None = None,
    stack: bool = True,
    key: str | None = None,
    legend_columns: int | None = None,
) -> None:
    """A stacked bar chart (side by side with ``stack=False``; a line chart with
    ``mark="line"``) of ``value`` per ``category``, one colour per ``series_id`` (its legend
    shows ``series_label``). Fixed ids (:data:`FIXED_COLOURS`) come first, in that order;
    ``legend_columns`` sets the legend's columns (default: one row, or one column for long
    labels).

    ``data`` is long: one row per (category, series). Titles are already translated.
    """
    ids = list(dict.fromkeys(data[series_id].astype(str)))
    colour_of = colours(ids)
    label_of = dict(zip(data[series_id].astype(str), data[series_label].astype(str),
                        strict=False))
    fixed = list(FIXED_COLOURS)
    domain = sorted(ids, key=lambda i: (i not in FIXED_COLOURS,
                                        fixed.index(i) if i in FIXED_COLOURS else 0, i))
    labels = [label_of[i] for i in domain]
    sort: list[str] | str = list(category_order) if category_order is not None else "ascending"
    axis = alt.Axis(labelLimit=260, labelOverlap=not horizontal, titlePadding=12,
                    labelAngle=0 if horizontal else -45)
    whole = pd.api.types.is_integer_dtype(data[value])
    counts = (alt.Axis(tickMinStep=1, format="d", titlePadding=12) if whole
              else alt.Axis(titlePadding=12))
    position: tuple[alt.X | alt.Y, alt.X | alt.Y]
    if horizontal:
        position = (alt.Y(f"{category}:N", title=category_title, sort=sort, axis=axis),
                    alt.X(f"{value}:Q", title=value_title, stack=True, axis=counts))
    else:
        position = (alt.X(f"{category}:N", title=category_title, sort=sort, axis=axis),
                    alt.Y(f"{value}:Q", title=value_title,
                          stack=(mark == "bar" and stack) or None, axis=counts))
    colour = alt.Color(f"{series_label}:N", title=series_title,
                       scale=alt.Scale(domain=labels, range=[colour_of[i] for i in domain]),
                       legend=alt.Legend(orient="bottom", labelLimit=0, columns=(
                           legend_columns if legend_columns is not None
                           else 1 if max((len(x) for x in labels), default=0) > 40
                           else 0), symbolType="square"))
    offset = [] if stack or mark != "bar" else [
        alt.XOffset(f"{series_label}:N") if not horizontal else alt.YOffset(f"{series_label}:N")]
    base = alt.Chart(data).encode(
        *position, colour, *offset,
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip(f"{series_label}:N", title=series_title),
                 alt.Tooltip(f"{value}:Q", title=value_title)],
    )
    chart = base.mark_line(point=True) if mark == "line" else base.mark_bar()
    # Room around the plot for rotated axis titles (Arabic glyphs are taller than Latin).
    framed = chart.properties(height=height, padding={"left": 16, "right": 12, "top": 8,
                                                      "bottom": 8})
    st.altair_chart(framed, width="stretch", height=height + 100, key=key)
