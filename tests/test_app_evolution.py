"""The Evolution page as AppTest sees it: the same numbers as the CLI and the saved queries on
the hand-built data (tests/data/evolution), charts said illustrative on the bundled data, and an
offline map with the year slider in the page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import app_reads
from streamlit.testing.v1 import AppTest
from test_evolution import COLUMNS, EXPECTED, MATRIX, _same

from graph import KnowledgeGraph
from graph.ingest import import_paths

ROOT = Path(__file__).parents[1]
APP = str(ROOT / "app.py")
DATA = Path(__file__).parent / "data" / "evolution"


@pytest.fixture(scope="module")
def evolution_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("app-evolution") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [DATA, ROOT / "data" / "cmi.ttl"])
    kg.close()
    return path




@pytest.fixture
def small(evolution_store: Path) -> Iterator[None]:
    yield from app_reads(evolution_store)


@pytest.fixture
def bundled(bundled_store_dir: Path) -> Iterator[None]:
    yield from app_reads(bundled_store_dir)


def _open(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    at.switch_page("views/evolution.py")
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def _frame(at: AppTest, columns: tuple[str, ...]) -> list[tuple[object, ...]]:
    for frame in at.dataframe:
        df = frame.value
        if set(columns) <= set(df.columns):
            return [tuple(row) for row in df[list(columns)].itertuples(index=False)]
    raise AssertionError(f"no table with {columns}")


@pytest.mark.usefixtures("small")
def test_same_numbers_as_cli_and_saved_queries() -> None:
    at = _open()
    assert _same(_frame(at, COLUMNS), EXPECTED)
    grid = next(f.value for f in at.dataframe if "Tunisia" in list(f.value.columns))
    ties = {(a, b): grid.loc[a, b] for a in grid.index for b in grid.columns}
    assert ties == {("France", "France"): 1, ("France", "Tunisia"): 4,
                    ("Tunisia", "France"): 4, ("Tunisia", "Tunisia"): 2}
    assert {(a, b): n for a, b, _, n, _, _ in MATRIX} == {("FR", "FR"): 1, ("FR", "TN"): 4,
                                                         ("TN", "TN"): 2}
    at.radio(key="ev_cells").set_value("shared_events").run()
    grid = next(f.value for f in at.dataframe if "Tunisia" in list(f.value.columns))
    events = {(a, b): grid.loc[a, b] for a in grid.index for b in grid.columns}
    assert events == {(a, b): 2 for a in ("France", "Tunisia") for b in ("France", "Tunisia")}
    # Countries by name on the page (ISO codes in the CSV download, as the CLI's CSV).
    assert _frame(at, ("country", "learns_from", "events")) == [("France", "Tunisia", 1),
                                                                ("Tunisia", "France", 2)]
    regions = dict(_frame(at, ("pair", "ties")))
    assert regions["north–south"] == 4 and regions["within a country"] == 3
    text = "\n".join(str(c.value) for c in at.caption)
    assert "launched in 2010" in text  # from data/cmi.ttl, not written in the app
    assert "Illustrative data" not in "\n".join(str(w.value) for w in at.warning)
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert "copkg-years" in srcdoc and '"basemap":' in srcdoc
    assert not re.search(r"https?://", srcdoc)


@pytest.mark.usefixtures("small")
def test_who_learns_from_whom_names_countries_in_the_readers_language() -> None:
    at = _open(lang="ar")
    assert _frame(at, ("country", "learns_from")) == [("فرنسا", "تونس"), ("تونس", "فرنسا")]


@pytest.mark.usefixtures("small")
def test_window_and_layout_from_the_url() -> None:
    at = _open(window="year", layout="network", lang="fr")
    rows = _frame(at, ("year", "actors", "ties"))
    assert rows == [(2011, 4, 2), (2012, 4, 4), (2013, 4, 4)]
    srcdoc = at.get("iframe")[0].proto.srcdoc
    assert '"basemap":' not in srcdoc and "copkg-years" in srcdoc and 'lang="fr"' in srcdoc
    assert [e.label for e in at.expander] == ["Ce que signifient ces chiffres"]


@pytest.mark.usefixtures("bundled")
def test_bundled_data_is_said_illustrative_on_every_chart() -> None:
    at = _open(lang="ar")
    assert any("بيانات توضيحية" in str(w.value) for w in at.warning)
    captions = [str(c.value) for c in at.caption]
    charts = sum(1 for c in captions if c.startswith("بيانات توضيحية: يحتسب هذا الرسم"))
    assert charts == 6  # five line/bar charts and the country matrix
    assert not at.exception
