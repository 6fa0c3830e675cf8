"""Translations: Dutch by default, English on request.

Messages in the code are written in English and wrapped in ``_()``; the Dutch text lives in
gettext catalogues (``toolkit/locale/nl/LC_MESSAGES/*.po``), one per part of the toolkit so that
parts can be translated independently. The catalogues are compiled in memory on first use, so
the repository holds no binary ``.mo`` files that could drift from their sources.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

_active: _gettext.NullTranslations | None = None
_active_language = DEFAULT_LANGUAGE


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """All catalogues of ``language`` merged into one; English is the source language."""
    if language == "en":
        return _gettext.NullTranslations()
    merged: Translations | None = None
    for po_file in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        part = Translations(fp=buffer)
        merged = part if merged is None else merged.merge(part)
    return merged if merged is not None else _gettext.NullTranslations()


def set_language(language: str | None) -> str:
    """Make ``language`` (``nl`` or ``en``) the language of every message from now on."""
    global _active, _active_language
    chosen = (language or os.environ.get("BURGERBAAN_LANG") or DEFAULT_LANGUAGE).lower()
    if chosen not in LANGUAGES:
        chosen = DEFAULT_LANGUAGE
    _active_language = chosen
    _active = translations(chosen)
    return chosen


def current_language() -> str:
    return _active_language


def active_translations() -> _gettext.NullTranslations:
    if _active is None:
        set_language(None)
    assert _active is not None
    return _active


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return active_translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message whose form depends on ``count``."""
    return active_translations().ngettext(singular, plural, count)


#: The same as :func:`_`, for modules that use ``_`` as a throw-away name.
gettext = _
