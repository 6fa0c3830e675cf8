"""What the matcher found, in the form the overview and the social map take it.

The overview and the social map do not run the matcher themselves: their caller passes them a
:class:`MatchResults` (from :func:`compute_match_results`, or ``None``, and they say "not
computed"). This lets a test give fixed results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from toolkit.casebook.casebook import Casebook


@dataclass(frozen=True)
class MatchResults:
    """Feasible options per candidate, and the proposals made.

    ``options``: person id → how many opportunities that candidate could feasibly take (after the
    hard constraints: needs, sectors avoided, distance, open slots). A candidate missing from the
    mapping counts as not assessed, never as having none.
    ``proposals``: (person id, opportunity id) pairs the matcher proposes.
    """

    options: Mapping[str, int]
    proposals: Sequence[tuple[str, str]] = field(default_factory=tuple)

    def options_of(self, person_id: str) -> int | None:
        return self.options.get(person_id)


def compute_match_results(casebook: Casebook) -> MatchResults:
    """The matcher's feasible options per candidate and its proposal round, for the overview
    and the social map."""
    if not casebook.candidates() or not casebook.opportunities:
        return MatchResults(options={p.id: 0 for p in casebook.candidates()}, proposals=())
    # Imported here: the matcher pulls in scikit-learn and SciPy, which the overview's and the
    # map's own modules (importing this one for MatchResults) do not need.
    from toolkit.matching import Matcher

    matcher = Matcher(casebook)
    proposals = matcher.round().proposals
    return MatchResults(
        options=matcher.feasible_counts(),
        proposals=tuple((o.person_id, o.opportunity_id) for o in proposals),
    )
