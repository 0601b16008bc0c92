"""Spreadsheets and RDF files in, one validated named graph per file out (atomic, with provenance).

The contract is ``docs/data-model.md``; the API ``docs/api.md`` (``graph.ingest``).
"""

from __future__ import annotations

from .bootstrap import bundled_graph, load_bundled, open_graph
from .export import export_graph, last_imports, write_templates
from .importer import FileReport, ImportPlan, ImportReport, import_paths, validate_paths

__all__ = [
    "FileReport",
    "ImportPlan",
    "ImportReport",
    "bundled_graph",
    "export_graph",
    "import_paths",
    "last_imports",
    "load_bundled",
    "open_graph",
    "validate_paths",
    "write_templates",
]
