"""Every HTML report printed by headless Chromium, as a coordinator prints it from the browser.

Pages must be A4 (not Chromium's default Letter), their number what such a report needs (the
proposal round for the example casebook once printed as 66 pages), the round report must open
with its one-page table of who goes where, and no heading may be left alone at a page's foot.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tests.helpers import EXAMPLE_CASEBOOK
from tests.system import require_program
from toolkit.cli import main

A4_POINTS = (595.3, 841.9)
DATE = ["--date", "2025-06-01"]
BOOK = str(EXAMPLE_CASEBOOK)

#: Each report: the command that writes it, and the page count it may print to.
REPORTS: dict[str, tuple[list[str], tuple[int, int]]] = {
    "verslag": (["verslag", "dialoogavond-4", BOOK], (3, 8)),
    "qa": (["qa", BOOK], (1, 6)),
    "overzicht": (["overzicht", BOOK, *DATE], (2, 10)),
    "kaart": (["kaart", BOOK, "--format", "html", *DATE], (1, 4)),
    "ronde": (["match", BOOK, "--round", "--format", "html", *DATE], (8, 32)),
    "inzage": (["inzage", "abena-owusu", BOOK, *DATE], (1, 4)),
}
CASUSSEN_PAGES = {"tafel-1": (3, 10), "overzicht": (1, 3)}


def write_reports(folder: Path) -> dict[str, tuple[Path, tuple[int, int]]]:
    runner = CliRunner()
    written = {}
    for name, (args, pages) in REPORTS.items():
        out = folder / f"{name}.html"
        result = runner.invoke(main, [*args, "--out", str(out)])
        assert result.exit_code == 0, result.output
        written[name] = (out, pages)
    cases = folder / "casussen"
    args = ["casussen", BOOK, "--select", "6", "--tables", "2", "--format", "html"]
    result = runner.invoke(main, [*args, "--out", str(cases), *DATE])
    assert result.exit_code == 0, result.output
    for stem, pages in CASUSSEN_PAGES.items():
        written[f"casussen-{stem}"] = (cases / f"{stem}.html", pages)
    return written


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[PdfReader, Any]]:
    chromium = require_program("chromium", "chromium-browser")
    folder = tmp_path_factory.mktemp("print")
    result = {}
    for name, (html, pages) in write_reports(folder).items():
        pdf = folder / f"{name}.pdf"
        subprocess.run(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--user-data-dir={folder / 'profile'}",
                f"--print-to-pdf={pdf}",
                html.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        result[name] = (PdfReader(pdf), pages)
    return result


def test_every_report_prints_on_a4(printed: dict[str, tuple[PdfReader, Any]]) -> None:
    for name, (reader, _pages) in printed.items():
        for page in reader.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(A4_POINTS, abs=2), (name, size)


def test_every_report_prints_to_a_sensible_number_of_pages(
    printed: dict[str, tuple[PdfReader, Any]],
) -> None:
    counts = {name: len(reader.pages) for name, (reader, _pages) in printed.items()}
    for name, (_reader, (low, high)) in printed.items():
        assert low <= counts[name] <= high, (name, counts[name], counts)


def page_lines(reader: PdfReader) -> list[list[str]]:
    return [
        [line.strip() for line in (page.extract_text() or "").splitlines() if line.strip()]
        for page in reader.pages
    ]


def test_the_round_report_opens_with_who_goes_where_on_one_page(
    printed: dict[str, tuple[PdfReader, Any]],
) -> None:
    reader, _pages = printed["ronde"]
    pages = page_lines(reader)
    first = "\n".join(pages[0])
    assert "Wie gaat waarheen" in first
    # Every person of the round has a row on the first page, the heading of their section later.
    labels = re.findall(r"^(\w+ \([^)]*\))", first, flags=re.MULTILINE)
    assert len(labels) >= 25, labels
    later = "\n".join("\n".join(lines) for lines in pages[1:])
    for label in labels:
        assert label in later, label


def test_no_heading_is_left_at_the_foot_of_a_page(
    printed: dict[str, tuple[PdfReader, Any]],
) -> None:
    reader, _pages = printed["ronde"]
    pages = page_lines(reader)
    labels = set(re.findall(r"^(\w+ \([^)]*\))", "\n".join(pages[0]), flags=re.MULTILINE))
    for number, lines in enumerate(pages[1:-1], start=2):
        assert lines[-1] not in labels, (number, lines[-3:])
