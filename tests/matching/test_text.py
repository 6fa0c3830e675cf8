"""Dutch wish texts against opportunity descriptions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.matching.text import TextSimilarity, dutch_stop_words

WORDS = ["tuinieren", "tuin", "kok", "koken", "computer", "administratie", "fietsen", "honden"]

# Eight wishes in a person's own words and the place each one is really about (same index).
PLACES = [
    "Keukenhulp: samen met vaste vrijwilligers maaltijden bereiden voor de inloop.",
    "Tuinman in de buurttuin: onderhoud van de moestuin en het groen.",
    "Gastvrouw in het buurthuis: koffie schenken en bezoekers ontvangen, ouderen.",
    "Fietsenwerkplaats: fietsen repareren voor statushouders.",
    "Dierenasiel: honden uitlaten en hokken schoonmaken.",
    "Bibliotheek: voorlezen aan kinderen en huiswerkbegeleiding.",
    "Administratie bij de voedselbank: computerwerk en klanten registreren.",
    "Kringloopwinkel: spullen sorteren en verkopen, duurzaamheid en hergebruik.",
]
WISHES = [
    "Ik kook graag en wil in een keuken werken",
    "Ik wil graag tuinieren, buiten bezig zijn met planten",
    "Ik hou van mensen ontvangen en een praatje maken met ouderen",
    "Ik sleutel graag aan fietsen",
    "Ik wil met dieren werken, vooral honden",
    "Ik lees graag voor aan kinderen",
    "Ik werk graag met de computer, administratief werk",
    "Ik wil iets doen voor het milieu, spullen een tweede leven geven",
]


def _fitted(corpus: list[str] | None = None) -> TextSimilarity:
    return TextSimilarity().fit(WORDS if corpus is None else corpus)


@pytest.mark.parametrize(("a", "b"), [("tuinieren", "tuin"), ("kok", "koken")])
def test_related_dutch_words_meet(a: str, b: str) -> None:
    assert _fitted().similarity([a], [b])[0, 0] > 0.15


@pytest.mark.parametrize(
    ("a", "b"), [("tuinieren", "computer"), ("kok", "administratie"), ("tuin", "honden")]
)
def test_unrelated_words_stay_low(a: str, b: str) -> None:
    assert _fitted().similarity([a], [b])[0, 0] < 0.05


def test_a_stop_word_alone_gives_no_similarity() -> None:
    sim = _fitted([*WORDS, "een", "het", "de tuin"])
    assert sim.similarity(["een"], ["een", "de tuin"]).tolist() == [[0.0, 0.0]]
    # ...while the same text without the stop word still meets the other.
    assert sim.similarity(["de tuin"], ["tuinieren"])[0, 0] > 0.15


def test_stop_words_are_the_shipped_snowball_list() -> None:
    words = dutch_stop_words()
    assert 95 <= len(words) <= 110
    assert {"de", "het", "een", "en", "van", "ik", "wil", "niet"} <= words
    assert not {"tuin", "koken", "werk"} & words


def test_case_accents_and_spacing_do_not_matter() -> None:
    sim = _fitted([*WORDS, "Café", "cafe"])
    assert sim.similarity(["  CAFÉ  "], ["cafe"])[0, 0] == pytest.approx(1.0)


def test_each_wish_finds_its_own_place_first() -> None:
    sim = TextSimilarity().fit(PLACES + WISHES)
    scores = sim.similarity(WISHES, PLACES)
    assert scores.argmax(axis=1).tolist() == list(range(len(WISHES)))


def test_rows_are_l2_normalised_so_cosine_is_a_dot_product() -> None:
    sim = TextSimilarity().fit(PLACES + WISHES)
    rows = sim.transform([*PLACES, "een het de"])
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    assert norms[:-1] == pytest.approx(np.ones(len(PLACES)))
    assert norms[-1] == 0.0
    assert rows.shape == (len(PLACES) + 1, sim.n_features)
    direct = sim.similarity(WISHES[:2], PLACES[:3])
    via_dot = (sim.transform(WISHES[:2]) @ sim.transform(PLACES[:3]).T).toarray()
    assert direct == pytest.approx(via_dot)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=8), st.lists(st.text(max_size=40), max_size=5))
def test_scores_lie_in_range_and_do_not_depend_on_the_run(
    corpus: list[str], queries: list[str]
) -> None:
    first = TextSimilarity().fit(corpus).similarity(queries, corpus)
    again = TextSimilarity().fit(list(corpus)).similarity(queries, corpus)
    assert first.shape == (len(queries), len(corpus))
    assert np.all((first >= 0.0) & (first <= 1.0))
    assert np.array_equal(first, again)


def test_a_corpus_of_only_stop_words_makes_every_text_a_zero_vector() -> None:
    sim = TextSimilarity().fit(["de", "het een", ""])
    assert sim.n_features == 0
    assert sim.transform(["tuin", "koken"]).shape == (2, 0)
    assert sim.similarity(["tuin"], ["tuin"]).tolist() == [[0.0]]


def test_unfitted_use_is_refused() -> None:
    with pytest.raises(RuntimeError, match="fit"):
        TextSimilarity().transform(["tuin"])


def test_preprocess_shows_what_is_compared() -> None:
    assert TextSimilarity().preprocess("Ik wil graag tuinieren in de Tuin!") == "graag tuinier tuin"
    assert TextSimilarity(stem=False).preprocess("Het Koken") == "koken"


def test_the_word_wise_vectors_equal_scikit_learns_char_wb_tfidf() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    corpus = PLACES + WISHES
    sim = TextSimilarity()
    ours = sim.fit_transform(corpus)
    reference = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), lowercase=False, sublinear_tf=True
    ).fit([sim.preprocess(text) for text in corpus])
    theirs = reference.transform([sim.preprocess(text) for text in corpus])
    # Same vocabulary (both sort n-grams), so the matrices compare entry by entry.
    assert reference.vocabulary_ == sim.vocabulary
    assert np.allclose(ours.toarray(), theirs.toarray())
    # Texts with words unseen in fitting: unseen n-grams are ignored, as sklearn does.
    queries = ["Ik wil graag tuinieren en sleutelen aan brommers", "onbekendwoord"]
    assert np.allclose(
        sim.transform(queries).toarray(),
        reference.transform([sim.preprocess(q) for q in queries]).toarray(),
    )
