"""Every Word file the toolkit writes, opened by LibreOffice and printed to PDF as a secretary does.

The PDF's text must hold every word of the document whole (a table grid that disagrees with its
cells makes Writer break "Stadscoöperatie" into "Stadscoöperati e"), its pages must be A4 and
their number in the range such a document needs, and its fonts one family (bullets aside).
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm, Pt
from pypdf import PdfReader

from tests.helpers import EXAMPLE_CASEBOOK, example_casebook
from tests.system import require_program
from toolkit.casebook.access import gather_access
from toolkit.casebook.rights import snapshot
from toolkit.i18n import set_language
from toolkit.reports.casussen.job import render_casussen
from toolkit.reports.casussen.request import Request
from toolkit.reports.documents import SponsorStatementRequest, render_document
from toolkit.reports.inzage_docx import access_docx
from toolkit.reports.verslag import VerslagOptions, render_verslag

DAY = date(2025, 6, 1)
A4_POINTS = (595.3, 841.9)
TEMPLATE_FONT = "Liberation Serif"
TEMPLATE_HEADER = "Stadscoöperatie Almere · huisstijl"


@dataclass(frozen=True)
class Expected:
    pages: tuple[int, int]
    font: str | None = None


def house_template(folder: Path) -> Path:
    """A .docx as a secretary makes it in Word: a body font of its own, a header with a logo,
    some sample text, and (as Word saves only the styles in use) no list styles."""
    from PIL import Image

    logo = folder / "logo.png"
    Image.new("RGB", (120, 40), (0, 110, 60)).save(logo)
    document = Document()
    for style in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        fonts = document.styles[style].element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        document.styles[style].font.name = TEMPLATE_FONT
    document.styles["Normal"].font.size = Pt(10.5)
    defaults = document.styles.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docDefaults"
    )
    for fonts in defaults.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts"
    ):
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for kind in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(
                f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{kind}",
                TEMPLATE_FONT,
            )
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Paragraph", "Table Grid"):
        element = document.styles[name].element
        element.getparent().remove(element)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(str(logo), width=Mm(30))
    header.add_run(" " + TEMPLATE_HEADER)
    document.add_paragraph("Voorbeeldtekst van het sjabloon die niet in een verslag hoort.")
    path = folder / "huisstijl.docx"
    document.save(str(path))
    return path


def toolkit_documents(folder: Path) -> dict[str, tuple[bytes, Expected]]:
    """Every kind of Word file the toolkit writes, from the example casebook."""
    set_language("nl")
    book = example_casebook()
    template = house_template(folder)
    made: dict[str, tuple[bytes, Expected]] = {}
    for name, options, expected in (
        ("verslag", VerslagOptions(format="docx"), Expected((5, 10))),
        ("verslag-intern", VerslagOptions(format="docx", intern=True), Expected((5, 10))),
        (
            "verslag-huisstijl",
            VerslagOptions(format="docx", docx_template=template),
            Expected((5, 11), TEMPLATE_FONT),
        ),
    ):
        content = render_verslag(book, "dialoogavond-4", options)
        assert isinstance(content, bytes)
        made[name] = (content, expected)
    for prefix, docx_template in (("casussen", None), ("casussen-huisstijl", template)):
        request = Request(
            out=folder,
            format="docx",
            select=6,
            tables=2,
            intern=True,
            day=DAY,
            docx_template=docx_template,
        )
        rendered = render_casussen(book, request)
        for file_name, content in rendered.files.items():
            pages = (1, 3) if file_name.startswith(("overzicht", "intern")) else (3, 12)
            font = TEMPLATE_FONT if docx_template else None
            made[f"{prefix}-{file_name.removesuffix('.docx')}"] = (content, Expected(pages, font))
    person = sorted(book.people)[0]
    report = gather_access(book, snapshot(EXAMPLE_CASEBOOK), person, DAY)
    made["inzage"] = (access_docx(report), Expected((2, 6)))
    for sponsor in sorted(book.sponsors):
        statement = render_document(
            "sponsorverklaring",
            book,
            SponsorStatementRequest(sponsor=sponsor, year=2025, format="docx", day=DAY),
        )
        made[f"sponsorverklaring-{sponsor}"] = (statement.data, Expected((1, 3)))
    return made


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, Path, Expected]]:
    """Each document (python-docx) with its PDF as LibreOffice prints it."""
    soffice = require_program("soffice", "libreoffice")
    folder = tmp_path_factory.mktemp("word")
    documents = toolkit_documents(folder)
    sources = []
    for name, (content, _expected) in documents.items():
        path = folder / f"{name}.docx"
        path.write_bytes(content)
        sources.append(str(path))
    pdf_folder = folder / "pdf"
    # One LibreOffice for all files (it starts slowly), with a profile of its own.
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf_folder),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {
        name: (Document(io.BytesIO(content)), pdf_folder / f"{name}.pdf", expected)
        for name, (content, expected) in documents.items()
    }


def docx_words(document: Any) -> set[str]:
    """The words a reader sees in the body, tables, headers and footers."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts.extend(cell.text for row in table.rows for cell in row.cells)
    for section in document.sections:
        texts.extend(p.text for p in section.header.paragraphs)
    return {word for text in texts for word in words(text)}


def words(text: str) -> Iterator[str]:
    for token in unicodedata.normalize("NFKC", text).split():
        word = token.strip(".,;:!?()[]\"'“”‘’«»–—-…*·/")
        if len(word) > 1 and any(ch.isalpha() for ch in word):
            yield word


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    # A line may end after a hyphen or slash that the source has: "non-\nprofit" is one word.
    return re.sub(r"(?<=[-/])\s*\n\s*", "", text)


def pdf_fonts(path: Path) -> set[str]:
    families = set()
    for page in PdfReader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            name = str(font.get_object().get("/BaseFont", ""))
            family = re.sub(r"^/?([A-Z]{6}\+)?", "", name).split("-")[0].split(",")[0]
            if family and family not in ("OpenSymbol", "Symbol"):
                families.add(family.replace(" ", ""))
    return families


def test_every_word_is_whole_in_the_printed_pdf(printed: dict[str, Any]) -> None:
    broken = {}
    for name, (document, pdf, _expected) in printed.items():
        in_pdf = set(words(pdf_text(pdf)))
        missing = sorted(docx_words(document) - in_pdf)
        if missing:
            broken[name] = missing[:10]
    assert not broken, f"words not whole in the PDF: {broken}"


def test_pages_are_a4_and_as_many_as_expected(printed: dict[str, Any]) -> None:
    for name, (_document, pdf, expected) in printed.items():
        reader = PdfReader(pdf)
        low, high = expected.pages
        assert low <= len(reader.pages) <= high, (name, len(reader.pages))
        for page in reader.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert size == pytest.approx(A4_POINTS, abs=1), (name, size)


def test_one_font_family_from_the_styles(printed: dict[str, Any]) -> None:
    for name, (_document, pdf, expected) in printed.items():
        families = pdf_fonts(pdf)
        assert len(families) == 1, (name, families)
        if expected.font:
            assert families == {expected.font.replace(" ", "")}, (name, families)


def test_the_house_template_gives_its_header_logo_and_styles(
    printed: dict[str, Any],
) -> None:
    for name in ("verslag-huisstijl", "casussen-huisstijl-tafel-1"):
        document, pdf, _expected = printed[name]
        header = document.sections[0].header
        assert TEMPLATE_HEADER in "".join(p.text for p in header.paragraphs)
        assert any("image" in rel.reltype for rel in header.part.rels.values()), name
        assert document.styles["Normal"].font.name == TEMPLATE_FONT
        body = "\n".join(p.text for p in document.paragraphs)
        assert "Voorbeeldtekst van het sjabloon" not in body
        assert TEMPLATE_HEADER in pdf_text(pdf)
