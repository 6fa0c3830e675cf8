"""The Q&A page: near-duplicate questions merged, grouped by theme, answered or still open."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import example_casebook, person, session, write_casebook
from toolkit.casebook import Casebook, load_casebook
from toolkit.reports.privacy import PrivacyError
from toolkit.reports.qa import (
    SIMILARITY_THRESHOLD,
    QaOptions,
    qa_page,
    render_qa,
    similarities,
)

FOURTH_EVENING = [q.text for q in example_casebook().sessions["dialoogavond-4"].questions]

#: The same question in other words, as people ask it again at a later evening.
REPHRASED = [
    ("Is armoede een selectiecriterium?", "Geldt armoede als selectiecriterium?"),
    ("Is armoede een selectiecriterium?", "Is armoede een criterium bij de selectie?"),
    (
        "Kan de gemeente burgerbaners ondersteunen met een OV-chipkaart?",
        "Krijgen burgerbaners een ov-chipkaart van de gemeente?",
    ),
    ("Waar zijn de vrijwilligers te vinden?", "Waar vinden we vrijwilligers?"),
    (
        "Waar komt de vergoeding van de eerste drie burgerbaners vandaan?",
        "Waar komt het geld voor de vergoeding vandaan?",
    ),
]
#: Different questions, some on the same subject or with the same words.
DISTINCT = [
    (
        "Kan de gemeente burgerbaners ondersteunen met een OV-chipkaart?",
        "Kan de gemeente de overhead betalen?",
    ),
    (
        "Waar zijn de vrijwilligers te vinden?",
        "Moet een zorgbedrijf een vrijwilligersproject opstarten?",
    ),
    ("Waar komt het geld voor de vergoeding vandaan?", "Is er een reiskostenvergoeding?"),
    ("Is armoede een selectiecriterium?", "Kan een gids betaald worden uit het PGB?"),
]


def corpus_scores(pairs: list[tuple[str, str]]) -> list[float]:
    """Similarity of each pair, scored among all the 4th evening's questions (as the page does)."""
    texts = list(dict.fromkeys(FOURTH_EVENING + [t for pair in pairs for t in pair]))
    scores = similarities(texts)
    return [float(scores[texts.index(a), texts.index(b)]) for a, b in pairs]


def test_the_threshold_merges_rephrased_questions() -> None:
    for (a, b), score in zip(REPHRASED, corpus_scores(REPHRASED), strict=True):
        assert score >= SIMILARITY_THRESHOLD, (a, b, score)


def test_the_threshold_keeps_distinct_questions_apart() -> None:
    for (a, b), score in zip(DISTINCT, corpus_scores(DISTINCT), strict=True):
        assert score < SIMILARITY_THRESHOLD, (a, b, score)


def test_the_4th_evenings_own_questions_are_all_distinct() -> None:
    scores = similarities(FOURTH_EVENING)
    for i, j in itertools.combinations(range(len(FOURTH_EVENING)), 2):
        assert scores[i, j] < SIMILARITY_THRESHOLD, (FOURTH_EVENING[i], FOURTH_EVENING[j])


def two_evenings(tmp_path: Path, first: list[Any], second: list[Any], **extra: Any) -> Casebook:
    return load_casebook(
        write_casebook(
            tmp_path / "cases",
            sessions={
                "avond-1": session(
                    number=1, title="1e Dialoogavond", date="2024-03-01", questions=first
                ),
                "avond-2": session(
                    number=2, title="2e Dialoogavond", date="2024-06-01", questions=second
                ),
            },
            **extra,
        )
    )


def entries(book: Casebook) -> list[Any]:
    return [entry for theme in qa_page(book).themes for entry in theme.entries]


def test_a_question_asked_again_is_one_entry_first_raised_at_the_first_evening(
    tmp_path: Path,
) -> None:
    book = two_evenings(
        tmp_path,
        [{"text": "Is armoede een selectiecriterium?", "theme": "instroom"}],
        [{"text": "Geldt armoede als selectiecriterium?", "theme": "Instroom"}],
    )
    (entry,) = entries(book)
    assert entry.question == "Is armoede een selectiecriterium?"
    assert entry.first_raised.title == "1e Dialoogavond"
    assert entry.also_asked_as == ("Geldt armoede als selectiecriterium?",)
    assert entry.times_asked == 2 and entry.is_open


def test_an_answer_wins_over_open_and_the_latest_answer_is_kept(tmp_path: Path) -> None:
    book = two_evenings(
        tmp_path,
        [
            {"text": "Waar zijn de vrijwilligers te vinden?", "answer": "Via de sociale kaart."},
            {"text": "Kan de gemeente een OV-chipkaart geven?", "answer": "Dat wordt uitgezocht."},
        ],
        [
            {"text": "Waar vinden we vrijwilligers?"},
            {"text": "Kan de gemeente een OV-chipkaart geven?", "answer": "Ja, via de regeling."},
        ],
    )
    found = {e.question: e for e in entries(book)}
    assert len(found) == 2
    volunteers = found["Waar zijn de vrijwilligers te vinden?"]
    assert volunteers.answer == "Via de sociale kaart."
    assert volunteers.answered_at is not None and volunteers.answered_at.title == "1e Dialoogavond"
    card = found["Kan de gemeente een OV-chipkaart geven?"]
    assert card.answer == "Ja, via de regeling."
    assert card.answered_at is not None and card.answered_at.title == "2e Dialoogavond"
    assert card.first_raised.title == "1e Dialoogavond"
    assert card.also_asked_as == ()


def test_grouped_by_theme_with_the_unthemed_last(tmp_path: Path) -> None:
    book = two_evenings(
        tmp_path,
        [
            {"text": "Hoe zit het met vervoer naar de werkplek?", "theme": "vervoer"},
            {"text": "Wat als ik ziek word?"},
        ],
        [{"text": "Wie betaalt de overhead van € 400?", "theme": "financiering"}],
    )
    page = qa_page(book)
    assert [theme.name for theme in page.themes] == ["Financiering", "Vervoer", None]
    assert (page.answered, page.open) == (0, 3)


def test_the_page_of_the_example(tmp_path: Path) -> None:
    book = example_casebook()
    text = render_qa(book, QaOptions(format="md"))
    assert text.startswith("# Vragen en antwoorden\n")
    assert "3 vragen zijn beantwoord, 7 zijn nog open." in text
    assert (
        "## Vervoer\n\n"
        "### Kan de gemeente burgerbaners ondersteunen met een OV-chipkaart?\n\n"
        "*Nog open.*"
    ) in text
    assert (
        "*Voor het eerst gesteld op de 4e Dialoogavond Pilot Almeerse Burgerbaan, 23 oktober 2024.*"
        in text
    )
    page = render_qa(book, QaOptions(format="html"))
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "<h2>Instroom</h2>" in page and "Nog open." in page


def test_a_merged_question_shows_where_it_was_answered(tmp_path: Path) -> None:
    book = two_evenings(
        tmp_path,
        [{"text": "Is armoede een selectiecriterium?"}],
        [{"text": "Is armoede een selectiecriterium?", "answer": "Nee, **iedereen** kan meedoen."}],
    )
    text = render_qa(book, QaOptions(format="md"))
    assert "Nee, **iedereen** kan meedoen." in text
    assert "Beantwoord op de 2e Dialoogavond, 1 juni 2024." in text
    assert "Nee, <strong>iedereen</strong> kan meedoen." in render_qa(
        book, QaOptions(format="html")
    )


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"text": "Mag Anna de Vries meedoen?"}, "questions[1].text"),
        ({"text": "Wie belt?", "answer": "Bel 036-1234567."}, "questions[1].answer"),
        ({"text": "Waar aanmelden?", "answer": "Mail a@b.nl"}, "questions[1].answer"),
        ({"text": "Geldt het ook voor 111222333?"}, "questions[1].text"),
    ],
)
def test_the_page_passes_the_privacy_guard(tmp_path: Path, question: Any, field: str) -> None:
    book = two_evenings(
        tmp_path,
        [],
        [question],
        people={"anna-de-vries": person(name="Anna de Vries")},
    )
    with pytest.raises(PrivacyError) as caught:
        render_qa(book, QaOptions(format="html"))
    assert [(f.source, f.field) for f in caught.value.findings] == [
        ("sessions/avond-2.yaml", field)
    ]


def test_no_questions_yet(tmp_path: Path) -> None:
    book = two_evenings(tmp_path, [], [])
    assert "Er zijn nog geen vragen gesteld." in render_qa(book, QaOptions(format="md"))
