"""What a match request computes, decided once in the library for the command and the web.

The oracle is the matcher itself, called directly: the report must show exactly the options
and proposals the matcher gives for what was asked, and nothing that was not asked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_CASEBOOK, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError, Remedy
from toolkit.matching import Matcher
from toolkit.reports.matches import ShownPerson
from toolkit.reports.matchrun import MatchRequest, parse_exclusions, run_match

DAY = date(2025, 6, 1)
ACTIVE = "anouk-de-graaf"  # status actief: never a candidate, but can be asked about


@pytest.fixture(scope="module")
def book() -> Casebook:
    return load_casebook(EXAMPLE_CASEBOOK)


@pytest.fixture(scope="module")
def matcher(book: Casebook) -> Matcher:
    return Matcher(book)


def _shown(report_person: ShownPerson) -> list[str]:
    return [o.opportunity_id for o in report_person.options]


def test_options_for_every_candidate(book: Casebook, matcher: Matcher) -> None:
    report = run_match(book, MatchRequest(top=2, intern=True), DAY)
    assert report.mode == "options"
    expected = matcher.all_options(2)
    assert [p.key for p in report.people] == sorted(expected)
    for shown in report.people:
        assert _shown(shown) == [o.opportunity_id for o in expected[shown.key].options]


def test_one_person_who_is_not_a_candidate(book: Casebook, matcher: Matcher) -> None:
    assert ACTIVE not in matcher.candidate_ids()
    report = run_match(book, MatchRequest(person=ACTIVE, top=3, intern=True), DAY)
    assert [p.key for p in report.people] == [ACTIVE]
    assert _shown(report.people[0]) == [
        o.opportunity_id for o in matcher.options(ACTIVE, 3).options
    ]


@pytest.mark.parametrize("method", ["flow", "stable"])
def test_the_round_without_shortlists_shows_the_proposals_only(
    book: Casebook, matcher: Matcher, method: str
) -> None:
    request = MatchRequest(method=method, shortlists=False, intern=True)
    assert request.runs_round
    report = run_match(book, request, DAY)
    assert report.mode == "round"
    assert report.method == method
    round_result = matcher.round("stable" if method == "stable" else "flow")
    proposals = {p.person_id: p.opportunity_id for p in round_result.proposals}
    shown = {p.key: p.proposal.opportunity_id for p in report.people if p.proposal}
    assert shown == proposals
    assert all(not p.options for p in report.people)
    # The places list only who is proposed there, not everyone's shortlist.
    assert all(entry.proposed for place in report.places for entry in place.entries)


def test_the_round_with_shortlists_lists_every_candidates_options(
    book: Casebook, matcher: Matcher
) -> None:
    report = run_match(book, MatchRequest(round=True, intern=True, top=2), DAY)
    assert report.method == "flow"
    expected = matcher.all_options(2)
    assert {p.key: _shown(p) for p in report.people} == {
        pid: [o.opportunity_id for o in options.options] for pid, options in expected.items()
    }
    assert any(not entry.proposed for place in report.places for entry in place.entries)


def test_the_round_for_one_person_outside_the_candidates(book: Casebook, matcher: Matcher) -> None:
    with_lists = run_match(book, MatchRequest(round=True, person=ACTIVE, intern=True), DAY)
    without = run_match(
        book, MatchRequest(round=True, person=ACTIVE, intern=True, shortlists=False), DAY
    )
    expected = [o.opportunity_id for o in matcher.options(ACTIVE, 3).options]
    for report in (with_lists, without):
        assert [p.key for p in report.people] == [ACTIVE]
        assert _shown(report.people[0]) == expected


def test_the_casebook_exclusions_and_the_requested_ones_apply(book: Casebook) -> None:
    first = run_match(book, MatchRequest(intern=True), DAY)
    person_id = next(p.key for p in first.people if p.options)
    best = first.people[[p.key for p in first.people].index(person_id)].options[0]
    pair = (person_id, best.opportunity_id)
    excluded = run_match(book, MatchRequest(intern=True, exclusions=[pair]), DAY)
    shown = next(p for p in excluded.people if p.key == person_id)
    assert best.opportunity_id not in _shown(shown)


def test_bad_requests_say_which_field(book: Casebook) -> None:
    with pytest.raises(InvalidInputError) as caught:
        run_match(book, MatchRequest(method="random"), DAY)
    assert caught.value.field == "method"
    with pytest.raises(InvalidInputError) as caught:
        run_match(book, MatchRequest(top=0), DAY)
    assert caught.value.field == "top"
    with pytest.raises(NotFoundError):
        run_match(book, MatchRequest(person="niemand-hier"), DAY)
    with pytest.raises(NotFoundError):
        run_match(book, MatchRequest(exclusions=[("niemand-hier", "x")]), DAY)
    with pytest.raises(InvalidInputError) as caught:
        parse_exclusions(["jan-de-vries"])
    assert caught.value.field == "exclusions"
    assert parse_exclusions([" a : b ", "c:d"]) == [("a", "b"), ("c", "d")]


def test_nothing_to_match_is_a_conflict(tmp_path: Path) -> None:
    no_places = load_casebook(write_casebook(tmp_path / "a", opportunities={}))
    with pytest.raises(ConflictError, match="opportunities"):
        run_match(no_places, MatchRequest(), DAY)
    nobody = load_casebook(write_casebook(tmp_path / "b", people={}))
    with pytest.raises(ConflictError) as caught:
        run_match(nobody, MatchRequest(), DAY)
    # Someone who is not a candidate can still be asked about by id.
    assert caught.value.remedy is Remedy.ONE_PERSON
