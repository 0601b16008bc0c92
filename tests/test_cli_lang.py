"""``copkg --lang fr|ar``: what a French or Arabic reader gets from the CLI — definitions, measure
notes, names, reasons, a saved query's labels and the audit trail in their language, while CSV
and JSON keep their column names and codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from graph.cli import main
from graph.i18n import t

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = Path(__file__).parent / "data" / "countries"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    assert main(list(argv)) == 0
    out, err = capsys.readouterr()
    return out, err


def test_gaps_definition_and_names_follow_lang(bundled_store_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out, err = run(capsys, "--lang", "fr", "gaps", "--store", str(bundled_store_dir),
                   "--format", "csv")
    assert err.startswith("définition : Présence d'un membre dans une communauté")
    table = pd.read_csv(io.StringIO(out))
    assert list(table.columns[:3]) == ["member", "member_label", "member_type"]  # codes stay
    assert "Communauté de pratique sur l'enseignement supérieur" in set(table["community_label"])
    assert set(table["status"]) <= {"absent", "thin"}
    out, err = run(capsys, "--lang", "ar", "gaps", "--store", str(bundled_store_dir))
    assert err.startswith("التعريف: حضور العضو في مجتمع ما")
    assert "مجتمع الممارسة في مجال التعليم العالي" in out


def test_suggest_reasons_in_french(bundled_store_dir: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    out, err = run(capsys, "--lang", "fr", "suggest", "p0019", "-k", "3",
                   "--store", str(bundled_store_dir), "--format", "json")
    assert err.startswith("définition : " + t("answer.suggest", "fr"))
    reasons = " ".join(r["reason"] for r in json.loads(out))
    assert "collaborateurs communs (" in reasons and "common collaborators" not in reasons


def test_metrics_note_in_arabic(bundled_store_dir: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    out, err = run(capsys, "--lang", "ar", "metrics", "--projection", "countries",
                   "--store", str(bundled_store_dir), "--format", "json")
    assert err.strip() == t("app.betweenness_exact", "ar")
    labels = {r["node"]: r["label"] for r in json.loads(out)}
    assert labels["country:PS"] == "السلطة الفلسطينية" and labels["country:TN"] == "تونس"


def test_saved_query_lang_follows_lang_unless_given(bundled_store_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def egypt(*argv: str) -> dict[str, object]:
        out, _ = run(capsys, *argv, "query", "members_by_role_and_country",
                     "--store", str(bundled_store_dir), "--format", "json")
        return next(r for r in json.loads(out) if r["member"].endswith("org/egypt"))

    assert egypt("--lang", "ar")["member_label"] == "مصر"
    assert egypt("--lang", "ar")["role_label"] == "عضو"
    assert egypt("--lang", "fr")["member_label"] == "Égypte"
    assert egypt()["member_label"] == "Egypt"
    out, _ = run(capsys, "--lang", "ar", "query", "members_by_role_and_country", "--param",
                 "lang=en", "--store", str(bundled_store_dir), "--format", "json")
    assert {r["member_label"] for r in json.loads(out)} >= {"Egypt", "Palestinian Authority"}


def test_audit_trail_in_the_readers_language(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    assert main(["import", *map(str, sorted(COUNTRIES.glob("*.csv"))), "--replace",
                 "--store", store]) == 0
    capsys.readouterr()
    out, _ = run(capsys, "--lang", "fr", "audit", "--store", store)
    assert "importation" in out and "import de communities.csv (importé)" in out
    assert "(imported)" not in out
    out, _ = run(capsys, "--lang", "ar", "audit", "--store", store)
    assert "استيراد communities.csv (مستورَد)" in out
    out, _ = run(capsys, "--lang", "ar", "audit", "--store", store, "--format", "csv")
    assert "import communities.csv (imported)" in out  # the record itself stays as written


def test_forget_report_in_the_readers_language(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "store")
    assert main(["import", *map(str, sorted(COUNTRIES.glob("*.csv"))), "--replace",
                 "--store", store]) == 0
    capsys.readouterr()
    out, _ = run(capsys, "--lang", "fr", "forget", "p1", "--dry-run", "--store", store)
    first = out.splitlines()[0]
    assert "énoncés seraient supprimés sur" in first and "(essai : rien n'a changé)" in first
    assert "  noms : 1" in out.splitlines()  # the kinds of statements, in French
    out, _ = run(capsys, "--lang", "ar", "forget", "p1", "--store", store)
    assert out.startswith("حُذفت ") and "removed" not in out
    out, _ = run(capsys, "forget", "p2", "--dry-run", "--store", store)
    assert out.startswith("would have removed ") and "about Driss Gharbi (p2) (dry run" in out
    assert main(["--lang", "fr", "forget", "p1", "--store", store]) == 1
    assert capsys.readouterr().err.startswith("copkg forget: « p1 » a été effacé(e) le ")


@pytest.mark.parametrize(("lang", "argv", "said"), [
    ("fr", ("metrics", "--country", "Tunsie"),
     "Aucun pays ne s'appelle « Tunsie ». Les plus proches : Tunisie (TN)."),
    ("en", ("metrics", "--country", "Tunsie"),
     "No country is called 'Tunsie'. Closest matches: Tunisia (TN)."),
    ("fr", ("query", "absent_members", "--param", "community=transprt"),
     "Les plus proches : Communauté de pratique pour le transport urbain durable en "
     "Méditerranée (urban-transport)."),
    ("ar", ("query", "absent_members", "--param", "community=nonexistent-xyz"),
     "اختر من بين: \u2068مجتمع الممارسة للنقل الحضري المستدام في منطقة البحر الأبيض المتوسط "
     "(urban-transport)\u2069؛ \u2068مجتمع الممارسة في مجال التشغيل والحماية الاجتماعية "
     "(employment)\u2069؛ \u2068مجتمع الممارسة في مجال التعليم العالي (tertiary-education)"
     "\u2069."),
    ("ar", ("metrics", "--country", "Tunsie"), "أقرب التطابقات: \u2068تونس (TN)\u2069."),
])
def test_closest_matches_are_named_in_the_readers_language(
        bundled_store_dir: Path, capsys: pytest.CaptureFixture[str],
        lang: str, argv: tuple[str, ...], said: str) -> None:
    assert main(["--lang", lang, *argv, "--store", str(bundled_store_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.rstrip().endswith(said)


def test_path_chains_read_in_the_readers_direction(bundled_store_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``copkg path`` names each path as a chain from A to B: in Arabic the chain is isolated
    right to left (RLI…PDI) and each name on its own (FSI…PDI), so a Latin first name
    (Élodie Faure) cannot turn it around; the arrows point to the next step."""
    out, _ = run(capsys, "--lang", "ar", "path", "p0001", "p0093",
                 "--store", str(bundled_store_dir))
    assert out.splitlines()[0] == (
        "المسار 1: \u2067\u2068Élodie Faure\u2069 ← \u2068مايا ناصر\u2069 ← "
        "\u2068Mathilde Rousseau\u2069\u2069")
    out, _ = run(capsys, "--lang", "fr", "path", "p0001", "p0093",
                 "--store", str(bundled_store_dir))
    assert out.splitlines()[0] == "Chemin 1 : Élodie Faure → Maya Nasser → Mathilde Rousseau"
    out, _ = run(capsys, "path", "p0001", "p0093", "--store", str(bundled_store_dir),
                 "--format", "csv")
    assert out.startswith("path,step,from,to")  # machine formats: the table alone
