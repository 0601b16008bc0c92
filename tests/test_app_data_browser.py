"""A manager's round trip on the Data page, in a real browser (Debian chromium): download the
template, fill it, upload, import; download the CSV export, edit one name, upload that sheet:
exactly that change is listed to confirm, and after Import only the result is on the page.

Screenshots go to ``tests/screenshots/app/`` (git-ignored).
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import streamlit_app
from openpyxl import load_workbook
from test_app_browser import no_exception, shot, wait_rendered

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("data-browser") / "store"
    shutil.copytree(bundled_store_dir, store)
    with streamlit_app(store, tmp_path_factory.mktemp("server")) as url:
        yield url


def download(pg: object, label: str, folder: Path) -> Path:
    with pg.expect_download() as info:  # type: ignore[attr-defined]
        pg.get_by_role("button", name=label).click()  # type: ignore[attr-defined]
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def upload_and_wait(pg: object, paths: list[Path]) -> None:
    pg.locator("input[type=file]").set_input_files([str(p) for p in paths])  # type: ignore[attr-defined]
    pg.get_by_role("button", name="Import", exact=True).wait_for(timeout=120_000)  # type: ignore[attr-defined]
    wait_rendered(pg, timeout=120_000)


def import_and_wait(pg: object) -> str:
    pg.get_by_role("button", name="Import", exact=True).click()  # type: ignore[attr-defined]
    pg.get_by_text("Imported in").wait_for(timeout=180_000)  # type: ignore[attr-defined]
    wait_rendered(pg, timeout=120_000)
    return str(pg.inner_text("[data-testid='stMain']"))  # type: ignore[attr-defined]


def test_template_fill_import_export_edit_reimport(server: str, browser: object,
                                                  tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000},  # type: ignore[attr-defined]
                                  accept_downloads=True)
    pg = context.new_page()
    try:
        pg.goto(f"{server}/data")
        wait_rendered(pg)
        # 1. The template, filled: two people (the example rows deleted).
        template = download(pg, "Excel workbook template", tmp_path)
        book = load_workbook(template)
        for sheet in book.worksheets:
            sheet.delete_rows(2, sheet.max_row)
        people = book["people"]
        header = [c.value for c in people[1]]
        for person in ({"id": "q0001", "name": "Samia Haddad", "organization": "cmi",
                        "country": "TN"},
                       {"id": "q0002", "name": "Karim Benali", "organization": "afd",
                        "country": "FR"}):
            people.append([person.get(str(h), None) for h in header])
        filled = tmp_path / "filled-clean.xlsx"
        book.save(filled)
        upload_and_wait(pg, [filled])
        body = pg.inner_text("[data-testid='stMain']")
        shot(pg, "data-upload-before")
        # (Tables are drawn on a canvas: their cells are checked in tests/test_app_data.py.)
        assert "No problems found" in body, body
        shot(pg, "data-upload-before")
        body = import_and_wait(pg)
        shot(pg, "data-upload-after")
        no_exception(pg)
        # Only the result: no preview, no Import button, no file left in the uploader.
        assert "No problems found" not in body and "would change" not in body
        assert pg.get_by_role("button", name="Import", exact=True).count() == 0
        assert "filled-clean.xlsx" not in body

        # 2. The CSV export, one name edited, that sheet uploaded again.
        archive = download(pg, "CSV (zip, one file per sheet, re-importable)", tmp_path)
        with zipfile.ZipFile(archive) as zf:
            rows = list(csv.reader(io.StringIO(zf.read("people.csv").decode("utf-8-sig"))))
        for row in rows:
            if row[0] == "q0001":
                row[1] = "Samia Haddad-Ben"
        edited = tmp_path / "people-edited.csv"
        with edited.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        upload_and_wait(pg, [edited])
        body = pg.inner_text("[data-testid='stMain']")
        shot(pg, "data-reimport-confirm")
        assert ("people-edited.csv changes id:person/q0001, which filled-clean.xlsx already "
                "defines: foaf:name: Samia Haddad → Samia Haddad-Ben") in body
        assert body.count(" changes id:") == 1  # the one edited cell, nothing else
        pg.get_by_text("I have checked the list: import anyway").click()
        button = pg.get_by_role("button", name="Import", exact=True)
        pg.wait_for_function("() => [...document.querySelectorAll('button')].some("
                             "b => b.innerText.trim() === 'Import' && !b.disabled)",
                             timeout=60_000)
        assert button.is_enabled()
        body = import_and_wait(pg)
        no_exception(pg)
        assert "Samia Haddad → Samia" not in body and "people-edited.csv" not in body
        shot(pg, "data-reimport-after")
    finally:
        context.close()
