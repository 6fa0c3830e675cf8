"""The coordinator's proposal round: every candidate at once, within slots and budgets.

Two stages, because guidance and financing are decoupled:

1. **Places.** With ``method="flow"`` (the default) as many candidates as possible get a
   place, and among all ways to place that many, the total place fit is the highest
   (:func:`~toolkit.matching.assignment.max_fit_assignment`: a min-cost assignment that is
   exactly a min-cost maximum flow, checked against networkx in the tests). The place fit
   is talents and wishes only, so a sponsor never decides who gets a place. With
   ``method="stable"`` the person-proposing deferred acceptance gives the person-optimal
   stable matching: people rank places by their fit, each place ranks people by talent fit
   (ties: the higher place fit, then the id), and no person and place would both rather
   have each other.
2. **Sponsors.** The placed people are linked to sponsors within their budgets (one
   burgerbaan-year each), maximising the total values fit
   (:func:`~toolkit.matching.assignment.budgeted_assignment`); a sponsor whose sector a
   person avoids is never an edge. People who name no values may go to any sponsor they do
   not avoid, with a low priority, so budget that fits someone's values goes to them first.
   Whoever is left is funded by the cooperative.

**What is proven, at every size.** The flow method is an exact min-cost maximum flow over
every edge it is given; nothing is pruned by rank. Above
:data:`~toolkit.matching.flow.DIRECT_EDGES` edges the solver gets each person's and each
place's best edges and the answer is proven optimal on all of them by a dual certificate,
adding edges until it holds (:mod:`toolkit.matching.flow`). Up to
:data:`EXACT_LIMIT` candidates every feasible pair is an edge, so the number placed is the
true maximum and the total fit the highest possible. Above it, the edges are every feasible
pair *within reach* (twice the person's maximum travel distance, or
:data:`DEFAULT_REACH_KM`): the result is the maximum and the best total among those places,
and :attr:`RoundResult.notes` and the reasons of the people left out say so. The sponsor
stage links over every acceptable (placed person, sponsor) pair, at every size (the solver
sees them reduced exactly: :func:`~toolkit.matching.assignment.budgeted_assignment`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from toolkit.i18n import _, current_language, ngettext, use_language
from toolkit.matching.assignment import budgeted_assignment, max_fit_assignment, stable_assignment
from toolkit.matching.explain import explain_options, no_option, sponsor_choices
from toolkit.matching.features import Features
from toolkit.matching.options import NoOption, Option
from toolkit.matching.ranking import feasible_pairs
from toolkit.matching.scores import SponsorScores, score_pairs, sponsor_scores

__all__ = [
    "DEFAULT_REACH_KM",
    "EXACT_LIMIT",
    "METHODS",
    "RoundResult",
    "Unplaced",
    "reach_km",
    "run_round",
]

IntArray = NDArray[np.int64]
Int32Array = NDArray[np.int32]
FloatArray = NDArray[np.float64]
Method = Literal["flow", "stable"]
METHODS: tuple[str, ...] = ("flow", "stable")

#: Up to this many candidates every feasible pair is an edge of the round; above it, every
#: feasible pair within reach.
EXACT_LIMIT = 3000
#: The reach above :data:`EXACT_LIMIT`, for someone who gives no maximum travel distance (km).
DEFAULT_REACH_KM = 30.0
#: Scores are compared on this grid (nine decimals), as the solvers do.
_GRID_DECIMALS = 9
#: In the sponsor stage, the weight of a link for someone who names no values: low, so a
#: sponsor's budget goes first to people who share its values.
NO_VALUES_PRIORITY = 0.01


@dataclass(frozen=True)
class Unplaced:
    """A candidate the round could not place, and why."""

    person_id: str
    reasons: tuple[str, ...]
    # The same without special-category detail, for public outputs.
    public_reasons: tuple[str, ...]
    places_that_fit: int  # feasible places the round considered for them
    no_option: NoOption | None = None


@dataclass(frozen=True)
class RoundResult:
    """The proposals of one round: one option per placed candidate, a reason per other."""

    method: str
    proposals: tuple[Option, ...]  # by person id
    unplaced: tuple[Unplaced, ...]  # by person id
    n_candidates: int
    open_slots: int
    pairs_considered: int
    pruned: bool
    """Whether only places within reach were considered (above :data:`EXACT_LIMIT`)."""
    notes: tuple[str, ...] = ()
    # Per sponsor id: (burgerbaan-years this round proposes, years it had left).
    sponsor_use: dict[str, tuple[int, float]] = field(default_factory=dict)

    @property
    def n_placed(self) -> int:
        return len(self.proposals)

    def proposal_for(self, person_id: str) -> Option | None:
        for option in self.proposals:
            if option.person_id == person_id:
                return option
        return None


def reach_km(f: Features, rows: IntArray) -> FloatArray:
    """How far from home the pruned searches look, per person: twice the maximum travel."""
    travel = f.max_travel_km[rows]
    return np.where(np.isnan(travel), DEFAULT_REACH_KM, 2.0 * travel)


def pruning_notes(within_reach: bool) -> tuple[str, ...]:
    """What the output must say about the limits this round applied (nothing when none)."""
    if not within_reach:
        return ()
    return (
        _(
            "Many candidates: per person only places within twice their maximum travel "
            "distance (or {km} km) were considered. Among those places the round is "
            "exact: no other choice places more people or gives a higher total fit."
        ).format(km=int(DEFAULT_REACH_KM)),
    )


def candidate_edges(
    f: Features, rows: IntArray, excluded: csr_matrix | None, within_reach: bool
) -> tuple[Int32Array, Int32Array, FloatArray]:
    """The round's edges: (position in ``rows``, opportunity, place fit on the grid).

    Every feasible pair, or with ``within_reach`` every feasible pair within reach.
    """
    return feasible_pairs(
        f, rows, excluded=excluded, reach_km=reach_km(f, rows) if within_reach else None
    )


def _stable_targets(
    f: Features, rows: IntArray, people: Int32Array, targets: Int32Array, fits: FloatArray
) -> IntArray:
    """Person-proposing deferred acceptance over the edges; one target per person or -1."""
    talents = np.nan_to_num(
        score_pairs(f, rows[people], targets.astype(np.int64), detail=False).talents, nan=0.0
    )
    # On the grid before ranking, so that the same talents listed in another order (1.0 or
    # 0.9999999999999999) tie, and the tie goes by the rule below.
    talents = np.round(talents, _GRID_DECIMALS)
    # People rank places by their fit (ties: lower opportunity index).
    order = np.lexsort((targets, -fits, people))
    person_prefs: list[list[int]] = [[] for _ in range(rows.size)]
    for person, target in zip(people[order].tolist(), targets[order].tolist(), strict=True):
        person_prefs[person].append(target)
    # Places rank people by talent fit (ties: the higher place fit, then the lower id).
    order = np.lexsort((people, -fits, -talents, targets))
    target_prefs: list[list[int]] = [[] for _ in range(f.n_opportunities)]
    for target, person in zip(targets[order].tolist(), people[order].tolist(), strict=True):
        target_prefs[target].append(person)
    return stable_assignment(person_prefs, target_prefs, f.open_slots)


def run_round(
    f: Features,
    rows: IntArray,
    method: Method = "flow",
    *,
    excluded: csr_matrix | None = None,
    exact_limit: int = EXACT_LIMIT,
) -> RoundResult:
    """The proposal round for the people ``rows`` (indices into ``f.person_ids``)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    rows = np.asarray(sorted(set(np.asarray(rows, dtype=np.int64).tolist())), dtype=np.int64)
    prune = rows.size > exact_limit
    people, targets, fits = candidate_edges(f, rows, excluded, prune)

    if method == "flow":
        target = max_fit_assignment(rows.size, f.open_slots, people, targets, fits).target
    else:
        target = _stable_targets(f, rows, people, targets, fits)
    placed = np.flatnonzero(target >= 0)
    # The edges are no longer needed, only how many places fit each person: at country scale
    # they are most of the memory the sponsor stage and the explanations would share.
    fitting = np.bincount(people, minlength=rows.size)
    n_edges = int(people.size)
    del people, targets, fits

    # Sponsors for the placed people.
    scores = sponsor_scores(f, rows[placed])
    budget = f.sponsor_budget
    usable = scores.acceptable & (budget > 0)[None, :]
    # People without values: a low weight, a little higher for sponsors with more years left
    # (as their options show), so ties do not fall to the solver.
    years = f.sponsor_years_left
    spread = NO_VALUES_PRIORITY * 0.1 * years / (years.max() + 1.0) if years.size else years
    weight = np.where(np.isnan(scores.fit), NO_VALUES_PRIORITY + spread[None, :], scores.fit)
    # Every acceptable link is an edge at every size: the solve is proven optimal on all of
    # them (toolkit.matching.flow), so no sponsor is left out to save time or memory.
    sponsor_people, sponsor_cols = np.nonzero(usable)
    linked = budgeted_assignment(
        placed.size,
        budget,
        sponsor_people.astype(np.int64),
        sponsor_cols.astype(np.int64),
        np.maximum(weight[sponsor_people, sponsor_cols], 1e-6),
    ).target

    # Explanations for the proposals, scored as aligned pairs in one go. The language is
    # fixed for the context first: otherwise every sentence of thousands looks it up in the
    # environment again (a tenth of the round at 10k).
    with use_language(current_language()):
        proposals, unplaced = _explain(
            f, rows, placed, target, linked, scores, usable, fitting, method, prune, excluded
        )

    use: dict[str, tuple[int, float]] = {}
    taken = np.bincount(linked[linked >= 0], minlength=f.n_sponsors)
    for index, sponsor_id in enumerate(f.sponsor_ids):
        use[sponsor_id] = (int(taken[index]), float(f.sponsor_years_left[index]))
    return RoundResult(
        method=method,
        proposals=tuple(proposals),
        unplaced=tuple(unplaced),
        n_candidates=int(rows.size),
        open_slots=int(f.open_slots.sum()),
        pairs_considered=n_edges,
        pruned=prune,
        notes=pruning_notes(prune),
        sponsor_use=use,
    )


def _explain(
    f: Features,
    rows: IntArray,
    placed: IntArray,
    target: IntArray,
    linked: IntArray,
    scores: SponsorScores,
    usable: NDArray[np.bool_],
    fitting: IntArray,
    method: str,
    prune: bool,
    excluded: csr_matrix | None,
) -> tuple[list[Option], list[Unplaced]]:
    """An option for every placed person, a reason for everyone else (in person order)."""
    budget = f.sponsor_budget
    pairs = score_pairs(f, rows[placed], target[placed], excluded=excluded)
    # Left to the cooperative although a sponsor could have funded them: its budget went
    # to others.
    taken = (linked < 0) & np.asarray(usable.any(axis=1))
    choices = sponsor_choices(f, scores, np.arange(placed.size), linked, budget, taken=taken)
    proposals = explain_options(f, pairs, choices)

    # A reason for everyone else.
    unplaced = []
    for position in np.flatnonzero(target < 0).tolist():
        unplaced.append(
            _unplaced(f, int(rows[position]), int(fitting[position]), method, prune, excluded)
        )
    return proposals, unplaced


def _unplaced(
    f: Features, person: int, fitting: int, method: str, prune: bool, excluded: csr_matrix | None
) -> Unplaced:
    person_id = f.person_ids[person]
    if fitting == 0:
        reason = no_option(f, person, excluded)
        reasons = list(reason.sentences)
        public = list(reason.public_sentences)
        if prune and not reason.counts:
            beyond = _("Every place that fits lies beyond their reach in this round.")
            reasons.append(beyond)
            public.append(beyond)
        return Unplaced(person_id, tuple(reasons), tuple(public), 0, reason)
    if method == "flow" and prune:
        sentence = ngettext(
            "The {count} place within their reach that fits them is taken in this round by "
            "someone who fits it; among the places within reach, no exchange would place "
            "more people or fit better.",
            "The {count} places within their reach that fit them are taken in this round by "
            "others who fit them; among the places within reach, no exchange would place "
            "more people or fit better.",
            fitting,
        ).format(count=fitting)
    elif method == "flow":
        sentence = ngettext(
            "The {count} place that fits them is taken in this round by someone who fits it; "
            "no exchange would place more people or fit better.",
            "The {count} places that fit them are taken in this round by others who fit them; "
            "no exchange would place more people or fit better.",
            fitting,
        ).format(count=fitting)
    else:
        sentence = ngettext(
            "The {count} place that fits them chose someone it ranks higher on talents.",
            "The {count} places that fit them all chose people they rank higher on talents.",
            fitting,
        ).format(count=fitting)
    return Unplaced(person_id, (sentence,), (sentence,), fitting)
