"""How copkg names a country: ONE rule for maps, legends, tables, charts, saved-query results,
CLI messages and the names a person may type.

A country that is a platform member through its government is called by that member's own
label ("Palestinian Authority", not CLDR's "Palestinian Territories" nor ISO's "Palestine,
State of"), in the reader's language; any other country by its CLDR name (Babel) in that
language. ``members`` maps an ISO 3166-1 alpha-2 code to the labels (language tag → text) of
the member standing for it: :func:`graph.network.country_members` reads them from the data,
:func:`members_of` from a projection.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import i18n

__all__ = ["Members", "country_choices", "country_label", "country_names", "members_of"]

Members = Mapping[str, Mapping[str, str]]
"""ISO code → labels (language tag → text) of the platform member that stands for the country."""

#: Key under which a projection keeps a country's member labels in ``G.graph["labels"]``.
_PREFIX = "country:"


def country_label(code: str, lang: str, members: Members | None = None) -> str:
    """The name of country ``code`` shown to a reader of ``lang``: the label of the platform
    member standing for it (in ``lang``, else English, else any), else the CLDR name in
    ``lang``; the code itself when neither knows it, ``""`` for no code.

    >>> members = {"PS": {"en": "Palestinian Authority", "fr": "Autorité palestinienne"}}
    >>> country_label("PS", "fr", members), country_label("ps", "ar", members)
    ('Autorité palestinienne', 'Palestinian Authority')
    >>> country_label("TN", "fr", members), country_label("PS", "fr"), country_label("XX", "en")
    ('Tunisie', 'Territoires palestiniens', 'XX')
    """
    if not isinstance(code, str) or not code.strip():
        return ""
    code = code.strip().upper()
    own = (members or {}).get(code)
    if own:
        named = i18n.label(own, lang)
        if named:
            return named
    return i18n.country_name(code, lang)


def country_names(code: str, members: Members | None = None) -> list[str]:
    """Every name a person may give for country ``code``, the English display name first:
    the member's labels in every language, the CLDR names in every language of copkg, the
    ISO names and the code (for :func:`graph.names.match_name`, which ignores case and
    accents).

    >>> country_names("TN")[:4]
    ['Tunisia', 'Tunisie', 'تونس', 'Republic of Tunisia']
    >>> "Autorité palestinienne" in country_names("PS", {"PS": {"fr": "Autorité palestinienne"}})
    True
    """
    code = code.strip().upper()
    names = [country_label(code, "en", members)]
    names += [text for _, text in sorted((members or {}).get(code, {}).items()) if text]
    names += [i18n.country_name(code, lang) for lang in i18n.LANGUAGES]
    names += _iso_names(code)
    names.append(code)
    return [n for n in dict.fromkeys(n.strip() for n in names) if n]


def members_of(G: Any) -> dict[str, Mapping[str, str]]:
    """The member labels a projection carries (``G.graph["labels"]["country:XX"]``).

    >>> import networkx as nx
    >>> members_of(nx.Graph(labels={"country:PS": {"en": "Palestinian Authority"}, "x": {}}))
    {'PS': {'en': 'Palestinian Authority'}}
    """
    labels = getattr(G, "graph", {}).get("labels", {}) if G is not None else {}
    return {key[len(_PREFIX):]: names for key, names in labels.items()
            if key.startswith(_PREFIX) and isinstance(names, Mapping)}


def country_choices(codes: Iterable[str], members: Members | None = None
                    ) -> list[tuple[str, str]]:
    """``(code, name)`` pairs of :func:`country_names` for each code, for name matching.

    >>> ("TN", "Tunisie") in country_choices(["TN"])
    True
    """
    return [(code, name) for code in sorted({c.strip().upper() for c in codes if c})
            for name in country_names(code, members)]


def _iso_names(code: str) -> list[str]:
    """ISO 3166-1 names (pycountry): ``name``, ``common_name``, ``official_name``."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return []
    return [str(getattr(country, attr)) for attr in ("name", "common_name", "official_name")
            if getattr(country, attr, None)]
