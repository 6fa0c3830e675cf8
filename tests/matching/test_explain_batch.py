"""The batched explanations equal the explanations written one pair at a time.

The round and the top options explain thousands of options at once
(:func:`toolkit.matching.explain.explain_options`). Their oracle is the per-pair code as it
was before the batching, kept verbatim in :mod:`tests.matching.explain_reference`: for every
option of a round or of the top options, on generated casebooks and on the example casebook,
in both languages, the reference fed the same scored pair and the same sponsor gives an
equal option (every sentence, code, figure and id).
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.helpers import EXAMPLE_CASEBOOK
from tests.matching import explain_reference as reference
from tests.matching.generated import casebooks
from toolkit.casebook import load_casebook
from toolkit.casebook.casebook import Casebook
from toolkit.i18n import use_language
from toolkit.matching import Matcher, Option
from toolkit.matching.scores import score_pairs, sponsor_scores, total_of
from toolkit.matching.writer import rounded, totals

SETTINGS = settings(max_examples=60, deadline=None)
LANGUAGES = ("nl", "en")


def reference_round(matcher: Matcher, method: str) -> tuple[list[Option], list[Option]]:
    """The round's proposals, and the same options written by the reference."""
    f = matcher.features
    proposals = list(matcher.round(method).proposals)  # type: ignore[arg-type]
    persons = np.array([f.person_index[o.person_id] for o in proposals], dtype=np.int64)
    places = np.array([f.opportunity_index[o.opportunity_id] for o in proposals], dtype=np.int64)
    pairs = score_pairs(f, persons, places, excluded=matcher.excluded)
    scores = sponsor_scores(f, persons)
    budget = f.sponsor_budget
    expected = []
    for k, option in enumerate(proposals):
        index = -1 if option.sponsor_id is None else f.sponsor_index[option.sponsor_id]
        # The cooperative although an acceptable sponsor had budget: it went to others.
        taken = index < 0 and bool((scores.acceptable[k] & (budget > 0)).any())
        choice = reference.sponsor_choice(f, scores, k, index, budget, taken=taken)
        expected.append(reference.explain_option(f, pairs.pair(k), choice))
    return proposals, expected


def reference_options(matcher: Matcher, top: int) -> tuple[list[Option], list[Option]]:
    """Every top option of every candidate, and the same written by the reference."""
    f = matcher.features
    found = matcher.all_options(top=top)
    options = [option for person in found.values() for option in person.options]
    persons = np.array([f.person_index[o.person_id] for o in options], dtype=np.int64)
    places = np.array([f.opportunity_index[o.opportunity_id] for o in options], dtype=np.int64)
    pairs = score_pairs(f, persons, places, excluded=matcher.excluded)
    scores = sponsor_scores(f, persons)
    expected = []
    for k, option in enumerate(options):
        index = -1 if option.sponsor_id is None else f.sponsor_index[option.sponsor_id]
        choice = reference.sponsor_choice(f, scores, k, index)
        expected.append(reference.explain_option(f, pairs.pair(k), choice))
    return options, expected


def check(matcher: Matcher) -> int:
    """Compares round (both methods) and top options with the reference; how many options."""
    compared = 0
    for actual, expected in (
        reference_round(matcher, "flow"),
        reference_round(matcher, "stable"),
        reference_options(matcher, 3),
    ):
        assert actual == expected
        compared += len(actual)
    return compared


@pytest.mark.parametrize("language", LANGUAGES)
@SETTINGS
@given(book=casebooks(max_people=10, max_opportunities=6, max_sponsors=3), data=st.data())
def test_batched_explanations_equal_the_reference(
    language: str, book: Casebook, data: st.DataObject
) -> None:
    pairs = [(p, o) for p in sorted(book.people) for o in sorted(book.opportunities)]
    declined = data.draw(st.lists(st.sampled_from(pairs), max_size=4, unique=True))
    with use_language(language):
        check(Matcher(book, declined))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("declined", [False, True])
def test_example_casebook_explanations_equal_the_reference(language: str, declined: bool) -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    pairs: list[tuple[str, str]] = []
    if declined:
        # Decline every third proposal, so that the round and the options change.
        proposals = Matcher(book).round().proposals
        pairs = [(o.person_id, o.opportunity_id) for o in proposals[::3]]
    with use_language(language):
        compared = check(Matcher(book, pairs))
    assert compared > 60


def weights(talents: float, wishes: float, values: float) -> Any:
    """Just what :func:`totals` and :func:`total_of` read of the features: the weights."""
    settings_ = SimpleNamespace(
        weights=SimpleNamespace(talents=talents, wishes=wishes, values=values)
    )
    return SimpleNamespace(casebook=SimpleNamespace(settings=settings_))


parts = st.one_of(st.just(math.nan), st.floats(0.0, 1.0), st.sampled_from([0.5, 1 / 3, 2 / 3]))
part_weights = st.one_of(st.integers(0, 5), st.floats(0.0, 5.0))


@SETTINGS
@given(
    weight=st.tuples(part_weights, part_weights, part_weights),
    triples=st.lists(st.tuples(parts, parts, parts), min_size=1, max_size=30),
)
@example(weight=(1, 1, 1), triples=[(math.nan, math.nan, math.nan), (1.0, 0.0, math.nan)])
@example(weight=(0, 0, 0), triples=[(0.5, 0.5, 0.5)])
def test_totals_are_total_of_bit_for_bit(
    weight: tuple[float, float, float], triples: list[tuple[float, float, float]]
) -> None:
    f = weights(*weight)
    talents, wishes, values = (
        np.array(column, dtype=np.float64) for column in zip(*triples, strict=True)
    )
    batch = totals(f, talents, wishes, values).tolist()
    one_by_one = [total_of(f, t, w, v) for t, w, v in triples]
    assert [x.hex() for x in batch] == [x.hex() for x in one_by_one]
    assert rounded(np.array(batch), 1) == [round(x, 1) for x in one_by_one]


@SETTINGS
@given(values=st.lists(st.one_of(st.just(math.nan), st.floats(-1e6, 1e6)), max_size=30))
@example(values=[0.0005, 0.0015, 0.0025, 2.675, 0.125, 0.375, -0.0])
def test_rounded_is_pythons_round(values: list[float]) -> None:
    for digits in (1, 3):
        expected = [0.0 if math.isnan(v) else round(v, digits) for v in values]
        actual = rounded(np.array(values, dtype=np.float64), digits)
        assert [x.hex() for x in actual] == [x.hex() for x in expected]
