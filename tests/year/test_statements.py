"""Hours statements: each cap at and just over its limit, under and over 21, with and without an
agreed hourly rate; each benefit rule; the states ingediend → goedgekeurd."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_CASEBOOK
from tests.year.yearbook import DAY, YEAR, snapshot, write_yearbook
from toolkit.casebook import load_casebook
from toolkit.casebook.placements import place
from toolkit.casebook.rules import rules_for
from toolkit.casebook.statements import (
    approve_statement,
    benefit_rules,
    check_statement,
    record_statement,
)
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError

CAPS = rules_for(YEAR).allowance
CENT = 0.01


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_yearbook(tmp_path / "cb")


def codes(check: object) -> set[str]:
    return {f.code for f in check.findings}  # type: ignore[attr-defined]


def test_the_cap_per_month_at_and_just_over(root: Path) -> None:
    book = load_casebook(root)
    at = check_statement(book, "gijs", f"{YEAR}-02", 100, amount=CAPS.per_month)
    over = check_statement(book, "gijs", f"{YEAR}-02", 100, amount=CAPS.per_month + CENT)
    assert "per_month" not in codes(at) and not at.over_cap
    assert {"per_month", "taxable"} <= codes(over) and over.over_cap
    taxable = next(f for f in over.findings if f.code == "taxable")
    assert "HELE vergoeding" in taxable.message and taxable.level == "warning"


def test_the_cap_per_year_so_far_at_and_just_over(root: Path) -> None:
    months = int(CAPS.per_year // CAPS.per_month)
    rest = round(CAPS.per_year - months * CAPS.per_month, 2)
    for month in range(1, months + 1):
        record_statement(root, "gijs", f"{YEAR}-{month:02d}", 100, amount=CAPS.per_month)
    book = load_casebook(root)
    next_month = f"{YEAR}-{months + 1:02d}"
    at = check_statement(book, "gijs", next_month, 100, amount=rest)
    over = check_statement(book, "gijs", next_month, 100, amount=rest + CENT)
    assert at.year_total == CAPS.per_year and "per_year" not in codes(at)
    assert {"per_year", "taxable"} <= codes(over)


@pytest.mark.parametrize(
    ("person_id", "hourly"),
    [("bram", CAPS.per_hour_under_21), ("anna", CAPS.per_hour_21_plus)],
    ids=["under-21", "21-plus"],
)
def test_the_cap_per_hour_with_an_agreed_rate_is_a_limit(
    root: Path, person_id: str, hourly: float
) -> None:
    place(root, person_id, "uitgifte", by="C", day=dt.date(YEAR, 1, 1), hourly_rate=hourly)
    book = load_casebook(root)
    hours = 20
    at = check_statement(book, person_id, f"{YEAR}-03", hours, amount=round(hours * hourly, 2))
    over = check_statement(
        book, person_id, f"{YEAR}-03", hours, amount=round(hours * hourly + CENT, 2)
    )
    assert "per_hour" not in codes(at) and not at.over_cap
    assert {"per_hour", "taxable"} <= codes(over)
    # By default the amount is the agreed rate × hours: within the cap.
    assert check_statement(book, person_id, f"{YEAR}-03", hours).amount == round(hours * hourly, 2)


@pytest.mark.parametrize(
    ("person_id", "hourly"),
    [("bram", CAPS.per_hour_under_21), ("anna", CAPS.per_hour_21_plus)],
    ids=["under-21", "21-plus"],
)
def test_without_an_agreed_rate_the_hourly_cap_is_a_guide_not_a_refusal(
    root: Path, person_id: str, hourly: float
) -> None:
    place(root, person_id, "uitgifte", by="C", day=dt.date(YEAR, 1, 1))
    book = load_casebook(root)
    hours = 20
    at = check_statement(book, person_id, f"{YEAR}-03", hours, amount=round(hours * hourly, 2))
    over = check_statement(
        book, person_id, f"{YEAR}-03", hours, amount=round(hours * hourly + CENT, 2)
    )
    assert "hourly_guide" not in codes(at)
    assert "hourly_guide" in codes(over)
    assert not over.over_cap and "taxable" not in codes(over)
    guide = next(f for f in over.findings if f.code == "hourly_guide")
    assert guide.level == "guide" and "richtlijn" in guide.message
    # Entering it is not refused.
    record_statement(root, person_id, f"{YEAR}-03", hours, amount=round(hours * hourly + CENT, 2))


def test_the_age_decides_the_hourly_cap_by_the_year_reached(root: Path) -> None:
    # Bram turns 20 next year and 21 the year after: the higher cap from the year he turns 21.
    book = load_casebook(root)
    assert book.people["bram"].age_in(YEAR) < 21 <= book.people["bram"].age_in(YEAR + 2)


@pytest.mark.parametrize(
    ("person_id", "code", "words"),
    [
        ("cora", "wajong", "UWV"),
        ("dirk", "ww", "toestemming"),
        ("eva", "bijstand_under_27", "ingehouden"),
        ("frits", "bijstand_27_plus", "gemeente"),
    ],
)
def test_each_benefit_rule(root: Path, person_id: str, code: str, words: str) -> None:
    book = load_casebook(root)
    person = book.people[person_id]
    (finding,) = benefit_rules(person, YEAR)
    assert finding.code == code and words in finding.message
    place(root, person_id, "uitgifte", by="C", day=dt.date(YEAR, 1, 1))
    check = check_statement(load_casebook(root), person_id, f"{YEAR}-02", 20)
    assert code in codes(check)


def test_no_benefit_no_benefit_rule(root: Path) -> None:
    assert benefit_rules(load_casebook(root).people["anna"], YEAR) == []


def test_bijstand_age_27_is_reached_in_the_year(root: Path) -> None:
    eva = load_casebook(root).people["eva"]  # 25 this year, 27 two years on
    assert benefit_rules(eva, YEAR + 2)[0].code == "bijstand_27_plus"


def test_entered_then_approved_then_fixed(root: Path) -> None:
    check = record_statement(root, "gijs", f"{YEAR}-02", 30)
    assert check.amount == round(2100 / 12, 2)
    record_statement(root, "gijs", f"{YEAR}-02", 32, amount=180)  # a correction replaces it
    (statement,) = load_casebook(root).hours["gijs"].statements
    assert (statement.hours, statement.allowance_paid, statement.state) == (32, 180, "ingediend")
    approved = approve_statement(root, "gijs", f"{YEAR}-02", by="Coördinator", day=DAY)
    assert (approved.state, approved.approved_by, approved.approved_on) == (
        "goedgekeurd",
        "Coördinator",
        DAY,
    )
    before = snapshot(root)
    with pytest.raises(ConflictError):
        record_statement(root, "gijs", f"{YEAR}-02", 40)
    with pytest.raises(ConflictError):
        approve_statement(root, "gijs", f"{YEAR}-02", by="C", day=DAY)
    assert snapshot(root) == before


def test_refusals_for_bad_entries(root: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"JJJJ-MM|YYYY-MM"):
        record_statement(root, "gijs", "februari", 30)
    with pytest.raises(InvalidInputError):
        record_statement(root, "gijs", f"{YEAR}-02", -1)
    with pytest.raises(InvalidInputError):
        record_statement(root, "gijs", f"{YEAR}-02", 10, amount=-5)
    with pytest.raises(InvalidInputError, match="geen plaatsing"):
        record_statement(root, "gijs", f"{YEAR + 1}-02", 10)
    with pytest.raises(InvalidInputError, match="geen plaatsing"):
        record_statement(root, "anna", f"{YEAR}-02", 10)
    with pytest.raises(NotFoundError):
        approve_statement(root, "gijs", f"{YEAR}-02", by="C", day=DAY)
    record_statement(root, "gijs", f"{YEAR}-05", 10)
    with pytest.raises(InvalidInputError):
        approve_statement(root, "gijs", f"{YEAR}-05", by="C", day=dt.date(YEAR, 4, 30))


def test_an_entry_in_the_example_casebook_touches_one_file_and_the_history(
    tmp_path: Path,
) -> None:
    root = tmp_path / "cb"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    before = snapshot(root)
    record_statement(root, "anouk-de-graaf", "2026-11", 40, by="coordinator")
    after = snapshot(root)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"hours/anouk-de-graaf.yaml", "history.jsonl"}
    assert (
        b'"by": "coordinator", "folder": "hours", "id": "anouk-de-graaf"' in after["history.jsonl"]
    )
    assert after["hours/anouk-de-graaf.yaml"].startswith(before["hours/anouk-de-graaf.yaml"])


def test_a_refused_entry_names_the_field_for_a_form(root: Path) -> None:
    book = load_casebook(root)
    for args, field in (
        (("2025-13", 10), "month"),
        ((f"{YEAR}-02", 800), "hours"),
        ((f"{YEAR}-02", 10, -1), "amount"),
        ((f"{YEAR + 1}-02", 10), "month"),
    ):
        with pytest.raises(InvalidInputError) as caught:
            check_statement(book, "gijs", *args)  # type: ignore[arg-type]
        assert caught.value.field == field


def test_two_places_in_one_month_are_summed(root: Path) -> None:
    hourly = CAPS.per_hour_21_plus
    place(root, "gijs", "chauffeur", by="C", day=dt.date(YEAR, 7, 16), hourly_rate=hourly)
    record_statement(root, "gijs", f"{YEAR}-07", 20, amount=100, opportunity="keukenhulp")
    book = load_casebook(root)
    old = check_statement(book, "gijs", f"{YEAR}-07", 20, amount=100, opportunity="keukenhulp")
    assert old.opportunity == "keukenhulp"
    new = check_statement(book, "gijs", f"{YEAR}-07", 20, opportunity="chauffeur")
    assert new.opportunity == "chauffeur" and new.amount == round(20 * hourly, 2)
    assert new.month_total == round(100 + 20 * hourly, 2)
    assert "per_month" in codes(new)  # summed over both places
    assert "per_hour" not in codes(new)  # 40 hours in the month carry the amount
    with pytest.raises(NotFoundError):
        check_statement(book, "gijs", f"{YEAR}-07", 20, opportunity="bestaat-niet")


def test_a_placement_that_touches_a_month_by_one_day_covers_it(root: Path) -> None:
    place(root, "anna", "uitgifte", by="C", day=dt.date(YEAR, 1, 31), end=dt.date(YEAR, 3, 1))
    book = load_casebook(root)
    for month in ("01", "03"):
        assert check_statement(book, "anna", f"{YEAR}-{month}", 4).opportunity == "uitgifte"
    with pytest.raises(InvalidInputError):
        check_statement(book, "anna", f"{YEAR}-04", 4)


def test_approving_takes_the_named_month_only_from_its_first_day(root: Path) -> None:
    record_statement(root, "gijs", f"{YEAR}-02", 10)
    record_statement(root, "gijs", f"{YEAR}-03", 12)
    approve_statement(root, "gijs", f"{YEAR}-03", by="C", day=dt.date(YEAR, 3, 1))
    states = {s.month: s.state for s in load_casebook(root).hours["gijs"].statements}
    assert states == {f"{YEAR}-02": "ingediend", f"{YEAR}-03": "goedgekeurd"}
