"""One definition of a member's presence in a community (issue #9, item 1): both readings,
known answers on a hand-built dataset and on the bundled data, and the saved query
``absent_members`` tested equal to ``graph.analysis.coverage`` (the code behind ``copkg gaps``,
the app's Coverage tab and the notebooks)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graph import KnowledgeGraph
from graph.analysis import coverage, gaps
from graph.analysis.coverage import definition
from graph.cli import main
from graph.i18n import LANGUAGES, t
from graph.ingest import import_paths
from graph.queries import run_saved
from graph.vocab import ID

ANSWERS = Path(__file__).parent / "data" / "answers"
COMPARED = ["member", "member_itself", "people", "products", "events", "status"]


@pytest.fixture(scope="module")
def answers_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The hand-built dataset: a city (with a unit) and a government in the same country, a
    government whose national works abroad, a bank, an isolated person (p6)."""
    path = tmp_path_factory.mktemp("answers") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [ANSWERS])
    kg.close()
    return str(path)


@pytest.fixture(scope="module")
def answers_kg(answers_store: str) -> KnowledgeGraph:
    return KnowledgeGraph.open(answers_store, read_only=True)


def _cell(table: pd.DataFrame, member: str, community: str) -> dict[str, object]:
    row = table[(table["member"] == f"{ID}org/{member}")
                & (table["community"] == f"{ID}community/{community}")]
    assert len(row) == 1
    return {k: (v.item() if hasattr(v, "item") else v)
            for k, v in row.iloc[0][COMPARED[1:]].to_dict().items()}


def test_city_and_country_in_the_same_country_are_read_apart(answers_kg: KnowledgeGraph) -> None:
    table = coverage(answers_kg)
    # France (a government): the people of French institutions — the university's Amel and
    # Hédi (a Tunisian national working in France), the city's Bastien, its unit's Chiara.
    assert _cell(table, "france", "transport") == {
        "member_itself": False, "people": 4, "products": 2, "events": 1, "status": "ok"}
    # The City of Marseille: its own membership, its people and its unit's (org:unitOf),
    # never the whole of France.
    assert _cell(table, "marseille", "transport") == {
        "member_itself": True, "people": 2, "products": 2, "events": 0, "status": "thin"}
    # Tunisia counts Driss (Tunisian institution), not Hédi (Tunisian, French institution).
    assert _cell(table, "tunisia", "transport") == {
        "member_itself": False, "people": 1, "products": 1, "events": 1, "status": "thin"}
    # Member itself without people: present (thin), not absent.
    assert _cell(table, "tunisia", "education")["member_itself"] is True
    assert _cell(table, "tunisia", "education")["status"] == "thin"
    # A person at an event is activity, not membership: the bank is thin, not absent.
    assert _cell(table, "bank", "transport") == {
        "member_itself": False, "people": 0, "products": 0, "events": 1, "status": "thin"}
    assert _cell(table, "marseille", "education")["status"] == "absent"
    assert gaps(answers_kg)["status"].tolist()[:2] == ["absent", "absent"]


@pytest.mark.parametrize("community", ["transport", "education"])
def test_saved_query_equals_coverage_on_hand_built_data(
        answers_kg: KnowledgeGraph, community: str) -> None:
    _assert_equal(answers_kg, community)


@pytest.mark.parametrize("community", ["urban-transport", "tertiary-education", "employment"])
def test_saved_query_equals_coverage_on_bundled_data(
        bundled_kg: KnowledgeGraph, community: str) -> None:
    _assert_equal(bundled_kg, community)


def _assert_equal(kg: KnowledgeGraph, community: str) -> None:
    query = run_saved(kg, "absent_members", {"community": community})
    table = coverage(kg)
    table = table[table["community"] == f"{ID}community/{community}"]
    left = query[COMPARED].sort_values("member").reset_index(drop=True)
    right = table[COMPARED].sort_values("member").reset_index(drop=True)
    left = left.astype({"member_itself": bool, "people": int, "products": int, "events": int})
    right = right.astype({"member_itself": bool, "people": int, "products": int, "events": int})
    pd.testing.assert_frame_equal(left, right)
    assert query["status"].tolist()[: (query["status"] == "absent").sum()] == \
        ["absent"] * int((query["status"] == "absent").sum())  # absent members first


def test_issue_numbers_on_the_bundled_data(bundled_kg: KnowledgeGraph) -> None:
    table = coverage(bundled_kg)
    tertiary = table[table["community"] == f"{ID}community/tertiary-education"]
    # Coverage said "none absent", the query "5 absent": both readings now, one answer.
    assert sorted(tertiary.loc[tertiary["status"] == "absent", "member_label"]) == [
        "City of Marseille", "Provence-Alpes-Côte d'Azur Region"]
    not_itself = tertiary.loc[~tertiary["member_itself"]].set_index("member_label")["people"]
    assert not_itself.to_dict() == {
        "European Investment Bank": 2, "City of Marseille": 0,
        "Provence-Alpes-Côte d'Azur Region": 0, "Tunisia": 16, "World Bank Group": 1}
    transport = table[table["community"] == f"{ID}community/urban-transport"].set_index(
        "member_label")
    for member, people in (("Jordan", 15), ("Lebanon", 18), ("Italy", 23)):
        assert not transport.at[member, "member_itself"]
        assert transport.at[member, "people"] == people
    # The city and the region no longer show France's numbers.
    assert transport.at["France", "people"] == 35
    assert transport.at["City of Marseille", "people"] == 2
    assert transport.at["Provence-Alpes-Côte d'Azur Region", "people"] == 2


def test_definition_in_every_language() -> None:
    for lang in LANGUAGES:
        text = t("answer.coverage", lang, thin=2)
        assert "(en)" not in text and "\n" not in text and "2" in text
    assert "ville" in definition("fr") and "حكومة" in definition("ar")


def test_gaps_cli_prints_the_definition(answers_store: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "--store", answers_store, "--all", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert err.startswith("definition: A member's presence in a community, read two ways")
    assert out.splitlines()[0].startswith("member,member_label,member_type,country,community")


# ----------------------------------------------------------------------------- item 2: names
def test_unknown_saved_query_parameter_is_an_error_with_matches(
        bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "absent_members", "--store", str(bundled_store_dir),
                 "--param", "community=nonexistent-xyz"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "No community is called 'nonexistent-xyz'. Choose among: Community of Practice " \
           "for Sustainable Urban Transport in the Mediterranean Region (urban-transport)" in err


def test_saved_query_parameters_take_labels_and_suggest(bundled_kg: KnowledgeGraph) -> None:
    from graph.errors import NotFoundError

    by_label = run_saved(bundled_kg, "absent_members",
                         {"community": "Community of Practice on Tertiary Education"})
    assert sorted(by_label.loc[by_label["status"] == "absent", "member_label"]) == [
        "City of Marseille", "Provence-Alpes-Côte d'Azur Region"]
    with pytest.raises(NotFoundError, match=r"No person is called 'Mourad Ezine'\. Closest "
                       r"matches: Mourad Ezzine \(mourad-ezzine\)"):
        run_saved(bundled_kg, "person_profile", {"person": "Mourad Ezine"})
    with pytest.raises(NotFoundError, match=r"'cop:DialogEvent'.*Closest matches: "
                       r"cop:DialogueEvent"):
        run_saved(bundled_kg, "dialogue_events_by_city", {"kind": "cop:DialogEvent"})
    # An organisation is a valid author for the person parameter of coauthors.
    assert len(run_saved(bundled_kg, "coauthors", {"person": "afd"})) > 0


def test_python_api_resolves_what_it_is_given(answers_kg: KnowledgeGraph) -> None:
    from graph.analysis import suggest_for_team
    from graph.errors import NotFoundError
    from graph.network import build_projection

    only = coverage(answers_kg, communities=["Urban transport CoP"])
    assert set(only["community"]) == {f"{ID}community/transport"}
    with pytest.raises(NotFoundError, match="No community is called 'nowhere'"):
        coverage(answers_kg, communities=["nowhere"])
    G = build_projection(answers_kg, "people")
    with pytest.raises(NotFoundError, match="Nothing is called 'p99'"):
        suggest_for_team(G, ["p1", "p99"])
    assert len(suggest_for_team(G, ["p1", "Gita Rao"])) > 0
