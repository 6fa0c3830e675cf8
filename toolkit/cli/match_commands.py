"""The matcher's command: options per candidate, or the coordinator's proposal round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import (
    casebook_argument,
    date_option,
    emit,
    format_for_out,
    lang_option,
    open_casebook,
    output_file_options,
    reference_day,
)
from toolkit.i18n import _

# The matcher and its report are imported when the command runs: scikit-learn and SciPy take
# over a second to import, which every other command would otherwise pay. These are the
# same as toolkit.matching.METHODS and toolkit.reports.matches.FORMATS (a test checks).
METHODS = ("flow", "stable")
FORMATS = ("table", "csv", "json", "md", "html")


@click.command(cls=TranslatedCommand)
@casebook_argument
@click.option("--person", "person_id", metavar="ID", help="Only this person (an id from people/).")
@click.option(
    "--top",
    type=click.IntRange(1, 50),
    default=3,
    show_default=True,
    help="How many options to show per person.",
)
@click.option(
    "--round",
    "proposal_round",
    is_flag=True,
    help="The proposal round: all candidates at once, within open slots and sponsor budgets.",
)
@click.option(
    "--method",
    type=click.Choice(METHODS),
    default=None,
    help="Round method: flow (default: as many placed as possible, then the best fit) or "
    "stable (people propose, places rank by talents). Implies --round.",
)
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="PERSON:OPPORTUNITY",
    help="Keep a declined or banned pair out (repeatable); the casebook's exclusions.yaml "
    "always applies.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table (screen), md or html (a report to share), csv or json (data exports for "
    "internal use).",
)
@output_file_options()
@click.option(
    "--intern",
    is_flag=True,
    help="Show names and ids, needs, values and warnings about a person's situation "
    "(internal use only).",
)
@date_option
@lang_option
def match(
    casebook: Path,
    person_id: str | None,
    top: int,
    proposal_round: bool,
    method: str | None,
    excludes: tuple[str, ...],
    fmt: str,
    out: Path | None,
    force: bool,
    intern: bool,
    today: Any,
) -> None:
    """Propose volunteer places and sponsors for candidates, with the reasons.

    For each candidate (status kandidaat) the best options: a place, its sponsor or the
    cooperative, the fit (0-100) with its parts, the reasons and the warnings. With --round
    the proposal round for everyone at once. The toolkit proposes; the person chooses.
    People appear by pseudonym unless --intern is given.
    """
    from toolkit.reports.documents import match_document
    from toolkit.reports.matchrun import MatchRequest, parse_exclusions, run_match

    fmt = format_for_out("fmt", out, fmt, FORMATS)
    book = open_casebook(casebook)
    day = reference_day(today)
    request = MatchRequest(
        person=person_id,
        top=top,
        round=proposal_round,
        method=method,
        exclusions=parse_exclusions(excludes),
        intern=intern,
        shortlists=fmt != "table",
    )
    report = run_match(book, request, day)
    emit(match_document(book, report, fmt, day), out, force, casebook=casebook)
    if fmt == "table" and out is None and len(report.people) != 1:
        click.echo(_("Reasons per option: --person ID, or --format md/html."))
