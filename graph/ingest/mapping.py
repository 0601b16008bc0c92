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

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import Problem
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
    parse_bool,
    parse_date,
    parse_year,
    parse_year_or_date,
    split_ids,
    text,
    word,
)

__all__ = ["AGENT", "BatchIndex", "Origin", "PendingRef", "index_ids", "map_sheet"]

#: Pseudo-kind of a cell that may name a person or an organisation (one shared id space).
AGENT = ("person", "organization")


@dataclass(frozen=True)
class Origin:
    """Where a row is: file, sheet and the spreadsheet's own row number."""

    file: str
    sheet: str
    row: int

    def problem(self, message: str, column: str | None = None, fix: str | None = None) -> Problem:
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
    graph: Graph
    uses: list[tuple[URIRef, URIRef]]


@dataclass
class BatchIndex:
    """Ids defined by the batch (``(kind, slug) → row``) and the per-row bookkeeping."""

    defined: dict[tuple[str, str], Origin] = field(default_factory=dict)
    #: Each subject a row made, for mapping SHACL results back to the row.
    subjects: dict[URIRef, Origin] = field(default_factory=dict)
    #: ``(sheet, predicate) → column``, for naming the column of a SHACL result.
    columns: dict[tuple[str, str], str] = field(default_factory=dict)
    pending: list[PendingRef] = field(default_factory=list)
    #: Link rows (memberships, participation) by their IRI, for duplicate detection.
    links: dict[URIRef, Origin] = field(default_factory=dict)
    #: ``(kind, slug)`` of typed ``id:`` resources described by the batch's RDF files.
    rdf_defined: set[tuple[str, str]] = field(default_factory=set)

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
    """Register every id the sheets define; empty and duplicate ids are problems.

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
            ident = text(row.get("id"))
            if not ident:
                problems.append(origin.problem("the id is empty", "id", "every row needs an id"))
                continue
            key = slug(ident)
            if not key:
                problems.append(origin.problem(
                    f'"{ident}" has no letters or digits to build an id from', "id",
                ))
                continue
            first = index.defined.get((space, key))
            if first is not None:
                same = "" if first.file == origin.file else f"{first.file}, "
                problems.append(origin.problem(
                    f'duplicate id "{ident}": already used by {same}sheet {first.sheet}, '
                    f"row {first.row}", "id",
                    "ids must be unique (people and organisations share one id space)",
                ))
                continue
            index.defined[(space, key)] = origin
            index.defined[(kind, key)] = origin
    return problems


def map_sheet(
    sheet: Sheet, graph: Graph, graph_iri: URIRef, index: BatchIndex, imported_at: datetime,
) -> list[Problem]:
    """Add the triples of every row of ``sheet`` to ``graph``; return the row problems."""
    problems: list[Problem] = []
    handler = _HANDLERS[sheet.name]
    stamp = Literal(imported_at.isoformat(timespec="seconds"), datatype=XSD.dateTime)
    for number, row in sheet.rows:
        row_ctx = _Row(sheet, number, row, graph, graph_iri, index, problems, stamp)
        handler(row_ctx)
        row_ctx.finish()
    return problems


class _Row:
    """One row being mapped: typed cell access that records problems instead of raising."""

    def __init__(
        self, sheet: Sheet, number: int, cells: dict[str, Cell], graph: Graph,
        graph_iri: URIRef, index: BatchIndex, problems: list[Problem], stamp: Literal,
    ) -> None:
        self.sheet = sheet
        self.origin = Origin(sheet.file, sheet.name, number)
        self.cells = cells
        self.graph = graph
        self.graph_iri = graph_iri
        self.index = index
        self.problems = problems
        self.stamp = stamp
        self.resources: list[URIRef] = []
        self.main: URIRef | None = None

    # -- cells ---------------------------------------------------------------------------
    def value(self, column: str, *, required: bool = False) -> str:
        value = text(self.cells.get(column))
        if required and not value:
            self.problem(column, f"the {column} is empty", "this column is required")
        return value

    def parsed(self, column: str, parse: Callable[[Cell], Node]) -> Node | None:
        cell = self.cells.get(column)
        if text(cell) == "":
            return None
        try:
            return parse(cell)
        except CellError as exc:
            self.problem(column, exc.message, exc.fix)
            return None

    def problem(self, column: str | None, message: str, fix: str | None = None) -> None:
        self.problems.append(self.origin.problem(message, column, fix))

    # -- triples -------------------------------------------------------------------------
    def resource(self, iri: URIRef, *, main: bool = True) -> URIRef:
        self.resources.append(iri)
        self.index.subjects.setdefault(iri, self.origin)
        if main and self.main is None:
            self.main = iri
        return iri

    def add(self, s: URIRef, p: URIRef, o: Node, column: str | None = None) -> None:
        self.graph.add((s, p, o))
        if column:
            self.index.columns.setdefault((self.sheet.name, str(p)), column)

    def ref(
        self, kinds: tuple[str, ...], ident: str, column: str, *uses: tuple[URIRef, URIRef],
    ) -> None:
        self.index.pending.append(
            PendingRef(kinds, ident, self.origin, column, self.graph, list(uses))
        )
        for _, p in uses:
            self.index.columns.setdefault((self.sheet.name, str(p)), column)

    def labels(self, s: URIRef) -> None:
        name = self.value("name", required=True)
        if name:
            self.add(s, SKOS.prefLabel, Literal(name, lang="en"), "name")
        for lang in ("fr", "ar"):
            other = self.value(f"name_{lang}")
            if other:
                self.add(s, SKOS.prefLabel, Literal(other, lang=lang), f"name_{lang}")

    def country(self, s: URIRef, *, required: bool) -> None:
        value = self.value("country", required=required)
        if value:
            try:
                self.add(s, COP.country, Literal(country_code(value)), "country")
            except CellError as exc:
                self.problem("country", exc.message, exc.fix)

    def finish(self) -> None:
        """Common columns, extra columns and provenance of every resource the row made."""
        if self.main is None:
            return
        spec = SHEETS[self.sheet.name]
        for column in self.sheet.columns:
            if column in spec.columns:
                continue
            if column == "illustrative":
                flag = self.parsed("illustrative", lambda c: Literal(parse_bool(c)))
                if flag is not None and flag == Literal(True):
                    for res in self.resources:
                        self.add(res, COP.illustrative, Literal(True), "illustrative")
            elif column == "source":
                source = self.value("source")
                if source:
                    obj: Node = (URIRef(source) if source.startswith(("http://", "https://"))
                                 else Literal(source))
                    self.add(self.main, DCTERMS.source, obj, "source")
            else:
                extra = self.value(column)
                if extra and slug(column):
                    self.add(self.main, extra_column_iri(column), Literal(extra), column)
        record = URIRef(f"{self.graph_iri}#row-{self.sheet.name}-{self.origin.row}")
        self.graph.add((record, RDF.type, PROV.Entity))
        self.graph.add((record, COP.sourceFile, Literal(self.sheet.file)))
        self.graph.add((record, COP.sheet, Literal(self.sheet.name)))
        self.graph.add((record, COP.row, Literal(self.origin.row)))
        self.graph.add((record, PROV.generatedAtTime, self.stamp))
        for res in self.resources:
            self.graph.add((res, PROV.wasDerivedFrom, record))



def _ident(row: _Row, kind: str) -> URIRef | None:
    ident = text(row.cells.get("id"))
    if not ident or not slug(ident):
        return None  # reported by index_ids
    return row.resource(resource_iri(kind, ident))


def _themes(row: _Row) -> None:
    s = _ident(row, "theme")
    if s is None:
        return
    row.add(s, RDF.type, SKOS.Concept)
    row.add(s, SKOS.inScheme, COP.themes)
    row.labels(s)
    broader = row.value("broader")
    if broader:
        row.ref(("theme",), broader, "broader", (s, SKOS.broader))


def _organizations(row: _Row) -> None:
    s = _ident(row, "organization")
    if s is None:
        return
    row.add(s, RDF.type, ORG.Organization)
    try:
        kind = word(row.cells.get("type"), ORGANIZATION_TYPES, "organization type")
        row.add(s, RDF.type, ORGANIZATION_TYPES[kind], "type")
        row.add(s, COP.organizationType, Literal(kind), "type")
    except CellError as exc:
        row.problem("type", exc.message, exc.fix)
    row.labels(s)
    row.country(s, required=True)
    website = row.value("website")
    if website:
        if website.startswith(("http://", "https://")):
            row.add(s, FOAF.homepage, URIRef(website), "website")
        else:
            row.problem("website", f'"{website}" is not a web address',
                        "write it with http:// or https://")
    wikidata = row.value("wikidata")
    if wikidata:
        qid = wikidata.rstrip("/").rsplit("/", 1)[-1]
        if qid[:1].upper() == "Q" and qid[1:].isdigit():
            row.add(s, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/Q{qid[1:]}"),
                    "wikidata")
        else:
            row.problem("wikidata", f'"{wikidata}" is not a Wikidata id',
                        "write the Q-number, e.g. Q2826626")
    role_cell = row.cells.get("role")
    joined = row.parsed("joined", parse_year_or_date)
    if text(role_cell):
        try:
            role = word(role_cell, PLATFORM_ROLES, "platform role")
        except CellError as exc:
            row.problem("role", exc.message, exc.fix)
            return
        member_slug = slug(text(row.cells.get("id")))
        m = row.resource(URIRef(f"{ID}membership/{PLATFORM_ID}/{member_slug}"), main=False)
        row.add(m, RDF.type, ORG.Membership)
        row.add(m, ORG.member, s)
        row.add(m, ORG.role, PLATFORM_ROLES[role], "role")
        row.ref(("organization",), PLATFORM_ID, "role", (m, ORG.organization))
        if joined is not None:
            row.add(m, COP.since, joined, "joined")


def _people(row: _Row) -> None:
    s = _ident(row, "person")
    if s is None:
        return
    row.add(s, RDF.type, FOAF.Person)
    name = row.value("name", required=True)
    if name:
        row.add(s, FOAF.name, Literal(name), "name")
    for lang in ("fr", "ar"):  # the name as written in that language (e.g. Arabic script)
        other = row.value(f"name_{lang}")
        if other and other != name:
            row.add(s, FOAF.name, Literal(other, lang=lang), f"name_{lang}")
    organization = row.value("organization", required=True)
    if organization:
        row.ref(("organization",), organization, "organization", (s, ORG.memberOf))
    row.country(s, required=False)  # the column is required, a value is not (cmi.ttl)
    for theme in split_ids(row.cells.get("expertise")):
        row.ref(("theme",), theme, "expertise", (s, SCHEMA.knowsAbout))
    email = row.value("email")
    if email:
        if "@" in email and " " not in email:
            row.add(s, FOAF.mbox, URIRef(f"mailto:{email}"), "email")
        else:
            row.problem("email", f'"{email}" is not an e-mail address')


def _communities(row: _Row) -> None:
    s = _ident(row, "community")
    if s is None:
        return
    row.add(s, RDF.type, COP.CommunityOfPractice)
    row.labels(s)
    theme = row.value("theme", required=True)
    if theme:
        row.ref(("theme",), theme, "theme", (s, DCTERMS.subject))
    # An empty launch date is allowed: the sourced communities of cmi.ttl have none.
    launched = row.parsed("launched", parse_year_or_date)
    if launched is not None:
        row.add(s, COP.launched, launched, "launched")
    program = row.value("program")
    if program:
        row.ref(("program",), program, "program", (s, COP.partOfProgram))


def _memberships(row: _Row) -> None:
    member = row.value("member", required=True)
    community = row.value("community", required=True)
    try:
        role = word(row.cells.get("role"), MEMBERSHIP_ROLES, "membership role", "member")
    except CellError as exc:
        row.problem("role", exc.message, exc.fix)
        role = None
    since = row.parsed("since", parse_year_or_date)
    if not (member and community and slug(member) and slug(community)):
        return
    m = URIRef(f"{ID}membership/{slug(community)}/{slug(member)}")
    if _duplicate_link(row, m, f'"{member}" is already a member of "{community}"'):
        return
    row.resource(m)
    row.add(m, RDF.type, ORG.Membership)
    row.ref(AGENT, member, "member", (m, ORG.member))
    row.ref(("community",), community, "community", (m, ORG.organization))
    if role is not None:
        row.add(m, ORG.role, MEMBERSHIP_ROLES[role], "role")
    if since is not None:
        row.add(m, COP.since, since, "since")


def _products(row: _Row) -> None:
    s = _ident(row, "product")
    if s is None:
        return
    row.add(s, RDF.type, COP.KnowledgeProduct)
    try:
        kind = word(row.cells.get("type"), PRODUCT_TYPES, "product type")
        row.add(s, RDF.type, PRODUCT_TYPES[kind], "type")
    except CellError as exc:
        row.problem("type", exc.message, exc.fix)
    title = row.value("title", required=True)
    if title:
        row.add(s, DCTERMS.title, Literal(title), "title")
    row.value("year", required=True)
    year = row.parsed("year", parse_year)
    if year is not None:
        row.add(s, DCTERMS.issued, year, "year")
    community = row.value("community")
    if community:
        row.ref(("community",), community, "community", (s, COP.community))
    authors = split_ids(row.cells.get("authors"))
    if not authors:
        row.problem("authors", "the authors are empty",
                    "list at least one person or organization id, separated by ;")
    for author in authors:
        row.ref(AGENT, author, "authors", (s, DCTERMS.creator))
    language = row.value("language")
    if language:
        row.add(s, DCTERMS.language, Literal(language.lower()), "language")
    url = row.value("url")
    if url:
        if url.startswith(("http://", "https://")):
            row.add(s, SCHEMA.url, URIRef(url), "url")
        else:
            row.problem("url", f'"{url}" is not a web address', "write it with https://")
    for theme in split_ids(row.cells.get("themes")):
        row.ref(("theme",), theme, "themes", (s, DCTERMS.subject))


def _events(row: _Row) -> None:
    s = _ident(row, "event")
    if s is None:
        return
    row.add(s, RDF.type, COP.Event)
    try:
        kind = word(row.cells.get("type"), EVENT_TYPES, "event type")
        row.add(s, RDF.type, EVENT_TYPES[kind], "type")
    except CellError as exc:
        row.problem("type", exc.message, exc.fix)
    title = row.value("title", required=True)
    if title:
        row.add(s, SCHEMA.name, Literal(title), "title")
    row.value("date", required=True)
    when = row.parsed("date", parse_date)
    if when is not None:
        row.add(s, SCHEMA.startDate, when, "date")
    community = row.value("community")
    if community:
        row.ref(("community",), community, "community", (s, COP.community))
    city = row.value("city")
    if city:
        row.add(s, SCHEMA.location, Literal(city), "city")
    row.country(s, required=False)


def _participation(row: _Row) -> None:
    event = row.value("event", required=True)
    participant = row.value("participant", required=True)
    try:
        role = word(row.cells.get("role"), PARTICIPATION_ROLES, "participation role",
                    "participant")
    except CellError as exc:
        row.problem("role", exc.message, exc.fix)
        role = None
    if not (event and participant and slug(event) and slug(participant)):
        return
    p = URIRef(f"{ID}participation/{slug(event)}/{slug(participant)}")
    if _duplicate_link(row, p, f'"{participant}" is already listed for event "{event}"'):
        return
    row.resource(p)
    row.add(p, RDF.type, COP.Participation)
    event_iri = resource_iri("event", event)
    row.add(p, COP.event, event_iri, "event")
    row.ref(("event",), event, "event")
    uses = [(p, COP.participant), (event_iri, SCHEMA.attendee)]
    if role is not None:
        row.add(p, ORG.role, PARTICIPATION_ROLES[role], "role")
        if role == "organizer":
            uses.append((event_iri, SCHEMA.organizer))
    row.ref(AGENT, participant, "participant", *uses)


def _duplicate_link(row: _Row, iri: URIRef, message: str) -> bool:
    first = row.index.links.get(iri)
    if first is None:
        row.index.links[iri] = row.origin
        return False
    same = "" if first.file == row.origin.file else f"{first.file}, "
    row.problem(None, f"{message} ({same}row {first.row})", "remove one of the two rows")
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
