"""The Data page as a manager uses it: the preview says what an import WOULD do, the import
replaces the preview by its result, renamed CSV copies are sheets, a repeated id is one
problem on the repeating row."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
import test_app
from test_app import open_page, texts

from graph import KnowledgeGraph

writable_store = test_app.writable_store

pytestmark = pytest.mark.usefixtures("app_env")

PEOPLE = b"id,name,organization,country\nz0001,Zara New,afd,TN\n"


def statuses(table: object) -> list[tuple[str, str]]:
    return [(row["File"], row["Status"]) for _, row in table.iterrows()]  # type: ignore[attr-defined]


@pytest.mark.usefixtures("writable_store")
def test_preview_says_would_then_import_shows_only_the_result() -> None:
    at = open_page("data")
    at.file_uploader[0].set_value([("people (2).csv", PEOPLE, "text/csv"),
                                   ("people.csv", "id,name,organization,country\n"
                                    "p0001,Élodie Faure,fr-university-toulouse,FR\n".encode(),
                                    "text/csv")])
    at.run()
    assert not at.exception, at.exception
    assert "No problems found" in texts(at.success)
    # Nothing is imported yet: the status says what importing would do.
    assert statuses(at.dataframe[0].value) == [("people (2).csv", "would be imported"),
                                               ("people.csv", "would replace the last import")]
    assert "rename the file (a CSV file keeps its sheet's name first or last" in \
        texts(at.warning)
    at.checkbox(key="data_confirm").check().run()  # people.csv would remove 349 people
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    # The preview, the confirmation and the button are gone; the result is shown.
    assert "Imported" in texts(at.success) and "No problems found" not in texts(at.success)
    assert not [b for b in at.button if b.key == "data_import"]
    assert not [c for c in at.checkbox if c.key == "data_confirm"]
    assert not at.warning
    assert at.file_uploader[0].value in (None, [])
    assert statuses(at.dataframe[0].value) == [("people (2).csv", "imported"),
                                               ("people.csv", "replaced")]
    # A new upload starts a new preview (and the last result goes).
    at.file_uploader[0].set_value([("people-2025.csv", PEOPLE.replace(b"z0001", b"z0002"),
                                    "text/csv")]).run()
    assert statuses(at.dataframe[0].value) == [("people-2025.csv", "would be imported")]
    assert "Imported" not in texts(at.success)
    del at
    kg = KnowledgeGraph.open(Path(os.environ["COPKG_STORE"]), read_only=True)
    try:
        z1 = ox.NamedNode("https://w3id.org/copkg/id/person/z0001")
        assert [n.value for (n,) in kg.select("SELECT ?n WHERE { ?p foaf:name ?n }",
                                              {"p": z1}).rows if n] == ["Zara New"]
        z = ox.NamedNode("https://w3id.org/copkg/id/person/z0002")
        assert not kg.select("SELECT ?n WHERE { ?p foaf:name ?n }", {"p": z}).rows
    finally:
        kg.close()


@pytest.mark.usefixtures("writable_store")
def test_a_repeated_id_is_one_problem_with_a_fix() -> None:
    at = open_page("data")
    at.file_uploader[0].set_value([("people.csv", b"id,name,organization,country\n"
                                    b"q0201,Ana Dup,cmi,TN\nq0201,Bob Dup,afd,FR\n",
                                    "text/csv")]).run()
    assert not at.exception, at.exception
    problems = at.dataframe[0].value
    assert problems[["Row", "Column", "Problem", "How to fix it"]].values.tolist() == [[
        3, "id", 'two rows have id "q0201": rows 2 and 3 of sheet people',
        "keep one of the two rows, or give this one another id (people and organisations "
        "share one id space)"]]


@pytest.mark.usefixtures("writable_store")
def test_confirm_step_says_first_how_to_add_and_the_result_lists_changes() -> None:
    """QA: the confirm step offered only "import anyway" (replacing the bundled people.csv
    by 3 rows). It now says how to ADD them (another name), that confirming is only for
    replacing the whole sheet; after an import, the changed resources are listed old → new."""
    year = datetime.now(UTC).year
    three = ("id,name,organization,country\nnadia-haddad,Nadia Haddad,tn-mobility-tunis,TN\n"
             "karim-saadi,Karim Saadi,ma-transport-lab,MA\n"
             "sofia-marino,Sofia Marino,it-mobility-turin,IT\n")
    at = open_page("data")
    at.file_uploader[0].set_value([("people.csv", three.encode(), "text/csv")]).run()
    assert not at.exception, at.exception
    assert r"people\.csv would remove 350 resources \(Person\: 350\) and add 3" in \
        texts(at.warning)
    assert texts(at.info) == (
        "To ADD these rows beside what the store already holds, give each file another name "
        "and import it again (a CSV file's name must start or end with its sheet's name):\n\n"
        f"- rename people\\.csv as people\\-{year}\\.csv\n\n"  # markdown-escaped
        "Confirming below is only for replacing the whole sheet: each file then takes the "
        "place of the earlier file of the same name, and the resources only that one held "
        "are removed.")
    # Renamed as advised: added, nothing to confirm; then one edited name is listed.
    at.file_uploader[0].set_value([(f"people-{year}.csv", three.encode(), "text/csv")]).run()
    assert not at.info and not [c for c in at.checkbox if c.key == "data_confirm"]
    at.button(key="data_import").click().run()
    assert "Imported" in texts(at.success)
    edited = three.replace("Karim Saadi", "Karim Saâdi").encode()
    at.file_uploader[0].set_value([(f"people-{year}.csv", edited, "text/csv")]).run()
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert "Imported" in texts(at.success)
    assert texts(at.text) == (f"people-{year}.csv: changed id:person/karim-saadi "
                              "(foaf:name: Karim Saadi → Karim Saâdi)")


@pytest.mark.usefixtures("writable_store")
def test_overview_and_stats_tell_your_imports_from_cited_and_illustrative(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: rows a manager imports (no illustrative flag) were counted as "Sourced: from the CMI
    interview". One rule now splits every resource: cited source (dct:source), your imports
    (neither a source nor the flag), illustrative — the Overview and `copkg stats` alike."""
    from graph.cli import main
    from graph.ingest import import_paths

    store = Path(os.environ["COPKG_STORE"])
    sheet = tmp_path / "people-2026.csv"
    sheet.write_text("id,name,organization,country,source\n"
                     "nadia-haddad,Nadia Haddad,afd,TN,\nkarim-saadi,Karim Saadi,afd,MA,\n"
                     "sofia-marino,Sofia Marino,afd,IT,https://example.org/roster\n",
                     encoding="utf-8")
    kg = KnowledgeGraph.open(store)
    try:
        import_paths(kg, [sheet])
        split = kg.count_by_kind().set_index("kind")
    finally:
        kg.close()
    assert split.loc["person"].to_dict() == {"cited": 2, "own": 2, "illustrative": 350,
                                             "total": 354}
    assert split.loc["organization"].to_dict() == {"cited": 19, "own": 0, "illustrative": 41,
                                                   "total": 60}
    assert main(["stats", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "      47  resources citing their source (dct:source: the CMI interview, a source "
        "column)\n"
        "       2  resources you imported without a source or the illustrative flag (your own "
        "data)\n"
        "    4938  illustrative resources\n")
    at = open_page()
    assert not at.exception, at.exception
    assert "Includes illustrative data: 841 / 867 of the resources shown" in texts(at.warning)
    assert "Where the facts come from" in texts(at.subheader)
    assert ("Cited source: resources that name their source (dct:source) — the CMI interview "
            "(data/cmi.ttl), or rows whose source column you filled. Your imports: rows you "
            "imported with neither a source nor the illustrative flag — your own data. "
            "Illustrative: fictional examples flagged cop:illustrative.") in texts(at.caption)


#: A text drawn on a canvas laid out left to right, then right to left (as Streamlit's table
#: grid draws a cell): the two pictures' pixels, as data URLs.
CANVAS_BOTH_WAYS = """text => ['ltr', 'rtl'].map(direction => {
  const canvas = document.createElement('canvas'); canvas.width = 900; canvas.height = 40;
  const ctx = canvas.getContext('2d'); ctx.font = '20px sans-serif';
  ctx.direction = direction; ctx.textAlign = 'left'; ctx.fillText(text, 10, 28);
  return canvas.toDataURL();
})"""


@pytest.mark.browser
@pytest.mark.usefixtures("writable_store")
def test_arabic_problems_read_right_to_left_in_the_table() -> None:
    """The QA's file: "«ma-transprot-lab» ليس معرّف منظمة" came out as
    "«ma-transprot-lab« ليس معرّف منظمة" (value on the wrong side, closing guillemet mirrored):
    the table grid draws on a canvas laid out left to right. Every Arabic cell of the problems
    table must draw the same whichever way the canvas is laid out (it carries its own
    right-to-left direction)."""
    from browser import chromium
    from shown_strings import table_cells

    at = open_page("data", lang="ar")
    at.file_uploader[0].set_value([("people-2026.csv", (
        b"id,name,organization,country\nkarim-saadi,Karim Saadi,ma-transprot-lab,MA\n"),
        "text/csv")]).run()
    assert not at.exception, at.exception
    problems = at.dataframe[0].value
    assert problems.iloc[0].tolist()[-2:] == [
        "«\u2068ma-transprot-lab\u2069» ليس معرّف منظمة", "هل تقصد «\u2068ma-transport-lab\u2069»؟"]
    arabic = [c for c in table_cells(at)[0] if "ليس" in c or "تقصد" in c]
    assert len(arabic) == 2
    with chromium() as browser:
        page = browser.new_page()
        for cell in arabic:
            ltr, rtl = page.evaluate(CANVAS_BOTH_WAYS, cell)
            assert ltr == rtl, f"{cell!r} draws differently in a left-to-right grid"
