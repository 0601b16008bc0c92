"""Stories across time: a step may set a year (up to it) or a year range, and may be drawn on
the map of the region; the example story steps through the urban transport community's growth."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import KnowledgeGraph
from graph.errors import DataError
from graph.ingest import import_paths
from graph.maps import (
    load_story,
    step_map_html,
    story_from_dict,
    story_graphs,
    story_html,
    story_to_dict,
    story_views,
)
from graph.maps.style import GREY, NONE_GREY

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "evolution"


def _story(**step: object) -> dict[str, object]:
    return {"title": "Years", "steps": [{"projection": "people", **step}]}


def test_year_and_years_round_trip() -> None:
    story = story_from_dict({"title": "T", "steps": [
        {"projection": "people", "year": 2012, "layout": "geo"},
        {"projection": "countries", "years": [2011, 2013], "filters": {"ties": ["event"]}}]})
    first, second = story.steps
    assert first.years == (None, 2012) and first.layout == "geo"
    assert first.filter_values == {"year_to": 2012}
    assert second.filter_values == {"ties": ["event"], "year_from": 2011, "year_to": 2013}
    data = story_to_dict(story)
    assert data["steps"][0]["year"] == 2012 and data["steps"][0]["layout"] == "geo"
    assert data["steps"][1]["years"] == [2011, 2013]
    assert story_from_dict(data) == story


@pytest.mark.parametrize(("step", "message"), [
    ({"year": "2012"}, "step 1: 'year' must be a year from 1900 to 2100, such as 2014"),
    ({"year": 12}, "step 1: 'year' must be a year from 1900 to 2100, such as 2014"),
    ({"years": [2014]}, "step 1: 'years' must be two years [from, to], such as [2010, 2014]"),
    ({"years": [2016, 2012]}, "step 1: 'years' 2016–2012 is an empty range"),
    ({"year": 2012, "years": [2010, 2012]}, "step 1: give 'year' (up to that year) or 'years'"),
    ({"year": 2012, "filters": {"year_to": 2013}},
     "step 1: the step sets its years twice: with 'year'/'years' and in 'filters'"),
    ({"layout": "map"}, "step 1: layout 'map' is not one of forceatlas2, geo"),
])
def test_bad_years_and_layouts_are_named(step: dict[str, object], message: str) -> None:
    with pytest.raises(DataError) as info:
        story_from_dict(_story(**step), name="years.json")
    assert any(message in str(problem) for problem in info.value.problems), info.value.problems


def test_geo_needs_a_network_of_actors() -> None:
    with pytest.raises(DataError, match="1 problem"):
        story_from_dict({"title": "T", "steps": [{"projection": "person-event",
                                                   "layout": "geo"}]})


def test_steps_through_the_years_on_the_map() -> None:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [DATA, ROOT / "data" / "cmi.ttl"])
    story = story_from_dict({"title": "Growth", "steps": [
        {"projection": "people", "year": 2011, "layout": "geo"},
        {"projection": "people", "years": [2012, 2013]},
        {"projection": "people", "layout": "geo"}]})
    graphs = story_graphs(story, kg)
    # Up to 2011: ta–fc, ta–tb; 2012–2013 only: ta–tb, ta–fc, ta–fd, fc–fd, fc–te, fd–te, tb–te
    assert [G.number_of_edges() for G in graphs] == [2, 7, 7]
    page = story_html(story, graphs, "fr")
    assert not re.search(r"https?://", page)
    assert "People · up to 2011" not in page and "Personnes · jusqu'en 2011" in page
    assert "2012–2013" in page and "copkgYear" in page and '"basemap"' in page


def test_example_story_of_the_urban_transport_community(bundled_kg: KnowledgeGraph) -> None:
    story = load_story(ROOT / "stories" / "urban-transport-growth.json")
    assert story.title["en"] == "How the urban transport community grew"
    assert [s.years for s in story.steps] == [(None, 2010), (None, 2012), (None, 2015),
                                             (None, 2020), (2024, 2026), None]
    assert {s.layout for s in story.steps} == {"geo"}
    for step in story.steps:
        assert set(step.caption) == {"en", "fr", "ar"}
    graphs = story_graphs(story, bundled_kg)
    sizes = [G.number_of_edges() for G in graphs[:4]]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]  # the network grows
    page = story_html(story, graphs, "ar")
    assert 'dir="rtl"' in page and "حتى 2010" in page
    assert "بيانات توضيحية" in page  # illustrative data, said on the maps


def test_colours_stay_with_their_country_through_the_story(bundled_kg: KnowledgeGraph) -> None:
    story = load_story(ROOT / "stories" / "urban-transport-growth.json")
    graphs = story_graphs(story, bundled_kg)
    views = story_views(story, graphs, "en")
    colour: dict[str, str] = {}
    for view in views:
        named = [e for e in view["legend"] if e["color"] not in (GREY, NONE_GREY)]
        assert len({e["color"] for e in named}) == len(named)  # no colour twice in one map
        for entry in named:
            assert colour.setdefault(entry["label"], entry["color"]) == entry["color"], entry
    # ... although the countries' sizes (the order colours used to follow) change over time.
    orders = [[e["label"] for e in view["legend"] if e["color"] not in (GREY, NONE_GREY)]
              for view in views]
    assert any(order != orders[-1][:len(order)] for order in orders[:-1])


def test_a_step_alone_has_the_story_colours(bundled_kg: KnowledgeGraph) -> None:
    story = load_story(ROOT / "stories" / "urban-transport-growth.json")
    graphs = story_graphs(story, bundled_kg)
    whole = story_views(story, graphs, "fr")[0]
    alone = step_map_html(story, graphs, 0, "fr")
    for entry in whole["legend"]:
        assert f'"label":"{entry["label"]}","color":"{entry["color"]}"' in alone


# --------------------------------------------------------------- who a year step draws
# tests/data/evolution by hand (see tests/test_evolution.py): up to 2011 the active people
# are ta, tb, fc (ties) and ff (a dataset alone); in 2012 only ta, tb, fc, fd; in 2013 only
# tb, te, fc, fd. Nobody else may be drawn in those steps.
_ACTIVE = {(None, 2011): {"ta", "tb", "fc", "ff"}, (2012, 2012): {"ta", "tb", "fc", "fd"},
           (2013, 2013): {"tb", "te", "fc", "fd"}, (2012, 2013): {"ta", "tb", "te", "fc", "fd"}}


def _ids(nodes: object) -> set[str]:
    return {str(n).rsplit("/", 1)[-1] for n in nodes}  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def evolution_kg() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [DATA, ROOT / "data" / "cmi.ttl"])
    return kg


def test_a_year_step_draws_only_the_actors_active_then(evolution_kg: KnowledgeGraph) -> None:
    steps = [{"projection": "people", "year": 2011},
             {"projection": "people", "years": [2012, 2012]},
             {"projection": "people", "years": [2013, 2013], "layout": "geo"},
             {"projection": "people", "years": [2012, 2013]}, {"projection": "people"}]
    story = story_from_dict({"title": "Who", "steps": steps})
    graphs = story_graphs(story, evolution_kg)
    assert [_ids(G) for G in graphs[:4]] == list(_ACTIVE.values())
    # Without years: everyone, with cmi.ttl's Mourad Ezzine, who is in no dated activity.
    assert _ids(graphs[4]) == {"ta", "tb", "te", "fc", "fd", "ff", "mourad-ezzine"}
    # ... and so do the maps: the step up to 2011, and the geo step its 4 people.
    views = story_views(story, graphs, "en")
    # (a network map draws the linked ones; Fanny Leclerc, alone, is counted, not drawn)
    assert {n["l"] for n in views[0]["nodes"]} == {"Amel Trabelsi", "Bilel Gharbi",
                                                    "Claire Morel"}
    drawn = {n["l"] for n in views[2]["nodes"] if (n.get("view") or {}).get("home")}
    assert drawn == {"Bilel Gharbi", "Emna Jaziri", "Claire Morel", "Denis Roux"}


def test_year_steps_count_what_trends_counts(evolution_kg: KnowledgeGraph) -> None:
    from graph.analysis import trends
    from graph.network import Filters, load_incidence, project

    data = load_incidence(evolution_kg)
    cumulative = trends(data).set_index("year")
    single = trends(data, window="year").set_index("year")
    up_to = project(data, "people", Filters(year_to=2011))
    assert len(up_to) == cumulative.loc[2011, "actors"] == 4
    for year in (2012, 2013):
        G = project(data, "people", Filters(year_from=year, year_to=year))
        assert len(G) == single.loc[year, "actors"] == single.loc[year, "people"] == 4
    # Organisations and countries: the same rule (Lyon's agency through ff alone in 2011).
    assert len(project(data, "organizations", Filters(year_to=2011))) == cumulative.loc[
        2011, "organizations"] == 2


def test_members_with_nothing_in_the_range_are_left_out() -> None:
    from graph.network import Filters, project
    from graph.network.incidence import Incidence, Item

    c = "https://w3id.org/copkg/id/community/urban-transport"
    d = Incidence(people={"p1", "p2", "p3"}, communities={c},
                  country={"p1": "TN", "p2": "FR", "p3": "MA"})
    d.members[c] = {"p1": 2010, "p2": 2010, "p3": 2018}  # p3 joined later, never active
    d.events["e1"] = Item("e1", "event", 2010, "session", communities={c}, actors={"p1", "p2"})
    d.events["e2"] = Item("e2", "event", 2019, "session", communities={c}, actors={"p3", "p1"})
    members = Filters(communities=(c,))
    assert sorted(project(d, "people", members)) == ["p1", "p2", "p3"]
    up_to = Filters(communities=(c,), year_to=2010)
    assert sorted(project(d, "people", up_to)) == ["p1", "p2"]
    assert project(d, "people", members).graph["active_years"] == {
        "p1": (2010, 2019), "p2": (2010,), "p3": (2019,)}


def test_example_story_steps_equal_trends_on_bundled_data(bundled_kg: KnowledgeGraph) -> None:
    from graph.analysis import trends
    from graph.network import Filters, load_incidence

    story = load_story(ROOT / "stories" / "urban-transport-growth.json")
    graphs = story_graphs(story, bundled_kg)
    data = load_incidence(bundled_kg)
    community = Filters(communities=("urban-transport",))
    by_year = trends(data, filters=community).set_index("year")
    for step, G in zip(story.steps, graphs, strict=True):
        if step.years is None:
            continue
        start, end = step.years
        if start is None:
            assert len(G) == by_year.loc[end, "actors"], (end, len(G))
        else:
            ranged = Filters(communities=("urban-transport",), year_from=start, year_to=end)
            assert len(G) == trends(data, filters=ranged)["actors"].iloc[-1]
    assert len(graphs[0]) == by_year.loc[2010, "actors"] == 12  # the QA case: not 201
    first = story_views(story, graphs, "en")[0]
    actors = [n for n in first["nodes"] if (n.get("view") or {}).get("home")]
    assert len(actors) == 12 and not any(re.search(r"\b201\b", note) for note in first["notes"])
