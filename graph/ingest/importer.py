"""Validate a batch of files and write it in one atomic transaction, one named graph per file.

Everything is checked in an in-memory Oxigraph store before the real store is touched: the new
graphs (sheets mapped in Python, RDF files parsed by Oxigraph alone), what partners' RDF implies
through ``ontology/alignments.ttl`` (:mod:`.inference`), the ontology, and the stored resources
the batch refers to or redefines. Every rule of ``ontology/shapes.ttl`` is checked there
(:mod:`.shacl`); then what the import would change is compared file by file (:mod:`.effects`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from ..access.audit import Activity, audit_graph_update, cli_actor
from ..access.erasure import any_erasure, erased_iris
from ..config import ontology_files
from ..errors import ConfirmationNeeded, DataError, Problem
from ..i18n import Message
from ..store import KnowledgeGraph
from ..store.backend import GraphFile
from ..vocab import (
    COP,
    ID,
    KINDS,
    ONTOLOGY_GRAPH,
    PROV,
    RDF,
    XSD,
    inferred_graph_iri,
    resource_iri,
    slug,
    source_graph_iri,
)
from .effects import (
    FileEffect,
    Reason,
    confirmations,
    file_effect,
    overridden,
    redefinitions,
    rename_advice,
)
from .inference import materialise
from .mapping import BatchIndex, Quads, index_ids, map_sheet, node
from .reading import SourceFile, find_sources, read_sheets
from .references import resolve_references
from .safety import UnsafeFile, check_xml_declarations
from .shacl import CHECKED_DATATYPES, shapes, validate, well_formed_filter
from .validation import shape_problems, source_graph, stored_definitions, stored_type_triples

__all__ = [
    "FileReport",
    "ImportPlan",
    "ImportReport",
    "Progress",
    "STAGES",
    "import_paths",
    "validate_paths",
]

#: Told what the import is doing: a stage and the fraction done (0 to 1). The stages are
#: ``STAGES``; ``ingest.stage_<stage>`` is their name in the catalogues (graph/i18n).
Progress = Callable[[str, float], None]
STAGES = ("reading", "mapping", "reading_rdf", "references", "checking", "comparing", "checked",
          "writing", "done")
_CONTEXT = ox.NamedNode("urn:copkg:context")
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))
_TYPE = ox.NamedNode(str(RDF.type))
_DATASET_FORMATS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)


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
    #: Graph IRI → its new content (triples, or quads already in that graph).
    graphs: dict[str, list[ox.Triple | ox.Quad]] = field(repr=False)
    started: datetime
    elapsed_s: float
    #: RDF files written straight from disk into their graph (plus ``graphs[iri]``).
    files_to_load: dict[str, GraphFile] = field(default_factory=dict, repr=False)
    #: The store the batch was checked in, and its new sheet graphs to write from there.
    checked: ox.Store | None = field(default=None, repr=False)
    dumps: list[str] = field(default_factory=list)
    #: What each changed file would add, change and remove.
    effects: list[FileEffect] = field(default_factory=list)
    #: Why writing needs a confirmation (``--replace``); empty when it does not.
    confirmations: list[Reason] = field(default_factory=list)
    #: How to add rows beside an earlier file of the same name instead of replacing it.
    advice: list[Reason] = field(default_factory=list)

    @property
    def resources(self) -> int:
        """Resources described by the batch (rows, or typed subjects of RDF files)."""
        return sum(f.resources for f in self.files)

    def write(
        self, kg: KnowledgeGraph, also: Mapping[str, list[ox.Triple]] | None = None,
    ) -> None:
        """Write the plan to ``kg`` in one :meth:`~KnowledgeGraph.replace_graphs` (with the
        graphs ``also``, e.g. the audit trail); new sheet graphs go from the check store to one
        N-Quads file, bulk-loaded by Oxigraph."""
        with tempfile.TemporaryDirectory(prefix="copkg-import-") as tmp:
            files = dict(self.files_to_load)
            if self.dumps and self.checked is not None:
                keep = {ox.NamedNode(iri) for iri in self.dumps}
                for graph in list(self.checked.named_graphs()):
                    if graph not in keep:
                        self.checked.remove_graph(graph)
                self.checked.clear_graph(ox.DefaultGraph())
                path = Path(tmp) / "sheets.nq"
                self.checked.dump(output=str(path), format=ox.RdfFormat.N_QUADS)
                self.checked = None
                dataset = GraphFile(path, ox.RdfFormat.N_QUADS, dataset=True)
                files.update({iri: dataset for iri in self.dumps})
            kg.replace_graphs({**self.graphs, **(also or {})}, files=files)


@dataclass
class ImportReport:
    """The outcome of :func:`import_paths`."""

    files: list[FileReport]
    started: datetime
    elapsed_s: float
    effects: list[FileEffect] = field(default_factory=list)


def validate_paths(
    kg: KnowledgeGraph, paths: Sequence[Path | str], *, progress: Progress | None = None,
) -> ImportPlan:
    """Read and check every file of ``paths``; raise :class:`DataError` with every problem.

    Nothing is written. References resolve against the whole batch and the store. The plan
    says what the import would change (:attr:`ImportPlan.effects`) and whether that needs a
    confirmation (:attr:`ImportPlan.confirmations`).

    >>> kg = KnowledgeGraph.in_memory()
    >>> validate_paths(kg, ["missing.csv"])
    Traceback (most recent call last):
    ...
    graph.errors.DataError: 1 problem found; nothing was imported
      - missing.csv: no such file or folder
    """
    clock = time.perf_counter()
    tell = progress or (lambda stage, done: None)
    started = datetime.now(UTC).replace(microsecond=0)
    tell("reading", 0.0)
    sources, problems = find_sources(paths)
    for source in sources:
        if source.kind == "sheets":
            problems.extend(read_sheets(source))
    graph_of = {s.name: str(source_graph_iri(s.name)) for s in sources}
    batch_graphs = set(graph_of.values()) | {
        str(inferred_graph_iri(s.name)) for s in sources if s.kind == "rdf"}

    tell("mapping", 0.15)
    index = BatchIndex()
    problems.extend(index_ids([sheet for s in sources for sheet in s.sheets], index))
    sheet_quads: dict[str, Quads] = {}
    for source in sources:
        if source.kind == "sheets":
            graph: Quads = []
            sheet_quads[source.name] = graph
            for sheet in source.sheets:
                problems.extend(map_sheet(sheet, graph, graph_of[source.name], index, started))

    tell("reading_rdf", 0.3)
    check = ox.Store()
    rdf_ok: list[SourceFile] = []
    for source in sources:
        if source.kind == "rdf":
            found = _load_rdf(check, source, ox.NamedNode(graph_of[source.name]))
            problems.extend(found)
            if not found:
                rdf_ok.append(source)
                for iri in _typed_subjects(check, graph_of[source.name], copkg_only=True):
                    index.add_rdf_subject(iri)

    if any_erasure(kg):
        problems.extend(_erased_problems(
            kg, index, check, {s.name: graph_of[s.name] for s in rdf_ok}))
    tell("references", 0.4)
    ref_problems, used = resolve_references(kg, index, batch_graphs)
    problems.extend(ref_problems)

    redefined: dict[str, list[str]] = {}
    described: list[ox.Triple] = []
    replaced: set[ox.Triple] = set()
    links: set[str] = set()
    if not any(p.row is None for p in problems):
        tell("checking", 0.5)
        for quads in sheet_quads.values():
            check.bulk_extend(quads)
        for source in rdf_ok:
            materialise(check, ox.NamedNode(graph_of[source.name]),
                        ox.NamedNode(str(inferred_graph_iri(source.name))))
            problems.extend(_ill_typed(check, source, graph_of[source.name]))
        for path in ontology_files():
            check.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=_ONTOLOGY)
        rdf_graphs = {graph_of[s.name] for s in rdf_ok}
        rdf_graphs |= {str(inferred_graph_iri(s.name)) for s in rdf_ok}
        if rdf_graphs:  # sheets' references were resolved above
            used |= _dangling(check, rdf_graphs)
        check.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, _CONTEXT)
                          for t in stored_type_triples(kg, used, batch_graphs))
        # Every resource the batch says something about (as a subject).
        subjects = {s.value for s in index.subjects} | _in_batch(
            check, rdf_graphs, kg, "?s ?p ?o") | {
            q.subject.value for quads in sheet_quads.values() for q in quads
            if isinstance(q.subject, ox.NamedNode) and q.predicate != _TYPE}
        # Those another source defines: a change to them needs a confirmation (effects), and
        # merged with what other sources say of them, they must still follow the rules.
        redefined, described = stored_definitions(kg, subjects, batch_graphs)
        if redefined:
            links = _link_properties(check)
            # A sheet's new value replaces what the other sources say of that property.
            replaced = overridden(
                (q.triple for quads in sheet_quads.values() for q in quads),
                _others(redefined, described), links=links)
        check.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, _CONTEXT)
                          for t in described if t not in replaced)
        pointed = {t.object.value for t in described if isinstance(t.object, ox.NamedNode)
                   and t.predicate != _TYPE} - used
        check.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, _CONTEXT)
                          for t in stored_type_triples(kg, pointed, batch_graphs))
        violations = validate(check, shapes())
        file_of = {g: name for name, g in graph_of.items()}
        file_of.update({str(inferred_graph_iri(s.name)): s.name for s in rdf_ok})
        problems.extend(_without_repeats(problems, shape_problems(
            violations, index, check, file_of, redefined, _source_names(kg, redefined))))
    if problems:
        raise DataError(problems)

    tell("comparing", 0.8)
    existing = set(kg.named_graphs())
    others = _others(redefined, described)
    reports: list[FileReport] = []
    out: dict[str, list[ox.Triple | ox.Quad]] = {}
    loads: dict[str, GraphFile] = {}
    dumps: list[str] = []
    effects: list[FileEffect] = []
    for source in sources:
        iri = graph_of[source.name]
        unchanged = kg.source_hash(iri) == source.sha256
        if source.kind == "sheets":
            quads = sheet_quads.pop(source.name)
            count_quads = len(quads)
            # A new graph is written from the check store: no Python copy needed.
            data = [q.triple for q in quads] if iri in existing else []
            del quads
            resources = sum(1 for o in index.subjects.values() if o.file == source.name)
        else:
            data = _graph_triples(check, iri) if iri in existing or source.rdf_format in \
                _DATASET_FORMATS else []
            types = _type_triples(check, iri)
            resources = len({t.subject for t in types})
        count = (count_quads if source.kind == "sheets"
                 else len(data) if data else _count(check, iri))
        status = "unchanged" if unchanged else ("replaced" if iri in existing else "imported")
        reports.append(FileReport(source.name, iri, status, count, resources, source.sha256))
        if unchanged:
            continue
        effects.append(_effect(kg, check, source, iri, data, iri in existing, others, links,
                               types if source.kind == "rdf" else None, replaced))
        if source.kind == "sheets" and iri not in existing:
            dumps.append(iri)  # written from the check store by Oxigraph, not from Python
            out[iri] = [*_description(iri, source, started, count)]
        elif data or source.kind == "sheets":
            out[iri] = [*data, *_description(iri, source, started, count)]
        else:
            assert source.rdf_format is not None
            loads[iri] = GraphFile(source.path, source.rdf_format, _base_iri(source))
            out[iri] = [*_description(iri, source, started, count)]
        if source.kind == "rdf":
            inferred = str(inferred_graph_iri(source.name))
            triples = _graph_triples(check, inferred)
            if triples:
                out[inferred] = [*triples, *_inferred_description(inferred, iri, source)]
            elif inferred in existing:
                out[inferred] = []
    if replaced:  # once confirmed, the replaced values leave their sources' graphs
        out.update(_without(kg, replaced, batch_graphs))
    tell("checked", 1.0)
    reasons = confirmations(effects, _source_names(kg, redefined))
    advice = rename_advice(effects, _imported_names(kg), started.year) if reasons else []
    return ImportPlan(reports, out, started, time.perf_counter() - clock, loads,
                      check if dumps else None, dumps, effects, reasons, advice)


def import_paths(
    kg: KnowledgeGraph, paths: Sequence[Path | str], *, replace: bool = False,
    progress: Progress | None = None, who: str | None = None,
) -> ImportReport:
    """Validate ``paths`` (see :func:`validate_paths`), then write every changed file's graph
    in one atomic transaction. Files whose sha256 equals the stored one are left untouched.
    The import is recorded in the audit trail as done by ``who`` (default: the system user);
    an import that finds every file unchanged writes nothing, not even an audit record.

    An import that would remove more than it adds, empty a sheet, or change a resource
    another source defines (:mod:`.effects`) raises :class:`~graph.errors.ConfirmationNeeded`
    unless ``replace``.

    >>> from graph.config import bundled_data_paths
    >>> kg = KnowledgeGraph.in_memory()
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
    plan = validate_paths(kg, paths, progress=progress)
    if plan.confirmations and not replace:
        raise ConfirmationNeeded(plan.confirmations, plan.effects, plan.advice)
    if plan.graphs:
        if progress is not None:
            progress("writing", 0.9)
        # The audit record commits with the data (one transaction).
        plan.write(kg, audit_graph_update(kg, _audit(plan.files, who)))
    if progress is not None:
        progress("done", 1.0)
    return ImportReport(plan.files, plan.started, time.perf_counter() - clock, plan.effects)


def _audit(files: Sequence[FileReport], who: str | None) -> Activity:
    what = "import " + ", ".join(f"{f.file} ({f.status})" for f in files)
    return Activity("import", who or cli_actor(), what,
                    files=[(f.file, f.sha256, f.status) for f in files])


def _erased_problems(
    kg: KnowledgeGraph, index: BatchIndex, check: ox.Store, rdf_graphs: Mapping[str, str],
) -> list[Problem]:
    """A problem for each row, cell or file that names a person erased with copkg forget."""
    fix_row = Message("erased.fix_row")
    found: list[tuple[str, Problem]] = []
    for (kind, key), origin in index.defined.items():
        if kind == "person":
            found.append((str(resource_iri("person", key)), origin.problem(
                Message("erased.person", person="", day=""), "id", fix_row)))
    for ref in index.pending:
        if "person" in ref.kinds and slug(ref.ident):
            found.append((str(resource_iri("person", ref.ident)), ref.origin.problem(
                Message("erased.person", person="", day=""), ref.column,
                Message("erased.fix_cell", ident=ref.ident))))
    fix_file = Message("erased.fix_file")
    person_prefix = ox.Literal(f"{ID}{KINDS['person']}/")
    for name, graph in rdf_graphs.items():
        result = check.query(
            "SELECT DISTINCT ?x WHERE { { ?x a <http://xmlns.com/foaf/0.1/Person> } UNION "
            f"{{ ?s ?p ?x FILTER(isIRI(?x) && STRSTARTS(STR(?x), {person_prefix})) }} UNION "
            f"{{ ?x ?p ?o FILTER(isIRI(?x) && STRSTARTS(STR(?x), {person_prefix})) }} }}",
            default_graph=ox.NamedNode(graph))
        assert isinstance(result, ox.QuerySolutions)
        for row in result:
            if isinstance(row[0], ox.NamedNode):
                found.append((row[0].value, Problem(name, Message("erased.mentions", person="",
                                                                  day=""), fix=fix_file)))
    erased = erased_iris(kg, [iri for iri, _ in found])
    problems = []
    for iri, p in found:
        if iri in erased:
            short = iri.rsplit("/", 1)[-1] if iri.startswith(str(ID)) else f"<{iri}>"
            what = Message("erased.person" if p.row is not None else "erased.mentions",
                           person=short, day=erased[iri])
            problems.append(Problem(p.file, what, p.sheet, p.row, p.column, p.fix))
    return problems


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


def _base_iri(source: SourceFile) -> str:
    return source.path.resolve().as_uri()


def _load_rdf(check: ox.Store, source: SourceFile, graph: ox.NamedNode) -> list[Problem]:
    """Parse an RDF file into ``graph`` of ``check`` with Oxigraph's parser (no Python objects);
    a file a parser must not see (XML entities) is refused first."""
    assert source.rdf_format is not None
    fmt = source.rdf_format
    try:
        if fmt == ox.RdfFormat.RDF_XML:
            check_xml_declarations(source.path)
        if fmt in _DATASET_FORMATS:
            # Named graphs inside a TriG / N-Quads file are merged into the file's own graph.
            quads = ox.parse(path=str(source.path), format=fmt, base_iri=_base_iri(source))
            check.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        else:
            check.load(path=str(source.path), format=fmt, base_iri=_base_iri(source),
                       to_graph=graph)
    except UnsafeFile as exc:
        return [Problem(source.name, Message("problem.not_read", reason=exc.message))]
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        message = str(exc.args[0]) if exc.args else str(exc)
        fix = Message("problem.fix_syntax")
        if line and "line" not in message:
            return [Problem(source.name, Message("problem.bad_rdf_at", format=fmt.name,
                                                 line=line, detail=message), fix=fix)]
        return [Problem(source.name, Message("problem.bad_rdf", format=fmt.name,
                                             detail=message), fix=fix)]
    except (OSError, ValueError) as exc:
        return [Problem(source.name, Message("problem.unreadable", detail=str(exc)))]
    except BaseException as exc:  # a parser panic (pyo3 PanicException) must not end copkg
        if type(exc).__name__ != "PanicException":
            raise
        return [Problem(source.name, Message("problem.parser_failed", format=fmt.name,
                                             detail=str(exc)))]
    return []


def _in_batch(check: ox.Store, graphs: set[str], kg: KnowledgeGraph, pattern: str) -> set[str]:
    """Subjects matching ``pattern`` (``?s a ?t``: typed; ``?s ?p ?o``: any) in the batch's RDF
    ``graphs`` that might be typed elsewhere: all of them, or for a big file, those among the
    store's typed resources (the smaller side is read)."""
    if not graphs:
        return set()
    defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        ox.NamedNode(g) for g in sorted(graphs)]
    counted = check.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }}",
                          default_graph=defaults)
    assert isinstance(counted, ox.QuerySolutions)
    value = next(iter(counted))[0]
    if not isinstance(value, ox.Literal) or int(value.value) <= 20_000:
        result = check.query(f"SELECT DISTINCT ?s WHERE {{ {pattern} FILTER(isIRI(?s)) }}",
                             default_graph=defaults)
        assert isinstance(result, ox.QuerySolutions)
        return {row[0].value for row in result if isinstance(row[0], ox.NamedNode)}
    stored = [s for (s,) in kg.select(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s) && "
        "STRSTARTS(STR(?g), ?prefix)) }", {"prefix": str(source_graph_iri(""))}).rows
        if isinstance(s, ox.NamedNode)]
    found: set[str] = set()
    for start in range(0, len(stored), 2000):
        chunk = " ".join(str(s) for s in stored[start:start + 2000])
        result = check.query(f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {chunk} }} {pattern} }}",
                             default_graph=defaults)
        assert isinstance(result, ox.QuerySolutions)
        found.update(row[0].value for row in result if isinstance(row[0], ox.NamedNode))
    return found


def _typed_subjects(check: ox.Store, graph: str, *, copkg_only: bool = False) -> list[str]:
    prefix = ' FILTER(STRSTARTS(STR(?s), "https://w3id.org/copkg/id/"))' if copkg_only else ""
    result = check.query(f"SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(isIRI(?s)){prefix} }}",
                         default_graph=ox.NamedNode(graph))
    assert isinstance(result, ox.QuerySolutions)
    return [row[0].value for row in result if isinstance(row[0], ox.NamedNode)]


def _graph_triples(check: ox.Store, graph: str) -> list[ox.Triple]:
    return [q.triple for q in check.quads_for_pattern(None, None, None, ox.NamedNode(graph))]


def _count(check: ox.Store, graph: str) -> int:
    result = check.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                         default_graph=ox.NamedNode(graph))
    assert isinstance(result, ox.QuerySolutions)
    value = next(iter(result))[0]
    return int(value.value) if isinstance(value, ox.Literal) else 0


def _dangling(check: ox.Store, batch_graphs: set[str]) -> set[str]:
    """IRIs the batch points to (not as a class) without describing them: maybe stored ones."""
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
        ox.NamedNode(g) for g in sorted(batch_graphs)]
    result = check.query(
        f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && ?p != {_TYPE}) "
        "FILTER NOT EXISTS { ?o ?q ?x } }", default_graph=graphs,
    )
    assert isinstance(result, ox.QuerySolutions)
    return {row[0].value for row in result if isinstance(row[0], ox.NamedNode)
            and not row[0].value.startswith(("http://www.w3.org/", "https://schema.org/"))}


def _ill_typed(check: ox.Store, source: SourceFile, graph: str) -> list[Problem]:
    """Literals whose text is not a value of their datatype (``"abc"^^xsd:integer``).

    One cheap pass finds the properties that carry checked datatypes; only their values are
    then parsed (most files hold nothing but strings)."""
    default = ox.NamedNode(graph)
    pairs = check.query("SELECT DISTINCT ?p (DATATYPE(?o) AS ?d) WHERE { ?s ?p ?o "
                        "FILTER(isLiteral(?o)) }", default_graph=default)
    assert isinstance(pairs, ox.QuerySolutions)
    checked = {f"{XSD}{name}" for name in CHECKED_DATATYPES}
    predicates = sorted({str(p) for p, d in pairs
                         if isinstance(d, ox.NamedNode) and d.value in checked})
    problems: list[Problem] = []
    for predicate in predicates:
        result = check.query(
            f"SELECT ?s ?o WHERE {{ ?s {predicate} ?o FILTER(isLiteral(?o) && "
            f"!{well_formed_filter('?o')}) }} LIMIT 20", default_graph=default)
        assert isinstance(result, ox.QuerySolutions)
        for s, o in result:
            assert isinstance(o, ox.Literal)
            problems.append(Problem(
                source.name, Message("problem.ill_typed", subject=str(s), property=predicate,
                                     value=o.value, datatype=o.datatype.value.rsplit("#", 1)[-1]),
                fix=Message("problem.ill_typed_fix"),
            ))
    return problems[:20]


def _without_repeats(known: list[Problem], found: list[Problem]) -> list[Problem]:
    reported = {(p.file, p.row, p.column) for p in known}
    return [p for p in found if p.row is None or (p.file, p.row, p.column) not in reported]


def _source_names(kg: KnowledgeGraph, graphs: dict[str, list[str]]) -> dict[str, str]:
    """Graph IRI → the file it was imported from, for the graphs named in ``graphs``."""
    wanted = sorted({g for gs in graphs.values() for g in gs})
    if not wanted:
        return {}
    result = kg.select(
        "SELECT ?g ?file WHERE { GRAPH ?g { ?g cop:sourceFile ?file } }", None,
    )
    names = {g.value: f.value for g, f in result.rows if g is not None and f is not None}
    return {g: names.get(g, g) for g in wanted}


def _imported_names(kg: KnowledgeGraph) -> set[str]:
    """The names of every file imported into the store."""
    result = kg.select("SELECT DISTINCT ?file WHERE { GRAPH ?g { ?g cop:sourceFile ?file } }")
    return {f.value for (f,) in result.rows if f is not None}


def _others(
    defined: Mapping[str, list[str]], described: Sequence[ox.Triple],
) -> dict[str, tuple[list[str], list[ox.Triple]]]:
    """Resource → (graphs of the other sources defining it, what other sources say of it)."""
    said: dict[str, list[ox.Triple]] = {iri: [] for iri in defined}
    for t in described:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value in said:
            said[t.subject.value].append(t)
    return {iri: (graphs, said[iri]) for iri, graphs in defined.items()}


def _effect(
    kg: KnowledgeGraph, check: ox.Store, source: SourceFile, iri: str, data: list[ox.Triple],
    existed: bool, others: Mapping[str, tuple[list[str], list[ox.Triple]]],
    links: Collection[str], types: list[ox.Triple] | None = None,
    replaced: Collection[ox.Triple] = (),
) -> FileEffect:
    graphs = [iri]
    old = _stored_triples(kg, iri) if existed else []
    if data or not existed:
        new = data if data else (types if types is not None else _type_triples(check, iri))
    else:
        new = _graph_triples(check, iri)
    if source.kind == "rdf":
        graphs.append(str(inferred_graph_iri(source.name)))
        new = new + _type_triples(check, graphs[1])
        old = old + (_stored_triples(kg, graphs[1]) if existed else [])
    effect = file_effect(source.name, iri, old, new, skip=others)
    # Resources other sources define: everything this file says of them, before and after.
    old_about = [t for t in old if isinstance(t.subject, ox.NamedNode)
                 and t.subject.value in others]
    effect.redefined = redefinitions(old_about, _about(check, graphs, others), others,
                                     links=links, replaced=replaced)
    for sheet in source.sheets:
        if not sheet.rows and existed:
            count = _resources_from_sheet(kg, iri, sheet.name)
            if count:
                effect.emptied[sheet.name] = count
    return effect


def _without(
    kg: KnowledgeGraph, replaced: Collection[ox.Triple], exclude_graphs: Collection[str],
) -> dict[str, list[ox.Triple | ox.Quad]]:
    """The other sources' graphs holding ``replaced`` statements, without them (every other
    statement, their self-description included, kept as it is)."""
    holding: dict[str, set[ox.Triple]] = {}
    for t in replaced:
        if not isinstance(t.subject, ox.NamedNode) or isinstance(t.object, ox.Triple):
            continue
        for (g,) in kg.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                              {"s": t.subject, "p": t.predicate, "o": t.object}).rows:
            if isinstance(g, ox.NamedNode) and g.value not in exclude_graphs \
                    and source_graph(g.value, ()) is not None:
                holding.setdefault(g.value, set()).add(t)
    return {g: [t for t in _stored_triples(kg, g) if t not in gone]
            for g, gone in holding.items()}


def _link_properties(check: ox.Store) -> set[str]:
    """Properties the ontology marks ``cop:linkProperty`` (with their sub-properties and
    equivalents): statements that point at their subject from another resource."""
    result = check.query(
        "SELECT DISTINCT ?p WHERE { ?q <https://w3id.org/copkg/ontology#linkProperty> true . "
        "?p (<http://www.w3.org/2000/01/rdf-schema#subPropertyOf>|"
        "<http://www.w3.org/2002/07/owl#equivalentProperty>|"
        "^<http://www.w3.org/2002/07/owl#equivalentProperty>)* ?q }",
        default_graph=_ONTOLOGY)
    assert isinstance(result, ox.QuerySolutions)
    return {row[0].value for row in result if isinstance(row[0], ox.NamedNode)}


def _about(check: ox.Store, graphs: Sequence[str], iris: Iterable[str]) -> list[ox.Triple]:
    """What ``graphs`` of the check store say of ``iris`` (as subjects)."""
    found: list[ox.Triple] = []
    for iri in iris:
        subject = ox.NamedNode(iri)
        for graph in graphs:
            found.extend(q.triple for q in check.quads_for_pattern(subject, None, None,
                                                                   ox.NamedNode(graph)))
    return found


def _type_triples(check: ox.Store, graph: str) -> list[ox.Triple]:
    return [q.triple for q in check.quads_for_pattern(None, _TYPE, None, ox.NamedNode(graph))]


def _stored_triples(kg: KnowledgeGraph, graph: str) -> list[ox.Triple]:
    result = kg.select("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                       {"g": ox.NamedNode(graph)})
    return [ox.Triple(s, p, o) for s, p, o in result.rows  # type: ignore[arg-type]
            if s is not None and p is not None and o is not None]


def _resources_from_sheet(kg: KnowledgeGraph, graph: str, sheet: str) -> int:
    result = kg.select(
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { GRAPH ?g { ?r prov:wasDerivedFrom ?rec . "
        "?rec cop:sheet ?sheet ; a prov:Entity . ?r a ?type } }",
        {"g": ox.NamedNode(graph), "sheet": sheet},
    )
    value = result.rows[0][0] if result.rows else None
    return int(value.value) if value is not None else 0


def _description(iri: str, source: SourceFile, started: datetime, count: int) -> list[ox.Triple]:
    graph = ox.NamedNode(iri)
    facts: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (str(RDF.type), node(str(COP.ImportedSource))),
        (str(RDF.type), node(str(PROV.Entity))),
        (str(COP.sourceFile), ox.Literal(source.name)),
        (str(COP.sha256), ox.Literal(source.sha256)),
        (str(COP.importedAt), ox.Literal(started.isoformat(), datatype=node(str(XSD.dateTime)))),
        (str(COP.tripleCount), ox.Literal(str(count), datatype=node(str(XSD.integer)))),
    ]
    return [ox.Triple(graph, node(p), o) for p, o in facts]


def _inferred_description(inferred: str, source_graph: str, source: SourceFile,
                          ) -> list[ox.Triple]:
    graph = ox.NamedNode(inferred)
    return [
        ox.Triple(graph, _TYPE, node(str(COP.InferredTriples))),
        ox.Triple(graph, node(str(PROV.wasDerivedFrom)), ox.NamedNode(source_graph)),
        # The completion mark of an imported graph (graph.store.embedded recovers without it).
        ox.Triple(graph, node(str(COP.sha256)), ox.Literal(source.sha256)),
    ]

