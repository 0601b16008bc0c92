"""Turning cells into RDF values: text, booleans, years and dates, country codes, words.

Each parser returns the value, or raises :class:`CellError` whose message and fix go into a
:class:`~graph.errors.Problem` naming the row and column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache

import pycountry
import pyoxigraph as ox
from rdflib import URIRef

from ..i18n import Message
from ..names import closest as _closest
from .reading import Cell

__all__ = [
    "CellError",
    "closest",
    "country_code",
    "identifier",
    "parse_bool",
    "parse_date",
    "parse_year",
    "parse_year_or_date",
    "printable",
    "split_ids",
    "text",
    "web_address",
    "word",
]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_GYEAR = ox.NamedNode(_XSD + "gYear")
_DATE = ox.NamedNode(_XSD + "date")
#: Years a date or a year may have: anything else is a typing mistake (``99999``, ``20144``).
FIRST_YEAR, LAST_YEAR = 1000, 2100

_EXCEL_EPOCH = date(1899, 12, 30)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_ID_CHARS = re.compile(r"^[ -~]+$")  # printable ASCII
# Characters a web address (IRI) cannot hold as they are (RFC 3987): spaces, quotes, brackets.
_IRI_FORBIDDEN = re.compile(r'[\s"<>{}|\\^`\x00-\x1f\x7f]')
# Codes people write that ISO 3166-1 does not use, and what they mean.
_COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "KO": "XK"}


class CellError(ValueError):
    """A cell's value is not what its column needs; ``fix`` says what would be right (both
    catalogue messages: ``str()`` is English, the reader sees their language)."""

    def __init__(self, message: Message, fix: Message | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.fix = fix


def text(cell: Cell) -> str:
    """The cell as stripped text ('' when empty); numbers without a spurious ``.0``.

    >>> text(2009), text(" Tunis "), text(None)
    ('2009', 'Tunis', '')
    """
    if cell is None:
        return ""
    if type(cell) is str:
        return cell.strip()
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
    raise CellError(Message("cell.not_bool", value=text(cell)), Message("cell.not_bool_fix"))


def parse_year_or_date(cell: Cell) -> ox.Literal:
    """A year (``xsd:gYear``) or a date (``xsd:date``) from ``2009``, ``2009-10-09``,
    ``09/10/2009`` (day/month/year), an Excel serial date or an Excel date cell, between
    :data:`FIRST_YEAR` and :data:`LAST_YEAR`.

    >>> str(parse_year_or_date("2009"))
    '"2009"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> parse_year_or_date("09/10/2009").value, parse_year_or_date(40179).value
    ('2009-10-09', '2010-01-01')
    >>> parse_year_or_date("99999")
    Traceback (most recent call last):
    ...
    graph.ingest.values.CellError: "99999" is not a year or a date between 1000 and 2100
    """
    if isinstance(cell, int | float) and not isinstance(cell, bool) and 1000 <= cell <= 2999:
        return ox.Literal(str(_plausible_year(int(cell), text(cell))), datatype=_GYEAR)
    value = text(cell)
    if _YEAR.match(value):
        return ox.Literal(str(_plausible_year(int(value), value)), datatype=_GYEAR)
    return ox.Literal(_date(cell).isoformat(), datatype=_DATE)


def parse_date(cell: Cell) -> ox.Literal:
    """A date (``xsd:date``); a year alone is refused (events need a day).

    >>> parse_date("2014-03-18").value, parse_date("18/03/2014").value
    ('2014-03-18', '2014-03-18')
    >>> try:  # month first: what it reads as, and what it likely means
    ...     parse_date("03/18/2014")
    ... except CellError as exc:
    ...     print(exc, "—", exc.fix)  # doctest: +NORMALIZE_WHITESPACE
    "03/18/2014" is not a valid date — 03/18/2014 reads as day 03 of month 18; did you mean
    2014-03-18? Dates are written 2026-03-25 or 25/03/2026, day first
    """
    value = text(cell)
    if _YEAR.match(value):
        raise CellError(Message("cell.year_not_date", value=value),
                        Message("cell.year_not_date_fix", example=f"{value}-03-18"))
    return ox.Literal(_date(cell, year_ok=False).isoformat(), datatype=_DATE)


def parse_year(cell: Cell) -> ox.Literal:
    """A four-digit year (``xsd:gYear``); a date keeps its year.

    >>> parse_year("2015").value, parse_year("2015-06-01").value
    ('2015', '2015')
    """
    value = text(cell)
    if _YEAR.match(value):
        return ox.Literal(str(_plausible_year(int(value), value)), datatype=_GYEAR)
    try:
        year = _date(cell).year
    except CellError:
        raise CellError(Message("cell.not_year", value=value),
                        Message("cell.not_year_fix")) from None
    return ox.Literal(f"{year:04d}", datatype=_GYEAR)


def _plausible_year(year: int, shown: str) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(
            Message("cell.year_out_of_range", value=shown, first=FIRST_YEAR, last=LAST_YEAR),
            Message("cell.year_out_of_range_fix"),
        )
    return year


def _date(cell: Cell, *, year_ok: bool = True) -> date:
    found = _any_date(cell, year_ok=year_ok)
    _plausible_year(found.year, text(cell))
    return found


def _any_date(cell: Cell, *, year_ok: bool = True) -> date:
    """The date a cell holds: an Excel date or serial number, ``2026-03-25`` or ``25/03/2026``
    (day first). A value that is no date says which forms are; one that only makes sense
    month first (``03/25/2026``) says what it reads as and the date it likely means."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    value = text(cell)
    iso = _ISO_DATE.match(value)
    dmy = _DMY_DATE.match(value)
    try:
        if isinstance(cell, int | float) or _SERIAL.match(value):
            serial = float(value)
            if 1 <= serial < 2958466:
                return _EXCEL_EPOCH + timedelta(days=int(serial))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dmy:
            return date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        year, month, day = (iso[1], iso[2], iso[3]) if iso else (
            (dmy[3], dmy[2], dmy[1]) if dmy else ("", "", ""))
        swapped = _swapped(year, month, day)
        fix = Message("cell.bad_date_fix") if swapped is None else Message(
            "cell.month_first_fix", value=value, day=day, month=month, iso=swapped)
        raise CellError(Message("cell.bad_date", value=value), fix) from None
    if not year_ok:
        raise CellError(Message("cell.not_date", value=value), Message("cell.date_fix"))
    raise CellError(Message("cell.not_year_or_date", value=value),
                    Message("cell.not_year_or_date_fix"))


def _swapped(year: str, month: str, day: str) -> str | None:
    """The ISO date ``day`` / ``month`` name when swapped (a month-first date), if any.

    >>> _swapped("2026", "25", "03"), _swapped("2026", "02", "31")
    ('2026-03-25', None)
    """
    if not year or int(month) <= 12:
        return None
    try:
        return date(int(year), int(day), int(month)).isoformat()
    except ValueError:
        return None


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
    fix = Message("cell.country_fix")
    if guess:
        country = pycountry.countries.get(alpha_2=guess)
        fix = Message("cell.country_guess", code=guess, country=_Country(guess)) \
            if country is not None else Message("cell.country_guess_code", code=guess)
    raise CellError(Message("cell.not_country", value=value), fix)


class _Country(str):
    """A country code said as the country's name in the reader's language (Babel)."""

    def text(self, lang: str = "en") -> str:
        if lang == "en":  # pycountry's English name, as before
            country = pycountry.countries.get(alpha_2=str(self))
            return str(country.name) if country is not None else str(self)
        from ..i18n import country_name

        return country_name(str(self), lang)


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
    close = _closest(value, allowed, n=1)
    fix = Message("cell.word_close", close=close[0], allowed=list(allowed)) if close \
        else Message("cell.word_allowed", allowed=list(allowed))
    said = Message(_WHAT[what])
    if not value:
        raise CellError(Message("cell.word_empty", what=said), fix)
    raise CellError(Message("cell.unknown_word", value=text(cell), what=said), fix)


#: The words :func:`word` checks, as the catalogue says them.
_WHAT = {
    "organization type": "cell.what_org_type",
    "platform role": "cell.what_platform_role",
    "membership role": "cell.what_membership_role",
    "product type": "cell.what_product_type",
    "event type": "cell.what_event_type",
    "participation role": "cell.what_participation_role",
}


def identifier(cell: Cell) -> str:
    """The text of an id cell (``id``, or a reference such as ``organization``), refused when
    it could be mistaken for another id: ids are Latin letters (accents allowed), digits,
    ``.``, ``_``, ``-`` and spaces.

    Full-width forms (``ｐ０００１``), letters of other scripts that look Latin (Cyrillic
    ``р0001``) and ids without a Latin letter or digit (``اب``) are refused, never folded
    into another id.

    >>> identifier(" Côte d'Azur ")
    "Côte d'Azur"
    >>> identifier("р0001")
    Traceback (most recent call last):
    ...
    graph.ingest.values.CellError: "р0001" is not a valid id: "р" (CYRILLIC SMALL LETTER ER) ...
    """
    value = text(cell)
    if not value or (value.isascii() and value.isprintable() and _ALNUM.search(value)):
        return value  # the usual case: plain ASCII
    compatible = unicodedata.normalize("NFKC", value)
    if compatible != value and _ID_CHARS.match(compatible):
        raise CellError(Message("cell.id_lookalike", value=value),
                        Message("cell.id_lookalike_fix", compatible=compatible))
    for char in value:
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        if (folded and folded.isprintable()) or unicodedata.category(char) == "Mn":
            continue  # ASCII, or a Latin letter with an accent (folded as before)
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        shown = char if char.isprintable() else f"U+{ord(char):04X}"
        raise CellError(
            Message("cell.id_not_latin" if char.isalnum() else "cell.id_bad_char",
                    value=printable(value), char=shown, name=name),
            Message("cell.id_fix"),
        )
    if not any(c.isascii() and c.isalnum()
               for c in unicodedata.normalize("NFKD", value)):
        raise CellError(Message("cell.id_no_latin", value=value), Message("cell.id_fix"))
    return value


def printable(value: str) -> str:
    r"""``value`` with control and other invisible characters shown as ``U+XXXX``.

    >>> printable("a\x00b")
    'aU+0000b'
    """
    return "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in value)


def web_address(cell: Cell) -> ox.NamedNode:
    """A cell holding a web address (``http://`` or ``https://``), as an IRI.

    >>> web_address("https://www.afd.fr").value
    'https://www.afd.fr'
    >>> web_address('https://x.org/a b')
    Traceback (most recent call last):
    ...
    graph.ingest.values.CellError: "https://x.org/a b" is not a web address: it contains a space
    """
    value = text(cell)
    if not value.startswith(("http://", "https://")):
        raise CellError(Message("cell.not_web", value=value), Message("cell.not_web_fix"))
    bad = _IRI_FORBIDDEN.search(value)
    if bad:
        char = bad.group()
        what = (Message("cell.a_space") if char == " " else Message("cell.a_quote") if char == '"'
                else Message("cell.the_char", char=char) if char.isprintable()
                else Message("cell.a_control_char"))
        raise CellError(Message("cell.web_contains", value=value, what=what),
                        Message("cell.web_contains_fix"))
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise CellError(Message("cell.bad_web", value=value, detail=str(exc)),
                        Message("cell.bad_web_fix")) from None


def closest(wanted: str, candidates: list[str], n: int = 3) -> list[str]:
    """The ``n`` candidates closest to ``wanted``, best first (:func:`graph.names.closest`).

    >>> closest("afdd", ["afd", "giz", "eib"])
    ['afd']
    """
    return _closest(wanted, candidates, n=n)
