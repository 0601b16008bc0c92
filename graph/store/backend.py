"""What a storage backend does: SPARQL reads over the union of graphs, atomic graph writes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

__all__ = ["Backend", "GraphFile", "Row", "SelectResult"]

Row = tuple[ox.NamedNode | ox.BlankNode | ox.Literal | None, ...]


@dataclass(frozen=True)
class GraphFile:
    """An RDF file to load, as it is, into one named graph (big imports skip Python objects)."""

    path: Path
    format: ox.RdfFormat
    base_iri: str | None = None
    #: True for an N-Quads file whose quads already name their graphs (one file may then
    #: serve several graph IRIs and is loaded once, as it is).
    dataset: bool = False

    def triples(self, graph: str | None = None) -> list[ox.Triple]:
        """The file's triples (named graphs inside it merged; for a ``dataset`` file, those of
        ``graph`` only), for backends that need them."""
        quads = ox.parse(path=str(self.path), format=self.format, base_iri=self.base_iri)
        if self.dataset:
            return [q.triple for q in quads
                    if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == graph]
        return [q.triple for q in quads]


class SelectResult:
    """Variables and rows of a SELECT result, terms kept as pyoxigraph terms (cheap)."""

    def __init__(self, variables: Sequence[str], rows: Sequence[Row]) -> None:
        self.variables = list(variables)
        self.rows = rows

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class Backend(Protocol):
    """A store copkg reads with SPARQL (default graph = union of all graphs) and writes by graph.

    Queries given to a backend are complete (prefixes declared, parameters bound).
    """

    #: Human-readable location, e.g. a folder or an endpoint URL.
    location: str
    read_only: bool

    def select(self, query: str, timeout: float | None = None) -> SelectResult:
        """Run a SELECT query."""
        ...

    def ask(self, query: str, timeout: float | None = None) -> bool:
        """Run an ASK query."""
        ...

    def construct(self, query: str, timeout: float | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""
        ...

    def replace_graphs(self, graphs: Mapping[str, Sequence[ox.Triple]]) -> None:
        """Replace each named graph (IRI → triples) by the given triples, all in one transaction.

        An empty sequence removes the graph. On any failure nothing is changed.
        """
        ...

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs in the store."""
        ...

    def dump(self, format: ox.RdfFormat) -> bytes:
        """Every quad (dataset formats) or the union of all graphs as triples."""
        ...

    def close(self) -> None:
        """Release the store (locks, connections)."""
        ...
