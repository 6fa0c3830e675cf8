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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

# The language is per context, not per process: the web app serves several people at once, each
# request in its own thread (and so its own context), and one person's choice must not leak into
# another's page. ``None`` means "not chosen": the environment or the default decides.
_language: ContextVar[str | None] = ContextVar("burgerbaan_language", default=None)


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


def choose_language(language: str | None) -> str:
    """The language to use for a request of ``language``: itself if known, else the default."""
    chosen = (language or os.environ.get("BURGERBAAN_LANG") or DEFAULT_LANGUAGE).lower()
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def set_language(language: str | None) -> str:
    """Make ``language`` (``nl`` or ``en``) the language of the current context from now on."""
    chosen = choose_language(language)
    _language.set(chosen)
    return chosen


@contextmanager
def use_language(language: str | None) -> Iterator[str]:
    """Use ``language`` for the ``with`` block only (one web request, one test)."""
    chosen = choose_language(language)
    token = _language.set(chosen)
    try:
        yield chosen
    finally:
        _language.reset(token)


def current_language() -> str:
    return _language.get() or choose_language(None)


def active_translations() -> _gettext.NullTranslations:
    return translations(current_language())


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return active_translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message whose form depends on ``count``."""
    return active_translations().ngettext(singular, plural, count)


#: The same as :func:`_`, for modules that use ``_`` as a throw-away name.
gettext = _
