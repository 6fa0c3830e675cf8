"""``burgerbaan casussen``: pseudonymised case handouts for the dialogue tables."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from toolkit.casebook.lock import casebook_lock
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import (
    casebook_argument,
    date_option,
    docx_template_option,
    lang_option,
    open_casebook,
    reference_day,
    refuse_inside_casebook,
)
from toolkit.i18n import _
from toolkit.reports.casussen.job import Result, make_casussen, matcher_options
from toolkit.reports.casussen.request import FORMATS, Request


@click.command(cls=TranslatedCommand)
@casebook_argument
@click.option("--people", help="Take exactly these cases: person ids separated by commas.")
@click.option(
    "--select",
    type=int,
    help="Choose this many cases that together cover the themes and differ most.",
)
@click.option(
    "--tables",
    type=int,
    help="Spread the cases over this many tables (default: 1, or the tables of --session).",
)
@click.option(
    "--themes",
    help="Themes to cover, separated by commas, for example pgb,wajong,geen-bsn (default: all).",
)
@click.option(
    "--session",
    "session_id",
    metavar="ID",
    help="Record the chosen cases in the tables of this session.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="Format of the handouts: md, html (print-ready) or docx (Word).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the handouts (tafel-1, tafel-2, ..., overzicht).",
)
@click.option(
    "--intern",
    is_flag=True,
    help="Also write the key from pseudonym to person, in a separate file marked internal.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace existing files, and cases already recorded in the session.",
)
@docx_template_option
@date_option
@lang_option
def casussen(
    casebook: Path,
    people: str | None,
    select: int | None,
    tables: int | None,
    themes: str | None,
    session_id: str | None,
    fmt: Any,
    out: Path,
    intern: bool,
    force: bool,
    docx_template: Path | None,
    today: Any,
) -> None:
    """Write case handouts for the dialogue tables: one per table, and an overview.

    Give the cases with --people, or let the toolkit choose them with --select so that together
    they cover the themes asked. People appear only under a pseudonym; every handout passes the
    privacy check before anything is written, and either all files are written or none.
    """
    refuse_inside_casebook(out, casebook)
    # With --session the session file is read, changed and written: all of it under the
    # casebook lock, so that no other writer (vergeet) changes the casebook in between.
    with casebook_lock(casebook) if session_id else contextlib.nullcontext():
        book = open_casebook(casebook)
        request = Request(
            out=out,
            format=fmt,
            people=people,
            select=select,
            tables=tables,
            themes=themes,
            session=session_id,
            intern=intern,
            force=force,
            day=reference_day(today),
            docx_template=docx_template,
        )
        click.echo(summary(make_casussen(book, request, matcher_options(book))))


def summary(result: Result) -> str:
    """What was written, table by table, by pseudonym only."""
    lines = []
    for table in result.handouts.tables:
        names = ", ".join(case.person.pseudonym for case in table.cases)
        label = _("Table {number}").format(number=table.number)
        if table.name:
            label += f" ({table.name})"
        lines.append(f"{label}: {names}")
    uncovered = result.handouts.uncovered
    if uncovered:
        lines.append(
            _("Themes not covered: {themes}.").format(
                themes=", ".join(theme.code for theme in uncovered)
            )
        )
    elif result.handouts.requested:
        lines.append(_("Every theme asked is covered."))
    lines.append(_("Written:"))
    lines.extend(f"  {path}" for path in result.written if path != result.session_file)
    if result.session_file is not None:
        lines.append(
            _("The cases are recorded in the tables of {path}.").format(path=result.session_file)
        )
        if not result.session_layout_kept:
            lines.append(
                _(
                    "Its layout could not be kept exactly: indentation or empty values may look "
                    "different in places the change did not touch (the content is the same)."
                )
            )
    return "\n".join(lines)
