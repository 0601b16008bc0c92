"""Personal data: which properties hold it (declared once, in ``ontology/cop.ttl`` with
``cop:personalData``), how to leave it out of a list of statements, and the graph viewers query.

Viewers' own SPARQL runs on a *view* of the store without personal data: a checkpoint of the
store (``Store.backup``, hard links, milliseconds) from which every personal statement and the
audit graph were deleted. The query cannot reach what is not there, whatever it is written like
(``?p`` variables, property paths, ``GRAPH ?g``, ``FROM``). The view is rebuilt when the store's
state changes (``kg.state_token()``: an import, an erasure, an audit record).
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..config import ONTOLOGY_DIR
from ..errors import StoreError
from ..store import KnowledgeGraph
from ..store.embedded import EmbeddedBackend
from ..vocab import AUDIT_GRAPH, COP, RDF

__all__ = [
    "PersonalProperties",
    "personal_filter",
    "personal_properties",
    "viewer_copy",
    "viewer_graph",
    "without_personal",
]

_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_TYPE = ox.NamedNode(str(RDF.type))


@dataclass(frozen=True)
class PersonalProperties:
    """Properties whose values are personal: ``always``, or ``by_class`` (property → the
    classes whose members' values are personal, e.g. ``foaf:homepage`` of a ``foaf:Person``)."""

    always: frozenset[str]
    by_class: dict[str, frozenset[str]]

    @property
    def all(self) -> frozenset[str]:
        """Every property that can hold personal data."""
        return self.always | frozenset(self.by_class)


@cache
def personal_properties() -> PersonalProperties:
    """The ``cop:personalData`` declarations of ``ontology/cop.ttl``.

    >>> props = personal_properties()
    >>> "http://xmlns.com/foaf/0.1/mbox" in props.always
    True
    >>> props.by_class["http://xmlns.com/foaf/0.1/homepage"]
    frozenset({'http://xmlns.com/foaf/0.1/Person'})
    """
    marker = ox.NamedNode(str(COP.personalData))
    always: set[str] = set()
    by_class: dict[str, set[str]] = {}
    for quad in ox.parse(path=str(ONTOLOGY_DIR / "cop.ttl"), format=ox.RdfFormat.TURTLE):
        if quad.predicate != marker or not isinstance(quad.subject, ox.NamedNode):
            continue
        if quad.object == _TRUE:
            always.add(quad.subject.value)
        elif isinstance(quad.object, ox.NamedNode):
            by_class.setdefault(quad.subject.value, set()).add(quad.object.value)
    return PersonalProperties(frozenset(always),
                              {p: frozenset(c) for p, c in by_class.items()})


def personal_filter(kg: KnowledgeGraph) -> Callable[[object, object], bool]:
    """A test ``is_personal(subject, predicate)`` for statements of ``kg`` (terms or strings).

    Class-scoped properties look up the subject's classes in ``kg`` once.
    """
    props = personal_properties()
    members: set[str] = set()
    classes = sorted({c for cs in props.by_class.values() for c in cs})
    for cls in classes:
        rows = kg.select("SELECT DISTINCT ?s WHERE { ?s a ?class }",
                         {"class": ox.NamedNode(cls)}).rows
        members.update(f"{cls} {row[0].value}" for row in rows if row[0] is not None)

    def is_personal(subject: object, predicate: object) -> bool:
        p = getattr(predicate, "value", predicate)
        if p in props.always:
            return True
        scoped = props.by_class.get(str(p))
        if not scoped:
            return False
        s = getattr(subject, "value", subject)
        return any(f"{cls} {s}" in members for cls in scoped)

    return is_personal


def without_personal(kg: KnowledgeGraph, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``quads`` less the personal statements and the audit graph (for exports and views)."""
    is_personal = personal_filter(kg)
    audit = ox.NamedNode(str(AUDIT_GRAPH))
    return [q for q in quads
            if q.graph_name != audit and not is_personal(q.subject, q.predicate)]


# ------------------------------------------------------------------------------ viewers' graph
_VIEWS: dict[str, tuple[str, KnowledgeGraph]] = {}
_LOCK = threading.Lock()

def viewer_graph(kg: KnowledgeGraph) -> KnowledgeGraph:
    """A read-only graph with everything of ``kg`` but personal data and the audit trail.

    On disk it is a checkpoint folder ``<store>.views/viewer-<state>`` beside the store, kept
    while the store does not change; in memory, a filtered copy. A SPARQL endpoint cannot be
    filtered from here: :class:`~graph.errors.StoreError` says so.

    >>> kg = KnowledgeGraph.in_memory()
    >>> _ = kg.replace_graphs({"https://w3id.org/copkg/graph/x": [ox.Triple(
    ...     ox.NamedNode("https://w3id.org/copkg/id/person/p1"),
    ...     ox.NamedNode("http://xmlns.com/foaf/0.1/mbox"), ox.NamedNode("mailto:a@b.org"))]})
    >>> viewer_graph(kg).ask("ASK { ?s ?p <mailto:a@b.org> }")
    False
    """
    backend = kg.backend
    if not isinstance(backend, EmbeddedBackend):
        raise StoreError("error.personal_on_endpoint", location=kg.location)
    token = kg.state_token() or "initial"
    with _LOCK:
        cached = _VIEWS.get(kg.location)
        if cached is not None and cached[0] == token and backend.path is not None:
            return cached[1]
        view = _build_view(kg, backend, token)
        if backend.path is not None:
            old = _VIEWS.get(kg.location)
            _VIEWS[kg.location] = (token, view)
            if old is not None and old[1] is not view:
                _remove_old_views(backend.path, keep={token, old[0]})
        return view


def _views_dir(store: Path) -> Path:
    return store.with_name(store.name + ".views")


def _build_view(kg: KnowledgeGraph, backend: EmbeddedBackend, token: str) -> KnowledgeGraph:
    if backend.path is None:
        store = ox.Store()
        store.extend(without_personal(kg, backend.store.quads_for_pattern(None, None, None)))
        memory = EmbeddedBackend(None)
        memory.store = store
        memory.read_only = True
        return KnowledgeGraph(memory)
    final = _views_dir(backend.path) / f"viewer-{token}"
    if not final.exists():
        temp = final.with_name(f".building-{uuid.uuid4().hex}")
        temp.parent.mkdir(parents=True, exist_ok=True)
        try:
            backend.store.backup(str(temp))
            copy = ox.Store(str(temp))
            _delete_personal(copy)
            copy.flush()
            del copy
            try:
                temp.rename(final)
            except OSError:  # another process built the same state first
                shutil.rmtree(temp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    return KnowledgeGraph(EmbeddedBackend(final, read_only=True))


def viewer_copy(checkpoint: Path, dest: Path) -> Path:
    """Make ``dest``: the checkpoint folder ``checkpoint`` without personal data or audit trail.

    For processes that read checkpoints but do not hold the store (``copkg serve``): RocksDB's
    immutable ``.sst`` files are hard-linked (no copy), the few others copied, and the private
    copy edited like :func:`viewer_graph`'s view. ``dest`` appears complete or not at all.

    >>> import tempfile
    >>> from graph.store import snapshots
    >>> folder = Path(tempfile.mkdtemp())
    >>> db = ox.Store(str(folder / "store"))
    >>> db.add(ox.Quad(ox.NamedNode("https://w3id.org/copkg/id/person/p1"),
    ...     ox.NamedNode("http://xmlns.com/foaf/0.1/mbox"), ox.NamedNode("mailto:a@b.org"),
    ...     ox.NamedNode("https://w3id.org/copkg/graph/people.csv")))
    >>> name = snapshots.checkpoint(db, folder / "store", "t1")
    >>> copy = viewer_copy(folder / "store.snapshots" / name, folder / "viewer-t1")
    >>> len(ox.Store.read_only(str(copy))), len(db)
    (0, 1)
    """
    if dest.exists():
        return dest
    temp = dest.with_name(f".building-{uuid.uuid4().hex}")
    temp.mkdir(parents=True)
    try:
        for item in checkpoint.iterdir():
            if item.suffix == ".sst":
                (temp / item.name).hardlink_to(item)
            elif item.is_file():
                shutil.copy2(item, temp / item.name)
        copy = ox.Store(str(temp))
        _delete_personal(copy)
        copy.flush()
        del copy
        try:
            temp.rename(dest)
        except OSError:  # built by another process first
            shutil.rmtree(temp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return dest


def _delete_personal(store: ox.Store) -> None:
    """Delete every personal statement and the audit graph from ``store`` (a private copy)."""
    props = personal_properties()
    always = " ".join(str(ox.NamedNode(p)) for p in sorted(props.always))
    updates = [f"DROP SILENT GRAPH {ox.NamedNode(str(AUDIT_GRAPH))}"]
    if always:
        updates.append(
            "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } "
            f"VALUES ?p {{ {always} }} }}"
        )
    for prop, classes in sorted(props.by_class.items()):
        for cls in sorted(classes):
            updates.append(
                "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } "
                f"VALUES ?p {{ {ox.NamedNode(prop)} }} "
                f"GRAPH ?any {{ ?s {_TYPE} {ox.NamedNode(cls)} }} }}"
            )
    store.update(" ;\n".join(updates))
    # Statements in the default graph (not written by copkg, but possible) go the same way.
    for quad in list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        if quad.predicate.value in props.all:
            store.remove(quad)


def _remove_old_views(store: Path, keep: set[str]) -> None:
    """Drop checkpoints of older states (the previous one stays: a query may still read it)."""
    folder = _views_dir(store)
    for child in folder.iterdir() if folder.exists() else ():
        if child.name.startswith("viewer-") and child.name[len("viewer-"):] not in keep:
            shutil.rmtree(child, ignore_errors=True)
