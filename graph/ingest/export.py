"""Getting data out: RDF dumps, re-importable CSV sheets, empty templates, the import log."""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
from rdflib import URIRef

from ..access.personal import personal_filter, personal_properties, without_personal
from ..csv_writer import csv_bytes, write_csv
from ..errors import CopkgError
from ..store import KnowledgeGraph
from ..vocab import (
    AUDIT_GRAPH,
    COP,
    COPX,
    DCTERMS,
    FOAF,
    ID,
    KINDS,
    ONTOLOGY_GRAPH,
    ORG,
    OWL,
    PLATFORM_ID,
    RDF,
    SCHEMA,
    SKOS,
    STATE_GRAPH,
)
from .contract import (
    COMMON_OPTIONAL,
    EVENT_TYPES,
    EXAMPLE_NOTE,
    MEMBERSHIP_ROLES,
    PARTICIPATION_ROLES,
    PLATFORM_ROLES,
    PRODUCT_TYPES,
    SHEET_ORDER,
    SHEETS,
)

__all__ = ["EXPORT_FORMATS", "export_graph", "last_imports", "write_templates"]

#: ``copkg export --format`` values and the pyoxigraph format of each RDF one.
EXPORT_FORMATS: dict[str, ox.RdfFormat | None] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "csv": None,
}


#: Ends a CSV template's name (``people-new.csv``): see :func:`write_templates`.
TEMPLATE_SUFFIX = "-new"


def write_templates(out_dir: Path, format: str = "xlsx") -> list[Path]:
    """Empty sheets with the contract's columns and one example row each (ids
    ``example-…``, refused by the importer if left in).

    ``xlsx`` writes one workbook ``copkg-template.xlsx``; ``csv`` one file per sheet, named
    ``<sheet>-new.csv``. A file's name picks its graph (importing a file of the same name
    again replaces it), so a filled template is never named like a file the store may
    already hold (the bundled ``people.csv``): it ADDS its rows; re-importing it later
    (same name) updates what it added.

    >>> import tempfile
    >>> [p.name for p in write_templates(Path(tempfile.mkdtemp()), "csv")][:2]
    ['themes-new.csv', 'organizations-new.csv']
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {
        name: [list(SHEETS[name].columns) + list(COMMON_OPTIONAL),
               [SHEETS[name].example.get(c, "") for c in SHEETS[name].columns]
               + ["", EXAMPLE_NOTE]]
        for name in SHEET_ORDER
    }
    if format == "csv":
        paths = []
        for name, table in rows.items():
            path = out_dir / f"{name}{TEMPLATE_SUFFIX}.csv"
            _write_csv(path, table)
            paths.append(path)
        return paths
    if format != "xlsx":
        raise CopkgError("error.template_format", format=format)
    from openpyxl import Workbook

    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for name, table in rows.items():
        sheet = workbook.create_sheet(name)
        for line in table:
            sheet.append(line)
    path = out_dir / "copkg-template.xlsx"
    workbook.save(path)
    return [path]


def export_graph(
    kg: KnowledgeGraph, format: str, out: Path, *, include_personal: bool = False,
) -> Path:
    """Write every imported graph (not the ontology, not the audit trail) to ``out``.

    Personal data (properties marked ``cop:personalData`` in the ontology: e-mail, phone, a
    person's homepage...) is left out unless ``include_personal``.

    ``ttl``/``nt``/``jsonld`` hold the union of the graphs; ``trig``/``nq`` keep one named
    graph per imported file; ``csv`` writes one CSV per sheet, reconstructed from the graph
    in the contract's columns (a folder, or a ``.zip`` when ``out`` ends so), re-importable.
    Facts outside the contract (e.g. ``org:headOf`` in ``cmi.ttl``) are not in the CSV export.
    """
    out = Path(out)
    if format not in EXPORT_FORMATS:
        raise CopkgError("error.export_format", format=format, formats=list(EXPORT_FORMATS))
    rdf_format = EXPORT_FORMATS[format]
    if rdf_format is None:
        return _export_csv(kg, out, include_personal)
    result = kg.select(
        "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(?g != ?ontology && ?g != ?state) }",
        {"ontology": ox.NamedNode(str(ONTOLOGY_GRAPH)), "state": ox.NamedNode(str(STATE_GRAPH))},
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    quads = [ox.Quad(s, p, o, g) for s, p, o, g in result.rows  # type: ignore[arg-type]
             if s is not None and p is not None and o is not None and g is not None]
    audit = ox.NamedNode(str(AUDIT_GRAPH))
    quads = (without_personal(kg, quads) if not include_personal
             else [q for q in quads if q.graph_name != audit])
    if rdf_format.supports_datasets:
        ox.serialize(quads, output=str(out), format=rdf_format)
    else:
        triples = {q.triple for q in quads}
        prefixes = {"cop": str(COP), "id": str(ID)} if format == "ttl" else None
        ox.serialize(sorted(triples, key=str), output=str(out), format=rdf_format,
                     prefixes=prefixes)
    return out


def last_imports(kg: KnowledgeGraph) -> pd.DataFrame:
    """One row per imported file: ``file, graph, imported_at, triples`` (newest first)."""
    df = kg.query(
        """
        SELECT ?file ?graph ?imported_at ?triples WHERE {
          GRAPH ?graph { ?graph a cop:ImportedSource ; cop:sourceFile ?file ;
                                cop:importedAt ?imported_at .
                         OPTIONAL { ?graph cop:tripleCount ?triples } }
        } ORDER BY DESC(?imported_at) ?file
        """
    )
    return df


# ---------------------------------------------------------------------------------- CSV export
_Getter = Callable[[str, dict[str, list[ox.NamedNode | ox.Literal]]], str]


def _ids(predicate: URIRef) -> _Getter:
    def get(_: str, facts: dict[str, list[ox.NamedNode | ox.Literal]]) -> str:
        return ";".join(sorted(_local(v.value) for v in facts.get(str(predicate), [])))
    return get


def _value(predicate: URIRef, lang: str | None = None) -> _Getter:
    """The value of ``predicate``: in ``lang`` if given (``""``: untagged text first, else any
    other than the tagged translations a sheet writes in ``name_fr``/``name_ar``)."""
    def get(_: str, facts: dict[str, list[ox.NamedNode | ox.Literal]]) -> str:
        values = sorted(facts.get(str(predicate), []), key=str)
        if lang == "":
            plain = [v for v in values if not (isinstance(v, ox.Literal) and v.language)]
            values = plain or [v for v in values if not (
                isinstance(v, ox.Literal) and v.language in ("fr", "ar"))]
        for v in values:
            if not lang or (isinstance(v, ox.Literal) and v.language == lang):
                return v.value
        return ""
    return get


def _word(predicate: URIRef, words: dict[str, URIRef]) -> _Getter:
    reverse = {str(v): k for k, v in words.items()}

    def get(_: str, facts: dict[str, list[ox.NamedNode | ox.Literal]]) -> str:
        found = sorted(reverse[v.value] for v in facts.get(str(predicate), [])
                       if v.value in reverse)
        return found[0] if found else ""
    return get


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


_LABELS: dict[str, _Getter] = {
    "name": _value(SKOS.prefLabel, "en"),
    "name_fr": _value(SKOS.prefLabel, "fr"),
    "name_ar": _value(SKOS.prefLabel, "ar"),
}
_SHEET_COLUMNS: dict[str, tuple[URIRef, str, dict[str, _Getter]]] = {
    "themes": (SKOS.Concept, "theme", {**_LABELS, "broader": _ids(SKOS.broader)}),
    "organizations": (ORG.Organization, "organization", {
        **_LABELS, "type": _value(COP.organizationType), "country": _value(COP.country),
        "website": _value(FOAF.homepage),
        "wikidata": lambda _, f: _local(_value(OWL.sameAs)(_, f)),
    }),
    "people": (FOAF.Person, "person", {
        "name": _value(FOAF.name, ""), "name_fr": _value(FOAF.name, "fr"),
        "name_ar": _value(FOAF.name, "ar"), "organization": _ids(ORG.memberOf),
        "country": _value(COP.country), "expertise": _ids(SCHEMA.knowsAbout),
        "email": lambda _, f: _value(FOAF.mbox)(_, f).removeprefix("mailto:"),
    }),
    "communities": (COP.CommunityOfPractice, "community", {
        **_LABELS, "theme": _ids(DCTERMS.subject), "launched": _value(COP.launched),
        "program": _ids(COP.partOfProgram),
    }),
    "memberships": (ORG.Membership, "membership", {
        "member": _ids(ORG.member), "community": _ids(ORG.organization),
        "role": _word(ORG.role, MEMBERSHIP_ROLES), "since": _value(COP.since),
    }),
    "products": (COP.KnowledgeProduct, "product", {
        "title": _value(DCTERMS.title), "type": _word(RDF.type, PRODUCT_TYPES),
        "year": _value(DCTERMS.issued), "community": _ids(COP.community),
        "authors": _ids(DCTERMS.creator), "language": _value(DCTERMS.language),
        "url": _value(SCHEMA.url), "themes": _ids(DCTERMS.subject),
    }),
    "events": (COP.Event, "event", {
        "title": _value(SCHEMA.name), "type": _word(RDF.type, EVENT_TYPES),
        "date": _value(SCHEMA.startDate), "community": _ids(COP.community),
        "city": _value(SCHEMA.location), "country": _value(COP.country),
    }),
    "participation": (COP.Participation, "participation", {
        "event": _ids(COP.event), "participant": _ids(COP.participant),
        "role": _word(ORG.role, PARTICIPATION_ROLES),
    }),
}


#: Contract columns and the property behind them, where the ontology may mark it personal.
_COLUMN_PROPERTY = {("people", "email"): FOAF.mbox, ("organizations", "website"): FOAF.homepage}


def _export_csv(kg: KnowledgeGraph, out: Path, include_personal: bool) -> Path:
    is_personal = None if include_personal else personal_filter(kg)
    tables = {name: _sheet_table(kg, name, is_personal) for name in SHEET_ORDER}
    tables = {name: table for name, table in tables.items() if len(table) > 1}
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, table in tables.items():
                archive.writestr(f"{name}.csv", csv_bytes(table))
        return out
    out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        _write_csv(out / f"{name}.csv", table)
    return out


def _sheet_table(
    kg: KnowledgeGraph, sheet: str, is_personal: Callable[[object, object], bool] | None,
) -> list[list[str]]:
    cls, kind, getters = _SHEET_COLUMNS[sheet]
    prefix = f"{ID}{KINDS[kind]}/"
    result = kg.select(
        "SELECT DISTINCT ?s ?p ?o WHERE { ?s a ?class ; ?p ?o "
        "FILTER(STRSTARTS(STR(?s), ?prefix)) }",
        {"class": ox.NamedNode(str(cls)), "prefix": prefix},
    )
    facts: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = defaultdict(
        lambda: defaultdict(list))
    for s, p, o in result.rows:
        if s is not None and p is not None and isinstance(o, ox.NamedNode | ox.Literal):
            if is_personal is not None and is_personal(s, p):
                continue
            facts[s.value][p.value].append(o)
    platform = f"{ID}{KINDS['organization']}/{PLATFORM_ID}"
    if sheet == "memberships":
        facts = {s: f for s, f in facts.items()
                 if all(v.value != platform for v in f.get(str(ORG.organization), []))}
    extras = sorted({p[len(str(COPX)):] for f in facts.values() for p in f
                     if p.startswith(str(COPX))})
    spec = SHEETS[sheet]
    header = ["id"] if spec.kind else []
    header += [c for c in spec.columns if c != "id"] + list(COMMON_OPTIONAL) + extras
    if is_personal is not None:  # a column that is always empty here is not written at all
        personal = personal_properties().always
        header = [c for c in header if str(_COLUMN_PROPERTY.get((sheet, c), "")) not in personal]
    platform_roles = _platform_roles(kg) if sheet == "organizations" else {}
    table = [header]
    for subject in sorted(facts):
        f = facts[subject]
        row: dict[str, str] = {"id": _local(subject)}
        for column, get in getters.items():
            row[column] = get(subject, f)
        if sheet == "organizations":
            row["role"], row["joined"] = platform_roles.get(subject, ("", ""))
        row["illustrative"] = "true" if _value(COP.illustrative)(subject, f) == "true" else ""
        row["source"] = _value(DCTERMS.source)(subject, f)
        for extra in extras:
            row[extra] = _value(URIRef(str(COPX) + extra))(subject, f)
        table.append([row.get(c, "") for c in header])
    return table


def _platform_roles(kg: KnowledgeGraph) -> dict[str, tuple[str, str]]:
    reverse = {str(v): k for k, v in PLATFORM_ROLES.items()}
    result = kg.select(
        "SELECT ?org ?role ?since WHERE { ?m org:organization ?platform ; org:member ?org ; "
        "org:role ?role . OPTIONAL { ?m cop:since ?since } }",
        {"platform": ox.NamedNode(f"{ID}{KINDS['organization']}/{PLATFORM_ID}")},
    )
    return {
        o.value: (reverse.get(r.value, ""), s.value if s is not None else "")
        for o, r, s in result.rows if o is not None and r is not None
    }


def _write_csv(path: Path, table: list[list[str]]) -> None:
    write_csv(table, path)
