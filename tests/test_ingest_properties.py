"""Property-based tests of the readers and the mapping: whatever a file holds, checking it ends
in a plan or a DataError (every problem a message), never in another exception."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from graph import KnowledgeGraph
from graph.config import bundled_data_paths
from graph.errors import DataError
from graph.ingest import import_paths, validate_paths
from graph.ingest.contract import SHEETS

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    graph = KnowledgeGraph.in_memory()
    import_paths(graph, bundled_data_paths()[:1])
    return graph


def check(kg: KnowledgeGraph, path: Path) -> None:
    """Validate ``path``: a plan, or a DataError whose every problem names the file."""
    before = kg.dump(ox.RdfFormat.N_QUADS)
    try:
        validate_paths(kg, [path])
    except DataError as exc:
        assert exc.problems
        assert all(p.file and p.message for p in exc.problems)
    assert kg.dump(ox.RdfFormat.N_QUADS) == before


# Text that tends to break things: controls, look-alikes, quotes, separators, huge numbers.
awkward = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "afd", "p0001", "ｐ０００１", "р0001", "اب", "a b", '"', "\x00",
                     "99999", "2015", "31/02/2010", "2010-13-01", "https://x.org/a b",
                     "https://x.org/ok", "example-org", "urban-transport", "TN", "UK",
                     "1e400", "-0", "true", "=1+1", ";;", "a;b", "http://", "mailto:x"]),
)
cells = st.one_of(awkward, st.integers(min_value=-10**20, max_value=10**20),
                  st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                  st.datetimes(min_value=datetime(1, 1, 1)), st.dates(min_value=date(1, 1, 1)),
                  st.none())


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_csv_sheet(kg: KnowledgeGraph, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        path.write_bytes(b"id,name,organization,country\n" + data)
        check(kg, path)


@SETTINGS
@given(sheet=st.sampled_from(sorted(SHEETS)),
       rows=st.lists(st.lists(awkward, min_size=1, max_size=9), max_size=4),
       extra=st.lists(st.sampled_from(["illustrative", "source", "phone", "id", ""]),
                      max_size=2))
def test_any_cells_in_a_csv_sheet(kg: KnowledgeGraph, sheet: str, rows: list[list[str]],
                                  extra: list[str]) -> None:
    header = list(SHEETS[sheet].columns) + extra
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{sheet}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        check(kg, path)


@SETTINGS
@given(sheet=st.sampled_from(sorted(SHEETS)),
       rows=st.lists(st.lists(cells, min_size=1, max_size=8), min_size=1, max_size=3))
def test_any_cells_in_a_workbook(kg: KnowledgeGraph, sheet: str, rows: list[list[object]],
                                 ) -> None:
    book = Workbook()
    worksheet = book.active
    assert worksheet is not None
    worksheet.title = sheet
    worksheet.append(list(SHEETS[sheet].columns))
    for row in rows:
        try:
            worksheet.append(row)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses to write it
            return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xlsx"
        book.save(path)
        check(kg, path)


@SETTINGS
@given(body=st.text(alphabet=st.sampled_from(list('<>"@:.;, ^_a\\/#\n01xsd{}[]-')),
                    max_size=120))
def test_any_turtle(kg: KnowledgeGraph, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "partner.ttl"
        path.write_text("@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                        "@prefix : <http://example.org/> .\n" + body, encoding="utf-8")
        check(kg, path)
