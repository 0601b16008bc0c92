"""Shared fixtures: the bundled graph (built once per session) and empty graphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import KnowledgeGraph, open_graph

TESTS = Path(__file__).parent
DATA = TESTS / "data"


@pytest.fixture(scope="session")
def bundled_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the bundled data, imported once for the whole session."""
    path = tmp_path_factory.mktemp("bundled") / "store"
    kg = open_graph(path)
    kg.close()
    return path


@pytest.fixture(scope="session")
def bundled_kg(bundled_store_dir: Path) -> Iterator[KnowledgeGraph]:
    """The bundled data, opened read-only: tests must not change it."""
    kg = KnowledgeGraph.open(bundled_store_dir, read_only=True)
    yield kg
    kg.close()


@pytest.fixture
def empty_kg() -> KnowledgeGraph:
    """An in-memory graph holding only the ontology."""
    return KnowledgeGraph.in_memory()
