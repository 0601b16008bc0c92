"""What one page run costs the server, as AppTest sees it: the work a page repeats for every
reader (issue #13 item 9: many readers at once share what is computed once per store state).

The per-reader cost itself is measured by ``python -m benchmarks.bench_sessions``; these tests
pin the rules that keep it small, with counts that do not depend on the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph import KnowledgeGraph

APP = str(Path(__file__).resolve().parents[1] / "app.py")

pytestmark = pytest.mark.usefixtures("app_env")


@pytest.fixture
def state_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the app's reads of the store's state token (each one is a SPARQL query)."""
    calls = [0]
    original = KnowledgeGraph.state_token

    def counted(self: KnowledgeGraph) -> str:
        calls[0] += 1
        return original(self)

    monkeypatch.setattr(KnowledgeGraph, "state_token", counted)
    yield calls


def _overview(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_page_run_reads_the_store_state_a_few_times_not_once_per_country_shown(
        state_reads: list[int], lang: str) -> None:
    at = _overview(lang)
    at.switch_page("views/network_map.py")
    at.run()  # caches filled: what follows is what every later reader costs
    state_reads[0] = 0
    at = _overview(lang)
    # The Overview names every member country (its chart, its table by country and role): a
    # name per cell read the store's state once per cell (and opened a spinner each time:
    # a timer thread and a message to the browser). Before the fix: 41 reads here.
    by_country = next(df.value for df in at.dataframe if len(df.value) >= 10)
    assert len(by_country) >= 10
    assert state_reads[0] < len(by_country), state_reads[0]
    assert state_reads[0] <= 8, state_reads[0]
    state_reads[0] = 0
    at.switch_page("views/network_map.py")
    at.run()
    assert not at.exception, at.exception
    # The map page's country filter names every country too (format_func per option).
    countries = at.sidebar.multiselect[1].options
    assert len(countries) >= 10
    assert state_reads[0] < len(countries), state_reads[0]
