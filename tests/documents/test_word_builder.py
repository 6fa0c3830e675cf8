"""The shared Word builder (toolkit.reports.word): tables, numbering, quotes, the house template."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import example, given
from hypothesis import strategies as st

from tests.helpers import example_casebook
from toolkit.reports import word
from toolkit.reports.casussen.job import render_casussen
from toolkit.reports.casussen.request import Request
from toolkit.reports.verslag import VerslagOptions, render_verslag

TWIP = 635  # EMU

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@given(
    columns=st.lists(st.lists(texts, min_size=1, max_size=6), min_size=1, max_size=6),
    available_mm=st.integers(min_value=60, max_value=260),
)
@example(columns=[["Nr."], ["Stadscoöperatie Almere"], ["Deadline"]], available_mm=166)
@example(columns=[["x" * 200], ["y" * 200]], available_mm=60)
def test_columns_fill_the_width_and_keep_their_longest_word(
    columns: list[list[str]], available_mm: int
) -> None:
    available = int(Mm(available_mm))
    widths = word.column_widths(columns, available)
    assert len(widths) == len(columns)
    assert all(width > 0 and width % TWIP == 0 for width in widths)
    assert sum(widths) == available // TWIP * TWIP
    floors = [
        max([len(w) for text in texts for w in text.split()] or [1]) * Mm(word._CHAR_MM)
        + Mm(word._CELL_PADDING_MM)
        for texts in columns
    ]
    if sum(floors) + TWIP * len(columns) <= available:
        # Where the words fit at all, no column is narrower than its longest word.
        assert all(width >= floor - TWIP for width, floor in zip(widths, floors, strict=True))


@given(texts)
@example("“Ik wil mensen helpen.”")
@example('"Ik wil"')
@example("„Ik wil”")
def test_quotes_are_never_doubled(text: str) -> None:
    once = word.quoted(text)
    assert word.quoted(once) == once
    assert not once.startswith("““")
    assert once.strip("“”\"'‘’„«»") == text.strip().strip("“”\"'‘’„«»") or len(text.strip()) < 2


def tables_of(content: bytes) -> list[Any]:
    return list(Document(io.BytesIO(content)).tables)


def test_every_table_grid_matches_its_cells() -> None:
    book = example_casebook()
    verslag = render_verslag(book, "dialoogavond-4", VerslagOptions(format="docx"))
    assert isinstance(verslag, bytes)
    rendered = render_casussen(
        book, Request(out=Path("."), format="docx", select=4, tables=2, day=date(2025, 6, 1))
    )
    documents = [verslag, *rendered.files.values()]
    count = 0
    for content in documents:
        for table in tables_of(content):
            grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            width = table._tbl.tblPr.find(qn("w:tblW"))
            assert width.get(qn("w:type")) == "dxa" and int(width.get(qn("w:w"))) == sum(grid)
            for row in table.rows:
                properties = row._tr.trPr
                assert properties is not None and properties.find(qn("w:cantSplit")) is not None
                cells = [int(cell._tc.tcPr.tcW.get(qn("w:w"))) for cell in row.cells]
                assert cells == grid
            count += 1
    assert count > 10


def test_the_action_list_repeats_its_header_and_fits_its_words() -> None:
    content = render_verslag(example_casebook(), "dialoogavond-4", VerslagOptions(format="docx"))
    assert isinstance(content, bytes)
    (actions,) = [t for t in tables_of(content) if t.rows[0].cells[1].text == "Actie"]
    assert actions.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    widths = [int(c.get(qn("w:w"))) for c in actions._tbl.tblGrid.findall(qn("w:gridCol"))]
    # Every column is as wide as its longest word ("Deadline", "Omroep"), with room to spare.
    for index, width in enumerate(widths):
        longest = max(len(w) for row in actions.rows for w in row.cells[index].text.split())
        assert width * TWIP >= longest * Mm(word._CHAR_MM), (index, width)


def test_each_case_numbers_its_options_from_one() -> None:
    from toolkit.matching import Matcher

    book = example_casebook()
    matcher = Matcher(book)

    def options(ids: Any) -> Any:
        return {pid: matcher.options(pid, top=3) for pid in ids}

    rendered = render_casussen(
        book,
        Request(out=Path("."), format="docx", select=4, tables=1, day=date(2025, 6, 1)),
        options,
    )
    document = Document(io.BytesIO(rendered.files["tafel-1.docx"]))
    numbering = document.part.numbering_part.element
    lists: list[str] = []
    for paragraph in document.paragraphs:
        num = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if num is not None and paragraph.style.name == "List Paragraph":
            lists.append(num.numId.val)
    per_case = list(dict.fromkeys(lists))
    assert len(per_case) >= 2, lists  # every case with options has a list of its own
    for num_id in per_case:
        num = next(n for n in numbering.findall(qn("w:num")) if n.numId == num_id)
        abstract_id = num.abstractNumId.val
        abstract = next(
            a
            for a in numbering.findall(qn("w:abstractNum"))
            if a.get(qn("w:abstractNumId")) == str(abstract_id)
        )
        start = abstract.find(f"{qn('w:lvl')}/{qn('w:start')}")
        assert start.get(qn("w:val")) == "1"
    # ... and no two cases share a list, so Word cannot go on counting 4, 5, 6.
    assert len(per_case) == len({lists.index(n) for n in per_case})


def test_a_template_without_list_styles_gets_them_with_their_numbering(tmp_path: Path) -> None:
    template = Document()
    for name in ("List Bullet", "Table Grid"):
        element = template.styles[name].element
        element.getparent().remove(element)
    template.add_paragraph("Weg ermee.")
    path = tmp_path / "sjabloon.docx"
    template.save(str(path))
    document = word.new_document("Titel", path)
    word.styled(document, "List Bullet", "een punt")
    word.table(document, ["a", "b"], [["1", "2"]])
    saved = Document(io.BytesIO(word.save(document)))
    assert [p.text for p in saved.paragraphs] == ["een punt"]
    bullet = saved.styles["List Bullet"]
    num_id = bullet.element.pPr.numPr.numId.val
    assert any(n.numId == num_id for n in saved.part.numbering_part.element.findall(qn("w:num")))
    assert saved.tables[0].style.name == "Table Grid"
