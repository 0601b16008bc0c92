"""Errors and import problems in the reader's language, with one catalogue as the only source.

Every error copkg raises carries a catalogue key and its values (``graph.i18n.Message``): the
English text stays what logs and other tests read (``str(exc)``), and the CLI (``--lang``) and
the app show the same message in French or Arabic. A scan of graph/'s source fails on any
error or import problem still written as an English sentence at the place it is raised.
"""

from __future__ import annotations

import ast
import json
import pickle
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.cli import main
from graph.errors import DataError, NotFoundError, Problem, QueryError
from graph.i18n import Message, Translated

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graph"
ENGLISH = json.loads((GRAPH / "i18n" / "en.json").read_text(encoding="utf-8"))
FSI, PDI = "\u2068", "\u2069"

# Keys of the catalogue that only errors and import problems use.
_KEY = re.compile(r"^(error|problem|cell|ref|erased|shape|unsafe|story_check)\.[a-z0-9_.]+$")
_BASES = {"CopkgError", "ValueError"}


# Every file of graph/ (the scan once ran on the converted files only, landing step by step).
CONVERTED = ("graph/",)


def _sources(converted: bool = False) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(GRAPH.rglob("*.py")):
        if converted and not str(path.relative_to(ROOT)).startswith(CONVERTED):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _error_classes() -> set[str]:
    """CopkgError and every class of graph/ derived from it (to any depth)."""
    found = {"CopkgError", "DataError", "NotFoundError", "AmbiguousNameError", "QueryError",
             "QueryTimeout", "StoreError", "EndpointError", "AccessDenied", "ConfirmationNeeded"}
    classes = [node for _, tree in _sources() for node in ast.walk(tree)
               if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for node in classes:
            bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "")
                     for b in node.bases}
            if node.name not in found and bases & found:
                found.add(node.name)
                grew = True
    return found


def _called(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _key_problem(arg: ast.expr) -> str | None:
    """Why ``arg`` is not a catalogue key (None when it is one, or a value holding one)."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return None if arg.value in ENGLISH else f"{arg.value!r} is not a key of en.json"
    if isinstance(arg, ast.IfExp):
        return _key_problem(arg.body) or _key_problem(arg.orelse)
    if isinstance(arg, ast.Name | ast.Attribute | ast.Subscript):
        return None  # a key chosen from a table: the table's strings are checked below
    return f"{ast.unparse(arg)!r} is text built at the call, not a catalogue key"


def _text_problem(arg: ast.expr) -> str | None:
    """Why ``arg`` (a message or fix) is English text rather than a catalogue message."""
    if isinstance(arg, ast.Constant) and arg.value is None:
        return None
    if isinstance(arg, ast.Constant | ast.JoinedStr | ast.BinOp):
        return f"{ast.unparse(arg)!r} is English text, not a Message"
    if isinstance(arg, ast.IfExp):
        return _text_problem(arg.body) or _text_problem(arg.orelse)
    return None


def _site_problems() -> tuple[list[str], int]:
    """Every error, problem and message built in graph/ with English text; and how many sites
    build one (for the report)."""
    errors = _error_classes()
    bad: list[str] = []
    sites = 0
    for path, tree in _sources(converted=True):
        if path.name == "errors.py" and path.parent == GRAPH:
            continue  # the family itself (its __init__s pass keys on)
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and _KEY.match(node.value) and node.value not in ENGLISH:
                bad.append(f"{where}:{node.lineno}: {node.value!r} is not a key of en.json")
            if not isinstance(node, ast.Call):
                continue
            name = _called(node)
            found: str | None = None
            if name in ("DataError", "ConfirmationNeeded"):
                sites += 1
                summary = node.args[1:2] + [k.value for k in node.keywords if k.arg == "summary"]
                found = next(filter(None, map(_text_problem, summary)), None)
            elif name in errors or name in ("Message", "UnsafeFile"):
                sites += name != "Message"
                if node.args:
                    found = _key_problem(node.args[0])
                elif not any(k.arg is None for k in node.keywords):
                    found = "no catalogue key given"
                heading = [k.value for k in node.keywords if k.arg == "heading"]
                found = found or next(filter(None, map(_key_problem, heading)), None)
            elif name in ("CellError", "Problem", "problem"):
                sites += 1
                texts = [*node.args[1:2 if name == "Problem" else 3],
                         *(k.value for k in node.keywords if k.arg in ("message", "fix"))]
                if name == "problem":  # Origin.problem(message, column, fix) and
                    # _Row.problem(column, message, fix): a column is one word, never a sentence
                    texts = [t for t in texts if not (isinstance(t, ast.Constant)
                                                      and re.fullmatch(r"\w+", str(t.value)))]
                found = next(filter(None, map(_text_problem, texts)), None)
            if found:
                bad.append(f"{where}:{node.lineno}: {name}(...): {found}")
    return bad, sites


def test_every_error_and_problem_in_graph_uses_a_catalogue_key() -> None:
    bad, sites = _site_problems()
    assert bad == [], "\n".join(bad)
    assert sites > 100  # the scan does see the sites (raises, problems, cell errors)


def test_the_scan_sees_english_sentences() -> None:
    tree = ast.parse('raise QueryError(f"The query {q} failed")\n'
                     'problems.append(Problem(name, "no such file", fix="rename it"))\n'
                     'raise NotFoundError("error.nope", heading="Closest")\n')
    found = [_key_problem(n.args[0]) for n in ast.walk(tree)
             if isinstance(n, ast.Call) and _called(n) in ("QueryError", "NotFoundError")]
    assert all(found)
    problem = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and _called(n) == "Problem")
    assert _text_problem(problem.args[1]) and _text_problem(problem.keywords[0].value)


def test_every_shape_message_is_in_english_french_and_arabic() -> None:
    store = ox.Store()
    store.load(path=str(ROOT / "ontology" / "shapes.ttl"), format=ox.RdfFormat.TURTLE)
    message = ox.NamedNode("http://www.w3.org/ns/shacl#message")
    by_shape: dict[object, set[str | None]] = {}
    for quad in store.quads_for_pattern(None, message, None):
        assert isinstance(quad.object, ox.Literal)
        by_shape.setdefault(quad.subject, set()).add(quad.object.language)
    assert len(by_shape) == 44
    assert all(langs == {"en", "fr", "ar"} for langs in by_shape.values()), by_shape


def test_str_is_english_and_text_any_language() -> None:
    exc = NotFoundError("error.not_called_community", ["Urban transport (urban-transport)"],
                        name="transprt")
    assert str(exc) == ("No community is called 'transprt'. Closest matches: "
                        "Urban transport (urban-transport).")
    assert exc.text("fr") == ("Aucune communauté ne s'appelle « transprt ». Les plus proches : "
                              "Urban transport (urban-transport).")
    assert exc.text("ar") == (f"لا يوجد مجتمع باسم «{FSI}transprt{PDI}». أقرب التطابقات: "
                              f"{FSI}Urban transport (urban-transport){PDI}.")
    copy = pickle.loads(pickle.dumps(exc))  # a worker process can send it back
    assert type(copy) is NotFoundError and copy.text("fr") == exc.text("fr")
    # Plural forms of the reader's language (Arabic: six) and numbers the locale's way.
    assert [DataError([], Message("error.problems_found", n=n)).text("ar") for n in (2, 3, 11)] \
        == ["وُجدت مشكلتان؛ لم يُستورد شيء", "وُجدت 3 مشكلات؛ لم يُستورد شيء",
            "وُجدت 11 مشكلةً؛ لم يُستورد شيء"]
    assert Message("problem.long_cell", n=40000).text("fr") \
        == "une cellule contient 40\u202f000 caractères"


def test_a_sentence_instead_of_a_key_is_still_shown() -> None:
    # Code not yet converted (another branch) still says something: English, in any language.
    exc = QueryError("The engine said no.")
    assert str(exc) == exc.text("ar") == "The engine said no."


def test_problem_where_what_and_fix_in_each_language() -> None:
    problem = Problem("data/people.csv", Message("cell.not_country", value="XX"), sheet="people",
                      row=3, column="country", fix=Message("cell.country_fix"))
    assert str(problem) == ('data/people.csv, row 3, column country: "XX" is not an ISO 3166-1 '
                            "code — use the two-letter ISO 3166-1 code")
    assert problem.text("fr") == ("data/people.csv, ligne 3, colonne country : « XX » n'est pas un "
                                  "code ISO 3166-1 — utilisez le code ISO 3166-1 à deux lettres")
    assert problem.text("ar") == (
        f"{FSI}data/people.csv{PDI}، الصف 3، العمود {FSI}country{PDI}، المشكلة: «{FSI}XX{PDI}» "
        "ليس رمزًا وفق ISO 3166-1 — الحل: استخدم رمز ISO 3166-1 المكوَّن من حرفين")
    shape = Translated({"en": "A theme needs a name.", "ar": "يجب أن يكون للموضوع اسم."})
    assert Problem("t.ttl", shape).text("fr") == "t.ttl : A theme needs a name."


# ------------------------------------------------------------------------------- end to end
@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("messages") / "store"
    assert main(["stats", "--store", str(path)]) == 0  # loads the bundled data
    return path


@pytest.fixture
def bad_people(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("id,name,organization,country\np1,Ana,afdd,TN\np2,,afd,XX\n",
                    encoding="utf-8")
    return path


def test_cli_import_problems_in_french(store: Path, bad_people: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(bad_people), "--store", str(store), "--lang", "fr"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "copkg import: 3 problèmes trouvés ; rien n'a été importé",
        "  - people.csv, ligne 3, colonne name : la valeur de name est vide — cette colonne est "
        "obligatoire",
        "  - people.csv, ligne 3, colonne country : « XX » n'est pas un code ISO 3166-1 — "
        "utilisez le code ISO 3166-1 à deux lettres",
        "  - people.csv, ligne 2, colonne organization : « afdd » n'est pas un identifiant "
        "d'organisation — vouliez-vous dire « afd » ?",
    ]


def test_cli_import_problems_in_arabic_from_the_environment(
        store: Path, bad_people: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPKG_LANG", "ar")
    assert main(["import", str(bad_people), "--store", str(store)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "copkg import: وُجدت 3 مشكلات؛ لم يُستورد شيء"
    assert err[3] == (f"  - {FSI}people.csv{PDI}، الصف 2، العمود {FSI}organization{PDI}، "
                      f"المشكلة: «{FSI}afdd{PDI}» ليس معرّف منظمة — الحل: هل تقصد «{FSI}afd{PDI}»؟")


def test_cli_rule_of_the_data_model_in_each_language(
        store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    partner = tmp_path / "partner.ttl"
    partner.write_text("<http://example.org/p1> a <http://xmlns.com/foaf/0.1/Person> .\n",
                       encoding="utf-8")
    said = {}
    for lang in ("en", "fr", "ar"):
        assert main(["validate", str(partner), "--store", str(store), "--lang", lang]) == 1
        said[lang] = capsys.readouterr().err.splitlines()
    assert said["en"] == ["1 problem found; not valid", "partner.ttl: <http://example.org/p1>, "
                          "property foaf:name: A person needs exactly one name."]
    assert said["fr"] == ["1 problème trouvé ; non valide", "partner.ttl : "
                          "<http://example.org/p1>, propriété foaf:name : Une personne doit avoir "
                          "exactement un nom."]
    assert said["ar"] == ["وُجدت مشكلة واحدة؛ غير صالح",
                          f"{FSI}partner.ttl{PDI}، المشكلة: {FSI}<http://example.org/p1>{PDI}، "
                          f"الخاصية {FSI}foaf:name{PDI}: يجب أن يكون للشخص اسم واحد بالضبط."]


def test_cli_saved_query_names_nothing_in_arabic(store: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "absent_members", "--param", "community=nonexistent-xyz",
                 "--store", str(store), "--lang", "ar"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"copkg query: لا يوجد مجتمع باسم «{FSI}nonexistent-xyz{PDI}». "
                          f"اختر من بين: {FSI}")
    assert "(urban-transport)" in err and err[-1] == "\n" and err.count("\n") == 1


def test_app_data_page_shows_problems_in_arabic(bundled_store_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                bad_people: Path) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COPKG_STORE", str(bundled_store_dir))
    monkeypatch.setenv("COPKG_READ_ONLY", "1")  # checking a file writes nothing
    monkeypatch.delenv("COPKG_ENDPOINT", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update(lang="ar")
    at.run()
    at.switch_page("views/data.py")
    at.query_params.clear()
    at.query_params.update(lang="ar")
    at.run()
    at.file_uploader[0].set_value([("people.csv", bad_people.read_bytes(), "text/csv")])
    at.run()
    assert not at.exception, at.exception
    assert "وُجدت 3 مشكلات؛ لم يُستورد شيء" in "\n".join(str(e.value) for e in at.error)
    table = at.dataframe[0].value
    row = table[table["العمود"] == "country"].iloc[0]
    assert row["المشكلة"] == f"«{FSI}XX{PDI}» ليس رمزًا وفق ISO 3166-1"
    assert row["طريقة التصحيح"] == "استخدم رمز ISO 3166-1 المكوَّن من حرفين"
    row = table[table["العمود"] == "organization"].iloc[0]
    assert row["المشكلة"] == f"«{FSI}afdd{PDI}» ليس معرّف منظمة"
    assert row["طريقة التصحيح"] == f"هل تقصد «{FSI}afd{PDI}»؟"
