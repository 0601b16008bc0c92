"""The bundled data: sourced facts (data/cmi.ttl), ontology and shapes, illustrative CSVs.

Needs only rdflib, pyshacl and pandas (no copkg store, no importer).
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

import pandas as pd
import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef

from graph.vocab import COP, DCTERMS, ORG, OWL, RDF, RDFS, SKOS, resource_iri

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "cop.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
CMI = ROOT / "data" / "cmi.ttl"
GENERATOR = ROOT / "data" / "generate_illustrative.py"
ILLUSTRATIVE = ROOT / "data" / "illustrative"
SOURCE = URIRef("https://w3id.org/copkg/id/source/cmi-interview")
PLATFORM = resource_iri("organization", "cmi")

SHEETS = ["themes", "organizations", "people", "memberships", "products", "events",
          "participation"]
ROW_COUNTS = {"themes": 13, "organizations": 41, "people": 350, "memberships": 535,
              "products": 300, "events": 150, "participation": 3541}
COMMUNITIES = {"employment", "tertiary-education", "urban-transport"}

MEMBERS = ["egypt", "france", "greece", "italy", "jordan", "lebanon", "morocco",
           "palestinian-authority", "tunisia", "marseille", "paca", "eib", "world-bank-group"]
OBSERVERS = ["eeas"]
PARTNERS = ["afd", "cdc", "giz", "codatu"]


@cache
def _graph(path: Path) -> Graph:
    return Graph().parse(path)


@cache
def _sheet(name: str) -> pd.DataFrame:
    return pd.read_csv(ILLUSTRATIVE / f"{name}.csv", dtype=str, keep_default_na=False,
                       encoding="utf-8")


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_illustrative", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _slug_ids(graph: Graph, kind: str) -> set[str]:
    prefix = str(resource_iri(kind, "x"))[:-1]
    return {str(s)[len(prefix):] for s in set(graph.subjects()) if str(s).startswith(prefix)}


def _cop_terms() -> list[str]:
    return sorted(name for name in dir(COP) if not name.startswith("_"))


# ---------------------------------------------------------------------------------------------
# Ontology
# ---------------------------------------------------------------------------------------------


def test_ontology_declares_itself() -> None:
    g = _graph(ONTOLOGY)
    onto = URIRef("https://w3id.org/copkg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    for p in (DCTERMS.title, DCTERMS.description, OWL.versionInfo):
        assert g.value(onto, p) is not None, p


def test_vocab_term_list_is_readable() -> None:
    terms = _cop_terms()
    assert len(terms) >= 55 and "CommunityOfPractice" in terms and "roles" in terms


@pytest.mark.parametrize("term", _cop_terms())
def test_every_cop_term_is_declared_with_en_fr_labels_and_definitions(term: str) -> None:
    g = _graph(ONTOLOGY)
    iri = COP[term]
    assert any(g.objects(iri, RDF.type)), f"cop:{term} is not declared in cop.ttl"
    for prop in (RDFS.label, SKOS.definition):
        langs = {o.language for o in g.objects(iri, prop) if isinstance(o, Literal)}
        assert {"en", "fr"} <= langs, f"cop:{term} {prop} has languages {langs}"
    types = set(g.objects(iri, RDF.type))
    if OWL.Class in types or ORG.Role in types:
        langs = {o.language for o in g.objects(iri, RDFS.label)}
        assert "ar" in langs, f"cop:{term} has no Arabic label"


def test_ontology_declares_only_vocab_terms() -> None:
    g = _graph(ONTOLOGY)
    declared = {str(s) for s in g.subjects(RDF.type, None) if str(s).startswith(str(COP))}
    assert declared == {str(COP[t]) for t in _cop_terms()}


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (COP.CommunityOfPractice, ORG.OrganizationalCollaboration),
        (COP.KnowledgeProduct, URIRef("https://schema.org/CreativeWork")),
        (COP.Event, URIRef("https://schema.org/Event")),
        (COP.Platform, ORG.Organization),
        (COP.Government, ORG.Organization),
        (COP.Company, ORG.Organization),
        (COP.Report, COP.KnowledgeProduct),
        (COP.Session, COP.Event),
        (COP.ImportedSource, URIRef("http://www.w3.org/ns/prov#Entity")),
    ],
)
def test_class_hierarchy(child: URIRef, parent: URIRef) -> None:
    assert (child, RDFS.subClassOf, parent) in _graph(ONTOLOGY)


# ---------------------------------------------------------------------------------------------
# Sourced facts
# ---------------------------------------------------------------------------------------------


def test_cmi_conforms_to_shapes() -> None:
    conforms, _, text = pyshacl.validate(
        _graph(CMI), shacl_graph=_graph(SHAPES), ont_graph=_graph(ONTOLOGY), inference="none"
    )
    assert conforms, text


def test_shapes_have_messages() -> None:
    g = _graph(SHAPES)
    sh = URIRef("http://www.w3.org/ns/shacl#")
    shapes = set(g.subjects(RDF.type, URIRef(f"{sh}NodeShape")))
    shapes |= set(g.objects(None, URIRef(f"{sh}property")))
    assert len(shapes) > 30
    for shape in shapes:
        assert g.value(shape, URIRef(f"{sh}message")) is not None, shape


@pytest.mark.parametrize(
    ("role", "orgs"),
    [(COP.MemberRole, MEMBERS), (COP.ObserverRole, OBSERVERS), (COP.PartnerRole, PARTNERS)],
)
def test_platform_roles_as_in_the_text(role: URIRef, orgs: list[str]) -> None:
    g = _graph(CMI)
    found = {
        g.value(m, ORG.member)
        for m in g.subjects(ORG.role, role)
        if g.value(m, ORG.organization) == PLATFORM
    }
    assert found == {resource_iri("organization", o) for o in orgs}
    for o in orgs:
        assert (URIRef(f"https://w3id.org/copkg/id/membership/cmi/{o}"), ORG.role, role) in g


def test_no_sourced_resource_is_illustrative_and_all_have_a_source() -> None:
    g = _graph(CMI)
    assert not list(g.triples((None, COP.illustrative, None)))
    for s in set(g.subjects(RDF.type, None)) - {SOURCE}:
        assert (s, DCTERMS.source, SOURCE) in g, s
    assert g.value(SOURCE, DCTERMS.title) is not None


def test_sourced_program_and_communities() -> None:
    g = _graph(CMI)
    sut = resource_iri("program", "sut")
    assert g.value(sut, COP.launched) == Literal("2010", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#gYear"))
    assert _slug_ids(g, "community") == COMMUNITIES
    launched = list(g.subjects(COP.launched, None))
    assert launched == [sut], "the text dates the program only, not the communities"


# ---------------------------------------------------------------------------------------------
# Illustrative data
# ---------------------------------------------------------------------------------------------


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = _generator()
    a, b = tmp_path / "a", tmp_path / "b"
    assert gen.main(a) == gen.main(b) == ROW_COUNTS
    for sheet in SHEETS:
        data = (a / f"{sheet}.csv").read_bytes()
        assert data == (b / f"{sheet}.csv").read_bytes(), sheet
        bundled = (ILLUSTRATIVE / f"{sheet}.csv").read_bytes()
        assert hashlib.sha256(data).digest() == hashlib.sha256(bundled).digest(), (
            f"{sheet}.csv is stale: run python data/generate_illustrative.py"
        )


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_row_is_illustrative(sheet: str) -> None:
    df = _sheet(sheet)
    assert len(df) == ROW_COUNTS[sheet]
    assert (df["illustrative"] == "true").all()


def test_ids_resolve() -> None:
    cmi = _graph(CMI)
    orgs = set(_sheet("organizations")["id"]) | _slug_ids(cmi, "organization")
    people = set(_sheet("people")["id"]) | _slug_ids(cmi, "person")
    themes = set(_sheet("themes")["id"]) | _slug_ids(cmi, "theme")
    events = set(_sheet("events")["id"])
    agents = orgs | people
    assert not set(_sheet("organizations")["id"]) & _slug_ids(cmi, "organization")
    assert not orgs & people, "people and organisations share one id space"
    assert set(_sheet("themes")["broader"]) <= themes
    assert set(_sheet("people")["organization"]) <= orgs
    assert {t for e in _sheet("people")["expertise"] for t in e.split(";")} <= themes
    assert set(_sheet("memberships")["member"]) <= agents
    assert set(_sheet("memberships")["community"]) == COMMUNITIES
    products = _sheet("products")
    assert set(products["community"]) - {""} == COMMUNITIES
    assert {a for cell in products["authors"] for a in cell.split(";")} <= agents
    assert {t for cell in products["themes"] for t in cell.split(";")} <= themes
    assert set(_sheet("events")["community"]) == COMMUNITIES
    part = _sheet("participation")
    assert set(part["event"]) == events
    assert set(part["participant"]) <= agents
    assert not part.duplicated(["event", "participant"]).any()


@pytest.mark.parametrize(("k", "low", "high"), [(1, 0.65, 0.75), (2, 0.20, 0.30), (3, 0.02, 0.08)])
def test_share_of_people_in_k_communities(k: int, low: float, high: float) -> None:
    m = _sheet("memberships")
    people = set(_sheet("people")["id"])
    per_person = m[m["member"].isin(people)].groupby("member").size()
    assert len(per_person) == len(people), "everyone takes part in at least one community"
    assert low <= (per_person == k).mean() <= high


@pytest.mark.parametrize("community", sorted(COMMUNITIES))
def test_each_community_has_coordinators_and_facilitators(community: str) -> None:
    roles = _sheet("memberships").query("community == @community")["role"].value_counts()
    assert 1 <= roles.get("coordinator", 0) <= 2
    assert 2 <= roles.get("facilitator", 0) <= 6
    assert roles["member"] > 50


def test_products_and_events_in_range() -> None:
    products = _sheet("products")
    years = products["year"].astype(int)
    assert years.between(2010, 2026).all()
    assert (years[products["community"].isin(["employment", "tertiary-education"])] >= 2012).all()
    authors = products["authors"].str.split(";").str.len()
    assert authors.between(1, 5).all()
    events = _sheet("events")
    assert events["date"].between("2010-06-01", "2026-10-31").all()
    assert set(events["type"]) == {"session", "workshop", "dialogue", "conference", "study-tour"}
    sizes = _sheet("participation").query("role != 'organizer'").groupby("event").size()
    assert sizes.between(5, 40).all()


def test_names_exercise_escaping() -> None:
    people = _sheet("people")
    assert people["name"].str.contains("'").any()
    assert people["name"].str.contains("[éèçïëô]").any()
    assert (people["name_ar"] != "").sum() > 50
    assert not people["name"].duplicated().any()
