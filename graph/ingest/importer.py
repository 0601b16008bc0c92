"""Validate a batch of files and write it in one atomic transaction, one named graph per file."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from ..access.audit import Activity, audit_graph_update, cli_actor
from ..access.erasure import any_erasure, erased_iris
from ..errors import DataError, Problem
from ..store import KnowledgeGraph
from ..store.backend import GraphFile
from ..store.terms import from_rdflib, to_rdflib, triple_from_rdflib
from ..vocab import COP, ID, KINDS, PROV, RDF, XSD, resource_iri, slug, source_graph_iri
from .mapping import BatchIndex, index_ids, map_sheet
from .reading import SourceFile, find_sources, read_sheets
from .references import resolve_references
from .validation import (
    SHACL_TRIPLE_LIMIT,
    RdfSubjects,
    fast_checks,
    shacl_problems,
    stored_type_triples,
)

__all__ = ["FileReport", "ImportPlan", "ImportReport", "import_paths", "validate_paths"]


@dataclass
class FileReport:
    """What happened (or would happen) to one file of the batch."""

    file: str
    graph: str
    status: str  # "imported" | "replaced" | "unchanged"
    triples: int
    resources: int
    sha256: str = ""


@dataclass
class ImportPlan:
    """A validated batch, ready to write: per file its report and its graph's triples."""

    files: list[FileReport]
    graphs: dict[str, list[ox.Triple]] = field(repr=False)
    started: datetime
    elapsed_s: float
    #: Big RDF files written straight from disk into their graph (plus ``graphs[iri]``).
    files_to_load: dict[str, GraphFile] = field(default_factory=dict, repr=False)

    @property
    def resources(self) -> int:
        """Resources described by the batch (rows, or typed subjects of RDF files)."""
        return sum(f.resources for f in self.files)


@dataclass
class ImportReport:
    """The outcome of :func:`import_paths`."""

    files: list[FileReport]
    started: datetime
    elapsed_s: float


def validate_paths(kg: KnowledgeGraph, paths: Sequence[Path | str]) -> ImportPlan:
    """Read and check every file of ``paths``; raise :class:`DataError` with every problem.

    Nothing is written. References resolve against the whole batch and the store.

    >>> kg = KnowledgeGraph.in_memory()
    >>> validate_paths(kg, ["missing.csv"])
    Traceback (most recent call last):
    ...
    graph.errors.DataError: 1 problem found; nothing was imported
      - missing.csv: no such file or folder
    """
    clock = time.perf_counter()
    started = datetime.now(UTC).replace(microsecond=0)
    sources, problems = find_sources(paths)
    for source in sources:
        if source.kind == "sheets":
            problems.extend(read_sheets(source))
    batch_graphs = {str(source_graph_iri(s.name)) for s in sources}

    index = BatchIndex()
    sheets = [sheet for s in sources for sheet in s.sheets]
    problems.extend(index_ids(sheets, index))
    graphs: dict[str, Graph] = {}
    for source in sources:
        if source.kind != "sheets":
            continue
        graph = Graph()
        graphs[source.name] = graph
        for sheet in source.sheets:
            problems.extend(map_sheet(
                sheet, graph, URIRef(source_graph_iri(source.name)), index, started,
            ))

    used: set[str] = set()
    rdf_triples: dict[str, list[ox.Triple]] = {}
    rdf_subjects: list[RdfSubjects] = []
    rdf_graphs: list[Graph] = []
    big: dict[str, tuple[int, int]] = {}  # file name -> (triples, typed subjects)
    big_stores: list[ox.Store] = []
    for source in sources:
        if source.kind != "rdf":
            continue
        if _is_big(source):
            temp, parse_problems = _load_big(source)
            problems.extend(parse_problems)
            if temp is None:
                continue
            typed = [row[0].value for row in _solutions(temp.query(_TYPED_SUBJECTS))
                     if isinstance(row[0], ox.NamedNode)]
            for iri in typed:
                index.add_rdf_subject(iri)
            big[source.name] = (len(temp), len(typed))
            big_stores.append(temp)
            problems.extend(fast_checks(kg, source.name, temp, batch_graphs))
            continue
        triples, parse_problems = _parse_rdf(source)
        problems.extend(parse_problems)
        if parse_problems:
            continue
        rdf_triples[source.name] = triples
        rdf_type = ox.NamedNode(str(RDF.type))
        for t in triples:
            if t.predicate == rdf_type and isinstance(t.subject, ox.NamedNode):
                index.add_rdf_subject(t.subject.value)
        if len(triples) > SHACL_TRIPLE_LIMIT:
            temp = ox.Store()
            temp.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
            problems.extend(fast_checks(kg, source.name, temp, batch_graphs))
            continue
        graph = Graph()
        for t in triples:
            graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        rdf_graphs.append(graph)
        rdf_subjects.append(RdfSubjects(source.name, set(graph.subjects())))
        used.update(_dangling_iris(graph))

    if any_erasure(kg):
        problems.extend(_erased_problems(
            kg, index, rdf_triples, [(s.name, st) for s, st in zip(
                [s for s in sources if s.name in big], big_stores, strict=True)]))
    ref_problems, sheet_refs = resolve_references(kg, index, batch_graphs)
    problems.extend(ref_problems)
    used.update(sheet_refs)
    # A batch identical to what is stored was validated when it was imported.
    all_unchanged = bool(sources) and all(
        kg.source_hash(str(source_graph_iri(s.name))) == s.sha256 for s in sources
    )
    if not all_unchanged and not any(p.row is None and p.sheet is not None for p in problems):
        context = stored_type_triples(kg, used, batch_graphs)
        if graphs and big_stores:  # sheets may point to resources a big RDF file types
            pointed = {str(o) for g in graphs.values() for o in g.objects()
                       if isinstance(o, URIRef)}
            context.extend(_types_of(pointed, big_stores))
        reported = {(p.file, p.row, p.column) for p in problems}
        for problem in shacl_problems([*graphs.values(), *rdf_graphs], context, index,
                                      rdf_subjects):
            if (problem.file, problem.row, problem.column) not in reported:
                problems.append(problem)
    if problems:
        raise DataError(problems)

    existing = set(kg.named_graphs())
    reports: list[FileReport] = []
    out: dict[str, list[ox.Triple]] = {}
    loads: dict[str, GraphFile] = {}
    for source in sources:
        iri = str(source_graph_iri(source.name))
        if source.name in big:
            count, resources = big[source.name]
            if kg.source_hash(iri) == source.sha256:
                status = "unchanged"
            else:
                status = "replaced" if iri in existing else "imported"
                assert source.rdf_format is not None
                loads[iri] = GraphFile(source.path, source.rdf_format, _base_iri(source))
                out[iri] = _description(iri, source, started, count)
            reports.append(FileReport(source.name, iri, status, count, resources,
                                      source.sha256))
            continue
        if source.kind == "sheets":
            data = [triple_from_rdflib(*t) for t in graphs[source.name]]
            resources = sum(1 for o in index.subjects.values() if o.file == source.name)
        else:
            data = rdf_triples[source.name]
            rdf_type = ox.NamedNode(str(RDF.type))
            resources = len({t.subject for t in data if t.predicate == rdf_type})
        if kg.source_hash(iri) == source.sha256:
            status = "unchanged"
        else:
            status = "replaced" if iri in existing else "imported"
            out[iri] = data + _description(iri, source, started, len(data))
        reports.append(FileReport(source.name, iri, status, len(data), resources,
                                  source.sha256))
    return ImportPlan(reports, out, started, time.perf_counter() - clock, loads)


def import_paths(
    kg: KnowledgeGraph, paths: Sequence[Path | str], *, who: str | None = None,
) -> ImportReport:
    """Validate ``paths`` (see :func:`validate_paths`), then write every changed file's graph
    in one atomic transaction. Files whose sha256 equals the stored one are left untouched.
    The import is recorded in the audit trail as done by ``who`` (default: the system user);
    an import that finds every file unchanged writes nothing, not even an audit record.

    >>> kg = KnowledgeGraph.in_memory()
    >>> from graph.config import bundled_data_paths
    >>> report = import_paths(kg, bundled_data_paths()[:1])
    >>> [(f.file, f.status) for f in report.files]
    [('cmi.ttl', 'imported')]
    >>> import_paths(kg, bundled_data_paths()[:1]).files[0].status
    'unchanged'
    """
    clock = time.perf_counter()
    unchanged = _all_unchanged(kg, paths)
    if unchanged is not None:
        return ImportReport(unchanged, datetime.now(UTC).replace(microsecond=0),
                            time.perf_counter() - clock)
    plan = validate_paths(kg, paths)
    if not plan.graphs:
        return ImportReport(plan.files, plan.started, time.perf_counter() - clock)
    # The audit record commits with the data (one transaction).
    kg.replace_graphs({**plan.graphs, **audit_graph_update(kg, _audit(plan.files, who))},
                      files=plan.files_to_load)
    return ImportReport(plan.files, plan.started, time.perf_counter() - clock)


def _audit(files: Sequence[FileReport], who: str | None) -> Activity:
    what = "import " + ", ".join(f"{f.file} ({f.status})" for f in files)
    return Activity("import", who or cli_actor(), what,
                    files=[(f.file, f.sha256, f.status) for f in files])


def _erased_problems(
    kg: KnowledgeGraph, index: BatchIndex, rdf_triples: dict[str, list[ox.Triple]],
    big: list[tuple[str, ox.Store]],
) -> list[Problem]:
    """A problem for each row, cell or file that names a person erased with copkg forget."""
    fix_row = "remove this row and every row that refers to them (copkg forget erased them)"
    found: list[tuple[str, Problem]] = []
    for (kind, key), origin in index.defined.items():
        if kind == "person":
            found.append((str(resource_iri("person", key)), origin.problem(
                "", "id", fix_row)))
    for ref in index.pending:
        if "person" in ref.kinds and slug(ref.ident):
            found.append((str(resource_iri("person", ref.ident)), ref.origin.problem(
                "", ref.column, f'remove "{ref.ident}" from this cell')))
    fix_file = "remove every statement about them from the file"
    for name, triples in rdf_triples.items():
        for iri in {t.value for tr in triples for t in (tr.subject, tr.object)
                    if isinstance(t, ox.NamedNode)}:
            found.append((iri, Problem(name, "", fix=fix_file)))
    person_prefix = f"{ID}{KINDS['person']}/"
    for name, store in big:
        result = store.query(
            "SELECT DISTINCT ?x WHERE { { ?x a <http://xmlns.com/foaf/0.1/Person> } UNION "
            "{ ?s ?p ?x FILTER(isIRI(?x) && STRSTARTS(STR(?x), \"" + person_prefix + "\")) } }")
        for row in _solutions(result):
            if isinstance(row[0], ox.NamedNode):
                found.append((row[0].value, Problem(name, "", fix=fix_file)))
    erased = erased_iris(kg, [iri for iri, _ in found])
    problems = []
    for iri, p in found:
        if iri in erased:
            what = (f"{_short(iri)} is a person erased on {erased[iri]}" if p.row is not None
                    else f"mentions {_short(iri)}, a person erased on {erased[iri]}")
            problems.append(Problem(p.file, what, p.sheet, p.row, p.column, p.fix))
    return problems


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1] if iri.startswith(str(ID)) else f"<{iri}>"


_STORED_COUNTS = """
SELECT ?triples (COUNT(DISTINCT ?resource) AS ?resources) WHERE {
  GRAPH ?g { ?g cop:tripleCount ?triples OPTIONAL { ?resource prov:wasDerivedFrom ?row } }
} GROUP BY ?triples"""


def _all_unchanged(kg: KnowledgeGraph, paths: Sequence[Path | str]) -> list[FileReport] | None:
    """Reports for a batch whose every file is byte-identical to what was imported, else None.

    Re-importing such a batch reads nothing more than the files' hashes: it was validated when
    it was first imported, and nothing in it changed.
    """
    sources, problems = find_sources(paths)
    if problems or not sources:
        return None
    reports = []
    for source in sources:
        iri = str(source_graph_iri(source.name))
        if kg.source_hash(iri) != source.sha256:
            return None
        counts = kg.query(_STORED_COUNTS, {"g": ox.NamedNode(iri)})
        triples = int(counts["triples"].iloc[0]) if len(counts) else 0
        resources = int(counts["resources"].iloc[0]) if len(counts) else 0
        reports.append(FileReport(source.name, iri, "unchanged", triples, resources,
                                  source.sha256))
    return reports


#: RDF files larger than this are parsed by Oxigraph alone (never turned into Python objects):
#: checked on a temporary in-memory store, then bulk-loaded from the file into their graph.
BIG_FILE_BYTES = 16 * 1024 * 1024
_TYPED_SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s a ?type FILTER(isIRI(?s)) }"


_TRIPLE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML)


def _is_big(source: SourceFile) -> bool:
    # Quad formats keep the small-file path, which merges their graphs into the file's graph.
    return source.rdf_format in _TRIPLE_FORMATS and source.path.stat().st_size > BIG_FILE_BYTES


def _base_iri(source: SourceFile) -> str:
    return source.path.resolve().as_uri()


def _load_big(source: SourceFile) -> tuple[ox.Store | None, list[Problem]]:
    """Parse a big RDF file into a temporary in-memory store (Oxigraph's parser, no Python)."""
    assert source.rdf_format is not None
    temp = ox.Store()
    try:
        temp.load(path=str(source.path), format=source.rdf_format, base_iri=_base_iri(source))
    except SyntaxError as exc:
        return None, [Problem(source.name, f"is not valid {source.rdf_format.name}: {exc}",
                              fix="fix the syntax and import again")]
    except (OSError, ValueError) as exc:
        return None, [Problem(source.name, f"cannot be read: {exc}")]
    return temp, []


def _types_of(iris: set[str], stores: Sequence[ox.Store]) -> list[ox.Triple]:
    """``?s a ?type`` triples of ``iris`` found in the big files' temporary stores."""
    found: list[ox.Triple] = []
    for store in stores:
        for s, t in _solutions(store.query("SELECT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s)) }")):
            if isinstance(s, ox.NamedNode) and s.value in iris and isinstance(t, ox.NamedNode):
                found.append(ox.Triple(s, ox.NamedNode(str(RDF.type)), t))
    return found


def _solutions(result: object) -> ox.QuerySolutions:
    assert isinstance(result, ox.QuerySolutions)
    return result


def _parse_rdf(source: SourceFile) -> tuple[list[ox.Triple], list[Problem]]:
    assert source.rdf_format is not None
    try:
        quads = ox.parse(
            path=str(source.path), format=source.rdf_format,
            base_iri=_base_iri(source),
        )
        # Named graphs inside a TriG / N-Quads file are merged into the file's own graph.
        return [q.triple for q in quads], []
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        message = str(exc.args[0]) if exc.args else str(exc)
        where = f"line {line}: " if line and "line" not in message else ""
        return [], [Problem(source.name, f"is not valid {source.rdf_format.name}: {where}"
                                         f"{message}", fix="fix the syntax and import again")]
    except (OSError, ValueError) as exc:
        return [], [Problem(source.name, f"cannot be read: {exc}")]


def _dangling_iris(graph: Graph) -> set[str]:
    """IRIs the file points to without describing them (maybe stored resources)."""
    subjects = set(graph.subjects())
    return {str(o) for o in graph.objects() if isinstance(o, URIRef) and o not in subjects
            and not str(o).startswith(("http://www.w3.org/", "https://schema.org/"))}


def _description(
    iri: str, source: SourceFile, started: datetime, count: int,
) -> list[ox.Triple]:
    graph = URIRef(iri)
    facts = [
        (RDF.type, COP.ImportedSource),
        (RDF.type, PROV.Entity),
        (COP.sourceFile, Literal(source.name)),
        (COP.sha256, Literal(source.sha256)),
        (COP.importedAt, Literal(started.isoformat(), datatype=XSD.dateTime)),
        (COP.tripleCount, Literal(count)),
    ]
    subject = from_rdflib(graph)
    assert isinstance(subject, ox.NamedNode)
    return [ox.Triple(subject, ox.NamedNode(str(p)), from_rdflib(o)) for p, o in facts]
