"""``burgerbaan casussen`` as a facilitator calls it: clear refusals, all files or none."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from tests.casussen.test_casussen_golden import SESSION_TEXT, golden_casebook
from toolkit.casebook import load_casebook
from toolkit.cli import main
from toolkit.matching import PERSONAL_REASONS, Matcher
from toolkit.reports.casussen import job as casussen_module
from toolkit.reports.casussen.themes import WARNING_THEMES, theme_vocabulary

DATE = ["--date", "2025-06-01"]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return golden_casebook(tmp_path / "cb")


def test_writes_a_handout_per_table_and_an_overview(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run(
        "casussen",
        str(book),
        "--select",
        "3",
        "--tables",
        "2",
        "--format",
        "md",
        "--out",
        str(out),
        *DATE,
    )
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == ["overzicht.md", "tafel-1.md", "tafel-2.md"]
    assert "Tafel 1:" in output and "Tafel 2:" in output
    assert "Geschreven:" in output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--people", "fatima-el-amrani,jan-de-bore"], ["jan-de-bore", "jan-de-boer"]),
        (["--people", "fatima-el-amrani", "--tables", "2"], ["meer tafels (2) dan casussen (1)"]),
        (
            ["--select", "2", "--themes", "pgb,wajng"],
            ["wajng", "wajong", "geen-bsn", "sponsor-conflict"],
        ),
        (["--select", "2", "--people", "jan-de-boer"], ["Noem de personen", "optie --people"]),
        ([], ["Noem de personen", "een van de twee"]),
        (["--select", "0"], ["aantal casussen moet minstens 1 zijn (optie --select)"]),
        (["--select", "9"], ["9 casussen", "4 personen"]),
        (["--select", "2", "--session", "verdieping-9"], ["verdieping-9", "verdieping-1"]),
        (
            ["--select", "2", "--session", "verdieping-1", "--tables", "3"],
            ["2 tafels", "of 2", "optie --tables"],
        ),
    ],
)
def test_a_wrong_request_is_a_clear_message_exit_1_and_nothing_written(
    book: Path, tmp_path: Path, args: list[str], expected: list[str]
) -> None:
    out = tmp_path / "out"
    session = book / "sessions" / "verdieping-1.yaml"
    code, output = run("casussen", str(book), *args, "--format", "md", "--out", str(out), *DATE)
    assert code == 1
    for text in expected:
        assert text in output, output
    assert "Traceback" not in output
    assert not out.exists()
    assert session.read_text(encoding="utf-8") == SESSION_TEXT


def test_existing_files_are_kept_unless_force(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "tafel-1.md").write_text("eigen aantekeningen", encoding="utf-8")
    args = ["casussen", str(book), "--select", "2", "--format", "md", "--out", str(out), *DATE]
    code, output = run(*args)
    assert code == 1 and "tafel-1.md" in output and "--force" in output
    assert sorted(p.name for p in out.iterdir()) == ["tafel-1.md"]
    assert (out / "tafel-1.md").read_text(encoding="utf-8") == "eigen aantekeningen"
    code, _output = run(*args, "--force")
    assert code == 0
    assert (out / "tafel-1.md").read_text(encoding="utf-8").startswith("# Casussen")


def test_a_failing_write_leaves_nothing_half_done(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "tafel-1.md").write_text("oud", encoding="utf-8")
    real = casussen_module.write_atomic
    calls = []

    def failing(path: Path, content: bytes | str, **options: bool) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise casussen_module.OutputError("schijf vol")
        real(path, content, **options)

    monkeypatch.setattr(casussen_module, "write_atomic", failing)
    session = book / "sessions" / "verdieping-1.yaml"
    code, output = run(
        "casussen",
        str(book),
        "--select",
        "2",
        "--session",
        "verdieping-1",
        "--force",
        "--format",
        "md",
        "--out",
        str(out),
        *DATE,
    )
    assert code == 1 and "schijf vol" in output
    assert sorted(p.name for p in out.iterdir()) == ["tafel-1.md"]
    assert (out / "tafel-1.md").read_text(encoding="utf-8") == "oud"
    assert session.read_text(encoding="utf-8") == SESSION_TEXT


def test_session_records_the_cases_and_keeps_comments_and_layout(
    book: Path, tmp_path: Path
) -> None:
    session = book / "sessions" / "verdieping-1.yaml"
    code, output = run(
        "casussen",
        str(book),
        "--select",
        "4",
        "--session",
        "verdieping-1",
        "--format",
        "md",
        "--out",
        str(tmp_path / "out"),
        "--intern",
        *DATE,
    )
    assert code == 0, output
    assert "verdieping-1.yaml" in output
    text = session.read_text(encoding="utf-8")
    assert text.startswith("# Verdiepingssessie over casussen (voorbeeld voor de golden files).\n")
    assert "  - theme: Dagbesteding en PGB   # tafel bij het raam\n" in text
    untouched = [line for line in SESSION_TEXT.splitlines() if "cases" not in line]
    assert [line for line in text.splitlines() if line in untouched] == untouched
    recorded = load_casebook(book).sessions["verdieping-1"]
    cases = [case for table in recorded.tables for case in table.cases]
    assert len(cases) == 4 and len(set(cases)) == 4
    assert all(len(table.cases) == 2 for table in recorded.tables)
    key = (tmp_path / "out" / "intern-sleutel.md").read_text(encoding="utf-8")
    for table_number, table in enumerate(recorded.tables, start=1):
        for case in table.cases:
            assert f"| {table_number} |" in key and case in key

    # Other cases are not silently replaced.
    code, output = run(
        "casussen",
        str(book),
        "--people",
        "jan-de-boer,tesfay-haile",
        "--session",
        "verdieping-1",
        "--format",
        "md",
        "--out",
        str(tmp_path / "out2"),
        *DATE,
    )
    assert code == 1 and "--force" in output
    assert not (tmp_path / "out2").exists()
    assert session.read_text(encoding="utf-8") == text


def test_a_session_without_tables_gets_one_per_table(book: Path, tmp_path: Path) -> None:
    session = book / "sessions" / "avond.yaml"
    session.write_text(
        "# Dialoogavond\nkind: dialoogavond\ntitle: Avond\ndate: 2025-07-01\n"
        "programme: []\nquestions: []\n",
        encoding="utf-8",
    )
    code, output = run(
        "casussen",
        str(book),
        "--select",
        "3",
        "--tables",
        "2",
        "--session",
        "avond",
        "--format",
        "md",
        "--out",
        str(tmp_path / "out"),
        *DATE,
    )
    assert code == 0, output
    text = session.read_text(encoding="utf-8")
    assert text.startswith("# Dialoogavond\n")
    assert text.index("programme") < text.index("tables") < text.index("questions")
    tables = load_casebook(book).sessions["avond"].tables
    assert [t.theme for t in tables] == ["Tafel 1", "Tafel 2"]
    assert sorted(len(t.cases) for t in tables) == [1, 2]


def test_html_is_self_contained_and_print_ready(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _output = run(
        "casussen",
        str(book),
        "--select",
        "4",
        "--tables",
        "2",
        "--format",
        "html",
        "--out",
        str(out),
        *DATE,
    )
    assert code == 0
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and '<html lang="nl">' in text
        assert "@page { size: A4" in text and "@media print" in text
        for outside in ("http://", "https://", "<script", "<link", "<img", "@import", "url("):
            assert outside not in text, (path.name, outside)


def test_text_from_case_files_cannot_inject_html_or_break_markdown(
    book: Path, tmp_path: Path
) -> None:
    person = book / "people" / "jan-de-boer.yaml"
    person.write_text(
        person.read_text(encoding="utf-8").replace(
            "Buiten werken, met planten.", "<script>alert(1)</script> | tuin"
        ),
        encoding="utf-8",
    )
    for fmt in ("html", "md"):
        out = tmp_path / fmt
        code, output = run(
            "casussen",
            str(book),
            "--people",
            "jan-de-boer",
            "--format",
            fmt,
            "--out",
            str(out),
            *DATE,
        )
        assert code == 0, output
        text = (out / f"tafel-1.{fmt}").read_text(encoding="utf-8")
        assert "<script>" not in text
        assert ("&lt;script&gt;" if fmt == "html" else "&lt;script>") in text


def test_word_handouts_use_heading_styles_tables_and_a4(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run(
        "casussen",
        str(book),
        "--select",
        "4",
        "--tables",
        "2",
        "--format",
        "docx",
        "--out",
        str(out),
        "--intern",
        *DATE,
    )
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == [
        "intern-sleutel.docx",
        "overzicht.docx",
        "tafel-1.docx",
        "tafel-2.docx",
    ]
    document = Document(str(out / "tafel-1.docx"))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Heading 3", "List Bullet"} <= styles
    assert len(document.tables) >= 3
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.language == "nl-NL"
    with zipfile.ZipFile(io.BytesIO((out / "tafel-1.docx").read_bytes())) as archive:
        assert '<w:lang w:val="nl-NL"/>' in archive.read("word/styles.xml").decode("utf-8")
    key = Document(str(out / "intern-sleutel.docx"))
    assert "INTERN – bevat persoonsgegevens" in key.sections[0].header.paragraphs[0].text
    with zipfile.ZipFile(io.BytesIO((out / "tafel-1.docx").read_bytes())) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "Fatima" not in body and "fatima-el-amrani" not in body


def test_english_on_request(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run(
        "casussen",
        str(book),
        "--select",
        "2",
        "--format",
        "md",
        "--out",
        str(out),
        "--lang",
        "en",
        *DATE,
    )
    assert code == 0
    assert "Table 1:" in output and "Written:" in output
    text = (out / "tafel-1.md").read_text(encoding="utf-8")
    assert text.startswith("# Cases for the dialogue tables – table 1")
    assert "Questions for the table" in text


def test_the_matchers_options_and_warning_themes_reach_the_handout(
    book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    people = ["fatima-el-amrani", "sanne-bakker", "tesfay-haile"]
    code, output = run(
        "casussen",
        str(book),
        "--people",
        ",".join(people),
        "--format",
        "md",
        "--out",
        str(out),
        *DATE,
    )
    assert code == 0, output
    text = (out / "tafel-1.md").read_text(encoding="utf-8")
    assert "niet gebruikt" not in text
    loaded = load_casebook(book)
    matcher = Matcher(loaded)
    vocabulary = theme_vocabulary()
    sections = text.split("\n## Casus ")[1:]
    assert len(sections) == len(people)
    for person_id, section in zip(people, sections, strict=True):
        found = matcher.options(person_id, top=3)
        if not found.options:
            assert "De toolkit vond geen plek" in section
            assert vocabulary["geen-optie"].label in section
            continue
        titles = [loaded.opportunities[o.opportunity_id].title for o in found.options]
        positions = [section.index(f"**{title}**") for title in titles]
        assert positions == sorted(positions)  # in the matcher's order
        theme_row = next(line for line in section.splitlines() if line.startswith("| Thema's |"))
        for option in found.options:
            for code in option.warning_codes:
                assert vocabulary[WARNING_THEMES[code]].label in theme_row, code
            for code, reason in zip(option.reason_codes, option.reasons, strict=True):
                # Reasons about needs or values stay out, the others are there.
                assert (reason in section) == (code not in PERSONAL_REASONS), (code, reason)
