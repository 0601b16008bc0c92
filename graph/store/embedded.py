"""The default backend: an Oxigraph store on disk (pyoxigraph), queried over the union of graphs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from ..vocab import COP, GRAPH, ONTOLOGY_GRAPH, STATE_GRAPH
from . import snapshots
from .backend import GraphFile, SelectResult

__all__ = ["EmbeddedBackend"]

#: Above this many new quads, ``bulk_extend`` (no transaction, ~4× faster on disk) is used: new
#: graphs stay unmarked, hence invisible to recovery-checked opens, until the final update.
_BULK_THRESHOLD = 5_000
#: A replaced graph whose difference is bigger than this is changed through the Python API
#: (``extend``/``remove``: ~8× faster and far lighter than one huge DELETE/INSERT DATA).
_BIG_DIFF = 20_000


# Graphs copkg imported (under GRAPH, not the ontology) that lack their completion mark.
_INCOMPLETE_GRAPHS = """
SELECT DISTINCT ?g WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/copkg/graph/")
         && ?g != <https://w3id.org/copkg/graph/ontology>)
  FILTER NOT EXISTS { GRAPH ?g { ?g <https://w3id.org/copkg/ontology#sha256> ?hash } }
}"""
# The state token that KnowledgeGraph.replace_graphs writes with every change.
_STATE_TOKEN = (
    "SELECT ?token WHERE { GRAPH <https://w3id.org/copkg/state> "
    "{ ?s <https://w3id.org/copkg/ontology#generation> ?token } }"
)
assert str(GRAPH) == "https://w3id.org/copkg/graph/" and str(ONTOLOGY_GRAPH).endswith("/ontology")
assert str(COP.sha256) == "https://w3id.org/copkg/ontology#sha256"
assert str(COP.generation) in _STATE_TOKEN and str(STATE_GRAPH) in _STATE_TOKEN


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _data_block(verb: str, quads: Sequence[ox.Quad]) -> str:
    """``INSERT DATA``/``DELETE DATA`` of quads, serialised by pyoxigraph (never by hand)."""
    body = "\n".join(
        f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads
    )
    return f"{verb} DATA {{\n{body}\n}}"


class EmbeddedBackend:
    """Oxigraph on disk, or in memory when ``path`` is ``None`` (tests, benchmarks).

    ``timeout`` is accepted for the :class:`~graph.store.backend.Backend` protocol but cannot be
    enforced in-process (oxigraph #1926); user-written queries go through
    :mod:`graph.store.limited` instead.
    """

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.read_only = read_only
        self.path = Path(path) if path is not None else None
        self.location = str(self.path) if self.path is not None else "(in memory)"
        #: Incomplete graphs removed on opening (a previous import was killed mid-write).
        self.recovered: list[str] = []
        #: The checkpoint a read-only open reads (see :mod:`graph.store.snapshots`).
        self.lease: snapshots.Lease | None = None
        try:
            if self.path is None:
                self.store = ox.Store()
            elif read_only:
                # Never the live folder, which another process may be writing (undefined in
                # Oxigraph), but its latest checkpoint; a store made by an older copkg that has
                # none is opened directly.
                self.lease = snapshots.lease(self.path)
                target = self.lease.path if self.lease else self.path
                self.store = ox.Store.read_only(str(target))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
                self.recovered = self._recover()
                if self.recovered or not snapshots.is_current(self.path, self._state_token()):
                    self._checkpoint()
        except OSError as exc:
            if self.lease is not None:
                self.lease.release()
            if "lock" in str(exc).lower():
                raise StoreError("error.store_locked", location=self.location) from exc
            raise StoreError("error.store_open_failed", location=self.location,
                             detail=str(exc)) from exc

    def select(self, query: str, timeout: float | None = None) -> SelectResult:
        result = self._run(query)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("error.expected_select")
        variables = [v.value for v in result.variables]
        rows = [tuple(solution) for solution in result]
        return SelectResult(variables, rows)

    def ask(self, query: str, timeout: float | None = None) -> bool:
        result = self._run(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("error.expected_ask")
        return bool(result)

    def construct(self, query: str, timeout: float | None = None) -> list[ox.Triple]:
        result = self._run(query)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("error.expected_construct")
        return list(result)

    def _run(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError("error.query_syntax", detail=str(exc)) from exc
        except OSError as exc:
            raise QueryError("error.query_store_failed", detail=str(exc)) from exc

    def replace_graphs(
        self,
        graphs: Mapping[str, Sequence[ox.Triple | ox.Quad]],
        *,
        files: Mapping[str, GraphFile] | None = None,
    ) -> None:
        """Write new graphs fast, apply changes to existing ones as a diff, commit last.

        Oxigraph has no multi-call transaction, and its graph-level updates are slow (dropping
        or moving 300k quads takes tens of seconds), so:

        1. graphs that do not exist yet are written with ``extend`` (atomic) or, when large,
           ``bulk_extend`` — *without* their self-description (``<g> cop:sha256 ...``);
        2. one SPARQL update (one transaction) then applies the difference of each replaced
           graph (usually a few rows) and adds the self-descriptions of the new graphs, which
           mark them complete.

        A replaced graph whose difference exceeds ``_BIG_DIFF`` quads loses its completion mark
        first, is changed with ``extend``/``remove`` in step 1, and gets its new mark in step 2;
        a process killed in between leaves it unmarked, so it is removed on the next opening
        (the file must then be imported again) rather than left half-changed.

        ``files`` (graph IRI → RDF file) are bulk-loaded from disk into new graphs in step 1;
        replacing an existing graph from a file reads the file and applies the difference.

        On any error the new graphs are removed again, so the store is as it was. A process
        killed between 1 and 2 leaves graphs without a completion mark: :meth:`_recover`
        removes them the next time the store is opened.
        """
        if self.read_only:
            raise StoreError("error.store_read_only", location=self.location)
        existing = set(self.named_graphs())
        graphs = dict(graphs)
        bulk_files: list[tuple[ox.NamedNode, GraphFile]] = []
        for iri, file in (files or {}).items():
            if iri in existing:
                graphs[iri] = [*file.triples(iri), *graphs.get(iri, ())]
            else:
                bulk_files.append((ox.NamedNode(iri), file))
                graphs.setdefault(iri, [])
        fresh: list[ox.Quad] = []
        marks: list[ox.Quad] = []
        fresh_graphs: list[ox.NamedNode] = []
        statements: list[str] = []
        big: list[tuple[ox.NamedNode, set[ox.Triple], set[ox.Triple]]] = []
        for iri, triples in graphs.items():
            graph = ox.NamedNode(iri)
            if iri not in existing:
                if not triples and graph not in (g for g, _ in bulk_files):
                    continue
                fresh_graphs.append(graph)
                for t in triples:
                    # Quads already in this graph (the importer's) are written as they are.
                    quad = t if isinstance(t, ox.Quad) else ox.Quad(
                        t.subject, t.predicate, t.object, graph)
                    (marks if t.subject == graph else fresh).append(quad)
            elif not triples:
                statements.append(f"DROP SILENT GRAPH {graph}")
            else:
                old = {q.triple for q in self.store.quads_for_pattern(None, None, None, graph)}
                new = {t.triple if isinstance(t, ox.Quad) else t for t in triples}
                removed, added = old - new, new - old
                if len(removed) + len(added) > _BIG_DIFF and not any(map(_has_blank, removed)):
                    big.append((graph, removed, added))
                    marks.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                                 for t in added if t.subject == graph)
                else:
                    statements.extend(self._diff_statements(graph, [*new], old))
        if marks:
            statements.append(_data_block("INSERT", marks))
        done: list[tuple[list[ox.Quad], list[ox.Quad]]] = []  # (added, removed) so far
        try:
            loaded: set[Path] = set()
            for graph, file in bulk_files:
                if file.dataset and file.path in loaded:
                    continue
                loaded.add(file.path)
                self.store.bulk_load(
                    path=str(file.path), format=file.format, base_iri=file.base_iri,
                    to_graph=None if file.dataset else graph,
                )
            if len(fresh) > _BULK_THRESHOLD:
                self.store.bulk_extend(fresh)
            elif fresh:
                self.store.extend(fresh)
            for graph, removed, added in big:
                old_marks = [ox.Quad(t.subject, t.predicate, t.object, graph)
                             for t in removed if t.subject == graph]
                adds = [ox.Quad(t.subject, t.predicate, t.object, graph)
                        for t in added if t.subject != graph]
                removes = [ox.Quad(t.subject, t.predicate, t.object, graph)
                           for t in removed if t.subject != graph]
                step: tuple[list[ox.Quad], list[ox.Quad]] = ([], [])
                done.append(step)
                for quad in old_marks:  # unmarked: a crash from here on drops the graph
                    self.store.remove(quad)
                    step[1].append(quad)
                self.store.extend(adds)
                step[0].extend(adds)
                for quad in removes:
                    self.store.remove(quad)
                    step[1].append(quad)
            if statements:
                self.store.update(" ;\n".join(statements))
        except BaseException:
            for graph in fresh_graphs:
                self.store.remove_graph(graph)
            for adds, removes in done:  # put the big replaced graphs back as they were
                for quad in adds:
                    self.store.remove(quad)
                self.store.extend(removes)
            raise
        self.store.flush()
        self._checkpoint()

    def _checkpoint(self) -> None:
        """After every write, on disk: a checkpoint for readers in other processes, named by
        the state token the write stored (see ``KnowledgeGraph.state_token``).

        Every write path of this backend ends here (a new one must too).
        """
        if self.path is not None and not self.read_only:
            snapshots.checkpoint(self.store, self.path, self._state_token())

    def _state_token(self) -> str:
        result = self.store.query(_STATE_TOKEN)
        assert isinstance(result, ox.QuerySolutions)
        for solution in result:
            value = solution[0]
            if value is not None:
                return str(value.value)
        return ""

    @contextlib.contextmanager
    def reader_path(self) -> Iterator[Path]:
        """The folder another process may open read-only to read this store consistently.

        That is the latest checkpoint, kept on disk until the ``with`` block ends (the live
        folder only for a store made by an older copkg, which has no checkpoint).
        """
        if self.path is None:
            raise StoreError("error.in_memory_no_folder")
        if self.lease is not None:
            yield self.lease.path
            return
        with snapshots.leased(self.path) as held:
            yield held.path if held is not None else self.path

    def _diff_statements(
        self, graph: ox.NamedNode, triples: Sequence[ox.Triple], old: set[ox.Triple],
    ) -> list[str]:
        """DELETE DATA / INSERT DATA turning the stored ``graph`` (``old``) into ``triples``."""
        new = set(triples)
        removed = old - new
        if any(_has_blank(t) for t in removed):
            # DELETE DATA cannot name blank nodes: rewrite the whole graph instead.
            return [
                f"DROP SILENT GRAPH {graph}",
                _data_block("INSERT", [ox.Quad(t.subject, t.predicate, t.object, graph)
                                        for t in triples]),
            ]
        out = []
        if removed:
            out.append(_data_block(
                "DELETE", [ox.Quad(t.subject, t.predicate, t.object, graph) for t in removed]))
        added = [t for t in triples if t not in old]
        if added:
            out.append(_data_block(
                "INSERT", [ox.Quad(t.subject, t.predicate, t.object, graph) for t in added]))
        return out

    def _recover(self) -> list[str]:
        """Remove imported graphs left incomplete by a process killed while writing them."""
        partial = [
            row[0].value
            for row in self.select(_INCOMPLETE_GRAPHS).rows
            if isinstance(row[0], ox.NamedNode)
        ]
        for iri in partial:
            self.store.remove_graph(ox.NamedNode(iri))
        return partial

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, format: ox.RdfFormat) -> bytes:
        if format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            data = self.store.dump(format=format)
        else:
            triples = self.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            data = ox.serialize(triples, format=format)
        assert data is not None
        return data

    def close(self) -> None:
        if not self.read_only and self.path is not None:
            self.store.flush()
        del self.store
        if self.lease is not None:
            self.lease.release()
            self.lease = None
