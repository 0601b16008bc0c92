"""UI strings in English, French and Arabic, and multilingual labels."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from graph import i18n

I18N = Path(i18n.__file__).parent
ARABIC = re.compile("[\u0600-\u06ff]")


def _catalogue(lang: str) -> dict[str, Any]:
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


def _texts(entry: Any) -> list[str]:
    return list(entry.values()) if isinstance(entry, dict) else [entry]


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", text))


def _query_keys() -> set[str]:
    """The catalogue keys a saved query's header needs in French and Arabic (its English is
    the ``.rq`` header itself; a key ends with a hash of that English)."""
    from graph.queries import list_queries

    return {key for q in list_queries() for key in q.translation_keys()}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_english_key_is_translated(lang: str) -> None:
    english, other = _catalogue("en"), _catalogue(lang)
    assert sorted(set(english) - set(other)) == []
    assert sorted(set(other) - set(english) - _query_keys()) == []


def test_every_saved_query_parameter_has_a_label() -> None:
    """The app labels a parameter ``param.<name>`` (and its type), never the bare variable."""
    from graph.queries import PARAM_TYPES, list_queries

    english = _catalogue("en")
    names = {p.name for q in list_queries() for p in q.params}
    assert sorted(n for n in names if f"param.{n}" not in english) == []
    assert sorted(t for t in PARAM_TYPES if f"param_type.{t}" not in english) == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_saved_query_header_is_translated(lang: str) -> None:
    """Titles, descriptions and parameter descriptions of every saved query, in fr and ar."""
    own = _catalogue(lang)
    assert sorted(_query_keys() - set(own)) == []
    assert not [k for k in _query_keys() if k in _catalogue("en")]  # one source: the .rq


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_placeholders_match_english(lang: str) -> None:
    """Same placeholders as English; a plural form may leave the count out ("صفّان")."""
    english, other = _catalogue("en"), _catalogue(lang)
    assert not [k for k in other if k.startswith("query.") and "{" in other[k]]
    for key, entry in english.items():
        wanted = set().union(*(_placeholders(text) for text in _texts(entry)))
        if isinstance(entry, dict):
            for form, text in other[key].items():
                assert _placeholders(text) <= wanted, (key, form)
                assert _placeholders(text) >= wanted - {"n"}, (key, form)
        else:
            assert _placeholders(other[key]) == wanted, key


PLURAL_FORMS = {"en": {"one", "other"}, "fr": {"one", "other"},
                "ar": {"one", "two", "few", "many", "other"}}


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_plural_texts_have_the_forms_of_their_language(lang: str) -> None:
    """A text that counts has every CLDR form its language needs (Arabic: six, zero optional)."""
    english, own = _catalogue("en"), _catalogue(lang)
    plural = [key for key, entry in english.items() if isinstance(entry, dict)]
    assert len(plural) >= 8
    for key in plural:
        assert isinstance(own[key], dict), key
        assert PLURAL_FORMS[lang] <= set(own[key]) <= set(i18n.PLURAL_CATEGORIES), key
    assert not [k for k, e in own.items() if isinstance(e, dict) and k not in plural]


def test_plural_and_number_forms() -> None:
    forms = [i18n.t("app.rows", "ar", n=n) for n in (0, 1, 2, 3, 11, 100)]
    assert forms == ["لا صفوف", "صف واحد", "صفّان", "3 صفوف", "11 صفًا", "100 صف"]
    assert [i18n.t("app.rows", "fr", n=n) for n in (0, 1, 2)] == [
        "0 ligne", "1 ligne", "2 lignes"]
    assert i18n.t("app.rows", "en", n=10000) == "10,000 rows"
    assert i18n.t("app.rows", "fr", n=10000) == "10\u202f000 lignes"
    assert i18n.t("app.imported", "fr", s=2.26).startswith("Importé en 2,3 s")
    assert i18n.format_number(0.25, "ar", 2) == "0.25"
    with pytest.raises(TypeError, match="plural"):
        i18n.t("app.rows", "en")


def test_arabic_strings_are_arabic() -> None:
    for key, entry in _catalogue("ar").items():
        for text in _texts(entry):
            assert ARABIC.search(text), key


def test_languages_and_direction() -> None:
    assert i18n.LANGUAGES == ("en", "fr", "ar")
    assert i18n.is_rtl("ar") and i18n.is_rtl("ar-TN") and not i18n.is_rtl("fr")
    assert i18n.direction("ar") == "rtl" and i18n.direction(None) == "ltr"


def test_t_formats_and_falls_back_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.t("story.step", "fr", n=2, total=4) == "Étape 2 sur 4"
    assert i18n.t("map.legend", "de") == "Legend (en)"
    catalogues = {"en": _catalogue("en"), "fr": _catalogue("fr"), "ar": _catalogue("ar")}
    del catalogues["fr"]["map.legend"]
    monkeypatch.setattr(i18n, "_load", catalogues.__getitem__)
    assert i18n.t("map.legend", "fr") == "Legend (en)"
    assert i18n.catalogue("fr")["map.legend"] == "Legend (en)"
    with pytest.raises(KeyError, match="no UI string"):
        i18n.t("no.such.key", "fr")


def test_label_falls_back_to_english_then_any_never_empty() -> None:
    labels = {"en": "Tunis", "ar": "تونس"}
    assert i18n.label(labels, "ar") == "تونس"
    assert i18n.label(labels, "fr") == "Tunis"
    assert i18n.label(labels, "fr", mark=True) == "Tunis (en)"
    assert i18n.label({"es": "Túnez"}, "fr") == "Túnez"
    assert i18n.label({"": "untagged"}, "ar") == "untagged"
    assert i18n.label({"fr-FR": "Tunisie"}, "fr") == "Tunisie"
    assert i18n.label(None, "fr", default="p0001") == "p0001"


def test_cli_speaks_the_asked_language(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """``--lang`` (or ``$COPKG_LANG``) changes the CLI's human output, not its CSV/JSON."""
    from graph.cli import main

    assert main(["queries", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "coauthors — Qui a coécrit avec qui" in out and "par défaut" in out
    monkeypatch.setenv("COPKG_LANG", "ar")
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    assert "coauthors — من شارك في التأليف مع من" in out and "الافتراضي" in out
    monkeypatch.delenv("COPKG_LANG")
    assert main(["queries"]) == 0
    assert "coauthors — Who co-authored with whom" in capsys.readouterr().out


#: Key families used with names built at run time (``f"kind.{k}"``): checked where the names are.
DYNAMIC = ("kind.", "tie.", "measure.", "measure_help.", "by.", "legend.", "projection.", "type.",
           "status.", "col.", "param.", "param_type.", "access.", "evolution.", "rank.",
           "answer.", "query.", "map.", "story.", "present.")


def test_no_dead_keys() -> None:
    """Every key of en.json is used somewhere (a removed key is not re-added by a merge)."""
    root = I18N.parents[1]
    code = "\n".join(p.read_text(encoding="utf-8") for p in [
        *root.joinpath("graph").rglob("*.py"), *root.joinpath("graph").rglob("*.js"),
        *root.joinpath("views").rglob("*.py"), root / "app.py"])
    built = tuple(set(re.findall(r"f[\"']([\w.]+)\{", code)))  # f"app.count_{key}" ...
    dead = [k for k in _catalogue("en")
            if not k.startswith(DYNAMIC) and not k.startswith(built) and k not in code]
    assert dead == []
