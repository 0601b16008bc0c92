"""Faithful outputs (issue #9, item 6): CSV and JSON carry every measure at full precision,
GEXF and GraphML leave undefined values out and read back in networkx with the same values."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from graph import KnowledgeGraph
from graph.analysis import measures
from graph.cli import main
from graph.ingest import import_paths
from graph.network import build_projection
from graph.vocab import ID

ANSWERS = Path(__file__).parent / "data" / "answers"
MEASURES = ["degree", "weighted_degree", "betweenness", "closeness", "pagerank", "eigenvector",
            "cluster", "constraint", "effective_size"]
ISOLATED = f"{ID}person/p6"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("exports") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [ANSWERS])
    kg.close()
    return str(path)


@pytest.fixture(scope="module")
def expected(store: str) -> pd.DataFrame:
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        return measures(build_projection(kg, "people")).set_index("node")
    finally:
        kg.close()


def test_csv_and_json_carry_full_precision(
        store: str, expected: pd.DataFrame, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "--store", store, "--format", "csv"]) == 0
    out = tmp_path / "m.csv"
    out.write_text(capsys.readouterr().out, encoding="utf-8")
    table = pd.read_csv(out).set_index("node")
    assert main(["metrics", "--store", store, "--format", "json"]) == 0
    rows = {r["node"]: r for r in json.loads(capsys.readouterr().out)}
    assert set(table.index) == set(expected.index) == set(rows)
    for node, want in expected.iterrows():
        for m in MEASURES:
            value = float(want[m])
            if math.isnan(value):
                assert math.isnan(table.at[node, m]) and rows[node][m] is None
            elif m == "eigenvector":  # ARPACK's start vector moves the last bit between runs
                assert float(table.at[node, m]) == pytest.approx(value, rel=1e-12, abs=1e-15)
                assert rows[node][m] == pytest.approx(value, rel=1e-12, abs=1e-15)
            else:  # exact: no rounding anywhere (6 decimals would have lost these digits)
                assert float(table.at[node, m]) == value
                assert rows[node][m] == value
    assert math.isnan(expected.at[ISOLATED, "constraint"])  # the isolated person's


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_network_files_omit_undefined_values_and_read_back(
        store: str, expected: pd.DataFrame, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"m.{fmt}"
    assert main(["map", "--store", store, "--projection", "people", "--format", fmt,
                 "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'value=""' not in text and "<data key=\"d" in text or fmt == "gexf"
    G = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
    assert set(G) == set(expected.index)
    for node, want in expected.iterrows():
        attrs = G.nodes[node]
        for m in MEASURES:
            value = float(want[m])
            if math.isnan(value):
                assert m not in attrs  # left out, not ""
            else:
                assert float(attrs[m]) == pytest.approx(value, rel=1e-12, abs=1e-15)
    assert "constraint" not in G.nodes[ISOLATED] and G.nodes[ISOLATED]["label"] == "Farid Lounis"


# ----------------------------------------------------------------------------- item 5: rankings
def test_readable_ranking_and_groups(store: str, expected: pd.DataFrame) -> None:
    from graph.analysis import detect_communities, readable_groups, readable_ranking

    table = expected.reset_index()
    shown, helps = readable_ranking(table, "degree", language="fr")
    assert list(shown.columns[:5]) == ["Nom", "Nature", "Type", "Pays", "Nombre de liens"]
    assert shown["Nombre de liens"].tolist() == sorted(shown["Nombre de liens"], reverse=True)
    # No tie (Farid; Gita and Hédi share no product or event): last, and "not connected".
    assert shown["Nom"].tolist()[-3:] == ["Farid Lounis", "Gita Rao", "Hédi Mansour"]
    assert shown["Groupe"].tolist()[-3:] == ["non relié"] * 3
    assert not shown["Nom"].str.startswith("http").any() and "node" not in shown
    assert helps["Nombre de liens"] == "Avec combien d'autres la personne est directement liée."
    # Lower constraint = more brokerage: that ranking goes up, undefined values last.
    by_constraint, _ = readable_ranking(table, "constraint")
    values = by_constraint["Constraint"].tolist()
    assert values[:-1] == sorted(values[:-1]) and math.isnan(values[-1])
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        groups = detect_communities(build_projection(kg, "people"))
    finally:
        kg.close()
    readable = readable_groups(groups)
    assert readable["Group"].tolist()[-1] == "not connected"
    assert readable.iloc[-1]["Size"] == int((groups["size"] == 1).sum())
    assert all(g.startswith("Group ") for g in readable["Group"].tolist()[:-1])
