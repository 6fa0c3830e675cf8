"""Tags are free words; they are compared only after normalisation.

Normalisation folds case and accents and collapses white space, so that ``Koken``,
`` koken `` and ``kóken`` are one tag; then the casebook's synonyms map variants onto one
canonical word (``keuken`` → ``koken``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ``text``, strip accents and collapse white space."""
    if text.isascii():
        # The common case, about ten times faster: ASCII has no accents to strip and its
        # case folding is lower-casing.
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = decomposed.translate(_combining_marks())
    return _SPACES.sub(" ", stripped.casefold()).strip()


@cache
def _combining_marks() -> dict[int, None]:
    """Every combining character, to delete with ``str.translate`` (one pass in C).

    They all lie in the first two planes (the rest of Unicode has none), so the table is
    built in milliseconds.
    """
    return {cp: None for cp in range(_TWO_PLANES) if unicodedata.combining(chr(cp))}


_TWO_PLANES = 0x20000


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
