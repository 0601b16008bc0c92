"""The filters a page offers, as plain hashable values (cache keys, URL parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.network import ALL_TIES, DEFAULT_TIES, Filters, parse_filters

#: The one-mode projections (people, organisations, countries): rankings and paths use these.
ONE_MODE = ("people", "organizations", "countries")
#: Ties offered, and drawn unless asked otherwise (graph.network.filters says why).
TIES = ALL_TIES
MEASURE_COLUMNS = ("degree", "weighted_degree", "betweenness", "closeness", "pagerank",
                   "eigenvector", "constraint", "effective_size")

__all__ = ["DEFAULT_TIES", "MEASURE_COLUMNS", "ONE_MODE", "TIES", "FilterChoice",
           "filter_params"]


@dataclass(frozen=True)
class FilterChoice:
    """The filters as plain, hashable values (cache keys, URL parameters)."""

    communities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    ties: tuple[str, ...] = DEFAULT_TIES

    def to_filters(self) -> Filters:
        """Through the one parser every surface uses (graph.network.parse_filters)."""
        return parse_filters(
            communities=self.communities, countries=self.countries, org_types=self.org_types,
            year_from=self.year_from, year_to=self.year_to, ties=self.ties,
        )


def filter_params(choice: FilterChoice) -> dict[str, Any]:
    """The URL parameters that reproduce ``choice`` (defaults left out)."""
    return {
        "community": list(choice.communities),
        "country": list(choice.countries),
        "org_type": list(choice.org_types),
        "from": choice.year_from,
        "to": choice.year_to,
        "tie": [] if set(choice.ties) == set(DEFAULT_TIES) else list(choice.ties),
    }
