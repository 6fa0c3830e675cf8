"""The case handouts as Word documents, from the same data as the Markdown and HTML.

Built with python-docx: Word's own heading styles (so the navigation pane works), real tables for
the profile, the financial frame and the overview, A4 pages, and every case after the first on a
new page so that a table can split the handout. The internal key carries its marking in the
header of every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx.enum.text import WD_BREAK
from docx.shared import RGBColor

from toolkit.formatting import long_date, money, number
from toolkit.i18n import _, current_language
from toolkit.reports import word
from toolkit.reports.casussen.handouts import Case, Handouts, KeyEntry, TableHandout

DocxDocument = Any  # python-docx has no type information

_MARKING = RGBColor(0xA4, 0x00, 0x0F)


def _table(
    document: DocxDocument, header: Sequence[str] | None, rows: Sequence[Sequence[str]]
) -> Any:
    return word.table(document, header, rows)


def _bullets(document: DocxDocument, items: Sequence[str], style: str = "List Bullet") -> None:
    for item in items:
        word.styled(document, style, item)


def _heading(document: DocxDocument, text: str, level: int) -> Any:
    return word.heading(document, text, level)


def _occasion_line(document: DocxDocument, handouts: Handouts) -> None:
    paragraph = document.add_paragraph()
    if handouts.occasion:
        paragraph.add_run(handouts.occasion).bold = True
        paragraph.add_run(" · ")
    paragraph.add_run(_("prepared on %(day)s") % {"day": long_date(handouts.day)})


def _question(document: DocxDocument, text: str, is_open: bool) -> None:
    paragraph = word.styled(document, "List Bullet", text)
    if is_open:
        paragraph.add_run(" (" + _("open question of the pilot") + ")").italic = True


def _hours(case: Case) -> str:
    hours = case.person.hours_per_week
    if hours is None:
        return _("not known")
    text = _("%(hours)s hours a week") % {"hours": number(hours, 1)}
    return f"{text} ({case.days})" if case.days else text


def _percent(value: float) -> str:
    return f"{number(value * 100)} %" if current_language() == "nl" else f"{number(value * 100)}%"


def _case(document: DocxDocument, case: Case, number_: int) -> None:
    person, frame = case.person, case.frame
    _heading(
        document,
        _("Case %(number)s: %(pseudonym)s") % {"number": number_, "pseudonym": person.pseudonym},
        level=2,
    )
    _table(
        document,
        None,
        [
            (_("Age"), person.age_band),
            (_("District"), person.district),
            (_("Status"), case.status),
            (_("Hours"), _hours(case)),
            (_("Themes"), ", ".join(theme.label for theme in case.themes)),
        ],
    )
    _heading(document, _("Situation"), level=3)
    _bullets(document, [f"{person.pseudonym} {sentence}" for sentence in case.situation])

    _heading(document, _("Talents and wishes"), level=3)
    wishes = person.wishes
    lines = [
        f"{_('Talents')}: {', '.join(person.talents) or _('none named')}",
        f"{_('Wants to contribute to')}: {', '.join(wishes.causes) or _('none named')}",
        f"{_('Would like to work in')}: {', '.join(wishes.districts) or _('anywhere')}",
    ]
    if wishes.text:
        lines.append(f"{_('In their own words')}: {word.quoted(wishes.text)}")
    _bullets(document, lines)

    _heading(document, _("Financial frame (%(year)s)") % {"year": frame.year}, level=3)
    _table(
        document,
        [
            _("Allowance cap") + ("" if frame.certain else f" ({_('unconfirmed')})"),
            _("per year"),
            _("per month"),
            _("per hour"),
        ],
        [
            (
                _("21 and over") if frame.adult else _("under 21"),
                money(frame.per_year),
                money(frame.per_month),
                money(frame.per_hour, decimals=True),
            )
        ],
    )
    if frame.caveat:
        paragraph = document.add_paragraph()
        paragraph.add_run(_("Unconfirmed:") + " ").bold = True
        paragraph.add_run(frame.caveat)
    paragraph = document.add_paragraph()
    paragraph.add_run(_("Hours and caps:") + " ").bold = True
    paragraph.add_run(frame.check)
    _table(
        document,
        [_("Per burgerbaan-year"), ""],
        [
            (_("Allowance a sponsor funds"), money(frame.sponsor_allowance_per_year)),
            (_("Overhead"), money(frame.overhead_per_year)),
            (_("A sponsor pays"), money(frame.sponsor_cost_per_year)),
            (_("Credit against an SROI obligation"), money(frame.sroi_credit_per_year)),
        ],
    )

    if case.warnings:
        _heading(document, _("Points of attention"), level=3)
        _bullets(document, list(case.warnings))

    _heading(document, _("Possible places (proposals of the matcher; the person chooses)"), 3)
    if case.options_state == "shown":
        # A list of its own per case, so that every case's options are numbered from 1.
        numbering = word.new_numbering(document)
        for option in case.options:
            where = option.opportunity
            if option.organisation:
                where += f", {option.organisation}"
            if option.district:
                where += f" ({option.district})"
            paying = (
                _("sponsor: %(sponsor)s") % {"sponsor": option.sponsor}
                if option.sponsor
                else _("funded by the cooperative")
            )
            fit = _("Fit %(total)s of 100") % {"total": number(option.total)}
            parts = ", ".join(f"{part.label} {_percent(part.value)}" for part in option.parts)
            paragraph = word.styled(document, "List Paragraph")
            word.number(paragraph, numbering)
            paragraph.add_run(where).bold = True
            paragraph.add_run(f"; {paying}. {fit}" + (f" ({parts})." if parts else "."))
            _bullets(document, list(option.reasons), style="List Bullet 2")
            _bullets(document, [f"⚠ {w}" for w in option.warnings], style="List Bullet 2")
    elif case.options_state == "none":
        document.add_paragraph(_("The matcher found no place that meets every hard limit."))
        _bullets(document, list(case.no_option))
    else:
        document.add_paragraph(_("The matcher was not run for these handouts."))

    _heading(document, _("Questions for the table"), level=3)
    for group in case.questions:
        heading = _heading(document, group.theme.label, level=4)
        heading.add_run(f" – {group.theme.description}").italic = True
        for question in group.questions:
            _question(document, question.text, question.open)


def _sources(document: DocxDocument, handouts: Handouts) -> None:
    _heading(document, _("Sources of the amounts"), level=2)
    for what, source in handouts.sources:
        paragraph = word.styled(document, "List Bullet")
        paragraph.add_run(f"{what}: ").bold = True
        paragraph.add_run(source)


def handout_docx(handouts: Handouts, table: TableHandout, template: Path | None = None) -> bytes:
    """One table's handout as a Word document."""
    title = f"{handouts.title} – " + _("table %(number)s") % {"number": table.number}
    if table.name:
        title += f": {table.name}"
    document = word.new_document(title, template)
    _heading(document, title, level=1)
    _occasion_line(document, handouts)
    notice = document.add_paragraph()
    notice.add_run(
        _(
            "The people in these cases are real. They appear under an invented first name and "
            "an age band: do not try to find out who they are, and leave this handout on the "
            "table afterwards."
        )
    ).italic = True
    paragraph = document.add_paragraph()
    paragraph.add_run(_("Themes at this table") + ": ").bold = True
    paragraph.add_run(", ".join(theme.label for theme in table.themes))
    if handouts.general:
        _heading(document, _("Questions for the whole table"), level=2)
        for question in handouts.general:
            _question(document, question.text, question.open)
    for index, case in enumerate(table.cases, start=1):
        if index > 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _case(document, case, index)
    _sources(document, handouts)
    return word.save(document)


def overview_docx(handouts: Handouts, template: Path | None = None) -> bytes:
    """The facilitator's overview as a Word document."""
    title = f"{_('Overview for the facilitator')} – {handouts.title}"
    document = word.new_document(title, template)
    _heading(document, title, level=1)
    _occasion_line(document, handouts)
    if handouts.selected:
        document.add_paragraph(
            _(
                "The cases were chosen to cover the themes asked (greedy set cover: each next "
                "case adds the most themes not yet covered; among equals, the case most "
                "different from those already chosen). They were spread so that each table gets "
                "a mix of themes."
            )
        )
    else:
        document.add_paragraph(
            _(
                "The cases were named by the facilitator and spread so that each table gets a "
                "mix of themes."
            )
        )
    document.add_paragraph(
        _(
            "Public: people appear only under their pseudonym. The key to the persons is kept "
            "separately, for internal use."
        )
    )
    asked = {theme.code for theme in handouts.requested}
    _heading(document, _("Cases per table"), level=2)
    rows = []
    for table in handouts.tables:
        label = f"{table.number} ({table.name})" if table.name else str(table.number)
        for case in table.cases:
            themes = ", ".join(f"{t.label} *" if t.code in asked else t.label for t in case.themes)
            rows.append(
                (label, case.person.pseudonym, case.person.age_band, case.person.district, themes)
            )
    _table(
        document,
        [_("Table"), _("Case"), _("Age"), _("District"), _("Themes (asked marked *)")],
        rows,
    )
    _heading(document, _("Themes asked"), level=2)
    _table(
        document,
        [_("Theme"), _("Code"), _("Tables")],
        [
            (
                theme.label,
                theme.code,
                ", ".join(str(n) for n in handouts.tables_with(theme)) or "–",
            )
            for theme in handouts.requested
        ],
    )
    _heading(document, _("Uncovered themes"), level=2)
    if handouts.uncovered:
        _bullets(
            document,
            [
                f"{theme.label} ({theme.code}): "
                + (
                    _("nobody who can be chosen has this theme")
                    if theme in handouts.absent
                    else _("not enough cases; choose more cases")
                )
                for theme in handouts.uncovered
            ],
        )
    else:
        document.add_paragraph(_("Every theme asked is covered."))
    _sources(document, handouts)
    return word.save(document)


def key_docx(handouts: Handouts, key: Sequence[KeyEntry], template: Path | None = None) -> bytes:
    """The internal key, marked as internal in its title and on every page."""
    marking = _("INTERNAL – contains personal data")
    document = word.new_document(marking, template)
    for section in document.sections:
        run = section.header.paragraphs[0].add_run(marking)
        run.bold = True
        run.font.color.rgb = _MARKING
    heading = _heading(document, "", 1)
    run = heading.add_run(marking)
    run.font.color.rgb = _MARKING
    document.add_paragraph().add_run(
        _(
            "Key from pseudonym to person for the case handouts. Never publish it, never leave "
            "it on a table; destroy it after the session."
        )
    ).bold = True
    _occasion_line(document, handouts)
    _table(
        document,
        [_("Table"), _("Pseudonym"), _("Id"), _("Name")],
        [(str(entry.table), entry.pseudonym, entry.person_id, entry.name) for entry in key],
    )
    return word.save(document)
