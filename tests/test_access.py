"""Access: users and roles, personal data by need, erasure (copkg forget) and the audit."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import KnowledgeGraph
from graph.access import (
    ACTIONS,
    ROLES,
    User,
    UsersFile,
    allowed,
    audit_log,
    forget,
    personal_properties,
    require,
    sign_in_required,
    viewer_graph,
)
from graph.cli import main
from graph.errors import AccessDenied, CopkgError, DataError, NotFoundError
from graph.ingest import export_graph, import_paths
from graph.queries import list_queries, run_saved, run_user_query
from graph.vocab import AUDIT_GRAPH

ROOT = Path(__file__).resolve().parents[1]
PERSON = "https://w3id.org/copkg/id/person/p0019"
#: Values only the personal columns hold: no page, export or viewer query may show them.
PERSONAL_MARKS = ("@example.org", "+216 71 000")


@pytest.fixture
def store_copy(personal_store: Path, tmp_path: Path) -> Path:
    """A private copy of the personal store, for tests that change it."""
    target = tmp_path / "store"
    shutil.copytree(personal_store, target)
    return target


@pytest.fixture
def personal_kg(personal_store: Path) -> Iterator[KnowledgeGraph]:
    kg = KnowledgeGraph.open(personal_store, read_only=True)
    yield kg
    kg.close()


# ------------------------------------------------------------------------------ roles, users
def test_roles_grow_viewer_editor_admin() -> None:
    assert ROLES == ("viewer", "editor", "admin")
    table = {action: [allowed(role, action) for role in ROLES] for action in ACTIONS}
    assert table["browse"] == [True, True, True]
    assert table["query"] == [True, True, True]
    assert table["import"] == [False, True, True]
    assert table["save_story"] == [False, True, True]
    assert table["see_personal"] == [False, True, True]
    assert table["forget"] == [False, False, True]
    assert table["manage_users"] == [False, False, True]
    assert not allowed(None, "browse")
    with pytest.raises(AccessDenied, match=r"bob \(viewer\) may not import: this needs the "
                                           "editor role"):
        require(User("bob", "viewer"), "import")
    with pytest.raises(AccessDenied, match="Nobody signed in"):
        require(None, "browse")


def test_users_file_keeps_bcrypt_hashes_only(tmp_path: Path) -> None:
    users = UsersFile(tmp_path / "users.json")
    assert len(users) == 0
    users.add("Amina", "admin", "correct horse battery")
    users.add("bob", "viewer", "another long one")
    text = users.path.read_text()
    assert "correct horse" not in text and "another long" not in text
    assert all(u["password_hash"].startswith("$2b$") for u in json.loads(text)["users"])
    assert stat.S_IMODE(os.stat(users.path).st_mode) == 0o600
    assert users.verify("amina", "correct horse battery") == User("Amina", "admin")
    assert users.verify("Amina", "correct horse batterY") is None
    assert users.verify("nobody", "correct horse battery") is None
    assert [r.name for r in users.records()] == ["Amina", "bob"]
    with pytest.raises(CopkgError, match='"bob" already exists'):
        users.add("BOB", "editor", "whatever long")
    users.add("bob", "editor", "a new password", replace=True)
    assert users.verify("bob", "a new password") == User("bob", "editor")
    assert users.current(User("bob", "viewer")) == User("bob", "editor")
    users.remove("bob")
    assert users.current(User("bob", "editor")) is None
    with pytest.raises(CopkgError, match='no user "bob".*the users are: Amina'):
        users.remove("bob")


@pytest.mark.parametrize(("name", "role", "password", "message"), [
    ("ana", "owner", "long enough", 'unknown role "owner"; use one of: viewer, editor, admin'),
    ("ana", "viewer", "short", "too short: use at least 8 characters"),
    ("ana", "viewer", "é" * 40, "longer than 72 bytes"),
    ("a b", "viewer", "long enough", '"a b" is not a valid user name'),
])
def test_users_file_refuses_bad_input(
    tmp_path: Path, name: str, role: str, password: str, message: str,
) -> None:
    users = UsersFile(tmp_path / "users.json")
    with pytest.raises(CopkgError, match=message):
        users.add(name, role, password)
    assert not users.path.exists()


def test_damaged_users_file_says_how_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text("{not json")
    with pytest.raises(CopkgError, match="users file .* is damaged"):
        UsersFile(path).records()


@pytest.mark.parametrize(("address", "setting", "required"), [
    ("127.0.0.1", None, False), ("localhost", None, False), ("::1", None, False),
    ("127.0.0.2", None, False), ("0.0.0.0", None, True), ("192.168.1.20", None, True),
    ("", None, True), (None, None, True), ("127.0.0.1", "on", True), ("10.0.0.5", "auto", True),
])
def test_sign_in_is_needed_off_this_machine(
    address: str | None, setting: str | None, required: bool,
) -> None:
    assert sign_in_required(address, setting or "auto") is required


def test_sign_in_cannot_be_turned_off() -> None:
    with pytest.raises(CopkgError, match='COPKG_AUTH is "off"'):
        sign_in_required("0.0.0.0", "off")


# ------------------------------------------------------------------------------ personal data
def test_personal_properties_are_declared_once_in_the_ontology() -> None:
    props = personal_properties()
    assert "http://xmlns.com/foaf/0.1/mbox" in props.always
    assert "https://w3id.org/copkg/column#phone" in props.always
    assert props.by_class["http://xmlns.com/foaf/0.1/homepage"] == {
        "http://xmlns.com/foaf/0.1/Person"}
    kg = KnowledgeGraph.in_memory()
    declared = kg.query("SELECT ?p WHERE { ?p cop:personalData ?v }")
    assert set(declared["p"]) == props.all


LEAKY_QUERIES = [
    "SELECT ?o WHERE { ?s ?p ?o }",
    "SELECT ?s ?o WHERE { ?s foaf:mbox|^foaf:mbox ?o }",
    "SELECT ?o WHERE { ?s (foaf:mbox|copx:phone)+ ?o }",
    "SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?o FROM <https://w3id.org/copkg/graph/people.csv> WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <https://w3id.org/copkg/id/person/p0001>",
    "SELECT ?o WHERE { <https://w3id.org/copkg/id/person/p0001> !rdf:type ?o }",
]


@pytest.mark.parametrize("query", LEAKY_QUERIES)
def test_viewers_console_cannot_read_personal_data(personal_kg: KnowledgeGraph,
                                                   query: str) -> None:
    full = run_user_query(personal_kg, query, row_cap=1_000_000)
    seen_full = full.triples_turtle if full.table is None else full.table.to_csv()
    assert "@example.org" in (seen_full or "")  # the store does hold e-mail addresses
    view = viewer_graph(personal_kg)
    result = run_user_query(view, query, row_cap=1_000_000)
    seen = result.triples_turtle if result.table is None else result.table.to_csv()
    assert seen  # the view still answers
    for mark in (*PERSONAL_MARKS, "mailto:", str(AUDIT_GRAPH)):
        assert mark not in seen


def test_viewers_view_has_everything_else(personal_kg: KnowledgeGraph) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    full = int(personal_kg.query(count)["n"][0])
    view = viewer_graph(personal_kg)
    personal = int(personal_kg.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        "VALUES ?p { foaf:mbox copx:phone } }")["n"][0])
    audit = int(personal_kg.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g = ?audit) }",
        {"audit": ox.NamedNode(str(AUDIT_GRAPH))})["n"][0])
    assert personal == 355 and audit > 0  # 350 e-mails + 5 phones
    assert int(view.query(count)["n"][0]) == full - personal - audit
    assert viewer_graph(personal_kg) is view  # kept while the store does not change


def test_saved_queries_never_return_personal_data(personal_kg: KnowledgeGraph) -> None:
    """Saved queries are fixed texts with typed values: run on a graph full of e-mails and
    phones, none returns one, so viewers may run them on the store itself."""
    for query in list_queries():
        table = run_saved(personal_kg, query.name).to_csv()
        for mark in (*PERSONAL_MARKS, "mailto:"):
            assert mark not in table, query.name


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq", "csv"])
def test_exports_leave_personal_data_out_unless_asked(
    personal_kg: KnowledgeGraph, tmp_path: Path, fmt: str,
) -> None:
    def text(path: Path) -> str:
        if fmt == "csv":
            return "".join(p.read_text(encoding="utf-8") for p in sorted(path.glob("*.csv")))
        return path.read_text(encoding="utf-8")

    out = export_graph(personal_kg, fmt, tmp_path / f"default.{fmt}")
    plain = text(out)
    assert "p0001" in plain
    for mark in (*PERSONAL_MARKS, "mailto:", str(AUDIT_GRAPH), "os:", "who"):
        assert mark not in plain
    full = text(export_graph(personal_kg, fmt, tmp_path / f"full.{fmt}", include_personal=True))
    assert "p0001@example.org" in full and "+216 71 000 000" in full
    assert str(AUDIT_GRAPH) not in full  # the audit is never exported
    if fmt == "csv":
        header = (tmp_path / "default.csv" / "people.csv").read_text().splitlines()[0]
        assert "email" not in header.split(",") and "phone" not in header.split(",")


def test_cli_export_flag(store_copy: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--store", str(store_copy), "--format", "csv",
                 "--out", str(tmp_path / "a.zip")]) == 0
    assert "personal data left out; --include-personal keeps it" in capsys.readouterr().out
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert "@example.org" not in archive.read("people.csv").decode()
    assert main(["export", "--store", str(store_copy), "--format", "csv", "--include-personal",
                 "--out", str(tmp_path / "b.zip")]) == 0
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert "p0019@example.org" in archive.read("people.csv").decode()


# ------------------------------------------------------------------------------ erasure
_MENTIONS = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
  FILTER(?s = ?x || ?o = ?x || CONTAINS(STR(?s), "/p0019") || CONTAINS(STR(?o), "/p0019")
         || CONTAINS(LCASE(STR(?o)), "benoît girard") || CONTAINS(STR(?o), "p0019@")) }
GROUP BY ?g"""


def test_forget_removes_the_person_from_every_graph(store_copy: Path,
                                                    personal_source: Path) -> None:
    kg = KnowledgeGraph.open(store_copy)
    before = kg.query(_MENTIONS, {"x": ox.NamedNode(PERSON)})
    mentions = int(before["n"].sum())
    assert mentions > 200
    assert len(before) >= 4  # people, memberships, participation, products
    dry = forget(kg, "Benoit GIRARD", who="amina", dry_run=True)
    assert dry.removed > mentions  # also the provenance records of the removed rows
    assert int(kg.query(_MENTIONS, {"x": ox.NamedNode(PERSON)})["n"].sum()) == mentions
    report = forget(kg, "p0019", who="amina")
    assert report.person == PERSON and report.label == "Benoît Girard"
    assert report.removed == dry.removed
    assert {"names", "affiliations", "memberships", "authorship", "participation",
            "provenance records"} <= set(report.by_kind)
    after = kg.query(_MENTIONS, {"x": ox.NamedNode(PERSON)})
    assert after.empty, after  # 0 statements mention the IRI, the id or the name, in any graph
    # Re-importing the original, unchanged files does not bring them back silently.
    with pytest.raises(DataError) as refused:
        import_paths(kg, [personal_source], who="amina")
    messages = [str(p) for p in refused.value.problems]
    assert any(m.startswith("people.csv, row 20, column id: p0019 is a person erased on ")
               for m in messages), messages[:3]
    assert any("memberships.csv" in m and "column member" in m for m in messages)
    assert all("p0019" in m for m in messages)
    assert kg.query(_MENTIONS, {"x": ox.NamedNode(PERSON)}).empty
    # The erasure record keeps the date, counts and a salted hash; not the person.
    audit = kg.query("SELECT ?s ?p ?o WHERE { GRAPH ?audit { ?s ?p ?o } }",
                     {"audit": ox.NamedNode(str(AUDIT_GRAPH))}).to_csv()
    assert "p0019" not in audit and "girard" not in audit.lower()
    log = audit_log(kg)
    assert log["action"].tolist() == ["erasure", "import"]
    assert log["who"].tolist() == ["amina", "ana"]
    with pytest.raises(NotFoundError, match=r"'p0019' was erased on 20\d\d-"):
        forget(kg, "p0019", who="amina")
    kg.close()


def test_forget_unknown_person_names_closest(personal_kg: KnowledgeGraph) -> None:
    with pytest.raises(NotFoundError, match=r"No person is called 'Benoit Girar'\. Closest "
                                            r"matches: Benoît Girard \(p0019\)"):
        forget(personal_kg, "Benoit Girar", who="x", dry_run=True)


def test_fixed_file_imports_after_forget(store_copy: Path, personal_source: Path,
                                         tmp_path: Path) -> None:
    kg = KnowledgeGraph.open(store_copy)
    forget(kg, "p0019", who="amina")
    fixed = tmp_path / "fixed"
    shutil.copytree(personal_source, fixed)
    for sheet, column in (("people", "id"), ("memberships", "member"),
                          ("participation", "participant")):
        rows = list(csv.DictReader((fixed / f"{sheet}.csv").open(encoding="utf-8")))
        kept = [r for r in rows if r[column] != "p0019"]
        with (fixed / f"{sheet}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(kept)
    rows = list(csv.DictReader((fixed / "products.csv").open(encoding="utf-8")))
    for r in rows:
        r["authors"] = ";".join(a for a in r["authors"].split(";") if a != "p0019") or "p0001"
    with (fixed / "products.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_paths(kg, [fixed], who="amina")
    assert {f.file: f.status for f in report.files}["people.csv"] == "replaced"
    assert kg.query(_MENTIONS, {"x": ox.NamedNode(PERSON)}).empty
    assert audit_log(kg)["action"].tolist() == ["import", "erasure", "import"]
    kg.close()


# ------------------------------------------------------------------------------ CLI and audit
def _cli(*args: str, stdin: str = "", env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from graph.cli import main; sys.exit(main())",
         *args], input=stdin, capture_output=True,
        text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "COPKG_BCRYPT_ROUNDS": "4",
             "COPKG_ACTOR": "amina", **(env or {})},
    )


def test_cli_users_forget_audit_each_once(store_copy: Path) -> None:
    store = ["--store", str(store_copy)]
    added = _cli("users", "add", "bob", "--role", "viewer", "--password-stdin", *store,
                 stdin="long enough pass\n")
    assert added.returncode == 0, added.stderr
    users_file = store_copy.parent / "users.json"
    assert added.stdout.strip() == f"added user bob (viewer) in {users_file}"
    listed = _cli("users", "list", "--format", "csv", *store)
    assert listed.stdout.splitlines()[0] == "name,role,created"
    assert listed.stdout.splitlines()[1].startswith("bob,viewer,")
    bad = _cli("users", "add", "eve", "--role", "owner", *store, stdin="long enough pass\n")
    assert bad.returncode == 2 and "invalid choice: 'owner'" in bad.stderr
    short = _cli("users", "add", "eve", "--role", "viewer", *store, stdin="short\n")
    assert short.returncode == 1
    assert short.stderr.strip() == ("copkg users: the password is too short: use at least 8 "
                                    "characters")
    gone = _cli("forget", "p0019", *store)
    assert gone.returncode == 0, gone.stderr
    assert gone.stdout.startswith("removed ") and "about Benoît Girard (p0019)" in gone.stdout
    unknown = _cli("forget", "Zorro", *store)
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("copkg forget: No person is called 'Zorro'.")
    removed = _cli("users", "remove", "bob", *store)
    assert removed.stdout.strip() == f"removed user bob (viewer) from {users_file}"
    audit = _cli("audit", "--format", "json", *store)
    rows = json.loads(audit.stdout)
    assert [(r["who"], r["action"], r["what"].split(":")[0]) for r in rows] == [
        ("amina", "users", "user bob removed (was viewer)"),
        ("amina", "erasure", "erased one person"),
        ("amina", "users", "user bob added (viewer)"),
        ("ana", "import", rows[-1]["what"].split(":")[0]),
    ]
    assert rows[-1]["what"].startswith("import cmi.ttl (imported), events.csv (imported)")
    assert len(rows[-1]["file_hash"].split()) == 8  # cmi.ttl and the seven sheets


def test_user_change_while_the_store_is_busy_is_queued(store_copy: Path) -> None:
    holder = KnowledgeGraph.open(store_copy)  # as the app would
    added = _cli("users", "add", "carol", "--role", "editor", "--password-stdin",
                 "--store", str(store_copy), stdin="long enough pass\n")
    assert added.returncode == 0, added.stderr
    assert "the store is in use" in added.stderr
    holder.close()
    audit = _cli("audit", "--format", "json", "--store", str(store_copy))
    rows = json.loads(audit.stdout)
    assert [r["what"] for r in rows if r["action"] == "users"] == [
        "user carol added (editor)"]
    again = json.loads(_cli("audit", "--format", "json", "--store", str(store_copy)).stdout)
    assert len(again) == len(rows)  # written once, not once per listing
    assert not any("pending" in r["when"] for r in again)


def test_password_prompt_reads_stdin_for_scripts(tmp_path: Path) -> None:
    users = tmp_path / "u.json"
    result = _cli("users", "add", "dan", "--role", "admin", "--users", str(users),
                  "--store", str(tmp_path / "store"), stdin="from a script 1\n")
    assert result.returncode == 0, result.stderr
    assert UsersFile(users).verify("dan", "from a script 1") == User("dan", "admin")


def test_audit_graph_is_its_own_named_graph(personal_kg: KnowledgeGraph) -> None:
    graphs = personal_kg.named_graphs()
    assert str(AUDIT_GRAPH) in graphs
    df = personal_kg.query(
        "SELECT ?a ?when WHERE { GRAPH ?g { ?a a cop:ImportActivity ; prov:startedAtTime ?when ;"
        " prov:wasAssociatedWith ?agent . ?agent a prov:Agent } }",
        {"g": ox.NamedNode(str(AUDIT_GRAPH))})
    assert len(df) == 1
    text = io.StringIO()
    audit_log(personal_kg).to_csv(text, index=False)
    assert text.getvalue().splitlines()[0] == "when,who,action,what,file_hash"
