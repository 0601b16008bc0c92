"""Shared fixtures: the bundled graph (built once per session) and empty graphs."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import KnowledgeGraph, open_graph
from graph.ingest import import_paths

# The projection cache (graph.network.cache) writes to a folder of this test run only.
os.environ["COPKG_CACHE_DIR"] = tempfile.mkdtemp(prefix="copkg-test-cache-")

TESTS = Path(__file__).parent
DATA = TESTS / "data"
ROOT = TESTS.parent


@pytest.fixture(scope="session")
def bundled_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the bundled data, imported once for the whole session."""
    path = tmp_path_factory.mktemp("bundled") / "store"
    kg = open_graph(path)
    kg.close()
    return path


def app_reads(store: Path) -> Iterator[None]:
    """For ``yield from`` in a fixture: the app run in this process (AppTest) reads ``store``,
    read-only and never a remote endpoint, until the fixture ends; the environment is then
    restored."""
    saved = {k: os.environ.get(k) for k in ("COPKG_STORE", "COPKG_READ_ONLY", "COPKG_ENDPOINT")}
    os.environ["COPKG_STORE"] = str(store)
    os.environ["COPKG_READ_ONLY"] = "1"
    os.environ.pop("COPKG_ENDPOINT", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium through Playwright, one per test module (skipped when not installed);
    pages are opened and closed by each test."""
    from browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def app_env(bundled_store_dir: Path) -> Iterator[None]:
    """The app run in this process (AppTest) reads the bundled data, read-only."""
    yield from app_reads(bundled_store_dir)


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


def _personal_sheets(folder: Path) -> Path:
    """The illustrative sheets with e-mail (every person) and phone (first five) columns."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in (ROOT / "data" / "illustrative").glob("*.csv"):
        shutil.copy(source, folder / source.name)
    rows = list(csv.reader((folder / "people.csv").open(encoding="utf-8")))
    rows[0] += ["email", "phone"]
    for i, row in enumerate(rows[1:]):
        row += [f"{row[0]}@example.org", f"+216 71 000 {i:03d}" if i < 5 else ""]
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return folder


@pytest.fixture(scope="session")
def personal_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _personal_sheets(tmp_path_factory.mktemp("personal") / "sheets")


@pytest.fixture(scope="session")
def personal_store(tmp_path_factory: pytest.TempPathFactory, personal_source: Path) -> Path:
    """A store with the bundled data whose people have e-mail addresses and phones."""
    path = tmp_path_factory.mktemp("personal-store") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [ROOT / "data" / "cmi.ttl", personal_source], who="ana")
    kg.close()
    return path
