"""The SHACL shapes compiled to SPARQL find exactly what pyshacl finds, rule by rule."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as pyshacl_validate

from graph.config import ONTOLOGY_DIR, ontology_files
from graph.ingest.shacl import UnsupportedShape, compile_shapes, shapes, validate

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

# Every constraint of shapes.ttl broken at least once, and resources that are right.
DATA = """
@prefix cop: <https://w3id.org/copkg/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix : <http://example.org/> .
:okorg a cop:City ; skos:prefLabel "Ok"@en ; cop:country "TN" ; cop:organizationType "city" .
:org1 a org:Organization ; cop:country "tn", "FR" ; cop:organizationType "shop", "city" .
:org2 a org:FormalOrganization ; rdfs:label "Labelled" ; cop:country 12 .
:theme a skos:Concept ; skos:prefLabel "T"@en ; skos:inScheme cop:themes .
:badtheme a skos:Concept ; skos:inScheme "themes" ; skos:broader :org1 .
:p1 a foaf:Person ; foaf:name "A", "B", "A"@fr, "B"@fr ; org:memberOf :theme ; cop:country "X" ;
    schema:knowsAbout :org1 .
:p2 a foaf:Person ; foaf:name "C"@en ; org:memberOf :okorg ; schema:knowsAbout :theme .
:p3 a foaf:Person .
:cop a cop:CommunityOfPractice ; dct:subject :org1 ; cop:launched "2010"^^xsd:gYear,
    "soon" ; cop:partOfProgram :theme .
:cop2 a cop:CommunityOfPractice ; skos:prefLabel "C" ; cop:launched "20x0"^^xsd:gYear .
:prog a cop:Program ; cop:launched "2010-02-30"^^xsd:date ; cop:coordinatedBy :theme .
:m1 a org:Membership ; org:member :p2, :p1 ; org:organization "cop" ; org:role cop:SpeakerRole ;
    cop:since "2012"^^xsd:gYear, "2013"^^xsd:gYear .
:m2 a org:Membership .
:k1 a cop:Report ; dct:title "A", "B" ; dct:issued "2015"^^xsd:date ; dct:creator "someone" ;
    cop:community :cop, :cop2 ; dct:subject :p1 .
:k2 a cop:KnowledgeProduct .
:e1 a cop:Session ; schema:name "E", "F" ; schema:startDate "2014"^^xsd:gYear ;
    cop:community :theme ; cop:country "FRA" .
:e2 a cop:Event .
:x1 a cop:Participation ; cop:event :p1 ; cop:participant "me" ; org:role cop:MemberRole .
:x2 a cop:Participation .
"""


def _pyshacl(data: rdflib.Graph) -> set[tuple[str, str, str]]:
    conforms, results, _ = pyshacl_validate(
        data, shacl_graph=str(ONTOLOGY_DIR / "shapes.ttl"), inference="none",
        allow_warnings=True)
    assert isinstance(results, rdflib.Graph)
    found = set()
    for r in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus, path = results.value(r, SH.focusNode), results.value(r, SH.resultPath)
        component = str(results.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        if isinstance(path, rdflib.BNode):  # an alternative path: its first member
            alternatives = results.value(path, SH.alternativePath)
            path = rdflib.collection.Collection(results, alternatives)[0]
        found.add((str(focus), str(path), component))
    return found


def _compiled(data: rdflib.Graph) -> set[tuple[str, str, str]]:
    store = ox.Store()
    store.load(data.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    return {(v.focus.value, v.constraint.path, v.constraint.component)  # type: ignore[union-attr]
            for v in validate(store, shapes(), union=False)}


def test_compiled_shapes_equal_pyshacl_on_every_constraint() -> None:
    data = rdflib.Graph()
    data.parse(data=DATA, format="turtle")
    for path in ontology_files():
        data.parse(path, format="turtle")
    expected = _pyshacl(data)
    assert len({c for _, _, c in expected}) == 10  # every kind of constraint is exercised
    # pyshacl (rdflib) takes the ill-typed "20x0"^^xsd:gYear for a gYear; SHACL says a value
    # of a datatype must be well-formed, as the compiled shapes check.
    ill_typed = ("http://example.org/cop2", "https://w3id.org/copkg/ontology#launched",
                 "OrConstraintComponent")
    assert _compiled(data) == expected | {ill_typed}


def test_every_constraint_of_the_shapes_is_compiled() -> None:
    store = ox.Store()
    store.load(path=str(ONTOLOGY_DIR / "shapes.ttl"), format=ox.RdfFormat.TURTLE)
    result = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?shape <http://www.w3.org/ns/shacl#property> ?p . "
        "?p ?c ?v FILTER(?c IN (<http://www.w3.org/ns/shacl#minCount>, "
        "<http://www.w3.org/ns/shacl#maxCount>, <http://www.w3.org/ns/shacl#datatype>, "
        "<http://www.w3.org/ns/shacl#pattern>, <http://www.w3.org/ns/shacl#in>, "
        "<http://www.w3.org/ns/shacl#class>, <http://www.w3.org/ns/shacl#nodeKind>, "
        "<http://www.w3.org/ns/shacl#or>, <http://www.w3.org/ns/shacl#uniqueLang>, "
        "<http://www.w3.org/ns/shacl#qualifiedMaxCount>, "
        "<http://www.w3.org/ns/shacl#qualifiedMinCount>)) }")
    assert isinstance(result, ox.QuerySolutions)
    declared = int(next(iter(result))[0].value)  # type: ignore[union-attr]
    assert len(shapes()) == declared


def test_an_unsupported_shape_is_refused(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "shapes.ttl"  # type: ignore[operator]
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
        "sh:minLength 3 ] .\n", encoding="utf-8")
    with pytest.raises(UnsupportedShape, match="minLength"):
        compile_shapes(ox.Store(), path)
