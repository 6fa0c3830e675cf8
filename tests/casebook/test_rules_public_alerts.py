"""Rule data, the public view and the coordinator's alerts."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import EXAMPLE_CASEBOOK, person, write_casebook
from toolkit.casebook import load_casebook, rules_for
from toolkit.casebook.alerts import casebook_alerts
from toolkit.casebook.public import PublicPerson, age_band, pseudonyms, public_view
from toolkit.casebook.records import Person
from toolkit.casebook.rules import known_years, rule_data
from toolkit.errors import InvalidInputError


def test_rule_data_has_every_year_with_a_source() -> None:
    data = rule_data()
    assert known_years() == [2023, 2024, 2025, 2026]
    for caps in data.allowance.values():
        assert caps.source
        assert caps.per_hour_under_21 < caps.per_hour_21_plus
        assert caps.per_month * 12 >= caps.per_year
    assert data.overhead_per_year.source and data.sroi_credit_per_year.source


def test_the_figures_of_the_seed() -> None:
    rules = rules_for(2024)
    assert rules.allowance.per_year == 2100
    assert rules.overhead_per_year.value == 400
    assert rules.sponsor_cost_per_year == 2500
    assert rules.sroi_credit_per_year.value == 5000
    assert rules.allowance.per_hour(20) == rules.allowance.per_hour_under_21
    assert rules.allowance.per_hour(21) == rules.allowance.per_hour_21_plus


def test_a_casebook_overrides_the_rules(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        settings={
            "name": "x",
            "rules_year": 2025,
            "sroi_credit_per_year": 4000,
            "overhead_per_year": 500,
            "allowance_caps": {"per_year": 1800},
        },
        people={"p": person(district="Ergens")},
        opportunities={},
        organisations={},
    )
    rules = load_casebook(root).rules
    assert rules.sroi_credit_per_year.value == 4000
    assert rules.sponsor_cost_per_year == 2100 + 500
    assert rules.allowance.per_year == 1800
    assert rules.allowance.per_month == 210
    assert "casebook.yaml" in rules.allowance.source


def test_an_unknown_rules_year_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="2019"):
        rules_for(2019)


@pytest.mark.parametrize(
    ("birth_year", "band"),
    [(2006, "onder 21"), (2005, "21-26"), (1999, "27-35"), (1959, "67+"), (1960, "56-66")],
)
def test_age_bands_keep_the_ages_the_rules_turn_on(birth_year: int, band: str) -> None:
    assert age_band(birth_year, 2026) == band


PERSONAL_VALUES = ("Fatima El Amrani", "06-12345678", "fatima@example.nl", "1988", "geheim")


def test_no_personal_field_can_reach_the_public_view(tmp_path: Path) -> None:
    secret = person(
        name="Fatima El Amrani",
        contact={"phone": "06-12345678", "email": "fatima@example.nl"},
        birth_year=1988,
        situation=["pgb", "dagbesteding"],
        notes="geheim: schulden",
    )
    book = load_casebook(write_casebook(tmp_path / "cb", people={"fatima-el-amrani": secret}))
    view = public_view(book, book.people["fatima-el-amrani"], 2026)
    text = repr(dataclasses.asdict(view))
    for value in (*PERSONAL_VALUES, "fatima-el-amrani", "pgb", "dagbesteding"):
        assert value not in text
    public_fields = {f.name for f in dataclasses.fields(PublicPerson)}
    assert not public_fields & (Person.PERSONAL_FIELDS | Person.SPECIAL_CATEGORY_FIELDS)


def test_pseudonyms_are_stable_unique_and_never_a_real_first_name() -> None:
    first = load_casebook(EXAMPLE_CASEBOOK)
    second = load_casebook(EXAMPLE_CASEBOOK)
    names = pseudonyms(first)
    assert names == pseudonyms(second)
    assert len(set(names.values())) == len(names)
    real_first = {p.name.split()[0].lower() for p in first.people.values()}
    assert not {n.lower() for n in names.values()} & real_first


@settings(max_examples=25, deadline=None)
@given(
    ids=st.lists(
        st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
        min_size=1,
        max_size=160,
        unique=True,
    ),
    salt=st.text(min_size=1, max_size=8),
)
def test_pseudonyms_stay_unique_even_beyond_the_pool(
    tmp_path_factory: pytest.TempPathFactory, ids: list[str], salt: str
) -> None:
    from toolkit.casebook.casebook import Casebook
    from toolkit.casebook.settings import Settings

    people = {
        pid: Person.model_validate({**person(name=f"Persoon {i}"), "id": pid})
        for i, pid in enumerate(ids)
    }
    book = Casebook(
        root=Path("."),
        settings=Settings(name="x", pseudonym_salt=salt),
        rules=rules_for(2025),
        people=people,
        opportunities={},
        organisations={},
        sponsors={},
        sessions={},
    )
    names = pseudonyms(book)
    assert set(names) == set(ids)
    assert len(set(names.values())) == len(ids)


def test_alerts_name_the_right_people_in_the_example() -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    alerts = casebook_alerts(book, date(2026, 11, 26))
    by_code: dict[str, set[str]] = {}
    for alert in alerts:
        by_code.setdefault(alert.code, set()).add(alert.person_id)
    people = book.people.values()
    current = [p for p in people if p.status != "gestopt"]
    assert by_code["no_bsn"] == {p.id for p in current if not p.has_bsn}
    assert by_code["asylum_seeker"] == {p.id for p in current if "asielzoeker" in p.situation}
    assert by_code["pgb"] == {p.id for p in current if "pgb" in p.situation}
    assert by_code["wajong"] == {p.id for p in current if "wajong" in p.situation}
    assert by_code["bijstand_under_27"] == {
        p.id for p in current if "bijstand" in p.situation and 2026 - p.birth_year < 27
    }
    assert by_code["bijstand_27_plus"] == {
        p.id for p in current if "bijstand" in p.situation and 2026 - p.birth_year >= 27
    }
    assert by_code["ww"] == {p.id for p in current if "ww" in p.situation}
    assert by_code["no_consent"] == {p.id for p in current if p.consent is None}
    assert by_code["agreement_ending"] == {
        p.id
        for p in book.active()
        if p.placement and p.placement.end and p.placement.end <= date(2027, 1, 25)
    }
    assert by_code["agreement_ending"]


def test_an_ended_agreement_of_an_active_person_is_flagged(tmp_path: Path) -> None:
    placement = {
        "opportunity": "keukenhulp",
        "start": "2024-01-01",
        "end": "2024-12-31",
        "allowance_per_year": 2100,
    }
    root = write_casebook(
        tmp_path / "cb", people={"p": person(status="actief", placement=placement)}
    )
    book = load_casebook(root)
    codes = {a.code for a in casebook_alerts(book, date(2025, 3, 1))}
    assert "agreement_ended" in codes
    codes = {a.code for a in casebook_alerts(book, date(2024, 12, 1))}
    assert "agreement_ending" in codes and "agreement_ended" not in codes
    codes = {a.code for a in casebook_alerts(book, date(2024, 10, 1))}
    assert not codes & {"agreement_ending", "agreement_ended"}
