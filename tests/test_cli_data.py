"""``copkg import/validate/stats/export/templates``: exit codes and what people read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph.cli import main

INGEST = Path(__file__).parent / "data" / "ingest"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["stats", "--store", str(path)]) == 0  # first use loads the bundled data
    return path


def test_import_and_stats(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--store", str(store), str(INGEST / "foaf_org.ttl")]) == 0
    assert "imported   foaf_org.ttl: 5 resources" in capsys.readouterr().out
    assert main(["stats", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "foaf:Person" in out and "illustrative resources" in out


def test_validate_ok_and_problems(store: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--store", str(store), str(INGEST / "valid")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "OK: 6 files, 9 resources"
    # Its files are named like the bundled sheets: importing them would replace those.
    assert "people.csv: Person: +2 added, -350 removed" in out
    assert "Importing needs a confirmation:" in out
    assert "  - people.csv would remove 350 resources (Person: 350) and add 2" in out
    assert f"  - rename people.csv as people-{datetime.now(UTC).year}.csv" in out
    bad = tmp_path / "people.csv"
    bad.write_text("id,name,organization,country\np9,A,afdd,TN\n", encoding="utf-8")
    assert main(["validate", "--store", str(store), str(bad)]) == 1
    err = capsys.readouterr().err
    assert ('people.csv, row 2, column organization: "afdd" is not an organization id — '
            'did you mean "afd"?') in err


def test_import_error_exit_1(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "--store", str(store), str(INGEST / "broken.ttl")]) == 1
    assert "nothing was imported" in capsys.readouterr().err


def test_export_and_templates(store: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--store", str(store), "--format", "trig",
                 "--out", str(tmp_path / "a.trig")]) == 0
    assert (tmp_path / "a.trig").stat().st_size > 1000
    assert main(["templates", "--format", "csv", "--out", str(tmp_path / "t")]) == 0
    # Named so that a filled template adds beside the bundled people.csv, not replaces it.
    assert (tmp_path / "t" / "people-new.csv").exists()
    assert not (tmp_path / "t" / "people.csv").exists()


def test_misuse_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "xls", "--out", "x"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
