"""The privacy guard on the verslag: each kind of leak stops it, and says where and what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers import person, session, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.reports.privacy import PrivacyError, passes_eleven_test
from toolkit.reports.verslag import VerslagOptions, render_verslag

PEOPLE = {
    "anna-de-vries": person(
        name="Anna de Vries",
        contact={"phone": "06-98765432", "email": "anna@voorbeeld.nl"},
    ),
    "joke-van-der-meer": person(name="Joke van der Meer"),
}


def book_with(tmp_path: Path, **fields: Any) -> Casebook:
    return load_casebook(
        write_casebook(tmp_path / "cases", people=PEOPLE, sessions={"avond": session(**fields)})
    )


def leak(tmp_path: Path, fmt: str = "md", **fields: Any) -> PrivacyError:
    book = book_with(tmp_path, **fields)
    with pytest.raises(PrivacyError) as caught:
        render_verslag(book, "avond", VerslagOptions(format=fmt))
    return caught.value


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_persons_name_in_a_finding(tmp_path: Path, fmt: str) -> None:
    error = leak(
        tmp_path,
        fmt,
        tables=[{"theme": "Dagbesteding", "findings": ["Anna de Vries vertelde over haar werk."]}],
    )
    message = str(error)
    assert "sessions/avond.yaml [tables[1].findings[1]]" in message
    assert "'A*** d* V****'" in message
    assert "Anna" not in message and "Vries" not in message
    assert [f.field for f in error.findings] == ["tables[1].findings[1]"]


def test_a_name_spelled_without_its_middle_words_or_accents(tmp_path: Path) -> None:
    error = leak(tmp_path, closing="Dank aan JOKE MEER voor de koffie.")
    assert [(f.field, f.masked) for f in error.findings] == [("closing", "J*** M***")]


def test_a_phone_number(tmp_path: Path) -> None:
    error = leak(tmp_path, informal="Bel voor een afspraak 06 1234 5678.")
    assert [(f.field, f.kind, f.masked) for f in error.findings] == [
        ("informal", "telefoonnummer", "0* 1*** 5***")
    ]
    assert "1234" not in str(error) and "5678" not in str(error)


def test_a_persons_own_phone_number_is_named_as_theirs_once(tmp_path: Path) -> None:
    error = leak(tmp_path, actions=[{"what": "Terugbellen op 06-98765432"}])
    assert [(f.field, f.kind, f.masked) for f in error.findings] == [
        ("actions[1].what", "telefoon", "0**********")
    ]


def test_an_email_address(tmp_path: Path) -> None:
    error = leak(tmp_path, purpose="Aanmelden via info@stadscooperatie.nl.")
    assert [(f.field, f.kind, f.masked) for f in error.findings] == [
        ("purpose", "e-mailadres", "i***@stadscooperatie.nl")
    ]


def test_a_bsn_like_number_that_passes_the_eleven_test(tmp_path: Path) -> None:
    assert passes_eleven_test("123456782")
    error = leak(tmp_path, questions=[{"text": "Geldt dit ook voor BSN 123456782?"}])
    assert [(f.field, f.masked) for f in error.findings] == [("questions[1].text", "1********")]


def test_nine_digits_that_fail_the_eleven_test_are_no_bsn(tmp_path: Path) -> None:
    assert not passes_eleven_test("123456789")
    book = book_with(tmp_path, questions=[{"text": "Wat betekent kenmerk 123456789?"}])
    text = render_verslag(book, "avond", VerslagOptions(format="md"))
    assert "kenmerk 123456789" in str(text)


def test_a_person_id(tmp_path: Path) -> None:
    error = leak(tmp_path, introduction="Zie het dossier joke-van-der-meer.")
    assert [(f.field, f.kind) for f in error.findings] == [("introduction", "id")]


def test_the_ids_of_cases_discussed_are_allowed_in_their_own_field(tmp_path: Path) -> None:
    book = book_with(
        tmp_path, tables=[{"theme": "Casus", "cases": ["anna-de-vries", "joke-van-der-meer"]}]
    )
    for fmt in ("md", "html", "docx"):
        render_verslag(book, "avond", VerslagOptions(format=fmt))


def test_a_leak_that_only_a_template_makes_is_caught_in_the_output(tmp_path: Path) -> None:
    book = book_with(tmp_path, tables=[{"theme": "Casus", "cases": ["anna-de-vries"]}])
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "verslag.md.j2").write_text(
        "# {{ verslag.title }}\n{{ verslag.session.tables[0].cases[0] }}\n", encoding="utf-8"
    )
    with pytest.raises(PrivacyError) as caught:
        render_verslag(book, "avond", VerslagOptions(format="md", templates=folder))
    assert [(f.source, f.field, f.kind) for f in caught.value.findings] == [
        ("verslag van avond (md)", "regel 2", "id")
    ]


def test_the_internal_verslag_is_not_held_back(tmp_path: Path) -> None:
    book = book_with(tmp_path, closing="Anna de Vries, 06-98765432, sluit af.")
    text = render_verslag(book, "avond", VerslagOptions(format="md", intern=True))
    assert "Anna de Vries, 06-98765432" in str(text)


def test_a_clean_session_passes(tmp_path: Path) -> None:
    book = book_with(tmp_path, closing="Iedereen bedankt; tot de volgende keer.")
    assert "Iedereen bedankt" in str(render_verslag(book, "avond", VerslagOptions()))
