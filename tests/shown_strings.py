"""What a person sees on an AppTest page, as text: every string of every element's message
(titles, markdown, captions, alerts, widget labels, options, placeholders and help, tabs,
expanders, buttons, metrics), the column names and text cells of tables, and the titles,
legends and category labels of charts.

Used by ``test_app_i18n.py`` to find English left on French and Arabic pages.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

# Proto fields that are not shown to the reader (ids, keys, types, styles, URLs, raw HTML/CSS).
_HIDDEN_FIELDS = {
    "id", "form_id", "key", "type", "css", "url", "src", "srcdoc", "mime", "data_id",
    "icon", "theme", "width_config", "height_config", "format", "default", "value",
    "set_value", "step", "min", "max", "scroll_to", "column_order", "column_config",
    "use_container_width", "editing_mode", "selection_mode", "vega_lite_chart", "spec",
    "datasets", "file_name", "alt", "page_script_hash", "allow_unsafe_html", "tag",
    "columns", "raw_value", "raw_values", "element_type", "label_visibility",
}


def _arrow_strings(data: bytes, *, headers: bool = True, values: set[str] | None = None,
                   config: dict[str, Any] | None = None) -> Iterator[str]:
    """Column names and text cells of an Arrow IPC table; ``values`` limits the cells to those
    columns (the fields a chart draws; an empty set: headers only). A table's column config
    (``st.column_config``) replaces a header by its ``label`` and hides ``hidden`` columns."""
    if not data:
        return
    try:
        table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    except pa.ArrowInvalid:
        return
    config = config or {}
    if headers:
        for name in table.column_names:
            if name.startswith("__index_level_"):
                continue
            column = config.get(f"name:{name}") or config.get(name) or {}
            if column.get("hidden"):
                continue
            yield str(column.get("label") or name)
    for name, column in zip(table.column_names, table.columns, strict=True):
        if values is not None and name not in values:
            continue
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            yield from (v for v in column.unique().to_pylist() if isinstance(v, str))


def unwrapped(text: str) -> str:
    """A table cell's text without the invisible right-to-left isolate (RLI…PDI) an Arabic
    page's cells are drawn in (:func:`views.ui.tables.localise`): what the reader sees."""
    if text.startswith("\u2067") and text.endswith("\u2069"):
        return text[1:-1]
    return text


def _spec_strings(spec: Any, fields: set[str]) -> Iterator[str]:
    """Titles and labels written into a Vega-Lite spec: a channel's ``title``, or its field name
    when it has none (Vega shows the name then). The fields drawn are added to ``fields``."""
    if isinstance(spec, dict):
        field = spec.get("field")
        if isinstance(field, str):
            fields.add(field)
            title = spec.get("title")
            shown = title if isinstance(title, str) else field
            if "-- streamlit-generated" not in shown:
                yield shown
        for key, value in spec.items():
            if key in ("field", "title"):
                continue
            if key in ("label", "text", "description") and isinstance(value, str):
                yield value
            elif key == "labelExpr" and isinstance(value, str):
                yield from re.findall(r"'([^']*)'", value)
            else:
                yield from _spec_strings(value, fields)
    elif isinstance(spec, list):
        for item in spec:
            yield from _spec_strings(item, fields)


def _column_config(message: Message) -> dict[str, Any]:
    """A dataframe's ``st.column_config`` (JSON in its ``columns`` field), by column."""
    text = getattr(message, "columns", "")
    if not isinstance(text, str) or not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _repeated(field: Any) -> bool:
    return bool(getattr(field, "is_repeated", None) or getattr(field, "label", 1) == 3)


def _proto_strings(message: Message) -> Iterator[str]:
    fields_drawn: set[str] = set()
    spec = getattr(message, "spec", None)
    if isinstance(spec, str) and spec:
        with contextlib.suppress(ValueError):
            yield from _spec_strings(json.loads(spec), fields_drawn)
    for field, value in message.ListFields():
        name = field.name
        if name == "datasets":
            for item in value:
                yield from _arrow_strings(item.data.data, headers=False, values=fields_drawn)
        elif name == "arrow_data":
            config = _column_config(message)
            shown = value.styler.display_values if value.HasField("styler") else b""
            if shown:  # a styled table: its headers, and its values as formatted
                yield from _arrow_strings(value.data, values=set(), config=config)
                yield from map(unwrapped, _arrow_strings(shown, headers=False))
            else:
                yield from _arrow_strings(value.data, config=config)
        elif field.type == field.TYPE_MESSAGE:
            items = value if _repeated(field) else [value]
            for item in items:
                if hasattr(item, "ListFields"):
                    yield from _proto_strings(item)
        elif name == "data" and isinstance(value, bytes):
            yield from _arrow_strings(value)
        elif name in _HIDDEN_FIELDS:
            continue
        elif isinstance(value, str):
            yield value
        elif _repeated(field) and value and isinstance(value[0], str):
            yield from value


def shown_strings(at: AppTest) -> list[str]:
    """Every string the page shows, main area and sidebar, in page order."""
    out: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message) and not _skipped(node):
            out.extend(s for s in _proto_strings(proto) if s.strip())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def _skipped(node: Any) -> bool:
    """Code blocks show code (a query, a traceback-free error position), not prose."""
    return type(getattr(node, "proto", None)).__name__ == "Code"


# --------------------------------------------------------------------------------- matching
_PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\", "")).strip(" .:…*`").casefold()


def _english_patterns(lang: str) -> list[tuple[str, str, re.Pattern[str] | None]]:
    """(key, English text, pattern) for every catalogue string whose ``lang`` text differs."""
    from graph import i18n

    english, own = i18n.catalogue("en"), i18n.catalogue(lang)
    out = []
    for key, text in english.items():
        for form, words in _forms(text, own.get(key)):
            if not form.strip():
                continue
            pattern = None
            if len(_PLACEHOLDER.sub(" ", form).split()) >= 3:
                parts = _PLACEHOLDER.split(form)
                regex = "".join(re.escape(part) if i % 2 == 0 else ".+?"
                                for i, part in enumerate(parts))
                pattern = re.compile(regex.replace(r"\ ", r"\s+"))
            if not any(_norm(form) == _norm(w) for w in words):
                out.append((key, form, pattern))
    return out


def _forms(english: Any, translated: Any) -> Iterator[tuple[str, list[str]]]:
    """Each English text of a key (plural forms too) with the translated texts beside it."""
    theirs = list(translated.values()) if isinstance(translated, dict) else [str(translated)]
    if isinstance(english, dict):
        for text in english.values():
            yield str(text), theirs
    else:
        yield str(english), theirs


def untranslated(strings: list[str], lang: str) -> list[tuple[str, str]]:
    """(shown text, catalogue key) for every shown string that is English from the catalogue:
    the whole string equals an English text (any case), or contains an English sentence (three
    words or more, placeholders matching anything); also any text marked ``(en)``."""
    patterns = _english_patterns(lang)
    whole = {_norm(form): key for key, form, _ in patterns if _norm(form)}
    found = []
    for shown in dict.fromkeys(strings):
        if shown.rstrip().endswith("(en)"):
            found.append((shown, "(en) fallback"))
            continue
        key = whole.get(_norm(shown))
        if key is None:
            flat = shown.replace("\\", "")
            key = next((k for k, _, pattern in patterns
                        if pattern is not None and pattern.search(flat)), None)
        if key is not None:
            found.append((shown, key))
    return found


# --------------------------------------------------------------------------------- table cells
#: How :func:`table_cells` writes a cell the grid draws as a check box.
CHECKED, UNCHECKED = "[x]", "[ ]"


def table_cells(at: AppTest) -> list[list[str]]:
    """Every ``st.dataframe`` of the page as the grid draws its cells: a missing value (null in
    the data, NaN included) as the table's ``placeholder`` — Streamlit writes "None" when the
    table has none, whatever a Styler's ``na_rep`` says — and any other value as the Styler
    formatted it (its display value), else as text; a column of booleans as check boxes
    (:data:`CHECKED`, :data:`UNCHECKED`: the grid ignores a Styler's words for them)."""
    tables: list[list[str]] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "Dataframe":
            tables.append(_cells(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return tables


def _cells(proto: Any) -> list[str]:
    data = pa.ipc.open_stream(io.BytesIO(proto.arrow_data.data)).read_all()
    shown = None
    if proto.arrow_data.HasField("styler") and proto.arrow_data.styler.display_values:
        shown = pa.ipc.open_stream(io.BytesIO(proto.arrow_data.styler.display_values)).read_all()
    missing = proto.placeholder if proto.HasField("placeholder") else "None"
    cells = []
    for i, name in enumerate(data.column_names):
        if name.startswith("__index_level_"):
            continue
        raw = data.column(i).to_pylist()
        formatted = shown.column(i).to_pylist() if shown is not None else raw
        boxes = pa.types.is_boolean(data.column(i).type)  # drawn as check boxes, never as text
        for value, text in zip(raw, formatted, strict=True):
            is_missing = value is None or (isinstance(value, float) and value != value)
            if is_missing:
                cells.append(missing)
            elif boxes:
                cells.append(CHECKED if value else UNCHECKED)
            else:
                cells.append(str(text if text is not None else value))
    return cells
