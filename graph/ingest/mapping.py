"""Spreadsheet rows → RDF, exactly as ``docs/data-model.md`` says, with row-level checks.

Mapping runs in two passes over the whole batch: :func:`index_ids` learns every id the batch
defines (so references resolve whatever the file order), then :func:`map_sheet` turns rows into
triples. References become :class:`PendingRef` and are resolved at the end against the batch
and the store (:mod:`graph.ingest.references`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef

from ..errors import Problem
from ..i18n import Message, Translated
from ..vocab import (
    COP,
    DCTERMS,
    FOAF,
    ID,
    KINDS,
    ORG,
    OWL,
    PLATFORM_ID,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    XSD,
    extra_column_iri,
    resource_iri,
    slug,
)
from .contract import (
    EVENT_TYPES,
    MEMBERSHIP_ROLES,
    ORGANIZATION_TYPES,
    PARTICIPATION_ROLES,
    PLATFORM_ROLES,
    PRODUCT_TYPES,
    SHEETS,
)
from .reading import Cell, Sheet
from .values import (
    CellError,
    country_code,
    identifier,
    parse_bool,
    parse_date,
    parse_year,
    parse_year_or_date,
    split_ids,
    text,
    web_address,
    word,
)

__all__ = [
    "AGENT",
    "EXAMPLE_PREFIX",
    "BatchIndex",
    "Origin",
    "PendingRef",
    "Quads",
    "index_ids",
    "map_sheet",
    "node",
]

#: Pseudo-kind of a cell that may name a person or an organisation (one shared id space).
AGENT = ("person", "organization")
#: Ids of the templates' example rows start with this; rows using them are refused.
EXAMPLE_PREFIX = "example-"

Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: The quads one source file becomes (all in the file's graph).
Quads = list[ox.Quad]


@lru_cache(maxsize=4096)
def node(iri: str) -> ox.NamedNode:
    """The pyoxigraph IRI for ``iri`` (a vocabulary term or ``id:`` IRI), made once.

    >>> node(str(FOAF.name)).value
    'http://xmlns.com/foaf/0.1/name'
    """
    return ox.NamedNode(iri)


def _iri(kind: str, ident: str) -> ox.NamedNode:
    return ox.NamedNode(str(resource_iri(kind, ident)))


_TRUE = ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))


@dataclass(frozen=True)
class Origin:
    """Where a row is: file, sheet and the spreadsheet's own row number."""

    file: str
    sheet: str
    row: int

    def problem(self, message: Message | Translated, column: str | None = None,
                fix: Message | None = None) -> Problem:
        """A :class:`Problem` located at this row (and ``column``)."""
        return Problem(self.file, message, sheet=self.sheet, row=self.row, column=column, fix=fix)


@dataclass
class PendingRef:
    """A reference cell to resolve: ``ident`` of one of ``kinds``, used as the object of
    ``(subject, predicate)`` pairs once its IRI is known."""

    kinds: tuple[str, ...]
    ident: str
    origin: Origin
    column: str
    graph: Quads
    graph_name: ox.NamedNode
    uses: list[tuple[ox.NamedNode, ox.NamedNode]]


@dataclass
class BatchIndex:
    """Ids defined by the batch (``(kind, slug) → row``) and the per-row bookkeeping."""

    defined: dict[tuple[str, str], Origin] = field(default_factory=dict)
    #: Each subject a row made, for mapping SHACL results back to the row.
    subjects: dict[ox.NamedNode, Origin] = field(default_factory=dict)
    #: ``(sheet, predicate IRI) → column``, for naming the column of a SHACL result.
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    pending: list[PendingRef] = field(default_factory=list)
    #: Link rows (memberships, participation) by their IRI, for duplicate detection.
    links: dict[str, Origin] = field(default_factory=dict)
    #: ``(kind, slug)`` of typed ``id:`` resources described by the batch's RDF files.
    rdf_defined: set[tuple[str, str]] = field(default_factory=set)
    #: Rows repeating an id of an earlier row: reported once, not mapped (so the first row
    #: is not blamed for a second name or country).
    repeated: set[Origin] = field(default_factory=set)

    def has(self, kind: str, key: str) -> bool:
        """Whether the batch (sheets or RDF files) defines ``key`` as a ``kind``."""
        return (kind, key) in self.defined or (kind, key) in self.rdf_defined

    def add_rdf_subject(self, iri: str) -> None:
        """Register a typed subject of an RDF file if it is a copkg ``id:<kind>/<id>``."""
        if not iri.startswith(str(ID)):
            return
        segment, _, key = iri[len(str(ID)):].partition("/")
        for kind, seg in KINDS.items():
            if seg == segment and key and "/" not in key:
                self.rdf_defined.add((kind, key))


def index_ids(sheets: list[Sheet], index: BatchIndex) -> list[Problem]:
    """Register every id the sheets define; empty, look-alike, example and duplicate ids are
    problems.

    People and organisations share one id space, so ``p1`` in both sheets is a duplicate.
    """
    problems: list[Problem] = []
    for sheet in sheets:
        kind = SHEETS[sheet.name].kind
        if kind is None:
            continue
        space = "agent" if kind in AGENT else kind
        for number, row in sheet.rows:
            origin = Origin(sheet.file, sheet.name, number)
            try:
                ident = identifier(row.get("id"))
            except CellError as exc:
                problems.append(origin.problem(exc.message, "id", exc.fix))
                continue
            if not ident:
                problems.append(origin.problem(Message("cell.id_empty"), "id",
                                               Message("cell.id_empty_fix")))
                continue
            key = slug(ident)
            if not key:
                problems.append(origin.problem(Message("cell.id_no_letters", ident=ident), "id"))
                continue
            if key.startswith(EXAMPLE_PREFIX):
                problems.append(_example_row(origin, ident))
                continue
            first = index.defined.get((space, key))
            if first is not None:
                same = first.file == origin.file and first.sheet == origin.sheet
                problems.append(origin.problem(
                    Message("cell.duplicate_id", ident=ident, sheet=first.sheet, row=first.row,
                            this=origin.row)
                    if same else
                    Message("cell.duplicate_id_file", ident=ident, file=first.file,
                            sheet=first.sheet, row=first.row),
                    "id", Message("cell.duplicate_id_fix" if same
                                  else "cell.duplicate_id_file_fix"),
                ))
                index.repeated.add(origin)
                continue
            index.defined[(space, key)] = origin
            index.defined[(kind, key)] = origin
    return problems


def _example_row(origin: Origin, ident: str, column: str = "id") -> Problem:
    return origin.problem(Message("cell.example_row", ident=ident), column,
                          Message("cell.example_row_fix"))


def map_sheet(
    sheet: Sheet, graph: Quads, graph_iri: str, index: BatchIndex, imported_at: datetime,
) -> list[Problem]:
    """Append the quads (in graph ``graph_iri``) of every row of ``sheet`` to ``graph``;
    return the row problems."""
    problems: list[Problem] = []
    handler = _HANDLERS[sheet.name]
    stamp = ox.Literal(imported_at.isoformat(timespec="seconds"),
                       datatype=node(str(XSD.dateTime)))
    file_name = ox.Literal(sheet.file)
    sheet_name = ox.Literal(sheet.name)
    for number, row in sheet.rows:
        if index.repeated and Origin(sheet.file, sheet.name, number) in index.repeated:
            continue
        row_ctx = _Row(sheet, number, row, graph, graph_iri, index, problems)
        handler(row_ctx)
        row_ctx.finish(stamp, file_name, sheet_name)
    return problems


_TYPE = node(str(RDF.type))
_ENTITY = node(str(PROV.Entity))
_SOURCE_FILE = node(str(COP.sourceFile))
_SHEET = node(str(COP.sheet))
_ROW = node(str(COP.row))
_GENERATED = node(str(PROV.generatedAtTime))
_DERIVED = node(str(PROV.wasDerivedFrom))
_INTEGER = node(str(XSD.integer))


class _Row:
    """One row being mapped: typed cell access that records problems instead of raising."""

    def __init__(
        self, sheet: Sheet, number: int, cells: dict[str, Cell], graph: Quads,
        graph_iri: str, index: BatchIndex, problems: list[Problem],
    ) -> None:
        self.sheet = sheet
        self.origin = Origin(sheet.file, sheet.name, number)
        self.cells = cells
        self.graph = graph
        self.graph_iri = graph_iri
        self.graph_name = node(graph_iri)
        self.index = index
        self.problems = problems
        self.resources: list[ox.NamedNode] = []
        self.main: ox.NamedNode | None = None
        self.example_seen = False

    # -- cells ---------------------------------------------------------------------------
    def value(self, column: str, *, required: bool = False) -> str:
        value = text(self.cells.get(column))
        if required and not value:
            self.problem(column, Message("cell.empty", column=column), Message("cell.required"))
        return value

    def ident(self, column: str, *, required: bool = False) -> str:
        """A reference cell's id, checked (no look-alike letters); '' when empty or refused."""
        try:
            value = identifier(self.cells.get(column))
        except CellError as exc:
            self.problem(column, exc.message, exc.fix)
            return ""
        if required and not value:
            self.problem(column, Message("cell.empty", column=column), Message("cell.required"))
        if slug(value).startswith(EXAMPLE_PREFIX):
            self.example(value, column)
            return ""
        return value

    def example(self, value: str, column: str) -> None:
        """Report the row once as the template's example row (unless its id already was)."""
        if not self.example_seen and not slug(text(self.cells.get("id"))).startswith(
                EXAMPLE_PREFIX):
            self.problems.append(_example_row(self.origin, value, column))
        self.example_seen = True

    def idents(self, column: str) -> list[str]:
        found = []
        for part in split_ids(self.cells.get(column)):
            try:
                value = identifier(part)
            except CellError as exc:
                self.problem(column, exc.message, exc.fix)
                continue
            if slug(value).startswith(EXAMPLE_PREFIX):
                self.example(value, column)
                continue
            found.append(value)
        return found

    def parsed(self, column: str, parse: Callable[[Cell], Term]) -> Term | None:
        cell = self.cells.get(column)
        if text(cell) == "":
            return None
        try:
            return parse(cell)
        except CellError as exc:
            self.problem(column, exc.message, exc.fix)
            return None

    def problem(self, column: str | None, message: Message, fix: Message | None = None) -> None:
        self.problems.append(self.origin.problem(message, column, fix))

    # -- triples -------------------------------------------------------------------------
    def resource(self, iri: ox.NamedNode, *, main: bool = True) -> ox.NamedNode:
        self.resources.append(iri)
        self.index.subjects.setdefault(iri, self.origin)
        if main and self.main is None:
            self.main = iri
        return iri

    def add(self, s: ox.NamedNode, p: URIRef, o: Term, column: str | None = None) -> None:
        predicate = node(str(p))
        self.graph.append(ox.Quad(s, predicate, o, self.graph_name))
        if column:
            self.index.columns.setdefault((self.sheet.name, predicate.value), column)

    def ref(
        self, kinds: tuple[str, ...], ident: str, column: str, *uses: tuple[ox.NamedNode, URIRef],
    ) -> None:
        pairs = [(s, node(str(p))) for s, p in uses]
        self.index.pending.append(
            PendingRef(kinds, ident, self.origin, column, self.graph, self.graph_name, pairs)
        )
        for _, p in pairs:
            self.index.columns.setdefault((self.sheet.name, p.value), column)

    def labels(self, s: ox.NamedNode) -> None:
        name = self.value("name", required=True)
        if name:
            self.add(s, SKOS.prefLabel, ox.Literal(name, language="en"), "name")
        for lang in ("fr", "ar"):
            other = self.value(f"name_{lang}")
            if other:
                self.add(s, SKOS.prefLabel, ox.Literal(other, language=lang), f"name_{lang}")

    def country(self, s: ox.NamedNode, *, required: bool) -> None:
        value = self.value("country", required=required)
        if value:
            try:
                self.add(s, COP.country, ox.Literal(country_code(value)), "country")
            except CellError as exc:
                self.problem("country", exc.message, exc.fix)

    def web(self, s: ox.NamedNode, column: str, predicate: URIRef) -> None:
        if self.value(column):
            address = self.parsed(column, web_address)
            if address is not None:
                self.add(s, predicate, address, column)

    def finish(self, stamp: ox.Literal, file_name: ox.Literal, sheet_name: ox.Literal) -> None:
        """Common columns, extra columns and provenance of every resource the row made."""
        if self.main is None:
            return
        spec = SHEETS[self.sheet.name]
        for column in self.sheet.columns:
            if column in spec.columns:
                continue
            if column == "illustrative":
                flag = self.parsed("illustrative",
                                   lambda c: ox.Literal("true" if parse_bool(c) else "false"))
                if flag is not None and flag.value == "true":
                    for res in self.resources:
                        self.add(res, COP.illustrative, _TRUE, "illustrative")
            elif column == "source":
                source = self.value("source")
                if source.startswith(("http://", "https://")):
                    self.web(self.main, "source", DCTERMS.source)
                elif source:
                    self.add(self.main, DCTERMS.source, ox.Literal(source), "source")
            else:
                extra = self.value(column)
                if extra and slug(column):
                    self.add(self.main, extra_column_iri(column), ox.Literal(extra), column)
        record = ox.NamedNode(f"{self.graph_iri}#row-{self.sheet.name}-{self.origin.row}")
        append, g = self.graph.append, self.graph_name
        append(ox.Quad(record, _TYPE, _ENTITY, g))
        append(ox.Quad(record, _SOURCE_FILE, file_name, g))
        append(ox.Quad(record, _SHEET, sheet_name, g))
        append(ox.Quad(record, _ROW, ox.Literal(str(self.origin.row), datatype=_INTEGER), g))
        append(ox.Quad(record, _GENERATED, stamp, g))
        for res in self.resources:
            append(ox.Quad(res, _DERIVED, record, g))


def _ident(row: _Row, kind: str) -> ox.NamedNode | None:
    try:
        ident = identifier(row.cells.get("id"))
    except CellError:
        return None  # reported by index_ids
    if not ident or not slug(ident) or slug(ident).startswith(EXAMPLE_PREFIX):
        return None
    return row.resource(_iri(kind, ident))


def _themes(row: _Row) -> None:
    s = _ident(row, "theme")
    if s is None:
        return
    row.add(s, RDF.type, node(str(SKOS.Concept)))
    row.add(s, SKOS.inScheme, node(str(COP.themes)))
    row.labels(s)
    broader = row.ident("broader")
    if broader:
        row.ref(("theme",), broader, "broader", (s, SKOS.broader))


def _organizations(row: _Row) -> None:
    s = _ident(row, "organization")
    if s is None:
        return
    row.add(s, RDF.type, node(str(ORG.Organization)))
    try:
        kind = word(row.cells.get("type"), ORGANIZATION_TYPES, "organization type")
        row.add(s, RDF.type, node(str(ORGANIZATION_TYPES[kind])), "type")
        row.add(s, COP.organizationType, ox.Literal(kind), "type")
    except CellError as exc:
        row.problem("type", exc.message, exc.fix)
    row.labels(s)
    row.country(s, required=True)
    row.web(s, "website", FOAF.homepage)
    wikidata = row.value("wikidata")
    if wikidata:
        qid = wikidata.rstrip("/").rsplit("/", 1)[-1]
        if qid[:1].upper() == "Q" and qid[1:].isdigit() and qid[1:].isascii():
            row.add(s, OWL.sameAs, ox.NamedNode(f"http://www.wikidata.org/entity/Q{qid[1:]}"),
                    "wikidata")
        else:
            row.problem("wikidata", Message("cell.not_wikidata", value=wikidata),
                        Message("cell.not_wikidata_fix"))
    role_cell = row.cells.get("role")
    joined = row.parsed("joined", parse_year_or_date)
    if text(role_cell):
        try:
            role = word(role_cell, PLATFORM_ROLES, "platform role")
        except CellError as exc:
            row.problem("role", exc.message, exc.fix)
            return
        member_slug = slug(text(row.cells.get("id")))
        m = row.resource(ox.NamedNode(f"{ID}membership/{PLATFORM_ID}/{member_slug}"), main=False)
        row.add(m, RDF.type, node(str(ORG.Membership)))
        row.add(m, ORG.member, s)
        row.add(m, ORG.role, node(str(PLATFORM_ROLES[role])), "role")
        row.ref(("organization",), PLATFORM_ID, "role", (m, ORG.organization))
        if joined is not None:
            row.add(m, COP.since, joined, "joined")


def _people(row: _Row) -> None:
    s = _ident(row, "person")
    if s is None:
        return
    row.add(s, RDF.type, node(str(FOAF.Person)))
    name = row.value("name", required=True)
    if name:
        row.add(s, FOAF.name, ox.Literal(name), "name")
    for lang in ("fr", "ar"):  # the name as written in that language (e.g. Arabic script)
        other = row.value(f"name_{lang}")
        if other and other != name:
            row.add(s, FOAF.name, ox.Literal(other, language=lang), f"name_{lang}")
    organization = row.ident("organization", required=True)
    if organization:
        row.ref(("organization",), organization, "organization", (s, ORG.memberOf))
    row.country(s, required=False)  # the column is required, a value is not (cmi.ttl)
    for theme in row.idents("expertise"):
        row.ref(("theme",), theme, "expertise", (s, SCHEMA.knowsAbout))
    email = row.value("email")
    if email:
        address = f"mailto:{email}"
        if "@" in email and not _forbidden_in_iri(email):
            row.add(s, FOAF.mbox, ox.NamedNode(address), "email")
        else:
            row.problem("email", Message("cell.not_email", value=email))


def _forbidden_in_iri(value: str) -> bool:
    try:
        ox.NamedNode(f"mailto:{value}")
    except ValueError:
        return True
    return any(c in value for c in ' "<>{}|\\^`') or not value.isprintable()


def _communities(row: _Row) -> None:
    s = _ident(row, "community")
    if s is None:
        return
    row.add(s, RDF.type, node(str(COP.CommunityOfPractice)))
    row.labels(s)
    theme = row.ident("theme", required=True)
    if theme:
        row.ref(("theme",), theme, "theme", (s, DCTERMS.subject))
    # An empty launch date is allowed: the sourced communities of cmi.ttl have none.
    launched = row.parsed("launched", parse_year_or_date)
    if launched is not None:
        row.add(s, COP.launched, launched, "launched")
    program = row.ident("program")
    if program:
        row.ref(("program",), program, "program", (s, COP.partOfProgram))


def _memberships(row: _Row) -> None:
    member = row.ident("member", required=True)
    community = row.ident("community", required=True)
    try:
        role = word(row.cells.get("role"), MEMBERSHIP_ROLES, "membership role", "member")
    except CellError as exc:
        row.problem("role", exc.message, exc.fix)
        role = None
    since = row.parsed("since", parse_year_or_date)
    if not (member and community and slug(member) and slug(community)):
        return
    m = ox.NamedNode(f"{ID}membership/{slug(community)}/{slug(member)}")
    if _duplicate_link(row, m, Message("cell.already_member", member=member,
                                       community=community)):
        return
    row.resource(m)
    row.add(m, RDF.type, node(str(ORG.Membership)))
    row.ref(AGENT, member, "member", (m, ORG.member))
    row.ref(("community",), community, "community", (m, ORG.organization))
    if role is not None:
        row.add(m, ORG.role, node(str(MEMBERSHIP_ROLES[role])), "role")
    if since is not None:
        row.add(m, COP.since, since, "since")


def _products(row: _Row) -> None:
    s = _ident(row, "product")
    if s is None:
        return
    row.add(s, RDF.type, node(str(COP.KnowledgeProduct)))
    try:
        kind = word(row.cells.get("type"), PRODUCT_TYPES, "product type")
        row.add(s, RDF.type, node(str(PRODUCT_TYPES[kind])), "type")
    except CellError as exc:
        row.problem("type", exc.message, exc.fix)
    title = row.value("title", required=True)
    if title:
        row.add(s, DCTERMS.title, ox.Literal(title), "title")
    row.value("year", required=True)
    year = row.parsed("year", parse_year)
    if year is not None:
        row.add(s, DCTERMS.issued, year, "year")
    community = row.ident("community")
    if community:
        row.ref(("community",), community, "community", (s, COP.community))
    authors = row.idents("authors")
    if not authors and not split_ids(row.cells.get("authors")):
        row.problem("authors", Message("cell.no_authors"), Message("cell.no_authors_fix"))
    for author in authors:
        row.ref(AGENT, author, "authors", (s, DCTERMS.creator))
    language = row.value("language")
    if language:
        row.add(s, DCTERMS.language, ox.Literal(language.lower()), "language")
    row.web(s, "url", SCHEMA.url)
    for theme in row.idents("themes"):
        row.ref(("theme",), theme, "themes", (s, DCTERMS.subject))


def _events(row: _Row) -> None:
    s = _ident(row, "event")
    if s is None:
        return
    row.add(s, RDF.type, node(str(COP.Event)))
    try:
        kind = word(row.cells.get("type"), EVENT_TYPES, "event type")
        row.add(s, RDF.type, node(str(EVENT_TYPES[kind])), "type")
    except CellError as exc:
        row.problem("type", exc.message, exc.fix)
    title = row.value("title", required=True)
    if title:
        row.add(s, SCHEMA.name, ox.Literal(title), "title")
    row.value("date", required=True)
    when = row.parsed("date", parse_date)
    if when is not None:
        row.add(s, SCHEMA.startDate, when, "date")
    community = row.ident("community")
    if community:
        row.ref(("community",), community, "community", (s, COP.community))
    city = row.value("city")
    if city:
        row.add(s, SCHEMA.location, ox.Literal(city), "city")
    row.country(s, required=False)


def _participation(row: _Row) -> None:
    event = row.ident("event", required=True)
    participant = row.ident("participant", required=True)
    try:
        role = word(row.cells.get("role"), PARTICIPATION_ROLES, "participation role",
                    "participant")
    except CellError as exc:
        row.problem("role", exc.message, exc.fix)
        role = None
    if not (event and participant and slug(event) and slug(participant)):
        return
    p = ox.NamedNode(f"{ID}participation/{slug(event)}/{slug(participant)}")
    if _duplicate_link(row, p, Message("cell.already_listed", participant=participant,
                                       event=event)):
        return
    row.resource(p)
    row.add(p, RDF.type, node(str(COP.Participation)))
    event_iri = _iri("event", event)
    row.add(p, COP.event, event_iri, "event")
    row.ref(("event",), event, "event")
    uses: list[tuple[ox.NamedNode, URIRef]] = [(p, COP.participant), (event_iri, SCHEMA.attendee)]
    if role is not None:
        row.add(p, ORG.role, node(str(PARTICIPATION_ROLES[role])), "role")
        if role == "organizer":
            uses.append((event_iri, SCHEMA.organizer))
    row.ref(AGENT, participant, "participant", *uses)


def _duplicate_link(row: _Row, iri: ox.NamedNode, message: Message) -> bool:
    first = row.index.links.get(iri.value)
    if first is None:
        row.index.links[iri.value] = row.origin
        return False
    where = Message("problem.row", row=first.row) if first.file == row.origin.file \
        else Message("cell.file_row", file=first.file, row=first.row)
    row.problem(None, Message("cell.duplicate_link", link=message, where=where),
                Message("cell.duplicate_link_fix"))
    return True


_HANDLERS: dict[str, Callable[[_Row], None]] = {
    "themes": _themes,
    "organizations": _organizations,
    "people": _people,
    "communities": _communities,
    "memberships": _memberships,
    "products": _products,
    "events": _events,
    "participation": _participation,
}
