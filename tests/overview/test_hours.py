"""Hours statements: loading errors with file and field, and the allowance caps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK, dump_yaml, person, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.casebook.hours import HoursFile, YearAllowance, allowance_years
from toolkit.casebook.records import Person
from toolkit.casebook.rules import rules_for
from toolkit.cli import main
from toolkit.errors import CasebookError

PLACED = person(
    status="actief",
    placement={
        "opportunity": "keukenhulp",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "allowance_per_year": 2100,
    },
)


def statement(month: str = "2025-03", **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"month": month, "hours": 40, "allowance_paid": 175}
    record.update(fields)
    return record


def casebook_with_hours(tmp_path: Path, hours: dict[str, list[dict[str, Any]]], **kw: Any) -> Path:
    root = write_casebook(tmp_path / "cb", people=kw.pop("people", {"anna-de-vries": PLACED}), **kw)
    for person_id, statements in hours.items():
        dump_yaml(root / "hours" / f"{person_id}.yaml", {"statements": statements})
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_hours_file_is_loaded(tmp_path: Path) -> None:
    root = casebook_with_hours(tmp_path, {"anna-de-vries": [statement(), statement("2025-04")]})
    book = load_casebook(root)
    assert [s.month for s in book.hours["anna-de-vries"].statements] == ["2025-03", "2025-04"]


def test_a_month_twice_is_an_error_with_file_line_and_field(tmp_path: Path) -> None:
    root = casebook_with_hours(
        tmp_path, {"anna-de-vries": [statement(), statement("2025-04"), statement()]}
    )
    (problem,) = problems_of(root)
    assert "hours/anna-de-vries.yaml" in problem
    assert "[statements[3].month]" in problem
    assert "2025-03" in problem and "statements[1]" in problem


def test_the_same_month_at_two_places_is_allowed(tmp_path: Path) -> None:
    root = casebook_with_hours(
        tmp_path,
        {"anna-de-vries": [statement(), statement(opportunity="uitgifte")]},
        opportunities={
            "keukenhulp": {**_opportunity(), "title": "Keukenhulp"},
            "uitgifte": {**_opportunity(), "title": "Uitgifte"},
        },
    )
    assert len(load_casebook(root).hours["anna-de-vries"].statements) == 2


def _opportunity() -> dict[str, Any]:
    from tests.helpers import opportunity

    return opportunity()


def test_negative_hours_are_an_error(tmp_path: Path) -> None:
    root = casebook_with_hours(tmp_path, {"anna-de-vries": [statement(hours=-4)]})
    (problem,) = problems_of(root)
    assert "hours/anna-de-vries.yaml" in problem
    assert "[statements[1].hours]" in problem
    assert "0" in problem


def test_hours_of_an_unknown_person_are_an_error(tmp_path: Path) -> None:
    root = casebook_with_hours(tmp_path, {"anna-de-vris": [statement()]})
    (problem,) = problems_of(root)
    assert "hours/anna-de-vris.yaml" in problem
    assert "anna-de-vries" in problem  # the suggestion


def test_hours_of_a_person_without_placement_are_an_error(tmp_path: Path) -> None:
    root = casebook_with_hours(
        tmp_path, {"anna-de-vries": [statement()]}, people={"anna-de-vries": person()}
    )
    (problem,) = problems_of(root)
    assert "hours/anna-de-vries.yaml" in problem
    assert "plaatsing" in problem


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"month": "2025-13"}, "statements[1].month"),
        ({"month": "2025-03-01"}, "statements[1].month"),
        ({"opportunity": "onbekend"}, "statements[1].opportunity"),
        ({"month": "2024-12"}, "statements[1].month"),  # before the placement starts
        ({"signed_off_on": "2025-02-28"}, "statements[1]"),
        ({"allowance_paid": -1}, "statements[1].allowance_paid"),
        ({"hourz": 3}, "statements[1].hourz"),
    ],
)
def test_other_mistakes_point_at_their_field(
    tmp_path: Path, fields: dict[str, Any], field: str
) -> None:
    root = casebook_with_hours(tmp_path, {"anna-de-vries": [statement(**fields)]})
    problems = problems_of(root)
    assert any(f"[{field}]" in p and "hours/anna-de-vries.yaml" in p for p in problems), problems


@pytest.mark.parametrize(
    ("statements", "needle"),
    [
        ([statement(), statement()], "[statements[2].month]"),
        ([statement(hours=-1)], "[statements[1].hours]"),
    ],
)
def test_check_exits_1_with_the_file_and_field(
    tmp_path: Path, statements: list[dict[str, Any]], needle: str
) -> None:
    root = casebook_with_hours(tmp_path, {"anna-de-vries": statements})
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 1
    assert "anna-de-vries.yaml" in result.output
    assert needle in result.output
    assert "Traceback" not in result.output


def test_check_exits_1_for_an_unknown_person(tmp_path: Path) -> None:
    root = casebook_with_hours(tmp_path, {"piet-onbekend": [statement()]})
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 1
    assert "hours/piet-onbekend.yaml" in result.output
    assert "niet in het casebook" in result.output


# --- the caps (2025: € 5,60 an hour from 21, € 3,30 under 21, € 210 a month, € 2.100 a year) ---

RULES = rules_for(2025)
YEAR = 2025


def someone(age: int, *, hourly: float | None = None) -> Person:
    """A placed person of ``age`` in YEAR; ``hourly``: the allowance per hour agreed, if any."""
    placement = dict(PLACED["placement"])
    if hourly is not None:
        placement["allowance_per_hour"] = hourly
    data = {**PLACED, "birth_year": YEAR - age, "placement": placement}
    return Person.model_validate({**data, "id": "anna-de-vries"})


def year_of(age: int, months: list[tuple[float, float]], *, agreed: bool = True) -> YearAllowance:
    hours = HoursFile(
        id="anna-de-vries",
        statements=[
            {"month": f"{YEAR}-{n:02d}", "hours": h, "allowance_paid": paid}
            for n, (h, paid) in enumerate(months, start=1)
        ],
    )
    (year,) = allowance_years(someone(age, hourly=5.0 if agreed else None), hours, RULES)
    return year


def breaches(age: int, months: list[tuple[float, float]], *, agreed: bool = True) -> list[str]:
    """Cap kinds exceeded for months of (hours, paid) from January of YEAR; ``agreed``: with
    an hourly allowance agreed (only then does the hourly cap apply)."""
    return [b.cap for b in year_of(age, months, agreed=agreed).breaches]


def test_the_figures_the_cap_tests_assume() -> None:
    caps = RULES.caps_for(YEAR)
    assert caps is not None
    assert (caps.per_hour_21_plus, caps.per_hour_under_21) == (5.60, 3.30)
    assert (caps.per_month, caps.per_year) == (210, 2100)


@pytest.mark.parametrize("age", [19, 20, 21, 45])
def test_month_cap_at_and_just_over(age: int) -> None:
    plenty = 100  # hours enough that the hourly cap does not bite
    assert breaches(age, [(plenty, 210)]) == []
    assert breaches(age, [(plenty, 210.01)]) == ["per_month"]


def test_hour_cap_21_and_over_at_and_just_over() -> None:
    assert breaches(21, [(30, 168.00)]) == []  # 30 × 5,60
    assert breaches(21, [(30, 168.01)]) == ["per_hour"]
    assert breaches(21, [(30, 168.01)], agreed=False) == []


def test_hour_cap_under_21_at_and_just_over() -> None:
    assert breaches(20, [(30, 99.00)]) == []  # 30 × 3,30
    assert breaches(20, [(30, 99.01)]) == ["per_hour"]
    assert breaches(20, [(30, 168.00)]) == ["per_hour"]  # the adult rate is too much at 20
    assert breaches(20, [(30, 168.00)], agreed=False) == []


def test_the_age_reached_in_the_year_decides_the_hourly_cap() -> None:
    assert breaches(21, [(30, 99.01)]) == []
    assert breaches(20, [(30, 99.01)]) == ["per_hour"]


def test_an_allowance_without_hours_exceeds_the_hourly_cap_only_if_agreed() -> None:
    assert breaches(45, [(0, 10)]) == ["per_hour"]
    assert breaches(45, [(0, 0)]) == []
    assert breaches(45, [(0, 10)], agreed=False) == []


@pytest.mark.parametrize("age", [20, 21])
def test_without_an_agreed_rate_only_month_and_year_caps_hold(age: int) -> None:
    assert breaches(age, [(1, 210)], agreed=False) == []
    assert breaches(age, [(1, 210.01)], agreed=False) == ["per_month"]


def test_above_the_hourly_guide_alone_is_a_warning_not_a_verdict() -> None:
    year = year_of(30, [(30, 168.01)])
    assert year.above_guide and not year.taxable
    text = year.verdict()
    assert "richtlijn" in text and "kan de organisatie uitleggen" in text
    assert "€ 168,01 voor 30 uur, meer dan € 168" in text


def test_a_month_cap_breach_with_the_hourly_guide_is_taxable() -> None:
    year = year_of(30, [(30, 210.01)])
    assert [b.cap for b in year.breaches] == ["per_month", "per_hour"]
    assert year.taxable and year.above_guide
    assert "HELE vergoeding van € 210,01" in year.verdict()


@pytest.mark.parametrize("age", [20, 30])
def test_year_cap_at_and_just_over(age: int) -> None:
    twelve = [(100, 175.0)] * 12  # 12 × 175 = 2.100
    assert breaches(age, twelve) == []
    over = [*twelve[:-1], (100, 175.01)]
    assert breaches(age, over) == ["per_year"]


def test_two_places_in_one_month_are_summed() -> None:
    hours = HoursFile(
        id="anna-de-vries",
        statements=[
            {"month": "2025-05", "hours": 30, "allowance_paid": 110},
            {"month": "2025-05", "opportunity": "uitgifte", "hours": 30, "allowance_paid": 101},
        ],
    )
    (year,) = allowance_years(someone(30), hours, RULES)
    assert [b.cap for b in year.breaches] == ["per_month"]
    assert year.paid == 211


def test_the_verdict_says_the_whole_allowance_is_taxable() -> None:
    hours = HoursFile(
        id="anna-de-vries",
        statements=[
            {"month": "2025-01", "hours": 40, "allowance_paid": 175},
            {"month": "2025-02", "hours": 40, "allowance_paid": 215},
        ],
    )
    (year,) = allowance_years(someone(30), hours, RULES)
    assert year.taxable
    text = year.verdict()
    assert "HELE vergoeding van € 390" in text
    assert "februari 2025: € 215, meer dan € 210" in text


def test_within_the_caps_the_verdict_says_so() -> None:
    hours = HoursFile(
        id="anna-de-vries", statements=[{"month": "2025-01", "hours": 40, "allowance_paid": 175}]
    )
    (year,) = allowance_years(someone(30), hours, RULES)
    assert not year.taxable
    assert "binnen alle grenzen" in year.verdict()


def test_a_year_without_caps_is_reported_as_not_checked() -> None:
    hours = HoursFile(
        id="anna-de-vries", statements=[{"month": "2031-01", "hours": 1, "allowance_paid": 999}]
    )
    (year,) = allowance_years(someone(30), hours, RULES)
    assert not year.checked and not year.taxable
    assert "niet gecontroleerd" in year.verdict()


def test_the_example_casebook_shows_the_taxable_allowance_in_check() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLE_CASEBOOK), "--date", "2026-11-26"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "HELE vergoeding" in line]
    assert len(lines) == 1
    assert lines[0].startswith("samir-haddou")
    assert "juli 2026" in lines[0]


def test_the_example_hours_are_within_the_caps_but_one(example_book: Casebook) -> None:
    from toolkit.casebook.hours import allowance_report

    book = example_book
    assert {p.id for p in book.active()} == set(book.hours)
    taxable = [
        y.person_id for y in allowance_report(book.hours, book.people, book.rules) if y.taxable
    ]
    assert taxable == ["samir-haddou"]


def test_a_broken_person_file_is_reported_once(tmp_path: Path) -> None:
    broken = {**PLACED, "birth_year": "negentig"}
    root = casebook_with_hours(
        tmp_path, {"anna-de-vries": [statement()]}, people={"anna-de-vries": broken}
    )
    (problem,) = problems_of(root)
    assert "people/anna-de-vries.yaml" in problem and "birth_year" in problem
