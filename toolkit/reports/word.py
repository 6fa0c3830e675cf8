"""What every Word file the toolkit writes shares, so that Word and LibreOffice show it alike.

- **The house style**: a document starts from the cooperative's own ``.docx`` made in Word
  (``--docx-template``: its styles, page setup, header and logo) with its body emptied, or from
  python-docx's template set to A4 with one font family for every style. Text is written in
  styles only, never with a font on a run, so one font family runs through the document.
  Styles the template lacks (Word saves only those in use) are copied in from python-docx's
  template, list numbering included.
- **Tables** whose grid matches their cells (LibreOffice lays a table out by its grid, Word by
  its cells: when they differ, Writer breaks words mid-word), column widths that fit their
  content, the header row repeated on every page and no row split over two pages.
- **Numbered lists** that start at 1 wherever a new one begins.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Mm, Pt

from toolkit.errors import InvalidInputError
from toolkit.i18n import _, current_language

DocxDocument = Any  # python-docx has no type information

#: The one font family of a document made without a template (Word's default since 2007, with
#: metric-compatible Carlito in LibreOffice).
FONT = "Calibri"
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}
#: Opening and closing quotation marks a text may already carry ("“Ik wil…”").
_QUOTES = {"“": "”", '"': '"', "„": "”", "‘": "’", "'": "'", "«": "»"}
#: A table cell's padding left and right together (Writer: 1.9 mm a side), and the width of a
#: wide character at 11 pt in a broad font (DejaVu Sans, where Calibri is missing): a column
#: fitted to these does not break a word.
_CELL_PADDING_MM = 4.2
_CHAR_MM = 2.45


def new_document(title: str, template: Path | None = None) -> DocxDocument:
    """An empty document in the house style of ``template`` (or the toolkit's own)."""
    if template is None:
        document = Document()
        _own_style(document)
    else:
        document = _from_template(template)
    language = LANGUAGE_TAGS.get(current_language(), current_language())
    # The language of the text itself, so that the spelling check uses the right one.
    run_properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {nsdecls('w')}/>")
        run_properties.append(lang)
    lang.set(qn("w:val"), language)
    properties = document.core_properties
    properties.title = title
    properties.language = language
    properties.author = ""
    properties.comments = ""
    properties.last_modified_by = ""
    return document


def check_template(template: Path) -> None:
    """A Word file that can serve as the house style; :class:`UsageError` otherwise."""
    _from_template(template)


def save(document: DocxDocument) -> bytes:
    """The Word file as bytes, the same bytes for the same document on every run."""
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


#: The time every part of a Word file carries (the zip format's first day). python-docx stamps
#: the parts with the time of saving, so two downloads of one verslag would differ; with a fixed
#: time the web's download and the command's file are the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def stable_zip(data: bytes) -> bytes:
    """``data`` (a zip file: .docx, .xlsx) with the time and system of every entry fixed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            fixed.create_system = 0
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def _own_style(document: DocxDocument) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    styles["Normal"].font.size = Pt(11)
    # One family everywhere: the document defaults and every style that names its own font
    # (python-docx's headings use the theme's heading font, which LibreOffice resolves to
    # another family than the body's).
    defaults = document.styles.element.find(qn("w:docDefaults"))
    holders = [defaults] if defaults is not None else []
    holders += list(document.styles.element.findall(qn("w:style")))
    for holder in holders:
        for fonts in holder.iter(qn("w:rFonts")):
            for attribute in list(fonts.attrib):
                del fonts.attrib[attribute]
            for kind in ("ascii", "hAnsi", "cs", "eastAsia"):
                fonts.set(qn(f"w:{kind}"), FONT)


def _from_template(template: Path) -> DocxDocument:
    try:
        document = Document(str(template))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InvalidInputError(
            _(
                "{path} cannot be used as a Word template ({reason}); give a .docx file saved "
                "in Word or LibreOffice."
            ).format(path=template, reason=exc),
            field="docx_template",
        ) from exc
    except Exception as exc:  # python-docx raises its own errors for a file that is no .docx
        raise InvalidInputError(
            _(
                "{path} cannot be used as a Word template ({reason}); give a .docx file saved "
                "in Word or LibreOffice."
            ).format(path=template, reason=type(exc).__name__),
            field="docx_template",
        ) from exc
    body = document.element.body
    # The template's own text goes; its last section (page, header, footer, logo) stays.
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


@cache
def _default_styles() -> DocxDocument:
    return Document()


def ensure_style(document: DocxDocument, name: str) -> str:
    """The id of the style ``name`` in ``document``, copied from python-docx's template (with
    its list numbering) when the document lacks it."""
    ids = _style_ids(document)
    if name in ids:
        return ids[name]
    source = _default_styles()
    wanted = source.styles[name]
    element = copy.deepcopy(wanted.element)
    based_on = element.find(qn("w:basedOn"))
    if based_on is not None:
        parent = _default_style_name(based_on.get(qn("w:val")))
        if parent is not None:
            based_on.set(qn("w:val"), ensure_style(document, parent))
    num_id = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is not None:
        num_id.set(qn("w:val"), str(_copy_numbering(document, int(num_id.get(qn("w:val"))))))
    document.styles.element.append(element)
    _style_id_cache.pop(id(document), None)
    return str(element.get(qn("w:styleId")))


def _default_style_name(style_id: str | None) -> str | None:
    for style in _default_styles().styles:
        if style.style_id == style_id:
            return str(style.name)
    return None


def _copy_numbering(document: DocxDocument, num_id: int) -> int:
    """Copy list ``num_id`` of python-docx's template into ``document``; its new id."""
    source = _default_styles().part.numbering_part.element
    num = next(n for n in source.findall(qn("w:num")) if int(n.get(qn("w:numId"))) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in source.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    target = document.part.numbering_part.element
    new_abstract = copy.deepcopy(abstract)
    new_abstract_id = _next_abstract_id(target)
    new_abstract.set(qn("w:abstractNumId"), str(new_abstract_id))
    for unwanted in new_abstract.findall(qn("w:nsid")) + new_abstract.findall(qn("w:tmpl")):
        new_abstract.remove(unwanted)
    _insert_abstract(target, new_abstract)
    return int(target.add_num(new_abstract_id).numId)


_style_id_cache: dict[int, dict[str, str]] = {}


def _style_ids(document: DocxDocument) -> dict[str, str]:
    key = id(document)
    if key not in _style_id_cache or len(_style_id_cache) > 64:
        if len(_style_id_cache) > 64:
            _style_id_cache.clear()
        _style_id_cache[key] = {style.name: style.style_id for style in document.styles}
    return _style_id_cache[key]


def styled(document: DocxDocument, style: str, text: str = "") -> Any:
    """A paragraph in ``style`` (set by id: python-docx's look-up by name is slow)."""
    paragraph = document.add_paragraph(text)
    if style != "Normal":
        paragraph._p.style = ensure_style(document, style)
    return paragraph


def heading(document: DocxDocument, text: str, level: int) -> Any:
    return styled(document, f"Heading {level}", text)


def _next_abstract_id(numbering: Any) -> int:
    ids = [int(n.get(qn("w:abstractNumId"))) for n in numbering.findall(qn("w:abstractNum"))]
    return max(ids, default=0) + 1


def _insert_abstract(numbering: Any, abstract: Any) -> None:
    # The schema wants every abstractNum before the first num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)


def new_numbering(document: DocxDocument) -> int:
    """A decimal list "1.", "2.", ... of its own, so that it starts at 1."""
    numbering = document.part.numbering_part.element
    abstract_id = _next_abstract_id(numbering)
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="425" w:hanging="425"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    _insert_abstract(numbering, abstract)
    return int(numbering.add_num(abstract_id).numId)


def number(paragraph: Any, num_id: int) -> None:
    """Put ``paragraph`` in the list ``num_id`` (see :func:`new_numbering`)."""
    properties = paragraph._p.get_or_add_pPr()
    numbering = properties.get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = num_id


def quoted(text: str) -> str:
    """``text`` between quotation marks, unless it already has them (as typed in Word)."""
    stripped = text.strip()
    if len(stripped) >= 2 and _QUOTES.get(stripped[0]) == stripped[-1]:
        return stripped
    return f"“{stripped}”"


def text_width(document: DocxDocument) -> int:
    """The width between the margins of the document's last section, in EMU."""
    section = document.sections[-1]
    width = section.page_width or Mm(210)
    return int(width - (section.left_margin or 0) - (section.right_margin or 0))


def column_widths(columns: Sequence[Sequence[str]], available: int) -> list[int]:
    """Widths (EMU) for columns holding these texts: each at least as wide as its longest
    word, the rest shared by how much text each holds, all together ``available``."""
    char, padding = Mm(_CHAR_MM), Mm(_CELL_PADDING_MM)
    floors, wants = [], []
    for texts in columns:
        words = [len(word) for text in texts for word in text.split()] or [1]
        lines = [len(text) for text in texts] or [1]
        floors.append(int(max(words) * char + padding))
        wants.append(int(max(lines) * char + padding))
    wants = [max(want, floor) for want, floor in zip(wants, floors, strict=True)]
    if sum(wants) <= available:
        extra = available - sum(wants)
        return _fit([w + extra * w // sum(wants) for w in wants], available)
    if sum(floors) >= available:
        return _fit([available * f // sum(floors) for f in floors], available)
    room = available - sum(floors)
    slack = [w - f for w, f in zip(wants, floors, strict=True)]
    total = sum(slack) or 1
    return _fit([f + room * s // total for f, s in zip(floors, slack, strict=True)], available)


def _fit(widths: list[int], available: int) -> list[int]:
    """Round to whole twips (what Word stores) and give the rounding to the widest column."""
    twip = 635
    widths = [w // twip * twip for w in widths]
    widest = widths.index(max(widths))
    widths[widest] += (available // twip * twip) - sum(widths)
    return widths


def table(
    document: DocxDocument,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    *,
    style: str = "Table Grid",
) -> Any:
    """A table whose grid, cells and width agree, fitted to its content; the header row (bold)
    repeats on every page and no row is split over two pages."""
    columns = len(header) if header else len(rows[0])
    result = document.add_table(rows=0, cols=columns)
    if style:
        result._tbl.tblPr.style = ensure_style(document, style)
    result.alignment = WD_TABLE_ALIGNMENT.CENTER
    result.autofit = False
    body_rows = [list(row) for row in rows]
    all_rows = ([list(header)] if header else []) + body_rows
    widths = column_widths(
        [[row[i] for row in all_rows] for i in range(columns)], text_width(document)
    )
    properties = result._tbl.tblPr
    layout = properties.find(qn("w:tblLayout"))
    if layout is None:
        layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
        properties.append(layout)
    table_width = properties.find(qn("w:tblW"))
    if table_width is None:
        table_width = parse_xml(f"<w:tblW {nsdecls('w')}/>")
        properties.append(table_width)
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(widths) // 635))
    for grid_column, width in zip(result._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = Emu(width)
    for index, values in enumerate(all_rows):
        row = result.add_row()
        row_properties = row._tr.get_or_add_trPr()
        row_properties.append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
        is_header = header is not None and index == 0
        if is_header:
            row_properties.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
        for cell, text, width in zip(row.cells, values, widths, strict=True):
            cell.width = Emu(width)
            run = cell.paragraphs[0].add_run(text)
            if is_header:
                run.bold = True
    return result
