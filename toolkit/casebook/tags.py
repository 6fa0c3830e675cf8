"""Tags are free words; they are compared only after normalisation.

Normalisation folds case and accents and collapses white space, so that ``Koken``,
`` koken `` and ``kóken`` are one tag; then the casebook's synonyms map variants onto one
canonical word (``keuken`` → ``koken``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ``text``, strip accents and collapse white space."""
    if text.isascii():
        # The common case, about ten times faster: ASCII has no accents to strip and its
        # case folding is lower-casing.
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = decomposed.translate(_COMBINING_MARKS)
    return _SPACES.sub(" ", stripped.casefold()).strip()


class _CombiningMarks(dict[int, int | None]):
    """A ``str.translate`` table that deletes combining characters, filled as characters
    are met (a text uses few distinct characters; Unicode has a million)."""

    def __missing__(self, codepoint: int) -> int | None:
        kept = None if unicodedata.combining(chr(codepoint)) else codepoint
        self[codepoint] = kept
        return kept


_COMBINING_MARKS = _CombiningMarks()


def normalise_tag(tag: str, synonyms: Mapping[str, str] | None = None) -> str:
    """The canonical form of one tag: folded, then mapped through ``synonyms``.

    ``synonyms`` must already have folded keys and values (the casebook settings do that).
    """
    folded = fold(tag)
    if synonyms:
        return synonyms.get(folded, folded)
    return folded


def normalise_tags(tags: Iterable[str], synonyms: Mapping[str, str] | None = None) -> list[str]:
    """Normalise each tag and drop duplicates, keeping the first occurrence's place."""
    seen: dict[str, None] = {}
    for tag in tags:
        canonical = normalise_tag(tag, synonyms)
        if canonical:
            seen.setdefault(canonical, None)
    return list(seen)
