"""Tables as the reader sees them: headers and known values in their language, numbers written
the locale's way (the table still sorts by value), countries by name.

Downloads keep the raw table (machine-readable column names and codes); only what is shown is
translated. A column header is the catalogue's ``col.<name>`` (or ``measure.<name>``); a column
without one (a variable of the user's own query) keeps its name.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from graph import i18n
from graph.countries import country_label
from views.ui.cache import country_members
from views.ui.lang import current_lang, tr
from views.ui.store import get_kg

#: Columns whose values are words with a catalogue entry ``<prefix><value>``.
VALUE_KEYS = {"kind": "kind.", "status": "status.", "type": "type.", "member_type": "type."}
#: Columns of years or identifiers: digits only, never grouped.
PLAIN_NUMBERS = {"year", "launched", "since", "joined", "first_year", "last_year", "row",
                 "source_row", "cluster", "community", "step"}
COUNTRY_COLUMNS = {"country", "dominant_country"}


def header(name: object) -> str:
    """The column header of ``name`` in the reader's language (the name itself if unknown)."""
    text = str(name)
    for key in (f"col.{text}", f"measure.{text}"):
        if i18n.has(key):
            return tr(key)
    return text


def number(value: object) -> str:
    """``value`` written the reader's way (``9,204``, ``9 204``); empty for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if not isinstance(value, numbers.Real) or isinstance(value, bool | np.bool_):
        return str(value)
    return i18n.format_number(float(value) if not isinstance(value, numbers.Integral)
                              else int(value), current_lang())


def sort_key(text: object) -> str:
    """A key that sorts names as a reader expects: accents and case aside (``Égypte`` with the
    E's, not after ``Tunisie``)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def country_namer() -> Callable[[object], str]:
    """:func:`country` for many codes (a column, a widget's options): the reader's language and
    the members' labels are read once, not once per code (each read asks the store for its
    state, so a per-cell read cost a query per cell)."""
    lang = current_lang()
    members = country_members(get_kg())

    def name(code: object) -> str:
        return country_label(code, lang, members) if isinstance(code, str) else str(code)

    return name


def country(code: object) -> str:
    """The country named by an ISO code, in the reader's language: the one rule of
    :func:`graph.countries.country_label` (the platform member's own label, else CLDR's).
    For a whole column use :func:`country_namer`."""
    return country_namer()(code)


def localise(df: pd.DataFrame, *, headers: bool = True) -> Styler:
    """``df`` ready to show: translated headers and values (kinds, types, statuses: the
    catalogue's ``kind.*``, ``type.*``, ``status.*``), localised numbers and dates.

    ``headers=False`` is for a table already readable (or whose headers come from
    ``st.column_config``): names and values stay, only numbers and dates are localised."""
    shown = df.copy()
    namer: Callable[[object], str] | None = None
    for column in shown.columns if headers else ():
        name = str(column)
        prefix = VALUE_KEYS.get(name)
        if prefix:
            shown[column] = shown[column].map(lambda v, p=prefix: _word(v, p))
        elif name in COUNTRY_COLUMNS:
            namer = namer or country_namer()
            shown[column] = shown[column].map(lambda v, n=namer: _country_cell(v, n))
    formats: dict[Any, Any] = {}
    rtl = i18n.is_rtl(current_lang())
    for column in shown.columns:
        series = shown[column]
        if _is_dates(series):
            formats[column] = _date
            continue
        if pd.api.types.is_bool_dtype(series):
            # Words in the data itself: the grid draws a boolean column as check boxes,
            # whatever the Styler says.
            shown[column] = series.map(_yes_no)
            continue
        if not pd.api.types.is_numeric_dtype(series):
            if rtl:
                formats[column] = _rtl_text
            continue
        if str(column) in PLAIN_NUMBERS:
            formats[column] = _plain
        elif pd.api.types.is_integer_dtype(series):
            formats[column] = number
        else:
            formats[column] = _decimal
    if not isinstance(shown.index, pd.RangeIndex):
        index_namer = namer or country_namer()
        shown.index = shown.index.map(lambda v: _country_cell(v, index_namer))
    shown.index = shown.index.set_names([header(n) if n is not None else None
                                         for n in shown.index.names])
    shown.columns.name = None
    if headers:
        names = _unique([header(c) for c in shown.columns])
        formats = {names[list(shown.columns).index(c)]: f for c, f in formats.items()}
        shown.columns = names
    # A missing value is an empty cell (never "None" or "nan"), whatever the column holds.
    return shown.style.format(na_rep="").format(formats, na_rep="")


def show_table(df: pd.DataFrame | Styler, *, hide_index: bool = True, height: int | None = None,
               column_config: Mapping[str, Any] | None = None, headers: bool = True,
               wrap: Mapping[str, Literal["small", "medium", "large"]] | None = None) -> None:
    """``st.dataframe`` of :func:`localise` (``df`` itself is not changed); ``headers=False``
    for a table whose column names are data already in the reader's language (a crosstab's
    role or community labels), which must not be read as catalogue column names. A table
    already styled (a :class:`Styler`, e.g. a heat map) is shown as it is.

    Every table of the app goes through here: a missing value is an empty cell (Streamlit's
    grid writes "None" for a null cell unless told otherwise, whatever the Styler says).

    ``wrap``: columns of long text (``{"community_label": "large"}``, a Streamlit column width)
    held to that width and written on two lines, so a wide table fits the screen instead of
    hiding its last columns."""
    options: dict[str, Any] = {"hide_index": hide_index, "width": "stretch", "placeholder": ""}
    if height is not None:
        options["height"] = height
    config = dict(column_config or {})
    for column, width in (wrap or {}).items():
        config[header(column) if headers else column] = st.column_config.TextColumn(width=width)
    if wrap:
        options["row_height"] = WRAPPED_ROW_HEIGHT
    if config:
        options["column_config"] = config
    shown = df if isinstance(df, Styler) else localise(df, headers=headers)
    st.dataframe(shown, **options)


#: Rows tall enough for two lines: Streamlit's grid wraps text only in rows over 4rem.
WRAPPED_ROW_HEIGHT = 70


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?")


def _is_dates(series: pd.Series) -> bool:
    """A column of ISO dates or date-times (as text)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    values = series.dropna()
    if values.empty or not all(isinstance(v, str) for v in values.head(50)):
        return False
    return all(_ISO_DATE.fullmatch(v) for v in values.astype(str))


def _date(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    try:
        if len(text) > 10:
            return i18n.format_datetime(text.replace("Z", "+00:00"), current_lang())
        return i18n.format_date(text, current_lang())
    except ValueError:
        return text


def _unique(names: list[str]) -> list[str]:
    """Headers made unique (two columns may translate to the same words)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def word(value: object, prefix: str = "type.") -> object:
    """A data word (``bank``, ``report``) in the reader's language, if the catalogue has it."""
    return _word(value, prefix)


def _word(value: object, prefix: str) -> object:
    if isinstance(value, str) and i18n.has(prefix + value):
        return tr(prefix + value)
    return value


def _country_cell(value: object, namer: Callable[[object], str]) -> object:
    """A cell holding an ISO country code, named; any other value as it is."""
    if isinstance(value, str) and len(value) == 2 and value.isalpha():
        return namer(value)
    return value


def _rtl_text(value: object) -> str:
    """A text cell of a right-to-left page as the grid must draw it: holding Arabic, it is
    isolated right to left (RLI…PDI). The grid draws on a canvas laid out left to right, so
    «x» ليس معرّف منظمة (an import problem) came out with its quoted value on the wrong side
    and its closing guillemet mirrored; isolating the quoted value alone does not help there."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return f"{i18n.RLI}{text}{i18n.PDI}" if _ARABIC.search(text) else text


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _yes_no(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return tr("app.yes") if value else tr("app.no")


def _plain(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(int(value)) if isinstance(value, int | float) else str(value)


def _decimal(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    places = 4 if abs(value) < 1 else 2
    return i18n.format_number(value, current_lang(), max_digits=places)
