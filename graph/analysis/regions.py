"""North and south of the platform, its members and its program's start: read from the store.

Which country is "north" or "south" is a **copkg convention**, defined here and nowhere else:

- **south**: the countries of the platform's member *governments* (``org:Membership`` with
  ``cop:MemberRole`` in the ``cop:Platform``, ``cop:organizationType "government"``) that are
  not member states of the European Union — with the bundled ``data/cmi.ttl``: Egypt, Jordan,
  Lebanon, Morocco, the Palestinian Authority and Tunisia (the interview's member list);
- **north**: the member states of the European Union (:data:`EU_MEMBER_STATES`, the 27 states
  of 2020 onwards, as listed by the EU); with the bundled data, the member governments France,
  Greece and Italy and the seats of European partners (Germany, Belgium, Luxembourg);
- **other**: every other country (e.g. the United States, seat of the World Bank Group), and
  actors without a country.

The member list is read from the graph (never written here), so a member added to the data
moves its country into the south (or north) on the next run. The program's start year
(2010 for the Sustainable Urban Transport program) is read from ``cop:launched`` likewise.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..store import KnowledgeGraph

__all__ = ["EU_MEMBER_STATES", "REGION_PAIRS", "Regions", "platform_members",
           "program_start", "region_pair", "regions"]

#: ISO 3166-1 alpha-2 codes of the 27 member states of the European Union (since 2020).
#: The one place copkg lists them; a copkg convention for "north" (see the module text).
EU_MEMBER_STATES: frozenset[str] = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
})

#: Kinds of country pair, in the order tables list them.
REGION_PAIRS = ("domestic", "north-north", "north-south", "south-south", "other")


@dataclass(frozen=True)
class Regions:
    """ISO code → ``"north"`` | ``"south"`` | ``"other"``, with the member list behind it.

    >>> r = Regions(south=frozenset({"TN"}))
    >>> r.of("TN"), r.of("FR"), r.of("US"), r.of("")
    ('south', 'north', 'other', 'other')
    """

    south: frozenset[str]
    north: frozenset[str] = EU_MEMBER_STATES

    def of(self, code: str) -> str:
        """The region of country ``code`` (``"other"`` when unknown or empty)."""
        code = (code or "").upper()
        if code in self.south:
            return "south"
        if code in self.north:
            return "north"
        return "other"


def region_pair(a: str, b: str, regions: Regions) -> str:
    """The kind of the pair of countries ``a`` – ``b`` (one of :data:`REGION_PAIRS`).

    >>> r = Regions(south=frozenset({"TN", "MA"}))
    >>> [region_pair(*p, r) for p in (("TN", "TN"), ("FR", "TN"), ("MA", "TN"), ("FR", "IT"),
    ...                                ("US", "TN"))]
    ['domestic', 'north-south', 'south-south', 'north-north', 'other']
    """
    if a == b:
        return "domestic"
    kinds = sorted((regions.of(a), regions.of(b)))
    if "other" in kinds:
        return "other"
    return "-".join(kinds)


_MEMBERS = """
SELECT ?member ?role ?type ?country ?platform WHERE {
  ?platform a cop:Platform .
  ?ms org:organization ?platform ; org:member ?member ; org:role ?role .
  OPTIONAL { ?member cop:organizationType ?type }
  OPTIONAL { ?member cop:country ?country }
}"""


def platform_members(kg: KnowledgeGraph) -> pd.DataFrame:
    """The platform's members, observers and partners as the graph states them.

    Columns ``member`` (IRI), ``role`` (``member`` | ``observer`` | ``partner`` | other role
    IRI), ``type`` (organisation type word), ``country`` (ISO code or ``""``), ``platform``.

    >>> platform_members(KnowledgeGraph.in_memory()).empty
    True
    """
    rows = []
    for member, role, kind, country, platform in kg.select(_MEMBERS).rows:
        if member is None or platform is None:
            continue
        word = role.value.rsplit("#", 1)[-1] if role is not None else ""
        rows.append({
            "member": member.value,
            "role": word[:-4].lower() if word.endswith("Role") else word,
            "type": kind.value.strip().lower() if kind is not None else "",
            "country": country.value.strip().upper() if country is not None else "",
            "platform": platform.value,
        })
    columns = ["member", "role", "type", "country", "platform"]
    return pd.DataFrame(rows, columns=columns).sort_values(columns, ignore_index=True)


def regions(kg: KnowledgeGraph) -> Regions:
    """North and south as the module text defines them, from ``kg``'s member list.

    >>> regions(KnowledgeGraph.in_memory()).south
    frozenset()
    """
    members = platform_members(kg)
    governments = members[(members["role"] == "member") & (members["type"] == "government")]
    south = {c for c in governments["country"] if c and c not in EU_MEMBER_STATES}
    return Regions(south=frozenset(south))


_PROGRAM_START = """
SELECT ?program ?launched WHERE { ?program a cop:Program ; cop:launched ?launched }
ORDER BY ?launched ?program"""


def program_start(kg: KnowledgeGraph) -> int | None:
    """The year the platform's first program started (``cop:launched``), or ``None``.

    With the bundled ``data/cmi.ttl`` this is the Sustainable Urban Transport program's 2010.

    >>> program_start(KnowledgeGraph.in_memory()) is None
    True
    """
    for _program, launched in kg.select(_PROGRAM_START).rows:
        if launched is None:
            continue
        head = launched.value.strip()[:4]
        if head.isdigit():
            return int(head)
    return None
