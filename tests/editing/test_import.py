"""Importing people and other records from spreadsheets: preview, every problem, all or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.editing.spreadsheets import ods_bytes, xlsx_bytes
from tests.helpers import write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.history import read_history
from toolkit.casebook.importing import import_records, preview_import, unique_id
from toolkit.errors import InvalidInputError

HEADERS = [
    "Naam",
    "Geboortejaar",
    "Wijk",
    "Telefoon",
    "E-mail",
    "Talenten",
    "Heeft BSN",
    "Situatie",
    "Toestemming gegevens",
    "Kleur schoenen",
]
FIRST = ["Sanne", "Daan", "Fleur", "Milan", "Noor", "Bram", "Lotte", "Thijs", "Eva", "Sem"]
LAST = ["Jansen", "Bakker", "Visser", "Smit"]


def people_rows(count: int = 40) -> list[list[Any]]:
    rows: list[list[Any]] = [HEADERS]
    for index in range(count):
        name = f"{FIRST[index % 10]} {LAST[index // 10]}"
        rows.append(
            [
                name,
                1960 + index,
                "Almere Haven" if index % 2 else "Almere Stad",
                612340000 + index,  # Excel drops the leading zero
                f"persoon{index}@example.nl",
                "koken, tuin",
                "ja",
                "geen",
                dt.date(2026, 11, 1),
                "blauw",
            ]
        )
    return rows


def with_three_bad_rows() -> list[list[Any]]:
    rows = people_rows()
    rows[5][2] = "Haven"  # district not spelled as the casebook does
    rows[12][1] = "negentienzestig"  # birth year not a number
    rows[30][0] = ""  # no name
    return rows


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_casebook(tmp_path / "cb")


def test_forty_people_from_excel(root: Path) -> None:
    preview = import_records(root, "people", xlsx_bytes(people_rows()), "deelnemers.xlsx")
    assert preview.ok
    assert preview.ignored == ["Kleur schoenen"]
    book = load_casebook(root)
    assert len(book.people) == 41
    sanne = book.people["sanne-jansen"]
    assert sanne.contact is not None and sanne.contact.phone == "0612340000"
    assert sanne.talents == ["koken", "tuinieren"]
    assert sanne.consent is not None and sanne.consent.data == dt.date(2026, 11, 1)
    history = read_history(root)
    assert len(history) == 40 and {c.action for c in history} == {"imported"}


def test_three_bad_rows_every_problem_per_row_and_column_and_nothing_written(root: Path) -> None:
    before = sorted(p.name for p in (root / "people").iterdir())
    preview = import_records(root, "people", xlsx_bytes(with_three_bad_rows()), "lijst.xlsx")
    assert not preview.ok
    located = {(p.row, p.column) for p in preview.problems}
    # Spreadsheet rows count the header as row 1.
    assert located == {(6, "Wijk"), (13, "Geboortejaar"), (31, "Naam")}
    district = next(p for p in preview.problems if p.column == "Wijk")
    assert "Almere Haven" in district.message
    assert sorted(p.name for p in (root / "people").iterdir()) == before
    assert read_history(root) == []


def test_an_ods_file(root: Path) -> None:
    preview = import_records(root, "people", ods_bytes(people_rows(5)), "lijst.ods")
    assert preview.ok, preview.problems
    assert len(load_casebook(root).people) == 6


def test_a_csv_from_dutch_excel(root: Path) -> None:
    lines = [
        "naam;geboortejaar;wijk;heeft bsn;situatie;uren per week",
        "Jan Smit;1970;Almere Buiten;nee;bijstand;35,5",
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8-sig")
    preview = import_records(root, "people", data, "lijst.csv")
    assert preview.ok, preview.problems
    jan = load_casebook(root).people["jan-smit"]
    assert jan.availability is not None and jan.availability.hours_per_week == 35.5


def test_possible_duplicates_are_flagged(root: Path) -> None:
    rows = [
        ["Naam", "Geboortejaar", "Wijk", "Heeft BSN", "Situatie"],
        ["Testpersoon Eenendertig", 1990, "Almere Stad", "ja", "geen"],
        ["Nieuw Iemand", 1980, "Almere Stad", "ja", "geen"],
        ["Nieuw Iemand", 1980, "Almere Stad", "ja", "geen"],
    ]
    preview = preview_import(root, "people", xlsx_bytes(rows), "x.xlsx")
    assert preview.rows[0].duplicates == ["anna-de-vries"]
    assert preview.rows[1].duplicates == []
    assert preview.rows[2].duplicates == ["nieuw-iemand"]
    assert preview.rows[2].record_id == "nieuw-iemand-2"
    assert not preview.ok
    allowed = preview_import(root, "people", xlsx_bytes(rows), "x.xlsx", allow_duplicates=True)
    assert allowed.ok


def test_a_mapping_for_other_headers(root: Path) -> None:
    rows = [
        ["Wie", "Jaar", "Waar", "Heeft BSN", "Situatie"],
        ["Piet Puk", 1975, "Almere Stad", "ja", "geen"],
    ]
    unmapped = preview_import(root, "people", xlsx_bytes(rows), "x.xlsx")
    assert not unmapped.ok
    mapping = {"Wie": "name", "Waar": "district"}
    preview = preview_import(root, "people", xlsx_bytes(rows), "x.xlsx", mapping=mapping)
    assert preview.columns["Wie"] == "name"
    assert preview.columns["Jaar"] == "birth_year"
    assert preview.ok, preview.problems


def test_sponsors_with_dutch_amounts(root: Path) -> None:
    rows = [
        ["Naam", "Sector", "SROI-verplichting", "Budget"],
        ["Bouwbedrijf Flevo", "bouw", "€ 50.000,00", 2],
        ["Zorg BV", "zorg", "50.000", 1],
    ]
    preview = import_records(root, "sponsors", xlsx_bytes(rows), "sponsors.xlsx")
    assert preview.ok, preview.problems
    book = load_casebook(root)
    assert book.sponsors["bouwbedrijf-flevo"].sroi_obligation == 50000
    assert book.sponsors["zorg-bv"].sroi_obligation == 50000


def test_not_a_spreadsheet(root: Path) -> None:
    with pytest.raises(InvalidInputError):
        preview_import(root, "people", b"PK\x03\x04 broken", "x.xlsx")
    with pytest.raises(InvalidInputError):
        preview_import(root, "people", b"hello", "x.pdf")


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("Fatima El Amrani", set(), "fatima-el-amrani"),
        ("Jürgen Ölçer", set(), "jurgen-olcer"),
        ("Jan", {"jan"}, "jan-2"),
        ("Jan", {"jan", "jan-2"}, "jan-3"),
        ("???", set(), "record"),
    ],
)
def test_ids_from_names(name: str, taken: set[str], expected: str) -> None:
    assert unique_id(name, taken) == expected


def test_a_dutch_date_in_a_text_cell_is_read_as_that_day(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={})
    data = (
        b"Naam;Geboortejaar;Wijk;Heeft BSN;Situatie;Toestemming\r\n"
        b"Jorien Dekker;1990;Almere Stad;ja;geen;5-3-2026\r\n"
        b"Kees Dekker;1991;Almere Stad;ja;geen;31-02-2026\r\n"
    )
    preview = preview_import(root, "people", data, "l.csv")
    assert "consent:\n  data: 2026-03-05" in preview.rows[0].text
    assert [p.field for p in preview.rows[1].problems] == ["consent.data"]


def test_two_columns_for_one_field_import_nothing(tmp_path: Path) -> None:
    root = write_casebook(tmp_path / "cb", people={})
    data = xlsx_bytes(
        [
            ["Naam", "Wie", "Geboortejaar", "Wijk", "Heeft BSN", "Situatie"],
            ["Ria Vos", "R. Vos", 1971, "Almere Stad", "ja", "geen"],
        ]
    )
    preview = import_records(root, "people", data, "l.xlsx", mapping={"Wie": "name"})
    assert not preview.ok and preview.doubled == {"name": ["Naam", "Wie"]}
    assert "Naam, Wie" in preview.doubled_message
    assert not (root / "people").exists() or not list((root / "people").iterdir())
    again = import_records(root, "people", data, "l.xlsx", mapping={"Wie": ""})
    assert again.ok and load_casebook(root).people["ria-vos"].name == "Ria Vos"
