"""What part of the graph a projection looks at: communities, countries, types, years, ties."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..errors import CopkgError
from ..vocab import resource_iri

__all__ = ["ALL_TIES", "DEFAULT_TIES", "Filters"]

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
            raise CopkgError(
                f"Unknown kind of tie {', '.join(unknown)}; choose among {', '.join(ALL_TIES)}."
            )
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise CopkgError(f"The year range {self.year_from}–{self.year_to} is empty.")
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
