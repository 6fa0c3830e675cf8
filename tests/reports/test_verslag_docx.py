"""The Word verslag, opened again with python-docx as a secretary's Word would."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.helpers import example_casebook, session, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.i18n import set_language
from toolkit.reports.verslag import VerslagOptions, render_verslag


@pytest.fixture(scope="module")
def example() -> Casebook:
    return example_casebook()


def open_docx(book: Casebook, session_id: str, **options: Any) -> Any:
    data = render_verslag(book, session_id, VerslagOptions(format="docx", **options))
    assert isinstance(data, bytes)
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def document(example: Casebook) -> Any:
    set_language("nl")
    return open_docx(example, "dialoogavond-4")


def styled(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_headings_use_words_heading_styles(document: Any) -> None:
    assert styled(document, "Heading 1") == ["Verslag 4e Dialoogavond Pilot Almeerse Burgerbaan"]
    assert styled(document, "Heading 2") == [
        "Introductie",
        "Deelnemers",
        "Programma",
        "Afsluiting",
        "Informeel deel",
        "Actielijst",
        "Gestelde vragen",
        "Volgende bijeenkomst",
    ]
    # The tables' findings stand in the programme part where the tables met (part 4).
    assert "Corporate Volunteering (1 tafel)" in styled(document, "Heading 4")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("Dialoogsessies") < headings.index("Dagbesteding (3 tafels)")
    assert headings.index("Dagbesteding (3 tafels)") < headings.index(
        "(Informele) afsluiting van de dialoogavond"
    )


def test_programme_parts_are_one_numbered_list_on_their_headings(document: Any) -> None:
    titles = [
        "Inleiding",
        "Relatie Corporate Volunteering en Almeerse Burgerbaan",
        "Relatie dagbesteding en Almeerse Burgerbaan",
        "Dialoogsessies",
        "(Informele) afsluiting van de dialoogavond",
    ]
    parts = [p for p in document.paragraphs if p.style.name == "Heading 3" and p.text in titles]
    assert [p.text for p in parts] == titles
    (num_id,) = {p._p.pPr.numPr.numId.val for p in parts}
    numbering = document.part.numbering_part.element
    (num,) = [n for n in numbering.findall(qn("w:num")) if n.numId == num_id]
    abstract_id = num.abstractNumId.val
    (abstract,) = [
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(abstract_id)
    ]
    level = abstract.find(qn("w:lvl"))
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert level.find(qn("w:lvlText")).get(qn("w:val")) == "%1."
    assert level.find(qn("w:start")).get(qn("w:val")) == "1"


def test_actielijst_is_a_table(document: Any) -> None:
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Nr.", "Actie", "Wie", "Deadline", "Status"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    assert rows[2][1:] == [
        "De registratie van de 4e dialoogavond op www.omroepalmere.nl zetten.",
        "Omroep Almere",
        "–",
        "open",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_footer_has_page_number_fields(document: Any) -> None:
    footer = document.sections[0].footer._element
    instructions = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert document.sections[0].footer.paragraphs[0].text.startswith("Pagina ")


def test_date_in_dutch_a4_and_dutch_language(document: Any) -> None:
    assert "23 oktober 2024" in [p.text for p in document.paragraphs]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "nl-NL"
    assert document.core_properties.language == "nl-NL"


def test_a_draft_is_marked_in_the_text_and_header(document: Any) -> None:
    assert any(p.text.startswith("CONCEPT – ") for p in document.paragraphs)
    assert document.sections[0].header.paragraphs[0].text == "CONCEPT"


def test_intern_is_marked_in_the_header_of_every_page(example: Casebook) -> None:
    intern = open_docx(example, "dialoogavond-4", intern=True)
    header = intern.sections[0].header
    assert not header.is_linked_to_previous
    assert "INTERN – bevat persoonsgegevens" in header.paragraphs[0].text
    assert len(intern.sections) == 1  # one section, so this header is on every page
    public = open_docx(example, "dialoogavond-4")
    assert "INTERN" not in public.sections[0].header.paragraphs[0].text


def test_markdown_in_the_record_becomes_word_formatting(tmp_path: Path) -> None:
    book = load_casebook(
        write_casebook(
            tmp_path / "cases",
            sessions={
                "avond": session(
                    status="vastgesteld",
                    closing="Een **vette** en *schuine* zin.\n\n- punt een\n- punt twee",
                )
            },
        )
    )
    document = open_docx(book, "avond")
    (closing,) = [p for p in document.paragraphs if p.text == "Een vette en schuine zin."]
    runs = {r.text: (r.bold, r.italic) for r in closing.runs}
    assert runs["vette"] == (True, None)
    assert runs["schuine"] == (None, True)
    assert styled(document, "List Bullet") == ["punt een", "punt twee"]
    assert document.sections[0].header.paragraphs[0].text == ""
    assert not any("CONCEPT" in p.text for p in document.paragraphs)


def test_english_word_verslag(example: Casebook) -> None:
    set_language("en")
    document = open_docx(example, "dialoogavond-4")
    assert styled(document, "Heading 2")[0] == "Introduction"
    assert "23 October 2024" in [p.text for p in document.paragraphs]
    assert document.sections[0].footer.paragraphs[0].text.startswith("Page ")
