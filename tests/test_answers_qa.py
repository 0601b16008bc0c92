"""Answers QA found wrong after issue #9 landed, each with the exact message a person gets.

Closest matches (one function, a tight cut-off), counts and limits checked once, a path from
someone to themselves, years outside the data, gaps with filters, communities vs groups, plural
forms.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.cli import main
from graph.errors import NotFoundError
from graph.names import closest, match_name

TESTS = Path(__file__).parent
ROOT = TESTS.parent

THEMES = ["active-labour-market-policies", "employment-social-protection",
          "graduate-employability", "labour-market-information", "non-motorised-mobility",
          "public-transport", "quality-assurance", "road-safety", "social-protection-systems",
          "tertiary-education", "transport-finance", "tvet", "university-governance",
          "urban-mobility-planning", "urban-transport", "youth-employment"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- 7. closest matches: related suggestions only, one function everywhere ----------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("urban-mobility", ["urban-mobility-planning"]),  # not also graduate-employability (0.61)
    ("urban-transprt", ["urban-transport"]),  # not also public-transport (0.73)
    ("road-safty", ["road-safety"]),
    ("tvett", ["tvet"]),
    ("tertiary", ["tertiary-education"]),  # a part of the id
    ("labour-market", ["labour-market-information", "active-labour-market-policies"]),
    ("graduate", ["graduate-employability"]),
    ("social-protection", ["social-protection-systems", "employment-social-protection"]),
    ("mobility-urbaine", []),
    ("transprt", ["public-transport", "transport-finance", "urban-transport"]),  # a word
])
def test_closest_theme_ids(typed: str, expected: list[str]) -> None:
    assert closest(typed, THEMES) == expected


def test_closest_person_names(bundled_kg: object) -> None:
    from graph.network.cache import incidence

    data = incidence(bundled_kg)  # type: ignore[arg-type]
    people = sorted(data.label(p) for p in data.people)
    assert closest("Alessandro Rosi", people) == ["Alessandro Rossi"]
    assert closest("Samira Benani", people) == ["Samira Bennani"]
    assert closest("Mourad Ezine", people) == ["Mourad Ezzine"]
    assert closest("Elodie Faure", people) == ["Élodie Faure"]  # accents ignored
    assert closest("Zzyzx Qwerty", people) == []
    pairs = [(p, data.label(p)) for p in sorted(data.people)]
    with pytest.raises(NotFoundError) as info:
        match_name(pairs, "Benoit Girad", what="person")
    assert str(info.value).endswith("Closest matches: Benoît Girard (p0019).")


def test_validate_suggests_only_the_related_theme(
        tmp_path: Path, bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "sheets"
    shutil.copytree(TESTS / "data" / "ingest" / "valid", folder)
    rows = list(csv.reader((folder / "people.csv").open(encoding="utf-8")))
    rows[1][rows[0].index("expertise")] = "urban-mobility"
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, out, err = run(capsys, "validate", str(folder), "--store", str(bundled_store_dir))
    assert code == 1
    assert ('people.csv, row 2, column expertise: "urban-mobility" is not a theme id — '
            'did you mean "urban-mobility-planning"?') in out + err
    assert "graduate-employability" not in out + err


# --- counts and limits: one-line usage errors naming the option and its range ---------------

@pytest.mark.parametrize(("argv", "line"), [
    (["suggest", "-k", "0", "p0001"],
     "copkg suggest: argument -k: expected a whole number of at least 1, not 0 "
     "(copkg suggest --help lists the options)"),
    (["suggest", "-k", "-2", "p0001"],
     "copkg suggest: argument -k: expected a whole number of at least 1, not -2 "
     "(copkg suggest --help lists the options)"),
    (["metrics", "--top", "-3"],
     "copkg metrics: argument --top: expected a whole number of at least 1, not -3 "
     "(copkg metrics --help lists the options)"),
    (["gaps", "--thin", "-1"],
     "copkg gaps: argument --thin: expected a whole number of at least 0, not -1 "
     "(copkg gaps --help lists the options)"),
    (["brokers", "--top", "x"],
     "copkg brokers: argument --top: expected a whole number of at least 1, not x "
     "(copkg brokers --help lists the options)"),
    (["--lang", "fr", "ego", "p0001", "--radius", "0"],
     "copkg ego: argument --radius: un nombre entier d'au moins 1 est attendu, pas 0 "
     "(copkg ego --help liste les options)"),
])
def test_counts_out_of_range_are_one_line_usage_errors(
        argv: list[str], line: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == ""
    assert err == line + "\n"


def test_gaps_takes_the_filters_of_every_command(
        bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(bundled_store_dir)]
    code, out, err = run(capsys, "gaps", "--community", "urban-transport", "--country", "FR",
                         "--format", "csv", *store)
    assert code == 0, err
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["member_label"], r["people"], r["status"]) for r in rows] == [
        ("City of Marseille", "2", "thin"), ("Provence-Alpes-Côte d'Azur Region", "2", "thin")]
    assert {r["community"] for r in rows} == {
        "https://w3id.org/copkg/id/community/urban-transport"}
    # the same parser: a name that is no country is the same error as on `copkg metrics`
    code, _, err = run(capsys, "gaps", "--country", "Atlantis", *store)
    code2, _, err2 = run(capsys, "metrics", "--country", "Atlantis", *store)
    assert code == code2 == 1
    assert err.split(": ", 1)[1] == err2.split(": ", 1)[1]
    assert err.startswith("copkg gaps: No country is called 'Atlantis'.")
    # filters that leave no member say so (exit 0, one line on stderr)
    code, out, err = run(capsys, "gaps", "--country", "MA", "--org-type", "bank", *store)
    assert code == 0 and out == "(no rows)\n"
    assert err.splitlines()[-1] == ("The filters (countries: Morocco; types: Development bank) "
                                    "leave no platform member: try wider ones.")


# --- a path from someone to themselves; years outside the data ----------------------------

def test_path_from_a_person_to_themselves(
        bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "path", "p0001", "Elodie Faure", "--store",
                         str(bundled_store_dir))
    assert code == 1 and out == ""
    assert err == ("copkg path: Both names are the same actor: Élodie Faure. Choose two "
                   "different people or organisations to see how they are connected.\n")


def test_years_after_the_last_activity_say_so_with_the_data_range(
        bundled_store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(bundled_store_dir)]
    said = ("No product or event falls in the years asked (from 2030): the products and "
            "events of this knowledge graph run from 2010 to 2026.")
    for command in (["metrics"], ["ego", "p0001"], ["suggest", "p0001"], ["communities"]):
        code, out, err = run(capsys, *command, "--from", "2030", *store)
        assert (code, out, err) == (1, "", f"copkg {command[0]}: {said}\n")
    code, out, err = run(capsys, "map", "--projection", "people", "--from", "2030", "--out",
                         str(tmp_path / "map.html"), *store)
    assert (code, out, err) == (1, "", f"copkg map: {said}\n")
    assert not (tmp_path / "map.html").exists()
    code, out, err = run(capsys, "metrics", "--from", "2025", "--to", "2026", *store)
    assert code == 0 and "falls in the years" not in err
    # nobody is active then, whatever the kinds of tie (a network with years holds the
    # actors active in them)
    code, out, err = run(capsys, "metrics", "--from", "2030", "--ties", "all", *store)
    assert (code, out, err) == (1, "", f"copkg metrics: {said}\n")


# --- clusters are "cluster", communities of practice are "communities" ----------------------

def test_brokers_columns_name_communities_of_practice_or_countries(
        bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--store", str(bundled_store_dir)]
    _, out, _ = run(capsys, "brokers", "--top", "1", "--format", "csv", *store)
    assert out.splitlines()[0] == (
        "node,label,kind,country,own_communities,communities_reached,outside_communities,"
        "communities,degree,betweenness,constraint")
    _, out, _ = run(capsys, "brokers", "--by", "country", "--top", "1", "--format", "csv",
                    *store)
    assert out.splitlines()[0] == (
        "node,label,kind,country,own_countries,countries_reached,outside_countries,"
        "countries,degree,betweenness,constraint")


def test_communities_fold_singletons_as_the_app_does(
        bundled_kg: object, bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from graph.analysis import detect_communities, readable_groups
    from graph.network import build_projection

    code, out, _ = run(capsys, "communities", "--format", "csv", "--store",
                       str(bundled_store_dir))
    rows = list(csv.DictReader(out.splitlines()))
    # The CLI's cluster n is the app's "Group n" (one numbering, from 1 = the largest).
    assert code == 0 and [r["cluster"] for r in rows] == ["1", "2", "3", "not connected"]
    assert [int(r["size"]) for r in rows] == [122, 119, 108, 2]
    assert rows[-1]["members"] == "Mourad Ezzine; Samira Bennani"
    groups = readable_groups(detect_communities(build_projection(bundled_kg, "people")))  # type: ignore[arg-type]
    assert groups["Size"].tolist() == [122, 119, 108, 2]
    assert groups["Group"].tolist() == ["Group 1", "Group 2", "Group 3", "not connected"]


def test_rankings_csv_in_the_ranking_order_with_a_cluster_column(bundled_kg: object) -> None:
    from graph.analysis import measures, rank_order, readable_ranking
    from graph.network import build_projection

    table = measures(build_projection(bundled_kg, "people"))  # type: ignore[arg-type]
    assert "cluster" in table.columns and "community" not in table.columns
    for sort_by in ("degree", "constraint"):
        ordered = rank_order(table, sort_by)
        shown, _ = readable_ranking(table, sort_by)
        assert shown["Name"].tolist() == ordered["label"].tolist()
    assert rank_order(table, "degree")["label"].tolist()[:2] == ["Imen Ben Salah",
                                                                 "Samer Yousef"]


# --- the app says what it changed or could not find in a link -------------------------------

@pytest.fixture()
def app_page(bundled_store_dir: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COPKG_STORE", str(bundled_store_dir))
    monkeypatch.setenv("COPKG_READ_ONLY", "1")
    monkeypatch.delenv("COPKG_ENDPOINT", raising=False)

    def open_page(page: str, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(f"views/{page}.py")
        at.query_params.update(params)
        at.run()
        assert not at.exception, at.exception
        return at

    return open_page


def test_app_says_when_it_clamps_the_years_and_names_the_field(app_page) -> None:  # type: ignore[no-untyped-def]
    at = app_page("connection", a="nonexistent-xyz", b="Benoit Girad", **{"from": "2030"})
    warned = "\n".join(str(w.value) for w in at.warning).replace("\\", "")  # markdown escapes
    assert ("The link asks for the years from 2030; the products and events of this "
            "knowledge graph run from 2010 to 2026, so the years shown are 2026–2026.") in warned
    assert ("The link's `a` value “nonexistent-xyz” (for “From”) names no one in this view: "
            "Nothing is called 'nonexistent-xyz'. No name in this view is close to it: type a "
            "few letters of a name in “From” to choose one.") in warned
    assert "The link's `b` value “Benoit Girad” (for “To”) names no one in this view" in warned
    assert "Closest matches: Benoît Girard (p0019)" in warned


# --- counts said through the catalogue's plural forms (CLDR) ------------------------------

def test_erasure_record_counts_graphs_with_plural_forms() -> None:
    import pyoxigraph as ox

    from graph import KnowledgeGraph
    from graph.access import audit_log, forget

    kg = KnowledgeGraph.in_memory()
    person = ox.NamedNode("https://w3id.org/copkg/id/person/p9")
    kg.replace_graphs({"https://w3id.org/copkg/graph/people.csv": [
        ox.Triple(person, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                  ox.NamedNode("http://xmlns.com/foaf/0.1/Person")),
        ox.Triple(person, ox.NamedNode("http://xmlns.com/foaf/0.1/name"),
                  ox.Literal("Zeynep Kaya"))]})
    forget(kg, "Zeynep Kaya", who="os:test")
    what = audit_log(kg)["what"].tolist()
    assert what == ["erased one person: 2 statements in 1 graph (names: 1, other facts: 1)"]


def test_python_api_refuses_counts_below_one() -> None:
    import networkx as nx

    from graph.analysis import connection_paths, suggest_introductions
    from graph.errors import CopkgError

    G = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(G, "person", "kind")
    with pytest.raises(CopkgError) as info:
        suggest_introductions(G, "a", k=0)
    assert str(info.value) == "k must be a whole number of at least 1, not 0."
    with pytest.raises(CopkgError) as info:
        connection_paths(G, "a", "c", max_paths=-1)
    assert info.value.text("fr") == ("max_paths doit être un nombre entier d'au moins 1, "
                                     "pas -1.")


def test_a_cluster_has_one_number_in_the_cli_the_rankings_and_the_map_legend(
        bundled_kg: object, bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`copkg metrics` cluster n, the app's rankings "Group n" and a map coloured by cluster
    "Group n" are the same people (it was cluster 0 in the CLI, "Group 1" in the app and
    "Detected cluster 0" in the map's legend)."""
    from graph.analysis import measures, readable_ranking
    from graph.maps.html import map_view
    from graph.network import build_projection

    code, out, _ = run(capsys, "metrics", "--format", "csv", "--top", "400", "--store",
                       str(bundled_store_dir))
    rows = list(csv.DictReader(out.splitlines()))
    cli = {r["label"]: int(r["cluster"]) for r in rows}
    assert code == 0 and min(cli.values()) == 1 and len(set(cli.values())) >= 3
    G = build_projection(bundled_kg, "people")  # type: ignore[arg-type]
    table = measures(G, seed=42)
    shown, _ = readable_ranking(table, "degree")
    sizes = table["cluster"].value_counts()
    compared = 0
    for name, group in zip(shown["Name"], shown["Group"], strict=True):
        if name in cli and sizes[cli[name]] > 1:
            assert group == f"Group {cli[name]}", name
            compared += 1
    assert compared >= 300
    legend = map_view(G, title="t", color_by="cluster", measures=table).data["legend"]
    largest = next(e for e in legend if e["label"] == "Group 1")
    assert largest["count"] == int(sizes[1]) == max(sizes)
