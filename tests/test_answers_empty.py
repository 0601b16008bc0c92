"""Empty answers say why (issue #9, item 2): saved queries and network answers with no rows give
one line saying why — on stderr in the CLI (exit 0), in ``df.attrs["empty_reason"]`` in the
Python API, on the app's saved-query form — in English, French and Arabic."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph
from graph.analysis import brokers, coverage, detect_communities, gaps, measures
from graph.cli import main
from graph.network import build_projection, empty_reason, parse_filters
from graph.queries import run_saved
from graph.queries.empty import required_classes, why_empty
from graph.vocab import ID

STORE_EMPTY = ("The knowledge graph holds no data yet: import spreadsheets or RDF files first "
               "(copkg import, or the Data page).")
EZZINE = ("Nothing for Mourad Ezzine in this query: the name is in the data, but no row "
          "matches it.")
TRANSPORT = "Community of Practice for Sustainable Urban Transport in the Mediterranean Region"


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store that exists but holds nothing but the ontology (no bundled data)."""
    path = tmp_path_factory.mktemp("empty") / "store"
    KnowledgeGraph.open(path).close()
    return str(path)


def _graph(turtle: str) -> KnowledgeGraph:
    """An in-memory graph holding the ontology and ``turtle`` (prefixes cop:, org:, foaf:,
    schema:, and person:, orgid:, community:, event:, membership: for copkg ids)."""
    kg = KnowledgeGraph.in_memory()
    prefixes = ("@prefix cop: <https://w3id.org/copkg/ontology#> . "
                "@prefix org: <http://www.w3.org/ns/org#> . "
                "@prefix foaf: <http://xmlns.com/foaf/0.1/> . "
                "@prefix schema: <https://schema.org/> . "
                + " ".join(f"@prefix {k}: <{ID}{k}/> ." for k in (
                    "person", "community", "event", "membership"))
                + f" @prefix orgid: <{ID}org/> .")
    triples = [q.triple for q in ox.parse(prefixes + turtle, format=ox.RdfFormat.TURTLE)]
    kg.replace_graphs({f"{ID}graph/test": triples})
    return kg


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----------------------------------------------------------------------------- saved queries
def test_a_resource_with_no_such_data_says_so_in_the_cli(
        bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "query", "coauthors", "--store", str(bundled_store_dir),
                          "--param", "person=Mourad Ezzine")
    assert (code, out, err) == (0, "(no rows)\n", EZZINE + "\n")
    code, out, err = _run(capsys, "query", "coauthors", "--store", str(bundled_store_dir),
                          "-p", "person=Mourad Ezzine", "--format", "csv", "--lang", "fr")
    assert code == 0 and out.startswith("author,author_label,coauthor,") and len(
        out.splitlines()) == 1
    assert err == ("Rien pour Mourad Ezzine dans cette requête : le nom figure dans les "
                   "données, mais aucune ligne ne lui correspond.\n")
    code, out, err = _run(capsys, "query", "coauthors", "--store", str(bundled_store_dir),
                          "-p", "person=Mourad Ezzine", "--format", "json", "--lang", "ar")
    assert (code, out) == (0, "[]")
    assert err == ("لا شيء لـMourad Ezzine في هذا الاستعلام: الاسم موجود في البيانات، "
                   "لكن لا يطابقه أي صف.\n")


def test_values_that_leave_nothing_are_named(bundled_kg: KnowledgeGraph) -> None:
    df = run_saved(bundled_kg, "knowledge_products", {"year_from": "2030"})
    assert df.empty
    assert df.attrs["empty_reason"] == (
        f"Nothing for {TRANSPORT} (from year 2030): the name is in the data, but no row "
        "matches; try other values.")
    df = run_saved(bundled_kg, "knowledge_products",
                   {"year_from": "2030", "year_to": "2031", "lang": "fr"})
    assert df.attrs["empty_reason"] == (
        "Rien pour Communauté de pratique pour le transport urbain durable en Méditerranée "
        "(à partir de l'année 2030 ; jusqu'à l'année 2031) : le nom figure dans les données, "
        "mais aucune ligne ne correspond ; essayez d'autres valeurs.")
    # Values only (no resource named): the values are the reason.
    df = run_saved(bundled_kg, "bridging_experts", {"min_communities": "40"}, language="en")
    assert df.attrs["empty_reason"] == (
        "Nothing matches these values (at least this many communities 40): try other values.")
    # A table with rows has no reason.
    assert "empty_reason" not in run_saved(bundled_kg, "coauthors").attrs


def test_an_empty_store_and_a_store_without_such_resources(empty_store: str,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    code, out, err = _run(capsys, "query", "knowledge_products", "--store", empty_store)
    assert (code, out, err) == (0, "(no rows)\n", STORE_EMPTY + "\n")
    people_only = _graph('person:p1 a foaf:Person ; foaf:name "Amel" .')
    df = run_saved(people_only, "most_prolific_authors")
    assert df.attrs["empty_reason"] == (
        "The knowledge graph has no knowledge products yet: import them first (copkg import, "
        "or the Data page).")
    assert run_saved(people_only, "most_prolific_authors", {"lang": "ar"}).attrs[
        "empty_reason"] == ("لا يحتوي الرسم البياني المعرفي بعدُ على: المنتجات المعرفية. "
                            "استوردها أولاً (copkg import أو صفحة البيانات).")
    # A default resource this store does not have (the bundled p0019) is named.
    assert run_saved(people_only, "person_profile").attrs["empty_reason"] == (
        "The default Person (id:person/p0019) is not in this knowledge graph: choose another one.")


def test_required_classes_leave_optional_parts_out() -> None:
    assert required_classes(
        "SELECT ?p WHERE { ?p a foaf:Person . OPTIONAL { ?p a cop:Event } "
        "{ ?p a cop:Toolkit } UNION { ?p a cop:Report } MINUS { ?p a cop:Session } }"
    ) == ("http://xmlns.com/foaf/0.1/Person",)
    text = "SELECT ?x WHERE { ?x a cop:KnowledgeProduct }"
    assert why_empty(_graph('person:p1 a foaf:Person .'), text, language="fr") == (
        "Il manque encore au graphe de connaissances : produits de connaissance. Importez-les "
        "d'abord (copkg import, ou la page Données).")


def test_the_app_saved_query_form_says_why(bundled_store_dir: Path) -> None:
    import os

    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parents[1] / "app.py")
    saved = {k: os.environ.get(k) for k in ("COPKG_STORE", "COPKG_READ_ONLY")}
    os.environ.update(COPKG_STORE=str(bundled_store_dir), COPKG_READ_ONLY="1")
    try:
        for lang, expected in (("en", EZZINE), (
                "fr", "Rien pour Mourad Ezzine dans cette requête : le nom figure dans les "
                      "données, mais aucune ligne ne lui correspond.")):
            at = AppTest.from_file(app, default_timeout=60)
            at.query_params.update(lang=lang)
            at.run()
            at.switch_page("views/sparql.py")
            at.query_params.clear()
            at.query_params.update({"q": "coauthors", "p.person": "Mourad Ezzine",
                                    "lang": lang})
            at.run()
            assert not at.exception, at.exception
            shown = [str(e.value).replace("\\", "").strip("\u2068\u2069") for e in at.info]
            assert expected in shown
            assert not at.dataframe  # no empty grid, the reason instead
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# ----------------------------------------------------------------------------- networks
def test_filters_that_leave_no_one_are_named(bundled_store_dir: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "metrics", "--store", str(bundled_store_dir),
                          "--community", "employment", "--country", "TN,MA",
                          "--org-type", "bank", "--format", "csv")
    assert code == 0 and out.startswith("node,label,kind,") and len(out.splitlines()) == 1
    assert err == (
        "The filters (communities: Community of Practice on Employment and Social Protection; "
        "countries: Tunisia and Morocco; types: Development bank) leave nothing in this network "
        "(People): try wider ones.\n")
    code, out, err = _run(capsys, "communities", "--store", str(bundled_store_dir),
                          "--projection", "person-product", "--from", "2030", "--to", "2031",
                          "--lang", "fr")
    # Years that hold no dated product or event at all: an error naming the data's years.
    assert (code, out) == (1, "")
    assert err == ("copkg communities: Aucun produit ni événement ne tombe dans les années "
                   "demandées (années 2030–2031) : les produits et événements de ce graphe de "
                   "connaissances vont de 2010 à 2026.\n")


def test_no_data_and_no_ties(empty_store: str, bundled_kg: KnowledgeGraph,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "metrics", "--store", empty_store)
    assert (code, out, err) == (0, "(no rows)\n", STORE_EMPTY + "\n")
    code, out, err = _run(capsys, "brokers", "--store", empty_store, "--lang", "ar")
    assert err == ("لا يحتوي الرسم البياني المعرفي على أي بيانات بعد: استورد أولاً جداول "
                   "بيانات أو ملفات RDF (copkg import أو صفحة البيانات).\n")
    # People but no event: the people × events network says what is missing.
    people_only = _graph('person:p1 a foaf:Person ; foaf:name "Amel" .')
    G = build_projection(people_only, "person-event")
    assert empty_reason(G) == ("The knowledge graph has no events yet: import them first "
                               "(copkg import, or the Data page).")
    assert measures(G).attrs["empty_reason"] == empty_reason(G)
    assert detect_communities(G, language="fr").attrs["empty_reason"] == (
        "Il manque encore au graphe de connaissances : événements. Importez-les d'abord "
        "(copkg import, ou la page Données).")
    # Tunisians from 2030: nobody active then (a projection with years holds the actors
    # active in them, as trends counts them), and no product or event at all in those years.
    G = build_projection(bundled_kg, "people", parse_filters(countries="TN", year_from=2030))
    assert G.number_of_nodes() == 0
    assert empty_reason(G) == ("No product or event falls in the years asked (from 2030): the "
                               "products and events of this knowledge graph run from 2010 to "
                               "2026.")
    assert brokers(G, language="ar").attrs["empty_reason"] == (
        "لا يقع أي منتج أو حدث في السنوات المطلوبة (من 2030): تمتد منتجات هذا الرسم المعرفي "
        "وأحداثه من 2010 إلى 2026.")
    # Tunisians in 2010: one active person, but no tie of the kinds drawn.
    G = build_projection(bundled_kg, "people", parse_filters(countries="TN", year_from=2010,
                                                              year_to=2010))
    assert G.number_of_nodes() == 1 and G.number_of_edges() == 0
    assert brokers(G, language="ar").attrs["empty_reason"] == (
        "لا أحد في هذه الشبكة لديه رابط من الأنواع المرسومة (منتجات مشتركة التأليف وفعاليات "
        "مشتركة): جرّب أنواعًا أخرى من الروابط أو مرشّحات أوسع.")
    assert empty_reason(build_projection(bundled_kg, "people")) is None


def test_gaps_say_why_they_are_empty() -> None:
    kg = _graph("""
        orgid:cmi a cop:Platform .
        membership:m a org:Membership ; org:organization orgid:cmi ; org:member orgid:m ;
            org:role cop:MemberRole .
        orgid:m a org:Organization .
        community:c a cop:CommunityOfPractice .
        person:p a foaf:Person ; org:memberOf orgid:m .
        membership:pc a org:Membership ; org:organization community:c ;
            org:member person:p .
        event:e a cop:Event ; cop:community community:c ; schema:attendee person:p .
    """)
    assert coverage(kg, thin=0)["status"].tolist() == ["ok"]
    assert gaps(kg, thin=0).attrs["empty_reason"] == (
        "No absent or thin cell: every member is present in every community with more than 0 "
        "people and a product or event.")
    assert gaps(kg, thin=1, language="fr").iloc[0]["status"] == "thin"
    assert coverage(KnowledgeGraph.in_memory()).attrs["empty_reason"] == STORE_EMPTY
    no_members = _graph("community:c a cop:CommunityOfPractice .")
    assert gaps(no_members, language="fr").attrs["empty_reason"] == (
        "Il manque encore au graphe de connaissances : membres de la plateforme. Importez-les "
        "d'abord (copkg import, ou la page Données).")
