"""``copkg metrics|path|ego|brokers|gaps|suggest|communities`` on a store holding the tiny data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import KnowledgeGraph
from graph.cli import main
from graph.ingest import import_paths

DATA = Path(__file__).parent / "data" / "network"
COMMANDS = ("metrics", "path", "ego", "brokers", "gaps", "suggest", "communities")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli-network") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [DATA / "tiny"])
    kg.close()
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--format" in out and "--store" in out
    if command != "gaps":
        assert "--projection" in out and "--ties" in out and "--from" in out


def test_metrics_json(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "metrics", "--store", store, "--format", "json")
    assert code == 0
    assert "Betweenness and closeness: exact (igraph, unweighted, normalised as networkx)." in err
    rows = json.loads(out)
    assert rows[0]["label"] == "Ana Ben Ali"  # highest betweenness first
    assert {"betweenness", "constraint", "cluster"} <= set(rows[0])


def test_metrics_with_filters_csv(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "metrics", "--store", store, "--projection", "organizations",
                       "--country", "TN,MA", "--ties", "coauthorship", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].startswith("node,label,kind")
    assert len(out.splitlines()) == 3  # header + Tunis City + Rabat University


def test_path_shows_evidence(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "path", "bruno faure", "p4", "--store", store)
    assert code == 0
    assert "Bus rapid transit toolkit (2015)" in out and "Marseille workshop" in out


def test_unknown_name_is_a_message(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ego", "Chloe Martine", "--store", store)
    assert code == 1
    assert "Closest matches: Chloé Martin (p3)" in err


def test_other_commands(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ego", "p4", "--radius", "1", "--store", store)
    assert code == 0 and "Dalia Nasser" in out
    code, out, _ = run(capsys, "brokers", "--by", "country", "--store", store)
    assert code == 0 and "Ana Ben Ali" in out
    code, out, _ = run(capsys, "gaps", "--store", store, "--format", "json")
    assert code == 0 and {r["status"] for r in json.loads(out)} == {"thin"}
    code, out, _ = run(capsys, "suggest", "p4", "--store", store)
    assert code == 0 and "common collaborator" in out
    code, out, _ = run(capsys, "communities", "--store", store)
    assert code == 0 and "dominant_theme" in out
