"""The kinds of record by the words people type for them, in Dutch or in English.

``burgerbaan list personen`` and ``burgerbaan list people`` mean the same; so do ``new plek`` and
``new opportunity``. Singular and plural both name the kind.
"""

from __future__ import annotations

from toolkit.i18n import current_language

#: Per kind of record (its ``record_kind``): its folder, then the Dutch words, singular first.
KIND_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "person": ("people", ("persoon", "personen")),
    "opportunity": (
        "opportunities",
        ("plek", "plekken", "vrijwilligersplek", "vrijwilligersplekken"),
    ),
    "organisation": ("organisations", ("organisatie", "organisaties")),
    "sponsor": ("sponsors", ("sponsor", "sponsors")),
    "session": ("sessions", ("bijeenkomst", "bijeenkomsten", "sessie", "sessies")),
}
#: English spellings people may use besides the toolkit's own.
_ENGLISH_EXTRA = {"organisation": ("organization", "organizations")}


def kind_named(word: str) -> str | None:
    """The ``record_kind`` that ``word`` names (any language, singular or plural), or None."""
    wanted = word.strip().lower()
    for kind, (folder, dutch) in KIND_WORDS.items():
        if wanted in (kind, folder, *dutch, *_ENGLISH_EXTRA.get(kind, ())):
            return kind
    return None


def folder_of(kind: str) -> str:
    return KIND_WORDS[kind][0]


def kind_words(*, plural: bool) -> list[str]:
    """The words to show for the kinds in the language of the run (each is accepted)."""
    if current_language() == "en":
        return [folder if plural else kind for kind, (folder, _dutch) in KIND_WORDS.items()]
    return [dutch[1] if plural else dutch[0] for _folder, dutch in KIND_WORDS.values()]
