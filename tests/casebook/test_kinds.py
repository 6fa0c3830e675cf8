"""Record kinds are accepted in Dutch and English, singular and plural, and shown in the
language of the run."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import EXAMPLE_CASEBOOK
from toolkit.casebook import load_casebook
from toolkit.casebook.kinds import KIND_WORDS, folder_of, kind_named, kind_words
from toolkit.errors import InvalidInputError
from toolkit.i18n import use_language
from toolkit.reports.lists import record_table


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("plural", [True, False])
def test_every_word_shown_is_accepted(language: str, plural: bool) -> None:
    with use_language(language):
        words = kind_words(plural=plural)
    assert [kind_named(w) for w in words] == list(KIND_WORDS)


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("personen", "person"),
        ("Persoon", "person"),
        ("people", "person"),
        ("plekken", "opportunity"),
        ("vrijwilligersplek", "opportunity"),
        ("organizations", "organisation"),
        ("sessies", "session"),
        (" bijeenkomsten ", "session"),
    ],
)
def test_dutch_and_english_name_the_same_kind(word: str, kind: str) -> None:
    assert kind_named(word) == kind


def test_an_unknown_word_names_no_kind() -> None:
    assert kind_named("dingen") is None
    assert folder_of("person") == "people"


def test_the_list_table_takes_dutch_kinds() -> None:
    book = load_casebook(EXAMPLE_CASEBOOK)
    day = date(2026, 11, 26)
    assert record_table(book, "personen", intern=False, today=day) == record_table(
        book, "people", intern=False, today=day
    )
    with use_language("nl"), pytest.raises(InvalidInputError) as raised:
        record_table(book, "dingen", intern=False, today=day)
    assert "personen, plekken, organisaties, sponsors, bijeenkomsten" in str(raised.value)
