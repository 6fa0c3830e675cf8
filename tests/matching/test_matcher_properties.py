"""Properties of the matcher on generated casebooks, checked against plain-Python oracles.

Feasibility is recomputed here from the records (not from the matcher's arrays), the largest
possible number of placements comes from a networkx maximum flow, and stability is checked
pair by pair.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.generated import build, casebooks, opportunity_data, person_data
from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import Opportunity, Person
from toolkit.i18n import set_language
from toolkit.matching import Matcher, Option
from toolkit.matching.scores import MIN_VALUES_FIT, score_pairs, sponsor_scores

SETTINGS = settings(max_examples=40, deadline=None)


def feasible(
    book: Casebook, person: Person, place: Opportunity, excluded: set[tuple[str, str]]
) -> bool:
    """The hard limits, straight from the records."""
    if any(need not in place.offers for need in person.needs):
        return False
    have = person.availability
    hours = place.hours_per_week
    if have is not None and hours is not None and have.hours_per_week < hours.min:
        return False
    if have is not None and have.days and place.days and not set(have.days) & set(place.days):
        return False
    if book.open_slots(place.id) <= 0:
        return False
    return (person.id, place.id) not in excluded


def feasible_pairs(
    book: Casebook, excluded: set[tuple[str, str]] = frozenset()
) -> set[tuple[str, str]]:  # type: ignore[assignment]
    return {
        (p.id, o.id)
        for p in book.candidates()
        for o in book.opportunities.values()
        if feasible(book, p, o, excluded)
    }


def max_placeable(book: Casebook, pairs: set[tuple[str, str]]) -> int:
    graph = nx.DiGraph()
    graph.add_node("s")
    graph.add_node("t")
    for person in book.candidates():
        graph.add_edge("s", ("p", person.id), capacity=1)
    for person_id, opportunity_id in pairs:
        graph.add_edge(("p", person_id), ("o", opportunity_id), capacity=1)
    for opportunity_id in book.opportunities:
        graph.add_edge(("o", opportunity_id), "t", capacity=book.open_slots(opportunity_id))
    return int(nx.maximum_flow_value(graph, "s", "t"))


def all_proposed(matcher: Matcher) -> list[Option]:
    options = [o for po in matcher.all_options(top=10).values() for o in po.options]
    options += list(matcher.round("flow").proposals)
    options += list(matcher.round("stable").proposals)
    return options


@SETTINGS
@given(casebooks())
def test_the_round_places_as_many_as_a_maximum_flow_allows(book: Casebook) -> None:
    result = Matcher(book).round("flow")
    assert not result.pruned
    assert result.n_placed == max_placeable(book, feasible_pairs(book))
    assert result.n_placed + len(result.unplaced) == len(book.candidates())


@SETTINGS
@given(casebooks())
def test_slots_and_budgets_are_never_exceeded(book: Casebook) -> None:
    matcher = Matcher(book)
    for method in ("flow", "stable"):
        result = matcher.round(method)  # type: ignore[arg-type]
        places = Counter(p.opportunity_id for p in result.proposals)
        for opportunity_id, count in places.items():
            assert count <= book.open_slots(opportunity_id)
        backers = Counter(p.sponsor_id for p in result.proposals if p.sponsor_id)
        for sponsor_id, count in backers.items():
            assert count <= math.floor(book.sponsor_years_left(sponsor_id) + 1e-9)
            assert result.sponsor_use[sponsor_id][0] == count


@SETTINGS
@given(casebooks())
def test_only_feasible_places_and_acceptable_sponsors_are_proposed(book: Casebook) -> None:
    matcher = Matcher(book)
    pairs = feasible_pairs(book)
    f = matcher.features
    for option in all_proposed(matcher):
        person = book.people[option.person_id]
        place = book.opportunities[option.opportunity_id]
        assert (person.id, place.id) in pairs
        assert set(person.needs) <= set(place.offers)  # every need is offered
        if option.sponsor_id is not None:
            backer = book.sponsors[option.sponsor_id]
            assert backer.sector_tag not in person.avoid_sectors  # never an avoided sector
            assert book.sponsor_years_left(backer.id) >= 1
            if person.values:
                fit = sponsor_scores(f, [f.person_index[person.id]]).fit[
                    0, f.sponsor_index[backer.id]
                ]
                assert fit >= MIN_VALUES_FIT


@SETTINGS
@given(casebooks())
def test_options_are_every_feasible_place_best_first(book: Casebook) -> None:
    matcher = Matcher(book)
    pairs = feasible_pairs(book)
    for person_id, person_options in matcher.all_options(top=50).items():
        expected = {o for p, o in pairs if p == person_id}
        assert {o.opportunity_id for o in person_options.options} == expected
        # Best first, and places that fit exactly equally by id.
        exact = [
            (-round(matcher.total(person_id, o.opportunity_id, o.sponsor_id), 6), o.opportunity_id)
            for o in person_options.options
        ]
        assert exact == sorted(exact)
        sponsors = {o.sponsor_id for o in person_options.options}
        assert len(sponsors) <= 1  # financing is per person, not per place
        if not expected:
            assert person_options.no_option is not None
            assert person_options.no_option.counts  # some limit says why
        else:
            assert person_options.no_option is None


@SETTINGS
@given(casebooks())
def test_scores_lie_in_range_and_the_total_is_the_weighted_mean_of_the_counted_parts(
    book: Casebook,
) -> None:
    weights = book.settings.weights
    for option in all_proposed(Matcher(book)):
        assert 0.0 <= option.total <= 100.0
        parts = option.parts
        for name in ("talents", "wishes", "values"):
            assert 0.0 <= getattr(parts, name) <= 1.0
            if not parts.counts(name):
                assert getattr(parts, name) == 0.0
        counted = [(getattr(parts, n), getattr(weights, n)) for n in parts.counted]
        denominator = sum(w for _v, w in counted)
        expected = 100 * sum(v * w for v, w in counted) / denominator if denominator else 0.0
        assert option.total == pytest.approx(expected, abs=0.2)
        assert parts.counts("values") == (
            option.sponsor_id is not None and bool(book.people[option.person_id].values)
        )


@SETTINGS
@given(casebooks())
def test_an_explanation_names_exactly_the_matched_talents(book: Casebook) -> None:
    set_language("en")
    for option in all_proposed(Matcher(book)):
        person = book.people[option.person_id]
        place = book.opportunities[option.opportunity_id]
        matched = set(person.talents) & (set(place.talents_required) | set(place.talents_desired))
        named: set[str] = set()
        for code, reason in zip(option.reason_codes, option.reasons, strict=True):
            if code == "talents":
                found = re.fullmatch(r"Talents that match: (.*)\.", reason)
                assert found is not None
                named = set(found.group(1).split(", "))
        assert named == matched


@SETTINGS
@given(casebooks())
def test_the_stable_method_leaves_no_blocking_pair(book: Casebook) -> None:
    matcher = Matcher(book)
    f = matcher.features
    result = matcher.round("stable")
    assigned = {p.person_id: p.opportunity_id for p in result.proposals}
    pairs = sorted(feasible_pairs(book))
    if not pairs:
        return
    scored = score_pairs(
        f, [f.person_index[p] for p, _o in pairs], [f.opportunity_index[o] for _p, o in pairs]
    )
    place = {pair: float(scored.place[k]) for k, pair in enumerate(pairs)}
    talents = {pair: float(scored.talents[k]) for k, pair in enumerate(pairs)}

    def person_key(person_id: str, opportunity_id: str) -> tuple[float, int]:
        return (-place[(person_id, opportunity_id)], f.opportunity_index[opportunity_id])

    def place_key(opportunity_id: str, person_id: str) -> tuple[float, float, int]:
        t = talents[(person_id, opportunity_id)]
        return (
            -(0.0 if math.isnan(t) else t),
            -place[(person_id, opportunity_id)],
            f.person_index[person_id],
        )

    holders: dict[str, list[str]] = {}
    for person_id, opportunity_id in assigned.items():
        holders.setdefault(opportunity_id, []).append(person_id)
    for person_id, opportunity_id in pairs:
        current = assigned.get(person_id)
        if current == opportunity_id:
            continue
        if current is not None and person_key(person_id, current) <= person_key(
            person_id, opportunity_id
        ):
            continue  # the person prefers what they have
        held = holders.get(opportunity_id, [])
        if len(held) < book.open_slots(opportunity_id):
            raise AssertionError(f"{person_id} and {opportunity_id} block: a slot is free")
        worst = max(held, key=lambda other: place_key(opportunity_id, other))
        assert place_key(opportunity_id, worst) < place_key(opportunity_id, person_id), (
            f"{person_id} and {opportunity_id} block"
        )


@SETTINGS
@given(casebooks(), st.data())
def test_excluded_pairs_are_never_proposed(book: Casebook, data: st.DataObject) -> None:
    pairs = sorted(feasible_pairs(book))
    if not pairs:
        return
    excluded = set(data.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3)))
    matcher = Matcher(book, exclusions=excluded)
    for option in all_proposed(matcher):
        assert (option.person_id, option.opportunity_id) not in excluded
    assert matcher.round().n_placed == max_placeable(book, feasible_pairs(book, excluded))


@settings(max_examples=20, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), person_data(), min_size=1),
    st.dictionaries(st.sampled_from(["x", "y", "z"]), opportunity_data(), min_size=1),
)
def test_same_input_same_output_whatever_the_order_of_the_files(
    people: dict,
    opportunities: dict,  # type: ignore[type-arg]
) -> None:
    first = build(people, opportunities, {})
    second = build(dict(reversed(people.items())), dict(reversed(opportunities.items())), {})
    a, b = Matcher(first), Matcher(second)
    assert a.all_options(top=3) == b.all_options(top=3)
    assert a.round("flow") == b.round("flow")
    assert a.round("stable") == b.round("stable")
    assert Matcher(first).round("flow") == a.round("flow")


@SETTINGS
@given(casebooks(), st.data())
def test_the_fast_ranking_equals_the_detailed_scoring(book: Casebook, data: st.DataObject) -> None:
    import numpy as np

    from toolkit.matching.ranking import rank_block
    from toolkit.matching.scores import score_block

    f = Matcher(book).features
    rows = np.arange(f.n_people)
    cols = np.arange(f.n_opportunities)
    values = np.array(
        data.draw(
            st.lists(
                st.one_of(st.just(float("nan")), st.floats(0, 1)),
                min_size=rows.size,
                max_size=rows.size,
            )
        )
    )
    reach = np.array(
        data.draw(
            st.lists(
                st.one_of(st.just(float("nan")), st.sampled_from([1.0, 5.0, 50.0])),
                min_size=rows.size,
                max_size=rows.size,
            )
        )
    )
    for person_values in (None, values):
        detailed = score_block(f, rows, cols, person_values=person_values)
        assert detailed.distance_km is not None
        with np.errstate(invalid="ignore"):
            beyond = detailed.distance_km > reach[:, None]
        expected = np.where(detailed.feasible & ~beyond, detailed.place, -np.inf)
        fast = rank_block(f, rows, cols, person_values=person_values, reach_km=reach)
        assert np.allclose(fast, expected)
