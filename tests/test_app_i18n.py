"""Every page in French and Arabic shows no English from the catalogue (AppTest).

A page's text is everything AppTest exposes (:mod:`shown_strings`: titles, markdown, captions,
alerts, widget labels, options, placeholders and help, tabs, expanders, buttons, metrics, table
headers and cells as formatted, chart titles, legends and category labels). A string fails when
it is an English catalogue text whose translation differs (or a longer text containing an
English sentence of the catalogue), or a fallback marked ``(en)``.

The count per page, before and after a change: ``python -m pytest tests/test_app_i18n.py -q -rA``
prints nothing when all is well; a failure lists each English string with its catalogue key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from shown_strings import CHECKED, UNCHECKED, shown_strings, table_cells, untranslated
from streamlit.testing.v1 import AppTest

from graph import i18n

APP = str(Path(__file__).resolve().parents[1] / "app.py")

#: Each page, in the states that show the most text (a focus, a path, every tab, a query).
PAGES: list[tuple[str, dict[str, str]]] = [
    ("overview", {}),
    ("network_map", {}),
    ("network_map", {"node": "p0019", "color": "country", "size": "betweenness"}),
    ("collaborators", {"person": "p0019"}),
    ("connection", {"a": "p0019", "b": "p0093"}),
    ("present", {}),
    ("present", {"mode": "edit"}),
    ("sparql", {}),
    ("sparql", {"q": "coauthors"}),
    ("sparql", {"q": "members_by_role_and_country"}),
    ("sparql", {"mode": "console", "query": "SELECT ?s ?n WHERE { ?s foaf:name ?n } LIMIT 3"}),
    ("evolution", {}),
    ("data", {}),
    ("users", {}),
]


pytestmark = pytest.mark.usefixtures("app_env")


def render(page: str, lang: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(lang=lang)
    at.run()
    at.switch_page(f"views/{page}.py")
    at.query_params.clear()
    at.query_params.update(lang=lang, **params)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize(("page", "params"), PAGES,
                         ids=[f"{p}-{'-'.join(q) or 'plain'}" for p, q in PAGES])
def test_page_shows_no_english(page: str, params: dict[str, str], lang: str) -> None:
    at = render(page, lang, params)
    strings = shown_strings(at)
    assert len(strings) > 10  # the page rendered and the scan saw it
    assert untranslated(strings, lang) == []
    assert no_missing_words(at) == []


#: What a missing value must never look like in a table (it is an empty cell).
MISSING_WORDS = {"None", "none", "nan", "NaN", "<NA>", "NaT", "null"}


def no_missing_words(at: AppTest) -> list[str]:
    """Cells of the page's tables that show a missing value as a word."""
    return [cell for cells in table_cells(at) for cell in cells if cell.strip() in MISSING_WORDS]


@pytest.mark.parametrize(("page", "params"), PAGES,
                         ids=[f"{p}-{'-'.join(q) or 'plain'}" for p, q in PAGES])
def test_english_tables_show_missing_values_as_empty_cells(page: str,
                                                           params: dict[str, str]) -> None:
    """Overview's communities table (no launch year, no programme) and Evolution's north and
    south table (no cross-border share for the domestic row) showed "None" (French and Arabic
    are checked with the page's words above)."""
    at = render(page, "en", params)
    assert table_cells(at) or page in NO_TABLE
    assert no_missing_words(at) == []


#: Pages without a table in the states of PAGES.
NO_TABLE = {"present", "sparql", "data", "users", "network_map"}


def test_the_scan_sees_english_when_there_is_some() -> None:
    """The same page in English fails the French check: the scan is not blind."""
    strings = shown_strings(render("collaborators", "en", {"person": "p0019"}))
    found = dict(untranslated(strings, "fr"))
    assert {"Who collaborates", "Rankings", "Kind"} <= set(found)
    assert found["Rankings"] == "app.tab_rank"
    assert untranslated(["Nombre de lignes", "Legend (en)", "Tunis"], "fr") == [
        ("Legend (en)", "(en) fallback")]


def test_numbers_follow_the_locale() -> None:
    """One number format per page and language: 351 people, a table's 42,724 triples."""
    at = render("overview", "fr", {})
    shown = shown_strings(at)
    assert "42\u202f724" in shown and "42,724" not in shown
    at = render("overview", "en", {})
    assert "42,724" in shown_strings(at)


def test_overview_shows_names_not_identifiers() -> None:
    """Members table headed by the roles (not "Member (IRI)"), the programme by its name, no
    "None" for a community without a launch date, yes/no for a flag."""
    en = shown_strings(render("overview", "en", {}))
    assert "Member (IRI)" not in en and "member" in en  # the role, as a column
    assert "CMI Sustainable Urban Transport program" in en
    assert not [s for s in en if s.startswith("https://w3id.org/copkg/id/")]
    assert not {"None", "nan", "NaN", "False", "True"} & set(en)
    fr_page = render("overview", "fr", {})
    fr = shown_strings(fr_page)
    assert "Programme Transport urbain durable du CMI" in fr and "non" in fr
    assert not {"None", "False"} & set(fr)
    # The flag is written yes/no in the grid too (a boolean column was drawn as check boxes).
    cells = [cell for cells in table_cells(fr_page) for cell in cells]
    assert "non" in cells and not {CHECKED, UNCHECKED} & set(cells)


@pytest.mark.parametrize(("lang", "headers"), [
    ("en", {"Type of member", "Member itself"}),
    ("fr", {"Type de membre", "Membre lui-même"}),
    ("ar", {"فئة العضو", "العضو نفسه"}),
])
def test_gaps_table_has_readable_headers(lang: str, headers: set[str]) -> None:
    shown = shown_strings(render("collaborators", lang, {"person": "p0019"}))
    assert headers <= set(shown)
    assert not {"member_type", "member_itself"} & set(shown)


@pytest.mark.parametrize(("lang", "itself"), [("fr", "« Membre lui"),
                                              ("ar", "«العضو نفسه»")])
def test_absent_members_description_uses_the_shown_headers(lang: str, itself: str) -> None:
    shown = shown_strings(render("sparql", lang, {"q": "absent_members"}))
    assert [s for s in shown if itself in s]
    assert not [s for s in shown if "member_itself =" in s or "people =" in s]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_recent_activity_in_the_readers_language(tmp_path_factory: pytest.TempPathFactory,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 lang: str) -> None:
    """The audit on the Overview: action, files and their status in the reader's language."""
    from graph.cli import main

    store = tmp_path_factory.mktemp(f"audit-{lang}") / "store"
    sheets = sorted((Path(__file__).parent / "data" / "countries").glob("*.csv"))
    assert main(["import", *map(str, sheets), "--replace", "--store", str(store)]) == 0
    monkeypatch.setenv("COPKG_STORE", str(store))
    shown = shown_strings(render("overview", lang, {}))
    assert untranslated(shown, lang) == []
    expected = {"fr": ("importation", "import de communities.csv (importé)"),
                "ar": ("استيراد", "استيراد communities.csv (مستورَد)")}[lang]
    assert expected[0] in shown
    assert [s for s in shown if s.startswith(expected[1])]
    assert not [s for s in shown if "(imported)" in s or "(replaced)" in s]


PARTNER_TTL = (b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
               b'<https://w3id.org/copkg/id/org/afd> skos:altLabel "AX" .\n')


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_data_page_effects_and_confirmation_speak_the_page_language(lang: str) -> None:
    """An upload that needs a confirmation (a header-only people sheet, a partner's name for
    afd): the effects table, the reasons and the confirm step are all in the page's language."""
    at = render("data", lang, {})
    at.file_uploader[0].set_value([
        ("people.csv", b"id,name,organization,country\n", "text/csv"),
        ("partner.ttl", PARTNER_TTL, "text/turtle")])
    at.run()
    assert not at.exception, at.exception
    assert untranslated(shown_strings(at), lang) == []
    effects = at.dataframe[1].value
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    if lang == "fr":
        assert list(effects.columns) == ["Fichier", "Nature", "Ajouts", "Modifications",
                                         "Suppressions"]
        assert effects.values.tolist() == [["people.csv", "Personne", 0, 0, 350],
                                           ["partner.ttl", "Organisation", 0, 1, 0]]
        assert "people.csv supprimerait 350 ressources (Personne : 350)" in warning
        assert "partner.ttl modifie id:org/afd, que cmi.ttl définit déjà" in warning
    else:
        assert effects.values.tolist() == [["people.csv", "شخص", 0, 0, 350],
                                           ["partner.ttl", "مؤسسة", 0, 1, 0]]
        assert "سيزيل people.csv 350 موردًا (نوع «شخص»: 350)" in warning
        assert "يغيّر partner.ttl المورد id:org/afd الذي يعرّفه cmi.ttl مسبقًا" in warning
    assert at.checkbox(key="data_confirm").label == i18n.t("app.confirm_box", lang)


@pytest.mark.parametrize(("lang", "said"), [
    ("ar", "خطأ في صياغة SPARQL في السطر 2، العمود"),
    ("fr", "Erreur de syntaxe SPARQL à la ligne 2, colonne"),
])
def test_console_error_in_the_page_language(lang: str, said: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """An error from the core (here the query worker's syntax error) reads in the page's
    language, not in English (views pass errors through md(), which says them in the page's)."""
    import views.ui.lang

    at = render("sparql", lang, {"mode": "console", "query": "SELECT ?s WHERE {\n  ?s ?p . }"})
    # AppTest formats a radio's value with its format_func outside the page's run, where the
    # language would be English: give it the page's (after the first run imported the views).
    monkeypatch.setattr(views.ui.lang, "current_lang", lambda: lang)
    at.button(key="sq_run").click().run()
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert said in errors and "SPARQL syntax error" not in errors


def test_bad_filter_in_a_link_is_explained_in_french() -> None:
    """A link with a wrong filter value: the warning quotes the core's error in French."""
    at = render("network_map", "fr", {"tie": "fooo", "country": "Atlantide"})
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Type de lien inconnu « fooo »" in warnings
    assert "Aucun pays ne s'appelle « Atlantide »" in warnings
    assert "Unknown kind of tie" not in warnings and "is called" not in warnings


@pytest.mark.parametrize(("lang", "first"), [("en", ["Belgium", "Egypt"]),
                                             ("fr", ["Allemagne", "Autorité palestinienne"])])
def test_members_by_country_table_in_the_readers_order(lang: str, first: list[str]) -> None:
    """Overview: the members-by-country table was in ISO code order (Belgium, Germany, Egypt…)
    beside a chart in alphabetical order of the names; both read in the reader's order."""
    from views.ui.tables import sort_key

    at = render("overview", lang, {})
    tables = [t.value for t in at.dataframe if set(first) <= set(t.value.index)]
    assert tables, "no table of members by country"
    names = list(tables[0].index)
    assert names == sorted(names, key=sort_key)
    assert names[:2] == first
