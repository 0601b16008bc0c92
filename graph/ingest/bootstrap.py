"""Opening a store the way copkg's users get it: a new store starts with the bundled data.

The store layer (:mod:`graph.store`) knows nothing of importing; this module opens it and, when
it was just created, loads the bundled data (``data/cmi.ttl`` and ``data/illustrative/``).

The bundled data ships already imported and checked, as ``data/bundled.nq.gz`` (the N-Quads a
full import makes), with ``data/bundled.sha256`` listing the SHA-256 of every file it was made
from (the data, the ontology) and of itself. A new store loads it in a fraction of a second
when every hash matches; otherwise (a file was edited) the files are imported and checked as
any others. ``python -m graph.ingest.bootstrap`` rebuilds both files (``make bundle``).
"""

from __future__ import annotations

import gzip
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from ..config import DATA_DIR, ONTOLOGY_DIR, PROJECT_ROOT, bundled_data_paths, ontology_files
from ..store import KnowledgeGraph
from ..vocab import AUDIT_GRAPH, ONTOLOGY_GRAPH, STATE_GRAPH
from .importer import import_paths
from .reading import find_sources

__all__ = ["BUNDLE", "MANIFEST", "build_bundle", "bundled_graph", "load_bundled", "open_graph"]

#: The bundled data as imported (N-Quads, gzip) and the hashes it was made from.
BUNDLE = DATA_DIR / "bundled.nq.gz"
MANIFEST = DATA_DIR / "bundled.sha256"


def open_graph(
    store: str | Path | None = None, *, endpoint: str | None = None, read_only: bool = False,
) -> KnowledgeGraph:
    """:meth:`KnowledgeGraph.open`, and the bundled data loaded into a store it created.

    >>> import tempfile
    >>> kg = open_graph(Path(tempfile.mkdtemp()) / "store")
    >>> int(kg.count_by_kind().set_index("kind").loc["person", "total"]) > 300
    True
    >>> kg.close()
    """
    kg = KnowledgeGraph.open(store, endpoint=endpoint, read_only=read_only)
    if kg.created:
        load_bundled(kg)
    return kg


def bundled_graph() -> KnowledgeGraph:
    """A throw-away in-memory graph with the ontology and the bundled data."""
    kg = KnowledgeGraph.in_memory()
    load_bundled(kg)
    return kg


def load_bundled(kg: KnowledgeGraph) -> str:
    """Put the bundled data into ``kg``: the pre-checked bundle when it matches its sources,
    else a full import of them. Returns ``"bundle"`` or ``"import"``."""
    if bundle_is_current():
        graphs: dict[str, list[ox.Triple | ox.Quad]] = defaultdict(list)
        for quad in ox.parse(gzip.decompress(BUNDLE.read_bytes()), format=ox.RdfFormat.N_QUADS):
            assert isinstance(quad.graph_name, ox.NamedNode)
            graphs[quad.graph_name.value].append(quad)  # written as they are
        kg.replace_graphs(graphs)
        return "bundle"
    import_paths(kg, bundled_data_paths())
    return "import"


def bundle_is_current() -> bool:
    """Whether :data:`BUNDLE` and every file it was made from have the hashes of
    :data:`MANIFEST`."""
    if not (BUNDLE.is_file() and MANIFEST.is_file()):
        return False
    expected = dict(_manifest_lines(MANIFEST.read_text(encoding="utf-8")))
    return expected == _hashes()


def build_bundle() -> Path:
    """Import the bundled data into an in-memory store and write :data:`BUNDLE` and
    :data:`MANIFEST` (sorted N-Quads, gzip without a timestamp: the same input gives the same
    bytes, apart from the import time recorded in the data)."""
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, bundled_data_paths())
    skip = {str(ONTOLOGY_GRAPH), str(STATE_GRAPH), str(AUDIT_GRAPH)}  # data only
    rows = kg.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    quads = [ox.Quad(s, p, o, g) for s, p, o, g in rows  # type: ignore[arg-type]
             if g is not None and g.value not in skip]
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert text is not None
    lines = sorted(text.decode("utf-8").splitlines())
    data = ("\n".join(lines) + "\n").encode("utf-8")
    BUNDLE.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    MANIFEST.write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(_hashes().items())),
        encoding="utf-8",
    )
    return BUNDLE


def _hashes() -> dict[str, str]:
    """SHA-256 of the bundle and of every file it is made from, by path (project-relative)."""
    files = [s.path for s in find_sources(bundled_data_paths())[0]] + ontology_files()
    files.append(ONTOLOGY_DIR / "shapes.ttl")  # the rules it was checked with
    files.append(BUNDLE)
    return {_name(path): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in files if path.is_file()}


def _name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _manifest_lines(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if digest and name:
            pairs.append((name, digest))
    return pairs


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {build_bundle()} and {MANIFEST}", file=sys.stderr)
