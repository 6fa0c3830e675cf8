"""Commands on the casebook itself: check it, list its records, start a new record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from tabulate import tabulate

from toolkit.casebook import Casebook
from toolkit.casebook.alerts import casebook_alerts, casebook_notices
from toolkit.casebook.kinds import folder_of, kind_named, kind_words
from toolkit.casebook.summary import summarise
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import (
    casebook_argument,
    date_option,
    lang_option,
    open_casebook,
    reference_day,
)
from toolkit.formatting import short_date
from toolkit.i18n import _
from toolkit.reports.lists import LIST_KINDS, record_table


class KindType(click.ParamType[str, Any]):
    """A kind of record in Dutch or English, singular or plural: ``personen``, ``people``,
    ``plek``; given to the command as its folder (``plural``) or its record kind."""

    name = "kind"

    def __init__(self, *, plural: bool) -> None:
        self.plural = plural

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        kind = kind_named(str(value))
        if kind is None:
            self.fail(
                _("'{value}' is not a kind of record; choose one of: {kinds}.").format(
                    value=value, kinds=", ".join(kind_words(plural=self.plural))
                ),
                param,
                ctx,
            )
        return folder_of(kind) if self.plural else kind


@click.command(cls=TranslatedCommand)
@casebook_argument
@date_option
@lang_option
def check(casebook: Path, today: Any) -> None:
    """Check a casebook and show its figures and the coordinator's alerts.

    Exits with 0 when the casebook is valid and 1 when it is not; every problem is listed
    with its file, line and field.
    """
    book = open_casebook(casebook)
    day = reference_day(today)
    click.echo(_("The casebook {name} is valid.").format(name=book.settings.name))
    click.echo(render_summary(book))
    for notice in casebook_notices(book):
        click.echo("\n" + click.wrap_text(notice, width=100))
    alerts = casebook_alerts(book, day)
    click.echo("")
    if alerts:
        click.echo(_("Alerts for the coordinator on {day}:").format(day=short_date(day)))
        rows = [(alert.person_id, alert.message) for alert in alerts]
        click.echo(tabulate(rows, headers=[_("person"), _("alert")], tablefmt="simple"))
    else:
        click.echo(_("No alerts on {day}.").format(day=short_date(day)))


@click.command(name="cache-wissen", cls=TranslatedCommand)
@casebook_argument
@lang_option
def cache_wissen(casebook: Path) -> None:
    """Remove the cache of parsed case files; the next command reads every file again.

    The cache (.burgerbaan/cache/ in the casebook) holds the parsed case files, keyed by their
    content, so that an unchanged casebook loads fast. It is never needed: removing it only
    makes the next command slower.
    """
    from toolkit.casebook.cache import clear_cache

    if clear_cache(casebook):
        click.echo(_("The cache of {casebook} is removed.").format(casebook=casebook))
    else:
        click.echo(_("The casebook {casebook} has no cache.").format(casebook=casebook))


def render_summary(book: Casebook) -> str:
    summary = summarise(book)
    labels = {
        "people": _("people"),
        "opportunities": _("opportunities"),
        "organisations": _("organisations"),
        "sponsors": _("sponsors"),
        "sessions": _("sessions"),
    }
    rows: list[tuple[str, Any]] = [(labels[k], n) for k, n in summary.records.items()]
    rows += [
        (_("candidates"), summary.candidates),
        (_("active burgerbaners"), summary.active),
        (_("open slots"), summary.open_slots),
        (_("sponsor budget left (burgerbaan-years)"), f"{summary.sponsor_years_left:g}"),
    ]
    return tabulate(rows, tablefmt="plain")


@click.command(name="list", cls=TranslatedCommand)
@click.argument("kind", type=KindType(plural=True), metavar="KIND")
@casebook_argument
@click.option(
    "--intern",
    is_flag=True,
    help="Show people's names and situations (internal use only).",
)
@date_option
@lang_option
def list_records(kind: str, casebook: Path, intern: bool, today: Any) -> None:
    """List the records of one kind as a table.

    KIND is people, opportunities, organisations, sponsors or sessions (in Dutch: personen,
    plekken, organisaties, sponsors or bijeenkomsten).

    People are shown by their public view (pseudonym, age band) unless --intern is given.
    """
    book = open_casebook(casebook)
    headers, rows = record_table(book, kind, intern=intern, today=reference_day(today))
    if not rows:
        words = dict(zip(LIST_KINDS, kind_words(plural=True), strict=True))
        click.echo(_("No {kind} in this casebook.").format(kind=words[kind]))
        return
    click.echo(tabulate(rows, headers=headers, tablefmt="simple"))


@click.command(cls=TranslatedCommand)
@click.argument("kind", type=KindType(plural=False), metavar="KIND")
@click.argument("record_id", metavar="ID")
@casebook_argument
@lang_option
def new(kind: str, record_id: str, casebook: Path) -> None:
    """Start a new record from a commented starter file.

    KIND is person, opportunity, organisation, sponsor or session (in Dutch: persoon, plek,
    organisatie, sponsor or bijeenkomst).

    The comments (in Dutch) explain every field. An existing file is never overwritten.
    """
    # Imported here: the starter templates (Jinja2) are not needed by check and list.
    from toolkit.casebook.starter import write_starter

    path = write_starter(casebook, kind, record_id)
    click.echo(
        _("Written: {path}. Fill in the fields, then run 'burgerbaan check'.").format(path=path)
    )
