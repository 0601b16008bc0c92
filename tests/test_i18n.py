"""UI strings in English, French and Arabic, and multilingual labels."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph import i18n

I18N = Path(i18n.__file__).parent
ARABIC = re.compile("[\u0600-\u06ff]")


def _catalogue(lang: str) -> dict[str, str]:
    return json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_english_key_is_translated(lang: str) -> None:
    english, other = _catalogue("en"), _catalogue(lang)
    assert sorted(set(english) - set(other)) == []
    assert sorted(set(other) - set(english)) == []


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_placeholders_match_english(lang: str) -> None:
    english, other = _catalogue("en"), _catalogue(lang)
    for key, text in english.items():
        assert set(re.findall(r"\{(\w+)\}", other[key])) == set(
            re.findall(r"\{(\w+)\}", text)), key


def test_arabic_strings_are_arabic() -> None:
    for key, text in _catalogue("ar").items():
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
