"""User-facing text in English, French and Arabic: UI strings, plurals, numbers, dates, labels.

Catalogues are the JSON files beside this module (``en.json``, ``fr.json``, ``ar.json``), one
flat object of ``key -> text`` each; they are the only source of every string copkg shows.
A text that counts something may instead be an object of CLDR plural categories
(``{"one": "{n} row", "other": "{n} rows"}``; Arabic uses ``zero``, ``one``, ``two``, ``few``,
``many`` and ``other``): :func:`t` picks the form for the value ``n``.

Numbers given to :func:`t` are written the locale's way by Babel (``9,204`` / ``9 204``);
``{x:.1f}`` keeps one decimal, ``{x:.0%}`` is a percentage, ``{x:d}`` writes the digits alone
(years). English is complete by definition; a key missing in another language falls back to
English *visibly* (``"Legend (en)"``) so a gap is seen, not hidden (and a test fails on it).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Protocol

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal, format_percent

from ..text import neutralise_bidi

__all__ = [
    "LANGUAGES",
    "Joined",
    "Localized",
    "Message",
    "OneOf",
    "PLURAL_CATEGORIES",
    "TranslatedName",
    "catalogue",
    "country_name",
    "direction",
    "format_date",
    "format_datetime",
    "format_list",
    "format_number",
    "has",
    "is_rtl",
    "isolate",
    "label",
    "normalize_language",
    "plural_category",
    "sequence",
    "t",
    "text_key",
    "translation",
    "Translated",
]

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories a catalogue text may be split into (``other`` is required)."""

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


def catalogue(lang: str) -> dict[str, Any]:
    """Every UI string in ``lang``, missing keys filled from English and marked ``(en)``.

    Values are texts, or objects of plural forms (see the module's note). The result is a new
    dict: callers may change it.

    >>> catalogue("fr")["map.legend"]
    'Légende'
    """
    lang = normalize_language(lang)
    english = _load(_FALLBACK)
    if lang == _FALLBACK:
        return dict(english)
    own = _load(lang) if lang in LANGUAGES else {}
    return {key: own[key] if key in own else _mark_entry(text) for key, text in english.items()}


def has(key: str) -> bool:
    """Whether the catalogue has the UI string ``key`` (for keys built from data, such as a
    column name).

    >>> has("map.legend"), has("col.no_such_column")
    (True, False)
    """
    return key in _load(_FALLBACK)


def t(key: str, lang: str = _FALLBACK, /, **values: Any) -> str:
    """The UI string ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``.

    Numbers are written the way of ``lang`` (Babel); a text with plural forms takes the form
    for ``n``. A key missing in ``lang`` falls back to English marked ``(en)``; a key missing
    in English is a bug and raises :class:`KeyError`.

    >>> t("map.legend", "ar")
    'مفتاح الخريطة'
    >>> t("map.n_nodes", "fr", n=9204), t("map.n_links", "en", n=1)
    ('9\u202f204 nœuds', '1 link')
    >>> t("app.rows", "en", n=1), t("app.rows", "ar", n=2), t("app.rows", "ar", n=11)
    ('1 row', 'صفّان', '11 صفًا')
    """
    lang = normalize_language(lang)
    english = _load(_FALLBACK)
    if key not in english:
        raise KeyError(f"no UI string {key!r} in graph/i18n/en.json")
    own = _load(lang) if lang in LANGUAGES else {}
    entry = own[key] if key in own else english[key]
    text_lang = lang if key in own else _FALLBACK
    if isinstance(entry, dict):
        count = values.get("n")
        if not isinstance(count, int | float) or isinstance(count, bool):
            raise TypeError(f"UI string {key!r} has plural forms: give it a number n=")
        entry = entry.get(plural_category(count, text_lang), entry["other"])
    text = str(entry)
    if values:
        locale = lang if lang in LANGUAGES else _FALLBACK
        text = text.format(**{name: _Number(value, locale) if _is_number(value) else value
                              for name, value in values.items()})
    return text if key in own or lang == _FALLBACK else _mark(text)


def text_key(prefix: str, english: str) -> str:
    """The catalogue key of a translation of ``english`` kept outside the catalogue: ``prefix``
    and a short hash of the text, so a changed English text needs a new translation.

    >>> text_key("query.x.title", "Partners by type")
    'query.x.title.c44820'
    """
    return f"{prefix}.{hashlib.sha1(english.encode('utf-8')).hexdigest()[:6]}"


def translation(key: str, lang: str) -> str | None:
    """The ``lang`` catalogue's own text for ``key``, or None: for texts whose English lives
    elsewhere (a saved query's ``.rq`` header), translated under ``query.<name>.…`` in fr/ar.

    >>> key = text_key("query.coauthors.title", "Who co-authored with whom")
    >>> translation(key, "fr"), translation(key, "en")
    ('Qui a coécrit avec qui', None)
    """
    lang = normalize_language(lang)
    if lang == _FALLBACK or lang not in LANGUAGES:
        return None
    entry = _load(lang).get(key)
    return entry if isinstance(entry, str) else None


def plural_category(n: float, lang: str) -> str:
    """The CLDR plural category of ``n`` in ``lang``.

    >>> [plural_category(n, "ar") for n in (0, 1, 2, 3, 11, 100)]
    ['zero', 'one', 'two', 'few', 'many', 'other']
    >>> plural_category(0, "fr"), plural_category(0, "en")
    ('one', 'other')
    """
    return str(_locale(lang).plural_form(abs(n)))


def format_number(value: float, lang: str, digits: int | None = None, *,
                  max_digits: int | None = None, significant: int | None = None) -> str:
    """``value`` written the way of ``lang``: grouped thousands, the locale's decimal sign;
    ``digits`` fixes the number of decimals, ``max_digits`` caps them (trailing zeros dropped);
    ``significant`` keeps that many significant digits; by default as many decimals as needed,
    at most three.

    >>> format_number(9204, "en"), format_number(9204, "fr"), format_number(0.5, "fr", 2)
    ('9,204', '9\u202f204', '0,50')
    >>> format_number(0.012345, "en", max_digits=4), format_number(2.5, "ar", max_digits=2)
    ('0.0123', '2.5')
    >>> format_number(0.0055362, "fr", significant=3), format_number(12.345, "en", significant=3)
    ('0,00554', '12.3')
    """
    locale = _babel_locale(lang)
    if significant:
        if abs(value) >= 10 ** significant:
            return str(format_decimal(round(value), locale=locale))
        return str(format_decimal(value, format="@" * significant, locale=locale))
    if digits is None and max_digits is None:
        return str(format_decimal(value, locale=locale))
    if digits is not None:
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    else:
        pattern = "#,##0" + ("." + "#" * max_digits if max_digits else "")
    return str(format_decimal(value, format=pattern, locale=locale))


def format_list(items: list[str], lang: str) -> str:
    """``items`` joined the way of ``lang`` (``a, b, and c``; ``a, b et c``; ``a وb وc``).

    >>> format_list(["people", "events"], "en"), format_list(["personnes", "événements"], "fr")
    ('people and events', 'personnes et événements')
    """
    from babel.lists import format_list as _babel_list

    return str(_babel_list(list(items), locale=_babel_locale(lang))) if items else ""


def format_date(value: _dt.date | str, lang: str) -> str:
    """A date written the way of ``lang`` (CLDR medium form); ISO text is accepted.

    >>> format_date("2024-03-05", "en"), format_date("2024-03-05", "fr")
    ('Mar 5, 2024', '5 mars 2024')
    """
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    return str(_babel_date(value, format="medium", locale=_babel_locale(lang)))


def format_datetime(value: _dt.datetime | str, lang: str) -> str:
    """A date and time written the way of ``lang`` (CLDR medium form); ISO text is accepted.
    A time with its zone is written in that zone.

    >>> format_datetime("2026-03-05T10:56:55+00:00", "fr")
    '5 mars 2026, 10:56:55'
    """
    if isinstance(value, str):
        value = _dt.datetime.fromisoformat(value)
    return str(_babel_datetime(value, format="medium", tzinfo=value.tzinfo,
                               locale=_babel_locale(lang)))


def country_name(code: str, lang: str) -> str:
    """The name of the country ``code`` (ISO 3166-1 alpha-2) in ``lang``; the code if unknown.

    >>> country_name("TN", "ar"), country_name("tn", "fr"), country_name("ZZZ", "en")
    ('تونس', 'Tunisie', 'ZZZ')
    """
    if not isinstance(code, str) or not code:
        return code
    return str(_locale(lang).territories.get(code.upper(), code))


class _Number:
    """A number inside :func:`t`: written by Babel for the locale (see the module's note)."""

    __slots__ = ("locale", "value")

    def __init__(self, value: float, locale: str) -> None:
        self.value, self.locale = value, locale

    def __format__(self, spec: str) -> str:
        if spec in ("", ",", "n", "g", ",g"):
            return format_number(self.value, self.locale)
        if spec == "d":
            return str(int(self.value))
        fixed = re.fullmatch(r",?\.(\d+)([f%])", spec)
        if fixed:
            digits = int(fixed.group(1))
            if fixed.group(2) == "%":
                pattern = _locale(self.locale).percent_formats[None].pattern
                if digits:
                    pattern = pattern.replace("0", "0." + "0" * digits, 1)
                return str(format_percent(self.value, format=pattern,
                                          locale=_babel_locale(self.locale)))
            return format_number(self.value, self.locale, digits)
        return format(self.value, spec)

    def __str__(self) -> str:
        return format_number(self.value, self.locale)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_babel_locale(lang))


def _babel_locale(lang: str) -> str:
    lang = normalize_language(lang)
    return lang if lang in LANGUAGES else _FALLBACK


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


def _mark_entry(entry: Any) -> Any:
    if isinstance(entry, dict):
        return {form: _mark(text) for form, text in entry.items()}
    return _mark(entry)


def _valid_entry(entry: object) -> bool:
    if isinstance(entry, str):
        return True
    return (isinstance(entry, dict) and "other" in entry
            and all(k in PLURAL_CATEGORIES and isinstance(v, str) for k, v in entry.items()))


@cache
def _load(lang: str) -> dict[str, Any]:
    source = resources.files(__package__).joinpath(f"{lang}.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(_valid_entry(v) for v in data.values()):
        raise ValueError(f"graph/i18n/{lang}.json must be one object of key -> text (or of "
                         f"plural forms: {', '.join(PLURAL_CATEGORIES)}, with other)")
    return data


class Localized(Protocol):
    """Anything that can say itself in a language (:class:`Message`, :class:`Translated`, a
    :class:`~graph.errors.CopkgError`)."""

    def text(self, lang: str = ...) -> str:  # pragma: no cover - a protocol
        """The text in ``lang``."""


class Message:
    """A catalogue text waiting for its reader: the key and the values that fill it.

    Errors and import problems carry one, so ``str()`` is English (logs, tests) while the CLI
    and the app show :meth:`text` in the reader's language. Values are filled as :func:`t`
    does (numbers by Babel, ``n`` picks the plural form), and besides:

    - a value with a ``text(lang)`` method (another :class:`Message`, a :class:`Translated`)
      is said in the same language;
    - a list or tuple is said item by item and joined with the catalogue's ``list.sep``;
    - a text (a file name, an id, what a person typed) is data: inserted as it is, and
      isolated (U+2068…U+2069) in a right-to-left language so it keeps its own order.

    >>> m = Message("error.no_saved_query", name="top_x")
    >>> str(m)
    "No saved query is called 'top_x' (`copkg queries` lists them)."
    >>> m.text("fr")
    "Aucune requête enregistrée ne s'appelle « top_x » (`copkg queries` les liste)."
    >>> Message("error.problems_found", n=2).text("ar")
    'وُجدت مشكلتان؛ لم يُستورد شيء'
    """

    __slots__ = ("key", "values")

    key: str
    values: dict[str, Any]

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key = key
        self.values = {name: tuple(v) if isinstance(v, list) else v
                       for name, v in values.items()}

    def text(self, lang: str = _FALLBACK) -> str:
        """The message in ``lang`` (English by default)."""
        lang = normalize_language(lang)
        return t(self.key, lang, **{name: _said(value, lang)
                                    for name, value in self.values.items()})

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        values = "".join(f", {k}={v!r}" for k, v in self.values.items())
        return f"Message({self.key!r}{values})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Message) and other.key == self.key
                and other.values == self.values)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, repr(v)) for k, v in self.values.items()))))


class Translated:
    """A text whose translations live in the data, not in the catalogue (a SHACL
    ``sh:message`` with ``@en``/``@fr``/``@ar`` tags): said in the asked language, else
    English, else any (:func:`label`).

    >>> Translated({"en": "A theme needs a name.", "fr": "Un thème doit avoir un nom."}).text("fr")
    'Un thème doit avoir un nom.'
    """

    __slots__ = ("texts",)

    texts: tuple[tuple[str, str], ...]

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = tuple(sorted(texts.items()))

    def text(self, lang: str = _FALLBACK) -> str:
        """The text in ``lang`` (else English, else any language it has)."""
        return label(dict(self.texts), lang)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Translated({dict(self.texts)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Translated) and other.texts == self.texts

    def __hash__(self) -> int:
        return hash(self.texts)


class TranslatedName(Translated):
    """A name from the data in several languages (``label (id)``), said in the asked
    language and, like any data inside a right-to-left sentence, isolated (:func:`isolate`).

    >>> name = TranslatedName({"en": "Tunisia (TN)", "ar": "تونس (TN)"})
    >>> name.text("ar") == "\u2068تونس (TN)\u2069", name.text("fr")
    (True, 'Tunisia (TN)')
    """

    __slots__ = ()

    def text(self, lang: str = _FALLBACK) -> str:
        """The name in ``lang`` (else English), isolated in a right-to-left language."""
        return isolate(super().text(lang), lang)

    def __str__(self) -> str:
        return super().text()

    def __repr__(self) -> str:
        return f"TranslatedName({dict(self.texts)!r})"


@dataclass(frozen=True)
class Joined:
    """Items said one after the other inside a :class:`Message`, joined by the catalogue's
    separator ``sep`` (``list.sep``: ", "; ``error.match_sep``: "; "), each said as a value
    of the message is (data isolated in right-to-left text).

    >>> Joined(("a", "b"), "error.match_sep").text("fr")
    'a ; b'
    """

    items: tuple[Any, ...]
    sep: str = "list.sep"

    def text(self, lang: str = _FALLBACK) -> str:
        """The items in ``lang``."""
        return t(self.sep, lang).join(
            format_number(item, lang) if _is_number(item) else str(_said(item, lang))
            for item in self.items)


class OneOf(tuple[str, ...]):
    """Names offered as alternatives inside a :class:`Message` whose text quotes them
    (``'did you mean "{names}"?'``): joined by the language's quoted "or" (``list.or_quoted``),
    each isolated in right-to-left text.

    >>> OneOf(["afd", "giz"]).text("en"), OneOf(["afd", "giz"]).text("fr")
    ('afd" or "giz', 'afd » ou « giz')
    """

    def text(self, lang: str = _FALLBACK) -> str:
        """The alternatives in ``lang``."""
        return t("list.or_quoted", lang).join(isolate(item, lang) for item in self)


def isolate(text: str, lang: str) -> str:
    """``text`` isolated (U+2068…U+2069) inside a right-to-left ``lang``'s sentence, so a path
    or a Latin name keeps its own order; unchanged in a left-to-right language.

    >>> isolate("data/people.csv", "ar") == "\u2068data/people.csv\u2069", isolate("x", "fr")
    (True, 'x')
    """
    return f"\u2068{text}\u2069" if is_rtl(lang) and text else text


#: Bidirectional isolates: left-to-right, right-to-left, first strong, and their end.
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def sequence(names: Sequence[str], lang: str) -> str:
    """Names in the reader's direction, each step's arrow pointing to the next one: ``A → B →
    C`` in a left-to-right language, ``A ← B ← C`` read from the right in Arabic. The whole
    chain is isolated in the language's direction (RLI…PDI in Arabic) and every name on its own
    (FSI…PDI), so a Latin first name cannot turn an Arabic chain around (nor an Arabic name a
    French one); a left-to-right chain of left-to-right names stays plain text.

    >>> sequence(["Ana", "Ben"], "en")
    'Ana → Ben'
    >>> sequence(["Élodie", "نادية"], "ar") == "\u2067\u2068Élodie\u2069 ← \u2068نادية\u2069\u2069"
    True
    >>> sequence(["نادية", "Ben"], "fr") == "\u2066\u2068نادية\u2069 → \u2068Ben\u2069\u2069"
    True
    """
    texts = [str(name) for name in names]
    if is_rtl(lang):
        return RLI + " ← ".join(FSI + text + PDI for text in texts) + PDI
    if not any(_RTL_LETTER.search(text) for text in texts):
        return " → ".join(texts)
    return LRI + " → ".join(FSI + text + PDI for text in texts) + PDI


def _said(value: Any, lang: str) -> Any:
    """One value of a :class:`Message`, ready for :func:`t` in ``lang``."""
    said = getattr(value, "text", None)
    if callable(said):
        return said(lang)
    if isinstance(value, str):
        return isolate(value, lang)
    if isinstance(value, tuple):
        return t("list.sep", lang).join(
            format_number(item, lang) if _is_number(item) else str(_said(item, lang))
            for item in value)
    if _is_number(value):
        return value
    return "" if value is None else isolate(str(value), lang)
