"""Why an option fits, and why a person has none: plain sentences in the active language.

Every sentence is built from the same arrays the ranking used (a detailed
:class:`~toolkit.matching.scores.BlockScores` of the pair) and from the records' tags, so an
explanation can never disagree with the score it explains.

Each reason and warning carries a stable code. Reports for the public leave out the codes in
:data:`PERSONAL_REASONS` and :data:`PERSONAL_WARNINGS`: they reveal a person's needs (health),
values (beliefs) or situation (benefits, residence status), which the public view keeps out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from toolkit.formatting import number
from toolkit.i18n import _, ngettext
from toolkit.matching.features import Features
from toolkit.matching.options import NoOption, Option
from toolkit.matching.scores import (
    LIMITS,
    BlockScores,
    PairScore,
    SponsorScores,
    score_block,
)
from toolkit.matching.writer import OptionWriter, PairValues

__all__ = [
    "PERSONAL_REASONS",
    "PERSONAL_WARNINGS",
    "REASON_CODES",
    "WARNING_CODES",
    "SponsorChoice",
    "SponsorChoices",
    "explain_option",
    "explain_options",
    "no_option",
    "no_option_sentences",
    "sponsor_choice",
    "sponsor_choices",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Every reason code, in the order reasons are given.
REASON_CODES: tuple[str, ...] = (
    "talents",
    "missing_required",
    "missing_desired",
    "no_talents_asked",
    "causes",
    "no_shared_cause",
    "text",
    "district",
    "not_wished_district",
    "distance",
    "hours",
    "hours_partly",
    "days",
    "needs",
    "values",
    "statement",
    "sponsor_no_values",
    "cooperative",
)
#: Every warning code: first those from the person's record, then the pair's.
WARNING_CODES: tuple[str, ...] = (
    "no_bsn",
    "asylum_seeker",
    "pgb",
    "wajong",
    "vog",
    "requires",
    "travel",
)
#: Reasons that show a person's needs or values: internal outputs only.
PERSONAL_REASONS: frozenset[str] = frozenset({"needs", "values", "statement"})
#: Warnings that follow from a person's situation (special-category data): internal only.
PERSONAL_WARNINGS: frozenset[str] = frozenset({"no_bsn", "asylum_seeker", "pgb", "wajong"})


@dataclass(frozen=True)
class SponsorChoice:
    """Who funds an option: a sponsor index (``-1``: the cooperative) and why."""

    index: int
    fit: float  # the values fit; nan when it does not count
    shared: float = float("nan")
    statement: float = float("nan")
    # Why the cooperative: "no_sponsors", "no_budget" (none acceptable has budget left),
    # "no_fit" (no sponsor with budget shares the person's values or is not avoided),
    # "taken" (in a round, the budget of those that fit went to others).
    cooperative_because: str = ""


@dataclass(frozen=True)
class SponsorChoices:
    """:class:`SponsorChoice` for many options at once, as arrays (one entry per option)."""

    index: IntArray  # a sponsor index, or -1: the cooperative
    fit: FloatArray  # the values fit; nan when it does not count
    statement: FloatArray
    cooperative_because: tuple[str, ...]  # "" where a sponsor funds the option

    @classmethod
    def of(cls, choices: Sequence[SponsorChoice]) -> SponsorChoices:
        return cls(
            index=np.asarray([c.index for c in choices], dtype=np.int64),
            fit=np.asarray([c.fit for c in choices], dtype=np.float64),
            statement=np.asarray([c.statement for c in choices], dtype=np.float64),
            cooperative_because=tuple(c.cooperative_because for c in choices),
        )


def explain_option(f: Features, pair: PairScore, sponsor: SponsorChoice) -> Option:
    """The option of one scored pair (from a block scored with ``detail=True``)."""
    common = int(f.person_days[pair.person]) & int(f.opportunity_days[pair.opportunity])

    def one(value: float) -> FloatArray:
        return np.array([value], dtype=np.float64)

    choice = SponsorChoices.of([sponsor])
    return OptionWriter(f).options(
        np.array([pair.person], dtype=np.int64),
        np.array([pair.opportunity], dtype=np.int64),
        PairValues(
            text=one(pair.text),
            km=one(pair.distance_km),
            travel=np.array([pair.travel], dtype=bool),
            hours=one(pair.hours),
            days=one(pair.days),
            common_days=np.array([common], dtype=np.int64),
            talents=one(pair.talents),
            wishes=one(pair.wishes),
        ),
        choice.index,
        choice.fit,
        choice.statement,
        choice.cooperative_because,
    )[0]


def explain_options(f: Features, pairs: BlockScores, sponsors: SponsorChoices) -> list[Option]:
    """The options of aligned pairs scored with ``detail=True`` (:func:`score_pairs`), one
    sponsor choice each: the same options as :func:`explain_option` pair by pair."""
    if pairs.feasible.ndim != 1:
        raise ValueError("explain_options needs aligned pairs (score_pairs)")
    rows = pairs.rows
    cols = pairs.cols
    missing = np.full(rows.size, np.nan)

    def values(array: FloatArray | None) -> FloatArray:
        return missing if array is None else np.asarray(array, dtype=np.float64)

    return OptionWriter(f).options(
        rows,
        cols,
        PairValues(
            text=values(pairs.text),
            km=values(pairs.distance_km),
            travel=np.zeros(rows.size, dtype=bool) if pairs.travel is None else pairs.travel,
            hours=values(pairs.hours),
            days=values(pairs.days),
            common_days=f.person_days[rows] & f.opportunity_days[cols],
            talents=values(pairs.talents),
            wishes=values(pairs.wishes),
        ),
        sponsors.index,
        sponsors.fit,
        sponsors.statement,
        sponsors.cooperative_because,
    )


def sponsor_choice(
    f: Features,
    scores: SponsorScores,
    i: int,
    index: int,
    budget: np.ndarray | None = None,
    *,
    taken: bool = False,
) -> SponsorChoice:
    """Describe sponsor ``index`` (``-1``: cooperative) for row ``i`` of ``scores``.

    ``taken``: a sponsor could have funded them, but a round gave its budget to others.
    """
    if index >= 0:
        return SponsorChoice(
            index=index,
            fit=float(scores.fit[i, index]),
            shared=float(scores.shared[i, index]),
            statement=float(scores.statement[i, index]),
        )
    left = f.sponsor_budget if budget is None else budget
    if taken:
        because = "taken"
    elif f.n_sponsors == 0:
        because = "no_sponsors"
    elif bool((scores.acceptable[i] & (left <= 0)).any()) and not bool(
        (scores.acceptable[i] & (left > 0)).any()
    ):
        because = "no_budget"
    else:
        because = "no_fit"
    return SponsorChoice(index=-1, fit=float("nan"), cooperative_because=because)


def sponsor_choices(
    f: Features,
    scores: SponsorScores,
    positions: IntArray,
    index: IntArray,
    budget: np.ndarray | None = None,
    *,
    taken: NDArray[np.bool_] | None = None,
) -> SponsorChoices:
    """:func:`sponsor_choice` for many options: option ``k`` is funded by sponsor
    ``index[k]`` (``-1``: the cooperative) and is person ``positions[k]`` of ``scores``."""
    positions = np.asarray(positions, dtype=np.int64)
    index = np.asarray(index, dtype=np.int64)
    n = positions.size
    sponsored = index >= 0
    at = np.maximum(index, 0)
    fit = np.full(n, np.nan)
    statement = np.full(n, np.nan)
    if f.n_sponsors:
        fit = np.where(sponsored, scores.fit[positions, at], np.nan)
        statement = np.where(sponsored, scores.statement[positions, at], np.nan)
    left = f.sponsor_budget if budget is None else budget
    was_taken = np.zeros(n, dtype=bool) if taken is None else np.asarray(taken, dtype=bool)
    no_budget: NDArray[np.bool_] = np.zeros(n, dtype=bool)
    if f.n_sponsors:
        acceptable = scores.acceptable[positions]
        spent = (acceptable & (left <= 0)[None, :]).any(axis=1)
        available = (acceptable & (left > 0)[None, :]).any(axis=1)
        no_budget = np.asarray(spent & ~available)
    because = np.where(
        was_taken,
        "taken",
        np.where(f.n_sponsors == 0, "no_sponsors", np.where(no_budget, "no_budget", "no_fit")),
    )
    because = np.where(sponsored, "", because)
    return SponsorChoices(
        index=np.where(sponsored, index, -1),
        fit=fit,
        statement=statement,
        cooperative_because=tuple(because.tolist()),
    )


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def no_option(f: Features, person: int, excluded: csr_matrix | None = None) -> NoOption:
    """Why person ``person`` has no option: per hard limit, how many places it rules out."""
    block = score_block(f, [person], excluded=excluded)
    counts = {limit: int(block.limits[limit][0].sum()) for limit in LIMITS}
    stacked = np.stack([block.limits[limit][0] for limit in LIMITS])
    only = stacked & (stacked.sum(axis=0) == 1)
    only_counts = {limit: int(only[k].sum()) for k, limit in enumerate(LIMITS)}
    record = f.person(person)
    offered = f.opportunity_offers
    missing_needs: Counter[str] = Counter()
    for o in np.flatnonzero(block.limits["needs"][0]):
        have = {f.needs.tags[t] for t in offered.indices[offered.indptr[o] : offered.indptr[o + 1]]}
        missing_needs.update(n for n in record.needs if n not in have)
    hours = record.availability.hours_per_week if record.availability else None
    detail = {
        "needs": _join(f"{need} ({count})" for need, count in missing_needs.most_common()),
        "hours": number(hours, 1) if hours is not None else "",
    }
    kept = {limit: n for limit, n in counts.items() if n}
    return NoOption(
        person_id=record.id,
        counts=kept,
        sentences=no_option_sentences(kept, only_counts, f.n_opportunities, detail),
        public_sentences=no_option_sentences(kept, only_counts, f.n_opportunities, None),
    )


def no_option_sentences(
    counts: dict[str, int],
    only: dict[str, int],
    n_places: int,
    detail: dict[str, str] | None,
) -> tuple[str, ...]:
    """The counts in plain words; without ``detail`` no needs or hours are named."""
    sentences = [
        ngettext(
            "None of the {count} place fits; per limit, how many places it rules out:",
            "None of the {count} places fits; per limit, how many places it rules out:",
            n_places,
        ).format(count=n_places)
    ]
    for limit in LIMITS:
        count = counts.get(limit, 0)
        if not count:
            continue
        if limit == "needs":
            text = ngettext(
                "{count} place does not offer what they need",
                "{count} places do not offer what they need",
                count,
            )
            if detail and detail["needs"]:
                text += " " + _("(missing: {needs})").format(needs=detail["needs"])
        elif limit == "hours":
            if detail and detail["hours"]:
                text = ngettext(
                    "{count} place asks more than the {hours} hours a week they have",
                    "{count} places ask more than the {hours} hours a week they have",
                    count,
                )
            else:
                text = ngettext(
                    "{count} place asks more hours a week than they have",
                    "{count} places ask more hours a week than they have",
                    count,
                )
        elif limit == "days":
            text = ngettext(
                "{count} place has no day in common with theirs",
                "{count} places have no day in common with theirs",
                count,
            )
        elif limit == "full":
            text = ngettext("{count} place is full", "{count} places are full", count)
        else:
            text = ngettext(
                "{count} place was declined or excluded",
                "{count} places were declined or excluded",
                count,
            )
        sentence = text.format(count=count, hours=(detail or {}).get("hours", ""))
        alone = only.get(limit, 0)
        if alone:
            sentence += "; " + ngettext(
                "for {count} of them it is the only limit",
                "for {count} of them it is the only limit",
                alone,
            ).format(count=alone)
        sentences.append(sentence + ".")
    return tuple(sentences)
