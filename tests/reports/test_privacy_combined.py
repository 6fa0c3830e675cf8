"""The privacy guard searches all of a casebook's names in one pass; it must miss none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import person, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.reports.privacy import PrivacyError, check_public, matcher_for, scan_text


def book_with(tmp_path: Path) -> Casebook:
    return load_casebook(
        write_casebook(
            tmp_path / "cases",
            people={
                "anna-de-vries": person(name="Anna de Vries", contact={"phone": "06-98765432"}),
                "joke-van-der-meer": person(name="Joke van der Meer"),
            },
        )
    )


def test_the_combined_search_finds_every_name_and_the_longest_form(tmp_path: Path) -> None:
    book = book_with(tmp_path)
    found = list(
        scan_text(
            "Joke van der Meer en anna de vries, later joke meer; Annabel de Vriesland niet.",
            matcher_for(book),
        )
    )
    assert ("naam", "Joke van der Meer") in found
    assert ("naam", "anna de vries") in found
    assert ("naam", "joke meer") in found
    assert not [f for f in found if "vriesland" in f[1]]


def test_check_public_lists_every_finding_once(tmp_path: Path) -> None:
    book = book_with(tmp_path)
    with pytest.raises(PrivacyError) as caught:
        check_public(book, [("bron", "veld", "Anna de Vries en nogmaals Anna de Vries")])
    assert len(caught.value.findings) == 1


def test_a_casebook_without_people_still_finds_contact_details(tmp_path: Path) -> None:
    book = load_casebook(write_casebook(tmp_path / "cases", people={}))
    found = list(scan_text("Mail x@y.nl of bel 06-12345678", matcher_for(book)))
    assert [kind for kind, _ in found] == ["e-mailadres", "telefoonnummer"]
