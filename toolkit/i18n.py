"""Translations: Dutch by default, English on request.

Messages in the code are written in English and wrapped in ``_()``; the Dutch text lives in
gettext catalogues (``toolkit/locale/nl/LC_MESSAGES/*.po``), one per part of the toolkit so that
parts can be translated independently. The catalogues are compiled in memory on first use, so
the repository holds no binary ``.mo`` files that could drift from their sources.
"""

from __future__ import annotations

import gettext as _gettext
import hashlib
import io
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

# The language is per context, not per process: the web app serves several people at once, each
# request in its own thread (and so its own context), and one person's choice must not leak into
# another's page. ``None`` means "not chosen": the environment or the default decides.
_language: ContextVar[str | None] = ContextVar("burgerbaan_language", default=None)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """All catalogues of ``language`` merged into one; English is the source language.

    Compiling the ``.po`` files (with Babel) takes longer than the rest of ``burgerbaan --help``,
    so the merged result is kept in the user's cache folder (:func:`_compiled_path`), keyed by
    the hash of every catalogue's bytes and Babel's version: an edited catalogue is compiled
    anew. The kept file is JSON (message texts and the plural rule, which :func:`gettext.c2py`
    accepts only as arithmetic on ``n``); if it is missing or damaged, the catalogues are
    compiled as before.
    """
    if language == "en":
        return _gettext.NullTranslations()
    sources = [
        (po_file.name, po_file.read_bytes())
        for po_file in sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))
    ]
    if not sources:
        return _gettext.NullTranslations()
    digest = hashlib.sha256(f"{COMPILED_FORMAT}|{language}".encode())
    for name, data in sources:
        digest.update(f"|{name}|{len(data)}|".encode())
        digest.update(data)
    key = digest.hexdigest()
    path = _compiled_path(language, key)
    compiled = _read_compiled(path, key) if path is not None else None
    if compiled is None:
        compiled = _compile(language, sources, key)
        if path is not None:
            _write_compiled(path, compiled)
    return _from_compiled(compiled)


#: Bumped when the kept form of compiled catalogues changes.
COMPILED_FORMAT = "burgerbaan-translations-1"


def _compiled_path(language: str, key: str) -> Path | None:
    """One file per set of catalogues: two installed versions (or two checkouts) then never
    overwrite each other's file and make the other compile again at every start."""
    if os.environ.get("BURGERBAAN_CACHE", "1").strip().lower() in {"0", "no", "nee", "off"}:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    return Path(base) / "burgerbaan" / f"translations-{language}-{key[:16]}.json"


def _compile(language: str, sources: list[tuple[str, bytes]], key: str) -> dict[str, Any]:
    from babel import __version__ as babel_version
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    singular: dict[str, str] = {}
    plural: list[list[Any]] = []
    plural_rule = "nplurals=2; plural=(n != 1);"
    for _name, data in sources:
        catalog = read_po(io.BytesIO(data), locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        part = _gettext.GNUTranslations(fp=buffer)
        plural_rule = part.info().get("plural-forms", plural_rule)
        for msgid, text in part._catalog.items():  # type: ignore[attr-defined]
            if isinstance(msgid, tuple):
                plural.append([msgid[0], msgid[1], text])
            else:
                singular[msgid] = text
    return {
        "format": COMPILED_FORMAT,
        "key": key,
        "babel": babel_version,
        "plural_forms": plural_rule,
        "messages": singular,
        "plurals": plural,
    }


def _read_compiled(path: Path, key: str) -> dict[str, Any] | None:
    try:
        compiled = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(compiled, dict)
        or compiled.get("format") != COMPILED_FORMAT
        or compiled.get("key") != key
        or not isinstance(compiled.get("plural_forms"), str)
        or not isinstance(compiled.get("messages"), dict)
        or not isinstance(compiled.get("plurals"), list)
        or not all(isinstance(v, str) for v in compiled["messages"].values())
        or not all(
            isinstance(p, list)
            and len(p) == 3
            and isinstance(p[0], str)
            and type(p[1]) is int
            and isinstance(p[2], str)
            for p in compiled["plurals"]
        )
    ):
        return None
    return compiled


def _write_compiled(path: Path, compiled: dict[str, Any]) -> None:
    """Write whole or not at all (a temporary file and a rename, as ``toolkit.files`` does, which
    itself needs this module for its messages)."""
    # An aid, never a condition: a read-only or full home folder only costs the compile.
    with suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(json.dumps(compiled, ensure_ascii=False).encode("utf-8"))
            os.replace(temporary, path)
        finally:
            with suppress(OSError):
                os.unlink(temporary)
        _prune_compiled(path)


#: Kept files of other catalogue sets unused this long are removed when a new one is written.
PRUNE_AFTER_SECONDS = 30 * 24 * 3600


def _prune_compiled(kept: Path) -> None:
    language = kept.name.split("-")[1]
    now = time.time()
    for other in kept.parent.glob(f"translations-{language}-*.json"):
        with suppress(OSError):
            used = other.stat()
            # Read or written: atime may not move on a noatime mount, so mtime counts too.
            if other != kept and now - max(used.st_atime, used.st_mtime) > PRUNE_AFTER_SECONDS:
                other.unlink()


def _from_compiled(compiled: dict[str, Any]) -> _gettext.NullTranslations:
    try:
        # As gettext reads the header: "nplurals=2; plural=(n != 1);".
        plural = _gettext.c2py(compiled["plural_forms"].split(";")[1].split("plural=")[1])
    except (ValueError, IndexError):
        plural = _gettext.c2py("n != 1")
    merged = _gettext.GNUTranslations()
    catalog: dict[Any, str] = dict(compiled["messages"])
    for msgid, index, text in compiled["plurals"]:
        catalog[(msgid, index)] = text
    merged._catalog = catalog  # type: ignore[attr-defined]
    merged.plural = plural  # type: ignore[attr-defined]
    return merged


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
