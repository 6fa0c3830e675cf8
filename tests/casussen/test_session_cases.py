"""Recording the cases in a session file (toolkit.casebook.session_cases) and what the privacy
guard reads of a handout (toolkit.reports.casussen.privacy)."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from tests.helpers import person, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.session_cases import record_cases
from toolkit.errors import UsageError
from toolkit.reports.casussen.handouts import build_handouts
from toolkit.reports.casussen.privacy import check_handouts, docx_text
from toolkit.reports.casussen.request import Request
from toolkit.reports.casussen.selection import plan_cases
from toolkit.reports.casussen.themes import load_question_bank
from toolkit.reports.privacy import PrivacyError

SESSION = """\
kind: verdiepingssessie
title: Verdieping
date: 2025-06-12
tables:
  - theme: Dagbesteding
    cases: [anna-de-vries]   # al eens besproken
  - theme: Instroom
    cases: []
"""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = write_casebook(
        tmp_path / "cases",
        people={
            "anna-de-vries": person(name="Anna de Vries"),
            "bram-bakker": person(name="Bram Bakker", district="Almere Haven"),
        },
    )
    (root / "sessions").mkdir(exist_ok=True)
    (root / "sessions" / "verdieping.yaml").write_text(SESSION, encoding="utf-8")
    return root


def test_recorded_cases_keep_the_list_its_style_and_its_comment(book: Path) -> None:
    casebook = load_casebook(book)
    session = casebook.sessions["verdieping"]
    change = record_cases(casebook, session, [["bram-bakker"], ["anna-de-vries"]], force=True)
    (line,) = [line for line in change.text.splitlines() if "bram-bakker" in line]
    # The same list: still in flow style, its comment still behind it.
    assert line.startswith("    cases: [bram-bakker]") and line.endswith("# al eens besproken")
    assert change.text.startswith("kind: verdiepingssessie\ntitle: Verdieping\n")


def test_other_cases_already_recorded_are_kept_without_force(book: Path) -> None:
    casebook = load_casebook(book)
    session = casebook.sessions["verdieping"]
    with pytest.raises(UsageError, match="Dagbesteding"):
        record_cases(casebook, session, [["bram-bakker"], ["anna-de-vries"]], force=False)


def word_file(*paragraphs: str, header: str = "") -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_guard_reads_a_word_files_header_and_keeps_paragraphs_apart() -> None:
    text = docx_text(word_file("Anna", "Bakker", header="Bram de Boer"))
    assert "Bram de Boer" in text
    assert "AnnaBakker" not in text
    assert "Anna" in text.split() and "Bakker" in text.split()


def test_a_name_in_the_handouts_data_stops_them_even_when_no_file_shows_it(book: Path) -> None:
    casebook = load_casebook(book)
    request = Request(out=book, people="anna-de-vries", day=date(2025, 6, 1))
    plan = plan_cases(casebook, request, None)
    handouts = build_handouts(casebook, plan, None, load_question_bank(), request.day)
    leaked = dataclasses.replace(handouts, title="Casussen voor Anna de Vries")
    check_handouts(casebook, handouts, {})
    with pytest.raises(PrivacyError):
        check_handouts(casebook, leaked, {})
