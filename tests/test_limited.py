"""User-written queries: stopped at the time limit (worker process killed), cut at the row cap,
updates and SERVICE refused, syntax errors at the user's line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest

from graph import KnowledgeGraph
from graph.errors import QueryError, QueryTimeout
from graph.queries import QueryResult, run_user_query

SLOW = """
SELECT (COUNT(*) AS ?n) WHERE {
  ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l .
}
"""


def _children() -> set[int]:
    """Live child processes of this process (all threads)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return pids


def _table(result: QueryResult) -> pd.DataFrame:
    assert result.table is not None
    return result.table


def test_a_slow_query_is_stopped_at_the_time_limit(bundled_kg: KnowledgeGraph) -> None:
    before = _children()
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as err:
        run_user_query(bundled_kg, SLOW, time_limit_s=1)
    assert time.monotonic() - started < 4
    message = str(err.value)
    assert "1 s" in message and "COPKG_QUERY_TIME_LIMIT" in message and "--time-limit" in message
    assert _children() <= before, "the worker process was left running"


def test_row_cap_truncates_and_says_so(bundled_kg: KnowledgeGraph) -> None:
    result = run_user_query(bundled_kg, "SELECT ?p WHERE { ?p a foaf:Person }", row_cap=7)
    assert result.form == "SELECT" and len(_table(result)) == 7 and result.truncated
    assert "7" in result.note and "COPKG_QUERY_ROW_CAP" in result.note
    full = run_user_query(bundled_kg, "SELECT ?p WHERE { ?p a foaf:Person } LIMIT 3", row_cap=7)
    assert len(_table(full)) == 3 and not full.truncated and full.note == ""


def test_ask_and_construct(bundled_kg: KnowledgeGraph) -> None:
    ask = run_user_query(bundled_kg, "ASK { id:org/cmi a cop:Platform }".replace(
        "id:org/cmi", "<https://w3id.org/copkg/id/org/cmi>"))
    assert ask.form == "ASK" and ask.boolean is True
    construct = run_user_query(
        bundled_kg,
        "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c a cop:CommunityOfPractice ; "
        "skos:prefLabel ?l }",
        row_cap=4,
    )
    assert construct.form == "CONSTRUCT" and construct.truncated
    assert construct.triples_turtle and construct.triples_turtle.count("prefLabel") >= 1


def test_values_are_readable(bundled_kg: KnowledgeGraph) -> None:
    result = run_user_query(
        bundled_kg,
        "SELECT ?year (COUNT(*) AS ?n) WHERE { ?p dct:issued ?year } GROUP BY ?year ORDER BY ?year",
    )
    assert _table(result)["year"].iloc[0] >= 2000
    assert _table(result)["n"].dtype.kind == "i"


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <x:a> <x:b> <x:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX x: <x:>\nDROP ALL",
        "CLEAR DEFAULT",
    ],
)
def test_updates_are_refused(bundled_kg: KnowledgeGraph, text: str) -> None:
    with pytest.raises(QueryError, match="read-only"):
        run_user_query(bundled_kg, text)


def test_service_is_refused_unless_allowed(bundled_kg: KnowledgeGraph) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="SERVICE"):
        run_user_query(bundled_kg, text)
    # a word in a string or comment is not a SERVICE clause
    ok = run_user_query(bundled_kg, 'SELECT ("SERVICE" AS ?x) WHERE {} # SERVICE')
    assert _table(ok)["x"].tolist() == ["SERVICE"]


def test_syntax_errors_give_the_users_line(bundled_kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError) as err:
        run_user_query(bundled_kg, "SELECT ?s\nWHERE { ?s ?p ?o\n  FILTER( }")
    assert "line 3" in str(err.value), str(err.value)


def test_runs_while_another_handle_holds_the_store_read_write(tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")  # holds the RocksDB lock
    try:
        result = run_user_query(kg, "SELECT (COUNT(*) AS ?n) WHERE { ?s a owl:Class }")
        assert _table(result)["n"].iloc[0] > 10
    finally:
        kg.close()


def test_in_memory_graphs_are_handed_to_the_worker() -> None:
    kg = KnowledgeGraph.in_memory()
    result = run_user_query(kg, "ASK { cop:Event rdfs:subClassOf schema:Event }")
    assert result.boolean is True


def test_bad_limits_are_refused(bundled_kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="time limit"):
        run_user_query(bundled_kg, "ASK {}", time_limit_s=0)
