"""Which platform members take part in which community, and where they are absent (gaps)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pyoxigraph as ox

from ..network.incidence import Incidence, load_incidence
from ..store import KnowledgeGraph
from ..vocab import COP, PLATFORM_ID, resource_iri

__all__ = ["coverage", "gaps"]

_MEMBERS = """
SELECT ?m WHERE { ?ms org:organization ?platform ; org:member ?m ; org:role ?role }"""
_COLUMNS = [
    "member", "member_label", "country", "community", "community_label", "people",
    "products", "events", "status",
]


def coverage(kg: KnowledgeGraph, *, thin: int = 2, data: Incidence | None = None,
             language: str = "en") -> pd.DataFrame:
    """Platform members × communities: how many people, products and events in each cell.

    Members are the organisations with an ``org:Membership`` in the platform (``id:org/cmi``)
    with role member. A member with a country (a member state) counts everyone from that
    country (people by their own country, else their organisation's); a member without one
    counts its own people. ``status`` is ``absent`` (nothing at all), ``thin`` (at most
    ``thin`` people, or no product and no event) or ``ok``. Labels are in ``language``.

    >>> coverage(KnowledgeGraph.in_memory()).empty
    True
    """
    data = data or load_incidence(kg)
    rows = kg.select(
        _MEMBERS,
        {
            "platform": ox.NamedNode(str(resource_iri("organization", PLATFORM_ID))),
            "role": ox.NamedNode(str(COP.MemberRole)),
        },
    ).rows
    members = sorted({m.value for (m,) in rows if m is not None})
    communities = sorted(data.communities)

    def key_of(actor: str) -> set[str]:
        org = actor if actor in data.organizations else data.affiliation.get(actor, "")
        keys = {"org:" + org}
        code = data.actor_country(actor)
        if code:
            keys.add("country:" + code)
        return keys

    people: dict[tuple[str, str], int] = defaultdict(int)
    for c, community_members in data.members.items():
        for actor in community_members:
            if actor in data.people:
                for k in key_of(actor):
                    people[(k, c)] += 1
    counts: dict[str, dict[tuple[str, str], int]] = {
        "products": defaultdict(int), "events": defaultdict(int)
    }
    for name, pool in (("products", data.products), ("events", data.events)):
        for item in pool.values():
            keys = set().union(*(key_of(a) for a in item.actors)) if item.actors else set()
            for c in item.communities:
                for k in keys:
                    counts[name][(k, c)] += 1
    out = []
    for m in members:
        code = data.country.get(m, "")
        key = "country:" + code if code else "org:" + m
        for c in communities:
            n_people = people.get((key, c), 0)
            n_products = counts["products"].get((key, c), 0)
            n_events = counts["events"].get((key, c), 0)
            if n_people + n_products + n_events == 0:
                status = "absent"
            elif n_people <= thin or n_products + n_events == 0:
                status = "thin"
            else:
                status = "ok"
            out.append({
                "member": m, "member_label": data.label(m, language), "country": code,
                "community": c, "community_label": data.label(c, language), "people": n_people,
                "products": n_products, "events": n_events, "status": status,
            })
    return pd.DataFrame(out, columns=_COLUMNS)


def gaps(kg: KnowledgeGraph, *, thin: int = 2, data: Incidence | None = None,
         language: str = "en") -> pd.DataFrame:
    """The cells of :func:`coverage` that are ``absent`` or ``thin``, absent ones first.

    >>> gaps(KnowledgeGraph.in_memory()).columns[-1]
    'status'
    """
    table = coverage(kg, thin=thin, data=data, language=language)
    table = table[table["status"] != "ok"].copy()
    table["_order"] = table["status"].map({"absent": 0, "thin": 1})
    table = table.sort_values(["_order", "member_label", "community_label"], kind="mergesort")
    return table.drop(columns="_order").reset_index(drop=True)
