"""Trends and integration on hand-built data (tests/data/evolution): two countries, three years.

Worked out by hand from the sheets (people's countries: ta, tb, te TN; fc, fd, ff FR):

- 2011: k0 (ff alone), k1 (ta, fc), e1 session (ta, tb) → people {ta, tb, fc, ff}; ties ta–fc
  (cross-border), ta–tb; actors 4, density 2/6, largest component {ta, tb, fc} = 3/4.
- 2012: k2 (ta, tb), e2 workshop in FR (ta, fc speaker, fd organiser) → people {ta, tb, fc,
  fd}; new ties ta–fd (cross), fc–fd; actors 5, ties 4, density 4/10, component 4/5.
- 2013: k3 (fc, fd, te), e3 study tour in TN (fc, fd, te organiser), e4 conference in FR
  (tb, te) → people {tb, te, fc, fd}; new ties fc–te, fd–te (cross), tb–te; actors 6, ties 7,
  density 7/15, component 5/6; cross-border 4 of 7, of the new ones 2 of 3.
- Tunisia is south (a member government outside the EU in data/cmi.ttl), France north: every
  cross-border tie is north–south.
"""

from __future__ import annotations

import json
import math
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

from graph import KnowledgeGraph
from graph.analysis import (
    country_matrix,
    event_roles,
    evolution,
    learns_from,
    program_start,
    regions,
    trends,
)
from graph.cli import main
from graph.errors import CopkgError
from graph.ingest import import_paths
from graph.network import Filters, load_incidence
from graph.queries import run_saved

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "evolution"

#: (year, people, organisations, products, events, videoconference, face to face,
#:  actors, ties, new ties, density, largest component, cross-border, new cross-border)
EXPECTED = [
    (2011, 4, 2, 2, 1, 1, 0, 4, 2, 2, 2 / 6, 3 / 4, 1 / 2, 1 / 2),
    (2012, 4, 2, 1, 1, 0, 1, 5, 4, 2, 4 / 10, 4 / 5, 2 / 4, 1 / 2),
    (2013, 4, 2, 1, 2, 0, 2, 6, 7, 3, 7 / 15, 5 / 6, 4 / 7, 2 / 3),
]
COLUMNS = ("year", "people", "organizations", "products", "events", "events_videoconference",
           "events_face_to_face", "actors", "ties", "new_ties", "density",
           "largest_component_share", "cross_border_share", "new_cross_border_share")
MATRIX = [("FR", "FR", "domestic", 1, 1, 2), ("FR", "TN", "north-south", 4, 2, 2),
          ("TN", "TN", "domestic", 2, 1, 2)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("evolution") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [DATA, ROOT / "data" / "cmi.ttl"])
    kg.close()
    return str(path)


@pytest.fixture(scope="module")
def kg(store: str) -> KnowledgeGraph:
    graph = KnowledgeGraph.open(store, read_only=True)
    yield graph
    graph.close()


def _same(rows: list[tuple[object, ...]], expected: list[tuple[object, ...]]) -> bool:
    """Row by row, numbers to 1e-9 (pytest.approx does not look inside nested tuples)."""
    return len(rows) == len(expected) and all(
        tuple(row) == pytest.approx(tuple(want), rel=1e-9) for row, want in zip(
            rows, expected, strict=True))


def _rows(df: pd.DataFrame, columns: tuple[str, ...] = COLUMNS) -> list[tuple[object, ...]]:
    return [tuple(row) for row in df[list(columns)].itertuples(index=False)]


def test_trends_known_answers(kg: KnowledgeGraph) -> None:
    df = trends(load_incidence(kg), "people", regions=regions(kg))
    assert _same(_rows(df), EXPECTED)
    assert df["countries"].tolist() == [2, 2, 2]
    # Every cross-border tie links Tunisia (south) and France (north).
    assert df["north_south_share"].tolist() == [1.0, 1.0, 1.0]
    assert df["south_south_share"].tolist() == [0.0, 0.0, 0.0]
    assert df.attrs["undated_ties"] == 0 and df.attrs["illustrative_items"] == 0


def test_trends_per_year_window(kg: KnowledgeGraph) -> None:
    df = trends(load_incidence(kg), "people", regions=regions(kg), window="year")
    # 2012: ta, tb, fc, fd; ties ta–tb (k2), ta–fc, ta–fd, fc–fd (e2). 2013: tb, te, fc, fd;
    # ties fc–fd, fc–te, fd–te, tb–te.
    assert _rows(df, ("year", "actors", "ties", "new_ties", "density",
                      "largest_component_share", "cross_border_share")) == [
        (2011, 4, 2, 2, pytest.approx(2 / 6), 3 / 4, 1 / 2),
        (2012, 4, 4, 2, pytest.approx(4 / 6), 1.0, 2 / 4),
        (2013, 4, 4, 3, pytest.approx(4 / 6), 1.0, 2 / 4),
    ]


def test_each_year_equals_a_projection_built_for_it(kg: KnowledgeGraph) -> None:
    """The slices are the same ties as a projection filtered to the years up to it."""
    from graph.network import project

    data = load_incidence(kg)
    for name in ("people", "organizations", "countries"):
        df = trends(data, name)
        for year, ties in zip(df["year"], df["ties"], strict=True):
            assert project(data, name, Filters(year_to=year)).number_of_edges() == ties
    assert df["ties"].tolist() == [1, 1, 1]  # Tunisia–France from the first year


def test_filters_apply(kg: KnowledgeGraph) -> None:
    data = load_incidence(kg)
    only_products = trends(data, "people", Filters(ties=("coauthorship",)))
    # ties from products only: ta–fc (2011), ta–tb (2012), fc–fd, fc–te, fd–te (2013)
    assert only_products["new_ties"].tolist() == [1, 1, 3]
    from_2012 = trends(data, "people", Filters(year_from=2012))
    assert from_2012["year"].tolist() == [2012, 2013]
    assert from_2012["ties"].tolist() == [4, 7]
    tunisia = trends(data, "people", Filters(countries=("TN",)))
    assert tunisia["people"].tolist() == [2, 2, 2]
    assert math.isnan(tunisia["north_south_share"].iloc[0])  # no cross-border tie at all


def test_two_mode_projection_is_refused(kg: KnowledgeGraph) -> None:
    with pytest.raises(CopkgError, match="not a network of actors"):
        trends(load_incidence(kg), "person-event")
    with pytest.raises(CopkgError, match="Unknown window"):
        trends(load_incidence(kg), window="decade")


def test_country_matrix_and_regions(kg: KnowledgeGraph) -> None:
    ev = evolution(kg)
    assert _rows(ev.matrix, ("country_a", "country_b", "pair", "ties", "shared_products",
                             "shared_events")) == MATRIX
    table = ev.regions_table.set_index("pair")
    assert table.loc["north-south", "ties"] == 4
    assert table.loc["north-south", "share_of_cross_border_ties"] == 1.0
    assert table.loc["domestic", "ties"] == 3
    assert table.loc["south-south", "ties"] == 0
    countries = country_matrix(load_incidence(kg), "countries")
    assert _rows(countries, ("country_a", "country_b", "ties", "shared_products",
                             "shared_events")) == [("FR", "TN", 1, 2, 2)]


def test_regions_and_program_start_come_from_the_store(kg: KnowledgeGraph) -> None:
    r = regions(kg)
    assert r.south == {"EG", "JO", "LB", "MA", "PS", "TN"}  # the member list of cmi.ttl
    assert r.of("FR") == "north" and r.of("US") == "other"
    assert program_start(kg) == 2010
    assert program_start(KnowledgeGraph.in_memory()) is None


def test_learns_from(kg: KnowledgeGraph) -> None:
    table = learns_from(load_incidence(kg), event_roles(kg), top=None)
    # TN learns from FR at e2 (held in Lyon, fc spoke, fd organised) and e4 (held in
    # Marseille); FR learns from TN at e3 (held in Tunis, organised by te: organising is not
    # presenting, so e3 is hosted, not presented).
    assert _rows(table, ("country", "rank", "learns_from", "events", "hosted", "presented")) == [
        ("FR", 1, "TN", 1, 1, 0), ("TN", 1, "FR", 2, 2, 1)]


def test_saved_queries_give_the_same_numbers(kg: KnowledgeGraph) -> None:
    activity = run_saved(kg, "activity_per_year")
    assert _rows(activity, ("year", "people", "products", "events", "events_videoconference",
                            "events_face_to_face")) == [row[:2] + row[3:7] for row in EXPECTED]
    pairs = run_saved(kg, "country_collaboration")
    assert _rows(pairs, ("country_a", "country_b", "ties", "shared_products",
                         "shared_events")) == [row[:2] + row[3:] for row in MATRIX]
    assert _rows(run_saved(kg, "country_collaboration", {"year_to": "2012"}),
                 ("country_a", "country_b", "ties")) == [("FR", "FR", 1), ("FR", "TN", 2),
                                                         ("TN", "TN", 1)]
    learning = run_saved(kg, "learns_from")
    assert _rows(learning, ("country", "learns_from", "events", "hosted", "presented")) == [
        ("FR", "TN", 1, 1, 0), ("TN", "FR", 2, 2, 1)]


def test_saved_queries_equal_python_on_bundled_data(bundled_kg: KnowledgeGraph) -> None:
    ev = evolution(bundled_kg, top=None)
    columns = ("country_a", "country_b", "ties", "shared_products", "shared_events")
    assert _rows(run_saved(bundled_kg, "country_collaboration"), columns) == _rows(
        ev.matrix, columns)
    columns = ("country", "learns_from", "events", "hosted", "presented")
    assert sorted(_rows(run_saved(bundled_kg, "learns_from"), columns)) == sorted(
        _rows(ev.learning, columns))
    columns = ("year", "people", "products", "events", "events_videoconference",
               "events_face_to_face")
    assert _rows(run_saved(bundled_kg, "activity_per_year"), columns) == _rows(
        ev.trends, columns)
    assert ev.illustrative and ev.program_start == 2010


def _learning_from_the_sheets() -> list[tuple[str, str, int, int, int]]:
    """Who learns from whom worked out from the bundled CSVs alone (the oracle): a learner is
    a participant who did not organise the event; B teaches at an event held in B (hosted) or
    where a person or organisation of B spoke or facilitated (presented)."""
    sheets = ROOT / "data" / "illustrative"
    read = {name: pd.read_csv(sheets / f"{name}.csv", keep_default_na=False, dtype=str)
            for name in ("people", "organizations", "events", "participation")}
    country = dict(zip(read["organizations"]["id"], read["organizations"]["country"],
                       strict=True))
    country |= {"cmi": "FR", "eib": "LU", "world-bank-group": "US", "afd": "FR", "giz": "DE",
                "codatu": "FR"}  # the sourced partners of data/cmi.ttl that organise events
    country |= dict(zip(read["people"]["id"], read["people"]["country"], strict=True))
    host = dict(zip(read["events"]["id"], read["events"]["country"], strict=True))
    learners: dict[str, set[str]] = {}
    speakers: dict[str, set[str]] = {}
    for event, actor, role in read["participation"][["event", "participant", "role"]].values:
        if role != "organizer":
            learners.setdefault(event, set()).add(country[actor])
        if role in ("speaker", "facilitator"):
            speakers.setdefault(event, set()).add(country[actor])
    events: dict[tuple[str, str], set[str]] = {}
    hosted: dict[tuple[str, str], set[str]] = {}
    presented: dict[tuple[str, str], set[str]] = {}
    for event, countries in learners.items():
        for a in countries:
            if host[event] and host[event] != a:
                hosted.setdefault((a, host[event]), set()).add(event)
                events.setdefault((a, host[event]), set()).add(event)
            for b in speakers.get(event, set()) - {a}:
                presented.setdefault((a, b), set()).add(event)
                events.setdefault((a, b), set()).add(event)
    return sorted((a, b, len(evs), len(hosted.get((a, b), ())), len(presented.get((a, b), ())))
                  for (a, b), evs in events.items())


def test_learning_on_bundled_data_is_who_spoke_where_people_attended(
        bundled_kg: KnowledgeGraph) -> None:
    """The CMI (France) organises all 150 bundled events: counted as teaching, it made France
    every country's first source (Egypt 125 events, Tunisia 134) and ``presented`` always
    equal ``events``. Organising is not teaching: the answer is the one worked out from the
    sheets, and the sources are the countries whose people spoke where others listened."""
    roles = event_roles(bundled_kg)
    assert sum("id/org/cmi" in org for orgs in roles.organising.values() for org in orgs) == 150
    ev = evolution(bundled_kg, top=None)
    columns = ("country", "learns_from", "events", "hosted", "presented")
    assert sorted(_rows(ev.learning, columns)) == _learning_from_the_sheets()
    table = ev.learning.set_index(["country", "learns_from"])
    assert table.loc[("EG", "FR"), "events"] == 48 and table.loc[("TN", "FR"), "events"] == 53
    assert (ev.learning["presented"] < ev.learning["events"]).any()
    first = ev.learning[ev.learning["rank"] == 1].set_index("country")["learns_from"]
    assert first.to_dict() == {
        "BE": "IT", "DE": "FR", "EG": "FR", "FR": "IT", "GR": "IT", "IT": "MA", "JO": "FR",
        "LB": "IT", "LU": "FR", "MA": "FR", "PS": "FR", "TN": "FR", "US": "FR"}


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_trends_json_and_csv(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, "trends", "--store", store, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    # JSON numbers carry pandas' 10 significant digits (#9 makes exports full precision).
    assert all(tuple(r[c] for c in COLUMNS) == pytest.approx(want, rel=1e-9, abs=1e-9)
               for r, want in zip(rows, EXPECTED, strict=True)) and len(rows) == 3
    assert "Sessions are held by videoconference" in err and "(EG, JO, LB, MA, PS, TN)" in err
    assert "Illustrative" not in err
    code, out, _ = _cli(capsys, "trends", "--store", store, "--format", "csv", "--window",
                        "year", "--ties", "coauthorship")
    df = pd.read_csv(StringIO(out))
    assert df["ties"].tolist() == [1, 1, 3]
    assert df["density"].iloc[0] == pytest.approx(1 / 3)  # 2011: ff, ta, fc; one tie


def test_cli_integration(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, "integration", "--store", store, "--format", "csv")
    assert code == 0 and "with at least two of its actors" in err
    df = pd.read_csv(StringIO(out), keep_default_na=False)
    assert _rows(df, ("country_a", "country_b", "pair", "ties", "shared_products",
                      "shared_events")) == MATRIX
    code, out, _ = _cli(capsys, "integration", "--store", store, "--what", "learning",
                        "--format", "json")
    assert [(r["country"], r["learns_from"], r["events"]) for r in json.loads(out)] == [
        ("FR", "TN", 1), ("TN", "FR", 2)]
    code, out, _ = _cli(capsys, "integration", "--store", store, "--what", "years",
                        "--format", "json")
    assert [r["cross_border_share"] for r in json.loads(out)] == pytest.approx([0.5, 0.5, 4 / 7])
    code, out, _ = _cli(capsys, "integration", "--store", store, "--what", "regions")
    assert "north-south" in out


def test_cli_errors_are_one_line(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(capsys, "trends", "--store", store, "--community", "transprt")
    assert code == 1
    assert err.strip() == ("copkg trends: No community is called 'transprt'. Closest matches: "
                           "Community of Practice for Sustainable Urban Transport in the "
                           "Mediterranean Region (urban-transport).")
    with pytest.raises(SystemExit) as exit_info:  # only networks of actors have trends
        main(["trends", "--store", store, "--projection", "person-event"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize("fmt", ["png", "html"])
def test_cli_geo_year_says_what_it_drew(store: str, tmp_path: Path, fmt: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Up to 2011 the map holds Tunisia and France and the 4 people active then (not te, fd,
    nor cmi.ttl's Mourad Ezzine, in no dated activity), and one arc (ta–fc; ta–tb stays
    inside Tunisia): the command says the picture's numbers, in the right plural."""
    out = tmp_path / f"m.{fmt}"
    code, said, err = _cli(capsys, "map", "--store", store, "--projection", "people",
                           "--layout", "geo", "--year", "2011", "--out", str(out))
    assert code == 0, err
    assert said.strip() == f"{out} (4 people in 2 countries, 1 link)"
    if fmt == "html":  # the page holds every year; the one never active is never shown
        page = out.read_text(encoding="utf-8")
        assert page.count('"idle":true') == 1 and "Mourad Ezzine" in page
