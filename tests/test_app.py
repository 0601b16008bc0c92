"""The Streamlit app, page by page, as AppTest sees it (no JavaScript: maps are checked for their
HTML here and drawn in a real browser by ``test_app_browser.py``).

The app opens ``$COPKG_STORE``; these tests point it at the session's bundled store, read-only
(``COPKG_READ_ONLY=1``), so it never takes the store's write lock. The Data page's import runs on
a private writable copy.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from graph import KnowledgeGraph
from graph.maps.credits import map_credits

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 60




def open_page(page: str | None = None, **params: str | list[str]) -> AppTest:
    """The app after one run on ``views/<page>.py`` with the URL query ``params``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()  # the router runs first (st.navigation), on the default page
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"views/{page}.py")
        at.query_params.clear()
        at.query_params.update(params)
        at.run()
    return at


def texts(elements: object) -> str:
    return "\n".join(str(e.value) for e in elements)  # type: ignore[attr-defined]


def iframe_srcdoc(at: AppTest) -> str:
    frames = at.get("iframe")
    assert frames, "no map iframe on the page"
    return frames[0].proto.srcdoc


pytestmark = pytest.mark.usefixtures("app_env")


# --------------------------------------------------------------------------------- overview
def test_overview_shows_counts_members_communities_and_banner() -> None:
    at = open_page()
    assert not at.exception
    assert at.title[0].value == "Overview"
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["People"].replace(",", "")) > 300
    assert int(labels["Communities of practice"]) == 3
    assert "illustrative data" in texts(at.warning).lower()
    assert len(at.dataframe) >= 4  # members by country, by type, communities, imports
    headers = texts(at.header)
    assert "Members and partners" in headers and "Communities of practice" in headers


def test_language_from_url_and_bad_language() -> None:
    at = open_page(lang="fr")
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "fr"
    assert at.title[0].value == "Vue d'ensemble"
    assert at.query_params.get("lang") == "fr"
    at = open_page(lang="xx")
    assert not at.exception
    assert "lang" in texts(at.warning)


def test_arabic_is_right_to_left() -> None:
    at = open_page(lang="ar")
    assert not at.exception
    assert any("direction: rtl" in str(m.value) for m in at.markdown)


# --------------------------------------------------------------------------------- map
def test_map_draws_an_offline_escaped_map() -> None:
    at = open_page("network_map")
    assert not at.exception
    html = iframe_srcdoc(at)
    assert "copkgNetwork" in html
    assert "http://" not in html and "https://" not in html.replace("https://w3id.org", "")
    assert "illustrative" in texts(at.warning).lower()
    # 351 people < cap 500: drawn whole, nothing said (capping: test_map_caption_counts_…)
    assert "highest by" not in texts(at.info)
    assert at.download_button


def test_map_focus_from_url_shows_evidence() -> None:
    at = open_page("network_map", node="p0019", color="country", size="betweenness")
    assert not at.exception, at.exception
    assert at.selectbox(key="map_node").value.endswith("/person/p0019")
    assert at.selectbox(key="map_color").value == "country"
    evidence = at.dataframe[-1].value
    assert {"With", "Evidence", "Kind", "Year"} <= set(evidence.columns)  # headers as shown
    assert len(evidence) > 0
    assert at.query_params["node"].endswith("/person/p0019")


def test_map_bad_url_values_warn_and_fall_back() -> None:
    at = open_page("network_map", projection="bogus", node="Nobody Atall", cap="lots",
                   country="ZZ", **{"from": "1066"})
    assert not at.exception
    warnings = texts(at.warning)
    for name in ("projection", "node", "cap", "country"):
        assert f"`{name}`" in warnings, name
    assert at.selectbox(key="map_projection").value == "people"
    assert at.selectbox(key="map_node").value is None


BACKBONE_NOTE = re.compile(r'"\d[\d,\u202f\u00a0]* of \d[\d,\u202f\u00a0]* links drawn')


def test_map_min_weight_default_url_and_source_note() -> None:
    at = open_page("network_map")
    html = iframe_srcdoc(at)
    assert at.number_input(key="map_min_weight").value == 1  # the backbone keeps it readable
    assert "Links with weight ≥ 2" not in html
    assert BACKBONE_NOTE.search(html)  # the note itself, not the catalogue's template
    assert at.toggle(key="map_all_links").value is False
    # the same source line as `copkg map` (the imported files), not the store's folder
    kg = KnowledgeGraph.open(os.environ["COPKG_STORE"], read_only=True)
    try:
        source = map_credits(kg)["source_note"]
    finally:
        kg.close()
    assert source and f"Source: {source}" in html
    # the store's latest import, written the reader's way ("Data as of Nov 30, 2026")
    assert re.search(r"Data as of [A-Z][a-z]{2} \d{1,2}, 20\d\d", html)
    store = os.environ.get("COPKG_STORE") or ""
    assert not store or store not in html
    assert "min_weight" not in at.query_params  # the default is not written
    at = open_page("network_map", min_weight="3")
    assert at.number_input(key="map_min_weight").value == 3
    assert "Links with weight ≥ 3: " in iframe_srcdoc(at)
    assert at.query_params["min_weight"] == "3"
    for bad in ("lots", "0", "1e9", "nan"):
        at = open_page("network_map", min_weight=bad)
        assert not at.exception
        assert "`min_weight`" in texts(at.warning), bad
        assert at.number_input(key="map_min_weight").value == 1


def test_map_all_links_one_switch_away() -> None:
    at = open_page("network_map", links="all")
    assert at.toggle(key="map_all_links").value is True
    assert not BACKBONE_NOTE.search(iframe_srcdoc(at))
    assert at.query_params["links"] == "all"


def test_map_other_projection_and_filters() -> None:
    at = open_page("network_map", projection="organizations", tie=["event", "coauthorship"],
                   community="urban-transport")
    assert not at.exception
    assert at.selectbox(key="map_projection").value == "organizations"
    assert at.multiselect(key="map_comm").value == ["urban-transport"]
    assert "copkgNetwork" in iframe_srcdoc(at)


# --------------------------------------------------------------------------------- collaborators
def test_collaborators_tables() -> None:
    at = open_page("collaborators", person="p0019")
    assert not at.exception, at.exception
    assert len(at.tabs) == 5
    measures = at.dataframe[0].value
    # Readable ranking (issue #9): human names, sorted by the chosen measure, "Group" for
    # detected clusters with one-member clusters folded into "not connected", names not IRIs.
    assert list(measures.columns[:5]) == ["Name", "Kind", "Type", "Country",
                                          "Betweenness (brokerage)"]
    assert {"Connections", "Group"} <= set(measures.columns)
    betweenness = measures["Betweenness (brokerage)"].tolist()
    assert betweenness == sorted(betweenness, reverse=True)
    assert len(measures) > 300
    assert not measures["Name"].str.startswith("http").any()
    assert set(measures["Group"]) <= {f"Group {n}" for n in range(1, 50)} | {"not connected"}
    assert any("How often they lie on the shortest chain" in c.value for c in at.caption)
    assert at.download_button
    assert len(at.dataframe) >= 6  # ranking, brokers, groups, coverage ×2, gaps, introductions
    assert any("read two ways" in c.value for c in at.caption)  # the coverage definition


def test_collaborators_filter_box() -> None:
    at = open_page("collaborators", q="TN")
    assert not at.exception
    shown = at.dataframe[0].value
    assert 0 < len(shown) < 351
    assert at.query_params["q"] == "TN"


# --------------------------------------------------------------------------------- connection
def test_connection_between_two_people() -> None:
    at = open_page("connection", a="p0019", b="p0093")
    assert not at.exception, at.exception
    assert texts(at.success) or texts(at.info)
    if at.success:
        assert "copkgNetwork" in iframe_srcdoc(at)
        steps = at.dataframe[0].value
        assert {"Step", "From", "To", "Evidence"} <= set(steps.columns)


def test_connection_unknown_and_same_node() -> None:
    at = open_page("connection", a="No Such Person", b="p0093")
    assert not at.exception
    assert "`a`" in texts(at.warning)
    assert "Choose two names" in texts(at.info)
    at = open_page("connection", a="p0093", b="p0093")
    assert not at.exception
    assert "same actor" in texts(at.info)


# --------------------------------------------------------------------------------- SPARQL
def test_saved_query_with_params_from_url() -> None:
    at = open_page("sparql", q="experts_of_community", **{"p.community": "employment"})
    assert not at.exception, at.exception
    assert at.selectbox(key="sq_name").value == "experts_of_community"
    assert at.text_input(key="sq_experts_of_community_community").value == "employment"
    assert len(at.dataframe[0].value) > 0
    assert len(at.download_button) >= 2  # CSV and JSON


def test_pairs_result_is_also_drawn_as_a_network() -> None:
    at = open_page("sparql", q="coauthors")
    assert not at.exception, at.exception
    assert [e.label for e in at.expander if "network" in e.label] == [
        "Show these pairs as a network"
    ]
    page = iframe_srcdoc(at)
    assert "copkgNetwork" in page and "https://" not in page.replace("https:\\/\\/", "")


def test_saved_query_bad_param_and_unknown_query() -> None:
    at = open_page("sparql", q="knowledge_products", **{"p.year_from": "soon"})
    assert not at.exception
    assert "p.year_from" in texts(at.warning)
    assert at.number_input(key="sq_knowledge_products_year_from").value is None
    at = open_page("sparql", q="no_such_query")
    assert not at.exception
    assert "`q`" in texts(at.warning)


def test_console_query_from_a_link_is_shown_not_run() -> None:
    query = "SELECT ?c WHERE { ?c a cop:CommunityOfPractice } ORDER BY ?c"
    at = open_page("sparql", mode="console", query=query)
    assert not at.exception
    assert at.text_area(key="sq_text").value == query
    assert not at.dataframe and "has not been run" in texts(at.info)
    at.button(key="sq_run").click().run()  # the reader read it and presses Run
    assert not at.exception and len(at.dataframe[0].value) == 3
    assert "has not been run" not in texts(at.info)


def test_console_refuses_updates() -> None:
    at = open_page("sparql", mode="console", query="DELETE WHERE { ?s ?p ?o }")
    assert not at.exception and not at.error
    at.button(key="sq_run").click().run()
    assert "refused" in texts(at.error)


def test_console_syntax_error_names_the_line() -> None:
    at = open_page("sparql", mode="console", query="SELECT * WHERE {\n  ?s ?p \n}")
    assert not at.exception and not at.error
    at.button(key="sq_run").click().run()
    assert "line 3" in texts(at.error)
    assert at.code and "3:" in at.code[-1].value


def test_console_select_and_ask() -> None:
    at = open_page("sparql", mode="console")
    at.text_area(key="sq_text").input(
        "SELECT ?c WHERE { ?c a cop:CommunityOfPractice } ORDER BY ?c")
    at.button(key="sq_run").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 3
    assert "COPKG_QUERY_ROW_CAP" in texts(at.caption)
    assert at.query_params["mode"] == "console"
    assert "CommunityOfPractice" in at.query_params["query"]
    at.text_area(key="sq_text").input("ASK { ?p a foaf:Person }")
    at.button(key="sq_run").click().run()
    assert at.metric[0].value == "true"


# --------------------------------------------------------------------------------- data
@pytest.fixture
def writable_store(bundled_store_dir: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "store"
    shutil.copytree(bundled_store_dir, copy)
    os.environ["COPKG_STORE"] = str(copy)
    os.environ.pop("COPKG_READ_ONLY", None)
    yield copy
    os.environ["COPKG_STORE"] = str(bundled_store_dir)
    os.environ["COPKG_READ_ONLY"] = "1"


BAD_PEOPLE = (
    b"id,name,organization,country\n"
    b"x0001,Test Person,no-such-org,TN\n"
    b"x0002,,afd,QQ\n"
)


def good_workbook() -> bytes:
    """A workbook with one new person (its own file name, so it adds a graph, replaces none)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        pd.DataFrame({"id": ["x0001"], "name": ["Test Person"], "organization": ["afd"],
                      "country": ["TN"]}).to_excel(writer, sheet_name="people", index=False)
    return buffer.getvalue()


def test_data_page_read_only_offers_templates_and_exports() -> None:
    at = open_page("data")
    assert not at.exception
    assert "read-only" in texts(at.info)
    assert at.file_uploader[0].accept_multiple_files
    labels = [b.label for b in at.download_button]
    assert any("Excel" in t for t in labels) and any("Turtle" in t for t in labels)


def test_upload_with_errors_lists_problems_and_writes_nothing(writable_store: Path) -> None:
    at = open_page("data")
    at.file_uploader[0].set_value([("people.csv", BAD_PEOPLE, "text/csv")])
    at.run()
    assert not at.exception, at.exception
    assert "nothing was imported" in texts(at.error).lower()
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["File", "Sheet", "Row", "Column", "Problem",
                                      "How to fix it"]
    assert len(problems) >= 3
    assert not [b for b in at.button if b.key == "data_import"]
    at.get("file_uploader")  # the app is still responsive
    del at
    kg = KnowledgeGraph.open(writable_store, read_only=True)
    try:
        assert not kg.query("SELECT ?p WHERE { ?p foaf:name 'Test Person' }").shape[0]
    finally:
        kg.close()


def test_upload_valid_file_then_import(writable_store: Path) -> None:
    at = open_page("data")
    at.file_uploader[0].set_value([("extra.xlsx", good_workbook(), "application/vnd.ms-excel")])
    at.run()
    assert not at.exception, at.exception
    assert "No problems found" in texts(at.success)
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert "Imported" in texts(at.success)
    at.switch_page("views/sparql.py")
    at.query_params.clear()
    at.query_params.update(mode="console", query="SELECT ?p WHERE { ?p foaf:name 'Test Person' }")
    at.run()
    at.button(key="sq_run").click().run()  # a query from a link waits for Run
    assert len(at.dataframe[0].value) == 1


def test_import_that_removes_data_needs_the_confirm_step(writable_store: Path) -> None:
    """A header-only people.csv would remove the 350 people: shown, and imported only once a
    person ticks the confirmation."""
    at = open_page("data")
    at.file_uploader[0].set_value([("people.csv", b"id,name,organization,country\n",
                                    "text/csv")])
    at.run()
    assert not at.exception, at.exception
    effects = at.dataframe[1].value
    assert list(effects.columns) == ["File", "Kind", "Added", "Changed", "Removed"]
    assert effects.values.tolist() == [["people.csv", "Person", 0, 0, 350]]
    warning = texts(at.warning).replace("\\", "")  # markdown escapes, not shown
    assert "people.csv would remove 350 resources (Person: 350) and add 0" in warning
    assert at.button(key="data_import").disabled
    at.checkbox(key="data_confirm").check().run()
    assert not at.button(key="data_import").disabled
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert "Imported" in texts(at.success)
    del at
    kg = KnowledgeGraph.open(writable_store, read_only=True)
    try:
        assert not kg.ask("ASK { GRAPH <https://w3id.org/copkg/graph/people.csv> "
                          "{ ?p a foaf:Person } }")
    finally:
        kg.close()


# --------------------------------------------------------------------------------- strings
def _tr_calls() -> list[tuple[str, object]]:
    """Every ``tr(...)`` call of the app: (file, call node)."""
    import ast

    root = Path(APP).parent
    calls = []
    for path in [root / "app.py", *sorted((root / "views").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr":
                calls.append((path.name, node))
    return calls


def test_every_app_string_is_in_the_catalogues() -> None:
    """Each ``tr("key")`` of the app names a key of en.json (so fr/ar translate it), with no
    English default beside it; a key built from a name (``f"kind.{k}"``) names a family of keys
    that exists, and the names it is built from are checked where they are defined."""
    import ast

    from graph import i18n
    from graph.maps import COLOR_BY, MEASURES
    from graph.network import ALL_TIES, PROJECTIONS

    english = i18n.catalogue("en")
    keys: set[str] = set()
    for file, node in _tr_calls():
        assert isinstance(node, ast.Call)
        assert len(node.args) == 1, f"{file}:{node.lineno}: tr(key, **values) only"
        arg = node.args[0]
        if isinstance(arg, ast.Constant):
            keys.add(arg.value)
        elif isinstance(arg, ast.JoinedStr):
            head = arg.values[0]
            prefix = head.value if isinstance(head, ast.Constant) else ""
            assert prefix and any(k.startswith(prefix) for k in english), (file, node.lineno)
    keys |= {f"projection.{p}" for p in PROJECTIONS}
    keys |= {f"tie.{t}" for t in ALL_TIES}
    keys |= {f"measure.{m}" for m in MEASURES}
    keys |= {f"app.colour_{c}" for c in COLOR_BY}
    keys |= {f"app.count_{k}" for k in ("organizations", "people", "communities", "products",
                                         "events", "themes")}
    keys |= {f"app.by_{b}" for b in ("community", "country")}
    keys |= {f"kind.{k}" for k in ("person", "organization", "country", "community", "event",
                                   "product")}
    from graph.analysis import RANKABLE

    keys |= {f"measure.{m}" for m in RANKABLE}  # the ranking's "Rank by" choices
    keys |= _evolution_keys()
    assert len(keys) > 200
    assert sorted(k for k in keys if k not in english) == []



def _evolution_keys() -> set[str]:
    """Keys the Evolution page builds from names: windows, charts, columns, layouts, pairs,
    definitions."""
    from graph.analysis.evolution import DEFINITION_KEYS
    from graph.analysis.integration import MATRIX_COLUMNS
    from graph.analysis.regions import REGION_PAIRS
    from graph.analysis.trends import TREND_COLUMNS, WINDOWS

    columns = {*TREND_COLUMNS, *MATRIX_COLUMNS, "share_of_cross_border_ties", "country",
               "rank", "learns_from", "events", "hosted", "presented", "country_name",
               "learns_from_name"}
    return ({f"evolution.window_{w}" for w in WINDOWS}
            | {f"evolution.layout_{x}" for x in ("geo", "network")}
            | {f"evolution.chart_{c}" for c in ("activity", "modes", "network", "structure",
                                                "integration")}
            | {f"evolution.col_{c}" for c in columns - {"country_a", "country_b"}}
            | {f"evolution.pair_{p.replace('-', '_')}" for p in REGION_PAIRS}
            | {k for ks in DEFINITION_KEYS.values() for k in ks})


def test_tr_has_no_english_fallback() -> None:
    """A key missing from the catalogue is a bug that shows, never silently English."""
    from views.ui.lang import tr

    with pytest.raises(KeyError, match="no UI string"):
        tr("app.no_such_key")


def test_collaborators_introduce_someone_without_ties_and_bad_link_filters() -> None:
    # Issue #9: Mourad Ezzine has no tie at all; he still gets introductions, with reasons.
    at = open_page("collaborators", person="Mourad Ezzine", community="nonexistent-xyz")
    assert not at.exception, at.exception
    intro = at.dataframe[-1].value
    assert "Center for Mediterranean Integration" in intro.iloc[0]["Why"]
    assert "already tied" not in texts(at.info)
    warned = texts(at.warning)
    assert "No community is called" in warned and "nonexistent" in warned
    assert "urban" in warned  # the communities that exist are named


def test_map_caption_counts_the_network_the_title_block_draws_from() -> None:
    """One meaning per number: the caption counts the network, the map's title block says how
    many of those same links it draws (the caption's total is the title block's)."""
    at = open_page("network_map")
    caption = re.search(r"In this network: ([\d,]+) nodes, ([\d,]+) links", texts(at.caption))
    assert caption, texts(at.caption)
    drawn = re.search(r'"([\d,]+) of ([\d,]+) links drawn', iframe_srcdoc(at))
    assert drawn
    assert drawn.group(2) == caption.group(2)
    assert int(drawn.group(1).replace(",", "")) < int(caption.group(2).replace(",", ""))
    # the default map draws every person (the same map as `copkg map`)
    capped = re.compile(r"Showing the \d+ highest-ranked of [\d,]+ nodes")
    assert capped.search(iframe_srcdoc(at)) is None
    at = open_page("network_map", cap="100")  # capped: the page and the title block say so
    assert "the map shows the 100 highest by" in texts(at.info)
    assert "Showing the 100 highest-ranked of 351 nodes" in capped.findall(iframe_srcdoc(at))
