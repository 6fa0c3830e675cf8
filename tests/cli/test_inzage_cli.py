"""burgerbaan inzage: everything about one person, marked personal, escaped, never overwriting."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import dump_yaml, person, session, sponsor, write_casebook
from toolkit import files
from toolkit.casebook import load_casebook
from toolkit.casebook.access import gather_access
from toolkit.casebook.rights import snapshot
from toolkit.cli import main
from toolkit.reports.inzage import render_access

SCRIPT = "<script>alert(1)</script>"
PLACEMENT = {
    "opportunity": "keukenhulp",
    "sponsor": "bouwbedrijf",
    "start": "2025-01-01",
    "end": "2025-12-31",
    "allowance_per_year": 2000,
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_casebook(
        tmp_path / "cases",
        people={
            "anna-de-vries": person(
                name="Anna de Vries",
                contact={"phone": "06-11112222", "email": "anna@example.nl"},
                situation=["wajong", "dagbesteding"],
                status="gestopt",
                placement=PLACEMENT,
                notes="Wil later naar de horeca. [klik](javascript:alert(1))",
            ),
            "bert-bos": person(name="Bert Bos"),
        },
        sponsors={"bouwbedrijf": sponsor()},
        sessions={
            "avond": session(
                title="Dialoogavond over werk",
                tables=[{"theme": "Dagbesteding", "cases": ["anna-de-vries"]}],
                closing="Anna de Vries bedankt iedereen.",
            )
        },
    )
    path = root / "people" / "anna-de-vries.yaml"
    path.write_text("# Eigen opmerking van de coördinator\n" + path.read_text())
    dump_yaml(
        root / "hours" / "anna-de-vries.yaml",
        {
            "statements": [
                {"month": "2025-03", "hours": 32, "allowance_paid": 160, "signed_off_by": "T. Bos"}
            ]
        },
    )
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def inzage(root: Path, out: Path, *extra: str) -> str:
    code, output = run("inzage", "anna-de-vries", str(root), "--out", str(out), *extra)
    assert code == 0, output
    return out.read_text(encoding="utf-8")


def test_markdown_holds_everything_about_the_person(root: Path, tmp_path: Path) -> None:
    text = inzage(root, tmp_path / "inzage.md", "--date", "2026-03-01")
    assert text.count("VERTROUWELIJK: persoonlijk document.") == 2
    for expected in (
        "Anna de Vries",
        "06-11112222",
        "anna@example.nl",
        "wajong, dagbesteding",  # special category, shown to the person themself
        "Wil later naar de horeca.",
        "Keukenhulp",  # the placement's opportunity, by title
        "Voedselbank",  # ... its organisation
        "Bouwbedrijf",  # ... and its sponsor
        "Dialoogavond over werk",
        "Dagbesteding",
        "2025-03",
        "| 32 |",
        "closing",  # the mention in the session's closing text
        "# Eigen opmerking van de coördinator",  # the file as stored, comments included
        "24 maanden",
    ):
        assert expected in text, expected
    assert "Bert Bos" not in text
    # gestopt: the record-keeping alerts only
    assert "bewaartermijn" not in text and "Wajong: meld" not in text


def test_english(root: Path, tmp_path: Path) -> None:
    text = inzage(root, tmp_path / "inzage.md", "--lang", "en")
    assert "Access to personal data" in text and "CONFIDENTIAL" in text


def test_html_format_from_the_file_name(root: Path, tmp_path: Path) -> None:
    text = inzage(root, tmp_path / "inzage.html")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta name="robots" content="noindex, nofollow">' in text
    assert "Keukenhulp" in text


def test_format_option_wins(root: Path, tmp_path: Path) -> None:
    assert inzage(root, tmp_path / "inzage.txt", "--format", "html").startswith("<!DOCTYPE")
    assert inzage(root, tmp_path / "inzage2.txt").startswith("# Inzage")


@pytest.mark.parametrize("suffix", ["md", "html"])
def test_markup_in_case_files_stays_text(root: Path, tmp_path: Path, suffix: str) -> None:
    path = root / "people" / "anna-de-vries.yaml"
    path.write_text(path.read_text().replace("name: Anna de Vries", f"name: '{SCRIPT}'"))
    hours = root / "hours" / "anna-de-vries.yaml"
    hours.write_text(hours.read_text().replace("T. Bos", f"'{SCRIPT}'"))
    text = inzage(root, tmp_path / f"inzage.{suffix}")
    if suffix == "md":
        # The file as stored is shown verbatim, inside a code block, where Markdown shows
        # everything as text; everywhere else the markup must be escaped.
        before, _fence, rest = text.partition("```yaml\n")
        stored, _fence, after = rest.partition("\n```\n")
        assert SCRIPT in stored
        text = before + after
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    # The link in the notes stays text: escaped in Markdown, never an <a> in HTML.
    assert "href" not in text
    if suffix == "md":
        assert "[klik](javascript:" not in text


def test_a_fence_in_the_file_cannot_close_the_code_block(root: Path, tmp_path: Path) -> None:
    path = root / "people" / "anna-de-vries.yaml"
    path.write_text(path.read_text() + "# ```\n# ## kop\n")
    text = inzage(root, tmp_path / "inzage.md")
    assert "\n````yaml\n" in text


def test_existing_output_is_not_overwritten_without_force(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "inzage.md"
    out.write_text("oud\n")
    code, output = run("inzage", "anna-de-vries", str(root), "--out", str(out))
    assert code == 1 and "--force" in output
    assert out.read_text() == "oud\n"
    assert "Anna de Vries" in inzage(root, out, "--force")


def test_a_failing_write_leaves_the_old_output_whole(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "inzage.md"
    out.write_text("oud\n")

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    code, output = run("inzage", "anna-de-vries", str(root), "--out", str(out), "--force")
    assert code == 1 and "No space left" in output
    assert out.read_text() == "oud\n"
    assert set(os.listdir(tmp_path)) == {"cases", "inzage.md"}  # no temporary file left


def test_unreadable_hours_file_is_shown_as_stored(root: Path) -> None:
    # Loaded first: a casebook whose hours file is broken does not pass check, but a file that
    # broke after checking must still be shown, as stored.
    book = load_casebook(root)
    (root / "hours" / "anna-de-vries.yaml").write_text("statements: [kapot\n")
    report = gather_access(book, snapshot(root), "anna-de-vries", date(2026, 3, 1))
    text = render_access(report, "md")
    assert "statements: [kapot" in text and "niet als YAML te lezen" in text


def test_unknown_person(root: Path, tmp_path: Path) -> None:
    code, output = run("inzage", "anna-de-vris", str(root), "--out", str(tmp_path / "x.md"))
    assert code == 1 and "anna-de-vries" in output
    assert not (tmp_path / "x.md").exists()


def test_erased_person(root: Path, tmp_path: Path) -> None:
    assert run("vergeet", "anna-de-vries", str(root), "--yes")[0] == 0
    code, output = run("inzage", "anna-de-vries", str(root), "--out", str(tmp_path / "x.md"))
    assert code == 1 and "vergeten op" in output


def test_output_inside_the_casebook_is_refused(root: Path) -> None:
    code, output = run("inzage", "bert-bos", str(root), "--out", str(root / "bert.md"))
    assert code == 1 and "casebookmap" in output
    assert not (root / "bert.md").exists()


def test_a_file_named_after_the_person_is_listed(root: Path, tmp_path: Path) -> None:
    (root / "brieven").mkdir()
    (root / "brieven" / "anna-de-vries.pdf").write_bytes(b"%PDF-1.4")
    text = inzage(root, tmp_path / "inzage.md")
    assert "`brieven/anna-de-vries.pdf` | `bestandsnaam`" in text
