"""A deterministic, large, fictional expert network in the copkg data model.

``generate(n_people)`` returns sheets (lists of row dicts, in the spreadsheet contract of
``docs/data-model.md``); ``tables_to_triples`` turns them into RDF exactly as the importer
would (same IRIs and properties, no provenance), so benchmarks and tests can fill an in-memory
:class:`~graph.store.KnowledgeGraph` quickly with ``load_tables``; ``write_csv`` writes the
same sheets as CSV files for the import pipeline.

    python -m benchmarks.gen_experts 20000 out_dir/   # writes the CSV sheets
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.store import KnowledgeGraph
from graph.vocab import resource_iri, slug, source_graph_iri

__all__ = ["generate", "load_tables", "tables_to_triples", "write_csv"]

Table = list[dict[str, Any]]

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "cop": "https://w3id.org/copkg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_ORG_CLASS = {
    "government": "Government", "city": "City", "region": "Region", "bank": "DevelopmentBank",
    "agency": "DevelopmentAgency", "international": "InternationalOrganization",
    "public-institution": "PublicInstitution", "university": "University",
    "ngo": "NonGovernmentalOrganization", "network": "ProfessionalNetwork",
    "company": "Company", "platform": "Platform",
}
_PRODUCT_CLASS = {
    "report": "Report", "toolkit": "Toolkit", "case-study": "CaseStudy",
    "policy-note": "PolicyNote", "dataset": "Dataset", "training": "Training",
}
_EVENT_CLASS = {
    "session": "Session", "dialogue": "DialogueEvent", "workshop": "Workshop",
    "conference": "Conference", "study-tour": "StudyTour",
}
_ROLE = {
    "member": "MemberRole", "observer": "ObserverRole", "partner": "PartnerRole",
    "coordinator": "CoordinatorRole", "facilitator": "FacilitatorRole",
    "speaker": "SpeakerRole", "participant": "ParticipantRole", "organizer": "OrganizerRole",
}


def _t(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(_NS[prefix] + local)


def _lit(value: Any, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(str(value), language=language)
    if datatype:
        return ox.Literal(str(value), datatype=_t("xsd", datatype))
    return ox.Literal(str(value))


def _date(value: Any) -> ox.Literal:
    text = str(value).strip()
    return _lit(text, "gYear") if len(text) == 4 else _lit(text[:10], "date")


def _iri(kind: str, ident: str) -> ox.NamedNode:
    return ox.NamedNode(str(resource_iri(kind, ident)))


def tables_to_triples(tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[ox.Triple]:
    """RDF for the sheets in ``tables``, following the data model (what the importer writes).

    A ``member``/``participant``/``authors`` id is a person unless it is an organisation id.

    >>> len(tables_to_triples({"people": [{"id": "p1", "name": "Ana", "organization": "",
    ...                                     "country": "TN"}]}))
    3
    """
    triples: list[ox.Triple] = []
    add = triples.append
    a = _t("rdf", "type")
    org_ids = {str(r["id"]) for r in tables.get("organizations", ())}

    def agent(ident: str) -> ox.NamedNode:
        return _iri("organization" if ident in org_ids else "person", ident)

    def flag(s: ox.NamedNode, row: Mapping[str, Any]) -> None:
        if str(row.get("illustrative", "")).lower() in ("true", "yes", "1"):
            add(ox.Triple(s, _t("cop", "illustrative"), _lit("true", "boolean")))

    for row in tables.get("themes", ()):
        s = _iri("theme", row["id"])
        add(ox.Triple(s, a, _t("skos", "Concept")))
        add(ox.Triple(s, _t("skos", "inScheme"), _t("cop", "themes")))
        add(ox.Triple(s, _t("skos", "prefLabel"), _lit(row["name"], language="en")))
        flag(s, row)
    for row in tables.get("organizations", ()):
        s = _iri("organization", row["id"])
        kind = str(row.get("type", "")).lower()
        add(ox.Triple(s, a, _t("org", "Organization")))
        if kind in _ORG_CLASS:
            add(ox.Triple(s, a, _t("cop", _ORG_CLASS[kind])))
            add(ox.Triple(s, _t("cop", "organizationType"), _lit(kind)))
        add(ox.Triple(s, _t("skos", "prefLabel"), _lit(row["name"], language="en")))
        for lang in ("fr", "ar"):
            if row.get(f"name_{lang}"):
                add(ox.Triple(s, _t("skos", "prefLabel"), _lit(row[f"name_{lang}"], language=lang)))
        if row.get("country"):
            add(ox.Triple(s, _t("cop", "country"), _lit(str(row["country"]).upper())))
        role = str(row.get("role", "") or "").lower()
        if role:
            m = ox.NamedNode(f"{resource_iri('membership', 'cmi')}/{slug(str(row['id']))}")
            add(ox.Triple(m, a, _t("org", "Membership")))
            add(ox.Triple(m, _t("org", "member"), s))
            add(ox.Triple(m, _t("org", "organization"), _iri("organization", "cmi")))
            add(ox.Triple(m, _t("org", "role"), _t("cop", _ROLE[role])))
            if row.get("joined"):
                add(ox.Triple(m, _t("cop", "since"), _date(row["joined"])))
        flag(s, row)
    for row in tables.get("people", ()):
        s = _iri("person", row["id"])
        add(ox.Triple(s, a, _t("foaf", "Person")))
        add(ox.Triple(s, _t("foaf", "name"), _lit(row["name"])))
        if row.get("organization"):
            add(ox.Triple(s, _t("org", "memberOf"), _iri("organization", row["organization"])))
        if row.get("country"):
            add(ox.Triple(s, _t("cop", "country"), _lit(str(row["country"]).upper())))
        for theme in _split(row.get("expertise")):
            add(ox.Triple(s, _t("schema", "knowsAbout"), _iri("theme", theme)))
        flag(s, row)
    for row in tables.get("communities", ()):
        s = _iri("community", row["id"])
        add(ox.Triple(s, a, _t("cop", "CommunityOfPractice")))
        add(ox.Triple(s, _t("skos", "prefLabel"), _lit(row["name"], language="en")))
        if row.get("theme"):
            add(ox.Triple(s, _t("dct", "subject"), _iri("theme", row["theme"])))
        if row.get("launched"):
            add(ox.Triple(s, _t("cop", "launched"), _date(row["launched"])))
        flag(s, row)
    for row in tables.get("memberships", ()):
        community = str(row["community"])
        m = ox.NamedNode(f"{resource_iri('membership', community)}/{slug(str(row['member']))}")
        add(ox.Triple(m, a, _t("org", "Membership")))
        add(ox.Triple(m, _t("org", "member"), agent(str(row["member"]))))
        add(ox.Triple(m, _t("org", "organization"), _iri("community", community)))
        add(ox.Triple(m, _t("org", "role"), _t("cop", _ROLE[str(row.get("role") or "member")])))
        if row.get("since"):
            add(ox.Triple(m, _t("cop", "since"), _date(row["since"])))
    for row in tables.get("products", ()):
        s = _iri("product", row["id"])
        add(ox.Triple(s, a, _t("cop", "KnowledgeProduct")))
        add(ox.Triple(s, a, _t("cop", _PRODUCT_CLASS[str(row.get("type") or "report")])))
        add(ox.Triple(s, _t("dct", "title"), _lit(row["title"])))
        if row.get("year"):
            add(ox.Triple(s, _t("dct", "issued"), _date(row["year"])))
        if row.get("community"):
            add(ox.Triple(s, _t("cop", "community"), _iri("community", row["community"])))
        for author in _split(row.get("authors")):
            add(ox.Triple(s, _t("dct", "creator"), agent(author)))
        for theme in _split(row.get("themes")):
            add(ox.Triple(s, _t("dct", "subject"), _iri("theme", theme)))
        flag(s, row)
    for row in tables.get("events", ()):
        s = _iri("event", row["id"])
        add(ox.Triple(s, a, _t("cop", "Event")))
        add(ox.Triple(s, a, _t("cop", _EVENT_CLASS[str(row.get("type") or "workshop")])))
        add(ox.Triple(s, _t("schema", "name"), _lit(row["title"])))
        if row.get("date"):
            add(ox.Triple(s, _t("schema", "startDate"), _date(row["date"])))
        if row.get("community"):
            add(ox.Triple(s, _t("cop", "community"), _iri("community", row["community"])))
        if row.get("country"):
            add(ox.Triple(s, _t("cop", "country"), _lit(str(row["country"]).upper())))
        flag(s, row)
    for row in tables.get("participation", ()):
        e = _iri("event", row["event"])
        who = agent(str(row["participant"]))
        add(ox.Triple(e, _t("schema", "attendee"), who))
        if str(row.get("role", "")).lower() == "organizer":
            add(ox.Triple(e, _t("schema", "organizer"), who))
    return triples


def load_tables(kg: KnowledgeGraph, tables: Mapping[str, Sequence[Mapping[str, Any]]],
                name: str = "generated.csv") -> None:
    """Write ``tables`` into ``kg`` as one named graph (fast; no validation, no provenance).

    The graph describes itself as an imported source (``cop:sha256``), as the importer's
    graphs do, so the store keeps it as complete when it is opened again.
    """
    graph = str(source_graph_iri(name))
    mark = ox.Triple(ox.NamedNode(graph), _t("cop", "sha256"), _lit(f"generated-{name}"))
    kg.replace_graphs({graph: [*tables_to_triples(tables), mark]})


def write_csv(tables: Mapping[str, Sequence[Mapping[str, Any]]], folder: Path) -> list[Path]:
    """One CSV file per sheet in ``folder`` (the importer's folder form)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for sheet, rows in tables.items():
        if not rows:
            continue
        columns: list[str] = []
        for row in rows:
            columns.extend(c for c in row if c not in columns)
        path = folder / f"{sheet}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    return paths


def _split(cell: Any) -> list[str]:
    return [p.strip() for p in str(cell or "").split(";") if p.strip()]


# ----------------------------------------------------------------------------- the generator
_COUNTRIES = ("MA", "DZ", "TN", "LY", "EG", "JO", "LB", "PS", "TR", "FR", "IT", "ES", "GR", "DE")
_ORG_TYPES = ("government", "city", "university", "ngo", "agency", "company", "bank", "region")


def generate(
    n_people: int = 20_000, *, seed: int = 7, communities: int = 24
) -> dict[str, Table]:
    """Sheets of a fictional platform with ``n_people`` experts (deterministic for a seed).

    Sizes scale with ``n_people``: one organisation per 20 experts, one product per 2.5
    experts (1–6 authors from one community, one in five with an outside co-author), one
    event per 14 experts (5–40 attendees of its community), each expert in 1–3 of
    ``communities`` communities.

    >>> tables = generate(200, seed=1)
    >>> len(tables["people"]), len(tables["organizations"])
    (200, 10)
    """
    rng = random.Random(seed)
    themes = [{"id": f"t{i:02d}", "name": f"Theme {i}"} for i in range(40)]
    orgs = []
    for i in range(max(1, n_people // 20)):
        orgs.append({
            "id": f"o{i:05d}", "name": f"Organisation {i}", "type": rng.choice(_ORG_TYPES),
            "country": rng.choice(_COUNTRIES),
            "role": "member" if i < 14 else ("partner" if i % 7 == 0 else ""),
            "joined": str(2009 + i % 10) if i < 14 or i % 7 == 0 else "",
        })
    comms = [
        {"id": f"c{i:02d}", "name": f"Community {i}", "theme": f"t{i % 40:02d}",
         "launched": str(2010 + i % 8)}
        for i in range(communities)
    ]
    people, memberships = [], []
    by_community: dict[str, list[str]] = {c["id"]: [] for c in comms}
    for i in range(n_people):
        org = orgs[min(len(orgs) - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(len(orgs)))
                   % len(orgs)]
        pid = f"x{i:06d}"
        people.append({
            "id": pid, "name": f"Expert {i}", "organization": org["id"],
            "country": org["country"] if rng.random() < 0.9 else rng.choice(_COUNTRIES),
            "expertise": ";".join(sorted({f"t{rng.randrange(40):02d}" for _ in range(2)})),
        })
        for c in sorted({rng.randrange(communities) for _ in range(rng.choice((1, 1, 2, 3)))}):
            cid = comms[c]["id"]
            by_community[cid].append(pid)
            memberships.append({"member": pid, "community": cid, "role": "member",
                                "since": str(2010 + rng.randrange(15))})
    products = []
    for i in range(int(n_people / 2.5)):
        cid = comms[rng.randrange(communities)]["id"]
        pool = by_community[cid] or [people[0]["id"]]
        k = min(len(pool), rng.choice((1, 2, 2, 3, 3, 4, 5, 6)))
        authors = rng.sample(pool, k)
        if rng.random() < 0.2:  # a cross-community author
            authors.append(people[rng.randrange(n_people)]["id"])
        products.append({
            "id": f"kp{i:06d}", "title": f"Product {i}",
            "type": rng.choice(list(_PRODUCT_CLASS)), "year": str(2010 + rng.randrange(16)),
            "community": cid, "authors": ";".join(dict.fromkeys(authors)),
        })
    events, participation = [], []
    for i in range(max(1, n_people // 14)):
        cid = comms[rng.randrange(communities)]["id"]
        pool = by_community[cid] or [people[0]["id"]]
        k = min(len(pool), 5 + int(rng.expovariate(1 / 10)))
        k = min(k, 40)
        eid = f"ev{i:05d}"
        events.append({
            "id": eid, "title": f"Event {i}", "type": rng.choice(list(_EVENT_CLASS)),
            "date": f"{2010 + rng.randrange(16)}-{1 + rng.randrange(12):02d}-15",
            "community": cid, "country": rng.choice(_COUNTRIES),
        })
        for pid in sorted(set(rng.sample(pool, k))):
            participation.append({"event": eid, "participant": pid, "role": "participant"})
    return {
        "themes": themes, "organizations": orgs, "people": people, "communities": comms,
        "memberships": memberships, "products": products, "events": events,
        "participation": participation,
    }


def main(argv: Iterable[str] | None = None) -> int:  # pragma: no cover - command line
    args = list(sys.argv[1:] if argv is None else argv)
    n = int(args[0]) if args else 20_000
    out = Path(args[1]) if len(args) > 1 else Path("generated")
    for path in write_csv(generate(n), out):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
