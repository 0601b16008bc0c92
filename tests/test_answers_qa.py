"""Answers QA found wrong after issue #9 landed, each with the exact message a person gets.

Closest matches (one function, a tight cut-off), counts and limits checked once, a path from
someone to themselves, years outside the data, gaps with filters, communities vs groups, plural
forms.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.cli import main
from graph.errors import NotFoundError
from graph.names import closest, match_name

TESTS = Path(__file__).parent
ROOT = TESTS.parent

THEMES = ["active-labour-market-policies", "employment-social-protection",
          "graduate-employability", "labour-market-information", "non-motorised-mobility",
          "public-transport", "quality-assurance", "road-safety", "social-protection-systems",
          "tertiary-education", "transport-finance", "tvet", "university-governance",
          "urban-mobility-planning", "urban-transport", "youth-employment"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- 7. closest matches: related suggestions only, one function everywhere ----------------

@pytest.mark.parametrize(("typed", "expected"), [
    ("urban-mobility", ["urban-mobility-planning"]),  # not also graduate-employability (0.61)
    ("urban-transprt", ["urban-transport"]),  # not also public-transport (0.73)
    ("road-safty", ["road-safety"]),
    ("tvett", ["tvet"]),
    ("tertiary", ["tertiary-education"]),  # a part of the id
    ("labour-market", ["labour-market-information", "active-labour-market-policies"]),
    ("graduate", ["graduate-employability"]),
    ("social-protection", ["social-protection-systems", "employment-social-protection"]),
    ("mobility-urbaine", []),
])
def test_closest_theme_ids(typed: str, expected: list[str]) -> None:
    assert closest(typed, THEMES) == expected


def test_closest_person_names(bundled_kg: object) -> None:
    from graph.network.cache import incidence

    data = incidence(bundled_kg)  # type: ignore[arg-type]
    people = sorted(data.label(p) for p in data.people)
    assert closest("Alessandro Rosi", people) == ["Alessandro Rossi"]
    assert closest("Samira Benani", people) == ["Samira Bennani"]
    assert closest("Mourad Ezine", people) == ["Mourad Ezzine"]
    assert closest("Elodie Faure", people) == ["Élodie Faure"]  # accents ignored
    assert closest("Zzyzx Qwerty", people) == []
    pairs = [(p, data.label(p)) for p in sorted(data.people)]
    with pytest.raises(NotFoundError) as info:
        match_name(pairs, "Benoit Girad", what="person")
    assert str(info.value).endswith("Closest matches: Benoît Girard (p0019).")


def test_validate_suggests_only_the_related_theme(
        tmp_path: Path, bundled_store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "sheets"
    shutil.copytree(TESTS / "data" / "ingest" / "valid", folder)
    rows = list(csv.reader((folder / "people.csv").open(encoding="utf-8")))
    rows[1][rows[0].index("expertise")] = "urban-mobility"
    with (folder / "people.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, out, err = run(capsys, "validate", str(folder), "--store", str(bundled_store_dir))
    assert code == 1
    assert ('people.csv, row 2, column expertise: "urban-mobility" is not a theme id — '
            'did you mean "urban-mobility-planning"?') in out + err
    assert "graduate-employability" not in out + err
