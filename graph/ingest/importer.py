"""Validate a batch of files and write it in one atomic transaction, one named graph per file."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from ..errors import DataError, Problem
from ..store import KnowledgeGraph
from ..store.backend import GraphFile
from ..store.terms import from_rdflib, to_rdflib, triple_from_rdflib
from ..vocab import COP, PROV, RDF, XSD, source_graph_iri
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
            reports.append(FileReport(source.name, iri, status, count, resources))
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
        reports.append(FileReport(source.name, iri, status, len(data), resources))
    return ImportPlan(reports, out, started, time.perf_counter() - clock, loads)


def import_paths(kg: KnowledgeGraph, paths: Sequence[Path | str]) -> ImportReport:
    """Validate ``paths`` (see :func:`validate_paths`), then write every changed file's graph
    in one atomic transaction. Files whose sha256 equals the stored one are left untouched.

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
    if plan.graphs:
        kg.replace_graphs(plan.graphs, files=plan.files_to_load)
    return ImportReport(plan.files, plan.started, time.perf_counter() - clock)


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
        reports.append(FileReport(source.name, iri, "unchanged", triples, resources))
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
