"""burgerbaan match through click's test runner, and the match report's formats."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import (
    EXAMPLE_CASEBOOK,
    SETTINGS,
    dump_yaml,
    opportunity,
    organisation,
    person,
    sponsor,
    write_casebook,
)
from toolkit.casebook import load_casebook
from toolkit.casebook.public import pseudonyms
from toolkit.cli import main, match_commands
from toolkit.matching import METHODS
from toolkit.reports.matches import FORMATS

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "matches"
DAY = "2025-06-01"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def small_casebook(root: Path) -> Path:
    """A fixed little casebook: three candidates, four places, two sponsors."""
    return write_casebook(
        root,
        people={
            "anna-de-vries": person(
                name="Anna de Vries",
                talents=["koken", "gastvrijheid"],
                wishes={
                    "causes": ["voedsel", "ouderen"],
                    "text": "Ik kook graag voor ouderen in de buurt.",
                    "districts": ["Almere Stad"],
                    "max_travel_km": 6,
                },
                values=["lokaal"],
                avoid_sectors=["fossiel"],
            ),
            "bert-bakker": person(
                name="Bert Bakker",
                birth_year=1961,
                district="Almere Haven",
                situation=["wajong"],
                talents=["tuinieren"],
                wishes={
                    "causes": ["natuur"],
                    "text": "Ik wil graag tuinieren, buiten bezig zijn.",
                    "districts": ["Almere Haven"],
                    "max_travel_km": 3,
                },
                availability={"hours_per_week": 6, "days": ["di", "do"]},
                needs=["rolstoeltoegankelijk"],
            ),
            "cor-claes": person(
                name="Cor Claes",
                birth_year=2004,
                district="Almere Buiten",
                has_bsn=False,
                situation=["asielzoeker"],
                talents=["ict"],
                wishes={"causes": ["ouderen"], "text": "Computers uitleggen."},
                availability={"hours_per_week": 2, "days": ["za"]},
                values=["gezondheid"],
            ),
        },
        opportunities={
            "keukenhulp": opportunity(requires=["vog"]),
            "moestuin": opportunity(
                title="Moestuinier",
                description="Onderhoud van de buurttuin en het groen.",
                talents_required=["tuinieren"],
                causes=["natuur"],
                district="Almere Haven",
                days=["di", "wo"],
                offers=["rolstoeltoegankelijk"],
            ),
            "uitgifte": opportunity(
                title="Uitgifte",
                description="Pakketten uitdelen aan klanten.",
                talents_required=["gastvrijheid"],
                causes=["voedsel", "armoede"],
                district="Almere Buiten",
                days=["ma", "vr"],
                slots=1,
            ),
            "computerhulp": opportunity(
                title="Computerhulp",
                description="Ouderen helpen met de computer.",
                talents_required=["ict"],
                causes=["ouderen"],
                hours_per_week={"min": 4, "max": 6},
                days=["za"],
            ),
        },
        organisations={"voedselbank": organisation()},
        sponsors={
            "bouwbedrijf": sponsor(values=["lokaal"], budget_person_years=1),
            "gasbedrijf": sponsor(
                name="Gasbedrijf", sector="fossiel", values=["lokaal"], budget_person_years=5
            ),
        },
    )


def test_the_choices_match_the_library() -> None:
    assert match_commands.METHODS == METHODS
    assert match_commands.FORMATS == FORMATS


def test_match_on_the_example_shows_a_table_by_pseudonym() -> None:
    code, output = run("match", str(EXAMPLE_CASEBOOK), "--date", DAY)
    assert code == 0, output
    assert "Opties per kandidaat" in output
    book = load_casebook(EXAMPLE_CASEBOOK)
    names = pseudonyms(book)
    assert names["hans-verbeek"] in output
    for record in book.people.values():
        assert record.name not in output
        assert record.id not in output


def test_match_for_one_person_shows_the_reasons(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    code, output = run("match", str(root), "--person", "anna-de-vries", "--lang", "en")
    assert code == 0, output
    assert "Talents that match: koken." in output
    assert "VOG" in output
    assert "Anna" not in output  # still by pseudonym


def test_the_round_on_the_example_places_everyone_and_respects_budgets() -> None:
    code, output = run("match", str(EXAMPLE_CASEBOOK), "--round", "--date", DAY, "--lang", "en")
    assert code == 0, output
    assert "Proposal round" in output
    assert re.search(r"Bouwcombinatie Weerwater\s+12\s+19", output), output


def test_method_stable_implies_the_round(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    code, output = run("match", str(root), "--method", "stable", "--lang", "en")
    assert code == 0, output
    assert "stable: people propose, places rank by talents" in output


def test_an_unknown_person_suggests_close_ids(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    code, output = run("match", str(root), "--person", "ana-de-vries", "--lang", "en")
    assert code == 1
    assert "There is no record 'ana-de-vries' in people/. Did you mean: anna-de-vries?" in output


def test_a_casebook_without_candidates_or_opportunities_is_refused(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "none", people={})
    code, output = run("match", str(root), "--lang", "en")
    assert code == 1
    assert "The casebook has no candidates" in output
    root = write_casebook(tmp_path / "empty", opportunities={})
    code, output = run("match", str(root), "--lang", "en")
    assert code == 1
    assert "The casebook has no opportunities" in output


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"talents": 0, "wishes": 0, "values": 0}, "the weights are all zero"),
        ({"talents": -1, "wishes": 1, "values": 0}, "should be at least 0"),
    ],
)
def test_bad_weights_are_refused_with_the_field(
    tmp_path: Path, weights: dict[str, float], message: str
) -> None:
    root = write_casebook(tmp_path / "cb", settings={**SETTINGS, "weights": weights})
    code, output = run("match", str(root), "--lang", "en")
    assert code == 1
    assert "casebook.yaml" in output and "weights" in output
    assert message in output


def test_exclude_takes_pairs_and_refuses_anything_else(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    args = ["match", str(root), "--person", "anna-de-vries", "--intern", "--top", "5"]
    code, output = run(*args, "--lang", "en")
    assert "Keukenhulp" in output
    code, output = run(*args, "--exclude", "anna-de-vries:keukenhulp", "--lang", "en")
    assert code == 0
    assert "Keukenhulp" not in output
    code, output = run(*args, "--exclude", "anna-de-vries", "--lang", "en")
    assert code == 1
    assert "is not a pair; write PERSON:OPPORTUNITY" in output
    code, output = run(*args, "--exclude", "anna-de-vries:keukenhlp", "--lang", "en")
    assert code == 1
    assert "Did you mean: keukenhulp?" in output


def test_check_validates_the_exclusions_file(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    dump_yaml(
        root / "exclusions.yaml",
        {"exclusions": [{"person": "anna-de-vries", "opportunity": "keukenhulp"}]},
    )
    code, output = run("check", str(root), "--lang", "en")
    assert code == 0, output
    dump_yaml(
        root / "exclusions.yaml",
        {"exclusions": [{"person": "anna-de-vries", "opportunity": "kookhulp"}]},
    )
    code, output = run("check", str(root), "--lang", "en")
    assert code == 1
    assert re.search(r"exclusions\.yaml:2 \[exclusions\[1\]\.opportunity\]", output), output
    code, output = run("match", str(root), "--lang", "en")
    assert code == 1 and "exclusions.yaml" in output


def test_output_goes_to_a_file_and_is_not_overwritten_without_force(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    out = tmp_path / "matches.html"
    code, output = run("match", str(root), "--round", "--format", "html", "--out", str(out))
    assert code == 0, output
    assert out.is_file()
    code, output = run("match", str(root), "--format", "html", "--out", str(out))
    assert code == 1 and "--force" in output
    code, output = run("match", str(root), "--format", "html", "--out", str(out), "--force")
    assert code == 0


def test_the_html_report_is_self_contained_with_bars_and_badges(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    out = tmp_path / "r.html"
    run("match", str(root), "--round", "--format", "html", "--out", str(out), "--date", DAY)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html
    assert not re.search(r"<(link|script|img)\b", html)  # nothing loaded from elsewhere
    assert re.search(r'<div class="bar"><span style="width: \d+%"></span></div>', html)
    assert '<span class="badge badge-vog"' in html
    assert "Kandidaten per plek" in html  # the shortlist per place
    assert "Voorstel" in html
    # Public: no names, no ids of people, no situation badges (special-category data).
    for name in ("Anna", "Bert Bakker", "Cor Claes", "anna-de-vries", "bert-bakker"):
        assert name not in html
    assert "badge-wajong" not in html and "badge-asylum_seeker" not in html
    assert "rolstoeltoegankelijk" not in html


def test_the_internal_report_shows_names_and_situation_warnings(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    out = tmp_path / "r.html"
    run("match", str(root), "--format", "html", "--out", str(out), "--intern", "--lang", "en")
    html = out.read_text(encoding="utf-8")
    assert "Anna de Vries (anna-de-vries)" in html
    assert "badge-wajong" in html
    assert "INTERNAL" in html


def test_csv_and_json_are_data_exports_by_pseudonym(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    code, output = run("match", str(root), "--format", "csv", "--date", DAY)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(output)))
    assert rows and set(rows[0]) >= {"persoon", "plek", "match", "talenten", "aandachtspunten"}
    book = load_casebook(root)
    assert {r["persoon"] for r in rows} <= set(pseudonyms(book).values())
    code, output = run("match", str(root), "--format", "csv", "--date", DAY, "--lang", "en")
    header = next(csv.reader(io.StringIO(output)))
    assert header[:4] == ["person", "proposed", "rank", "place"]
    code, output = run("match", str(root), "--format", "json", "--round", "--intern")
    data = json.loads(output)
    assert data["mode"] == "round" and data["intern"] is True
    assert {p["key"] for p in data["people"]} == set(book.people)


def test_a_public_report_with_personal_data_in_a_place_is_refused(tmp_path: Path) -> None:
    root = small_casebook(tmp_path / "cb")
    dump_yaml(
        root / "opportunities" / "keukenhulp.yaml",
        opportunity(title="Keukenhulp bij Anna de Vries"),
    )
    code, output = run("match", str(root), "--format", "md", "--lang", "en")
    assert code == 1
    assert "personal data" in output
    code, output = run("match", str(root), "--format", "md", "--intern")
    assert code == 0


def test_the_markdown_report_of_a_small_casebook_matches_the_golden_file(
    tmp_path: Path,
) -> None:
    root = small_casebook(tmp_path / "cb")
    code, output = run("match", str(root), "--round", "--format", "md", "--date", DAY)
    assert code == 0, output
    golden = GOLDEN / "round.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8")
