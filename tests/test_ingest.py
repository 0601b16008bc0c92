"""Importer: the spreadsheet contract, every bad input, atomicity, re-import, RDF files."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from openpyxl import Workbook

from graph import KnowledgeGraph
from graph.config import bundled_data_paths
from graph.errors import DataError
from graph.ingest import import_paths, last_imports, validate_paths
from graph.vocab import source_graph_iri

INGEST = Path(__file__).parent / "data" / "ingest"
CMI = bundled_data_paths()[0]


@pytest.fixture(scope="module")
def cmi_dump() -> bytes:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [CMI])
    return kg.dump(ox.RdfFormat.N_QUADS)


@pytest.fixture
def kg(cmi_dump: bytes) -> KnowledgeGraph:
    """A graph holding the ontology and the sourced facts of cmi.ttl."""
    graph = KnowledgeGraph.in_memory()
    graph.backend.store.load(cmi_dump, format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    return graph


_PROLOGUE = "".join(
    f"PREFIX {p}: <https://w3id.org/copkg/id/{seg}>\n"
    for p, seg in (("mcmi", "membership/cmi/"), ("person", "person/"), ("o", "org/"),
                   ("theme", "theme/"), ("event", "event/"), ("product", "product/"))
)


def ask(kg: KnowledgeGraph, sparql: str) -> bool:
    """ASK with short prefixes for the id: kinds (``person:x001``, ``o:afd``)."""
    return kg.ask(_PROLOGUE + sparql)


def query(kg: KnowledgeGraph, sparql: str) -> pd.DataFrame:
    """SELECT with the same prefixes as :func:`ask`."""
    return kg.query(_PROLOGUE + sparql)


def dump(kg: KnowledgeGraph) -> bytes:
    return kg.dump(ox.RdfFormat.N_QUADS)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def failing(kg: KnowledgeGraph, paths: list[Path]) -> list[str]:
    """Import ``paths``, expect a DataError that left the store byte-identical."""
    before = dump(kg)
    with pytest.raises(DataError) as info:
        import_paths(kg, paths)
    assert dump(kg) == before
    return [str(p) for p in info.value.problems]


def test_valid_folder_imports(kg: KnowledgeGraph) -> None:
    report = import_paths(kg, [INGEST / "valid"])
    assert {f.status for f in report.files} == {"imported"}
    assert ask(kg, "ASK { person:x001 org:memberOf o:tunis-metro ; "
                  "cop:illustrative true ; schema:knowsAbout theme:urban-transport }")
    assert ask(kg, "ASK { o:tunis-metro cop:country 'TN' ; a cop:PublicInstitution ; "
                  "copx:phone '+216 71 000 000' }")
    assert ask(kg, "ASK { mcmi:tunis-metro org:role cop:PartnerRole ; "
                  "cop:since '2012'^^xsd:gYear ; org:organization o:cmi }")
    assert ask(kg, "ASK { event:xev1 schema:organizer person:x001 ; "
                  "schema:attendee person:x002 }")
    assert ask(kg, "ASK { product:xkp1 dct:creator o:afd, person:x001 }")
    assert not ask(kg, "ASK { person:x002 cop:illustrative ?x }")


def test_provenance_and_source_description(kg: KnowledgeGraph) -> None:
    import_paths(kg, [INGEST / "valid"])
    rows = query(kg,
        "SELECT ?file ?sheet ?row ?at WHERE { person:x002 prov:wasDerivedFrom ?r . "
        "?r cop:sourceFile ?file ; cop:sheet ?sheet ; cop:row ?row ; prov:generatedAtTime ?at }"
    )
    assert rows[["file", "sheet", "row"]].values.tolist() == [["people.csv", "people", 3]]
    assert isinstance(rows["at"][0], datetime)
    graph = str(source_graph_iri("people.csv"))
    assert kg.source_hash(graph) is not None
    log = last_imports(kg)
    assert {"people.csv", "cmi.ttl"} <= set(log["file"])
    assert list(log.columns) == ["file", "graph", "imported_at", "triples"]


def test_reimport_unchanged_changes_nothing(kg: KnowledgeGraph) -> None:
    import_paths(kg, [INGEST / "valid"])
    before = dump(kg)
    report = import_paths(kg, [INGEST / "valid"])
    assert {f.status for f in report.files} == {"unchanged"}
    assert dump(kg) == before


def test_changed_file_replaces_its_graph(kg: KnowledgeGraph, tmp_path: Path) -> None:
    folder = tmp_path / "v"
    folder.mkdir()
    for f in (INGEST / "valid").iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    import_paths(kg, [folder])
    write(folder, "people.csv", "id,name,organization,country\nx001,Amina T.,afd,TN\n"
          "x002,Jean Dupont,afd,FR\n")
    report = import_paths(kg, [folder])
    status = {f.file: f.status for f in report.files}
    assert status["people.csv"] == "replaced" and status["events.csv"] == "unchanged"
    assert ask(kg, "ASK { person:x001 foaf:name 'Amina T.' }")
    assert not ask(kg, "ASK { person:x001 foaf:name 'Amina Trabelsi' }")
    assert not ask(kg, "ASK { person:x001 org:memberOf o:tunis-metro }")


def test_bom_semicolon_arabic_french_spaces_empty_rows(kg: KnowledgeGraph,
                                                       tmp_path: Path) -> None:
    write(tmp_path, "organizations.csv",
          "\ufeffid ; name ; type ; country ; role ; joined ; name_fr ; name_ar\n"
          "sfax ; Ville de Sfax  ; City ; tn ;  ; 09/10/2009 ; Ville de Sfax ; مدينة صفاقس\n"
          ";;;;;;;\n\n"
          "rabat;Rabat;city;MA;member;;Rabat;الرباط\n")
    import_paths(kg, [tmp_path / "organizations.csv"])
    assert ask(kg, "ASK { o:sfax skos:prefLabel 'مدينة صفاقس'@ar, 'Ville de Sfax'@en ; "
                  "cop:country 'TN' ; cop:organizationType 'city' }")
    assert ask(kg, "ASK { o:rabat prov:wasDerivedFrom ?r . ?r cop:row 5 }")
    assert ask(kg, "ASK { mcmi:rabat org:role cop:MemberRole }")


def test_xlsx_workbook_with_excel_dates(kg: KnowledgeGraph, tmp_path: Path) -> None:
    workbook = Workbook()
    orgs = workbook.active
    assert orgs is not None
    orgs.title = "organizations"
    orgs.append(["id", "name", "type", "country", "role", "joined", "name_fr"])
    orgs.append(["oran", "Ville d'Oran ", "city", "DZ", "observer", datetime(2011, 5, 3),
                 "Ville d’Oran é"])
    orgs.append([None] * 7)
    orgs.append(["sousse", "Sousse", "city", "TN", "member", 40179, None])
    events = workbook.create_sheet("events")
    events.append(["id", "title", "type", "date", "community"])
    events.append(["xe9", "Réunion à Oran", "workshop", datetime(2015, 1, 2), "urban-transport"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    report = import_paths(kg, [path])
    assert [(f.file, f.resources) for f in report.files] == [("book.xlsx", 5)]
    assert ask(kg, "ASK { mcmi:oran cop:since '2011-05-03'^^xsd:date }")
    assert ask(kg, "ASK { mcmi:sousse cop:since '2010-01-01'^^xsd:date }")
    assert ask(kg, "ASK { event:xe9 schema:startDate '2015-01-02'^^xsd:date ; "
                  "schema:name 'Réunion à Oran' }")
    assert ask(kg, "ASK { o:oran skos:prefLabel \"Ville d'Oran\"@en }")


BAD_CASES: list[tuple[str, str, str]] = [
    ("people.csv", "id,name,organization\nx1,A,afd\n",
     "people.csv: missing required column country — the people sheet needs the columns "
     "id, name, organization, country (optional: name_fr, name_ar, expertise, email)"),
    ("organisations.csv", "id,name\n",
     'organisations.csv: "organisations" is not a sheet of the contract — did you mean '
     '"organizations"? A CSV file is named after its sheet, alone or as the first or last word '
     "of its name: organizations.csv, organizations-2025.csv, partner_organizations.csv"),
    ("people.csv", "id,name,organization,country\nx1,,afd,TN\n",
     "people.csv, row 2, column name: the name is empty — this column is required"),
    ("people.csv", "id,name,organization,country\nx1,A,afdd,TN\n",
     'people.csv, row 2, column organization: "afdd" is not an organization id — '
     'did you mean "afd"?'),
    ("people.csv", "id,name,organization,country\nx1,A,afd,UK\n",
     'people.csv, row 2, column country: "UK" is not an ISO 3166-1 code — '
     "did you mean GB (United Kingdom)?"),
    ("people.csv", "id,name,organization,country\nx1,A,afd,TN\nX1,B,afd,TN\n",
     'people.csv, row 3, column id: two rows have id "X1": rows 2 and 3 of sheet people '
     "— keep one of the two rows, or give this one another id (people and organisations "
     "share one id space)"),
    ("organizations.csv", "id,name,type,country,role,joined\no1,O,bnak,TN,,\n",
     'organizations.csv, row 2, column type: "bnak" is not a known organization type — '
     'did you mean "bank"? allowed: government, city, region, bank, agency, international, '
     "public-institution, university, ngo, network, company, platform"),
    ("organizations.csv", "id,name,type,country,role,joined\no1,O,bank,TN,boss,\n",
     'organizations.csv, row 2, column role: "boss" is not a known platform role — '
     "allowed: member, observer, partner"),
    ("organizations.csv", "id,name,type,country,role,joined\no1,O,bank,TN,member,soon\n",
     'organizations.csv, row 2, column joined: "soon" is not a year or a date — write a year '
     "(2009) or a date (2009-10-09 or 09/10/2009)"),
    ("organizations.csv", "id,name,type,country,role,joined\no1,O,bank,TN,member,31/02/2010\n",
     'organizations.csv, row 2, column joined: "31/02/2010" is not a valid date — '
     "no such day in the calendar; dates are written 2026-03-25 or 25/03/2026, day first"),
    # QA: month first, the likeliest spreadsheet mistake: what it reads as, what it means.
    ("events-2026.csv", "id,title,type,date,community\ne1,E,workshop,03/25/2026,urban-transport\n",
     'events-2026.csv, row 2, column date: "03/25/2026" is not a valid date — 03/25/2026 '
     "reads as day 03 of month 25; did you mean 2026-03-25? Dates are written 2026-03-25 or "
     "25/03/2026, day first"),
    ("events.csv", "id,title,type,date,community\ne1,E,workshop,2026-25-03,urban-transport\n",
     'events.csv, row 2, column date: "2026-25-03" is not a valid date — 2026-25-03 reads as '
     "day 03 of month 25; did you mean 2026-03-25? Dates are written 2026-03-25 or "
     "25/03/2026, day first"),
    # An event needs a day: a year is no answer, so the fix names dates only.
    ("events.csv", "id,title,type,date,community\ne1,E,workshop,5 March 2026,urban-transport\n",
     'events.csv, row 2, column date: "5 March 2026" is not a date — write a date: 2026-03-25 '
     "or 25/03/2026, day first (or an Excel date)"),
    ("events.csv", "id,title,type,date,community\ne1,E,workshop,2014,urban-transport\n",
     'events.csv, row 2, column date: "2014" is a year, not a date — write the day too, '
     "e.g. 2014-03-18"),
    ("products.csv", "id,title,type,year,community,authors\nk1,T,report,later,,afd\n",
     'products.csv, row 2, column year: "later" is not a year — write four digits, e.g. 2015'),
    ("products.csv", "id,title,type,year,community,authors\nk1,T,report,2015,,\n",
     "products.csv, row 2, column authors: the authors are empty — list at least one person "
     "or organization id, separated by ;"),
    ("memberships.csv", "member,community,role,since\nafd,urban-transprt,member,2012\n",
     'memberships.csv, row 2, column community: "urban-transprt" is not a community id — '
     'did you mean "urban-transport"?'),
    ("participation.csv", "event,participant,role\nnope,afd,guest\n",
     'participation.csv, row 2, column role: "guest" is not a known participation role — '
     "allowed: participant, speaker, organizer, facilitator"),
    ("people.csv", "id,name,organization,country,illustrative\nx1,A,afd,TN,maybe\n",
     'people.csv, row 2, column illustrative: "maybe" is not true or false — '
     "write true, false, yes, no, 1 or 0"),
    ("people.csv", "id,name,organization,country\nafd,A,afd,TN\n",
     'people.csv, row 2, column id: "afd" is already the id of an organization in the store '
     "— people and organisations share one id space: choose another id"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_CASES)])
def test_bad_input_message_and_store_unchanged(
    kg: KnowledgeGraph, tmp_path: Path, name: str, content: str, expected: str,
) -> None:
    problems = failing(kg, [write(tmp_path, name, content)])
    assert expected in problems


def test_all_problems_reported_at_once(kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv", "id,name,organization,country\n"
                 "x1,,afd,TN\nx2,B,giz,UK\nx3,C,afdd,FR\n")
    problems = failing(kg, [path])
    assert len(problems) == 3
    assert [p.split(",")[1].strip() for p in problems] == ["row 2", "row 3", "row 4"]


def test_duplicate_across_people_and_organizations(kg: KnowledgeGraph, tmp_path: Path) -> None:
    write(tmp_path, "organizations.csv", "id,name,type,country,role,joined\nzz,Z,ngo,TN,,\n")
    write(tmp_path, "people.csv", "id,name,organization,country\nzz,Z,afd,TN\n")
    problems = failing(kg, [tmp_path])
    assert problems == ['people.csv, row 2, column id: id "zz" is already used by '
                        "organizations.csv, sheet organizations, row 2 — give this row another "
                        "id, or keep only one of the two rows (people and organisations share "
                        "one id space)"]


def test_references_resolve_across_the_batch_in_any_order(kg: KnowledgeGraph,
                                                          tmp_path: Path) -> None:
    write(tmp_path, "people.csv", "id,name,organization,country\nq1,Q,new-org,TN\n")
    write(tmp_path, "organizations.csv",
          "id,name,type,country,role,joined\nnew-org,N,ngo,TN,,\n")
    report = import_paths(kg, [tmp_path / "people.csv", tmp_path / "organizations.csv"])
    assert len(report.files) == 2


def test_validate_writes_nothing(kg: KnowledgeGraph) -> None:
    before = dump(kg)
    plan = validate_paths(kg, [INGEST / "valid"])
    assert plan.resources == 9
    assert dump(kg) == before


def test_third_party_foaf_org_turtle(kg: KnowledgeGraph) -> None:
    report = import_paths(kg, [INGEST / "foaf_org.ttl"])
    assert report.files[0].resources == 5
    assert ask(kg, "ASK { <http://example.org/partners/lina> org:memberOf o:afd }")
    assert ask(kg, "ASK { GRAPH ?g { ?g a cop:ImportedSource ; cop:sourceFile 'foaf_org.ttl' ; "
                  "cop:sha256 ?h ; cop:tripleCount 13 } }")


def test_rdf_syntax_error_names_the_line(kg: KnowledgeGraph) -> None:
    problems = failing(kg, [INGEST / "broken.ttl"])
    assert len(problems) == 1
    assert problems[0].startswith("broken.ttl: is not valid Turtle: Parser error at line 3")


def test_rdf_shacl_problem(kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.ttl", "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n"
                 "<http://example.org/p> a foaf:Person .\n")
    problems = failing(kg, [path])
    assert problems == ["bad.ttl: <http://example.org/p>, property foaf:name: A person needs "
                        "exactly one name."]


def test_missing_path_and_unknown_extension(kg: KnowledgeGraph, tmp_path: Path) -> None:
    problems = failing(kg, [tmp_path / "nope.csv", write(tmp_path, "notes.txt", "x")])
    assert problems == [
        f"{tmp_path / 'nope.csv'}: no such file or folder",
        "notes.txt: cannot import .txt — use .csv, .xlsx, or an RDF file (.json, .jsonld, "
        ".nq, .nt, .owl, .rdf, .trig, .ttl, .xml)",
    ]


def test_not_utf8(kg: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("id,name,organization,country\nx1,Élodie,afd,FR\n".encode("latin-1"))
    problems = failing(kg, [path])
    assert problems == ['people.csv: is not UTF-8 text (undecodable byte on line 2) — save it '
                        'as "CSV UTF-8" (Excel) or UTF-8 (LibreOffice)']


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, bundled_data_paths())
    return kg


def test_bundled_data_validates_and_is_flagged(bundled: KnowledgeGraph) -> None:
    assert not bundled.ask(
        "ASK { GRAPH ?g { ?s prov:wasDerivedFrom ?r } "
        "FILTER NOT EXISTS { ?s cop:illustrative true } }"
    )
    assert not bundled.ask("ASK { GRAPH <https://w3id.org/copkg/graph/cmi.ttl> "
                           "{ ?s cop:illustrative ?x } }")

