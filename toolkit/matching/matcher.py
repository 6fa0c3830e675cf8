"""A thin object over the matcher's pure functions, for commands and other reports.

::

    matcher = Matcher(casebook, exclusions=[("jan-de-vries", "voedselbank-keukenhulp")])
    matcher.options("jan-de-vries", top=3)      # PersonOptions
    matcher.all_options(top=3)                  # {person id: PersonOptions}, candidates only
    matcher.round(method="flow")                # RoundResult

The arrays are built once per casebook (:func:`~toolkit.matching.features.features_of`) and
the casebook's own ``exclusions.yaml`` always applies; ``exclusions`` adds pairs to it. The
same casebook and exclusions always give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.sparse import csr_matrix

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.exclusions import read_exclusions
from toolkit.casebook.messages import unknown_id_message
from toolkit.errors import InvalidInputError, NotFoundError
from toolkit.i18n import _
from toolkit.matching.explain import explain_options, no_option, sponsor_choices
from toolkit.matching.features import Features, features_of
from toolkit.matching.options import Option, PersonOptions
from toolkit.matching.ranking import rank_block, top_pairs
from toolkit.matching.round import (
    EXACT_LIMIT,
    Method,
    RoundResult,
    reach_km,
    run_round,
)
from toolkit.matching.scores import (
    best_sponsors,
    score_block,
    score_pairs,
    sponsor_scores,
    total_fit,
)

__all__ = ["Matcher"]


class Matcher:
    """Options per person and the proposal round for one casebook."""

    def __init__(
        self,
        casebook: Casebook,
        exclusions: Iterable[tuple[str, str]] = (),
        *,
        exact_limit: int = EXACT_LIMIT,
    ) -> None:
        self.casebook = casebook
        self.features: Features = features_of(casebook)
        self.exact_limit = exact_limit
        pairs = [
            (e.person, e.opportunity)
            for e in read_exclusions(casebook.root, casebook.people, casebook.opportunities)
        ]
        for person_id, opportunity_id in exclusions:
            if person_id not in casebook.people:
                raise NotFoundError(unknown_id_message("people", person_id, casebook.people))
            if opportunity_id not in casebook.opportunities:
                raise NotFoundError(
                    unknown_id_message("opportunities", opportunity_id, casebook.opportunities)
                )
            pairs.append((person_id, opportunity_id))
        self.exclusions: tuple[tuple[str, str], ...] = tuple(sorted(set(pairs)))
        f = self.features
        rows = [f.person_index[p] for p, _o in self.exclusions]
        cols = [f.opportunity_index[o] for _p, o in self.exclusions]
        self.excluded = csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(f.n_people, f.n_opportunities)
        )

    # --- who -------------------------------------------------------------------------

    def candidate_ids(self) -> list[str]:
        """The people with status kandidaat, by id."""
        return sorted(p.id for p in self.casebook.candidates())

    @property
    def pruned(self) -> bool:
        """Whether there are so many candidates that searches are pruned (see :meth:`notes`)."""
        return len(self.candidate_ids()) > self.exact_limit

    def notes(self) -> tuple[str, ...]:
        """What the output must say about pruning (nothing when every pair is scored)."""
        if not self.pruned:
            return ()
        return (
            _(
                "Many candidates: per person only places within twice their maximum travel "
                "distance were searched for the best options."
            ),
        )

    # --- options ---------------------------------------------------------------------

    def options(self, person_id: str, top: int = 3) -> PersonOptions:
        """The ``top`` best options of one person (any status), or why there are none."""
        self.casebook.person(person_id)  # a clear message, with close ids, if unknown
        return self._options([self.features.person_index[person_id]], top, prune=False)[person_id]

    def all_options(self, top: int = 3) -> dict[str, PersonOptions]:
        """The ``top`` best options of every candidate, by person id."""
        f = self.features
        rows = [f.person_index[pid] for pid in self.candidate_ids()]
        return self._options(rows, top, prune=self.pruned)

    def _options(self, rows: list[int], top: int, prune: bool) -> dict[str, PersonOptions]:
        f = self.features
        if top < 1:
            raise InvalidInputError(
                _("The number of options per person must be at least 1."), field="top"
            )
        r = np.asarray(rows, dtype=np.int64)
        scores = sponsor_scores(f, r)
        choice, values = best_sponsors(f, scores)
        found, _totals = top_pairs(
            f,
            r,
            top,
            person_values=values,
            excluded=self.excluded,
            reach_km=reach_km(f, r) if prune else None,
        )
        kept = found >= 0
        positions = np.repeat(np.arange(r.size), top).reshape(found.shape)[kept]
        pairs = score_pairs(f, r[positions], found[kept], excluded=self.excluded)
        explained = explain_options(
            f, pairs, sponsor_choices(f, scores, positions, choice[positions])
        )
        by_position: dict[int, list[Option]] = {}
        for position, option in zip(positions.tolist(), explained, strict=True):
            by_position.setdefault(position, []).append(option)
        result: dict[str, PersonOptions] = {}
        for position, person in enumerate(r.tolist()):
            person_id = f.person_ids[person]
            options = tuple(by_position.get(position, ()))
            if options:
                result[person_id] = PersonOptions(person_id, options)
            else:
                result[person_id] = PersonOptions(
                    person_id, (), no_option(f, person, self.excluded)
                )
        return result

    def feasible_counts(self, block_size: int = 1024) -> dict[str, int]:
        """Per candidate, how many opportunities pass every hard limit (needs, hours and days,
        an open slot, not declined): the figure the overview and the social map show."""
        f = self.features
        ids = self.candidate_ids()
        cols = np.arange(f.n_opportunities, dtype=np.int64)
        counts: dict[str, int] = {}
        for start in range(0, len(ids), block_size):
            chunk = ids[start : start + block_size]
            rows = np.asarray([f.person_index[pid] for pid in chunk], dtype=np.int64)
            rank = rank_block(f, rows, cols, excluded=self.excluded)
            counts.update(zip(chunk, np.isfinite(rank).sum(axis=1).tolist(), strict=True))
        return counts

    # --- the round -------------------------------------------------------------------

    def round(self, method: Method = "flow") -> RoundResult:
        """The proposal round for all candidates (see :mod:`toolkit.matching.round`)."""
        f = self.features
        rows = np.asarray([f.person_index[pid] for pid in self.candidate_ids()], dtype=np.int64)
        return run_round(
            f,
            rows,
            method,
            excluded=self.excluded,
            exact_limit=self.exact_limit,
        )

    # --- checks for tests and reports ------------------------------------------------

    def total(self, person_id: str, opportunity_id: str, sponsor_id: str | None) -> float:
        """The total fit of one pair with a given sponsor (or the cooperative), 0–100."""
        f = self.features
        p = f.person_index[person_id]
        block = score_block(f, [p], [f.opportunity_index[opportunity_id]])
        if sponsor_id is None:
            values = np.array([[np.nan]])
        else:
            values = sponsor_scores(f, [p]).fit[:, [f.sponsor_index[sponsor_id]]]
        return float(total_fit(f, block.talents, block.wishes, values)[0, 0])
