"""The default backend: an Oxigraph store on disk (pyoxigraph), queried over the union of graphs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError, StoreError
from .backend import SelectResult

__all__ = ["EmbeddedBackend"]


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
        try:
            if self.path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"The store {self.location} is open in another copkg process (the app or a "
                    "running command). Stop it, or run read-only commands, which can share it."
                ) from exc
            raise StoreError(f"Cannot open the store {self.location}: {exc}") from exc

    def select(self, query: str, timeout: float | None = None) -> SelectResult:
        result = self._run(query)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("Expected a SELECT query.")
        variables = [v.value for v in result.variables]
        rows = [tuple(solution) for solution in result]
        return SelectResult(variables, rows)

    def ask(self, query: str, timeout: float | None = None) -> bool:
        result = self._run(query)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("Expected an ASK query.")
        return bool(result)

    def construct(self, query: str, timeout: float | None = None) -> list[ox.Triple]:
        result = self._run(query)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("Expected a CONSTRUCT or DESCRIBE query.")
        return list(result)

    def _run(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"The store failed while running the query: {exc}") from exc

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """Stage new contents under temporary graph names, then swap them in one update."""
        if self.read_only:
            raise StoreError(f"The store {self.location} is open read-only.")
        existing = {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}
        staged: dict[str, str] = {}
        quads: list[ox.Quad] = []
        for iri, triples in graphs.items():
            target = iri if iri not in existing else f"{iri}#staging-{uuid.uuid4().hex}"
            staged[iri] = target
            graph = ox.NamedNode(target)
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        try:
            # extend() is atomic: either every quad is added or none.
            self.store.extend(quads)
            swaps = [
                f"DROP SILENT GRAPH <{iri}> ; MOVE SILENT <{target}> TO <{iri}>"
                if target != iri
                else ""
                for iri, target in staged.items()
            ]
            drops = [f"DROP SILENT GRAPH <{iri}>" for iri, t in graphs.items() if not t]
            update = " ; ".join(s for s in swaps + drops if s)
            if update:
                self.store.update(update)
        except Exception:
            for target in staged.values():
                self.store.remove_graph(ox.NamedNode(target))
            raise
        self.store.flush()

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
