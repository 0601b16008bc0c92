"""Reading spreadsheets (CSV files and folders, XLSX workbooks) and finding RDF files to import.

Everything read is kept as plain cells with the spreadsheet's own row numbers (header = row 1),
so every later problem can name the file, sheet, row and column a person fixes.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox

from ..csv_writer import restore
from ..errors import Problem
from ..i18n import Message
from ..vocab import source_graph_iri
from .contract import COMMON_OPTIONAL, SHEETS
from .safety import UnsafeFile, check_workbook

__all__ = [
    "MAX_CELL_CHARS",
    "RDF_FORMATS",
    "Cell",
    "Sheet",
    "SourceFile",
    "csv_sheet",
    "find_sources",
    "read_sheets",
]

#: A cell as read: text from CSV; text, number, date or datetime from XLSX; None when empty.
Cell = str | int | float | date | datetime | None

#: RDF file extensions copkg imports as third-party data, and their pyoxigraph formats.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
}
_SHEET_SUFFIXES = {".csv", ".xlsx", ".xlsm"}


@dataclass
class Sheet:
    """One sheet as read: its columns (contract names lower-cased) and its non-empty rows."""

    file: str
    name: str
    columns: list[str]
    #: ``(row number, {column: cell})``; empty rows are already left out.
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)


@dataclass
class SourceFile:
    """One file of an import batch: a spreadsheet (CSV or workbook) or an RDF file."""

    path: Path
    #: The file name recorded as ``cop:sourceFile`` and used in messages.
    name: str
    kind: str  # "sheets" | "rdf"
    sha256: str
    sheets: list[Sheet] = field(default_factory=list)
    rdf_format: ox.RdfFormat | None = None


def find_sources(paths: Sequence[Path | str]) -> tuple[list[SourceFile], list[Problem]]:
    """Expand folders and describe every importable file of ``paths`` (nothing parsed yet).

    A folder contributes its ``.csv``/``.xlsx`` and RDF files (not sub-folders); other files
    in a folder (a README) are ignored, but a file named explicitly must be importable.

    >>> str(find_sources(["no/such/file.csv"])[1][0].message)
    'no such file or folder'
    """
    sources: list[SourceFile] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            members = sorted(
                p for p in path.iterdir()
                if p.is_file() and not p.name.startswith((".", "~$"))
                and p.suffix.lower() in _SHEET_SUFFIXES | set(RDF_FORMATS)
            )
            if not members:
                problems.append(Problem(str(path), Message("problem.empty_folder")))
            candidates: Iterable[Path] = members
        elif path.is_file():
            candidates = [path]
        else:
            problems.append(Problem(str(path), Message("problem.no_such_file")))
            continue
        for file in candidates:
            suffix = file.suffix.lower()
            if suffix not in _SHEET_SUFFIXES and suffix not in RDF_FORMATS:
                problems.append(Problem(
                    file.name, Message("problem.bad_suffix", suffix=suffix) if suffix
                    else Message("problem.no_suffix"),
                    fix=Message("problem.bad_suffix_fix", formats=sorted(RDF_FORMATS)),
                ))
                continue
            kind = "rdf" if suffix in RDF_FORMATS else "sheets"
            sources.append(SourceFile(
                path=file, name=file.name, kind=kind, sha256=_sha256(file),
                rdf_format=RDF_FORMATS.get(suffix),
            ))
    seen: dict[str, SourceFile] = {}
    for source in sources:
        graph = str(source_graph_iri(source.name))
        if graph in seen:
            problems.append(Problem(
                source.name,
                Message("problem.same_graph", first=str(seen[graph].path),
                        second=str(source.path), graph=graph),
                fix=Message("problem.same_graph_fix"),
            ))
        seen[graph] = source
    return sources, problems


def read_sheets(source: SourceFile) -> list[Problem]:
    """Fill ``source.sheets`` from its CSV or workbook; return the problems found reading it."""
    if source.path.suffix.lower() == ".csv":
        return _read_csv(source)
    return _read_workbook(source)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sheet_name(source: SourceFile, name: str, problems: list[Problem]) -> str | None:
    """The contract's sheet name for ``name`` or None (and a problem) when it has none."""
    key = name.strip().lower()
    if key in SHEETS:
        return key
    from ..names import closest

    close = closest(key, SHEETS, n=1)
    problems.append(Problem(
        source.name,
        Message("problem.unknown_sheet", name=name),
        sheet=name if source.path.suffix.lower() != ".csv" else None,
        fix=(Message("problem.csv_sheet_close", close=close[0]) if close
             else Message("problem.csv_sheet_fix", sheets=list(SHEETS)))
        if source.path.suffix.lower() == ".csv"
        else Message("problem.unknown_sheet_close", close=close[0], sheets=list(SHEETS))
        if close else Message("problem.unknown_sheet_fix", sheets=list(SHEETS)),
    ))
    return None


def csv_sheet(stem: str) -> str | None:
    """The sheet a CSV file holds, from its name: the sheet's name alone, or first or last
    among the words of the name (words split by spaces, ``-``, ``_``, ``.``, brackets), so
    a renamed copy is still a sheet: ``people-2025``, ``people (2)``, ``partner_people``.

    >>> [csv_sheet(s) for s in ["People", "people-2025", "people (2)", "afd_people", "peoples"]]
    ['people', 'people', 'people', 'people', None]
    >>> csv_sheet("events-participation") is None  # two sheets: which one?
    True
    """
    key = stem.strip().lower()
    if key in SHEETS:
        return key
    words = [w for w in re.split(r"[\s\-_.()\[\]]+", key) if w]
    found = {w for w in (words[:1] + words[-1:]) if w in SHEETS}
    return found.pop() if len(found) == 1 else None


def _read_csv(source: SourceFile) -> list[Problem]:
    problems: list[Problem] = []
    sheet = csv_sheet(source.path.stem) or _sheet_name(source, source.path.stem, problems)
    if sheet is None:
        return problems
    with source.path.open("rb") as raw:
        head = raw.read(64 * 1024)
    fix = Message("problem.save_utf8")
    try:
        first = head.decode("utf-8-sig", errors="ignore")
        # Rows are read one at a time from the file (never the whole text at once).
        with source.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=_delimiter(first))
            records = _records(source, sheet, enumerate(reader, start=1), problems)
            return _build_sheet(source, sheet, records, problems)
    except UnicodeDecodeError as exc:
        line = _undecodable_line(source.path, exc)
        return [Problem(source.name, Message("problem.not_utf8", line=line), sheet=sheet,
                        fix=fix)]
    except csv.Error as exc:
        row = reader.line_num if "reader" in locals() else None
        if "field larger than field limit" in str(exc):
            limit = csv.field_size_limit()
            return [Problem(source.name, Message("problem.csv_long_cell", limit=limit)
                            if row is None else
                            Message("problem.csv_long_cell_at", row=row, limit=limit),
                            sheet=sheet, fix=Message("problem.cell_limit", limit=MAX_CELL_CHARS))]
        return [Problem(source.name, Message("problem.bad_csv", detail=str(exc))
                        if row is None else
                        Message("problem.bad_csv_at", row=row, detail=str(exc)),
                        sheet=sheet, fix=fix)]


def _undecodable_line(path: Path, exc: UnicodeDecodeError) -> int:
    line = 1
    with path.open("rb") as handle:
        for number, raw_line in enumerate(handle, start=1):
            try:
                raw_line.decode("utf-8")
            except UnicodeDecodeError:
                return number
            line = number
    return line


def _delimiter(text: str) -> str:
    """``;`` or ``,``: whichever occurs more often on the header line (outside quotes)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = "".join(part for i, part in enumerate(header.split('"')) if i % 2 == 0)
    return ";" if unquoted.count(";") > unquoted.count(",") else ","


def _read_workbook(source: SourceFile) -> list[Problem]:
    import zipfile

    from openpyxl import load_workbook

    try:
        check_workbook(source.path)
    except UnsafeFile as exc:
        return [Problem(source.name, Message("problem.unsafe", reason=exc.message))]
    problems: list[Problem] = []
    try:
        workbook = load_workbook(source.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, SyntaxError) as exc:
        return [Problem(source.name, Message("problem.bad_workbook", detail=str(exc)),
                        fix=Message("problem.save_xlsx"))]
    try:
        for worksheet in workbook.worksheets:
            sheet = _sheet_name(source, worksheet.title, problems)
            if sheet is None:
                continue
            rows = ((number, [_xlsx_cell(v) for v in values]) for number, values
                    in enumerate(worksheet.iter_rows(values_only=True), start=1))
            _build_sheet(source, sheet, _records(source, sheet, rows, problems), problems)
    except (ValueError, TypeError, KeyError, SyntaxError, zipfile.BadZipFile, OSError) as exc:
        return [Problem(source.name, Message("problem.bad_workbook", detail=str(exc)),
                        fix=Message("problem.save_xlsx"))]
    finally:
        workbook.close()
    return problems


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, str | int | float | date | datetime):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    return str(value)


#: The most characters a cell may hold (Excel's own limit).
MAX_CELL_CHARS = 32_767
# Control characters (C0, DEL, C1) but tab and line breaks, which a text cell may hold.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _records(
    source: SourceFile, sheet: str, rows: Iterable[tuple[int, Sequence[object]]],
    problems: list[Problem],
) -> list[tuple[int, list[Cell]]]:
    """Cleaned non-empty rows; cells with control characters or too long are problems."""
    records: list[tuple[int, list[Cell]]] = []
    for number, raw in rows:
        cells = [_clean(c) for c in raw]  # type: ignore[arg-type]
        if not any(cells) and all(c is None for c in cells):
            continue
        for index, cell in enumerate(cells):
            if type(cell) is not str or (len(cell) <= MAX_CELL_CHARS
                                          and (cell.isprintable() or not _CONTROL.search(cell))):
                continue
            if len(cell) > MAX_CELL_CHARS:
                problems.append(Problem(
                    source.name, Message("problem.long_cell", n=len(cell)), sheet=sheet,
                    row=number, column=_column_name(records, index),
                    fix=Message("problem.cell_limit", limit=MAX_CELL_CHARS),
                ))
                cells[index] = None
            elif _CONTROL.search(cell):
                char = _CONTROL.search(cell).group()  # type: ignore[union-attr]
                problems.append(Problem(
                    source.name, Message("problem.control_char", char=f"U+{ord(char):04X}"),
                    sheet=sheet, row=number, column=_column_name(records, index),
                    fix=Message("problem.control_char_fix"),
                ))
                cells[index] = None
        records.append((number, cells))
    return records


def _column_name(records: list[tuple[int, list[Cell]]], index: int) -> str:
    """The header's name of column ``index`` (1-based number when it has none)."""
    if records:
        header = records[0][1]
        if index < len(header) and header[index] is not None:
            return str(header[index])
    return f"{index + 1}"


def _build_sheet(
    source: SourceFile,
    sheet: str,
    records: list[tuple[int, list[Cell]]],
    problems: list[Problem],
) -> list[Problem]:
    """Header, column checks and non-empty rows of one sheet, appended to ``source.sheets``."""
    spec = SHEETS[sheet]
    if not records:
        problems.append(Problem(
            source.name, Message("problem.no_header"), sheet=sheet,
            fix=Message("problem.no_header_fix", columns=spec.columns),
        ))
        return problems
    _, header_cells = records[0]
    known = set(spec.columns) | set(COMMON_OPTIONAL)
    columns: list[str] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(header_cells, start=1):
        name = "" if cell is None else str(cell)
        name = name.lower() if name.lower() in known else name
        columns.append(name)
        if name and name.lower() in seen:
            problems.append(Problem(
                source.name, Message("problem.twice_in_header", name=name,
                                     first=seen[name.lower()], second=position),
                sheet=sheet, row=1, fix=Message("problem.twice_in_header_fix"),
            ))
        seen.setdefault(name.lower(), position)
    missing = [c for c in spec.required if c not in columns]
    if missing:
        problems.append(Problem(
            source.name,
            Message("problem.missing_columns", n=len(missing), columns=missing),
            sheet=sheet,
            fix=Message("problem.needs_columns_optional", sheet=sheet, columns=spec.required,
                        optional=spec.optional) if spec.optional
            else Message("problem.needs_columns", sheet=sheet, columns=spec.required),
        ))
        return problems
    result = Sheet(file=source.name, name=sheet, columns=[c for c in columns if c])
    width = len(columns)
    for number, cells in records[1:]:
        stray = [i for i, c in enumerate(cells) if c is not None and (i >= width or not columns[i])]
        if stray:
            problems.append(Problem(
                source.name, Message("problem.unnamed_column", value=_short(cells[stray[0]]),
                                     position=stray[0] + 1),
                sheet=sheet, row=number, fix=Message("problem.unnamed_column_fix"),
            ))
        row = {col: (cells[i] if i < len(cells) else None)
               for i, col in enumerate(columns) if col}
        result.rows.append((number, row))
    source.sheets.append(result)
    return problems


def _short(cell: Cell) -> str:
    value = str(cell)
    return value if len(value) <= 40 else value[:37] + "..."


def _clean(cell: Cell) -> Cell:
    if isinstance(cell, str):
        # A cell copkg's CSV writer protected from spreadsheets ('=...) reads as written.
        cell = restore(cell.strip())
        return cell or None
    return cell
