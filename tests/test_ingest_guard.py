"""Every bad input through ``copkg import``: exit 1, the exact message, and the store unchanged
(N-Quads dumps compared byte for byte). Also what needs a confirmation (``--replace``)."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from openpyxl import Workbook, load_workbook

from graph import KnowledgeGraph
from graph.cli import main


@pytest.fixture
def store(bundled_store_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the store holding the bundled data."""
    path = tmp_path / "store"
    shutil.copytree(bundled_store_dir, path)
    return path


def dump(store: Path) -> bytes:
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        return kg.dump(ox.RdfFormat.N_QUADS)
    finally:
        kg.close()


def refused(store: Path, capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    """``copkg import ARGS`` exits 1, leaves the store byte-identical; returns stderr."""
    capsys.readouterr()
    before = dump(store)
    assert main(["import", "--store", str(store), *map(str, args)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert dump(store) == before
    return err


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


PEOPLE = "id,name,organization,country\n"
ORGS = "id,name,type,country,role,joined,website\n"
PRODUCTS = "id,title,type,year,community,authors,url\n"

# (file name, content, a line of the message)
BAD_SHEETS: list[tuple[str, str, str]] = [
    ("people.csv", "id,name,name,organization,country\nx1,A,B,afd,TN\n",
     'people.csv, row 1: the column "name" appears twice in the header (columns 2 and 3) — '
     "keep one of them: copkg would not know which value to use"),
    ("people.csv", PEOPLE + "x1,A,afd,TN,oops\n",
     'people.csv, row 2: a value ("oops") is in column 5, which has no name in the header — '
     "name the column in the header row, or move the value into a named column"),
    ("people.csv", PEOPLE + "x1,Ana\x00Maria,afd,TN\n",
     "people.csv, row 2, column name: a cell contains the control character U+0000 — remove it"),
    ("people.csv", PEOPLE + "x1,Ana\x07,afd,TN\n",
     "people.csv, row 2, column name: a cell contains the control character U+0007"),
    ("organizations.csv", ORGS + "o1,O,bank,TN,member,99999,\n",
     'organizations.csv, row 2, column joined: "99999" is not a year or a date between 1000 '
     "and 2100"),
    ("people.csv", PEOPLE + "x1," + "A" * 140_000 + ",afd,TN\n",
     "people.csv: row 2: a cell is longer than 131,072 characters — a cell holds at most "
     "32,767 characters (Excel's own limit)"),
    ("people.csv", PEOPLE + "x1," + "A" * 40_000 + ",afd,TN\n",
     "people.csv, row 2, column name: a cell has 40,000 characters — a cell holds at most "
     "32,767 characters (Excel's own limit)"),
    ("organizations.csv", ORGS + "o1,O,bank,TN,member,2010,https://x.org/a b\n",
     'organizations.csv, row 2, column website: "https://x.org/a b" is not a web address: it '
     "contains a space"),
    ("products.csv", PRODUCTS + 'k1,T,report,2015,,afd,"https://x.org/""q"""\n',
     'products.csv, row 2, column url: "https://x.org/"q"" is not a web address: it contains a '
     "quote"),
    ("people.csv", "id,name,organization,country,source\nx1,A,afd,TN,https://a b.org\n",
     'people.csv, row 2, column source: "https://a b.org" is not a web address: it contains a '
     "space"),
    ("people.csv", PEOPLE + "x1,A,اب,TN\n",
     'people.csv, row 2, column organization: "اب" is not a valid id: "ا" (ARABIC LETTER ALEF) '
     "is not a Latin letter"),
    ("people.csv", PEOPLE + "ｐ０００１,Imposter,afd,FR\n",
     'people.csv, row 2, column id: "ｐ０００１" is not a valid id: it is written with look-alike '
     '(full-width or compatibility) characters — write it with ordinary letters and digits: '
     '"p0001"'),
    ("people.csv", PEOPLE + "р0001,Imposter,afd,FR\n",
     'people.csv, row 2, column id: "р0001" is not a valid id: "р" (CYRILLIC SMALL LETTER ER) '
     "is not a Latin letter"),
    ("broken.ttl", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
     '<http://example.org/p> <http://example.org/age> "abc"^^xsd:integer .\n',
     'broken.ttl: http://example.org/p, property http://example.org/age: "abc" is not a valid '
     "integer (the value is ill-typed)"),
]


@pytest.mark.parametrize(("name", "content", "expected"), BAD_SHEETS,
                         ids=[f"{i}-{c[0]}" for i, c in enumerate(BAD_SHEETS)])
def test_bad_file_exit_1_message_store_unchanged(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, content: str, expected: str,
) -> None:
    err = refused(store, capsys, write(tmp_path, name, content))
    assert expected.replace("<", "").replace(">", "") in err.replace("<", "").replace(">", "")


def _xlsx_with_entities(path: Path) -> Path:
    workbook(path, {"people": [["id", "name", "organization", "country"],
                               ["x1", "A", "afd", "TN"]]})
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    sheet = "xl/worksheets/sheet1.xml"
    bomb = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    parts[sheet] = b'<?xml version="1.0" encoding="UTF-8"?>' + bomb + parts[sheet]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _billion_laughs(path: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10))
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rdf:RDF [{entities}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:foaf="http://xmlns.com/foaf/0.1/">'
        '<foaf:Person rdf:about="http://example.org/p"><foaf:name>&lol9;</foaf:name>'
        "</foaf:Person></rdf:RDF>", encoding="utf-8")
    return path


def _zip_bomb(path: Path) -> Path:
    """An .xlsx whose one sheet is ~1 MB deflated and 1 GiB inflated."""
    block = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
        for _ in range(1024):
            part.write(block)
    return path


BAD_FILES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("entities.xlsx", _xlsx_with_entities,
     "entities.xlsx: was not opened: xl/worksheets/sheet1.xml declares a DTD or XML entities "
     "(<!DOCTYPE>, <!ENTITY>), which no spreadsheet needs"),
    ("laughs.rdf", _billion_laughs,
     "laughs.rdf: was not read: it declares a DTD or XML entities (<!DOCTYPE>, <!ENTITY>), "
     "which copkg does not read"),
    ("bomb.xlsx", _zip_bomb,
     "bomb.xlsx: was not opened: it would unpack to 1024 MB (the limit is 512 MB): this is not "
     "an ordinary workbook"),
]


@pytest.mark.parametrize(("name", "make", "expected"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_hostile_file_refused_before_parsing(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    name: str, make: Callable[[Path], Path], expected: str,
) -> None:
    err = refused(store, capsys, make(tmp_path / name))
    assert expected in err


def test_template_trap_is_refused_and_explained(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """A manager downloads the template, replaces only the people rows and imports it."""
    assert main(["templates", "--format", "xlsx", "--out", str(tmp_path)]) == 0
    book = load_workbook(tmp_path / "copkg-template.xlsx")
    people = book["people"]
    people.delete_rows(2)
    for row in (["q001", "Amina Trabelsi", "afd", "TN"], ["q002", "Jean Dupont", "giz", "FR"],
                ["q003", "Sara Haddad", "afd", "LB"], ["q004", "Omar Nasser", "eib", "JO"]):
        people.append(row)
    book.save(tmp_path / "filled.xlsx")
    err = refused(store, capsys, tmp_path / "filled.xlsx")
    assert "7 problems found; nothing was imported" in err
    for sheet, column, ident in (("themes", "id", "example-theme"),
                                 ("organizations", "id", "example-org"),
                                 ("communities", "id", "example-community"),
                                 ("products", "id", "example-product"),
                                 ("events", "id", "example-event"),
                                 ("memberships", "member", "example-person"),
                                 ("participation", "event", "example-event")):
        assert (f"filled.xlsx, sheet {sheet}, row 2, column {column}: this is the template's "
                f'example row ("{ident}"), not data — delete the example row') in err
    assert "sheet people" not in err
    # Deleting the example rows (sheets left with their header) imports the four people only.
    for sheet in book.worksheets:
        if sheet.title != "people":
            sheet.delete_rows(2)
    book.save(tmp_path / "filled.xlsx")
    assert main(["import", "--store", str(store), str(tmp_path / "filled.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "filled.xlsx: Person: +4 added" in out
    assert "imported   filled.xlsx: 4 resources" in out


def test_header_only_sheet_needs_confirmation(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "v"
    folder.mkdir()
    header_only = write(folder, "people.csv", PEOPLE)
    err = refused(store, capsys, header_only)
    assert "people.csv: Person: -350 removed" in err
    assert "people.csv would remove 350 resources (Person: 350) and add 0" in err
    assert ("people.csv: the people sheet has no rows, so the 350 resources it held would be "
            "removed") in err
    assert "run the import again with --replace" in err
    assert main(["import", "--store", str(store), "--replace", str(header_only)]) == 0
    kg = KnowledgeGraph.open(store, read_only=True)
    assert not kg.ask("ASK { GRAPH <https://w3id.org/copkg/graph/people.csv> "
                      "{ ?p a foaf:Person } }")
    kg.close()


def test_redefining_another_files_resource_needs_confirmation_and_keeps_the_rules(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    imposter = workbook(tmp_path / "imposter.xlsx", {
        "people": [["id", "name", "organization", "country"], ["p0001", "Imposter", "afd", "FR"]]})
    err = refused(store, capsys, imposter)
    assert ("  - imposter.xlsx changes id:person/p0001, which people.csv already defines: "
            "org:memberOf: id:org/fr-university-toulouse → id:org/afd; "
            "foaf:name: Élodie Faure → Imposter\n") in err
    # Confirmed, the sheet's values replace the other file's: never two names.
    assert main(["import", "--store", str(store), "--replace", str(imposter)]) == 0
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        names = kg.select("SELECT ?n WHERE { ?p foaf:name ?n FILTER(LANG(?n) = '') }",
                          {"p": ox.NamedNode("https://w3id.org/copkg/id/person/p0001")}).rows
    finally:
        kg.close()
    assert [n.value for (n,) in names if n is not None] == ["Imposter"]
    # A redefinition that keeps the rules still needs the confirmation, old → new values.
    afd = workbook(tmp_path / "partners.xlsx", {
        "organizations": [["id", "name", "type", "country", "role", "joined"],
                          ["afd", "Agence Française de Développement", "agency", "FR", "", ""]]})
    err = refused(store, capsys, afd)
    assert "partners.xlsx: Organisation: 1 changed" in err
    assert ("  - partners.xlsx changes id:org/afd, which cmi.ttl already defines: skos:prefLabel: "
            "French Development Agency (AFD)@en → Agence Française de Développement@en\n") in err
    assert main(["import", "--store", str(store), "--replace", str(afd)]) == 0
    # The same file again, changed elsewhere only: afd is not changed again, nothing to confirm.
    workbook(afd, {"organizations": [
        ["id", "name", "type", "country", "role", "joined"],
        ["afd", "Agence Française de Développement", "agency", "FR", "", ""],
        ["q-lab", "Urban Lab", "ngo", "TN", "", ""]]})
    assert main(["import", "--store", str(store), str(afd)]) == 0
    assert "partners.xlsx: Organisation: +1 added" in capsys.readouterr().out


AFD = "https://w3id.org/copkg/id/org/afd"
AFD_EN = "French Development Agency (AFD)@en"  # only the changed language is listed
TTL = ("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
       "@prefix cop: <https://w3id.org/copkg/ontology#> .\n"
       "@prefix org: <http://www.w3.org/ns/org#> .\n"
       "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n")


def labels_of(store: Path, iri: str) -> list[str]:
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        rows = kg.select("SELECT ?l WHERE { ?s skos:prefLabel ?l } ORDER BY ?l",
                         {"s": ox.NamedNode(iri)}).rows
        return [str(r[0].value) for r in rows if r[0] is not None]
    finally:
        kg.close()


def test_untyped_statements_about_another_sources_resource_need_confirmation(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """A partner's Turtle adds a name to afd without typing it: that changes a resource
    cmi.ttl defines. Listed with old → new values, exit 1 and the store unchanged until
    --replace."""
    partner = write(tmp_path, "partner.ttl", TTL + f'<{AFD}> skos:prefLabel "Agence X"@en ; '
                    'skos:altLabel "AX" .\n')
    assert main(["validate", "--store", str(store), str(partner)]) == 0
    out = capsys.readouterr().out
    assert "partner.ttl: Organisation: 1 changed" in out
    assert "Importing needs a confirmation:" in out
    err = refused(store, capsys, partner)
    assert ("  - partner.ttl changes id:org/afd, which cmi.ttl already defines: "
            "skos:altLabel: AFD → AFD, AX; "
            f"skos:prefLabel: {AFD_EN} → Agence X@en, {AFD_EN}\n") in err
    assert "run the import again with --replace" in err
    assert main(["import", "--store", str(store), "--replace", str(partner)]) == 0
    assert "Agence X" in labels_of(store, AFD)
    # Dropping that name later changes afd again (back): confirmed too, then it is gone.
    write(tmp_path, "partner.ttl", TTL + f'<{AFD}> skos:altLabel "AX" .\n')
    err = refused(store, capsys, partner)
    assert (f"partner.ttl changes id:org/afd, which cmi.ttl already defines: skos:prefLabel: "
            f"Agence X@en, {AFD_EN} → {AFD_EN}\n") in err
    assert main(["import", "--store", str(store), "--replace", str(partner)]) == 0
    assert "Agence X" not in labels_of(store, AFD)


def test_a_second_country_is_refused_even_confirmed(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """Merged with cmi.ttl, afd would have two countries: a rule, not a confirmation."""
    partner = write(tmp_path, "partner.ttl", TTL + f'<{AFD}> skos:prefLabel "Agence X"@en ; '
                    'cop:country "DE" .\n')
    for replace in ([], ["--replace"]):
        err = refused(store, capsys, *replace, partner)
        assert (f"partner.ttl: <{AFD}>, property cop:country: An organisation has at most one "
                "country, written as a two-letter ISO code in capitals such as TN or FR. — "
                "cmi.ttl already describes id:org/afd: use another id, or change it in cmi.ttl"
                ) in err


def test_pointing_at_another_sources_resource_is_no_redefinition(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """References (the resource as an object) are free, in a sheet and in RDF."""
    team = workbook(tmp_path / "team.xlsx", {"people": [
        ["id", "name", "organization", "country"], ["q1", "Ana", "afd", "TN"]]})
    partner = write(tmp_path, "people.ttl", TTL + '<http://example.org/sami> a foaf:Person ; '
                    f'foaf:name "Sami" ; org:memberOf <{AFD}> .\n')
    assert main(["import", "--store", str(store), str(team), str(partner)]) == 0
    out = capsys.readouterr().out
    assert "team.xlsx: Person: +1 added" in out and "people.ttl: Person: +1 added" in out


def test_links_recorded_on_the_other_end_are_no_redefinition(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """A participation row makes ``ev0001 schema:attendee p0004``; a partner's Turtle says
    ``afd org:hasMember <x>``: the subject is another file's resource, but the statement only
    points at it (cop:linkProperty in ontology/cop.ttl), like ``<x> org:memberOf afd``."""
    sheet = workbook(tmp_path / "attendance.xlsx", {"participation": [
        ["event", "participant", "role"], ["ev0001", "p0005", "speaker"],
        ["ev0002", "p0005", "organizer"]]})
    partner = write(tmp_path, "members.ttl", TTL + f'<{AFD}> org:hasMember <http://example.org/'
                    'sami> .\n<http://example.org/sami> a foaf:Person ; foaf:name "Sami" .\n')
    assert main(["import", "--store", str(store), str(sheet), str(partner)]) == 0
    out = capsys.readouterr().out
    assert "attendance.xlsx: Participation: +2 added" in out
    assert "members.ttl: Person: +1 added" in out
    # The same statement with another property does change afd.
    write(tmp_path, "members.ttl", TTL + f'<{AFD}> org:hasUnit <http://example.org/lab> .\n')
    err = refused(store, capsys, partner)
    assert ("members.ttl changes id:org/afd, which cmi.ttl already defines: "
            "org:hasUnit: — → http://example.org/lab") in err


def test_a_resource_defined_by_another_partner_file(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """Defined = typed by a source, here through what its RDF implies (org:FormalOrganization
    → org:Organization, in graph/inferred/lab.ttl, counted as lab.ttl's)."""
    lab = "http://example.org/lab"
    first = write(tmp_path, "lab.ttl", TTL + f'<{lab}> a org:FormalOrganization ; '
                  'skos:prefLabel "Urban Lab"@en .\n')
    assert main(["import", "--store", str(store), str(first)]) == 0
    capsys.readouterr()
    second = write(tmp_path, "notes.ttl", TTL + f'<{lab}> skos:altLabel "UL" .\n')
    err = refused(store, capsys, second)
    assert (f"  - notes.ttl changes {lab}, which lab.ttl already defines: skos:altLabel: — → UL"
            ) in err
    # Once confirmed, notes.ttl describes lab but does not define it: lab.ttl changes it freely.
    assert main(["import", "--store", str(store), "--replace", str(second)]) == 0
    write(tmp_path, "lab.ttl", TTL + f'<{lab}> a org:FormalOrganization ; '
          'skos:prefLabel "Urban Lab (Tunis)"@en .\n')
    assert main(["import", "--store", str(store), str(first)]) == 0
    assert "lab.ttl: Organisation: 1 changed" in capsys.readouterr().out


def test_changes_are_reported_old_to_new(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    header = ["id", "name", "organization", "country"]
    team = workbook(tmp_path / "team.xlsx", {"people": [header, ["q1", "Ana", "afd", "TN"],
                                                         ["q2", "Omar", "giz", "JO"]]})
    assert main(["import", "--store", str(store), str(team)]) == 0
    assert "team.xlsx: Person: +2 added" in capsys.readouterr().out
    workbook(team, {"people": [header, ["q1", "Anna", "afd", "TN"], ["q3", "Lina", "giz", "LB"]]})
    assert main(["validate", "--store", str(store), str(team)]) == 0
    out = capsys.readouterr().out
    assert "team.xlsx: Person: +1 added, 1 changed, -1 removed" in out
    assert "    changed id:person/q1 (foaf:name: Ana → Anna)" in out
    assert main(["import", "--store", str(store), str(team)]) == 0


def test_effects_and_confirmations_in_french_and_arabic(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """``--lang``: the effects, the reasons a confirmation is needed, how to confirm."""
    folder = tmp_path / "v"
    folder.mkdir()
    header_only = write(folder, "people.csv", PEOPLE)
    partner = write(tmp_path, "partner.ttl", TTL + f'<{AFD}> skos:altLabel "AX" .\n')
    err = refused(store, capsys, "--lang", "fr", header_only, partner)
    assert "people.csv : Personne : -350 suppressions" in err
    assert "partner.ttl : Organisation : 1 modification" in err
    assert "copkg import: rien n'a été importé : cet import demande une confirmation" in err
    assert "  - people.csv supprimerait 350 ressources (Personne : 350) et en ajouterait 0" in err
    assert ("  - people.csv : la feuille people n'a aucune ligne, donc les 350 ressources "
            "qu'elle contenait seraient supprimées") in err
    assert ("  - partner.ttl modifie id:org/afd, que cmi.ttl définit déjà : "
            "skos:altLabel: AFD → AFD, AX") in err
    assert err.rstrip().endswith("pour les importer quand même, relancez l'import avec "
                                 "--replace.")
    err = refused(store, capsys, "--lang", "ar", header_only, partner)
    assert "الملف people.csv: نوع «شخص»: 350 إزالةً\n" in err
    assert "الملف partner.ttl: نوع «مؤسسة»: تعديل واحد" in err
    assert "لم يُستورد شيء: هذا الاستيراد يتطلب تأكيدًا" in err
    assert "  - سيزيل people.csv 350 موردًا (نوع «شخص»: 350) ويضيف 0" in err
    assert ("  - يغيّر partner.ttl المورد id:org/afd الذي يعرّفه cmi.ttl مسبقًا: "
            "skos:altLabel: AFD → AFD, AX") in err
    assert main(["validate", "--lang", "fr", "--store", str(store), str(partner)]) == 0
    out = capsys.readouterr().out
    assert "L'import demande une confirmation :" in out
    assert "partner.ttl modifie id:org/afd, que cmi.ttl définit déjà" in out


def test_every_progress_stage_is_named_in_the_catalogues(tmp_path: Path) -> None:
    from graph import i18n
    from graph.ingest import import_paths
    from graph.ingest.importer import STAGES

    seen: list[str] = []
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [write(tmp_path, "people.ttl", TTL + '<http://example.org/s> a '
                            'foaf:Person ; foaf:name "Sami" .\n')],
                 progress=lambda stage, done: seen.append(stage))
    assert set(seen) <= set(STAGES) and {"reading", "checking", "writing", "done"} <= set(seen)
    for stage in STAGES:
        assert i18n.translation(f"ingest.stage_{stage}", "fr")
        assert i18n.translation(f"ingest.stage_{stage}", "ar")
    assert i18n.t("ingest.stage_checking", "ar") == "التحقق من القواعد"


MANAGER_PEOPLE = ("id,name,organization,country,name_fr,name_ar,expertise,email,illustrative,"
                  "source\n"
                  "nadia-haddad,Nadia Haddad,tn-mobility-tunis,TN,,نادية حداد,,,,\n"
                  "karim-saadi,Karim Saadi,ma-transport-lab,MA,,,,,,\n"
                  "sofia-marino,Sofia Marino,it-mobility-turin,IT,,,,,,\n")
MANAGER_PARTICIPATION = ("event,participant,role,illustrative,source\n"
                         "ev0002,nadia-haddad,speaker,,\nev0002,karim-saadi,participant,,\n")


def test_a_sheet_named_like_the_bundled_one_says_first_how_to_add_it(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: 3 people and 2 participation rows in files named people.csv / participation.csv
    would replace the bundled sheets of those names. The message says first how to ADD them
    (another name, which works: +3 / +2), then that --replace is only for replacing."""
    year = datetime.now(UTC).year
    folder = tmp_path / "tpl"
    folder.mkdir()
    write(folder, "people.csv", MANAGER_PEOPLE)
    write(folder, "participation.csv", MANAGER_PARTICIPATION)
    err = refused(store, capsys, folder)
    assert err.endswith(
        "copkg import: nothing was imported: this import needs a confirmation\n"
        "  - participation.csv would remove 3,541 resources (Participation: 3,541) and add 2\n"
        "  - people.csv would remove 350 resources (Person: 350) and add 3\n"
        "To ADD these rows beside what the store already holds, give each file another name "
        "and import it again (a CSV file's name must start or end with its sheet's name):\n"
        f"  - rename participation.csv as participation-{year}.csv\n"
        f"  - rename people.csv as people-{year}.csv\n"
        "--replace is only for replacing the whole sheet: each file then takes the place of the "
        "earlier file of the same name, and the resources only that one held are removed. To "
        "replace, run the import again with --replace.\n")
    # copkg validate says the same, after the effects.
    assert main(["validate", "--store", str(store), str(folder)]) == 0
    out = capsys.readouterr().out
    assert ("Importing needs a confirmation:\n"
            "  - participation.csv would remove 3,541 resources (Participation: 3,541) and add 2\n"
            "  - people.csv would remove 350 resources (Person: 350) and add 3\n"
            "To ADD these rows") in out
    assert f"  - rename people.csv as people-{year}.csv\n--replace is only" in out
    # In French and Arabic too.
    err = refused(store, capsys, "--lang", "fr", folder)
    assert f"  - renommez people.csv en people-{year}.csv\n" in err
    assert "--replace sert uniquement à remplacer toute la feuille" in err
    err = refused(store, capsys, "--lang", "ar", folder)
    assert f"  - غيّر اسم people.csv إلى people-{year}.csv\n" in err
    # The advice works: renamed, the rows are added beside the bundled ones.
    (folder / "people.csv").rename(folder / f"people-{year}.csv")
    (folder / "participation.csv").rename(folder / f"participation-{year}.csv")
    assert main(["import", "--store", str(store), str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"participation-{year}.csv: Participation: +2 added\n" in out
    assert f"people-{year}.csv: Person: +3 added\n" in out
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        assert int(kg.count_by_kind().set_index("kind").loc["person", "total"]) == 354
    finally:
        kg.close()
    # A name already imported is not suggested again: the next year's name is taken, so -2.
    write(tmp_path, f"people-{year}.csv", "id,name,organization,country\nz1,Z,afd,TN\n")
    err = refused(store, capsys, tmp_path / f"people-{year}.csv")
    assert f"  - rename people-{year}.csv as people-{year}-2.csv\n" in err


def test_a_sheet_emptied_or_an_edit_gets_no_rename_advice(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """Renaming adds rows: a file adding none (a header-only sheet) is told only --replace."""
    folder = tmp_path / "v"
    folder.mkdir()
    err = refused(store, capsys, write(folder, "people.csv", PEOPLE))
    assert "To ADD" not in err and "rename" not in err
    assert err.endswith("Check the files; to import them anyway, run the import again with "
                        "--replace.\n")


def test_import_shows_each_change_as_validate_does(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: `copkg import` said only "Person: 1 changed"; validate listed old → new. Both now
    print the same lines (graph.ingest.effects.change_lines), 20 then how many more."""
    sheet = write(tmp_path, "people-2026.csv", MANAGER_PEOPLE)
    assert main(["import", "--store", str(store), str(sheet)]) == 0
    capsys.readouterr()
    write(tmp_path, "people-2026.csv", MANAGER_PEOPLE.replace("Karim Saadi", "Karim Saâdi"))
    expected = ("people-2026.csv: Person: 1 changed\n"
                "    changed id:person/karim-saadi (foaf:name: Karim Saadi → Karim Saâdi)\n")
    assert main(["validate", "--store", str(store), str(sheet)]) == 0
    assert expected in capsys.readouterr().out
    assert main(["import", "--store", str(store), str(sheet)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(expected)
    # 25 changes: 20 lines and "…and 5 more changed", in import as in validate.
    rows = "".join(f"m{i:02d},Name {i},afd,TN\n" for i in range(25))
    many = write(tmp_path, "people-more.csv", PEOPLE + rows)
    assert main(["import", "--store", str(store), str(many)]) == 0
    capsys.readouterr()
    write(tmp_path, "people-more.csv", PEOPLE + rows.replace(",Name ", ",Nom "))
    for command in ("validate", "import"):
        assert main([command, "--store", str(store), str(many)]) == 0
        out = capsys.readouterr().out
        assert "people-more.csv: Person: 25 changed\n" in out
        assert "    changed id:person/m19 (foaf:name: Name 19 → Nom 19)\n" \
            "    …and 5 more changed\n" in out
        assert "id:person/m20" not in out
    assert main(["--lang", "fr", "validate", "--store", str(store), str(sheet)]) == 0


def test_a_filled_csv_template_adds_beside_the_bundled_sheets(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """`copkg templates --format csv` writes people-new.csv, …: filled as a manager would
    (example rows replaced by theirs, other sheets deleted), it adds without --replace."""
    assert main(["templates", "--format", "csv", "--out", str(tmp_path / "tpl")]) == 0
    capsys.readouterr()
    folder = tmp_path / "tpl"
    for path in folder.iterdir():
        if path.name not in ("people-new.csv", "participation-new.csv"):
            path.unlink()
    header = (folder / "people-new.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == MANAGER_PEOPLE.splitlines()[0]
    write(folder, "people-new.csv", MANAGER_PEOPLE)
    write(folder, "participation-new.csv", MANAGER_PARTICIPATION)
    assert main(["import", "--store", str(store), str(folder)]) == 0
    out = capsys.readouterr().out
    assert "participation-new.csv: Participation: +2 added\n" in out
    assert "people-new.csv: Person: +3 added\n" in out
