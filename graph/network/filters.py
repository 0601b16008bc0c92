"""What part of the graph a projection looks at: communities, countries, types, years, ties.

:func:`parse_filters` is the ONE parser from a person's choices (command-line options, the
app's widgets and URL, story files, Python calls) to :class:`Filters`: the same names, the same
comma lists, the same ``all`` everywhere. :func:`resolve_filters` then checks every value
against the data (done by :func:`~graph.network.project` for every projection), so an unknown
community, country or type is an error listing the closest matches, never an empty network.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..countries import country_choices, country_label
from ..errors import CopkgError, NotFoundError
from ..i18n import LANGUAGES
from ..names import closest, match_name
from ..vocab import resource_iri

if TYPE_CHECKING:
    from .incidence import Incidence

__all__ = [
    "ALL",
    "ALL_TIES",
    "DEFAULT_TIES",
    "FILTER_KEYS",
    "Filters",
    "filters_from_mapping",
    "parse_filters",
    "resolve_country",
    "resolve_filters",
]

#: The word that means "no restriction" (communities, countries, types) or "every kind" (ties).
ALL = "all"
#: The names of the filters, as in :class:`Filters`, story files and :func:`parse_filters`.
FILTER_KEYS = ("communities", "countries", "org_types", "year_from", "year_to", "ties")

#: Every kind of tie a projection can draw.
ALL_TIES: tuple[str, ...] = ("coauthorship", "event", "community")

#: Ties drawn unless asked otherwise. "Same community" is left out on purpose: a community of
#: 150 members is a clique of 11,175 edges that says "they are on the same list", not "they
#: work together"; it would bury the real collaborations and put everyone of a community one
#: step from everyone else (betweenness and paths become meaningless). Ask for it with
#: ``ties=ALL_TIES`` (``--ties all`` on the command line).
DEFAULT_TIES: tuple[str, ...] = ("coauthorship", "event")


@dataclass(frozen=True)
class Filters:
    """Which resources and which ties a projection uses.

    ``communities`` are ids (``urban-transport``) or IRIs; ``countries`` ISO 3166-1 alpha-2
    codes; ``org_types`` the organisations sheet's ``type`` words (``bank``, ``city``...);
    ``year_from``/``year_to`` bound the year of products (``dct:issued``) and events
    (``schema:startDate``), both inclusive; ``ties`` the kinds of tie drawn.

    >>> f = Filters(communities=("urban-transport",), countries=("tn",), ties=("event",))
    >>> f.community_iris
    frozenset({'https://w3id.org/copkg/id/community/urban-transport'})
    >>> sorted(f.country_codes)
    ['TN']
    """

    communities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    ties: tuple[str, ...] = DEFAULT_TIES
    # Derived, normalised forms (filled in __post_init__).
    community_iris: frozenset[str] = field(init=False, repr=False, compare=False)
    country_codes: frozenset[str] = field(init=False, repr=False, compare=False)
    type_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("communities", "countries", "org_types", "ties"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,))
            else:
                object.__setattr__(self, name, tuple(value))
        unknown = sorted(set(self.ties) - set(ALL_TIES))
        if unknown:
            raise CopkgError("error.unknown_ties", ties=unknown, choices=list(ALL_TIES))
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise CopkgError("error.empty_years", first=self.year_from, last=self.year_to)
        object.__setattr__(self, "community_iris", frozenset(_iris(self.communities)))
        object.__setattr__(
            self, "country_codes", frozenset(c.strip().upper() for c in self.countries)
        )
        object.__setattr__(
            self, "type_words", frozenset(t.strip().lower() for t in self.org_types)
        )

    def year_ok(self, year: int | None) -> bool:
        """True when ``year`` is inside the range (an unknown year passes only without one)."""
        if self.year_from is None and self.year_to is None:
            return True
        if year is None:
            return False
        if self.year_from is not None and year < self.year_from:
            return False
        return self.year_to is None or year <= self.year_to


def _iris(ids: Iterable[str]) -> list[str]:
    out = []
    for ident in ids:
        ident = ident.strip()
        if ident.startswith(("http://", "https://")):
            out.append(ident)
        elif ident:
            out.append(str(resource_iri("community", ident)))
    return out


Choice = str | int | Iterable[str] | None


def parse_filters(
    *,
    communities: Choice = None,
    countries: Choice = None,
    org_types: Choice = None,
    year_from: Choice = None,
    year_to: Choice = None,
    ties: Choice = None,
) -> Filters:
    """:class:`Filters` from choices as a person gives them, on any surface.

    Each list accepts one text (``"TN,MA"``), a list of texts (each may hold commas), or
    nothing. ``all`` means no restriction for communities, countries and types, and every kind
    of tie for ``ties``; no ties given means :data:`DEFAULT_TIES`. Years are whole numbers or
    their text. Values are checked against the data later (:func:`resolve_filters`).

    >>> f = parse_filters(countries="tn, MA", ties="all", year_from="2015")
    >>> f.countries, f.ties, f.year_from
    (('tn', 'MA'), ('coauthorship', 'event', 'community'), 2015)
    >>> parse_filters(ties=["event"], communities=["all"]).communities
    ()
    >>> parse_filters(ties="events")
    Traceback (most recent call last):
    ...
    graph.errors.CopkgError: Unknown kind of tie 'events'; choose among coauthorship, event, \
community (or all). Did you mean event?
    """
    tie_list = _split(ties)
    if not tie_list:
        chosen_ties = DEFAULT_TIES
    elif ALL in {t.lower() for t in tie_list}:
        chosen_ties = ALL_TIES
    else:
        chosen_ties = tuple(dict.fromkeys(t.lower() for t in tie_list))
        for tie in chosen_ties:
            if tie not in ALL_TIES:
                close = _close(tie, ALL_TIES)
                raise CopkgError("error.unknown_tie_close" if close else "error.unknown_tie",
                                 tie=tie, choices=list(ALL_TIES), close=close)
    return Filters(
        communities=_all_or(_split(communities)),
        countries=_all_or(_split(countries)),
        org_types=tuple(t.lower() for t in _all_or(_split(org_types))),
        year_from=_year(year_from, "from"),
        year_to=_year(year_to, "to"),
        ties=chosen_ties,
    )


def filters_from_mapping(values: Mapping[str, Any] | None) -> Filters:
    """:func:`parse_filters` from a mapping with :data:`FILTER_KEYS` (a story step's
    ``filters``, a saved view); an unknown key is an error naming the known ones.

    >>> filters_from_mapping({"countries": ["TN"], "ties": "all"}).ties
    ('coauthorship', 'event', 'community')
    >>> filters_from_mapping({"country": "TN"})
    Traceback (most recent call last):
    ...
    graph.errors.CopkgError: Unknown filter 'country'; filters are communities, countries, \
org_types, year_from, year_to, ties. Did you mean countries?
    """
    values = dict(values or {})
    for key in values:
        if key not in FILTER_KEYS:
            close = _close(key, FILTER_KEYS)
            raise CopkgError("error.unknown_filter_close" if close else "error.unknown_filter",
                             key=key, filters=list(FILTER_KEYS), close=close)
    for key in ("communities", "countries", "org_types", "ties"):
        value = values.get(key)
        if value is not None and not isinstance(value, str) and not (
            isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
        ):
            raise CopkgError("error.filter_not_list", key=key, value=repr(value))
    return parse_filters(**values)


def resolve_filters(f: Filters, data: Incidence) -> Filters:
    """``f`` with every value checked against ``data``: communities as IRIs (given by id, IRI
    or label), countries as ISO codes (given by code or by a name in English, French or
    Arabic), types as the data's words. Raises :class:`~graph.errors.NotFoundError` with the
    closest matches for a value that names nothing in the data.
    """
    communities = tuple(
        match_name(_community_names(data), c, what="community",
                   names=lambda: {iri: {lang: data.label(iri, lang) for lang in LANGUAGES}
                                  for iri in data.communities}) for c in f.communities
    )
    countries = tuple(resolve_country(data, c) for c in f.countries)
    known_types = sorted(set(data.org_type.values()))
    org_types = []
    for word in f.org_types:
        if word not in known_types:
            close = _close(word, known_types)
            raise NotFoundError("error.no_org_type" if known_types else "error.no_org_types",
                                [close] if close else [], word=word, types=known_types)
        org_types.append(word)
    return replace(f, communities=communities, countries=countries, org_types=tuple(org_types))


def resolve_country(data: Incidence, text: str) -> str:
    """The ISO code of the country ``text`` names among the countries of ``data``: its code or
    a name in English, French or Arabic (:func:`graph.countries.country_names`), in any case
    and with or without accents — the ONE rule for ``--country``, filters and saved-query
    parameters of type ``country``. Raises :class:`~graph.errors.NotFoundError` with the
    closest countries (named in the reader's language) when it names none.

    >>> from graph.network import Incidence
    >>> data = Incidence(people={"p"}, country={"p": "TN"})
    >>> [resolve_country(data, t) for t in ("tn", "Tunisie", "TUNISIA", "تونس")]
    ['TN', 'TN', 'TN', 'TN']
    """
    return match_name(_country_names(data), text, what="country",
                      names=lambda: _country_shown(data))


def _community_names(data: Incidence) -> list[tuple[str, str]]:
    out = []
    for iri in sorted(data.communities):
        names = dict.fromkeys([data.label(iri), *sorted(data.labels.get(iri, {}).values())])
        out += [(iri, name) for name in names]
    return out


def _country_shown(data: Incidence) -> dict[str, dict[str, str]]:
    """Each country's name in every language of copkg (for suggestions in errors)."""
    from .projections import country_members

    members = country_members(data)
    codes = {data.actor_country(a) for a in data.people | data.organizations} - {""}
    return {code: {lang: country_label(code, lang, members) for lang in LANGUAGES}
            for code in codes}


def _country_names(data: Incidence) -> list[tuple[str, str]]:
    """Each country of the data under every name of :func:`graph.countries.country_names`
    (the platform member's labels, CLDR names in en/fr/ar, ISO names, the code)."""
    from .projections import country_members

    codes = {data.actor_country(a) for a in data.people | data.organizations}
    return country_choices(codes, country_members(data))


def _split(value: Choice) -> list[str]:
    if value is None:
        return []
    if isinstance(value, int):
        return [str(value)]
    items = [value] if isinstance(value, str) else list(value)
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _all_or(values: list[str]) -> tuple[str, ...]:
    return () if any(v.lower() == ALL for v in values) else tuple(dict.fromkeys(values))


def _year(value: Choice, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CopkgError("error.year_filter", name=name, value=repr(value))
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isdigit():
        raise CopkgError("error.year_filter_example", name=name, value=repr(value))
    return int(text)


def _close(word: str, options: Iterable[str]) -> str | None:
    found = closest(word, options, n=1)
    return found[0] if found else None
