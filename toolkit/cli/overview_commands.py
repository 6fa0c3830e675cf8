"""Commands for the pilot overview: the sponsor plan, the overview report and the social map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.casebook.money import plan, plan_for_sponsor
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import date_option, lang_option, open_casebook, reference_day
from toolkit.errors import UsageError
from toolkit.i18n import _
from toolkit.reports.sponsorplan import plan_text

DEFAULT_CASEBOOK = Path("cases")


@click.command(cls=TranslatedCommand)
@click.argument("args", nargs=-1, metavar="[SPONSOR] [CASEBOOK]")
@click.option(
    "--obligation",
    type=click.FloatRange(min=0),
    default=None,
    metavar="EUR",
    help="The SROI obligation in euros, instead of a sponsor's.",
)
@click.option(
    "--years",
    type=click.IntRange(min=1),
    default=None,
    help="How many years each burgerbaan runs (default: the whole years to the sponsor's "
    "deadline, else 1).",
)
@date_option
@lang_option
def sponsorplan(
    args: tuple[str, ...], obligation: float | None, years: int | None, today: Any
) -> None:
    """How many burgerbanen, for how many years, meet an SROI obligation, and the cost.

    Give a SPONSOR id (its obligation minus what is already credited) or --obligation EUR.
    The credit per burgerbaan-year comes from the casebook or the shipped rule data; the
    plan shows it with its source. The number of burgerbanen is rounded up.
    """
    day = reference_day(today)
    if obligation is None:
        if not 1 <= len(args) <= 2:
            raise UsageError(_("Give a sponsor id, or the amount with --obligation EUR."))
        sponsor_id, casebook = args[0], Path(args[1]) if len(args) == 2 else DEFAULT_CASEBOOK
        result = plan_for_sponsor(open_casebook(casebook), sponsor_id, years, day)
    else:
        if len(args) > 1:
            raise UsageError(_("Give either a sponsor id or --obligation, not both."))
        casebook = Path(args[0]) if args else DEFAULT_CASEBOOK
        book = open_casebook(casebook)
        result = plan(obligation, years or 1, book.rules, start=day)
    click.echo(plan_text(result))


COMMANDS = [sponsorplan]
