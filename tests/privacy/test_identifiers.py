"""The identifier matcher, form by form: what it must find, and what it must leave alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import person, session, write_casebook
from toolkit.casebook import load_casebook
from toolkit.casebook.identifiers import Matcher, fold_word, identities_of, name_parts
from toolkit.reports.privacy import PrivacyError, check_public

PEOPLE = [
    ("anouk-de-graaf", "Anouk de Graaf", None),
    ("joke-van-der-meer", "Joke van der Meer", None),
]
MATCHER = Matcher(identities_of(PEOPLE))


def kinds(text: str, matcher: Matcher = MATCHER) -> list[str]:
    return [hit.kind for hit in matcher.find(text, unescaped=True)]


@pytest.mark.parametrize(
    "text",
    [
        "Anouk",
        "ANOUK",
        "Anouks fiets",
        "Anouk's fiets",
        "Anouk’s fiets",
        "de Graaf",
        "Graaf",
        "A. de Graaf",
        "A.de Graaf",
        "J. van der Meer",
        "J.v.d. Meer",
        "Joke Meer",
        "An**ouk**",
        "An_ouk_",
        "A<b>nouk</b>",
        "A&lt;b&gt;nouk&lt;/b&gt;",
        "&#65;nouk",
        "An\u00adouk",
        "An\u200bouk",
        "Anouk\u00a0de\u00a0Graaf",
        "Anouk  de\nGraaf",
        "Аnouk",  # Cyrillic А
        "Anøuk",
        "Anouk-de-Graaf",
    ],
)
def test_a_name_in_every_form_is_found(text: str) -> None:
    assert "name" in kinds(text) or "id" in kinds(text), text


@pytest.mark.parametrize(
    "text",
    [
        "06-12340217",
        "06 1234 0217",
        "+31 (0)6 1234 0217",
        "0031 6 12 34 02 17",
        "(036) 123.45.67",
        "06/12340217",
        "+31612340217",
    ],
)
def test_a_phone_number_in_every_notation(text: str) -> None:
    assert kinds(f"bel {text} vandaag") == ["phone"]


@pytest.mark.parametrize("text", ["111222333", "111.222.333", "111 222 333", "1112.22.333"])
def test_a_bsn_with_separators(text: str) -> None:
    assert kinds(f"bsn {text}.") == ["bsn"]


@pytest.mark.parametrize(
    "text",
    [
        "x@example.nl",
        "X@Example.NL",
        "x @ example.nl",
        "x (at) example (dot) nl",
        "x[at]example.nl",
    ],
)
def test_an_email_address_also_obfuscated(text: str) -> None:
    assert kinds(f"mail {text} svp") == ["email"]


def test_an_iban_even_followed_by_a_word() -> None:
    assert kinds("rekening NL91 ABNA 0417 1643 00 bellen") == ["iban"]


@pytest.mark.parametrize(
    "text",
    [
        "Annabel de Vriesland",
        "graafschap",
        "<data key='d7'>-10.947</data> <data key='d8'>-3.157</data>",
        "0.725 0.979 4",
        "op 2024-10-23 om 19.30 uur, € 12.345.678",
        "111.222 333",  # mixed separators: not a BSN grouping
        "hij at brood",
    ],
)
def test_what_is_not_personal_data_is_left_alone(text: str) -> None:
    assert kinds(text) == []


def test_a_confirmed_word_passes_but_the_whole_name_never_does() -> None:
    matcher = Matcher(identities_of(PEOPLE), allowed=["Meer"])
    assert kinds("niet meer dan tien", matcher) == []
    assert kinds("Joke van der Meer", matcher) == ["name"]
    assert kinds("J. van der Meer", matcher) == ["name"]
    assert [h.confirmable for h in MATCHER.find("meer dan")] == [True]


def test_name_parts_of_a_name_with_tussenvoegsel() -> None:
    parts = {p.text: p.whole for p in name_parts("Joke van der Meer")}
    assert parts == {
        "joke van der meer": True,
        "joke": False,
        "meer": False,
        "van der meer": True,
        "joke meer": True,
        "v d meer": True,
        "j van der meer": True,
    }


def test_folding_keeps_where_each_character_came_from() -> None:
    text = "Zie A<b>nouk</b>\u00a0de Graaf."
    [hit] = MATCHER.find(text)
    assert text[hit.start : hit.end] == "A<b>nouk</b>\u00a0de Graaf"
    assert fold_word("ŁØß ı") == "loss i"


def test_a_sessions_words_count_only_for_that_session(tmp_path: Path) -> None:
    book = load_casebook(
        write_casebook(
            tmp_path / "cases",
            people={"bert-bos": person(name="Bert Bos")},
            sessions={"avond": session(niet_persoon=["Bert"])},
        )
    )
    check_public(book, [("verslag", "chair", "Bert Hoek zat voor")], session=book.sessions["avond"])
    with pytest.raises(PrivacyError, match="naamdeel") as caught:
        check_public(book, [("overzicht", "text", "Bert Hoek zat voor")])
    assert "niet_persoon" in str(caught.value)


def test_a_whole_name_on_the_confirmed_list_still_counts() -> None:
    # Killed the surviving mutant "whole names confirmable": only single parts may be confirmed.
    matcher = Matcher(identities_of(PEOPLE), allowed=["Joke van der Meer", "Joke Meer"])
    assert kinds("Joke van der Meer", matcher) == ["name"]
    assert kinds("Joke Meer", matcher) == ["name"]


@pytest.mark.parametrize("text", ["11122.2333", "1.11222333", "11.1222.333", "111222.333"])
def test_nine_digits_in_no_bsn_grouping_are_not_a_bsn(text: str) -> None:
    # Killed the surviving mutant "any BSN grouping".
    assert kinds(f"code {text} ok") == []


def test_a_bsn_with_double_spaces() -> None:
    assert kinds("bsn 111  222  333 ok") == ["bsn"]


@pytest.mark.parametrize("text", ["J.v.d. Meer", "Joke-van-der-Meer", "Joke.van.der.Meer"])
def test_a_whole_name_with_other_separators_is_found_when_its_parts_are_confirmed(
    text: str,
) -> None:
    # Killed the surviving mutant "name words need one space".
    matcher = Matcher(identities_of(PEOPLE), allowed=["Meer", "Joke"])
    assert kinds(text, matcher)  # the whole name (or, hyphenated, the id)


def test_the_starters_placeholder_name_is_no_name() -> None:
    # A new person file says "Voornaam Achternaam" until it is filled in; handouts use
    # "voornaam" as a label.
    matcher = Matcher(identities_of([("nieuw", "Voornaam Achternaam", None)]))
    assert kinds("Voornaam (schuilnaam): Jade", matcher) == []
