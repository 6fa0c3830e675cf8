"""The matcher's command: options per candidate, or the coordinator's proposal round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.casebook.exclusions import parse_pair
from toolkit.cli.base import TranslatedCommand
from toolkit.cli.options import (
    casebook_argument,
    date_option,
    emit,
    lang_option,
    open_casebook,
    output_file_options,
    reference_day,
)
from toolkit.errors import UsageError
from toolkit.i18n import _

# The matcher and its report are imported when the command runs: scikit-learn and SciPy take
# over a second to import, which every other command would otherwise pay. These are the
# same as toolkit.matching.METHODS and toolkit.reports.matches.FORMATS (a test checks).
METHODS = ("flow", "stable")
FORMATS = ("table", "csv", "json", "md", "html")


def _pairs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        try:
            pairs.append(parse_pair(value))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return pairs


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
    from toolkit.matching import Matcher, PersonOptions
    from toolkit.reports.matches import match_report, render_matches

    book = open_casebook(casebook)
    day = reference_day(today)
    if not book.opportunities:
        raise UsageError(
            _("The casebook has no opportunities (opportunities/): there is nothing to propose.")
        )
    matcher = Matcher(book, exclusions=_pairs(excludes))
    if person_id is not None:
        book.person(person_id)  # unknown: a clear message with close ids
    elif not matcher.candidate_ids():
        raise UsageError(
            _(
                "The casebook has no candidates (people with status kandidaat): there is "
                "nobody to match. Use --person ID for someone else."
            )
        )
    run = proposal_round or method is not None
    result = matcher.round("stable" if method == "stable" else "flow") if run else None
    if person_id is not None and (not run or fmt == "table"):
        options = {person_id: matcher.options(person_id, top)}
    elif run and fmt == "table":
        # The screen shows the proposals only; the options are for the reports' shortlists.
        options = {person: PersonOptions(person, ()) for person in matcher.candidate_ids()}
    else:
        options = matcher.all_options(top)
        if person_id is not None and person_id not in options:
            options[person_id] = matcher.options(person_id, top)
    report = match_report(
        book,
        options,
        round_result=result,
        top=top,
        intern=intern,
        today=day,
        notes=matcher.notes(),
        only=person_id,
    )
    emit(render_matches(book, report, fmt), out, force, private=intern, casebook=casebook)


COMMANDS = [match]
