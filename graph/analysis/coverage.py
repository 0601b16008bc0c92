"""Which platform members take part in which community, read two ways, and where they are absent.

The ONE definition of "a member's presence in a community" (DESIGN.md, "What an answer
means"), used by ``copkg gaps``, the app's Coverage tab, the notebooks and, written in SPARQL,
the saved query ``absent_members`` (``tests/test_answers_coverage.py`` runs both on the same data
and compares them):

(a) **member itself** — the member organisation holds its own membership of the community
    (an ``org:Membership``, or ``org:memberOf`` / ``org:hasMember``);
(b) **people** — members of the community affiliated (``org:memberOf`` / ``org:hasMember``)
    with the member organisation or one of its units (``org:unitOf``,
    ``org:subOrganizationOf``, inverse ``org:hasUnit`` / ``org:hasSubOrganization``, at any
    depth); for a **government** (a member state: ``cop:Government`` or type ``government``)
    also the people of that country's institutions (organisations whose ``cop:country`` is the
    government's). A city, region, bank or agency never counts a whole country's people, and a
    person counts for the country of their institution, not of their passport.

``products`` and ``events`` count the community's products and events with an author or
participant who is the organisation, one of its units or institutions, or one of their people.
``status``: ``absent`` (not itself a member, and no people, product or event), ``thin``
(at most ``thin`` people, or no product and no event), else ``ok``.

The network filters (:func:`graph.network.parse_filters`, ``--community --country --org-type
--from --to`` on the command line) narrow the grid: communities its columns, countries and
organisation types its members (the member's own country and type), years the products and
events counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pandas as pd
import pyoxigraph as ox

from ..i18n import format_list, t
from ..names import match_name
from ..network.cache import incidence
from ..network.filters import Filters, resolve_filters
from ..network.incidence import Incidence, Item
from ..store import KnowledgeGraph
from ..vocab import COP, PLATFORM_ID, resource_iri

__all__ = ["COVERAGE_COLUMNS", "affiliated_organizations", "coverage", "definition", "gaps"]

_MEMBERS = """
SELECT ?m WHERE { ?ms org:organization ?platform ; org:member ?m ; org:role ?role }"""
COVERAGE_COLUMNS = [
    "member", "member_label", "member_type", "country", "community", "community_label",
    "member_itself", "people", "products", "events", "status",
]


def definition(language: str = "en", *, thin: int = 2) -> str:
    """The one-line definition printed next to every coverage answer, in ``language``.

    >>> definition("en").startswith("A member's presence in a community, read two ways")
    True
    """
    return t("answer.coverage", language, thin=thin)


def coverage(kg: KnowledgeGraph, *, thin: int = 2, data: Incidence | None = None,
             communities: Iterable[str] | None = None, filters: Filters | None = None,
             language: str = "en") -> pd.DataFrame:
    """Platform members × communities, both readings of presence, and activity per cell.

    Members are the organisations with an ``org:Membership`` of role member in the platform
    (``id:org/cmi``). Columns: :data:`COVERAGE_COLUMNS` (see the module docstring for each
    definition); ``communities`` (ids, IRIs or labels; unknown → NotFoundError) restricts the
    columns of the grid; ``filters`` (:class:`~graph.network.Filters`, checked against the data)
    narrow it as the module docstring says.
    ``df.attrs["definition"]`` holds the definition in English. Labels are in ``language``.
    A table without rows says why in ``df.attrs["empty_reason"]``.

    >>> coverage(KnowledgeGraph.in_memory()).attrs["empty_reason"][:42]
    'The knowledge graph holds no data yet: imp'
    """
    data = data or incidence(kg)  # cached per store state (graph.network.cache)
    rows = kg.select(
        _MEMBERS,
        {
            "platform": ox.NamedNode(str(resource_iri("organization", PLATFORM_ID))),
            "role": ox.NamedNode(str(COP.MemberRole)),
        },
    ).rows
    members = sorted({m.value for (m,) in rows if m is not None})
    f = resolve_filters(filters, data) if filters is not None else Filters()
    if f.country_codes:
        members = [m for m in members if data.country.get(m, "") in f.country_codes]
    if f.type_words:
        members = [m for m in members if data.org_type.get(m, "") in f.type_words]
    products = [i for i in data.products.values() if f.year_ok(i.year)]
    events = [i for i in data.events.values() if f.year_ok(i.year)]
    if f.community_iris and communities is None:
        communities = sorted(f.community_iris)
    if communities is None:
        chosen = sorted(data.communities)
    else:  # ids, IRIs or labels, each checked: an unknown community is an error
        names = [(c, n) for c in sorted(data.communities)
                 for n in dict.fromkeys([data.label(c), *data.labels.get(c, {}).values()])]
        chosen = sorted({match_name(names, c, what="community") for c in communities})
    out = []
    for m in members:
        orgs = affiliated_organizations(data, m)
        people_of = {p for p, affiliations in data.affiliations.items() if affiliations & orgs}
        actors = orgs | people_of
        for c in chosen:
            community_members = data.members.get(c, {})
            n_people = sum(1 for p in community_members if p in people_of)
            itself = m in community_members
            n_products = _count(products, c, actors)
            n_events = _count(events, c, actors)
            if not itself and n_people + n_products + n_events == 0:
                status = "absent"
            elif n_people <= thin or n_products + n_events == 0:
                status = "thin"
            else:
                status = "ok"
            out.append({
                "member": m, "member_label": data.label(m, language),
                "member_type": data.org_type.get(m, ""), "country": data.country.get(m, ""),
                "community": c, "community_label": data.label(c, language), "member_itself": itself,
                "people": n_people, "products": n_products, "events": n_events,
                "status": status,
            })
    table = pd.DataFrame(out, columns=COVERAGE_COLUMNS)
    table.attrs["definition"] = definition("en", thin=thin)
    if table.empty and (f.country_codes or f.type_words) and rows:
        from ..network.empty import filters_text

        table.attrs["empty_reason"] = t("empty.coverage_filtered", language,
                                        filters=filters_text(f, data.labels, language))
    elif table.empty:  # no platform member, or no community, yet
        missing = [word for word, there in (("PlatformMember", members),
                                            ("CommunityOfPractice", chosen)) if not there]
        table.attrs["empty_reason"] = t("empty.store", language) if kg.is_empty() else t(
            "empty.no_kind", language,
            what=format_list([t(f"empty.class.{c}", language) for c in missing], language))
    return table


def affiliated_organizations(data: Incidence, member: str) -> set[str]:
    """The organisations whose people count for ``member``: itself, its units at any depth,
    and for a government every organisation of its country.

    >>> d = Incidence(organizations={"gov", "city", "unit", "uni"},
    ...               country={"gov": "FR", "city": "FR", "uni": "FR"},
    ...               governments={"gov"})
    >>> d.parents["unit"].add("city")
    >>> sorted(affiliated_organizations(d, "city")), sorted(affiliated_organizations(d, "gov"))
    (['city', 'unit'], ['city', 'gov', 'uni'])
    """
    children: dict[str, set[str]] = defaultdict(set)
    for child, parents in data.parents.items():
        for parent in parents:
            children[parent].add(child)
    found = {member}
    todo = [member]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    code = data.country.get(member, "")
    if member in data.governments and code:
        found |= {o for o in data.organizations if data.country.get(o, "") == code}
    return found


def _count(items: Iterable[Item], community: str, actors: set[str]) -> int:
    return sum(
        1 for item in items
        if community in item.communities and not actors.isdisjoint(item.actors)
    )


def gaps(kg: KnowledgeGraph, *, thin: int = 2, data: Incidence | None = None,
         filters: Filters | None = None, language: str = "en") -> pd.DataFrame:
    """The cells of :func:`coverage` that are ``absent`` or ``thin``, absent ones first.

    >>> gaps(KnowledgeGraph.in_memory()).columns[-1]
    'status'
    """
    everything = coverage(kg, thin=thin, data=data, filters=filters, language=language)
    definition_text = everything.attrs.get("definition", "")
    table = everything[everything["status"] != "ok"].copy()
    table["_order"] = table["status"].map({"absent": 0, "thin": 1})
    table = table.sort_values(["_order", "member_label", "community_label"], kind="mergesort")
    table = table.drop(columns="_order").reset_index(drop=True)
    table.attrs["definition"] = definition_text
    if table.empty:
        table.attrs["empty_reason"] = (
            everything.attrs.get("empty_reason") or t("empty.no_gaps", language, n=thin))
    return table
