"""What a match request computes: options for one person or every candidate, or the proposal
round, and the report that shows them.

The command line and the web both call :func:`run_match` and only lay out the
:class:`~toolkit.reports.matches.MatchReport` it returns, so that they never decide differently
which options to compute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.exclusions import parse_pair
from toolkit.errors import ConflictError, InvalidInputError, Remedy
from toolkit.i18n import _
from toolkit.matching import Matcher, PersonOptions
from toolkit.matching.round import METHODS
from toolkit.reports.matches import MatchReport, match_report


@dataclass(frozen=True)
class MatchRequest:
    """What the coordinator asked for.

    ``person``: one person's options (any status) instead of every candidate's. ``round`` (or a
    ``method``, which implies it): the proposal round for all candidates. ``exclusions``: pairs
    kept out on top of the casebook's ``exclusions.yaml``. ``shortlists``: whether the report
    shows every candidate's options next to the round (the reports do; the terminal table shows
    the proposals only, and computing the options would cost time for nothing).
    """

    person: str | None = None
    top: int = 3
    round: bool = False
    method: str | None = None
    exclusions: Sequence[tuple[str, str]] = ()
    intern: bool = False
    shortlists: bool = True

    @property
    def runs_round(self) -> bool:
        return self.round or self.method is not None


def parse_exclusions(values: Iterable[str]) -> list[tuple[str, str]]:
    """``PERSON:OPPORTUNITY`` texts as pairs; :class:`InvalidInputError` for one that is not."""
    pairs = []
    for value in values:
        try:
            pairs.append(parse_pair(value))
        except ValueError as exc:
            raise InvalidInputError(str(exc), field="exclusions") from None
    return pairs


def run_match(casebook: Casebook, request: MatchRequest, today: date) -> MatchReport:
    """Compute what ``request`` asks and assemble its report (which every format lays out)."""
    if request.method is not None and request.method not in METHODS:
        raise InvalidInputError(
            _("Unknown method '{method}'; choose one of: {methods}.").format(
                method=request.method, methods=", ".join(METHODS)
            ),
            field="method",
        )
    if request.top < 1:
        raise InvalidInputError(
            _("The number of options per person must be at least 1."), field="top"
        )
    if not casebook.opportunities:
        raise ConflictError(
            _("The casebook has no opportunities (opportunities/): there is nothing to propose.")
        )
    matcher = Matcher(casebook, exclusions=request.exclusions)
    person_id, top = request.person, request.top
    if person_id is not None:
        casebook.person(person_id)  # unknown: a clear message with close ids
    elif not matcher.candidate_ids():
        raise ConflictError(
            _(
                "The casebook has no candidates (people with status kandidaat): there is "
                "nobody to match."
            ),
            remedy=Remedy.ONE_PERSON,
        )
    run = request.runs_round
    result = matcher.round("stable" if request.method == "stable" else "flow") if run else None
    options: dict[str, PersonOptions]
    if person_id is not None and (not run or not request.shortlists):
        options = {person_id: matcher.options(person_id, top)}
    elif run and not request.shortlists:
        options = {person: PersonOptions(person, ()) for person in matcher.candidate_ids()}
    else:
        options = matcher.all_options(top)
        if person_id is not None and person_id not in options:
            options[person_id] = matcher.options(person_id, top)
    return match_report(
        casebook,
        options,
        round_result=result,
        top=top,
        intern=request.intern,
        today=today,
        notes=matcher.notes(),
        only=person_id,
    )
