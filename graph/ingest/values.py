"""Turning cells into RDF values: text, booleans, years and dates, country codes, words.

Each parser returns the value, or raises :class:`CellError` whose message and fix go into a
:class:`~graph.errors.Problem` naming the row and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from difflib import get_close_matches
from functools import lru_cache

import pycountry
from rdflib import Literal, URIRef

from ..vocab import XSD
from .reading import Cell

__all__ = [
    "CellError",
    "closest",
    "country_code",
    "parse_bool",
    "parse_date",
    "parse_year",
    "parse_year_or_date",
    "split_ids",
    "text",
    "word",
]

_EXCEL_EPOCH = date(1899, 12, 30)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
# Codes people write that ISO 3166-1 does not use, and what they mean.
_COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "KO": "XK"}


class CellError(ValueError):
    """A cell's value is not what its column needs; ``fix`` says what would be right."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def text(cell: Cell) -> str:
    """The cell as stripped text ('' when empty); numbers without a spurious ``.0``.

    >>> text(2009), text(" Tunis "), text(None)
    ('2009', 'Tunis', '')
    """
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def split_ids(cell: Cell) -> list[str]:
    """The ``;``-separated ids of a cell, stripped, empty parts left out.

    >>> split_ids("p1; afd ;;")
    ['p1', 'afd']
    """
    return [part.strip() for part in text(cell).split(";") if part.strip()]


def parse_bool(cell: Cell) -> bool:
    """``true/false/yes/no/1/0`` (any case), empty = False.

    >>> parse_bool("Yes"), parse_bool(None)
    (True, False)
    """
    value = text(cell).lower()
    if value in ("true", "yes", "1", "vrai", "oui"):
        return True
    if value in ("", "false", "no", "0", "faux", "non"):
        return False
    raise CellError(f'"{text(cell)}" is not true or false', "write true, false, yes, no, 1 or 0")


def parse_year_or_date(cell: Cell) -> Literal:
    """A year (``xsd:gYear``) or a date (``xsd:date``) from ``2009``, ``2009-10-09``,
    ``09/10/2009`` (day/month/year), an Excel serial date or an Excel date cell.

    >>> parse_year_or_date("2009").n3()
    '"2009"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> str(parse_year_or_date("09/10/2009")), str(parse_year_or_date(40179))
    ('2009-10-09', '2010-01-01')
    """
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 1000 <= cell <= 2999:
        return Literal(str(int(cell)), datatype=XSD.gYear)
    value = text(cell)
    if _YEAR.match(value):
        return Literal(value, datatype=XSD.gYear)
    return Literal(_date(cell).isoformat(), datatype=XSD.date)


def parse_date(cell: Cell) -> Literal:
    """A date (``xsd:date``); a year alone is refused (events need a day).

    >>> str(parse_date("2014-03-18"))
    '2014-03-18'
    """
    value = text(cell)
    if _YEAR.match(value):
        raise CellError(
            f'"{value}" is a year, not a date', f"write the day too, e.g. {value}-03-18",
        )
    return Literal(_date(cell).isoformat(), datatype=XSD.date)


def parse_year(cell: Cell) -> Literal:
    """A four-digit year (``xsd:gYear``); a date keeps its year.

    >>> str(parse_year("2015")), str(parse_year("2015-06-01"))
    ('2015', '2015')
    """
    value = text(cell)
    if _YEAR.match(value):
        return Literal(value, datatype=XSD.gYear)
    try:
        year = _date(cell).year
    except CellError:
        raise CellError(f'"{value}" is not a year', "write four digits, e.g. 2015") from None
    return Literal(f"{year:04d}", datatype=XSD.gYear)


def _date(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    value = text(cell)
    try:
        if isinstance(cell, int | float) or _SERIAL.match(value):
            serial = float(value)
            if 1 <= serial < 2958466:
                return _EXCEL_EPOCH + timedelta(days=int(serial))
        iso = _ISO_DATE.match(value)
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        dmy = _DMY_DATE.match(value)
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        raise CellError(f'"{value}" is not a valid date', "no such day in the calendar") from None
    raise CellError(
        f'"{value}" is not a year or a date',
        "write a year (2009) or a date (2009-10-09 or 09/10/2009)",
    )


@lru_cache(maxsize=1024)
def country_code(value: str) -> str:
    """The upper-cased ISO 3166-1 alpha-2 code, or :class:`CellError` with the likely code.

    >>> country_code("eg")
    'EG'
    >>> country_code("UK")
    Traceback (most recent call last):
    ...
    graph.ingest.values.CellError: "UK" is not an ISO 3166-1 code
    """
    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    guess = _COMMON_MISTAKES.get(code)
    if guess is None:
        try:
            found = pycountry.countries.lookup(value.strip())
            guess = found.alpha_2
        except LookupError:
            guess = None
            if len(code) > 3:  # fuzzy matching of two letters suggests nonsense
                try:
                    guess = pycountry.countries.search_fuzzy(value.strip())[0].alpha_2
                except LookupError:
                    guess = None
    fix = "use the two-letter ISO 3166-1 code"
    if guess:
        country = pycountry.countries.get(alpha_2=guess)
        name = f" ({country.name})" if country is not None else ""
        fix = f"did you mean {guess}{name}?"
    raise CellError(f'"{value}" is not an ISO 3166-1 code', fix)


def word(cell: Cell, allowed: Mapping[str, URIRef], what: str, default: str | None = None) -> str:
    """The lower-cased word of a type/role cell, checked against ``allowed``.

    >>> word("Bank", {"bank": URIRef("x:b")}, "organization type")
    'bank'
    """
    value = text(cell).lower()
    if not value and default is not None:
        return default
    if value in allowed:
        return value
    close = get_close_matches(value, list(allowed), n=1)
    hint = f'did you mean "{close[0]}"? ' if close else ""
    if not value:
        raise CellError(f"the {what} is empty", hint + "allowed: " + ", ".join(allowed))
    raise CellError(
        f'"{text(cell)}" is not a known {what}', hint + "allowed: " + ", ".join(allowed),
    )


def closest(wanted: str, candidates: list[str], n: int = 3) -> list[str]:
    """The ``n`` candidates closest to ``wanted`` (difflib), best first.

    >>> closest("afdd", ["afd", "giz", "eib"])
    ['afd']
    """
    return get_close_matches(wanted, candidates, n=n, cutoff=0.6)
