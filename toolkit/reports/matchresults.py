"""What the matcher found, in the form the overview and the social map take it.

The overview and the social map do not run the matcher themselves: the command passes them a
:class:`MatchResults` (or ``None``, and they say "not computed"). This keeps them honest while
the matcher is being built, and lets a test give fixed results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


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
