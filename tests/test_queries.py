"""Saved queries: every one runs on the bundled data, is documented, and takes typed parameters
that stay data."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph
from graph.errors import NotFoundError, QueryError
from graph.queries import PARAM_TYPES, Param, SavedQuery, get_query, list_queries, run_saved

README = Path(__file__).parents[1] / "README.md"
QUERIES = list_queries()


def _columns(text: str) -> list[str]:
    """The projected variables of a SELECT, in order (aliases of expressions included)."""
    body = re.sub(r"(?m)^#.*$", "", text)
    clause = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\bWHERE\b", body, re.S | re.I)
    assert clause, "no SELECT ... WHERE"
    out, depth, i, s = [], 0, 0, clause.group(1)
    while i < len(s):
        c = s[i]
        if c == "(":
            depth += 1
            if depth == 1:
                end = _closing(s, i)
                alias = re.search(r"AS\s+\?(\w+)\s*$", s[i + 1 : end], re.I)
                assert alias, s[i + 1 : end]
                out.append(alias.group(1))
                i, depth = end + 1, 0
                continue
        elif c == "?" and depth == 0:
            m = re.match(r"\?(\w+)", s[i:])
            assert m
            out.append(m.group(1))
            i += m.end()
            continue
        i += 1
    return out


def _closing(s: str, start: int) -> int:
    depth = 0
    for j in range(start, len(s)):
        depth += {"(": 1, ")": -1}.get(s[j], 0)
        if depth == 0:
            return j
    raise AssertionError("unbalanced parentheses")


def test_there_are_at_least_15_saved_queries_with_headers() -> None:
    assert len(QUERIES) >= 15
    for q in QUERIES:
        assert q.title and q.description, q.name
        for p in q.params:
            assert p.type in PARAM_TYPES and p.description, (q.name, p)
            assert f"?{p.name}" in q.text, (q.name, p.name)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_saved_query_runs_on_bundled_data(bundled_kg: KnowledgeGraph, query: SavedQuery) -> None:
    df = run_saved(bundled_kg, query.name)
    assert list(df.columns) == _columns(query.text)
    assert len(df) >= 1, f"{query.name} returned no rows on the bundled data"
    if "illustrative" in df.columns:
        assert all(isinstance(v, bool) for v in df["illustrative"])
    assert "illustrative" in df.columns, "the UI marks illustrative rows from this column"


def test_every_saved_query_is_in_the_readme_and_every_listed_one_exists() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- section: analysts -->", 1)[1].split("<!-- /section -->", 1)[0]
    listed = set(re.findall(r"^\s*\|\s*`(\w+)`\s*\|", section, re.M))
    names = {q.name for q in QUERIES}
    assert names - listed == set(), "saved queries missing from the README analysts section"
    assert listed - names == set(), "README lists queries that do not exist"


def test_members_by_role_and_country_filters(bundled_kg: KnowledgeGraph) -> None:
    df = run_saved(bundled_kg, "members_by_role_and_country",
                   {"role": "cop:ObserverRole", "country": "BE"})
    assert list(df["member_label"]) == ["European External Action Service"]
    assert not df["illustrative"].any()  # a sourced fact, not illustrative


def test_labels_follow_the_asked_language(bundled_kg: KnowledgeGraph) -> None:
    df = run_saved(bundled_kg, "members_by_role_and_country", {"country": "EG", "lang": "fr",
                                                                "role": "cop:MemberRole"})
    assert "Égypte" in set(df["member_label"])
    # No Arabic label for the PACA region: falls back to English.
    ar = run_saved(bundled_kg, "members_by_role_and_country", {"lang": "ar"})
    assert "Provence-Alpes-Côte d'Azur Region" in set(ar["member_label"])


def test_labels_follow_the_asked_language_also_for_optional_resources(
    bundled_kg: KnowledgeGraph,
) -> None:
    # The organisation of a person is optional: its label must still follow `lang`.
    fr = run_saved(bundled_kg, "person_profile", {"person": "p0050", "lang": "fr"})
    assert fr["organization_label"].iloc[0].startswith("Agence nationale pour l'emploi")
    en = run_saved(bundled_kg, "person_profile", {"person": "p0050"})
    assert en["organization_label"].iloc[0].startswith("National Employment and Skills Agency")
    experts = run_saved(bundled_kg, "experts_of_community", {"lang": "fr"})
    assert "Autorité organisatrice de la mobilité du Caire (illustrative)" in set(
        experts["organization_label"])
    products = run_saved(bundled_kg, "products_per_community_year", {"lang": "fr"})
    assert "Communauté de pratique sur l'emploi et la protection sociale" in set(
        products["community_label"])
    assert products["community_label"].isna().any()  # products outside any community


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_saved_queries_avoid_what_virtuoso_miscompiles(query: SavedQuery) -> None:
    """Constructs Virtuoso 7.2 rejects or answers wrongly (README, engine notes)."""
    body = re.sub(r"(?m)^#.*$", "", query.text)
    assert not re.search(r"BIND\s*\(\s*EXISTS", body, re.I), "BIND(EXISTS ...): SQ156 on Virtuoso"
    assert not re.search(r"COALESCE\s*\(\s*(MIN|MAX|SAMPLE|SUM|COUNT|GROUP_CONCAT)\s*\(",
                         body, re.I), "COALESCE around an aggregate: SQ156 on Virtuoso"


def test_iri_parameters_take_bare_ids_prefixed_names_and_full_iris(
    bundled_kg: KnowledgeGraph,
) -> None:
    a = run_saved(bundled_kg, "experts_of_community", {"community": "employment"})
    b = run_saved(bundled_kg, "experts_of_community", {"community": "id:community/employment"})
    c = run_saved(bundled_kg, "experts_of_community",
                  {"community": "https://w3id.org/copkg/id/community/employment"})
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    assert not a.equals(run_saved(bundled_kg, "experts_of_community"))


def test_absent_members_reads_own_membership_apart_from_people(
    bundled_kg: KnowledgeGraph,
) -> None:
    df = run_saved(bundled_kg, "absent_members")
    members = set(run_saved(bundled_kg, "members_by_role_and_country",
                            {"role": "cop:MemberRole"})["member"])
    assert set(df["member"]) == members  # every member, with both readings
    present = bundled_kg.query(
        "SELECT ?m WHERE { ?x org:organization ?c ; org:member ?m }",
        {"c": ox.NamedNode("https://w3id.org/copkg/id/community/urban-transport")},
    )
    itself = set(df.loc[df["member_itself"].astype(bool), "member"])
    assert itself == members & set(present["m"])


@pytest.mark.parametrize(
    ("query", "params", "words"),
    [
        ("bridging_experts", {"min_communities": "two"}, ["min_communities", "whole number"]),
        ("products_per_community_year", {"year_from": "15"}, ["year_from", "four-digit year"]),
        ("experts_of_community", {"community": "nope:x"}, ["community", "prefix"]),
        ("experts_of_community", {"community": "http://x/a b"}, ["community", "iri"]),
        ("experts_of_community", {"comunity": "employment"}, ["comunity", "community"]),
        ("bridging_experts", {"min_communities": "2.5"}, ["min_communities", "integer"]),
    ],
)
def test_bad_parameters_are_errors_naming_the_parameter_and_type(
    bundled_kg: KnowledgeGraph, query: str, params: dict[str, str], words: list[str]
) -> None:
    with pytest.raises(QueryError) as err:
        run_saved(bundled_kg, query, params)
    for word in words:
        assert word in str(err.value)


def test_parameter_types_convert() -> None:
    assert Param("x", "decimal", "1").convert("2.50") == ox.Literal(
        "2.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    assert Param("x", "boolean", "true").convert("No") is False
    assert str(Param("x", "date", "2020-01-01").convert("2021-02-03")) == "2021-02-03"
    assert Param("x", "integer", "*").convert("*") is None
    with pytest.raises(QueryError, match="'x'.*date"):
        Param("x", "date", "2020-01-01").convert("03/02/2021")


def test_unknown_query_suggests_close_names() -> None:
    with pytest.raises(NotFoundError) as err:
        get_query("coauthor")
    assert "coauthors" in err.value.suggestions


@pytest.mark.parametrize(
    "evil",
    [
        'EG" } } DROP ALL ; SELECT * WHERE { { "',
        "EG'} DROP ALL #",
        'EG"\n} INSERT DATA { <x:a> <x:b> <x:c> } #',
        "EG\\",
    ],
)
def test_parameter_values_cannot_inject_sparql(tmp_path: Path, evil: str) -> None:
    kg = KnowledgeGraph.open(tmp_path / "store")
    before = len(kg.dump(ox.RdfFormat.N_QUADS))
    df = run_saved(kg, "members_by_role_and_country", {"lang": evil})
    assert df.empty
    # A country is read among the data's countries first: such a value names none.
    with pytest.raises(NotFoundError, match="No country is called"):
        run_saved(kg, "members_by_role_and_country", {"country": evil})
    assert len(kg.dump(ox.RdfFormat.N_QUADS)) == before
    kg.close()


def test_iri_parameters_cannot_inject_sparql(bundled_kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="community"):
        run_saved(bundled_kg, "experts_of_community",
                  {"community": "http://x/a> } DROP ALL #"})


@pytest.mark.parametrize("country", ["TN", "tn", "Tunisia", "Tunisie", "TUNISIE", "تونس"])
def test_a_country_parameter_reads_names_as_country_does(
    bundled_kg: KnowledgeGraph, country: str,
) -> None:
    """QA: `-p country=Tunisie` (or Tunisia, tn) found no row and blamed the data; only TN
    worked. A `country` parameter resolves as `--country` does (graph.network.resolve_country)."""
    df = run_saved(bundled_kg, "experts_of_community",
                   {"community": "employment", "country": country})
    assert len(df) == 27 and set(df["country"]) == {"TN"}
    assert "empty_reason" not in df.attrs
    members = run_saved(bundled_kg, "members_by_role_and_country",
                        {"country": {"TN": "eg", "tn": "Égypte"}.get(country, "Egypt")})
    assert set(members["country"]) == {"EG"}


def test_a_country_parameter_that_names_no_country_says_so(
    bundled_kg: KnowledgeGraph, capsys: pytest.CaptureFixture[str],
) -> None:
    """A value naming none of the data's countries is an error listing them (never an empty
    answer blaming the data); a country read but without rows is named, not coded."""
    with pytest.raises(NotFoundError) as info:
        run_saved(bundled_kg, "experts_of_community", {"community": "employment",
                                                       "country": "Tunisi"})
    assert str(info.value) == ("No country is called 'Tunisi'. Closest matches: Tunisia (TN).")
    with pytest.raises(NotFoundError) as info:
        run_saved(bundled_kg, "experts_of_community", {"country": "Japan"})
    assert str(info.value).startswith("No country is called 'Japan'. Choose among: Belgium "
                                      "(BE); Egypt (EG);")
    df = run_saved(bundled_kg, "experts_of_community",
                   {"community": "employment", "country": "germany"})
    assert df.attrs["empty_reason"] == (
        "Nothing for Community of Practice on Employment and Social Protection (country "
        "Germany): the name is in the data, but no row matches; try other values.")
    df = run_saved(bundled_kg, "experts_of_community",
                   {"community": "employment", "country": "allemagne", "lang": "fr"})
    assert "(pays Allemagne)" in df.attrs["empty_reason"]
