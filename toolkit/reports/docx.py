"""The verslag as a Word document that a secretary opens and goes on editing.

Built with python-docx from the same :class:`~toolkit.reports.verslag_data.Verslag` as the Markdown
and HTML: Word's own heading styles (so the navigation pane and a table of contents work), the
programme parts as a real numbered list on their headings (Word renumbers when a part is added),
the actielijst as a table whose header row repeats on every page, page numbers as PAGE/NUMPAGES
fields in the footer, A4, and the document language set for the spelling checker. A draft says
so at the top and in the header; an internal verslag carries its marking in the header of every
page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor
from markdown_it import MarkdownIt
from markdown_it.token import Token

from toolkit.formatting import long_date
from toolkit.i18n import _, ngettext
from toolkit.reports import word
from toolkit.reports.environment import and_list
from toolkit.reports.verslag_data import Verslag

_MARKING_COLOUR = RGBColor(0xA4, 0x00, 0x0F)
_MARKDOWN = MarkdownIt("commonmark", {"html": False})

DocxDocument = Any  # python-docx has no type information


def verslag_document(verslag: Verslag, template: Path | None = None) -> DocxDocument:
    """The Word document of ``verslag`` (a python-docx ``Document``), in the house style of
    ``template`` when given (see :mod:`toolkit.reports.word`)."""
    session = verslag.session
    document = word.new_document(_("Report of the %(title)s") % {"title": session.title}, template)
    _page_setup(document, verslag, own_style=template is None)
    properties = document.core_properties
    properties.author = session.secretary or session.organiser or ""
    properties.subject = session.title

    if verslag.intern:
        _marking(document, _("INTERNAL – contains personal data"))
    _heading(document, properties.title, 1)
    date = document.add_paragraph()
    date.add_run(long_date(session.date)).bold = True
    if verslag.concept:
        paragraph = _marking(document, _("DRAFT"))
        paragraph.add_run(" – " + _("this report has not been approved yet.")).bold = False
    for label, value in verslag.meta:
        _labelled(document, label, value)

    _heading(document, _("Introduction"), 2)
    _markdown(document, session.introduction)
    # The introduction tells the purpose in its own words; the field stands in for it.
    if session.purpose and not session.introduction:
        _labelled(document, _("Purpose"), session.purpose)

    _heading(document, _("Participants"), 2)
    attendance = session.attendance
    if attendance.total is not None:
        text = ngettext("%(num)d participant", "%(num)d participants", attendance.total) % {
            "num": attendance.total
        }
        if attendance.groups:
            text += ": " + and_list(attendance.groups)
        document.add_paragraph(text + ".")
    elif attendance.groups:
        document.add_paragraph(_("Represented") + ": " + and_list(attendance.groups) + ".")
    _markdown(document, attendance.description)
    recording = session.recording
    if recording is not None and recording.by:
        _heading(document, _("Recording"), 3)
        sentences = [_("The meeting was recorded on video by %(by)s.") % {"by": recording.by}]
        if recording.consent_asked:
            sentences.append(_("The chair asked the participants for their consent beforehand."))
        if recording.objections == 0:
            sentences.append(_("Nobody objected."))
        elif recording.objections:
            sentences.append(
                ngettext(
                    "%(num)d participant objected.",
                    "%(num)d participants objected.",
                    recording.objections,
                )
                % {"num": recording.objections}
            )
        if recording.url and recording.promised:
            sentences.append(
                _("%(by)s promised to put the recording on %(url)s.")
                % {"by": recording.by, "url": recording.url}
            )
        elif recording.url:
            sentences.append(_("The recording: %(url)s.") % {"url": recording.url})
        document.add_paragraph(" ".join(sentences))
        _markdown(document, recording.note)

    if verslag.parts:
        _heading(document, _("Programme"), 2)
        count = len(verslag.parts)
        if session.programme_introduction:
            _markdown(document, session.programme_introduction)
        else:
            document.add_paragraph(
                ngettext(
                    "The programme had %(num)d part.", "The programme had %(num)d parts.", count
                )
                % {"num": count}
            )
        numbering = word.new_numbering(document)
        for part in verslag.parts:
            heading = _heading(document, part.title, 3)
            word.number(heading, numbering)
            if part.speaker:
                speaker = _("Speaker") + ": " + part.speaker
                document.add_paragraph().add_run(speaker).italic = True
            _markdown(document, part.summary)
            if part.tables:
                _table_findings(document, verslag, 4)

    if verslag.tables and not verslag.tables_in_programme:
        _heading(document, _("Dialogue sessions"), 2)
        document.add_paragraph(
            ngettext(
                "The dialogue took place at %(num)d table.",
                "The dialogue took place at %(num)d tables.",
                verslag.table_count,
            )
            % {"num": verslag.table_count}
        )
        _table_findings(document, verslag, 3)

    if session.closing:
        _heading(document, _("Closing"), 2)
        _markdown(document, session.closing)
    if session.informal:
        _heading(document, _("Informal part"), 2)
        _markdown(document, session.informal)

    _heading(document, _("Action list"), 2)
    if verslag.actions:
        word.table(
            document,
            [_("No."), _("Action"), _("Who"), _("Deadline"), _("Status")],
            [
                [str(a.number), a.what, a.who or "–", a.due or "–", a.status_label]
                for a in verslag.actions
            ],
        )
    else:
        document.add_paragraph(_("No actions."))

    if verslag.decisions:
        _heading(document, _("Decisions"), 2)
        word.table(
            document,
            [_("No."), _("Decision"), _("Date")],
            [
                [str(index), d.what, long_date(d.date) or "–"]
                for index, d in enumerate(verslag.decisions, start=1)
            ],
        )

    if verslag.questions:
        _heading(document, _("Questions raised"), 2)
        numbering = word.new_numbering(document)
        for question in verslag.questions:
            paragraph = document.add_paragraph()
            word.number(paragraph, numbering)
            paragraph.add_run(question.text).bold = True
            if question.theme:
                paragraph.add_run(" (" + _("theme") + ": " + question.theme + ")")
            if question.is_open:
                _styled(document, "List Continue").add_run(_("Still open.")).italic = True
            else:
                _markdown(document, question.answer or "", paragraph_style="List Continue")

    if verslag.next is not None:
        _heading(document, _("Next meeting"), 2)
        if verslag.next.date:
            _labelled(document, _("Date"), long_date(verslag.next.date))
        elif verslag.next.approximate_date:
            _labelled(document, _("Date"), verslag.next.approximate_date)
        if verslag.next.goal:
            _labelled(document, _("Goal"), verslag.next.goal)
    return document


def _table_findings(document: DocxDocument, verslag: Verslag, level: int) -> None:
    for table in verslag.tables:
        tables = ngettext("%(num)d table", "%(num)d tables", table.count) % {"num": table.count}
        _heading(document, f"{table.theme} ({tables})", level)
        for finding in table.findings:
            _markdown(document, finding, list_style="List Bullet")
        if table.cases:
            cases = "; ".join(
                f"{case.pseudonym}{f' ({case.name})' if case.name else ''}, "
                f"{case.age_band}, {case.district}"
                for case in table.cases
            )
            _labelled(document, _("Cases discussed"), cases)


def document_bytes(document: DocxDocument) -> bytes:
    """The Word file as bytes, the same bytes for the same document on every run."""
    return word.save(document)


def document_texts(document: DocxDocument) -> Iterator[tuple[str, str]]:
    """Every paragraph of the document, its tables, headers and footers: (where, text)."""
    for index, paragraph in enumerate(document.paragraphs, start=1):
        yield _("paragraph {number}").format(number=index), paragraph.text
    for t_index, table in enumerate(document.tables, start=1):
        for r_index, row in enumerate(table.rows, start=1):
            for cell in row.cells:
                where = _("table {table}, row {row}").format(table=t_index, row=r_index)
                yield where, cell.text
    for section in document.sections:
        for part, label in ((section.header, _("header")), (section.footer, _("footer"))):
            for paragraph in part.paragraphs:
                yield label, paragraph.text


def _page_setup(document: DocxDocument, verslag: Verslag, *, own_style: bool) -> None:
    section = document.sections[-1]
    if own_style:
        section.left_margin = section.right_margin = Mm(22)
        section.top_margin, section.bottom_margin = Mm(25), Mm(22)

    marks = []
    if verslag.concept:
        marks.append(_("DRAFT"))
    if verslag.intern:
        marks.append(_("INTERNAL – contains personal data"))
    if marks:
        # Below the template's own header (its logo), not in its place.
        header = section.header.add_paragraph() if not own_style else section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(" · ".join(marks))
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = _MARKING_COLOUR

    footer = section.footer.add_paragraph() if not own_style else section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # "Page {page} of {pages}" with the placeholders as fields Word fills in.
    for piece in re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}")):
        if piece == "{page}":
            _field(footer, "PAGE")
        elif piece == "{pages}":
            _field(footer, "NUMPAGES")
        elif piece:
            footer.add_run(piece).font.size = Pt(9)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / placeholder / end."""
    run = paragraph.add_run()
    run.font.size = Pt(9)
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    run._r.append(
        parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instruction} </w:instrText>')
    )
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    run._r.append(parse_xml(f"<w:t {nsdecls('w')}>1</w:t>"))
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def _styled(document: DocxDocument, style: str, text: str = "") -> Any:
    return word.styled(document, style, text)


def _heading(document: DocxDocument, text: str, level: int) -> Any:
    return word.heading(document, text, level)


def _marking(document: DocxDocument, text: str) -> Any:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.color.rgb = _MARKING_COLOUR
    return paragraph


def _labelled(document: DocxDocument, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def _markdown(
    document: DocxDocument,
    text: str | None,
    *,
    list_style: str | None = None,
    paragraph_style: str | None = None,
) -> None:
    """Markdown from a case file as Word paragraphs: paragraphs, lists, bold, italic, links.

    ``list_style`` puts every paragraph in that list (a finding is one bullet);
    ``paragraph_style`` is the style of plain paragraphs.
    """
    if not text or not text.strip():
        return
    lists: list[str] = []
    in_heading = False
    for token in _MARKDOWN.parse(text):
        if token.type == "bullet_list_open":
            lists.append("List Bullet")
        elif token.type == "ordered_list_open":
            lists.append("List Number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type == "inline":
            if in_heading:
                style = "Heading 4"
            elif lists:
                style = lists[-1] if len(lists) == 1 else f"{lists[-1]} 2"
            else:
                style = list_style or paragraph_style or "Normal"
            _inline(_styled(document, style), token.children or [])
        elif token.type in ("fence", "code_block"):
            _styled(document, paragraph_style or "Normal", token.content.rstrip("\n"))


def _inline(paragraph: Any, children: Sequence[Token]) -> None:
    bold = italic = False
    link: str | None = None
    link_text = ""
    for child in children:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type == "link_open":
            link, link_text = str(child.attrs.get("href", "")), ""
        elif child.type == "link_close":
            if link and link not in (link_text, f"mailto:{link_text}", f"http://{link_text}"):
                paragraph.add_run(f" ({link})")
            link = None
        elif child.type in ("softbreak",):
            paragraph.add_run(" ")
        elif child.type == "hardbreak":
            paragraph.add_run().add_break()
        elif child.type in ("text", "code_inline", "html_inline"):
            run = paragraph.add_run(child.content)
            run.bold = bold or None
            run.italic = italic or None
            if link is not None:
                link_text += child.content
