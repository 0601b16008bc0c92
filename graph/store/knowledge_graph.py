"""``KnowledgeGraph``: the one API every part of copkg reads and writes the graph through."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import pandas as pd
import pyoxigraph as ox
import rdflib

from ..config import default_endpoint, default_store_path, ontology_files
from ..errors import QueryError, StoreError
from ..vocab import COP, ONTOLOGY_GRAPH, PREFIXES, STATE_GRAPH
from .backend import Backend, GraphFile, SelectResult
from .embedded import EmbeddedBackend
from .sparql import BindingValue, bind, ensure_read_only, prologue_for
from .terms import readable

__all__ = ["PROVENANCES", "KnowledgeGraph"]


_KINDS = (
    ("foaf:Person", "person"),
    ("org:Organization", "organization"),
    ("cop:CommunityOfPractice", "community"),
    ("cop:KnowledgeProduct", "product"),
    ("cop:Event", "event"),
    ("skos:Concept", "theme"),
)
# The subquery keeps one row per resource and kind; the ontology graph is a constant of the code
# (a VALUES binding would not reach inside the subquery).
#: Where a resource's facts come from — ONE rule for the Overview, ``copkg stats`` and the API
#: (:data:`PROVENANCES`): ``illustrative`` when flagged ``cop:illustrative true`` (fictional
#: examples), else ``cited`` when it names its source (``dct:source``: the CMI interview of
#: ``data/cmi.ttl``, or a ``source`` cell a manager filled) or is such a source (the
#: interview itself), else ``own`` (rows a manager
#: imported without a source nor the flag: their own data).
_PROVENANCE = (
    'BIND(IF(EXISTS { ?s cop:illustrative true }, "illustrative", '
    'IF(EXISTS { ?s dct:source ?cited } || EXISTS { ?citing dct:source ?s }, "cited", '
    '"own")) AS ?provenance)'
)
#: The values of :data:`_PROVENANCE`, in the order they are shown.
PROVENANCES = ("cited", "own", "illustrative")
_KIND_COUNTS = (
    "SELECT ?kind ?provenance (COUNT(?s) AS ?n) WHERE {\n"
    "  { SELECT DISTINCT ?s ?kind WHERE {\n"
    "      VALUES (?class ?kind) { "
    + " ".join(f'({cls} "{kind}")' for cls, kind in _KINDS)
    + " }\n"
    "      GRAPH ?g { ?s a ?class } FILTER(?g != <" + str(ONTOLOGY_GRAPH) + ">) } }\n"
    "  " + _PROVENANCE + "\n"
    "} GROUP BY ?kind ?provenance"
)
_PROVENANCE_COUNTS = (
    "SELECT ?provenance (COUNT(?s) AS ?n) WHERE {\n"
    "  { SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } } }\n"
    "  FILTER(STRSTARTS(STR(?s), ?prefix))\n"
    "  " + _PROVENANCE + "\n"
    "} GROUP BY ?provenance"
)


class KnowledgeGraph:
    """The copkg graph over one backend (embedded Oxigraph by default, or a SPARQL endpoint).

    Reads are SPARQL over the union of all named graphs; the project prefixes (``cop:``,
    ``org:``, ``foaf:``, ...) are pre-declared. Values go in through ``bindings``, never by
    formatting text into the query.

    >>> kg = KnowledgeGraph.in_memory()
    >>> kg.query("SELECT ?class WHERE { ?class rdfs:subClassOf cop:Event } ORDER BY ?class",
    ...          ).head(2)
                                           class
    0     https://w3id.org/copkg/ontology#Conference
    1  https://w3id.org/copkg/ontology#DialogueEvent
    """

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        # Writes are serialised per process; reads need no lock (pyoxigraph is thread-safe).
        self._write_lock = threading.Lock()
        #: True when this object created the store (it held nothing before).
        self.created = False

    # ----------------------------------------------------------------------------- opening
    @classmethod
    def open(
        cls,
        store: str | Path | None = None,
        *,
        endpoint: str | None = None,
        read_only: bool = False,
    ) -> KnowledgeGraph:
        """Open the store in folder ``store`` (default :func:`~graph.config.default_store_path`)
        or the SPARQL endpoint ``endpoint`` (default ``$COPKG_ENDPOINT``).

        A new, empty embedded store is created with the ontology only (:attr:`created` is then
        True); :func:`graph.ingest.bootstrap.open_graph` also fills it with the bundled data.
        """
        endpoint = endpoint or default_endpoint()
        if endpoint:
            from .remote import RemoteBackend

            return cls(RemoteBackend(endpoint, read_only=read_only))
        path = Path(store) if store is not None else default_store_path()
        fresh = not path.exists() or not any(path.iterdir())
        if fresh and read_only:
            read_only = False  # a new store has to be written once
        kg = cls(EmbeddedBackend(path, read_only=read_only))
        if fresh:
            kg.load_ontology()
            kg.created = True
        return kg

    @classmethod
    def in_memory(cls) -> KnowledgeGraph:
        """A throw-away in-memory graph holding the ontology
        (:func:`graph.ingest.bootstrap.bundled_graph` adds the bundled data)."""
        kg = cls(EmbeddedBackend(None))
        kg.load_ontology()
        kg.created = True
        return kg

    def load_ontology(self) -> None:
        """(Re)load the ontology (``ontology/*.ttl`` but the shapes) into its own named graph."""
        triples: list[ox.Triple] = []
        for path in ontology_files():
            triples.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        self.replace_graphs({str(ONTOLOGY_GRAPH): triples})

    @property
    def location(self) -> str:
        """Where the data lives: a folder, ``(in memory)`` or an endpoint URL."""
        return self.backend.location

    def close(self) -> None:
        """Release the store; the object is unusable afterwards."""
        self.backend.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ----------------------------------------------------------------------------- reading
    def prepare(self, sparql: str, bindings: Mapping[str, BindingValue] | None = None) -> str:
        """The complete query text sent to the backend: prefixes declared, bindings in VALUES."""
        ensure_read_only(sparql)
        return prologue_for(sparql) + bind(sparql, bindings)

    def select(
        self,
        sparql: str,
        bindings: Mapping[str, BindingValue] | None = None,
        *,
        timeout: float | None = None,
    ) -> SelectResult:
        """Run a SELECT query; rows keep pyoxigraph terms (the fast path for projections)."""
        return self.backend.select(self.prepare(sparql, bindings), timeout=timeout)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, BindingValue] | None = None,
        *,
        timeout: float | None = None,
    ) -> pd.DataFrame:
        """Run a SELECT query and return a DataFrame of readable values (see :func:`readable`)."""
        result = self.select(sparql, bindings, timeout=timeout)
        return pd.DataFrame(
            [[readable(term) for term in row] for row in result.rows],
            columns=result.variables,
        )

    def ask(
        self,
        sparql: str,
        bindings: Mapping[str, BindingValue] | None = None,
        *,
        timeout: float | None = None,
    ) -> bool:
        """Run an ASK query."""
        return self.backend.ask(self.prepare(sparql, bindings), timeout=timeout)

    def construct(
        self,
        sparql: str,
        bindings: Mapping[str, BindingValue] | None = None,
        *,
        timeout: float | None = None,
    ) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE query and return its triples."""
        return self.backend.construct(self.prepare(sparql, bindings), timeout=timeout)

    def rdflib_dataset(self) -> rdflib.Dataset:
        """The embedded store as an rdflib ``Dataset`` (through oxrdflib, no copy), for code
        written against rdflib. Its default graph is the union of all graphs, as for
        :meth:`query`. Read with it; import with :mod:`graph.ingest`, which validates.
        """
        from oxrdflib import OxigraphStore

        if not isinstance(self.backend, EmbeddedBackend):
            raise StoreError("error.rdflib_embedded_only", location=self.location)
        return rdflib.Dataset(store=OxigraphStore(store=self.backend.store), default_union=True)

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs (one per imported source file, plus the ontology)."""
        return [g for g in self.backend.named_graphs() if g != str(STATE_GRAPH)]

    def is_empty(self) -> bool:
        """True when nothing but the ontology is stored."""
        return not self.ask(
            "ASK { GRAPH ?g { ?s ?p ?o } FILTER(?g != ?ontology && ?g != ?state) }",
            {"ontology": ox.NamedNode(str(ONTOLOGY_GRAPH)),
             "state": ox.NamedNode(str(STATE_GRAPH))},
        )

    def count_by_class(self) -> pd.DataFrame:
        """How many resources of each class (outside the ontology), most frequent first."""
        df = self.query(
            """
            SELECT ?class (COUNT(DISTINCT ?s) AS ?count) WHERE {
              GRAPH ?g { ?s a ?class }
              FILTER(?g != ?ontology)
            } GROUP BY ?class ORDER BY DESC(?count) ?class
            """,
            {"ontology": ox.NamedNode(str(ONTOLOGY_GRAPH))},
        )
        return df

    def count_by_kind(self) -> pd.DataFrame:
        """Resources of each kind (person, organization, community, product, event, theme),
        split by where their facts come from (:data:`PROVENANCES`): ``cited`` (they name their
        source, ``dct:source``), ``own`` (imported without a source nor the illustrative flag:
        a manager's own data) and ``illustrative`` (flagged ``cop:illustrative true``).

        >>> int(KnowledgeGraph.in_memory().count_by_kind()["total"].sum())
        0
        """
        df = self.query(_KIND_COUNTS)
        out = pd.DataFrame({"kind": [kind for _, kind in _KINDS]})
        for provenance in PROVENANCES:
            rows = df[df["provenance"] == provenance] if len(df) else df
            counts = dict(zip(rows["kind"], rows["n"], strict=True)) if len(rows) else {}
            out[provenance] = [int(counts.get(kind, 0)) for kind in out["kind"]]
        out["total"] = out[list(PROVENANCES)].sum(axis=1)
        return out[["kind", *PROVENANCES, "total"]]

    def count_by_provenance(self) -> dict[str, int]:
        """Every resource (subject of an ``id:`` IRI), counted by :data:`PROVENANCES`: the
        rule of :meth:`count_by_kind`, over all kinds (``copkg stats``).

        >>> KnowledgeGraph.in_memory().count_by_provenance()
        {'cited': 0, 'own': 0, 'illustrative': 0}
        """
        rows = self.select(_PROVENANCE_COUNTS, {"prefix": PREFIXES["id"]}).rows
        found = {str(getattr(p, "value", p)): int(getattr(n, "value", 0) or 0)
                 for p, n in rows if p is not None}
        return {provenance: found.get(provenance, 0) for provenance in PROVENANCES}

    def source_hash(self, graph_iri: str) -> str | None:
        """The sha256 recorded when ``graph_iri`` was imported, or None if it was not."""
        result = self.select(
            "SELECT ?hash WHERE { GRAPH ?g { ?g cop:sha256 ?hash } }",
            {"g": ox.NamedNode(graph_iri)},
        )
        for (value,) in result.rows:
            if value is not None:
                return value.value
        return None

    def state_token(self) -> str:
        """A token that changes with every write to the store (import, ontology reload).

        Equal tokens mean the same data: use it as a cache key, or to tell a reader which
        state it answered from. Any process reading the store (or the endpoint) sees the same
        token, since it is data: ``<https://w3id.org/copkg/state> cop:generation "…"`` in the
        graph of that name, rewritten in the same transaction as the data it describes.
        ``""`` for a store no copkg write has touched.

        >>> kg = KnowledgeGraph.in_memory()
        >>> before = kg.state_token()
        >>> kg.load_ontology()
        >>> kg.state_token() != before != ""
        True
        """
        result = self.select(
            "SELECT ?token WHERE { GRAPH ?state { ?state cop:generation ?token } }",
            {"state": ox.NamedNode(str(STATE_GRAPH))},
        )
        for (value,) in result.rows:
            if value is not None:
                return value.value
        return ""

    # ----------------------------------------------------------------------------- writing
    def replace_graphs(
        self,
        graphs: Mapping[str, Sequence[ox.Triple | ox.Quad]],
        *,
        files: Mapping[str, GraphFile] | None = None,
    ) -> None:
        """Replace named graphs atomically (see :meth:`Backend.replace_graphs`) and change
        :meth:`state_token` in the same transaction.

        ``files`` maps more graph IRIs to RDF files whose whole content goes in that graph
        (added to ``graphs[iri]`` if also given); the embedded store loads them without turning
        them into Python objects.
        """
        if self.backend.read_only:
            raise QueryError("error.store_read_only_import", location=self.location)
        state = ox.NamedNode(str(STATE_GRAPH))
        graphs = {**graphs, str(STATE_GRAPH): [ox.Triple(
            state, ox.NamedNode(str(COP.generation)), ox.Literal(uuid.uuid4().hex))]}
        with self._write_lock:
            if files and isinstance(self.backend, EmbeddedBackend):
                self.backend.replace_graphs(graphs, files=files)
                return
            merged = {iri: [t.triple if isinstance(t, ox.Quad) else t for t in triples]
                      for iri, triples in graphs.items()}
            for iri, file in (files or {}).items():
                merged[iri] = [*file.triples(iri), *merged.get(iri, [])]
            self.backend.replace_graphs(merged)

    def dump(self, format: ox.RdfFormat) -> bytes:
        """Serialise the whole store (quads formats keep the named graphs)."""
        return self.backend.dump(format)
