"""The format of an output file and its name agree (toolkit.outputs, and the commands)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.cli import main
from toolkit.cli.outputs import choose_format
from toolkit.errors import UsageError

FORMATS = ("md", "html", "docx")


@pytest.mark.parametrize(
    ("out", "given", "expected"),
    [
        ("verslag.docx", None, "docx"),
        ("verslag.HTML", None, "html"),
        ("verslag.md", None, "md"),
        ("verslag.txt", None, "md"),
        ("verslag", None, "md"),
        (None, None, "md"),
        (None, "html", "html"),
        ("verslag.docx", "docx", "docx"),
        ("verslag.txt", "html", "html"),
    ],
)
def test_the_format_follows_the_option_then_the_extension(
    out: str | None, given: str | None, expected: str
) -> None:
    path = Path(out) if out else None
    assert choose_format(path, given, FORMATS, default="md") == expected


@pytest.mark.parametrize(
    ("out", "given"),
    [
        ("x.docx", "md"),
        ("x.md", "docx"),
        ("x.html", "md"),
        ("x.pdf", None),
        ("x.csv", None),
    ],
)
def test_a_contradiction_is_refused(out: str, given: str | None) -> None:
    with pytest.raises(UsageError, match=Path(out).suffix):
        choose_format(Path(out), given, FORMATS, default="md")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_inzage_into_a_docx_file_is_a_word_document(tmp_path: Path) -> None:
    out = tmp_path / "inzage.docx"
    code, _output = run("inzage", "abena-owusu", str(EXAMPLE_CASEBOOK), "--out", str(out))
    assert code == 0
    with zipfile.ZipFile(out) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert "Abena Owusu" in document
    assert "Inzage in persoonsgegevens" in document


def test_markdown_into_a_docx_file_is_refused_in_dutch(tmp_path: Path) -> None:
    out = tmp_path / "inzage.docx"
    code, output = run(
        "inzage", "abena-owusu", str(EXAMPLE_CASEBOOK), "--out", str(out), "--format", "md"
    )
    assert code != 0
    assert "past niet bij de bestandsnaam" in output
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("verslag", "dialoogavond-4", str(EXAMPLE_CASEBOOK), "--format", "md"),
        ("qa", str(EXAMPLE_CASEBOOK), "--format", "md"),
        ("overzicht", str(EXAMPLE_CASEBOOK), "--format", "md"),
    ],
)
def test_no_command_writes_a_format_its_out_contradicts(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    out = tmp_path / "stuk.html"
    code, output = run(*args, "--out", str(out))
    assert code != 0
    assert "past niet bij de bestandsnaam" in output
    assert not out.exists()


def test_the_extension_chooses_the_format_when_none_is_given(tmp_path: Path) -> None:
    out = tmp_path / "verslag.html"
    code, _output = run("verslag", "dialoogavond-4", str(EXAMPLE_CASEBOOK), "--out", str(out))
    assert code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_format_no_command_writes_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "kaart.pdf"
    code, output = run("kaart", str(EXAMPLE_CASEBOOK), "--out", str(out))
    assert code != 0
    assert "kan geen .pdf-bestand schrijven" in output
    assert not out.exists()
