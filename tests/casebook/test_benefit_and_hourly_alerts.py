"""The rules as the Belastingdienst, UWV and the municipality apply them: WW needs UWV's
permission first, bijstand 27+ reports the allowance, the hourly cap holds only for an agreed
hourly rate and then as a guide, and figures nobody could confirm say so wherever they are used."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.helpers import EXAMPLE_CASEBOOK, dump_yaml, person, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.casebook.alerts import alerts_on, casebook_notices
from toolkit.casebook.rules import rules_for
from toolkit.cli import main
from toolkit.i18n import use_language

DAY = date(2024, 6, 1)  # the 2024 caps: € 5,50 an hour from 21, € 3,25 under 21 (confirmed)


def book_with(
    tmp_path: Path,
    record: dict[str, Any],
    hours: list[dict[str, Any]] | None = None,
    rules_year: int = 2024,
) -> Casebook:
    from tests.helpers import SETTINGS

    root = write_casebook(
        tmp_path / "cb",
        people={"p": record},
        settings={**SETTINGS, "rules_year": rules_year},
    )
    if hours is not None:
        dump_yaml(root / "hours" / "p.yaml", {"statements": hours})
    return load_casebook(root)


def codes(book: Casebook, day: date = DAY) -> dict[str, str]:
    with use_language("nl"):
        return {a.code: a.message for a in alerts_on(book, book.people["p"], day)}


def placed(**placement: Any) -> dict[str, Any]:
    return person(
        status="actief",
        placement={
            "opportunity": "keukenhulp",
            "start": "2024-01-01",
            "end": "2024-12-31",
            "allowance_per_year": 2100,
            **placement,
        },
    )


@pytest.mark.parametrize(("age", "code"), [(26, "bijstand_under_27"), (27, "bijstand_27_plus")])
def test_bijstand_alerts_turn_at_27(tmp_path: Path, age: int, code: str) -> None:
    book = book_with(tmp_path, person(situation=["bijstand"], birth_year=DAY.year - age))
    found = codes(book)
    assert code in found
    assert {"bijstand_under_27", "bijstand_27_plus"} - {code} & set(found) == set()
    if code == "bijstand_27_plus":
        assert "meld de vergoeding bij de gemeente" in found[code]


def test_ww_needs_uwv_permission_before_the_work_starts(tmp_path: Path) -> None:
    book = book_with(tmp_path, person(situation=["ww"]))
    assert "toestemming van UWV" in codes(book)["ww"]
    assert "vóórdat het begint" in codes(book)["ww"]
    without = book_with(tmp_path / "geen", person(situation=["geen"]))
    assert "ww" not in codes(without)


@pytest.mark.parametrize(
    ("age", "at_cap"),
    [(21, 5.50), (20, 3.25)],
)
def test_an_agreed_rate_above_the_guide_warns_at_and_just_over(
    tmp_path: Path, age: int, at_cap: float
) -> None:
    born = DAY.year - age
    at = book_with(tmp_path / "at", {**placed(allowance_per_hour=at_cap), "birth_year": born})
    assert "hourly_rate_above_guide" not in codes(at)
    over = book_with(
        tmp_path / "over",
        {**placed(allowance_per_hour=round(at_cap + 0.01, 2)), "birth_year": born},
    )
    message = codes(over)["hourly_rate_above_guide"]
    assert "richtlijn" in message and f"leeftijd {age}" in message
    assert "onbevestigd" not in message  # 2024 is confirmed


def test_an_agreed_rate_above_an_unconfirmed_guide_says_so(tmp_path: Path) -> None:
    record = placed(start="2026-01-01", end="2026-12-31", allowance_per_hour=5.76)
    book = book_with(tmp_path, {**record, "birth_year": 1990}, rules_year=2026)
    message = codes(book, date(2026, 6, 1))["hourly_rate_above_guide"]
    assert "€ 5,75" in message and "onbevestigd" in message


def test_the_loader_accepts_an_agreed_rate_above_the_guide(tmp_path: Path) -> None:
    book = book_with(tmp_path, placed(allowance_per_hour=9.0))  # warn, never refuse
    placement = book.people["p"].placement
    assert placement is not None and placement.allowance_per_hour == 9.0


@pytest.mark.parametrize("agreed", [True, False])
def test_hours_above_the_hourly_cap_warn_only_with_an_agreed_rate(
    tmp_path: Path, agreed: bool
) -> None:
    record = placed(allowance_per_hour=5.0) if agreed else placed()
    book = book_with(tmp_path, record, [{"month": "2024-03", "hours": 10, "allowance_paid": 55.01}])
    found = codes(book)
    assert "allowance_taxable" not in found
    assert ("allowance_above_hourly_guide" in found) is agreed


def test_the_month_cap_holds_with_or_without_an_agreed_rate(tmp_path: Path) -> None:
    for agreed, folder in ((True, "a"), (False, "b")):
        record = placed(allowance_per_hour=5.0) if agreed else placed()
        statements = [{"month": "2024-03", "hours": 100, "allowance_paid": 210.01}]
        book = book_with(tmp_path / folder, record, statements)
        assert "HELE vergoeding" in codes(book)["allowance_taxable"]


def test_unconfirmed_caps_say_so_with_the_reason(tmp_path: Path) -> None:
    statements = [{"month": "2026-03", "hours": 100, "allowance_paid": 230}]
    record = placed(start="2026-01-01", end="2026-12-31")
    book = book_with(tmp_path, record, statements, rules_year=2026)
    message = codes(book, date(2026, 6, 1))["allowance_taxable"]
    assert "onbevestigd" in message and "geen bron van de Belastingdienst" in message
    with use_language("nl"):
        assert any("onbevestigd" in n for n in casebook_notices(book))
    confirmed = book_with(tmp_path / "2024", placed(), [{**statements[0], "month": "2024-03"}])
    assert "onbevestigd" not in codes(confirmed)["allowance_taxable"]
    with use_language("nl"):
        assert not any("onbevestigd" in n for n in casebook_notices(confirmed))


def test_only_confirmed_figures_carry_no_caveat() -> None:
    assert rules_for(2024).allowance.caveat() == ""
    with use_language("nl"):
        assert rules_for(2026).allowance.caveat().startswith("onbevestigd: ")


def test_check_and_overzicht_of_the_example_say_the_2026_figures_are_unconfirmed() -> None:
    runner = CliRunner()
    for command in (["check"], ["overzicht", "--format", "md"]):
        result = runner.invoke(main, [*command, str(EXAMPLE_CASEBOOK), "--date", "26-11-2026"])
        assert result.exit_code == 0, result.output
        assert "onbevestigd" in result.output, command
