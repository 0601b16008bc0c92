"""A manager's round trip: export the sheets, edit a cell, import them again. Only what really
changes is listed (old → new) and confirmed; renamed CSV copies are still sheets; a repeated
id is reported once, on the repeating row."""

from __future__ import annotations

import csv
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from openpyxl import Workbook

from graph import KnowledgeGraph
from graph.config import bundled_data_paths
from graph.errors import ConfirmationNeeded, DataError
from graph.ingest import export_graph, import_paths, validate_paths
from graph.ingest.reading import csv_sheet

Q1 = "https://w3id.org/copkg/id/person/q0001"
AFD = "https://w3id.org/copkg/id/org/afd"


@pytest.fixture
def kg(bundled_store_dir: Path, tmp_path: Path) -> Iterator[KnowledgeGraph]:
    """The bundled data plus a manager's filled template (two people), as QA had it."""
    path = tmp_path / "store"
    shutil.copytree(bundled_store_dir, path)
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    sheet = book.create_sheet("people")
    for row in [["id", "name", "organization", "country", "name_ar", "email"],
                ["q0001", "Samia Haddad", "cmi", "TN", "سامية حداد", "samia@example.org"],
                ["q0002", "Karim Benali", "afd", "FR", None, None]]:
        sheet.append(row)
    book.save(tmp_path / "filled-clean.xlsx")
    graph = KnowledgeGraph.open(path)
    import_paths(graph, [tmp_path / "filled-clean.xlsx"])
    yield graph
    graph.close()


def with_cmi() -> KnowledgeGraph:
    """An in-memory graph holding cmi.ttl (afd, cmi and the programs)."""
    kg = KnowledgeGraph.in_memory()
    import_paths(kg, [p for p in bundled_data_paths() if p.name == "cmi.ttl"])
    return kg


def exported(kg: KnowledgeGraph, folder: Path) -> Path:
    """``copkg export --format csv --out sheets.zip``, unzipped into ``folder``."""
    out = export_graph(kg, "csv", folder.parent / f"{folder.name}.zip")
    zipfile.ZipFile(out).extractall(folder)
    return folder


def edit(path: Path, ident: str, column: str, value: str) -> None:
    """Change one cell of a CSV sheet, as a spreadsheet program would save it."""
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    col = rows[0].index(column)
    hits = [row for row in rows[1:] if row[0] == ident]
    assert len(hits) == 1
    hits[0][col] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def changes(plan: object) -> list[tuple[str, str]]:
    return [(e.file, str(c)) for e in plan.effects  # type: ignore[attr-defined]
            for c in [*e.changed, *e.redefined]]


def values(kg: KnowledgeGraph, iri: str, prop: str) -> list[str]:
    rows = kg.select(f"SELECT DISTINCT ?v WHERE {{ ?s {prop} ?v }} ORDER BY ?v",
                     {"s": ox.NamedNode(iri)}).rows
    return sorted(f"{v.value}@{v.language}" if isinstance(v, ox.Literal) and v.language
                  else str(v.value) for (v,) in rows if v is not None)


def test_unchanged_export_reimports_without_confirmation(kg: KnowledgeGraph,
                                                         tmp_path: Path) -> None:
    folder = exported(kg, tmp_path / "sheets")
    plan = validate_paths(kg, [folder])
    assert plan.confirmations == []
    assert changes(plan) == []
    assert {e.file: e.counts for e in plan.effects if e.counts} == {}
    import_paths(kg, [folder])  # no ConfirmationNeeded
    assert values(kg, Q1, "foaf:name") == ["Samia Haddad", "سامية حداد@ar"]
    assert values(kg, Q1, "foaf:mbox") == ["mailto:samia@example.org"]  # not in the export
    # Exported again and imported again: still nothing to confirm, nothing changed.
    again = validate_paths(kg, [exported(kg, tmp_path / "again")])
    assert again.confirmations == [] and changes(again) == []


@pytest.mark.parametrize("imported_before", [False, True], ids=["first-time", "second-time"])
def test_one_edited_name_is_the_one_change_listed(kg: KnowledgeGraph, tmp_path: Path,
                                                  imported_before: bool) -> None:
    """Export, edit one name (of a person another file defines), re-import: exactly that
    change, old → new, to confirm; confirmed, the person has the new name and only it."""
    folder = exported(kg, tmp_path / "sheets")
    if imported_before:
        import_paths(kg, [folder])
    edit(folder / "people.csv", "q0001", "name", "Samia Haddad-Ben")
    plan = validate_paths(kg, [folder])
    assert changes(plan) == [
        ("people.csv", "id:person/q0001 (foaf:name: Samia Haddad → Samia Haddad-Ben)")]
    assert [r.text() for r in plan.confirmations] == [
        "people.csv changes id:person/q0001, which filled-clean.xlsx already defines: "
        "foaf:name: Samia Haddad → Samia Haddad-Ben"]
    before = kg.state_token()
    with pytest.raises(ConfirmationNeeded):
        import_paths(kg, [folder])
    assert kg.state_token() == before
    import_paths(kg, [folder], replace=True)
    assert values(kg, Q1, "foaf:name") == ["Samia Haddad-Ben", "سامية حداد@ar"]
    assert values(kg, Q1, "foaf:mbox") == ["mailto:samia@example.org"]
    # The next export says the new name, and re-imports with nothing to confirm.
    again = exported(kg, tmp_path / "again")
    assert "q0001,Samia Haddad-Ben," in (again / "people.csv").read_text(encoding="utf-8")
    plan = validate_paths(kg, [again])
    assert plan.confirmations == [] and changes(plan) == []


def test_an_edited_organisation_name_replaces_that_language_only(kg: KnowledgeGraph,
                                                                 tmp_path: Path) -> None:
    """afd comes from cmi.ttl with names in three languages: the English cell edited in the
    export changes the English name; the French and Arabic ones stay."""
    folder = exported(kg, tmp_path / "sheets")
    edit(folder / "organizations.csv", "afd", "name", "Agence Française de Développement")
    plan = validate_paths(kg, [folder])
    assert changes(plan) == [(
        "organizations.csv", "id:org/afd (skos:prefLabel: French Development Agency (AFD)@en "
        "→ Agence Française de Développement@en)")]
    assert len(plan.confirmations) == 1
    import_paths(kg, [folder], replace=True)
    assert values(kg, AFD, "skos:prefLabel") == [
        "Agence Française de Développement@en",
        "Agence française de développement (AFD)@fr", "الوكالة الفرنسية للتنمية@ar"]


def test_adding_a_value_a_sheet_leaves_empty_changes_nothing_else(kg: KnowledgeGraph,
                                                                  tmp_path: Path) -> None:
    """An empty cell says nothing: q0002's empty Arabic name stays empty, q0001's stays."""
    folder = exported(kg, tmp_path / "sheets")
    edit(folder / "people.csv", "q0002", "name_ar", "كريم بن علي")
    assert changes(validate_paths(kg, [folder])) == [
        ("people.csv", "id:person/q0002 (foaf:name: — → كريم بن علي@ar)")]


@pytest.mark.parametrize("name", ["people-2025.csv", "people (2).csv", "partner_people.csv",
                                  "People_new.csv"])
def test_a_renamed_csv_is_still_its_sheet(tmp_path: Path, name: str) -> None:
    kg = with_cmi()
    path = tmp_path / name
    path.write_text("id,name,organization,country\nz1,Zara,afd,TN\n", encoding="utf-8")
    report = import_paths(kg, [path])
    assert [(f.file, f.status, f.resources) for f in report.files] == [(name, "imported", 1)]
    assert values(kg, "https://w3id.org/copkg/id/person/z1", "foaf:name") == ["Zara"]


def test_csv_sheet_names() -> None:
    assert csv_sheet("organizations-afd") == "organizations"
    assert csv_sheet("2025 events") == "events"
    assert csv_sheet("people-events") is None  # which one? the file is refused, with advice
    assert csv_sheet("peoples") is None


def test_a_name_that_is_no_sheet_gets_advice_that_works(tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        validate_paths(KnowledgeGraph.in_memory(), [path])
    assert [str(p) for p in info.value.problems] == [
        'staff.csv: "staff" is not a sheet of the contract — a CSV file is named after its '
        "sheet, alone or as the first or last word of its name (people.csv, people-2025.csv, "
        "partner_people.csv); sheets are: themes, organizations, people, communities, "
        "memberships, products, events, participation"]


def test_a_repeated_id_is_reported_once_on_the_repeating_row(tmp_path: Path) -> None:
    """Rows 2 and 3 both q0201: row 3 is the problem, with a fix; row 2 is not blamed for
    "a second name" or "a second country"."""
    path = tmp_path / "people.csv"
    path.write_text("id,name,organization,country\nq0201,Ana Dup,cmi,TN\n"
                    "q0201,Bob Dup,afd,FR\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        validate_paths(with_cmi(), [path])
    problems = info.value.problems
    assert [str(p) for p in problems] == [
        'people.csv, row 3, column id: two rows have id "q0201": rows 2 and 3 of sheet people '
        "— keep one of the two rows, or give this one another id (people and organisations "
        "share one id space)"]
    assert problems[0].fix is not None
    assert problems[0].message.text("fr") == (
        "deux lignes ont l'identifiant « q0201 » : lignes 2 et 3 de la feuille people")
