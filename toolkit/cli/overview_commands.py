"""Commands for the pilot overview: the sponsor plan, the overview report and the social map."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.casebook.alerts import RENEWAL_WINDOW_DAYS
from toolkit.casebook.money import MAX_PLAN_YEARS
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import (
    DutchNumber,
    casebook_argument,
    date_option,
    emit,
    format_for_out,
    lang_option,
    open_casebook,
    output_file_options,
    reference_day,
)
from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.reports.documents import (
    MapRequest,
    OverviewRequest,
    SponsorPlanRequest,
    map_document,
    overview_document,
    plan_document,
    requested_plan,
)
from toolkit.reports.kaart import FORMATS as MAP_FORMATS
from toolkit.reports.overview import FORMATS

DEFAULT_CASEBOOK = Path("cases")


@click.command(cls=TranslatedCommand)
@click.argument("args", nargs=-1, metavar="[SPONSOR] [CASEBOOK]")
@click.option(
    "--obligation",
    type=DutchNumber("amount"),
    default=None,
    metavar="EUR",
    help="The SROI obligation in euros (50.000 or 50000), instead of a sponsor's.",
)
@click.option(
    "--years",
    type=click.IntRange(min=1, max=MAX_PLAN_YEARS),
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
    if obligation is None:
        if not 1 <= len(args) <= 2:
            raise InvalidInputError(_("Give a sponsor id, or the amount with --obligation EUR."))
        sponsor_id, casebook = args[0], Path(args[1]) if len(args) == 2 else DEFAULT_CASEBOOK
    else:
        if len(args) > 1:
            raise InvalidInputError(_("Give either a sponsor id or --obligation, not both."))
        sponsor_id, casebook = None, Path(args[0]) if args else DEFAULT_CASEBOOK
    request = SponsorPlanRequest(
        sponsor=sponsor_id, obligation=obligation, years=years, day=reference_day(today)
    )
    result = requested_plan(open_casebook(casebook), request)
    emit(plan_document(result), None, False)
    if result.past_deadline:
        click.echo(_("Choose fewer years with --years."))


@click.command(cls=TranslatedCommand)
@casebook_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="md (Markdown) or html (one page with charts).",
)
@click.option(
    "--window",
    type=click.IntRange(min=0, max=3660),
    default=RENEWAL_WINDOW_DAYS,
    show_default=True,
    help="Show agreements ending within this many days (at most ten years).",
)
@output_file_options()
@date_option
@lang_option
def overzicht(
    casebook: Path, fmt: str, window: int, out: Path | None, force: bool, today: Any
) -> None:
    """The pilot overview: progress to the goal, candidates, hours, sponsors and agreements.

    People appear only by pseudonym; the privacy guard checks the overview before anything is
    written. The HTML version is one self-contained page with charts.
    """
    fmt = format_for_out("fmt", out, fmt, FORMATS)
    request = OverviewRequest(format=fmt, window=window, day=reference_day(today))
    emit(overview_document(open_casebook(casebook), request), out, force, casebook=casebook)


@click.command(cls=TranslatedCommand)
@casebook_argument
@click.option(
    "--format",
    "fmt",
    type=click.Choice(MAP_FORMATS),
    default="text",
    show_default=True,
    help="text (the analysis), png, svg or html (a drawing by district), graphml or gexf "
    "(for Gephi).",
)
@output_file_options()
@date_option
@lang_option
def kaart(casebook: Path, fmt: str, out: Path | None, force: bool, today: Any) -> None:
    """The social map: organisations, places, sponsors, people and sessions, and their ties.

    Prints the analysis: organisations with open places, sponsors with budget left, candidates
    without a feasible option, and who bridges the network. People appear only by pseudonym,
    in the drawing and in the exports alike.
    """
    fmt = format_for_out("fmt", out, fmt, MAP_FORMATS)
    request = MapRequest(format=fmt, day=reference_day(today))
    emit(map_document(open_casebook(casebook), request), out, force, casebook=casebook)
