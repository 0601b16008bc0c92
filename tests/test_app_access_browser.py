"""The app shared on a network, in a real browser (Debian chromium through Playwright): sign-in
first, a viewer's direct links to admin pages open the Overview, no e-mail address on any page a
viewer reaches, no import or erasure controls.

The server binds 127.0.0.1 (tests never listen on the network) with ``COPKG_AUTH=on``, which asks
for sign-in as a non-loopback ``server.address`` does (tested in ``test_app_access.py``).
Screenshots go to ``tests/screenshots/app/``.
"""

from __future__ import annotations

import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium, require_chromium, streamlit_app
from test_app_browser import SCRIPT_DONE, SHOTS

from graph.access import UsersFile

pytestmark = pytest.mark.browser

VIEWER = ("vera", "viewer password 1")
ADMIN = ("amina", "admin password 1")


@pytest.fixture(scope="module")
def shared_server(personal_store: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[str]:
    require_chromium()  # before any set-up
    folder = tmp_path_factory.mktemp("shared-browser")
    store = folder / "store"
    shutil.copytree(personal_store, store)
    users = UsersFile(folder / "users.json")
    users.add(*VIEWER[:1], "viewer", VIEWER[1])
    users.add(*ADMIN[:1], "admin", ADMIN[1])
    with streamlit_app(store, folder, env={"COPKG_USERS": str(users.path),
                                           "COPKG_AUTH": "on"}) as url:
        yield url


@pytest.fixture
def browser_page() -> Iterator[object]:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            yield context.new_page()
        finally:
            context.close()


def _done(page: object) -> None:
    page.wait_for_function(SCRIPT_DONE, timeout=60_000)  # type: ignore[attr-defined]


def _sign_in(page: object, url: str, name: str, password: str) -> None:
    """Open ``url`` (a new session), sign in on the screen it shows, wait for the page."""
    page.goto(url)  # type: ignore[attr-defined]
    _done(page)
    assert page.locator("h1").first.inner_text() == "Sign in"  # type: ignore[attr-defined]
    page.get_by_role("textbox", name="Name").fill(name)  # type: ignore[attr-defined]
    page.get_by_role("textbox", name="Password").fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('h1')].some(h => h.innerText !== 'Sign in')",
        timeout=60_000)
    _done(page)


def _open_from_sidebar(page: object, title: str) -> None:
    # A click in the sidebar keeps the session; typing an address starts a new one (sign in
    # again: Streamlit keeps no cookie).
    before = page.locator("h1").first.inner_text()  # type: ignore[attr-defined]
    sidebar = page.locator("[data-testid='stSidebarNav']")  # type: ignore[attr-defined]
    sidebar.get_by_text(title, exact=True).click()
    page.wait_for_function(  # type: ignore[attr-defined]
        "(before) => { const h = document.querySelector('h1');"
        " return h && h.innerText !== before; }", arg=before, timeout=60_000)
    _done(page)


def test_viewer_in_a_browser(shared_server: str, browser_page: object) -> None:
    page = browser_page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(shared_server)  # type: ignore[attr-defined]
    _done(page)
    page.screenshot(path=str(SHOTS / "sign-in.png"))  # type: ignore[attr-defined]
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Overview" not in body and "People" not in body  # nothing before sign-in

    # A direct link to the admin page: after signing in, the viewer gets the Overview.
    _sign_in(page, f"{shared_server}/users", *VIEWER)
    assert page.locator("h1").first.inner_text() == "Overview"  # type: ignore[attr-defined]
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Signed in as vera (viewer)" in body and "Add a user" not in body
    sidebar = page.inner_text("[data-testid='stSidebarNav']")  # type: ignore[attr-defined]
    assert "Data" in sidebar and "Users" not in sidebar
    assert "@example.org" not in body

    _open_from_sidebar(page, "Data")
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text() == "Data"  # type: ignore[attr-defined]
    assert page.locator("input[type=file]").count() == 0  # type: ignore[attr-defined]
    assert "Forget a person" not in body and "Import" not in body.split("Templates")[0]
    assert "left out of the exports" in body
    page.screenshot(path=str(SHOTS / "data-viewer.png"), full_page=True)  # type: ignore[attr-defined]

    for title in ("Network map", "Who collaborates", "How is X connected to Y", "Present"):
        _open_from_sidebar(page, title)
        assert "@example.org" not in page.inner_text("body"), title  # type: ignore[attr-defined]


def test_viewer_console_in_a_browser(shared_server: str, browser_page: object) -> None:
    page = browser_page
    query = "SELECT ?s ?o WHERE { ?s foaf:mbox|^foaf:mbox ?o }"
    _sign_in(page, f"{shared_server}/sparql?mode=console&query=" + urllib.parse.quote(query),
             *VIEWER)
    page.get_by_role("button", name="Run", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_timeout(1500)  # type: ignore[attr-defined]
    _done(page)
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "without personal data" in body
    assert "0 rows" in body
    assert "@example.org" not in body and "mailto:" not in body
    page.screenshot(path=str(SHOTS / "sparql-viewer.png"), full_page=True)  # type: ignore[attr-defined]


def test_admin_in_a_browser_sees_users_and_erasure(shared_server: str,
                                                   browser_page: object) -> None:
    page = browser_page
    _sign_in(page, f"{shared_server}/users", *ADMIN)
    assert page.locator("h1").first.inner_text() == "Users"  # type: ignore[attr-defined]
    _open_from_sidebar(page, "Data")
    body = page.inner_text("body")  # type: ignore[attr-defined]
    assert "Forget a person (erasure)" in body
    # The uploader's code loads lazily, after the page's text: wait for it, then count.
    page.wait_for_selector("input[type=file]", state="attached")  # type: ignore[attr-defined]
    assert page.locator("input[type=file]").count() == 1  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / "data-admin.png"), full_page=True)  # type: ignore[attr-defined]
