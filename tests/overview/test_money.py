"""Sponsors and SROI, the sponsor plan, agreements and the cooperative's own cost."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import SETTINGS, opportunity, person, sponsor, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.casebook.money import (
    MAX_PLAN_YEARS,
    agreements_ending,
    cooperative_costs,
    plan,
    plan_for_sponsor,
    sponsor_accounts,
    years_until,
)
from toolkit.casebook.records import Placement
from toolkit.casebook.rules import rule_data, rules_for
from toolkit.errors import InvalidInputError, NotFoundError, Remedy

DAY = date(2025, 6, 1)


def placed(start: str, end: str | None, sponsor_id: str | None = None, **kw: Any) -> dict[str, Any]:
    placement: dict[str, Any] = {
        "opportunity": "keukenhulp",
        "start": start,
        "allowance_per_year": 2100,
    }
    if end:
        placement["end"] = end
    if sponsor_id:
        placement["sponsor"] = sponsor_id
    return person(status=kw.pop("status", "actief"), placement=placement, **kw)


def book(tmp_path: Path, settings: dict[str, Any] | None = None, **kw: Any) -> Casebook:
    kw.setdefault("opportunities", {"keukenhulp": opportunity(slots=10)})
    return load_casebook(write_casebook(tmp_path / "cb", settings=settings, **kw))


# --- the sponsor plan ---


def test_the_shipped_figures_the_plan_tests_assume() -> None:
    data = rule_data()
    assert data.sroi_credit_per_year.value == 5000
    assert data.sponsor_allowance_per_year.value + data.overhead_per_year.value == 2500


def test_100000_over_two_years_is_ten_burgerbanen_for_50000() -> None:
    result = plan(100_000, 2, rules_for(2025), start=DAY)
    assert result.person_years_needed == 20
    assert result.burgerbanen == 10
    assert result.cost == 50_000
    assert result.credited == 100_000
    assert not result.rounded_up and result.surplus == 0
    assert "verslag 4e dialoogavond" in result.credit.source


def test_a_casebook_credit_override_changes_the_plan_and_rounds_up(tmp_path: Path) -> None:
    cb = book(tmp_path, settings={**SETTINGS, "sroi_credit_per_year": 4000})
    result = plan(100_000, 2, cb.rules, start=DAY)
    assert result.credit.value == 4000
    assert "casebook.yaml" in result.credit.source
    assert result.person_years_needed == 25
    assert result.burgerbanen == 13  # 12,5 rounded up: a burgerbaan is a person
    assert result.rounded_up
    assert result.cost == 13 * 2 * 2500
    assert result.surplus == 13 * 2 * 4000 - 100_000


def test_one_year_needs_twice_the_burgerbanen_at_the_same_cost() -> None:
    result = plan(100_000, 1, rules_for(2025), start=DAY)
    assert (result.burgerbanen, result.cost) == (20, 50_000)


def test_a_plan_ends_a_day_before_the_anniversary() -> None:
    assert plan(10_000, 2, rules_for(2025), start=DAY).end == date(2027, 5, 31)


@pytest.mark.parametrize(
    ("obligation", "years", "settings"),
    [(-1, 1, {}), (1000, 0, {}), (1000, 1, {"sroi_credit_per_year": 0})],
)
def test_impossible_plans_are_refused(
    tmp_path: Path, obligation: float, years: int, settings: dict[str, Any]
) -> None:
    cb = book(tmp_path, settings={**SETTINGS, **settings})
    with pytest.raises(InvalidInputError):
        plan(obligation, years, cb.rules, start=DAY)


# --- sponsors and SROI ---


def test_years_until_a_deadline() -> None:
    year = Placement(
        opportunity="x", start=date(2025, 1, 1), end=date(2025, 12, 31), allowance_per_year=0
    )
    assert years_until(year, None) == 1.0
    assert years_until(year, date(2026, 1, 1)) == 1.0
    assert years_until(year, date(2025, 6, 30)) == 0.5
    assert years_until(year, date(2024, 12, 31)) == 0.0
    open_ended = Placement(opportunity="x", start=date(2025, 1, 1), allowance_per_year=0)
    assert years_until(open_ended, None) == 1.0
    assert years_until(open_ended, date(2025, 6, 30)) == 0.5


def test_sponsor_account(tmp_path: Path) -> None:
    cb = book(
        tmp_path,
        people={
            "anna": placed("2025-01-01", "2025-12-31", "bouw"),
            "bert": placed("2025-07-01", "2026-06-30", "bouw", name="Bert Test"),
            "carla": placed("2025-01-01", "2025-12-31", name="Carla Test"),
        },
        sponsors={
            "bouw": sponsor(
                budget_person_years=4, sroi_obligation=20_000, sroi_deadline="2025-12-31"
            ),
            "bank": sponsor(name="Bank", budget_person_years=2),
        },
    )
    bank, bouw = sponsor_accounts(cb, DAY)
    assert bouw.funded_years == 2.0 and bouw.left_years == 2.0
    assert bouw.funded_cost == 5000 and bouw.budget_cost == 10_000
    assert bouw.credited_years == 1.5  # bert's second half-year is after the deadline
    assert bouw.credited == 7500
    assert bouw.missing == 12_500 and bouw.missing_years == 2.5
    assert not bouw.deadline_passed
    assert bank.funded_years == 0 and bank.left_years == 2
    assert bank.missing is None and bank.missing_years is None


def test_plan_for_a_sponsor_plans_what_is_missing_up_to_the_deadline(tmp_path: Path) -> None:
    cb = book(
        tmp_path,
        people={"anna": placed("2025-01-01", "2025-12-31", "bouw")},
        sponsors={"bouw": sponsor(sroi_obligation=100_000, sroi_deadline="2027-12-31")},
    )
    result = plan_for_sponsor(cb, "bouw", None, DAY)
    assert result.obligation == 95_000
    assert result.years == 2  # 1 June 2025 to 31 December 2027: two whole years
    assert result.burgerbanen == 10  # 19 burgerbaan-years over 2 years, rounded up
    assert not result.past_deadline
    assert plan_for_sponsor(cb, "bouw", 3, DAY).past_deadline


def test_plan_for_a_sponsor_without_obligation_or_unknown(tmp_path: Path) -> None:
    cb = book(tmp_path, sponsors={"bouw": sponsor()})
    with pytest.raises(InvalidInputError, match="sroi_obligation") as caught:
        plan_for_sponsor(cb, "bouw", 1, DAY)
    assert caught.value.remedy is Remedy.GIVE_OBLIGATION
    assert caught.value.field == "sponsor"
    with pytest.raises(NotFoundError, match="bouw"):
        plan_for_sponsor(cb, "bouww", 1, DAY)


# --- agreements and own cost ---


def test_agreements_in_and_out_of_the_window(tmp_path: Path) -> None:
    cb = book(
        tmp_path,
        people={
            "at-the-edge": placed("2025-01-01", "2025-07-31", name="Een Twee"),  # 60 days
            "just-out": placed("2025-01-01", "2025-08-01", name="Drie Vier"),  # 61 days
            "ended": placed("2024-06-01", "2025-05-31", name="Vijf Zes"),  # still actief
            "open": placed("2025-01-01", None, name="Zeven Acht"),
            "stopped": placed("2025-01-01", "2025-06-15", status="gestopt", name="Negen Tien"),
        },
    )
    found = agreements_ending(cb, DAY, 60)
    assert [(a.person_id, a.days_left, a.ended) for a in found] == [
        ("ended", -1, True),
        ("at-the-edge", 60, False),
    ]
    assert [a.person_id for a in agreements_ending(cb, DAY, 61)] == [
        "ended",
        "at-the-edge",
        "just-out",
    ]
    assert [a.person_id for a in agreements_ending(cb, DAY, 0)] == ["ended"]
    with pytest.raises(InvalidInputError):
        agreements_ending(cb, DAY, -1)
    # A window past the end of the calendar (found by the fuzz suite) takes in every agreement.
    assert [a.person_id for a in agreements_ending(cb, DAY, 10**7)] == [
        "ended",
        "at-the-edge",
        "just-out",
    ]


def test_the_cooperative_carries_the_unsponsored_burgerbanen(tmp_path: Path) -> None:
    people = {
        "own": placed("2025-01-01", "2025-12-31", name="Een Twee"),
        "sponsored": placed("2025-01-01", "2025-12-31", "bouw", name="Drie Vier"),
        "stopped": placed("2024-01-01", "2024-12-31", status="gestopt", name="Vijf Zes"),
    }
    cb = book(tmp_path, people=people, sponsors={"bouw": sponsor()})
    (cost,) = cooperative_costs(cb)
    assert cost.person_id == "own" and cost.per_year == 2500
    cb = book(
        tmp_path / "o",
        settings={**SETTINGS, "overhead_per_year": 600},
        people=people,
        sponsors={"bouw": sponsor()},
    )
    assert [c.per_year for c in cooperative_costs(cb)] == [2700]


def test_the_example_casebook(example_book: Casebook) -> None:
    day = date(2026, 11, 26)
    accounts = {a.sponsor_id: a for a in sponsor_accounts(example_book, day)}
    weerwater = accounts["bouwcombinatie-weerwater"]
    assert weerwater.funded_years == 1.0 and weerwater.credited == 5000
    assert weerwater.missing == 95_000
    assert {a.person_id for a in agreements_ending(example_book, day, 60)} == {
        "anouk-de-graaf",
        "ricardo-martina",
        "samir-haddou",
    }
    assert len(cooperative_costs(example_book)) == 3


@pytest.mark.parametrize("years", [0, MAX_PLAN_YEARS + 1, 7974])
def test_a_plan_of_impossible_length_is_refused_with_the_field(years: int) -> None:
    # 7974 years once ran the calendar past the year 9999 and crashed the command.
    with pytest.raises(InvalidInputError) as caught:
        plan(1, years, rules_for(2025), start=DAY)
    assert caught.value.field == "years"


def test_the_longest_plan_is_still_made() -> None:
    result = plan(1, MAX_PLAN_YEARS, rules_for(2025), start=DAY)
    assert result.end.year == DAY.year + MAX_PLAN_YEARS
