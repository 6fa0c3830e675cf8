"""Bringing records in from a spreadsheet and lists out to one: ``import`` and ``export``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.casebook.importing import ImportPreview, import_records, preview_import
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.casebook_commands import KindType
from toolkit.cli.options import (
    casebook_argument,
    date_option,
    lang_option,
    open_casebook,
    output_file_options,
    reference_day,
)
from toolkit.errors import InvalidInputError
from toolkit.files import write_atomic
from toolkit.i18n import _, current_language, ngettext
from toolkit.reports.export import EXPORT_KINDS, export_bytes
from toolkit.reports.spreadsheet import FORMATS


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        header, sep, field = pair.partition("=")
        if not sep or not header.strip():
            raise InvalidInputError(
                _("'{pair}' is not HEADER=FIELD, for example --kolom 'Wie=name'.").format(pair=pair)
            )
        mapping[header.strip()] = field.strip()
    return mapping


@click.command(name="import", cls=TranslatedCommand)
@click.argument("kind", type=KindType(plural=True), metavar="KIND")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@casebook_argument
@click.option(
    "--ja",
    "--yes",
    "write",
    is_flag=True,
    help="Write the records. Without it the import only shows what it would do.",
)
@click.option(
    "--kolom",
    "--column",
    "columns",
    multiple=True,
    metavar="HEADER=FIELD",
    help="Read a column with another header as this field, e.g. --kolom 'Wie=name'; "
    "--kolom 'Opmerking=' leaves a column out. May be repeated.",
)
@click.option(
    "--dubbelen",
    "--allow-duplicates",
    "allow_duplicates",
    is_flag=True,
    help="Import people with the name and birth year of an existing record anyway.",
)
@lang_option
def import_command(
    kind: str,
    file: Path,
    casebook: Path,
    write: bool,
    columns: tuple[str, ...],
    allow_duplicates: bool,
) -> None:
    """Import records from a spreadsheet (.xlsx, .ods or .csv) into the casebook.

    KIND is people, opportunities, organisations or sponsors (in Dutch: personen, plekken,
    organisaties or sponsors).

    The first row holds the headers (Naam, Geboortejaar, Wijk, Telefoon, E-mail, Talenten, ...
    in Dutch or English). First a preview: every row with its problems, per row and column.
    With --ja all rows are written, or none if any row has a problem.
    """
    if not casebook.is_dir():
        raise InvalidInputError(
            _("The casebook folder {path} does not exist.").format(path=casebook)
        )
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InvalidInputError(
            _("Cannot read {path}: {reason}").format(path=file, reason=exc.strerror or exc)
        ) from exc
    mapping = _mapping(columns)
    if write:
        preview = import_records(
            casebook, kind, data, file.name, mapping=mapping, allow_duplicates=allow_duplicates
        )
    else:
        preview = preview_import(
            casebook, kind, data, file.name, mapping=mapping, allow_duplicates=allow_duplicates
        )
    click.echo(render_preview(preview))
    if preview.doubled:
        raise InvalidInputError(preview.doubled_message + "\n" + _("Nothing was imported."))
    if not preview.ok:
        raise InvalidInputError(
            ngettext(
                "Nothing was imported: {count} problem to mend first.",
                "Nothing was imported: {count} problems to mend first.",
                len(preview.problems),
            ).format(count=len(preview.problems))
        )
    count = len(preview.rows)
    if write:
        click.echo(
            ngettext("Imported {count} record.", "Imported {count} records.", count).format(
                count=count
            )
        )
    else:
        click.echo(
            ngettext(
                "Nothing written yet. Run the same command with --ja to import {count} record.",
                "Nothing written yet. Run the same command with --ja to import {count} records.",
                count,
            ).format(count=count)
        )


def render_preview(preview: ImportPreview) -> str:
    lines = [_("Columns of {file}:").format(file=preview.source)]
    for header, target in preview.columns.items():
        shown = target if target else _("(left out)")
        lines.append(f"  {header} → {shown}")
    lines.append("")
    for row in preview.rows:
        state = _("problem") if row.problems else _("ok")
        lines.append(
            _("row {row}: {id} ({state})").format(row=row.row, id=row.record_id, state=state)
        )
        for problem in row.problems:
            where = f"[{problem.column}] " if problem.column else ""
            lines.append(f"    {where}{problem.message}")
    return "\n".join(lines)


#: The lists by their Dutch names; the English ones (EXPORT_KINDS) are accepted too.
DUTCH_EXPORT_KINDS = {
    "personen": "people",
    "plekken": "opportunities",
    "organisaties": "organisations",
    "sponsors": "sponsors",
    "voorstellen": "proposals",
    "uren": "hours",
    "sponsorcijfers": "sponsor-figures",
    "bijeenkomsten": "sessions",
}


class ExportKind(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    name = "kind"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        word = str(value).strip().lower()
        kind = DUTCH_EXPORT_KINDS.get(word, word)
        if kind not in EXPORT_KINDS:
            words = DUTCH_EXPORT_KINDS if current_language() == "nl" else EXPORT_KINDS
            self.fail(
                _("'{value}' is not a list to export; choose one of: {kinds}.").format(
                    value=value, kinds=", ".join(words)
                ),
                param,
                ctx,
            )
        return kind


@click.command(name="export", cls=TranslatedCommand)
@click.argument("kind", type=ExportKind(), metavar="KIND")
@casebook_argument
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="xlsx", help="xlsx (Excel) or csv."
)
@output_file_options("The file to write (default: KIND.xlsx or KIND.csv in this folder).")
@click.option(
    "--intern",
    is_flag=True,
    help="People by name with all their fields, organisations with their contact persons "
    "(internal use only; the file is owner-only).",
)
@date_option
@lang_option
def export_command(
    kind: str,
    casebook: Path,
    fmt: str,
    out: Path | None,
    force: bool,
    intern: bool,
    today: Any,
) -> None:
    """Export a list as an Excel or CSV file.

    KIND is people, opportunities, organisations, sponsors, proposals (of a round), hours,
    sponsor-figures or sessions (in Dutch: personen, plekken, organisaties, sponsors,
    voorstellen, uren, sponsorcijfers or bijeenkomsten).

    People appear by their public view (pseudonym, age band) unless --intern is given; so do
    the contact persons of organisations, which only the internal list names.
    """
    book = open_casebook(casebook)
    content = export_bytes(book, kind, fmt, intern=intern, day=reference_day(today))
    target = out or Path(f"{kind}.{fmt}")
    # Every list but the public people list and the figures may hold personal data or ids.
    private = intern or kind in ("hours", "proposals")
    write_atomic(target, content, overwrite=force, private=private)
    click.echo(_("Written: {path}").format(path=target))
