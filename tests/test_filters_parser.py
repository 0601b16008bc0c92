"""One parser from a person's choices to ``Filters``: CLI (every command and ``map``), stories,
Python; unknown values are errors with the closest matches (issue #9, items 2 and 4)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from graph import KnowledgeGraph
from graph.cli import build_parser, main
from graph.cli.common import filters_from_args
from graph.errors import CopkgError, DataError, NotFoundError
from graph.ingest import import_paths
from graph.maps import load_story, story_graphs
from graph.network import (
    ALL_TIES,
    DEFAULT_TIES,
    build_projection,
    filters_from_mapping,
    parse_filters,
)

DATA = Path(__file__).parent / "data" / "network"
NETWORK_COMMANDS = ("metrics", "brokers", "communities")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("filters") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [DATA / "tiny"])
    kg.close()
    return str(path)


@pytest.fixture(scope="module")
def kg(store: str) -> KnowledgeGraph:
    return KnowledgeGraph.open(store, read_only=True)


def test_comma_lists_repeats_and_all_mean_the_same() -> None:
    a = parse_filters(countries="TN,MA", ties="all", org_types=["city", "university"])
    b = parse_filters(countries=["TN", "MA"], ties=["coauthorship,event", "community"],
                      org_types="city, university")
    assert a == b
    assert a.ties == ALL_TIES and a.country_codes == {"TN", "MA"}
    assert parse_filters().ties == DEFAULT_TIES
    assert parse_filters(communities="all", countries=["all"]).communities == ()


@pytest.mark.parametrize("command", [*NETWORK_COMMANDS, "map"])
def test_every_command_parses_filters_the_same_way(command: str) -> None:
    extra = ["--projection", "people", "--out", "x.html"] if command == "map" else []
    args = build_parser().parse_args([
        command, *extra, "--country", "TN,MA", "--ties", "all", "--community", "transport",
        "--from", "2011", "--to", "2020", "--org-type", "city",
    ])
    expected = parse_filters(countries="TN,MA", ties="all", communities="transport",
                             year_from=2011, year_to=2020, org_types="city")
    assert filters_from_args(args) == expected
    story = filters_from_mapping({"countries": ["TN", "MA"], "ties": "all",
                                  "communities": ["transport"], "year_from": 2011,
                                  "year_to": 2020, "org_types": ["city"]})
    assert story == expected


def test_map_takes_ties_all_and_country_lists_like_metrics(
        store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.graphml"
    assert main(["map", "--store", store, "--projection", "people", "--ties", "all",
                 "--country", "TN,MA", "--format", "graphml", "--out", str(out)]) == 0
    drawn = set(nx.read_graphml(out))
    capsys.readouterr()
    assert main(["metrics", "--store", store, "--ties", "all", "--country", "TN,MA",
                 "--format", "json"]) == 0
    ranked = {row["node"] for row in json.loads(capsys.readouterr().out)}
    assert drawn == ranked and len(drawn) == 4


@pytest.mark.parametrize("command", [*NETWORK_COMMANDS, "map"])
def test_unknown_community_is_an_error_with_matches(
        command: str, store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--projection", "people", "--out", str(tmp_path / "m.html")] \
        if command == "map" else []
    code = main([command, "--store", store, *extra, "--community", "transprt"])
    err = capsys.readouterr().err
    assert code == 1
    assert "No community is called 'transprt'. Closest matches: Urban transport CoP " \
           "(transport)." in err
    assert not (tmp_path / "m.html").exists()


def test_unknown_country_and_type_list_what_exists(kg: KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError, match=r"No country is called 'TM'\. Choose among: "
                       r"France \(FR\); Morocco \(MA\); Tunisia \(TN\)\."):
        build_projection(kg, "people", parse_filters(countries="TM"))
    with pytest.raises(NotFoundError, match="No organisation of type 'citty' in the data; types "
                       "in the data: city, platform, university. Closest matches: city."):
        build_projection(kg, "people", parse_filters(org_types="citty"))


def test_names_and_labels_are_resolved(kg: KnowledgeGraph) -> None:
    by_label = build_projection(kg, "people", parse_filters(communities="urban transport cop",
                                                              countries="Tunisia"))
    by_id = build_projection(kg, "people", parse_filters(communities="transport", countries="tn"))
    assert sorted(by_label) == sorted(by_id) and len(by_id) == 2
    assert by_id.graph["filters"].communities == ("https://w3id.org/copkg/id/community/transport",)


def test_bad_ties_and_years_name_the_choice() -> None:
    with pytest.raises(CopkgError, match="Unknown kind of tie 'events'.*Did you mean event"):
        parse_filters(ties="coauthorship,events")
    with pytest.raises(CopkgError, match="Year filter 'from': 'soon' is not a year"):
        parse_filters(year_from="soon")
    with pytest.raises(CopkgError, match="Unknown filter 'country'.*Did you mean countries"):
        filters_from_mapping({"country": ["TN"]})


def test_story_names_the_step_that_names_nothing(kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"title": "t", "steps": [
        {"projection": "people", "filters": {"countries": "TN,MA", "ties": "all"}},
        {"projection": "people", "filters": {"communities": ["nowhere"]}}]}), encoding="utf-8")
    story = load_story(path)
    with pytest.raises(DataError, match=r"s\.json: step 2: No community is called 'nowhere'"):
        story_graphs(story, kg)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "t", "steps": [
        {"projection": "people", "filters": {"ties": ["friends"]}}]}), encoding="utf-8")
    with pytest.raises(DataError, match="step 1: Unknown kind of tie 'friends'"):
        load_story(bad)
