"""The inzage document as a Word file: what a citizen can open without any other program.

The same sections, in the same words, as the Markdown and HTML (``templates/inzage/``), built
from the same :class:`~toolkit.casebook.access.AccessReport`. Text from case files goes into
Word runs as text, never as markup, so nothing in it can format or hide anything.
"""

from __future__ import annotations

from typing import Any

from docx.shared import RGBColor

from toolkit.casebook.access import AccessReport
from toolkit.formatting import long_date
from toolkit.i18n import _
from toolkit.reports import word
from toolkit.reports.inzage import data_tables, person_rows, placement_rows

_MARKING = RGBColor(0xA4, 0x00, 0x0F)


def access_docx(report: AccessReport) -> bytes:
    """The inzage document of ``report`` as the bytes of a Word file."""
    title = _("Access to personal data")
    document = word.new_document(title, None)
    confidential = _("CONFIDENTIAL: personal document.")
    for section in document.sections:
        run = section.header.paragraphs[0].add_run(confidential)
        run.bold = True
        run.font.color.rgb = _MARKING
    word.heading(document, title, 1)
    _notice(document)
    document.add_paragraph(
        _('For %(name)s. Made on %(made_on)s from the casebook "%(casebook)s".')
        % {
            "name": report.person.name,
            "made_on": long_date(report.made_on),
            "casebook": report.casebook_name,
        }
    )

    word.heading(document, "1. " + _("Your file"), 2)
    word.table(document, [_("field"), _("what is recorded")], person_rows(report.person))
    document.add_paragraph(
        _(
            "In public documents (the verslag of a meeting, case handouts, the Q&A page, the "
            'pilot overview) you never appear by name: only as "%(pseudonym)s", with an age '
            "band instead of your year of birth, and without your situation, contact details "
            "or notes."
        )
        % {"pseudonym": report.pseudonym}
    )

    word.heading(document, "2. " + _("Your placement"), 2)
    placement = placement_rows(report)
    if placement:
        word.table(document, [_("field"), _("what is recorded")], placement)
    else:
        document.add_paragraph(_("No placement is recorded."))

    word.heading(document, "3. " + _("Meetings where your situation was discussed"), 2)
    for view in report.sessions:
        word.styled(
            document,
            "List Bullet",
            f"{long_date(view.session.date)}: {view.session.title} "
            f"({_('table')}: {', '.join(view.themes)})",
        )
    if not report.sessions:
        document.add_paragraph(_("None."))

    word.heading(document, "4. " + _("Hours statements"), 2)
    for hours in report.hours:
        word.heading(document, hours.path, 3)
        if hours.problem:
            document.add_paragraph(
                _("This file cannot be read as YAML (%(problem)s); here it is as stored:")
                % {"problem": hours.problem}
            )
            _verbatim(document, hours.text)
            continue
        for table in data_tables(hours.data):
            if table.title:
                document.add_paragraph(table.title + ":")
            word.table(document, table.headers, table.rows)
    if not report.hours:
        document.add_paragraph(_("None."))

    word.heading(document, "5. " + _("Reminders the coordinator sees about you"), 2)
    for alert in report.alerts:
        word.styled(document, "List Bullet", alert)
    if not report.alerts:
        document.add_paragraph(_("None."))

    word.heading(document, "6. " + _("Other places in the casebook that name you"), 2)
    if report.mentions:
        word.table(
            document,
            [_("file"), _("where"), _("text")],
            [(m.path, m.where, m.text) for m in report.mentions],
        )
    else:
        document.add_paragraph(_("None."))

    word.heading(document, "7. " + _("What happens with your data"), 2)
    for text in (
        _(
            "Your data is used to propose volunteer places that fit you (you always choose "
            "yourself), to arrange and pay your volunteer allowance, and to prepare meetings "
            "of the pilot, where you appear only under your pseudonym."
        ),
        _("Whether you have a BSN is recorded, never the number itself."),
        _(
            "When you have stopped, your file is removed %(months)s months after your last "
            "placement ended, unless there is a reason to keep it."
        )
        % {"months": report.retention_months},
        _(
            "You may ask the coordinator to correct your data, or to remove it all ('vergeet'): "
            "your file, your hours and every mention of you. Only a note that a removal took "
            "place is kept, without your name."
        ),
    ):
        word.styled(document, "List Bullet", text)

    word.heading(document, "8. " + _("Your file as it is stored"), 2)
    _verbatim(document, report.file_text)
    _notice(document)
    return word.save(document)


def _notice(document: Any) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(_("CONFIDENTIAL: personal document.") + " ")
    run.bold = True
    run.font.color.rgb = _MARKING
    paragraph.add_run(
        _(
            "This document holds personal data, including special-category data (about health "
            "and benefits), of one person. It was made for their request for access (AVG/GDPR "
            "article 15). Give it only to that person; do not keep it or send it unprotected."
        )
    )


def _verbatim(document: Any, text: str) -> None:
    """A file's text line by line, as stored (one paragraph, a line break per line)."""
    paragraph = word.styled(document, "No Spacing")
    for index, line in enumerate(text.rstrip("\n").split("\n")):
        if index:
            paragraph.add_run().add_break()
        paragraph.add_run(line)
