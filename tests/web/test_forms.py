"""The forms derived from the models: which field becomes which widget, and numbers shown so
that they read back exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from toolkit.casebook.numbers import parse_number
from toolkit.casebook.records import Person
from toolkit.web.forms import Choices, dutch_number, form_fields


@given(st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False))
@example(Decimal("0.125"))
@example(Decimal("1.234"))
@example(Decimal("0.3333"))
@example(Decimal("50000"))
def test_a_number_shown_in_a_form_reads_back_as_the_same_number(value: Decimal) -> None:
    number = float(value)
    for group in (False, True):
        shown = dutch_number(number, group=group)
        assert parse_number(shown) == Decimal(repr(number)), shown


@given(st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False))
@example(Decimal("50000"))
def test_an_amount_shown_in_a_form_reads_back_as_that_amount(value: Decimal) -> None:
    shown = dutch_number(float(value), group=True)
    assert parse_number(shown, kind="amount") == value, shown


def test_whole_numbers_have_no_decimals_and_amounts_group_thousands() -> None:
    assert dutch_number(50000, group=True) == "50.000"
    assert dutch_number(50000.0, group=True) == "50.000"
    assert dutch_number(35.5) == "35,5"
    assert dutch_number(0.125) == "0,1250"


def test_the_person_form_follows_the_model() -> None:
    fields = {f.name: f for f in form_fields("people", Choices(districts=("Almere Haven",)))}
    # Every field a person's file may hold is in the form, but for the parts edited elsewhere.
    top = {name.split(".")[0] for name in fields}
    expected = {
        (info.alias or name) for name, info in Person.model_fields.items() if name != "id"
    } - {"placement", "placements", "status", "status_history"}
    assert top == expected
    assert fields["consent.photo_video"].widget == "flag"
    assert fields["situation"].widget == "checks" and fields["situation"].required
    assert fields["district"].choices == (("Almere Haven", "Almere Haven"),)
    assert fields["wishes.districts"].widget == "checks"
    assert fields["consent.data"].widget == "date"
    assert fields["consent.given"].widget == "flag"
    assert fields["availability.hours_per_week"].number_kind == "hours"
    assert fields["talents"].vocabulary == "talents"
    assert fields["notes"].widget == "textarea"
    session = {f.name: f for f in form_fields("sessions", Choices())}
    assert session["status"].widget == "select"
    assert [c for c, _text in session["status"].choices] == ["concept", "vastgesteld"]
    sponsor = {f.name: f for f in form_fields("sponsors", Choices())}
    assert sponsor["sroi_obligation"].number_kind == "amount"
    assert sponsor["sroi_deadline"].widget == "date"
