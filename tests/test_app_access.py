"""The app shared on a network: sign-in, what each role sees and may do (AppTest).

``COPKG_AUTH=on`` asks for sign-in as a non-loopback ``server.address`` would; the store is a
private writable copy of a graph whose people have e-mail addresses and phones.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from streamlit.testing.v1 import AppTest

from graph import KnowledgeGraph
from graph.access import UsersFile

PERSON = "https://w3id.org/copkg/id/person/p0019"
PERSONAL_MARKS = ("@example.org", "+216 71 000")
APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 90
PASSWORDS = {"amina": "admin password 1", "eddie": "editor password 1",
             "vera": "viewer password 1"}
MBOX_QUERY = "SELECT ?s ?o WHERE { ?s foaf:mbox|^foaf:mbox ?o }"
COUNT_PERSON = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                "FILTER(?s = ?x || ?o = ?x) }")


@pytest.fixture(scope="module")
def users_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("users") / "users.json"
    users = UsersFile(path)
    users.add("amina", "admin", PASSWORDS["amina"])
    users.add("eddie", "editor", PASSWORDS["eddie"])
    users.add("vera", "viewer", PASSWORDS["vera"])
    return path


@pytest.fixture
def shared_app(personal_store: Path, users_path: Path, tmp_path: Path) -> Iterator[Path]:
    """The app as shared on a network, on a private copy of the personal store."""
    store = tmp_path / "store"
    shutil.copytree(personal_store, store)
    saved = {k: os.environ.get(k) for k in
             ("COPKG_STORE", "COPKG_READ_ONLY", "COPKG_ENDPOINT", "COPKG_USERS", "COPKG_AUTH")}
    os.environ.update(COPKG_STORE=str(store), COPKG_USERS=str(users_path), COPKG_AUTH="on")
    os.environ.pop("COPKG_READ_ONLY", None)
    os.environ.pop("COPKG_ENDPOINT", None)
    from views.ui.store import _open_store

    _open_store.clear()  # type: ignore[attr-defined]
    yield store
    _open_store.clear()  # type: ignore[attr-defined]  # releases the store's lock
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def texts(elements: object) -> str:
    return "\n".join(str(e.value) for e in elements)  # type: ignore[attr-defined]


def sign_in(name: str, password: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="access_name").input(name)
    at.text_input(key="access_password").input(password or PASSWORDS[name])
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def audit_table(at: AppTest) -> pd.DataFrame:
    tables = [d.value for d in at.dataframe if "who" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def person_count(store: Path) -> int:
    from views.ui.store import _open_store

    _open_store.clear()  # type: ignore[attr-defined]
    kg = KnowledgeGraph.open(store, read_only=True)
    try:
        return int(kg.query(COUNT_PERSON, {"x": ox.NamedNode(PERSON)})["n"][0])
    finally:
        kg.close()


# ------------------------------------------------------------------------------ sign-in
@pytest.mark.usefixtures("shared_app")
def test_sign_in_screen_first_in_three_languages() -> None:
    for lang, title, button in (("en", "Sign in", "Sign in"), ("fr", "Connexion", "Se connecter"),
                                ("ar", "تسجيل الدخول", "دخول")):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert at.title[0].value == title
        assert at.button[0].label == button
        assert not at.metric and not at.dataframe  # nothing of the graph before sign-in


@pytest.mark.usefixtures("shared_app")
def test_wrong_password_is_refused() -> None:
    at = sign_in("vera", "not her password")
    assert texts(at.error) == "Wrong name or password."
    assert at.title[0].value == "Sign in"
    at = sign_in("nobody", "whatever long")
    assert texts(at.error) == "Wrong name or password."


@pytest.mark.usefixtures("shared_app")
def test_forged_session_state_does_not_sign_in() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["_copkg_session"] = {"user": {"name": "amina", "role": "admin"}}
    at.run()
    assert at.title[0].value == "Sign in"
    assert not at.metric


def test_no_users_refuses_to_start(shared_app: Path, tmp_path: Path) -> None:
    os.environ["COPKG_USERS"] = str(tmp_path / "none.json")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert "no users are configured" in texts(at.error)
    assert "copkg users add NAME --role admin" in texts(at.code)
    assert not at.metric and not at.title


# ------------------------------------------------------------------------------ viewer
def test_viewer_cannot_see_or_call_import_erasure_users(shared_app: Path) -> None:
    at = sign_in("vera")
    assert "Signed in as vera (viewer)" in texts(at.caption)
    assert at.title[0].value == "Overview"
    assert "Recent activity" not in texts(at.subheader)  # the audit names people
    at = go(at, "data")
    assert not at.get("file_uploader")
    headers = texts(at.header)
    assert "Import" not in headers and "Forget a person (erasure)" not in headers
    assert "left out of the exports" in texts(at.caption)
    assert not [c for c in at.checkbox if c.key == "export_personal"]
    # Forged widget state for the erasure and import controls: nothing runs.
    at.session_state["data_forget_person"] = "p0019"
    at.session_state["export_personal"] = True
    at.run()
    assert not at.exception
    assert not [b for b in at.button if b.key in ("data_forget", "data_import")]
    assert person_count(shared_app) > 0
    # The Users page is not registered for viewers (its address opens the Overview: checked in
    # Chromium), and run on its own it refuses (test_viewer_page_run_directly_is_refused).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/users.py")


def test_viewer_page_run_directly_is_refused(shared_app: Path) -> None:
    at = sign_in("vera")
    views = Path(APP).parent / "views"
    for page, needed in (("users", "manage_users"),):
        direct = AppTest.from_file(str(views / f"{page}.py"), default_timeout=TIMEOUT)
        direct.session_state["_copkg_session"] = at.session_state["_copkg_session"]
        direct.run()
        shown = texts(direct.error).replace("\\", "")
        assert shown == (f"Not allowed: vera (viewer) may not {needed.replace('_', ' ')}: "
                         "this needs the admin role.")
        assert not direct.dataframe
    for page in ("data", "sparql", "overview", "present"):  # nobody signed in
        direct = AppTest.from_file(str(views / f"{page}.py"), default_timeout=TIMEOUT)
        direct.run()
        assert "Nobody signed in may not" in texts(direct.error).replace("\\", ""), page
        assert not direct.dataframe and not direct.get("file_uploader")


def test_viewer_present_page_has_no_story_builder(shared_app: Path) -> None:
    at = sign_in("vera", mode="edit")
    at = go(at, "present")
    assert not [r for r in at.radio if r.key == "present_mode" and "edit" in r.options]
    assert not [b for b in at.button if b.key == "present_save"]
    # (AppTest cannot send a radio value outside its options; the page resets such a value
    # to "play" before drawing the radio, and editor() checks the role again.)


def test_viewer_console_reads_no_personal_data(shared_app: Path) -> None:
    at = sign_in("vera")
    at = go(at, "sparql")
    at.radio(key="sq_mode").set_value("console").run()
    assert "without personal data" in texts(at.caption)
    at.text_area(key="sq_text").input(MBOX_QUERY)
    at.button(key="sq_run").click().run()
    assert not at.exception
    shown = at.dataframe[0].value.to_csv() if at.dataframe else ""
    assert "0 rows" in texts(at.caption) or not shown.strip().count("\n")
    for mark in (*PERSONAL_MARKS, "mailto:"):
        assert mark not in shown
    at.text_area(key="sq_text").input("SELECT ?o WHERE { ?s ?p ?o }")
    at.button(key="sq_run").click().run()
    assert at.dataframe and "p0001@example.org" not in at.dataframe[0].value.to_csv()


# ------------------------------------------------------------------------------ editor, admin
def test_editor_sees_personal_data_and_import_not_erasure(shared_app: Path) -> None:
    at = sign_in("eddie")
    assert "Recent activity" in texts(at.subheader)
    at = go(at, "data")
    assert at.get("file_uploader")
    assert [c for c in at.checkbox if c.key == "export_personal"]
    assert "Forget a person (erasure)" not in texts(at.header)
    at = go(at, "sparql")
    at.radio(key="sq_mode").set_value("console").run()
    at.text_area(key="sq_text").input(MBOX_QUERY)
    at.button(key="sq_run").click().run()
    assert "mailto:p0001@example.org" in at.dataframe[0].value.to_csv()


def test_admin_erases_and_the_overview_shows_it_once(shared_app: Path) -> None:
    at = sign_in("amina")
    at = go(at, "data")
    at.text_input(key="data_forget_person").input("Benoit Girard").run()
    assert "removed" in texts(at.code) and "(p0019)" in texts(at.code)
    at.button(key="data_forget").click().run()
    assert not at.exception
    assert "Erased:" in texts(at.success)
    at = go(at, "overview")
    audit = audit_table(at)
    assert list(audit.columns) == ["when", "who", "action", "what", "file hash (SHA-256)"]
    assert audit["action"].tolist() == ["erasure", "import"]
    assert audit["who"].tolist() == ["amina", "ana"]
    assert person_count(shared_app) == 0


def test_admin_manages_users_and_changes_are_audited(shared_app: Path,
                                                     users_path: Path) -> None:
    at = sign_in("amina")
    at = go(at, "users")
    assert at.title[0].value == "Users"
    assert {"amina", "eddie", "vera"} <= set(at.dataframe[0].value["Name"])
    at.text_input(key="users_name").input("walid")
    at.selectbox(key="users_role").set_value("viewer")
    at.text_input(key="users_password").input("walid password")
    at.text_input(key="users_again").input("walid password")
    next(b for b in at.button if b.label == "Add a user").click()  # the form's submit
    at.run()
    assert "walid added (viewer)." in texts(at.success)
    assert UsersFile(users_path).get("walid") is not None
    at.selectbox(key="users_remove_name").set_value("walid").run()
    at.button(key="users_remove").click().run()
    assert UsersFile(users_path).get("walid") is None
    at = go(at, "overview")
    audit = audit_table(at)
    assert audit["what"].tolist()[:2] == ["user walid removed (was viewer)",
                                          "user walid added (viewer)"]


def test_network_address_turns_sign_in_on(shared_app: Path) -> None:
    """No COPKG_AUTH: binding another address than 127.0.0.1 is what asks for sign-in."""
    from streamlit import config

    os.environ.pop("COPKG_AUTH", None)
    before = config.get_option("server.address")
    try:
        config.set_option("server.address", "127.0.0.1")
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        assert at.title[0].value == "Overview"  # this machine only: no sign-in
        config.set_option("server.address", "0.0.0.0")
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        assert at.title[0].value == "Sign in" and not at.metric
    finally:
        config.set_option("server.address", before)
