"""Introductions that help the isolated and the team (issue #9, item 3), and paths found by a
search that stops at the target (item 7), on the hand-built data and the bundled data."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest

from graph import KnowledgeGraph
from graph.analysis import suggest_for_team, suggest_introductions
from graph.analysis.paths import _all_shortest_paths
from graph.cli import main
from graph.ingest import import_paths
from graph.network import build_projection
from graph.vocab import ID

ANSWERS = Path(__file__).parent / "data" / "answers"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("suggest") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [ANSWERS])
    kg.close()
    return str(path)


@pytest.fixture(scope="module")
def people(store: str) -> nx.Graph:
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        return build_projection(kg, "people")
    finally:
        kg.close()


def test_a_person_without_ties_gets_introductions_with_reasons(people: nx.Graph) -> None:
    assert people.degree(f"{ID}person/p6") == 0  # Farid: no tie, no theme, no community
    table = suggest_introductions(people, "Farid Lounis")
    assert len(table) == 4  # everyone else from France (Hédi is Tunisian); not "already tied"
    top = table.iloc[0]
    # Same country; ties broken by who is best connected (Amel: 3 ties).
    assert top["label"] == "Amel Bernard" and top["reason"] == "same country: France"
    assert top["score"] == 0.25 and top["ties"] == 3
    assert set(table["same_country"]) == {1}
    assert "0.25 × same country" in table.attrs["definition"]


def test_reasons_in_french_and_arabic(people: nx.Graph) -> None:
    fr = suggest_introductions(people, "p6", language="fr")
    assert fr.iloc[0]["reason"] == "même pays : France"
    ar = suggest_introductions(people, "p6", language="ar")
    # the member government standing for FR is named in English only in this data
    assert ar.iloc[0]["reason"] == "البلد نفسه: France"


def test_an_organisation_is_introduced_as_a_team(people: nx.Graph) -> None:
    team = [f"{ID}person/{p}" for p in ("p1", "p7", "p8")]  # the University of Aix
    table = suggest_for_team(people, team)
    assert f"{ID}person/p3" in set(table["node"])  # Chiara: tied to none of them
    for member in team:
        assert member not in set(table["node"])
    # Nobody tied to a member is suggested (Bastien, Driss and Eva are).
    assert not {f"{ID}person/{p}" for p in ("p2", "p4", "p5")} & set(table["node"])
    chiara = table.set_index("node").loc[f"{ID}person/p3"]
    assert chiara["introduce_to"].startswith(("Amel Bernard", "Hédi Mansour"))
    assert "shared themes (1): Mobility" in chiara["reason"]


def test_cli_suggest_for_an_isolated_person_and_an_org(
        store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "Farid Lounis", "--store", store]) == 0
    out, err = capsys.readouterr()
    assert "same country: France" in out and "(no rows)" not in out and "Already" not in out
    assert err.startswith("definition: Score = 1 × common collaborators")
    assert main(["suggest", "--org", "University of Aix", "--store", store]) == 0
    out, _ = capsys.readouterr()
    assert "Chiara Conti" in out and "introduce_to" in out
    assert main(["suggest", "--org", "Univ of Aixx", "--store", store]) == 1
    assert "No organisation is called 'Univ of Aixx'. Closest matches: University of Aix " \
           "(fr-uni)" in capsys.readouterr().err


def test_bundled_mourad_ezzine_and_cmi(bundled_store_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    store = str(bundled_store_dir)
    assert main(["suggest", "Mourad Ezzine", "--store", store, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"same organization": 1' not in out  # JSON keys are machine names
    assert "Center for Mediterranean Integration" in out and "same country: France" in out
    assert main(["suggest", "--org", "cmi", "--store", store]) == 0
    out = capsys.readouterr().out
    assert "introduce_to" in out and "(no rows)" not in out


def test_paths_equal_networkx_on_random_graphs() -> None:
    rng = random.Random(7)
    for seed in range(40):
        G = nx.gnm_random_graph(50, 80, seed=seed)
        a, b = rng.sample(range(50), 2)
        try:
            expected = sorted(nx.all_shortest_paths(G, a, b))
        except nx.NetworkXNoPath:
            expected = []
        assert sorted(_all_shortest_paths(G, a, b)) == expected


def test_a_name_left_out_by_the_filters_says_so(
        store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ego", "Farid Lounis", "--store", store, "--country", "TN",
                 "--community", "transport"]) == 1
    assert "Farid Lounis is in the data but not in this view: the filters (community " \
           "transport; country TN) leave them out." in capsys.readouterr().err
    assert main(["ego", "Farid Lounis", "--store", store, "--projection", "organizations"]) == 1
    assert "the organizations network does not include them" in capsys.readouterr().err
    assert main(["path", "p1", "Nobody Atall", "--store", store]) == 1
    assert "Nothing is called 'Nobody Atall'" in capsys.readouterr().err
