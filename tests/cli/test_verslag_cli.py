"""`burgerbaan verslag` and `burgerbaan qa` as a secretary types them."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document

from tests.helpers import EXAMPLE_CASEBOOK, person, session, write_casebook
from toolkit.casebook import load_casebook
from toolkit.cli import main

CASES = str(EXAMPLE_CASEBOOK)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small casebook with one full session: loading the example takes seconds."""
    root = write_casebook(
        tmp_path_factory.mktemp("small") / "cases",
        sessions={
            "avond-1": session(
                title="1e Dialoogavond",
                introduction="Welkom op de eerste avond.",
                attendance={"total": 12, "groups": ["burgers", "gemeente"]},
                programme=[{"title": "Inleiding", "speaker": "De voorzitter"}],
                tables=[{"theme": "Dagbesteding", "count": 2, "findings": ["Een bevinding."]}],
                questions=[
                    {"text": "Is armoede een selectiecriterium?", "theme": "instroom"},
                    {"text": "Waar zijn de vrijwilligers te vinden?", "answer": "Overal."},
                ],
                actions=[
                    {"what": "Q&A op de website", "who": "Stadscoöperatie Almere"},
                    {"what": "Zaal huren", "status": "afgerond"},
                ],
                next={"date": "2024-06-01", "goal": "10 Almeerse Burgerbanen"},
            )
        },
    )
    return str(root)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="burgerbaan")


def test_verslag_prints_markdown_by_default() -> None:
    result = run("verslag", "dialoogavond-4", CASES)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Verslag 4e Dialoogavond Pilot Almeerse Burgerbaan\n")
    assert "## Actielijst" in result.stdout


def test_options_may_come_before_the_session(small: str) -> None:
    result = run("verslag", "--format", "html", "--lang", "en", "avond-1", small)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('<!DOCTYPE html>\n<html lang="en">')


def test_lang_en_gives_english_headings(small: str) -> None:
    result = run("verslag", "avond-1", small, "--lang", "en")
    assert "## Introduction" in result.stdout and "## Introductie" not in result.stdout


def test_html_and_docx_to_a_file_never_over_an_existing_one(small: str, tmp_path: Path) -> None:
    out = tmp_path / "verslag.html"
    assert run("verslag", "avond-1", small, "--format", "html", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    out.write_text("eigen aanpassing", encoding="utf-8")
    again = run("verslag", "avond-1", small, "--format", "html", "--out", str(out))
    assert again.exit_code == 1
    assert "bestaat al" in again.output and "--force" in again.output
    assert out.read_text(encoding="utf-8") == "eigen aanpassing"
    forced = run("verslag", "avond-1", small, "--format", "html", "--out", str(out), "--force")
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE")

    word = tmp_path / "verslag.docx"
    result = run("verslag", "avond-1", small, "--format", "docx", "--out", str(word))
    assert result.exit_code == 0, result.output
    document = Document(io.BytesIO(word.read_bytes()))
    assert document.paragraphs[0].text == "Verslag 1e Dialoogavond"


def test_docx_needs_out(small: str) -> None:
    result = run("verslag", "avond-1", small, "--format", "docx")
    assert result.exit_code == 1
    assert "Een Word-verslag moet naar een bestand: voeg --out BESTAND.docx toe." in result.output


def test_an_unknown_session_suggests_the_closest(small: str, tmp_path: Path) -> None:
    out = tmp_path / "x.md"
    result = run("verslag", "avond-01", small, "--out", str(out))
    assert result.exit_code == 1
    assert "Er is geen record 'avond-01' in sessions/. Bedoelt u: avond-1?" in (result.output)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_session_missing_required_fields(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases", sessions={"avond": {"kind": "dialoogavond"}})
    out = tmp_path / "x.md"
    result = run("verslag", "avond", str(root), "--out", str(out))
    assert result.exit_code == 1
    assert "avond.yaml" in result.output
    assert "[title]" in result.output and "[date]" in result.output
    assert not out.exists()


def test_a_broken_user_template_writes_nothing(small: str, tmp_path: Path) -> None:
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    (folder / "verslag.html.j2").write_text("{% if %}\n", encoding="utf-8")
    out = tmp_path / "verslag.html"
    result = run(
        "verslag",
        "avond-1",
        small,
        "--format",
        "html",
        "--templates",
        str(folder),
        "--out",
        str(out),
    )
    assert result.exit_code == 1
    assert f"Het sjabloon {folder / 'verslag.html.j2'} heeft een fout op regel 1" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [folder]


def test_a_leak_writes_nothing_and_names_session_field_and_masked_finding(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases",
        people={"anna-de-vries": person(name="Anna de Vries")},
        sessions={"avond": session(closing="Anna de Vries bedankt iedereen.")},
    )
    out = tmp_path / "verslag.md"
    result = run("verslag", "avond", str(root), "--out", str(out))
    assert result.exit_code == 1
    assert "sessions/avond.yaml [closing]: naam 'a*** d* v****'" in result.output
    assert "Anna" not in result.output
    assert not out.exists()
    intern = run("verslag", "avond", str(root), "--out", str(out), "--intern")
    assert intern.exit_code == 0, intern.output
    assert "INTERN – bevat persoonsgegevens" in out.read_text(encoding="utf-8")


def test_verslag_new_writes_the_next_record(small: str, tmp_path: Path) -> None:
    root = tmp_path / "cases"
    shutil.copytree(small, root)
    result = run("verslag", "new", str(root))
    assert result.exit_code == 0, result.output
    assert "avond-2.yaml" in result.output
    new = load_casebook(root).sessions["avond-2"]
    assert [q.text for q in new.questions] == ["Is armoede een selectiecriterium?"]
    assert [a.what for a in new.actions] == ["Q&A op de website"]
    assert (new.number, new.date.isoformat(), new.purpose) == (
        2,
        "2024-06-01",
        "10 Almeerse Burgerbanen",
    )
    again = run("verslag", "new", str(root), "--id", "avond-2")
    assert again.exit_code == 1 and "Er bestaat al een bijeenkomst 'avond-2'" in again.output
    check = run("check", str(root))
    assert check.exit_code == 0, check.output


def test_help_shows_both_ways_of_calling_verslag() -> None:
    result = run("verslag", "--help")
    assert result.exit_code == 0
    assert "Gebruik: burgerbaan verslag BIJEENKOMST [CASEBOOK] [OPTIES]" in result.output
    assert "\n         burgerbaan verslag new [CASEBOOK] [OPTIES]" in result.output
    assert "--format [md|html|docx]" in result.output
    assert "Begin het record van de volgende bijeenkomst" in result.output
    assert "show" not in result.output.split("Opdrachten:")[1]
    assert "Gebruik: burgerbaan verslag BIJEENKOMST" in run("verslag", "avond-1", "--help").output
    english = run("--lang", "en", "verslag", "--help").output
    assert "Usage: burgerbaan verslag SESSION [CASEBOOK] [OPTIONS]" in english


def test_a_session_called_new_can_still_be_reached(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cases", sessions={"new": session(title="Avond new")})
    result = run("verslag", "show", "new", str(root))
    assert result.exit_code == 0, result.output
    assert "# Verslag Avond new" in result.stdout


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_qa_page(small: str, tmp_path: Path, fmt: str) -> None:
    result = run("qa", small, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Is armoede een selectiecriterium?" in result.stdout
    out = tmp_path / f"qa.{fmt}"
    assert run("qa", small, "--format", fmt, "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_qa_refuses_personal_data(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cases",
        sessions={"avond": session(questions=[{"text": "Bel mij: 06-11223344"}])},
    )
    out = tmp_path / "qa.html"
    result = run("qa", str(root), "--out", str(out))
    assert result.exit_code == 1
    assert "sessions/avond.yaml [questions[1].text]: telefoonnummer" in result.output
    assert not out.exists()
