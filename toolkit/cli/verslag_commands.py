"""The secretary's commands: the verslag of a session, the next session's record, the Q&A page.

``burgerbaan verslag SESSION`` and ``burgerbaan verslag new`` share one name: ``verslag`` is a
group whose sub-command ``new`` starts the next record, and whose first argument is otherwise
taken as a session id and handed to the hidden sub-command ``show`` (which can also be named, for
a session whose id is literally ``new``: ``burgerbaan verslag show new``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.cli.base import TranslatedCommand, TranslatedHelp
from toolkit.cli.options import (
    casebook_argument,
    date_option,
    docx_template_option,
    emit,
    format_for_out,
    lang_option,
    open_casebook,
    output_file_options,
    templates_option,
)
from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.reports.documents import QaRequest, VerslagRequest, qa_document, verslag_document
from toolkit.reports.next_session import write_next_session
from toolkit.reports.qa import QA_FORMATS
from toolkit.reports.verslag import FORMATS

_SHOW = "show"


class SessionCommand(TranslatedCommand):
    """``show``, whose usage reads as the secretary types it: ``verslag SESSION ...``."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.parent.command_path if ctx.parent is not None else "verslag"
        formatter.write_usage(path, _("SESSION [CASEBOOK] [OPTIONS]"))


class VerslagGroup(TranslatedHelp, click.Group):
    """A group whose unknown first word is a session id rather than an unknown command."""

    command_class = TranslatedCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("context_settings", {})["ignore_unknown_options"] = True
        super().__init__(*args, **kwargs)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands:
            # ``verslag dialoogavond-4 --format html``: the whole line belongs to ``show``.
            return _SHOW, self.commands[_SHOW], args
        return super().resolve_command(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, _("SESSION [CASEBOOK] [OPTIONS]"))
        formatter.write_usage(
            ctx.command_path, _("new [CASEBOOK] [OPTIONS]"), prefix=" " * len(_("Usage:") + " ")
        )

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        show = self.commands[_SHOW]
        show.format_options(click.Context(show, info_name=_SHOW, parent=ctx), formatter)
        self.format_commands(ctx, formatter)


@click.group(cls=VerslagGroup)
@lang_option
def verslag() -> None:
    """Write the verslag of a session, or start the record of the next one.

    'burgerbaan verslag SESSION' writes the verslag of the session with that id (see
    'burgerbaan list sessions') as Markdown, HTML or Word. A verslag is public unless --intern
    is given: the people whose cases were discussed appear by pseudonym, and nothing is written
    when the text would carry a name, phone number, e-mail address or BSN-like number.
    'burgerbaan verslag new' starts the record of the next session.
    """


@verslag.command(name=_SHOW, cls=SessionCommand, hidden=True)
@click.argument("session_id", metavar="SESSION")
@casebook_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md (website, diffs), html (one page, prints on A4) or docx (Word).",
)
@output_file_options("Write to this file instead of the screen (required for docx).")
@templates_option
@docx_template_option
@click.option(
    "--intern",
    is_flag=True,
    help="Internal version: names the people whose cases were discussed; not for publication.",
)
@lang_option
def show(
    session_id: str,
    casebook: Path,
    output_format: str,
    out: Path | None,
    templates: Path | None,
    docx_template: Path | None,
    intern: bool,
    force: bool,
) -> None:
    """Write the verslag of a session as Markdown, HTML or Word."""
    output_format = format_for_out("output_format", out, output_format, FORMATS)
    if output_format == "docx" and out is None:
        raise InvalidInputError(_("A Word verslag needs a file: add --out FILE.docx."))
    request = VerslagRequest(
        session=session_id,
        format=output_format,
        intern=intern,
        templates=templates,
        docx_template=docx_template,
    )
    emit(verslag_document(open_casebook(casebook), request), out, force, casebook=casebook)


@verslag.command(name="new")
@casebook_argument
@click.option(
    "--id",
    "record_id",
    default=None,
    help="The id (file name) of the new session; by default the previous id with the next number.",
)
@date_option
@lang_option
def new_session(casebook: Path, record_id: str | None, today: Any) -> None:
    """Start the record of the next session from the latest one.

    The new record gets the next number, the date and goal that the latest session set for
    it, and the open actions and open questions carried over; every field has a Dutch comment.
    An existing file is never overwritten.
    """
    book = open_casebook(casebook)
    path = write_next_session(
        book, record_id=record_id, today=today.date() if today is not None else None
    )
    click.echo(
        _("Written: {path}. Fill in the fields, then run 'burgerbaan check'.").format(path=path)
    )


@click.command(cls=TranslatedCommand)
@casebook_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(QA_FORMATS),
    default="html",
    show_default=True,
    help="html (a page to publish) or md (for the website's Markdown).",
)
@output_file_options()
@templates_option
@lang_option
def qa(
    casebook: Path, output_format: str, out: Path | None, templates: Path | None, force: bool
) -> None:
    """Write the public Q&A page: the questions of all sessions with their answers.

    Questions asked again in other words are merged; each shows its answer (or that it is
    still open) and the session where it was first raised. Nothing is written when the page
    would carry personal data.
    """
    output_format = format_for_out("output_format", out, output_format, QA_FORMATS)
    request = QaRequest(format=output_format, templates=templates)
    emit(qa_document(open_casebook(casebook), request), out, force, casebook=casebook)
