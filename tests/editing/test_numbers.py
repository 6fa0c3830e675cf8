"""Dutch numbers: one parser for options, imports and forms; the 50.000 trap in YAML files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.helpers import person, sponsor, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.numbers import parse_number
from toolkit.errors import CasebookError, InvalidInputError


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("50.000", "amount", Decimal("50000")),
        ("€ 50.000,00", "amount", Decimal("50000")),
        ("€50.000,-", "amount", Decimal("50000")),
        ("EUR 1.234,56", "amount", Decimal("1234.56")),
        ("1.234,56", "number", Decimal("1234.56")),
        ("35,5", "hours", Decimal("35.5")),
        ("35,5 uur", "hours", Decimal("35.5")),
        ("12", "hours", Decimal("12")),
        ("1.000.000", "amount", Decimal("1000000")),
        ("0,5", "number", Decimal("0.5")),
        ("\u00a050.000\u00a0", "amount", Decimal("50000")),
        ("€\u00a050\u202f000,50", "amount", Decimal("50000.50")),
        ("50 000", "amount", Decimal("50000")),
        (12, "number", Decimal("12")),
        (35.5, "hours", Decimal("35.5")),
    ],
)
def test_dutch_numbers_are_read(text: str, kind: str, expected: Decimal) -> None:
    assert parse_number(text, kind=kind) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("1.5", ["15", "1,5"]),
        ("12.50", ["1.250", "12,5"]),
        ("1,234", ["1234", "1,234"]),
        ("1,234.56", ["1.234,56"]),
        ("50.5", ["505", "50,5"]),
    ],
)
def test_ambiguous_numbers_are_refused_with_both_readings(text: str, readings: list[str]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_number(text, kind="amount")
    for reading in readings:
        assert reading in str(caught.value)


@pytest.mark.parametrize(
    "text", ["", "  ", "vijftig", "50 euro 20", "1e5", "--5", "€", "NaN", "1 5", "50 00", "5 000 0"]
)
def test_what_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_number(text, kind="amount")


def test_an_amount_has_at_most_two_decimals() -> None:
    with pytest.raises(InvalidInputError):
        parse_number("12,3456", kind="amount")
    assert parse_number("12,3456", kind="hours") == Decimal("12.3456")


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(InvalidInputError):
        parse_number(True)  # type: ignore[arg-type]


@given(
    st.decimals(
        min_value=Decimal("-1e12"),
        max_value=Decimal("1e12"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
@settings(deadline=None)
@example(Decimal("50000"))
@example(Decimal("1234.56"))
@example(Decimal("0.5"))
@example(Decimal("1000.5"))
def test_a_number_written_the_dutch_way_reads_back(value: Decimal) -> None:
    text = format_decimal(value, format="#,##0.##", locale="nl")
    assert parse_number(text, kind="amount") == value
    euro = "€ " + format_decimal(value, format="#,##0.00", locale="nl")
    assert parse_number(euro, kind="amount") == value


def _casebook_with_sponsor(tmp_path: Path, obligation_line: str) -> Path:
    root = write_casebook(tmp_path / "cb", sponsors={"bouw": sponsor()})
    path = root / "sponsors" / "bouw.yaml"
    path.write_text(path.read_text(encoding="utf-8") + obligation_line + "\n", encoding="utf-8")
    return root


def test_fifty_thousand_with_a_dot_in_yaml_is_an_error_with_the_fix(tmp_path: Path) -> None:
    root = _casebook_with_sponsor(tmp_path, "sroi_obligation: 50.000   # vijftigduizend")
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    (problem,) = caught.value.problems
    path = root / "sponsors" / "bouw.yaml"
    assert problem.file == path
    assert problem.field == "sroi_obligation"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert problem.line is not None and lines[problem.line - 1].startswith("sroi_obligation")
    assert "50000" in problem.message
    assert "'50.000'" in problem.message
    assert "gelezen als 50," in problem.message


def test_the_trap_names_the_small_reading(tmp_path: Path) -> None:
    root = _casebook_with_sponsor(tmp_path, "sroi_obligation: 1.500")
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    (problem,) = caught.value.problems
    assert "gelezen als 1,5, niet als 1500" in problem.message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("sroi_obligation: '50.000'", 50000),
        ('sroi_obligation: "€ 50.000,00"', 50000),
        ("sroi_obligation: 50000", 50000),
        ("sroi_obligation: 50.5", 50.5),
    ],
)
def test_amounts_written_otherwise_are_read_as_meant(
    tmp_path: Path, line: str, expected: float
) -> None:
    root = _casebook_with_sponsor(tmp_path, line)
    assert load_casebook(root).sponsors["bouw"].sroi_obligation == expected


def test_placement_amount_in_dutch_thousands_is_trapped_with_its_path(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    path = root / "people" / "anna-de-vries.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: kandidaat", "status: gestopt")
        + "placement:\n  opportunity: keukenhulp\n  start: 2025-01-01\n"
        "  end: 2025-06-30\n  allowance_per_year: 2.100\n",
        encoding="utf-8",
    )
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    fields = [p.field for p in caught.value.problems]
    assert "placement.allowance_per_year" in fields


def test_hours_with_a_decimal_comma_in_yaml_are_accepted(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        people={"anna": person(availability={"hours_per_week": "35,5", "days": ["ma"]})},
    )
    book = load_casebook(root)
    assert book.people["anna"].availability is not None
    assert book.people["anna"].availability.hours_per_week == 35.5


def test_hours_unquoted_decimal_comma_in_yaml_text(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    path = root / "people" / "anna-de-vries.yaml"
    text = path.read_text(encoding="utf-8")
    assert "hours_per_week: 8" in text
    path.write_text(text.replace("hours_per_week: 8", "hours_per_week: 35,5"), encoding="utf-8")
    book = load_casebook(root)
    assert book.people["anna-de-vries"].availability is not None
    assert book.people["anna-de-vries"].availability.hours_per_week == 35.5
