"""Options shared by several commands, bundled as decorators."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from toolkit.cli.outputs import choose_format
from toolkit.cli.process import freeze_what_stays
from toolkit.errors import InvalidInputError
from toolkit.files import write_atomic
from toolkit.i18n import LANGUAGES, _, set_language

if TYPE_CHECKING:
    from toolkit.casebook import Casebook
    from toolkit.casebook.numbers import NumberKind
    from toolkit.reports.documents import Document

F = TypeVar("F", bound=Callable[..., Any])


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    # ``burgerbaan --lang en check`` and ``burgerbaan check --lang en`` both work: a command
    # without its own --lang keeps the one given to the group.
    root = ctx.find_root()
    chosen = value or root.meta.get("burgerbaan.lang")
    language = set_language(chosen)
    root.meta["burgerbaan.lang"] = language
    return language


def lang_option(func: F) -> F:
    """``--lang nl|en``: the language of messages and reports (default: nl)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        default=None,
        is_eager=True,
        expose_value=False,
        callback=_set_language,
        envvar="BURGERBAAN_LANG",
        help="Language of messages and reports: nl (default) or en.",
    )(func)


def casebook_argument(func: F) -> F:
    """The casebook folder as an optional argument, ``./cases`` by default."""
    return click.argument(
        "casebook",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("cases"),
        required=False,
    )(func)


#: The years a reference day may fall in: date arithmetic near year 1 or 9999 overflows, and no
#: question about the pilot needs a day outside this range.
DATE_YEARS = (1900, 2100)


def _check_year(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and not DATE_YEARS[0] <= value.year <= DATE_YEARS[1]:
        raise click.BadParameter(
            _("choose a day between {first} and {last}.").format(
                first=DATE_YEARS[0], last=DATE_YEARS[1]
            )
        )
    return value


class DayType(click.ParamType[datetime, Any]):
    """A day as a Dutch person writes it (23-10-2024, 23/10/2024) or as ISO (2024-10-23)."""

    name = "day"
    FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return _("DD-MM-YYYY")

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        for form in self.FORMATS:
            try:
                return datetime.strptime(str(value).strip(), form)
            except ValueError:
                continue
        self.fail(
            _(
                "'{value}' is not a day; write it as DD-MM-YYYY, for example 23-10-2024 "
                "(2024-10-23 works too)."
            ).format(value=value),
            param,
            ctx,
        )


def date_option(func: F) -> F:
    """``--date DD-MM-YYYY`` (or YYYY-MM-DD): the day to reckon from (default: today)."""
    return click.option(
        "--date",
        "today",
        type=DayType(),
        default=None,
        callback=_check_year,
        help="Reckon from this day (DD-MM-YYYY) instead of today.",
    )(func)


def output_file_options(
    out_help: str = "Write to this file instead of the screen.",
) -> Callable[[F], F]:
    """``--out FILE`` and ``--force`` (replace that file if it exists)."""

    def decorate(func: F) -> F:
        func = click.option("--force", is_flag=True, help="Replace the --out file if it exists.")(
            func
        )
        return click.option(
            "--out",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help=out_help,
        )(func)

    return decorate


def templates_option(func: F) -> F:
    """``--templates DIR``: a secretary's own copies of templates win over the shipped ones."""
    return click.option(
        "--templates",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="A folder with your own copy of a template; it wins over the shipped one.",
    )(func)


def reference_day(value: Any) -> date:
    return value.date() if value is not None else date.today()


def open_casebook(path: Path) -> Casebook:
    """Load the casebook for a command; errors reach the user through the group's handler."""
    # Imported here: the casebook model (pydantic, YAML) is not needed for --help.
    from toolkit.casebook import load_casebook

    # The command's libraries are imported by now, and the casebook stays until it ends.
    freeze_what_stays()
    casebook = load_casebook(path)
    freeze_what_stays()
    return casebook


def refuse_inside_casebook(out: Path | None, casebook: Path) -> None:
    """Refuse an output file or folder inside the casebook folder, before anything is written:
    a report saved as ``people/x.yaml`` would become a case file, an ``inzage`` with --force
    could replace the person's own file, and a document there is one more copy to erase."""
    if out is None:
        return
    try:
        inside = out.resolve().is_relative_to(casebook.resolve())
    except (OSError, RuntimeError):
        inside = False
    if inside:
        raise InvalidInputError(
            _(
                "{out} lies inside the casebook folder {casebook}; nothing was written. Write "
                "documents to a place outside the casebook (--out), so that no case file is "
                "replaced and no copy of personal data is left among the case files."
            ).format(out=out, casebook=casebook)
        )


def emit(
    document: Document, out: Path | None, force: bool, *, casebook: Path | None = None
) -> None:
    """Write ``document`` to ``out`` (never over an existing file without --force), or print it.

    Private documents (internal versions with personal data) are written readable by their
    owner only. ``out`` may not lie inside ``casebook``.
    """
    if casebook is not None:
        refuse_inside_casebook(out, casebook)
    if out is None:
        if document.binary:
            raise InvalidInputError(_("This format is binary: give a file with --out."))
        text = document.text
        click.echo(text, nl=not text.endswith("\n"))
        return
    write_atomic(out, document.data, overwrite=force, private=document.private)
    click.echo(_("Written: {path}").format(path=out), err=True)


class DutchNumber(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """A number typed the Dutch way (``50.000``, ``€ 50.000,00``, ``35,5``), as the forms and
    imports read it (:func:`toolkit.casebook.numbers.parse_number`); never negative."""

    name = "number"

    def __init__(self, kind: NumberKind = "number") -> None:
        self.kind: NumberKind = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float):
            return value
        # Imported here: the Dutch number parser (Babel, pydantic) is not needed for --help.
        from toolkit.casebook.numbers import parse_number

        try:
            number = float(parse_number(value, kind=self.kind))
        except InvalidInputError as exc:
            self.fail(str(exc), param, ctx)
        if number < 0:
            self.fail(_("'{value}' is negative; give 0 or more.").format(value=value), param, ctx)
        return number


def docx_template_option(func: F) -> F:
    """``--docx-template FILE``: a .docx made in Word whose house style the Word files use."""
    return click.option(
        "--docx-template",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        help="A .docx made in Word (its styles, header, logo): Word files are written in it.",
    )(func)


def format_for_out(parameter: str, out: Path | None, value: str, formats: Sequence[str]) -> str:
    """The format to write to ``out``: ``--format`` when given, else the one the extension of
    ``out`` names, else the option's default; a contradiction is refused
    (:func:`toolkit.cli.outputs.choose_format`)."""
    source = click.get_current_context().get_parameter_source(parameter)
    given = None if source in (None, ParameterSource.DEFAULT) else value
    return choose_format(out, given, formats, default=value)
