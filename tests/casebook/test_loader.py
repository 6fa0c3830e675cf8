"""Loading casebooks: the example, each kind of bad file, and every cross-record problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import (
    EXAMPLE_CASEBOOK,
    dump_yaml,
    opportunity,
    person,
    sponsor,
    write_casebook,
)
from toolkit.casebook import load_casebook
from toolkit.errors import CasebookError
from toolkit.i18n import set_language


def problems_of(root: Path) -> list[str]:
    with pytest.raises(CasebookError) as caught:
        load_casebook(root)
    return [str(p) for p in caught.value.problems]


def test_example_casebook_loads_with_the_required_coverage() -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    assert len(book.people) >= 30
    assert len(book.opportunities) >= 20
    organisations_with_places = {o.organisation for o in book.opportunities.values()}
    assert len(organisations_with_places) >= 12
    assert len(book.sponsors) == 5
    situations = {s for p in book.people.values() for s in p.situation}
    assert situations == {
        "dagbesteding", "wajong", "wmo", "pgb", "bijstand",
        "inburgering", "asielzoeker", "statushouder", "ww", "geen",
    }  # fmt: skip
    ages = [p.age_in(2026) for p in book.people.values()]
    assert any(a < 21 for a in ages) and any(a >= 21 for a in ages)
    bijstand_ages = [p.age_in(2026) for p in book.people.values() if "bijstand" in p.situation]
    assert any(a < 27 for a in bijstand_ages) and any(a >= 27 for a in bijstand_ages)
    assert any(not p.has_bsn for p in book.people.values())
    assert any("rolstoeltoegankelijk" in p.needs for p in book.people.values())
    avoided = {s for p in book.people.values() for s in p.avoid_sectors}
    assert any(s.sector_tag in avoided for s in book.sponsors.values())
    assert any(s.sroi_obligation for s in book.sponsors.values())
    unsponsored_active = [
        p for p in book.active() if p.placement is not None and p.placement.sponsor is None
    ]
    assert len(unsponsored_active) == 3
    evening = book.sessions["dialoogavond-4"]
    assert evening.attendance.total == 38
    assert len(evening.programme) == 5
    assert evening.next is not None and evening.next.goal_count == 20


def test_tags_are_normalised_through_case_accents_and_synonyms(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        people={"anna": person(talents=[" Keuken ", "TUINIEREN", "hygiëne", "koken"])},
    )
    book = load_casebook(root)
    assert book.people["anna"].talents == ["koken", "tuinieren", "hygiene"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "leeg"),
        (b"   \n# alleen commentaar\n", "leeg"),
        (b"name: [unclosed\n", "niet goed afgesloten"),
        (b"- a\n- b\n", "een lijst"),
        (b"just text\n", "losse waarde"),
        (b"name: a\n\tbirth_year: 1990\n", "tab"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "geen tekstbestand"),
        (b"name: Jos\xe9\n", "UTF-8"),
        (b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "Ankers en aliassen"),
        (b"name: a\nname: b\n", "twee keer"),
        (b"name: " + b"[" * 40 + b"]" * 40 + b"\n", "te diep"),
    ],
)
def test_each_kind_of_broken_file_gets_a_plain_message(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    root = write_casebook(tmp_path / "cb")
    (root / "people" / "kapot.yaml").write_bytes(content)
    problems = problems_of(root)
    assert len(problems) == 1
    assert "kapot.yaml" in problems[0]
    assert expected in problems[0]


def test_a_file_too_large_is_refused(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    (root / "people" / "groot.yaml").write_text("notes: " + "x" * (1024 * 1024 + 10))
    assert "te groot" in problems_of(root)[0]


def test_a_missing_casebook_folder_is_reported(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "nergens")
    assert "bestaat niet" in problems[0]


def test_one_of_each_error_kind_is_reported_all_together_with_file_line_and_field(
    tmp_path: Path,
) -> None:
    root = write_casebook(
        tmp_path / "cb",
        people={
            "typo": person(talent=["koken"]),
            "wrong-type": person(birth_year="negentien"),
            "bad-enum": person(status="werkend"),
            "bad-date": person(consent={"data": "2024-02-30"}),
            "dangling": person(
                status="actief",
                placement={
                    "opportunity": "bestaat-niet",
                    "sponsor": "geen-sponsor",
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "allowance_per_year": 2100,
                },
            ),
            "over-cap": person(
                status="actief",
                placement={
                    "opportunity": "vol",
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "allowance_per_year": 2500,
                },
            ),
            "also-placed": person(
                status="actief",
                placement={
                    "opportunity": "vol",
                    "sponsor": "krap",
                    "start": "2024-01-01",
                    "end": "2025-12-31",
                    "allowance_per_year": 2100,
                },
            ),
        },
        opportunities={
            "vol": opportunity(slots=1),
            "wees": opportunity(organisation="onbekende-organisatie"),
        },
        sponsors={"krap": sponsor(budget_person_years=1)},
        sessions={
            "avond": {
                "kind": "dialoogavond",
                "title": "Avond",
                "date": "2024-10-23",
                "tables": [{"theme": "Test", "cases": ["niemand"]}],
            }
        },
    )
    (root / "people" / "Hoofdletter.yaml").write_text("name: x\n")
    text = "\n".join(problems_of(root))
    expectations = [
        ("typo.yaml:", "[talent]", "onbekend veld 'talent'", "bedoelt u 'talents'"),
        ("wrong-type.yaml:", "[birth_year]", "geheel getal"),
        (
            "bad-enum.yaml:",
            "[status]",
            "'werkend' is niet toegestaan",
            "aanmelding, intake, kandidaat, voorgesteld, actief, gestopt",
        ),
        ("bad-date.yaml:", "[consent.data]", "geen geldige datum"),
        ("dangling.yaml:", "[placement.opportunity]", "bestaat-niet"),
        ("dangling.yaml:", "[placement.sponsor]", "geen-sponsor"),
        ("over-cap.yaml:", "[placement.allowance_per_year]", "€ 2.500", "€ 2.100"),
        ("vol.yaml:", "[slots]", "maar 1 plaats"),
        ("krap.yaml:", "[budget_person_years]", "meer dan het budget"),
        ("wees.yaml:", "[organisation]", "onbekende-organisatie"),
        ("avond.yaml:", "[tables[1].cases[1]]", "niemand"),
        ("Hoofdletter.yaml", "geen geldige id"),
    ]
    for expected in expectations:
        matching = [line for line in text.splitlines() if all(part in line for part in expected)]
        assert matching, f"no problem line with {expected} in:\n{text}"


def test_problems_carry_line_numbers_of_the_field(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    (root / "people" / "lijn.yaml").write_text(
        "name: Test\nbirth_year: 1990\ndistrict: Almere Stad\nhas_bsn: ja\n"
        "situation: [geen]\nstatus: kandidaat\nwishes:\n  causes: [a]\n  max_travel_km: -3\n"
    )
    (problem,) = problems_of(root)
    assert "lijn.yaml:9 [wishes.max_travel_km]" in problem
    assert "moet meer zijn dan 0" in problem


def test_a_record_in_the_wrong_folder_is_pointed_to_its_folder(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    dump_yaml(root / "people" / "keuken-extra.yaml", opportunity())
    text = "\n".join(problems_of(root))
    assert "hoort in de map opportunities/" in text


def test_a_stray_file_at_the_top_is_reported(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb")
    dump_yaml(root / "fatima.yaml", person())
    assert "hoort niet bij het casebook-formaat" in problems_of(root)[0]


def test_unknown_district_is_an_error_with_the_known_ones(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={"p": person(district="Almere Centrum")})
    (problem,) = problems_of(root)
    assert "Almere Centrum" in problem and "Almere Haven" in problem


def test_dutch_yes_no_is_accepted(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={"p": person(has_bsn="nee")})
    assert load_casebook(root).people["p"].has_bsn is False


def test_geen_stands_alone_and_actief_needs_a_placement(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        people={
            "a": person(situation=["geen", "wajong"]),
            "b": person(status="actief"),
        },
    )
    text = "\n".join(problems_of(root))
    assert "'geen' kan niet samen" in text
    assert "geen plaatsing" in text


def test_messages_are_in_english_on_request(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={"p": person(status="werkend")})
    set_language("en")
    (problem,) = problems_of(root)
    assert "'werkend' is not allowed; choose one of" in problem


def test_weights_all_zero_are_refused(tmp_path: Path) -> None:
    root = write_casebook(
        tmp_path / "cb",
        settings={"name": "x", "weights": {"talents": 0, "wishes": 0, "values": 0}},
    )
    assert "allemaal nul" in problems_of(root)[0]


def test_an_id_field_in_a_file_is_refused(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={"p": person(id="p")})
    assert "bestandsnaam" in problems_of(root)[0]
