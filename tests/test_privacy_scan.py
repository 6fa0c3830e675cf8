"""The privacy guard's one-pass search finds exactly what a search per needle finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.casebook.tags import fold
from toolkit.reports.privacy import _first_matches, _Needle, _word_pattern

WORDS = ["anna", "de", "vries", "anna-de-vries", "06-12345678", "jan", "jansen", "x", "é"]
SEPARATORS = [" ", "-", ", ", ".", "\n", "", "@"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=30),
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join), max_size=8),
    st.lists(st.sampled_from(["+31 6 1234", "-anna", ".jan"]), max_size=2),
)
def test_the_one_pass_search_equals_a_regular_expression_per_needle(
    pieces: list[tuple[str, str]], literals: list[str], odd: list[str]
) -> None:
    text = fold("".join(word + sep for word, sep in pieces))
    needles = [_Needle("name", literal=fold(literal)) for literal in literals + odd]
    expected = {}
    for index, needle in enumerate(needles):
        match = _word_pattern(needle.literal).search(text)
        if match:
            expected[index] = match.group()
    assert _first_matches(text, needles) == expected


def test_a_name_inside_a_longer_word_is_not_a_match() -> None:
    needles = [_Needle("name", literal="jan"), _Needle("name", literal="anna de vries")]
    assert _first_matches("jansen en anna de vriesland", needles) == {}
    assert _first_matches("met jan en anna de vries.", needles) == {0: "jan", 1: "anna de vries"}
